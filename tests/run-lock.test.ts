// The output lock (lib/output/run-lock.ts) and generated text as parts (lib/sql/parts.ts), unit by unit.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { RunLock } from '../lib/output/run-lock.js';
import { interleave, lines } from '../lib/text-parts.js';

t.test('taken, held against a second taker, released only by its holder', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'out.lock');
  const notes: string[] = [];
  const lock = await RunLock.acquire(path, 'out/', (m) => notes.push(m));
  t.equal(readFileSync(path, 'utf8'), `${process.pid} ${hostname()}\n`);
  await t.rejects(
    RunLock.acquire(path, 'out/', (m) => notes.push(m)),
    { code: 'OUTPUT_BUSY' },
  );
  writeFileSync(path, `1 ${hostname()}\n`); // someone else's now
  await lock.release();
  t.ok(existsSync(path), 'a lock that is no longer ours is not removed');
  writeFileSync(path, 'garbage');
  await t.rejects(
    RunLock.acquire(path, 'out/', () => undefined),
    { code: 'OUTPUT_BUSY', message: /an unreadable lock/ },
  );
  writeFileSync(path, `4194304 elsewhere.example\n`);
  await t.rejects(
    RunLock.acquire(path, 'out/', () => undefined),
    { code: 'OUTPUT_BUSY', message: /process 4194304 on elsewhere\.example/ },
  );
  t.same(notes, []);
});

t.test('parts: the same text as join, without joining', async (t) => {
  t.same(interleave(['a', 'b', 'c'], ', '), ['a', ', ', 'b', ', ', 'c']);
  t.same(interleave([], ', '), []);
  t.equal(lines(['x', ['y', 'z'], 'w']).join(''), 'x\nyz\nw');
});
