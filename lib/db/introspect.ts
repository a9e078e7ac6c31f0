/**
 * Reads the target as it really is (issue 31), read-only and in one snapshot: `--target-db URL` (a live
 * database: one REPEATABLE READ READ ONLY transaction), or `--target-schema FILE` plus `--target-data FILE` (a
 * `pg_dump --schema-only`/`supabase db dump` and a data-only dump with --inserts), loaded into an embedded
 * PostgreSQL (PGlite) here, so PostgreSQL itself reads them exactly, and then read by the same query.
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { MigrateError } from '../errors.js';
import {
  DESCRIBE_SQL,
  MODEL_TABLES,
  OWNED_SQL,
  rowsSql,
  type TableShape,
  type TargetDescription,
} from '../sql/target-model/shape.js';
import {
  ADOPTED_SQL,
  REFUSING_KEYS_SQL,
  referencingRowsSql,
  WRITTEN_EDITS_SQL,
  type LedgerView,
  type Reference,
  type RefusingKey,
  type WrittenEdit,
} from '../sql/target-model/advance-sql.js';
import { parseExactJson } from '../transform/exact-json.js';
import type { JsonValue, TargetTable } from '../transform/target-rows.js';
import { probeRoleAccess } from './role-probe.js';
import { dbError, lineOf, redactUrl } from './target-db.js';

/**
 * What a Supabase schema dump assumes exists before it: the API roles, and the auth functions policies call
 * (as PostgREST sets the JWT claims). No default privileges: the dump's own GRANTs are the grants.
 */
export const SUPABASE_STUBS_SQL = `DO $stubs$BEGIN
 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; END IF;
END$stubs$;
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
CREATE SCHEMA IF NOT EXISTS auth;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
CREATE TABLE IF NOT EXISTS auth.users (id uuid PRIMARY KEY, email varchar(255));
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS
$f$ SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid $f$;
CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS
$f$ SELECT coalesce(nullif(current_setting('request.jwt.claim.role', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text $f$;
CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS
$f$ SELECT coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb $f$;
DO $stubs$BEGIN
 IF to_regprocedure('public.uuid_generate_v4()') IS NULL THEN
  CREATE FUNCTION public.uuid_generate_v4() RETURNS uuid LANGUAGE sql VOLATILE AS 'SELECT gen_random_uuid()';
 END IF;
END$stubs$;
`;

type Scalar = (sql: string) => Promise<string>;

/** Runs in a transaction the caller rolls back (the role probe sets the role and the claims in it). */
async function describe(source: string, scalar: Scalar): Promise<TargetDescription> {
  const parsed = parseExactJson(await scalar(DESCRIBE_SQL)) as {
    tables: Record<string, unknown>;
    access: string[];
    ledger: boolean;
  };
  const missing = MODEL_TABLES.filter((t) => parsed.tables[t] === null);
  if (missing.length > 0) {
    throw new MigrateError(
      'TARGET_INVALID',
      `${source}: no table public.${missing.join(', public.')}: the target must have coaches, categories and app_config (a fresh project: leave out --target-db/--target-schema)`,
    );
  }
  const tables = {} as Record<TargetTable, TableShape>;
  for (const t of MODEL_TABLES) {
    const shape = parsed.tables[t] as Omit<TableShape, 'rows'>;
    tables[t] = { ...shape, rows: parseExactJson(await scalar(rowsSql(t))) as Record<string, JsonValue>[] };
  }
  const owned = parsed.ledger ? (parseExactJson(await scalar(OWNED_SQL)) as string[]) : [];
  const ledger = parsed.ledger ? await readLedger(scalar) : null;
  return { source, tables, access: parsed.access, roles: await probeRoleAccess(scalar), owned, ledger };
}

const json = async <T>(scalar: Scalar, sql: string): Promise<T> => JSON.parse(await scalar(sql)) as T;

/**
 * The ledger's record of the latest standing run compared with the rows as they are, the adopted rows, and the rows
 * that reference an owned row through a key that refuses a delete: what transform lists in advance (advance.ts).
 */
async function readLedger(scalar: Scalar): Promise<LedgerView> {
  // a ledger older than version 2 has no record of what a run left: no edits can be told (migration.sql refuses it)
  const hasWritten = (await scalar(`SELECT to_regclass('totalis_migrate.written') IS NOT NULL`)) === 'true';
  const edits = hasWritten ? await json<WrittenEdit[]>(scalar, WRITTEN_EDITS_SQL) : [];
  const adopted = await json<string[]>(scalar, ADOPTED_SQL);
  const references: Reference[] = [];
  for (const k of await json<RefusingKey[]>(scalar, REFUSING_KEYS_SQL))
    references.push(...(await json<Reference[]>(scalar, referencingRowsSql(k))));
  return { edits, adopted, references };
}

/** `--target-db URL`: a live database, read in one read-only snapshot. */
export async function describeTargetDb(url: string): Promise<TargetDescription> {
  const client = new pg.Client({ connectionString: url });
  const where = `the target database ${redactUrl(url)}`;
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const d = await describe(`--target-db ${redactUrl(url)}`, async (sql) =>
      String(Object.values((await client.query<Record<string, unknown>>(sql)).rows[0] ?? {})[0] ?? ''));
    await client.query('ROLLBACK');
    return d;
  } catch (e) {
    if (e instanceof MigrateError) throw e;
    throw new MigrateError('DB_FAILED', `${where}: ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** psql meta-commands (pg_dump's `\restrict` lines) are psql's, not SQL: left out, lines kept in place. */
export const withoutMetaCommands = (sql: string): string => sql.replace(/^\\.*$/gm, '');

/** `--target-schema FILE --target-data FILE`: the dumps loaded into an embedded PostgreSQL, then read alike. */
export async function describeTargetFiles(
  schemaPath: string,
  dataPath: string | undefined,
): Promise<TargetDescription> {
  const db = await PGlite.create();
  try {
    const load = async (path: string, label: string): Promise<void> => {
      let sql: string;
      try {
        sql = withoutMetaCommands(await readFile(path, 'utf8'));
      } catch (e) {
        throw new MigrateError('TARGET_INVALID', `${label} ${path}: ${(e as Error).message}`, { file: path });
      }
      try {
        await db.exec(sql);
      } catch (e) {
        const err = e as { message: string; position?: string | number };
        throw dbError(
          `${label} ${path}`,
          err.message,
          err.position !== undefined ? lineOf(sql, Number(err.position)) : undefined,
        );
      }
      await db.exec('RESET ALL'); // pg_dump empties search_path and turns row_security off
    };
    await db.exec(SUPABASE_STUBS_SQL);
    await load(schemaPath, '--target-schema');
    if (dataPath !== undefined) await load(dataPath, '--target-data');
    const source = `--target-schema ${schemaPath.split('/').pop()!}${dataPath !== undefined ? ` --target-data ${dataPath.split('/').pop()!}` : ''}`;
    await db.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const d = await describe(source, async (sql) =>
      String(Object.values((await db.query<Record<string, unknown>>(sql)).rows[0] ?? {})[0] ?? ''),
    );
    await db.exec('ROLLBACK');
    return d;
  } finally {
    await db.close();
  }
}
