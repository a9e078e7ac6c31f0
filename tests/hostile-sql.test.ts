// SQL injection and psql meta-commands inside text values come out of our SQL as inert data: applied with
// the real psql binary (which would run a \! it met outside a string) and with PGlite, they are stored as
// the text they are, and nothing runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { serverTarget } from '../lib/db/server-target.js';
import { pgliteTarget, type TargetDb } from '../lib/db/target-db.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { LONG_TEXT, SLICE } from '../lib/text-parts.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { DATABASE_URL, needsPg } from './helpers/pg.js';

const PWNED = `/tmp/totalis-pwned-${process.pid}`;
const HOSTILE: Record<string, string> = {
  name: "Daniel'); DROP TABLE coaches; --",
  description: `first line\n\\! touch ${PWNED}\n\\i /etc/hostname\n\\copy coaches to '${PWNED}-copy'\n\\set ON_ERROR_STOP 0\n';\nDROP TABLE coaches;\n--`,
  intro: "$$; DROP TABLE coaches; $$ E'\\x41' \\\\ \\. \\N $verify$; DROP TABLE coaches; $verify_1$",
  prompt: "\\'; \\gexec \u0001\u0007 \r\n \t end",
};

// verify.sql's DO block is dollar-quoted: a value holding its tag would end it early. This one is longer than
// LONG_TEXT, so it is quoted a slice at a time, and the tag runs across the boundary between two slices.
const LONG_WITH_TAG = 'x'.repeat(SLICE - 3) + '$verify$ $verify_1$ $verify_2$' + 'y'.repeat(LONG_TEXT);

async function applyHostile(t: import('tap').Test, open: () => Promise<TargetDb>): Promise<void> {
  const root = t.testdir({});
  writeMiniDump(root, {
    tls_coach: [
      { id: 1, ...HOSTILE, time_create: '2023-01-01 00:00:00' },
      { id: 2, name: 'Long', prompt: LONG_WITH_TAG },
    ],
    tls_prompt: [{ id: 1, name: "x'); DELETE FROM app_config; --", prompt: `\\! touch ${PWNED}-prompt` }],
  });
  const out = join(root, 'out');
  await runTransform({
    dump: [root],
    out,
    sourceTimezone: 'UTC',
    strict: false,
    breakCycles: false,
    defaultCoach: '1',
    env: {},
  });
  const db = await open();
  t.teardown(() => db.close());
  await db.applyFile('schemas/target.sql', 'schemas/target.sql');
  await db.applyFile(join(out, 'migration.sql'), 'migration.sql');
  await db.applyFile(join(out, 'verify.sql'), 'verify.sql');
  for (const [col, value] of Object.entries(HOSTILE)) {
    t.equal(
      await db.scalar(`SELECT ${col} FROM public.coaches WHERE legacy_id = 1`),
      value,
      `${col} stored as the text it is`,
    );
  }
  t.equal(
    await db.scalar('SELECT prompt FROM public.coaches WHERE legacy_id = 2'),
    LONG_WITH_TAG,
    'a long value holding the tags, across a slice boundary, stored as it is',
  );
  t.equal(
    await db.scalar(
      `SELECT value #>> '{}' FROM public.app_config WHERE key = 'prompt_x''); DELETE FROM app_config; --'`,
    ),
    `\\! touch ${PWNED}-prompt`,
  );
  t.equal(
    await db.scalar('SELECT count(*) FROM public.app_config'),
    '4',
    'nothing deleted: the prompt, the variable, the system value and default_coach',
  );
  for (const f of [PWNED, `${PWNED}-copy`, `${PWNED}-prompt`])
    t.notOk(existsSync(f), `${f} was not created: no meta-command ran`);
  await db.applyFile(join(out, 'rollback.sql'), 'rollback.sql');
  t.equal(await db.scalar('SELECT count(*) FROM public.coaches'), '0');
}

t.test('PGlite', async (t) => applyHostile(t, pgliteTarget));
t.test('the psql binary on a real server', needsPg, async (t) =>
  applyHostile(t, () => serverTarget(DATABASE_URL!, 'totalis_hostile')),
);
