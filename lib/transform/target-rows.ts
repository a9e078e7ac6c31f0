/**
 * Rows of the Supabase target tables, as migration.sql writes them and data/*.json records them.
 * Key order is the column order of schemas/target.sql; timestamps are timestamptz literals with an
 * explicit offset, or null where the column is left to its default at first insert.
 */
import type { RowOf } from './model/row-type.js';
import type { APP_CONFIG_MODEL, CATEGORIES_MODEL, COACHES_MODEL } from './model/tables.js';

/** A JSON number whose digits must survive exactly (JSON.parse would round them). */
export class JsonNumber {
  constructor(readonly digits: string) {}
}
export type JsonValue =
  null | boolean | string | JsonNumber | readonly JsonValue[] | { readonly [k: string]: JsonValue };

// The row types come from the table model (model/tables.ts), so that they cannot drift from the DDL and the JSON
// Schemas generated from it.
export type CoachRow = RowOf<typeof COACHES_MODEL, JsonValue>;
export type CategoryRow = RowOf<typeof CATEGORIES_MODEL, JsonValue>;
export type AppConfigRow = RowOf<typeof APP_CONFIG_MODEL, JsonValue>;

export type TargetTable = 'coaches' | 'categories' | 'app_config';
