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
import { probeRoleAccess, widenings } from '../db/role-probe.js';
import { accessLine, type RoleTableAccess } from '../sql/role-access.js';
import { ACCESS_LINES_SQL } from '../sql/target-model/shape.js';
import { TARGET_RECORD_FILE, type TargetRecord } from '../sql/target-model/target-record.js';

export interface AccessResult {
  /** One line per role and table: rows read, rows it could update and delete, what it may insert (now). */
  readonly table: readonly string[];
  /** The same lines as transform recorded them, where they differ from now (null: an older target.json). */
  readonly then: readonly string[] | null;
  /** How access widened since transform read the target (role-probe.ts widenings): verify fails on any. */
  readonly widened: readonly string[];
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

/**
 * The role-by-role table now, and how access widened since `then` (none given: nothing judged): the probe
 * transform runs, read-only as there, in a transaction rolled back.
 */
async function probeSince(
  client: pg.Client,
  then: readonly RoleTableAccess[] | undefined,
): Promise<{ roles: RoleTableAccess[]; widened: string[] }> {
  const scalar = async (sql: string): Promise<string> =>
    String(Object.values((await client.query<Record<string, unknown>>(sql)).rows[0] ?? {})[0] ?? '');
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const roles = await probeRoleAccess(scalar);
    return { roles, widened: then === undefined ? [] : await widenings(scalar, then, roles) };
  } finally {
    await client.query('ROLLBACK');
  }
}

/** probeSince on its own connection (rehearse: before the migration, and after it against what it was). */
export async function roleAccessAt(
  url: string,
  then?: readonly RoleTableAccess[],
): Promise<{ roles: RoleTableAccess[]; widened: string[] }> {
  const client = await connectTarget(url);
  try {
    return await probeSince(client, then);
  } finally {
    await client.end();
  }
}

export async function checkAccess(url: string, record: TargetRecord): Promise<AccessResult> {
  const client = await connectTarget(url);
  try {
    const now = (await client.query<{ a: string[] }>(`SELECT ${ACCESS_LINES_SQL} AS a`)).rows[0]!.a;
    const { roles, widened } = await probeSince(client, record.roles);
    const table = roles.map(accessLine);
    return {
      table,
      then: record.roles === undefined ? null : record.roles.map(accessLine).filter((l) => !table.includes(l)),
      widened,
      added: now.filter((l) => !record.access.includes(l)),
      removed: record.access.filter((l) => !now.includes(l)),
    };
  } finally {
    await client.end();
  }
}

export function formatAccess(r: AccessResult): string {
  const lines = [
    'access as PostgREST runs it (SET ROLE, request.jwt.claims; read-only, rolled back), now:',
    ...r.table.map((l) => `  ${l}`),
  ];
  if (r.then === null)
    lines.push('access: out/target.json has no role-by-role table (an older transform): widening not judged');
  if (r.then !== null && r.then.length > 0)
    lines.push('when transform read the target (the lines that differ):', ...r.then.map((l) => `  was: ${l}`));
  if (r.then !== null && r.widened.length === 0)
    lines.push('access: anon and authenticated reach no row and no write the rules transform read did not allow them');
  for (const l of r.widened) lines.push(`access widened: ${l}`);
  if (r.added.length + r.removed.length === 0)
    lines.push('access: the policies and grants on the three tables are those the target had when transform read it');
  for (const l of r.added) lines.push(`access changed: added since transform read the target: ${l}`);
  for (const l of r.removed) lines.push(`access changed: gone since transform read the target: ${l}`);
  return lines.join('\n') + '\n';
}
