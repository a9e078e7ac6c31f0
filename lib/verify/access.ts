/**
 * `verify --db` on a real target (issue 31 item 5): what anon and authenticated can read and write on the three
 * tables, as PostgREST runs them (SET ROLE plus request.jwt.claims, inside a transaction that is rolled back, so
 * nothing stays), and whether the policies and grants are still those the target had when transform read it
 * (out/target.json). A migration, or anyone between apply and verify, that widened or narrowed access fails it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { MigrateError } from '../errors.js';
import { ACCESS_LINES_SQL } from '../sql/target-model/shape.js';
import { TARGET_RECORD_FILE, type TargetRecord } from '../sql/target-model/target-record.js';

const TABLES = [
  { table: 'coaches', key: 'id' },
  { table: 'categories', key: 'id' },
  { table: 'app_config', key: 'key' },
] as const;
export const ROLES = ['anon', 'authenticated'] as const;

export interface AccessResult {
  /** One line per role and table: rows read, rows it could update and delete, whether it may insert. */
  readonly table: readonly string[];
  /** Policies and grants the target has now that it did not have when transform read it. */
  readonly added: readonly string[];
  /** ... and those it had then that are gone. */
  readonly removed: readonly string[];
}

/** The record transform wrote for a real target; null for the fresh project's output (no target was read). */
export async function readTargetRecord(out: string): Promise<TargetRecord | null> {
  let text: string;
  try {
    text = await readFile(join(out, TARGET_RECORD_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    return JSON.parse(text) as TargetRecord;
  } catch (e) {
    throw new MigrateError(
      'INPUT_NOT_A_DUMP',
      `${join(out, TARGET_RECORD_FILE)}: not the JSON transform writes (${(e as Error).message})`,
      { file: join(out, TARGET_RECORD_FILE) },
    );
  }
}

/** What a statement does as the role, in a savepoint always undone; 'refused' when the role may not run it. */
async function tryAs(
  client: pg.Client,
  sql: string,
  pick: (r: pg.QueryResult<{ n?: string }>) => string,
): Promise<string> {
  await client.query('SAVEPOINT totalis_try');
  try {
    return pick(await client.query<{ n?: string }>(sql));
  } catch (e) {
    // refused by privilege; anything else (a foreign key that stops a delete, a check) is named by its code
    const code = (e as { code?: string }).code;
    return code === '42501' ? 'refused' : `stopped (${code ?? (e as Error).message})`;
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT totalis_try');
  }
}

const rowCount = (r: pg.QueryResult): string => String(r.rowCount ?? 0);

async function roleLines(client: pg.Client, role: string): Promise<string[]> {
  const out: string[] = [];
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL ROLE ${role}`);
    await client.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ role })]);
    for (const { table, key } of TABLES) {
      const read = await tryAs(client, `SELECT count(*)::text AS n FROM public.${table}`, (r) => r.rows[0]!.n!);
      const update = await tryAs(client, `UPDATE public.${table} SET ${key} = ${key}`, rowCount);
      const del = await tryAs(client, `DELETE FROM public.${table}`, rowCount);
      // row-level security checks a new row before NOT NULL and the other constraints: 'refused' is RLS or grants
      const insert = await tryAs(client, `INSERT INTO public.${table} DEFAULT VALUES`, rowCount);
      out.push(`${role} ${table}: reads ${read}, updates ${update}, deletes ${del}, inserts ${insert}`);
    }
  } finally {
    await client.query('ROLLBACK');
  }
  return out;
}

/** A client of the target, connected; a failure to connect is one line (DB_FAILED), never a stack trace. */
export async function connectTarget(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new MigrateError('DB_FAILED', `cannot connect to the target: ${(e as Error).message}`);
  }
  return client;
}

export async function checkAccess(url: string, record: TargetRecord): Promise<AccessResult> {
  const client = await connectTarget(url);
  try {
    const now = (await client.query<{ a: string[] }>(`SELECT ${ACCESS_LINES_SQL} AS a`)).rows[0]!.a;
    const table: string[] = [];
    for (const role of ROLES) table.push(...(await roleLines(client, role)));
    return {
      table,
      added: now.filter((l) => !record.access.includes(l)),
      removed: record.access.filter((l) => !now.includes(l)),
    };
  } finally {
    await client.end();
  }
}

export function formatAccess(r: AccessResult): string {
  const lines = [
    'access as PostgREST runs it (SET ROLE, request.jwt.claims; rolled back):',
    ...r.table.map((l) => `  ${l}`),
  ];
  if (r.added.length + r.removed.length === 0)
    lines.push('access: the policies and grants on the three tables are those the target had when transform read it');
  for (const l of r.added) lines.push(`access changed: added since transform read the target: ${l}`);
  for (const l of r.removed) lines.push(`access changed: gone since transform read the target: ${l}`);
  return lines.join('\n') + '\n';
}
