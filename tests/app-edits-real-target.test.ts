// Issue 28 item 3 on the real target path (lib/sql/target-model/existing-sql.ts), both shapes of
// tests/fixtures/real-target, offline on PGlite: a re-run refuses the app's edit of a migrated row, and applies
// when made with --overwrite-app-edits.
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { fixture, options, pgliteDb, SHAPES } from './helpers/real-target.js';

for (const s of SHAPES) {
  t.test(`${s.name}: the app's edit since the last run is refused unless --overwrite-app-edits (PGlite)`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'appedits-real-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const target = { schema: fixture(s, 'schema.sql'), data: fixture(s, 'data.sql') };
    const one = join(dir, 'one');
    const over = join(dir, 'over');
    await runTransform(options(one, { target }));
    await runTransform(options(over, { target, overwriteAppEdits: true }));
    const file = (out: string, n: string): string => readFileSync(join(out, n), 'utf8');
    const pg = await PGlite.create();
    t.teardown(() => pg.close());
    const db = pgliteDb(pg);
    const failure = (sql: string): Promise<string | null> =>
      pg.exec(sql).then(
        () => null,
        async (e: unknown) => {
          await pg.exec('ROLLBACK').catch(() => undefined);
          return (e as Error).message;
        },
      );
    await db.exec(readFileSync(target.schema, 'utf8'));
    await db.exec(readFileSync(target.data, 'utf8'));
    await db.exec(readFileSync('schemas/target.sql', 'utf8'));
    await db.exec(file(one, 'migration.sql'));
    t.equal(await failure(file(one, 'migration.sql')), null, 'applied again with no app edit: allowed');
    await db.exec("UPDATE public.coaches SET bio = 'edited in the app' WHERE name = 'Ana María'");
    const edited = await db.value("SELECT bio FROM public.coaches WHERE name = 'Ana María'");
    const refused = await failure(file(one, 'migration.sql'));
    t.match(
      refused,
      /migration: the app changed or deleted rows since run [0-9a-f]{16} was applied, and this run would overwrite them: coaches legacy id 2 Ana María: changed by the app: bio "[^"]*" -> "edited in the app"\. Nothing was changed/,
      'refused, naming the row and what changed',
    );
    t.equal(await db.value("SELECT bio FROM public.coaches WHERE name = 'Ana María'"), edited, 'nothing was changed');
    t.equal(await failure(file(over, 'migration.sql')), null, 'made with --overwrite-app-edits: applies');
    t.not(
      await db.value("SELECT bio FROM public.coaches WHERE name = 'Ana María'"),
      'edited in the app',
      'the edit is overwritten',
    );
  });
}
