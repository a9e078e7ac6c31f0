// The real target's options (issue 31): --no-adopt, --strict over fields with no home; and the fresh project under
// Supabase's 2026 grant defaults, applied and rolled back as service_role.
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { fixture, options, SHAPES } from './helpers/real-target.js';

t.test(
  '--no-adopt refuses, naming each collision; under --strict the homeless fields of 86a91d4 are among what blocks',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'real-target-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const target = { schema: fixture(SHAPES[0], 'schema.sql'), data: fixture(SHAPES[0], 'data.sql') };
    await t.rejects(runTransform(options(join(dir, 'a'), { target, adopt: false })), {
      code: 'FINDINGS_BLOCK',
      message: /target\.adopt\.refused tls_coach#1 Daniel[^\n]*coaches already has Daniel[\s\S]*default_coach/,
    });
    const old = { schema: fixture(SHAPES[1], 'schema.sql'), data: fixture(SHAPES[1], 'data.sql') };
    await t.rejects(runTransform(options(join(dir, 'b'), { target: old, strict: true })), {
      code: 'FINDINGS_BLOCK',
      message: /target\.field\.homeless/,
    });
  },
);

t.test(
  "a fresh project under Supabase's 2026 defaults (no default privileges): service_role applies migration.sql, verify.sql and rollback.sql",
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'real-target-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'out');
    await runTransform(options(out, {}));
    const pg = await PGlite.create();
    t.teardown(() => pg.close());
    // the roles, without ALTER DEFAULT PRIVILEGES: new tables are granted to nobody unless the SQL says so
    await pg.exec(`CREATE ROLE anon NOLOGIN NOINHERIT; CREATE ROLE authenticated NOLOGIN NOINHERIT; CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
    GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;`);
    await pg.exec(readFileSync('schemas/target.sql', 'utf8'));
    const asServiceRole = async (f: string): Promise<void> => {
      try {
        await pg.exec(`SET ROLE service_role;\n${readFileSync(join(out, f), 'utf8')}`);
      } finally {
        await pg.exec('ROLLBACK').catch(() => undefined);
        await pg.exec('RESET ROLE');
      }
    };
    await asServiceRole('migration.sql');
    t.equal(
      (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM public.coaches')).rows[0]!.n,
      6,
      'service_role wrote the coaches',
    );
    await asServiceRole('verify.sql');
    await asServiceRole('rollback.sql');
    t.equal(
      (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM public.coaches')).rows[0]!.n,
      0,
      'and rolled them back',
    );
    t.same(
      (
        await pg.query<{ g: string }>(
          `SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) AS g FROM information_schema.role_table_grants WHERE grantee = 'anon' AND table_name = 'coaches'`,
        )
      ).rows[0]!.g,
      'SELECT',
      'anon is granted reading only',
    );
  },
);
