/**
 * `verify --db` on a real target's output (out/target.json): out/data holds the rows in the fresh project's shape,
 * which reconcile.ts compares column by column and the real target does not have. The rows are checked instead by
 * out/verify.sql, which transform wrote in the target's own shape (its columns, the metadata keys, the ledger's
 * legacy ids, adopted rows, default_coach, no doubled name or path); it runs in one transaction it rolls back.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrateError } from '../errors.js';
import { connectTarget } from './access.js';

/** null when verify.sql passes; else the first check that failed, as PostgreSQL said it. */
export async function runVerifySql(url: string, out: string): Promise<string | null> {
  const file = join(out, 'verify.sql');
  let sql: string;
  try {
    sql = await readFile(file, 'utf8');
  } catch {
    throw new MigrateError('INPUT_NOT_FOUND', `no ${file}: run transform first`, { file });
  }
  const client = await connectTarget(url);
  try {
    await client.query(sql);
    return null;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    return (e as Error).message;
  } finally {
    await client.end();
  }
}
