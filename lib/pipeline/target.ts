/**
 * Which target the output is made for (issue 31): a live database (`--target-db`), a schema dump and a data dump
 * (`--target-schema`, `--target-data`), or, with neither, the fresh project schemas/target.sql makes (null).
 */
import { describeTargetDb, describeTargetFiles } from '../db/introspect.js';
import { MigrateError } from '../errors.js';
import type { TargetDescription } from '../sql/target-model/shape.js';

export interface TargetOptions {
  readonly db?: string;
  readonly schema?: string;
  readonly data?: string;
}

export async function readTarget(t: TargetOptions | undefined): Promise<TargetDescription | null> {
  if (t === undefined || (t.db === undefined && t.schema === undefined && t.data === undefined)) return null;
  if (t.db !== undefined && (t.schema !== undefined || t.data !== undefined))
    throw new MigrateError(
      'OPTION_INVALID',
      '--target-db and --target-schema/--target-data describe the same target twice: give one or the other',
    );
  if (t.db !== undefined) return describeTargetDb(t.db);
  if (t.schema === undefined)
    throw new MigrateError('OPTION_INVALID', '--target-data needs --target-schema (the tables its rows belong to)');
  return describeTargetFiles(t.schema, t.data);
}
