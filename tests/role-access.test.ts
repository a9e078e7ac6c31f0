// The read-only role probe (lib/sql/role-access.ts, lib/db/role-probe.ts) against PostgreSQL itself: for each
// combination of grants, row-level security and policies below, the rows the probe says anon reads, may update and
// may delete are the rows PostgreSQL reads, updates and deletes when anon really runs the statement (in a
// transaction rolled back), and "none" is exactly where PostgreSQL changes no row or refuses. On PGlite.
import { PGlite } from '@electric-sql/pglite';
import t from 'tap';
import { probeRoleAccess } from '../lib/db/role-probe.js';
import { accessLine, newlyAllowed, type OpAccess, type RoleTableAccess } from '../lib/sql/role-access.js';
import { formatAccess } from '../lib/verify/access.js';

const SETUP = `CREATE ROLE anon NOLOGIN NOINHERIT; CREATE ROLE authenticated NOLOGIN NOINHERIT;
CREATE TABLE public.coaches (id int PRIMARY KEY, name text, is_active boolean, owner text);
INSERT INTO public.coaches VALUES (1, 'a', true, 'anon'), (2, 'b', true, 'x'), (3, 'c', false, 'anon'), (4, 'd', false, 'x');
GRANT SELECT, INSERT, UPDATE, DELETE ON public.coaches TO anon, authenticated;`;

const CASES: { name: string; sql: string }[] = [
  { name: 'no row-level security', sql: '' },
  { name: 'row-level security, no policy', sql: 'ALTER TABLE coaches ENABLE ROW LEVEL SECURITY' },
  {
    name: 'reads active rows, updates what it reads',
    sql: `ALTER TABLE coaches ENABLE ROW LEVEL SECURITY; CREATE POLICY r ON coaches FOR SELECT USING (is_active);
          CREATE POLICY u ON coaches FOR UPDATE USING (true)`,
  },
  {
    name: 'two permissive, one restrictive for all commands',
    sql: `ALTER TABLE coaches ENABLE ROW LEVEL SECURITY; CREATE POLICY r1 ON coaches FOR SELECT USING (is_active);
          CREATE POLICY r2 ON coaches FOR SELECT TO anon USING (name = 'c'); CREATE POLICY d ON coaches FOR DELETE USING (true);
          CREATE POLICY no_b ON coaches AS RESTRICTIVE USING (name <> 'b')`,
  },
  {
    name: 'reads every row; deletes active ones but b (a restrictive delete policy); no update policy',
    sql: `ALTER TABLE coaches ENABLE ROW LEVEL SECURITY; CREATE POLICY r ON coaches FOR SELECT USING (true);
          CREATE POLICY d ON coaches FOR DELETE USING (is_active);
          CREATE POLICY d_no_b ON coaches AS RESTRICTIVE FOR DELETE TO anon USING (name <> 'b')`,
  },
  {
    name: 'a policy for another role only',
    sql: `ALTER TABLE coaches ENABLE ROW LEVEL SECURITY; CREATE POLICY r ON coaches FOR ALL TO authenticated USING (true)`,
  },
  {
    name: 'the claims PostgREST sets decide',
    sql: `ALTER TABLE coaches ENABLE ROW LEVEL SECURITY;
          CREATE POLICY own ON coaches USING (owner = (current_setting('request.jwt.claims', true)::jsonb ->> 'role'))`,
  },
  {
    name: 'a policy, but no privilege',
    sql: `ALTER TABLE coaches ENABLE ROW LEVEL SECURITY; CREATE POLICY a ON coaches USING (true);
          REVOKE UPDATE, DELETE ON coaches FROM anon`,
  },
];

/** What PostgreSQL does as anon, rolled back: rows, or 'refused'. */
async function asAnon(db: PGlite, sql: string): Promise<string> {
  await db.exec(`BEGIN; SET LOCAL ROLE anon; SELECT set_config('request.jwt.claims', '{"role":"anon"}', true)`);
  try {
    const r = await db.query<{ n: number }>(sql);
    return String(r.rows[0]!.n);
  } catch (e) {
    if ((e as { code?: string }).code === '42501') return 'refused';
    throw e;
  } finally {
    await db.exec('ROLLBACK');
  }
}
/** The probe's answer in the same terms: no rule is no row changed (or refused, where no privilege). */
const said = (o: OpAccess): string => (o.when === null ? 'none' : String(o.rows));
const same = (probe: string, pg: string): string => (probe === 'none' && (pg === '0' || pg === 'refused') ? pg : probe);

for (const c of CASES) {
  t.test(c.name, async (t) => {
    const db = await PGlite.create();
    t.teardown(() => db.close());
    await db.exec(SETUP);
    if (c.sql !== '') await db.exec(c.sql);
    await db.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const probed = await probeRoleAccess(async (sql) =>
      String(Object.values((await db.query<Record<string, unknown>>(sql)).rows[0] ?? {})[0] ?? ''),
    );
    await db.exec('ROLLBACK');
    const anon = probed.find((p) => p.role === 'anon' && p.table === 'coaches')!;
    const reads = await asAnon(db, 'SELECT count(*)::int AS n FROM public.coaches');
    const updates = await asAnon(
      db,
      'WITH x AS (UPDATE public.coaches SET id = id WHERE id = id RETURNING 1) SELECT count(*)::int AS n FROM x',
    );
    const deletes = await asAnon(
      db,
      'WITH x AS (DELETE FROM public.coaches WHERE id = id RETURNING 1) SELECT count(*)::int AS n FROM x',
    );
    t.equal(same(said(anon.reads), reads), reads, `reads: probe ${said(anon.reads)}, PostgreSQL ${reads}`);
    t.equal(same(said(anon.updates), updates), updates, `updates: probe ${said(anon.updates)}, PostgreSQL ${updates}`);
    t.equal(same(said(anon.deletes), deletes), deletes, `deletes: probe ${said(anon.deletes)}, PostgreSQL ${deletes}`);
  });
}

// the table's words and the rule for writes, without a database
const row = (over: Partial<RoleTableAccess>): RoleTableAccess => ({
  role: 'anon',
  table: 'coaches',
  reads: { when: '(is_active)', rows: 2 },
  updates: { when: null, rows: null },
  deletes: { when: null, rows: null },
  inserts: { when: null, rows: null },
  ...over,
});

t.test('accessLine: rows, none, a rule it could not count, any row, a check', async (t) => {
  t.equal(
    accessLine(row({ updates: { when: '(true)', rows: null }, inserts: { when: 'true', rows: null } })),
    'anon coaches: reads 2, updates where (true), deletes none, inserts any row',
  );
  t.equal(
    accessLine(row({ inserts: { when: '(is_active)', rows: null } })),
    'anon coaches: reads 2, updates none, deletes none, inserts where (is_active)',
  );
});

t.test(
  'newlyAllowed: a write it could not make at all, an insert under a new check; the same rule is no change',
  async (t) => {
    const then = row({ inserts: { when: '(is_active)', rows: null } });
    t.same(newlyAllowed(then, then), [], 'nothing new');
    t.same(newlyAllowed(row({ deletes: { when: '(true)', rows: 2 }, inserts: { when: '(true)', rows: null } }), then), [
      'anon coaches: may now delete (where (true))',
      'anon coaches: may now insert where (true) (was: where (is_active))',
    ]);
    t.same(
      newlyAllowed(then, row({ inserts: { when: '(true)', rows: null } })).length,
      1,
      'a narrower check is a new check too',
    );
  },
);

t.test('formatAccess: an older out/target.json without the role table says widening was not judged', async (t) => {
  const text = formatAccess({ table: ['anon coaches: reads 2'], then: null, widened: [], added: [], removed: [] });
  t.match(text, /out\/target.json has no role-by-role table \(an older transform\): widening not judged/);
  t.notMatch(text, /reach no row and no write/, 'and does not claim access was not widened');
});
