/**
 * What the target's rows reference: the authority for "stale". An object of ours that any row of the target
 * still names by its public URL (a coach's photo, a category's icon) is in use, whichever out/ remove-images
 * was given; one that only a before-image in the ledger names is needed by a rollback (rollback.sql would put
 * that URL back). Every text and JSON column of every table outside PostgreSQL's own schemas is read, so no
 * column the app or a later mapping adds is missed.
 */
import pg from 'pg';
import { MigrateError } from '../errors.js';
import { BUCKETS, type Bucket } from '../images/object-path.js';
import { redactUrl } from '../db/target-db.js';

const COLUMNS_SQL = `SELECT table_schema AS s, quote_ident(table_schema) || '.' || quote_ident(table_name) AS t, quote_ident(column_name) AS c
  FROM information_schema.columns
  WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'
    AND data_type IN ('text', 'character varying', 'json', 'jsonb')
    AND (table_schema, table_name) IN (SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')
  ORDER BY 1, 2`;

/** `bucket/path` of every public object URL of our buckets in `text` (any host: a URL for another project still names the path). */
export function referencedKeys(text: string): string[] {
  const keys: string[] = [];
  for (const m of text.matchAll(/\/storage\/v1\/object\/public\/([a-z-]+)\/([^"'\s?#\\]+)/g))
    if (BUCKETS.includes(m[1] as Bucket)) keys.push(`${m[1]}/${m[2]}`);
  return keys;
}

/** Who needs an object: a row of the target, or only a rollback (the ledger's before-images). */
export type Reference = 'row' | 'rollback';

/** The schema the ledger keeps its before-images in (lib/sql/ledger.ts). */
const LEDGER_SCHEMA = 'totalis_migrate';

/** `bucket/path` of every object of ours the target database names, and who needs it; one read-only snapshot. */
export async function referencedImages(url: string): Promise<Map<string, Reference>> {
  const client = new pg.Client({ connectionString: url });
  const used = new Map<string, Reference>();
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const cols = (await client.query<{ s: string; t: string; c: string }>(COLUMNS_SQL)).rows;
    for (const { s, t, c } of cols) {
      const rows = (
        await client.query<{ v: string }>(
          `SELECT ${c}::text AS v FROM ${t} WHERE ${c}::text LIKE '%/storage/v1/object/public/%'`,
        )
      ).rows;
      const by: Reference = s === LEDGER_SCHEMA ? 'rollback' : 'row';
      for (const r of rows) for (const k of referencedKeys(r.v)) if (used.get(k) !== 'row') used.set(k, by);
    }
    await client.query('ROLLBACK');
    return used;
  } catch (e) {
    throw new MigrateError(
      'DB_FAILED',
      `reading which images the target database ${redactUrl(url)} references: ${(e as Error).message}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
