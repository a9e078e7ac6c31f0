/**
 * Our JSON Schemas (schemas/**.schema.json), compiled by one ajv instance, each on first use. One
 * instance, and no meta-schema: compiling draft-07's meta-schema took ~30 ms for each of the three
 * instances we used to make at every start, and it only checks that our own schemas are well written,
 * which tests/json-schemas.test.ts does once (strict mode still refuses an unknown keyword here).
 * JSON has no bytes, so the legacy schemas use one custom keyword, `bytea`: a Buffer or null.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMAS = new URL('../../schemas/', import.meta.url);

let ajv: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();

/** The schema file, parsed: `legacy/tls_coach.schema.json`, relative to schemas/. */
export function loadJsonSchema(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, SCHEMAS), 'utf8')) as Record<string, unknown>;
}

export function schemaValidator<T = unknown>(path: string): ValidateFunction<T> {
  let v = compiled.get(path);
  if (v === undefined) {
    if (ajv === null) {
      ajv = new Ajv({ strict: true, allErrors: false, meta: false, validateSchema: false });
      ajv.addKeyword({ keyword: 'bytea', schemaType: 'boolean', validate: (_s: boolean, data: unknown) => data === null || Buffer.isBuffer(data) });
    }
    v = ajv.compile(loadJsonSchema(path));
    compiled.set(path, v);
  }
  return v as ValidateFunction<T>;
}
