/**
 * Every legacy record is checked against its table's JSON Schema (schemas/legacy/<table>.schema.json) with
 * ajv. JSON has no bytes, so the schemas use one custom keyword, `bytea`: a Buffer or null.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { MigrateError } from '../errors.js';
import { LEGACY_TABLES, type LegacyTableName } from './schema.js';

const SCHEMA_DIR = new URL('../../schemas/legacy/', import.meta.url);

export function loadLegacyJsonSchema(table: LegacyTableName): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${table}.schema.json`, SCHEMA_DIR), 'utf8')) as Record<string, unknown>;
}

let validators: Record<LegacyTableName, ValidateFunction> | null = null;

function compile(): Record<LegacyTableName, ValidateFunction> {
  const ajv = new Ajv({ allErrors: false, strict: true });
  ajv.addKeyword({ keyword: 'bytea', schemaType: 'boolean', validate: (_s: boolean, data: unknown) => data === null || Buffer.isBuffer(data) });
  const out = {} as Record<LegacyTableName, ValidateFunction>;
  for (const t of LEGACY_TABLES) out[t] = ajv.compile(loadLegacyJsonSchema(t));
  return out;
}

/** Throws VALUE_SCHEMA naming the column when the record does not fit its table's schema. */
export function validateLegacyRecord(table: LegacyTableName, record: object): void {
  validators ??= compile();
  const v = validators[table];
  if (v(record)) return;
  const err = v.errors?.[0];
  const column = err?.instancePath.replace(/^\//, '') || undefined;
  throw new MigrateError('VALUE_SCHEMA', `the ${table} record does not fit schemas/legacy/${table}.schema.json: ${column ?? 'record'} ${err?.message ?? 'is invalid'}`, { table, ...(column !== undefined ? { column } : {}) });
}
