/** What the re-run tests share (rerun-safety, app-edits): the samples transformed, a case run on both databases. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform, type TransformOptions } from '../../lib/pipeline/transform.js';
import { needsPg } from './pg.js';
import { pgliteDb, psqlDb, type TestDb } from './target.js';

export const TARGET = readFileSync('schemas/target.sql', 'utf8');
export const file = (out: string, f: string): string => readFileSync(join(out, f), 'utf8');

/** The samples transformed into `out` with these options. */
export async function transform(out: string, opts: Partial<TransformOptions> = {}): Promise<string> {
  await runTransform({
    dump: ['samples'],
    out,
    sourceTimezone: 'UTC',
    strict: false,
    breakCycles: false,
    env: {},
    ...opts,
  });
  return out;
}

/** `body` on PGlite, and on PostgreSQL through psql when DATABASE_URL is set (database <prefix>_<name>). */
export function onBoth(prefix: string, name: string, body: (t: Test, db: TestDb) => Promise<void>): void {
  t.test(`${name} (PGlite)`, async (t) => body(t, await pgliteDb(t)));
  t.test(`${name} (PostgreSQL through psql)`, { ...needsPg }, async (t) =>
    body(
      t,
      psqlDb(
        t,
        `${prefix}_${name
          .replace(/[^a-z0-9]+/gi, '_')
          .toLowerCase()
          .slice(0, 40)}`,
      ),
    ),
  );
}
