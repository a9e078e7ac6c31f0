/**
 * Every legacy record is checked against its table's JSON Schema (schemas/legacy/<table>.schema.json).
 */
import { MigrateError } from '../errors.js';
import { loadJsonSchema, schemaValidator } from '../validation/json-schemas.js';
import type { LegacyTableName } from './schema.js';

export function loadLegacyJsonSchema(table: LegacyTableName): Record<string, unknown> {
  return loadJsonSchema(`legacy/${table}.schema.json`);
}

/** Throws VALUE_SCHEMA naming the column when the record does not fit its table's schema. */
export function validateLegacyRecord(table: LegacyTableName, record: object): void {
  const v = schemaValidator(`legacy/${table}.schema.json`);
  if (v(record)) return;
  const err = v.errors?.[0];
  const column = err?.instancePath.replace(/^\//, '') || undefined;
  throw new MigrateError(
    'VALUE_SCHEMA',
    `the ${table} record does not fit schemas/legacy/${table}.schema.json: ${column ?? 'record'} ${err?.message ?? 'is invalid'}`,
    { table, ...(column !== undefined ? { column } : {}) },
  );
}
