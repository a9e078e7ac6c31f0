/**
 * The target tables' columns as the SQL writers need them: name, kind (how to quote it, how verify
 * compares it) and whether an upsert may change it. Mirrors schemas/target.sql.
 */
import type { AppConfigRow, CategoryRow, CoachRow, TargetTable } from '../transform/target-rows.js';

export type ColumnKind = 'uuid' | 'int' | 'text' | 'bool' | 'jsonb' | 'timestamptz';

export interface TargetColumn<R> {
  readonly name: keyof R & string;
  readonly kind: ColumnKind;
}

export interface TargetTableDef<R> {
  readonly table: TargetTable;
  /** The conflict target of the upsert. */
  readonly key: keyof R & string;
  readonly columns: readonly TargetColumn<R>[];
}

const col = <R>(name: keyof R & string, kind: ColumnKind): TargetColumn<R> => ({ name, kind });

export const COACHES: TargetTableDef<CoachRow> = {
  table: 'coaches',
  key: 'id',
  columns: [
    col('id', 'uuid'), col('legacy_id', 'int'), col('name', 'text'), col('description', 'text'), col('intro', 'text'), col('prompt', 'text'),
    col('sex', 'text'), col('year_of_birth', 'int'), col('photo_url', 'text'), col('photo_30_url', 'text'), col('photo_45_url', 'text'), col('photo_60_url', 'text'),
    col('voice_id', 'text'), col('voice_settings', 'jsonb'), col('is_active', 'bool'), col('created_at', 'timestamptz'), col('updated_at', 'timestamptz'),
  ],
};

export const CATEGORIES: TargetTableDef<CategoryRow> = {
  table: 'categories',
  key: 'id',
  columns: [
    col('id', 'uuid'), col('legacy_id', 'int'), col('parent_id', 'uuid'), col('name', 'text'), col('name_short', 'text'), col('description', 'text'),
    col('icon_url', 'text'), col('icon_secondary_url', 'text'), col('sort_order', 'int'), col('primary_color', 'text'), col('secondary_color', 'text'),
    col('show_checkin_history', 'bool'), col('checkin_enabled', 'bool'), col('followup_chat_enabled', 'bool'), col('followup_timer', 'int'),
    col('prompt_checkin', 'text'), col('prompt_checkin_2', 'text'), col('guidelines_file_text', 'text'), col('max_questions', 'int'), col('scope', 'text'),
    col('is_active', 'bool'), col('created_at', 'timestamptz'), col('updated_at', 'timestamptz'),
  ],
};

export const APP_CONFIG: TargetTableDef<AppConfigRow> = {
  table: 'app_config',
  key: 'key',
  columns: [col('key', 'text'), col('value', 'jsonb'), col('description', 'text'), col('is_public', 'bool'), col('created_at', 'timestamptz'), col('updated_at', 'timestamptz')],
};

/** Columns an upsert compares and overwrites: all but the key and the two timestamps. */
export function payloadColumns<R>(def: TargetTableDef<R>): readonly TargetColumn<R>[] {
  return def.columns.filter((c) => c.name !== def.key && c.name !== 'created_at' && c.name !== 'updated_at');
}

export const SQL_TYPE: Readonly<Record<ColumnKind, string>> = { uuid: 'uuid', int: 'integer', text: 'text', bool: 'boolean', jsonb: 'jsonb', timestamptz: 'timestamptz' };
