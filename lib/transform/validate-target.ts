/**
 * Every target row is checked against schemas/target/<table>.schema.json (ajv) before anything is written.
 * The row is checked as the JSON that data/<table>.json will hold (as JSON.parse would read it back).
 */
import { MigrateError } from '../errors.js';
import { schemaValidator } from '../validation/json-schemas.js';
import { plainJson } from './exact-json.js';
import type { JsonValue, TargetTable } from './target-rows.js';

export function validateTargetRows(table: TargetTable, rows: readonly object[], label: (r: object) => string): void {
  const v = schemaValidator(`target/${table}.schema.json`);
  for (const r of rows) {
    const json = plainJson(r as JsonValue);
    if (!v(json)) {
      const err = v.errors?.[0];
      throw new MigrateError(
        'TARGET_INVALID',
        `${label(r)} does not fit schemas/target/${table}.schema.json: ${err?.instancePath.replace(/^\//, '') || 'row'} ${err?.message ?? 'is invalid'}`,
        { table },
      );
    }
  }
}
