/**
 * The target as it really is (issue 31): the three tables' columns, types, defaults, constraints, triggers,
 * policies and grants, and their current rows, read in one snapshot from a live database (lib/db/introspect.ts,
 * `transform --target-db`) or from a schema dump and a data dump loaded into an embedded PostgreSQL
 * (`--target-schema`/`--target-data`). Without either the target is the fresh project schemas/target.sql makes,
 * and none of this is used. Pure: the types, and the one query both readers and verify.sql run.
 */
import type { JsonValue } from '../../transform/target-rows.js';
import type { TargetTable } from '../../transform/target-rows.js';
import { MODEL } from '../../transform/model/tables.js';
import type { LedgerView } from './advance-sql.js';
import type { RoleTableAccess } from '../role-access.js';

export const MODEL_TABLES: readonly TargetTable[] = MODEL.map((m) => m.table);

export interface ColumnShape {
  readonly name: string;
  /** format_type(): `text`, `integer`, `uuid`, `jsonb`, `timestamp with time zone`, `character varying(20)`... */
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
}

export interface TableShape {
  readonly columns: readonly ColumnShape[];
  /** CHECK, UNIQUE, PRIMARY KEY and FOREIGN KEY constraints as pg_get_constraintdef gives them. */
  readonly constraints: readonly { readonly name: string; readonly type: string; readonly def: string }[];
  readonly triggers: readonly { readonly name: string; readonly def: string }[];
  readonly rowSecurity: boolean;
  readonly rows: readonly Readonly<Record<string, JsonValue>>[];
}

export interface TargetDescription {
  /** Where it was read from, for report.md and review.html (no password). */
  readonly source: string;
  readonly tables: Readonly<Record<TargetTable, TableShape>>;
  /** Policies and grants of the three tables, one line each, sorted: compared before and after (verify.sql). */
  readonly access: readonly string[];
  /** What anon and authenticated may read and write on each table, probed as each role (lib/db/role-probe.ts). */
  readonly roles: readonly RoleTableAccess[];
  /** The ledger's owned keys, `table key`, when the target has a ledger already (a re-run). */
  readonly owned: readonly string[];
  /** The app's edits since the last run and the rows it references, read from the ledger (null: no ledger). */
  readonly ledger: LedgerView | null;
}

/**
 * One line per policy and per grant on the three tables, sorted: `policy <table> <name> <cmd> to <roles>
 * using <qual> check <with_check>` and `grant <table> <grantee> <privilege>`. The same expression runs at
 * transform time and in verify.sql, so a policy or grant a migration added or dropped is a difference.
 */
export const ACCESS_LINES_SQL = `(SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM (
  SELECT format('policy %s %s %s to %s using %s check %s', p.tablename, p.policyname, p.cmd, array_to_string(p.roles, ','), coalesce(p.qual, '-'), coalesce(p.with_check, '-')) AS x
    FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename IN ('coaches', 'categories', 'app_config')
  UNION ALL
  SELECT format('grant %s %s %s', c.relname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END, a.privilege_type)
    FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
   WHERE c.relnamespace = 'public'::regnamespace AND c.relname IN ('coaches', 'categories', 'app_config') AND c.relkind = 'r'
     AND a.grantee <> c.relowner) s)`;

/** One statement, so one snapshot: the whole description as one JSON text (tables that are missing are null). */
export const DESCRIBE_SQL = `SELECT jsonb_build_object(
  'tables', (SELECT jsonb_object_agg(t.name, CASE WHEN to_regclass('public.' || t.name) IS NULL THEN NULL ELSE jsonb_build_object(
    'columns', (SELECT jsonb_agg(jsonb_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull,
                 'default', pg_get_expr(d.adbin, d.adrelid)) ORDER BY a.attnum)
                  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attrelid = to_regclass('public.' || t.name) AND a.attnum > 0 AND NOT a.attisdropped),
    'constraints', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', c.conname, 'type', c.contype, 'def', pg_get_constraintdef(c.oid)) ORDER BY c.conname), '[]')
                      FROM pg_constraint c WHERE c.conrelid = to_regclass('public.' || t.name)),
    'triggers', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', g.tgname, 'def', pg_get_triggerdef(g.oid)) ORDER BY g.tgname), '[]')
                   FROM pg_trigger g WHERE g.tgrelid = to_regclass('public.' || t.name) AND NOT g.tgisinternal),
    'rowSecurity', (SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass('public.' || t.name)))
  END) FROM (VALUES ('coaches'), ('categories'), ('app_config')) t(name)),
  'access', to_jsonb(${ACCESS_LINES_SQL}),
  'ledger', to_regclass('totalis_migrate.owned') IS NOT NULL
)::text`;

/** The ledger's owned keys (only where the target has the ledger: a re-run). */
export const OWNED_SQL = `SELECT coalesce(jsonb_agg(tbl || ' ' || key ORDER BY tbl, key), '[]')::text FROM totalis_migrate.owned`;

/** The rows of one table, as JSON (numbers exact: parsed by parseExactJson), in key order. */
export const rowsSql = (table: TargetTable): string =>
  `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY ${table === 'app_config' ? 't.key' : 't.id'}), '[]')::text FROM public.${table} t`;
