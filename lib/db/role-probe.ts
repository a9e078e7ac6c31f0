/**
 * Runs the role-by-role access probe (lib/sql/role-access.ts) through one query function, inside a transaction
 * the caller opened and rolls back (read-only: the probe writes nothing, so it runs at transform time on a live
 * target). The same probe runs in `transform --target-db`/`--target-schema` and in `verify --db`, so the two
 * moments are compared like for like.
 */
import {
  asRoleSql,
  countSql,
  newlyAllowed,
  PROBE_ROLES,
  roleCatalogSql,
  ruleOf,
  widenedRowsSql,
  type Op,
  type OpAccess,
  type RoleTableAccess,
  type TableCatalog,
} from '../sql/role-access.js';

/** The first column of the first row, as text. */
export type Scalar = (sql: string) => Promise<string>;

/** A count as the role, in a savepoint: null when the role may not run it (or the rule cannot be evaluated). */
async function countAs(scalar: Scalar, sql: string): Promise<{ n: number } | { error: string }> {
  await scalar('SAVEPOINT totalis_probe');
  try {
    const n = Number(await scalar(sql));
    await scalar('RELEASE SAVEPOINT totalis_probe');
    return { n };
  } catch (e) {
    await scalar('ROLLBACK TO SAVEPOINT totalis_probe');
    return { error: (e as Error).message };
  }
}

/** Runs `body` as the role, with PostgREST's claims, and returns to the session's own role after. */
async function asRole<T>(scalar: Scalar, role: string, body: () => Promise<T>): Promise<T> {
  for (const sql of asRoleSql(role)) await scalar(sql);
  try {
    return await body();
  } finally {
    await scalar('RESET ROLE');
  }
}

/** The access table: each role the server has, each of the three tables (roles it lacks are left out). */
export async function probeRoleAccess(scalar: Scalar): Promise<RoleTableAccess[]> {
  const out: RoleTableAccess[] = [];
  for (const role of PROBE_ROLES) {
    const catalog = JSON.parse(await scalar(roleCatalogSql(role))) as TableCatalog[] | null;
    if (catalog === null) continue;
    await asRole(scalar, role, async () => {
      for (const c of catalog) {
        const op = async (o: Op): Promise<OpAccess> => {
          const when = ruleOf(c, o);
          if (o === 'inserts' || (when === null && o !== 'reads')) return { when, rows: null };
          const r = await countAs(scalar, countSql(c.table, o, when ?? 'false'));
          return { when, rows: 'n' in r ? r.n : null };
        };
        out.push({
          role,
          table: c.table,
          reads: await op('reads'),
          updates: await op('updates'),
          deletes: await op('deletes'),
          inserts: await op('inserts'),
        });
      }
    });
  }
  return out;
}

/**
 * How access widened from `then` (recorded by transform) to `now`, one line each: a role that reads or may
 * change a row the rules of then would not have let it (rows the migration added that those rules allow are no
 * change), a write it could not do at all then, an insert under a new check. Empty: not widened.
 */
export async function widenings(
  scalar: Scalar,
  then: readonly RoleTableAccess[],
  now: readonly RoleTableAccess[],
): Promise<string[]> {
  const out: string[] = [];
  for (const role of PROBE_ROLES) {
    const lines = now.filter((a) => a.role === role);
    if (lines.length === 0) continue;
    await asRole(scalar, role, async () => {
      for (const a of lines) {
        const before = then.find((b) => b.role === a.role && b.table === a.table);
        if (before === undefined) {
          out.push(`${role} ${a.table}: the role was not there when transform read the target`);
          continue;
        }
        const newly = newlyAllowed(a, before);
        out.push(...newly);
        for (const op of ['reads', 'updates', 'deletes'] as const) {
          const when = a[op].when;
          if (when === null || newly.some((l) => l.startsWith(`${role} ${a.table}: may now ${op.slice(0, -1)} `)))
            continue;
          const r = await countAs(scalar, widenedRowsSql(a.table, op, when, before));
          if ('error' in r)
            out.push(`${role} ${a.table}: ${op} cannot be compared with the rules transform read (${r.error})`);
          else if (r.n > 0)
            out.push(
              `${role} ${a.table}: ${op} ${r.n} row(s) the rules transform read would not have let it ${op.slice(0, -1)}`,
            );
        }
      }
    });
  }
  return out;
}
