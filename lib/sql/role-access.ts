/**
 * The role-by-role access table of a real target (issue 31 item 5, docs/access.md): what anon and authenticated
 * may read, update, delete and insert on the three tables, as PostgREST runs them. Read-only by design: transform
 * reads it from a live target whose rows nobody may touch, so no write is ever tried. Instead each role's rule
 * is taken from the catalog (grants, row-level security, the policies that apply to the role) as PostgreSQL
 * combines them (permissive ones OR'd, restrictive ones AND'ed), and its rows are counted as the role. Pure: the
 * SQL and the rules; lib/db/role-probe.ts runs them.
 */
import { quoteIdent, quoteString } from './literals.js';

export const PROBE_ROLES = ['anon', 'authenticated'] as const;
export const PROBE_TABLES = ['coaches', 'categories', 'app_config'] as const;
export const WRITES = ['updates', 'deletes', 'inserts'] as const;
export type Op = 'reads' | (typeof WRITES)[number];

/** One operation's rule: the row condition it is allowed under (null: not at all), and the rows it reaches. */
export interface OpAccess {
  /** `true` (no row-level security, or the role bypasses it), a policy condition, or null (never allowed). */
  readonly when: string | null;
  /** Rows it reaches now, counted as the role (null for inserts, and where the role cannot count them). */
  readonly rows: number | null;
}

export interface RoleTableAccess {
  readonly role: string;
  readonly table: string;
  readonly reads: OpAccess;
  readonly updates: OpAccess;
  readonly deletes: OpAccess;
  readonly inserts: OpAccess;
}

/** What the catalog says of one table for one role (roleCatalogSql). */
export interface TableCatalog {
  readonly table: string;
  readonly rls: boolean;
  readonly bypass: boolean;
  readonly grants: Readonly<Record<Op, boolean>>;
  readonly policies: readonly {
    readonly permissive: boolean;
    /** pg_policy.polcmd: r select, a insert, w update, d delete, * all. */
    readonly cmd: string;
    readonly qual: string | null;
    readonly check: string | null;
  }[];
}

const CMD: Readonly<Record<Op, string>> = { reads: 'r', updates: 'w', deletes: 'd', inserts: 'a' };
const PRIVILEGE: Readonly<Record<Op, string>> = {
  reads: 'SELECT',
  updates: 'UPDATE',
  deletes: 'DELETE',
  inserts: 'INSERT',
};

/** The catalog of the three tables for `role`, one JSON text; 'null' when the server has no such role. */
export function roleCatalogSql(role: string): string {
  const r = quoteString(role);
  const grants = (Object.keys(PRIVILEGE) as Op[])
    .map((op) => `${quoteString(op)}, has_table_privilege(${r}, c.oid, ${quoteString(PRIVILEGE[op])})`)
    .join(', ');
  return `SELECT CASE WHEN to_regrole(${r}) IS NULL THEN 'null' ELSE (SELECT coalesce(jsonb_agg(jsonb_build_object(
    'table', t.name, 'rls', c.relrowsecurity, 'bypass', (SELECT rolbypassrls FROM pg_roles WHERE rolname = ${r}),
    'grants', jsonb_build_object(${grants}),
    'policies', (SELECT coalesce(jsonb_agg(jsonb_build_object('permissive', p.polpermissive, 'cmd', p.polcmd::text,
        'qual', pg_get_expr(p.polqual, p.polrelid), 'check', pg_get_expr(p.polwithcheck, p.polrelid)) ORDER BY p.polname), '[]')
      FROM pg_policy p WHERE p.polrelid = c.oid
       AND (0::oid = ANY (p.polroles) OR EXISTS (SELECT FROM unnest(p.polroles) x WHERE x <> 0 AND pg_has_role(${r}, x, 'MEMBER'))))
  ) ORDER BY t.name), '[]') FROM (VALUES ${PROBE_TABLES.map((t) => `(${quoteString(t)})`).join(', ')}) t(name)
    JOIN pg_class c ON c.oid = to_regclass('public.' || t.name))::text END`;
}

/** Sets the role and the claims PostgREST sets for a request with that role's key. */
export const asRoleSql = (role: string): string[] => [
  `SET LOCAL ROLE ${quoteIdent(role)}`,
  `SELECT set_config('request.jwt.claims', ${quoteString(JSON.stringify({ role }))}, true)`,
];

/**
 * The condition under which `op` is allowed, as PostgreSQL applies the policies: none without the privilege;
 * every row without row-level security or for a role that bypasses it; else the permissive policies for the
 * command (or ALL) OR'd, and the restrictive ones AND'ed; no permissive policy, no row. An insert is judged by
 * WITH CHECK (USING where a policy has none), the others by USING.
 */
export function ruleOf(c: TableCatalog, op: Op): string | null {
  if (!c.grants[op]) return null;
  if (!c.rls || c.bypass) return 'true';
  const applying = c.policies.filter((p) => p.cmd === CMD[op] || p.cmd === '*');
  const cond = (p: TableCatalog['policies'][number]): string =>
    `(${(op === 'inserts' ? (p.check ?? p.qual) : p.qual) ?? 'true'})`;
  const permissive = applying.filter((p) => p.permissive).map(cond);
  if (permissive.length === 0) return null;
  const restrictive = applying.filter((p) => !p.permissive).map(cond);
  return [permissive.length === 1 ? permissive[0]! : `(${permissive.join(' OR ')})`, ...restrictive].join(' AND ');
}

/**
 * Rows the role reaches with `op`, run as the role (row-level security adds its read policies): every row it
 * reads; for an update or a delete, those of them the rule lets it change (PostgREST's PATCH and DELETE filter,
 * so they read the row too).
 */
export function countSql(table: string, op: Op, when: string): string {
  return `SELECT count(*)::text FROM public.${quoteIdent(table)} WHERE ${op === 'reads' ? 'true' : when}`;
}

/**
 * Rows the role reaches now with `op` that the rules of an earlier moment would not have let it reach, run as the
 * role: the same count, less the rows the earlier condition (and, for a write, its read condition) allowed.
 */
export function widenedRowsSql(table: string, op: Op, now: string, then: RoleTableAccess): string {
  const before =
    op === 'reads' ? (then.reads.when ?? 'false') : `(${then.reads.when ?? 'true'}) AND (${then[op].when ?? 'false'})`;
  return `${countSql(table, op, now)} AND NOT coalesce((${before}), false)`;
}

export function accessLine(a: RoleTableAccess): string {
  const n = (o: OpAccess): string => (o.when === null ? 'none' : o.rows === null ? `where ${o.when}` : String(o.rows));
  const insert = a.inserts.when === null ? 'none' : a.inserts.when === 'true' ? 'any row' : `where ${a.inserts.when}`;
  return `${a.role} ${a.table}: reads ${n(a.reads)}, updates ${n(a.updates)}, deletes ${n(a.deletes)}, inserts ${insert}`;
}

/** A write now allowed that the rules of the earlier moment did not allow at all, or an insert under a new check. */
export function newlyAllowed(now: RoleTableAccess, then: RoleTableAccess): string[] {
  const out: string[] = [];
  for (const op of WRITES) {
    const w = now[op].when;
    if (w === null) continue;
    if (then[op].when === null) out.push(`${now.role} ${now.table}: may now ${op.slice(0, -1)} (where ${w})`);
    else if (op === 'inserts' && then[op].when !== w)
      out.push(`${now.role} ${now.table}: may now insert where ${w} (was: where ${then[op].when})`);
  }
  return out;
}
