/**
 * Which target the output is made for (issue 31): a live database (`--target-db`), a schema dump and a data dump
 * (`--target-schema`, `--target-data`), or, with neither, the fresh project schemas/target.sql makes (null).
 */
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
  if (t.db === undefined && t.schema === undefined)
    throw new MigrateError('OPTION_INVALID', '--target-data needs --target-schema (the tables its rows belong to)');
  // pg and PGlite are loaded only for a real target: every other transform starts without them (docs/performance.md)
  const { describeTargetDb, describeTargetFiles } = await import('../db/introspect.js');
  return t.db !== undefined ? describeTargetDb(t.db) : describeTargetFiles(t.schema!, t.data);
}
