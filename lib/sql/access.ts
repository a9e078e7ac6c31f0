/**
 * Access as Supabase serves the target (docs/access.md): the SQL that sets up Supabase's roles where they are
 * missing (a rehearsal target: PGlite, a scratch database), and the SQL that proves, as one role, what that
 * role may read and that every write is refused. schemas/target.sql itself holds the policies.
 */
import { quoteIdent, quoteInt } from './literals.js';

/** The tables the migration writes, as the access model covers them. */
export const ACCESS_TABLES = ['coaches', 'categories', 'app_config'] as const;
export type AccessTable = (typeof ACCESS_TABLES)[number];

/** What a role that does not bypass row-level security sees of each table. */
export const VISIBLE_WHEN: Readonly<Record<AccessTable, string>> = {
  coaches: 'is_active',
  categories: 'is_active',
  app_config: 'is_public',
};

/**
 * Supabase's roles and default privileges, for a target that lacks them, as supabase/postgres sets them up
 * (its roles migration and `ALTER DEFAULT PRIVILEGES ... GRANT ALL ON TABLES TO anon, authenticated,
 * service_role`): anon and authenticated are ordinary roles, service_role bypasses row-level security. Run
 * before schemas/target.sql, by the role that creates the tables, as in a Supabase project. A stand-in:
 * docs/access.md says which real behaviour each line imitates.
 */
export function supabaseRolesSql(): string {
  return `DO $roles$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; END IF;
END
$roles$;
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
`;
}

/**
 * One transaction, rolled back whatever happens, that checks as `role`: it sees exactly `visible` rows of each
 * table, and an insert, an update and a delete on each are refused or touch no row. Raises, naming the table
 * and the operation, on the first difference.
 */
export function accessCheckSql(role: string, visible: Readonly<Record<AccessTable, number>>): string {
  const checks = ACCESS_TABLES.map((t) => {
    const table = `public.${quoteIdent(t)}`;
    const insert =
      t === 'app_config'
        ? `INSERT INTO ${table} (key, value, is_public) VALUES ('access_check', '1', true)`
        : `INSERT INTO ${table} (legacy_id, name) VALUES (-1, 'access check')`;
    const tryWrite = (what: string, sql: string): string => `  BEGIN
    ${sql};
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n > 0 THEN RAISE EXCEPTION 'access: ${role} could ${what} ${t} (% rows)', v_n; END IF;
  EXCEPTION WHEN insufficient_privilege THEN NULL; -- refused: as it must be
  END;`;
    return `  SELECT count(*) INTO v_n FROM ${table};
  IF v_n <> ${quoteInt(visible[t])} THEN RAISE EXCEPTION 'access: ${role} sees % rows of ${t}, expected ${visible[t]} (${VISIBLE_WHEN[t]})', v_n; END IF;
${tryWrite('insert into', insert)}
${tryWrite('update', `UPDATE ${table} SET created_at = created_at`)}
${tryWrite('delete from', `DELETE FROM ${table}`)}`;
  });
  return `BEGIN;
SET LOCAL ROLE ${quoteIdent(role)};
DO $access$
DECLARE
  v_n bigint;
BEGIN
${checks.join('\n')}
  RAISE NOTICE 'access: ${role} reads only what is public and writes nothing';
END
$access$;
ROLLBACK;
`;
}
