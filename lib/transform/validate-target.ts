/**
 * Every target row is checked against schemas/target/<table>.schema.json (ajv) before anything is written.
 * The row is checked as the JSON that data/<table>.json will hold.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { MigrateError } from '../errors.js';
import { stringifyExactJson } from './exact-json.js';
import type { JsonValue, TargetTable } from './target-rows.js';

const TABLES: readonly TargetTable[] = ['coaches', 'categories', 'app_config'];
let validators: Record<TargetTable, ValidateFunction> | null = null;

export function loadTargetJsonSchema(table: TargetTable): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../schemas/target/${table}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export function validateTargetRows(table: TargetTable, rows: readonly object[], label: (r: object) => string): void {
  if (validators === null) {
    const ajv = new Ajv({ strict: true, allErrors: false });
    validators = Object.fromEntries(TABLES.map((t) => [t, ajv.compile(loadTargetJsonSchema(t))])) as Record<TargetTable, ValidateFunction>;
  }
  const v = validators[table];
  for (const r of rows) {
    const json: unknown = JSON.parse(stringifyExactJson(r as JsonValue));
    if (!v(json)) {
      const err = v.errors?.[0];
      throw new MigrateError('TARGET_INVALID', `${label(r)} does not fit schemas/target/${table}.schema.json: ${err?.instancePath.replace(/^\//, '') || 'row'} ${err?.message ?? 'is invalid'}`, { table });
    }
  }
}
