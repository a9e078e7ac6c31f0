/**
 * Rows of the Supabase target tables, as migration.sql writes them and data/*.json records them.
 * Key order is the column order of schemas/target.sql; timestamps are timestamptz literals with an
 * explicit offset, or null where the column is left to its default at first insert.
 */

/** A JSON number whose digits must survive exactly (JSON.parse would round them). */
export class JsonNumber {
  constructor(readonly digits: string) {}
}
export type JsonValue = null | boolean | string | JsonNumber | readonly JsonValue[] | { readonly [k: string]: JsonValue };

export interface CoachRow {
  readonly id: string;
  readonly legacy_id: number;
  readonly name: string;
  readonly description: string | null;
  readonly intro: string | null;
  readonly prompt: string | null;
  readonly sex: 'male' | 'female' | 'non_binary' | 'other' | null;
  readonly year_of_birth: number | null;
  readonly photo_url: string | null;
  readonly photo_30_url: string | null;
  readonly photo_45_url: string | null;
  readonly photo_60_url: string | null;
  readonly voice_id: string;
  readonly voice_settings: JsonValue;
  readonly is_active: boolean;
  readonly created_at: string | null;
  readonly updated_at: string | null;
}

export interface CategoryRow {
  readonly id: string;
  readonly legacy_id: number;
  readonly parent_id: string | null;
  readonly name: string;
  readonly name_short: string | null;
  readonly description: string | null;
  readonly icon_url: string | null;
  readonly icon_secondary_url: string | null;
  readonly sort_order: number;
  readonly primary_color: string | null;
  readonly secondary_color: string | null;
  readonly show_checkin_history: boolean;
  readonly checkin_enabled: boolean;
  readonly followup_chat_enabled: boolean;
  readonly followup_timer: number | null;
  readonly prompt_checkin: string | null;
  readonly prompt_checkin_2: string | null;
  readonly guidelines_file_text: string | null;
  readonly max_questions: number | null;
  readonly scope: string | null;
  readonly is_active: boolean;
  readonly created_at: string | null;
  readonly updated_at: string | null;
}

export interface AppConfigRow {
  readonly key: string;
  readonly value: JsonValue;
  readonly description: string;
  readonly is_public: boolean;
  readonly created_at: string | null;
  readonly updated_at: string | null;
}

export type TargetTable = 'coaches' | 'categories' | 'app_config';
