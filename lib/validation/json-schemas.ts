/**
 * Our JSON Schemas (schemas/**.schema.json), as validators compiled ahead of time: validators.ts is ajv's
 * standalone code, made by build-validators.mjs (`make validators`) and checked against the schemas by
 * tests/json-schemas.test.ts. Compiling at run time cost every command ~50 ms of start-up (loading ajv's
 * compiler, then compiling each schema on first use); the checks made are the same.
 * JSON has no bytes, so the legacy schemas use one custom keyword, `bytea`: a Buffer or null.
 */
import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { validators } from './validators.js';

const SCHEMAS = new URL('../../schemas/', import.meta.url);
/** What ajv's standalone code exports: the check, and the first error of the last failed check. */
export interface Validator<T> {
  (data: unknown): data is T;
  errors?: ErrorObject[] | null;
}

// The generated file is not type-checked (@ts-nocheck): its functions return boolean and set .errors, which
// is this interface; tests/json-schemas.test.ts runs each against valid and invalid data.
const byPath = validators as unknown as Readonly<Record<string, Validator<unknown> | undefined>>;

/** The schema file, parsed: `legacy/tls_coach.schema.json`, relative to schemas/. */
export function loadJsonSchema(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, SCHEMAS), 'utf8')) as Record<string, unknown>;
}

export function schemaValidator<T = unknown>(path: string): Validator<T> {
  const v = byPath[path];
  if (v === undefined) throw new Error(`no compiled validator for schemas/${path}: run make validators`);
  return v as Validator<T>;
}
