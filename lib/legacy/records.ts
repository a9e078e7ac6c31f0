/**
 * Typed legacy records: one readonly interface per legacy table, keyed by the legacy column names.
 * Timestamps are the exact text PostgreSQL printed (all digits kept); bytea is a Buffer.
 */

export interface ImageRecord {
  readonly id: number;
  readonly extension: string | null;
  readonly data: Buffer | null;
  readonly user_id: number | null;
  readonly time_create: string | null;
}

export interface CoachRecord {
  readonly id: number;
  readonly name: string | null;
  readonly description: string | null;
  readonly image_id: number | null;
  readonly image30_id: number | null;
  readonly image45_id: number | null;
  readonly image60_id: number | null;
  readonly sex: string | null;
  readonly intro: string | null;
  readonly prompt: string | null;
  readonly time_create: string | null;
}

export interface CategoryRecord {
  readonly id: number;
  readonly parent_id: number | null;
  readonly name: string | null;
  readonly name_short: string | null;
  readonly description: string | null;
  readonly icon_id: number | null;
  readonly icon_id_secondary: number | null;
  readonly sort_order: number | null;
  readonly primary_color: string | null;
  readonly secondary_color: string | null;
  readonly show_checkin_history: boolean | null;
  readonly checkin_enabled: boolean | null;
  readonly followup_chat_enabled: boolean | null;
  readonly followup_timer: number | null;
  readonly prompt_checkin: string | null;
  readonly prompt_checkin_2: string | null;
  readonly guidelines_file_text: string | null;
  readonly max_questions: number | null;
  readonly scope: string | null;
  readonly time_create: string | null;
}

export interface PromptRecord {
  readonly id: number;
  readonly name: string | null;
  readonly prompt: string | null;
  readonly time_create: string | null;
}

export interface VariableRecord {
  readonly id: number;
  readonly name: string | null;
  readonly value: string | null;
  readonly user: boolean | null;
  readonly time_create: string | null;
}

export interface SystemRecord {
  readonly id: number;
  readonly name: string | null;
  readonly value: string | null;
  readonly time_create: string | null;
}

export interface LegacyRecordOf {
  tls_image: ImageRecord;
  tls_coach: CoachRecord;
  tls_category: CategoryRecord;
  tls_prompt: PromptRecord;
  tls_variable: VariableRecord;
  tls_system: SystemRecord;
}
