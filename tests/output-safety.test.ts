// Nothing lost, nothing hangs (issue 17): folders that are not ours, a repeated primary key, one run per
// output, signals, errors while image writes are in flight, and honest errno names. The runs are the real
// command (bin/ → dist/, built by make test) where a process matters (locks, signals), in-process elsewhere.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { TINY_GIF, TINY_PNG, withTail } from './helpers/tiny-images.js';
import { generateImageHeavy } from '../bench/generate.js';
import { childEnv, cli } from './helpers/cli.js';
import { readTree, sameOutput } from './helpers/files.js';
import { writeMiniDump, type MiniDump } from './helpers/mini-dump.js';

const same = sameOutput;

t.test('a folder without our marker is never replaced or deleted, whatever it holds or is called', async (t) => {
  const root = t.testdir({
    looks: { 'migration.sql': '-- mine', 'notes.txt': 'my notes' },
    'out.partial': { 'draft.txt': 'a draft' },
    'out.previous': { 'old.txt': 'kept' },
  });
  let r = await cli(['transform', '--dump', 'samples', '--out', join(root, 'looks')]);
  t.equal(r.code, 2, r.stderr);
  t.match(r.stderr, /refusing to replace .*looks: it is not a totalis-migrate output/);
  t.equal(
    readFileSync(join(root, 'looks', 'notes.txt'), 'utf8'),
    'my notes',
    'a folder holding a migration.sql is not taken for ours',
  );
  r = await cli(['transform', '--dump', 'samples', '--out', join(root, 'out')]);
  t.equal(r.code, 2, r.stderr);
  t.match(r.stderr, /refusing to delete .*out\.partial: it is not a totalis-migrate output/);
  t.equal(
    readFileSync(join(root, 'out.partial', 'draft.txt'), 'utf8'),
    'a draft',
    "the user's out.partial is untouched",
  );
  rmSync(join(root, 'out.partial', 'draft.txt'));
  r = await cli(['transform', '--dump', 'samples', '--out', join(root, 'out')]);
  t.equal(r.code, 2, 'an empty out.partial is no loss, but out.previous still holds a file of the user');
  t.match(r.stderr, /refusing to delete .*out\.previous/);
  t.equal(readFileSync(join(root, 'out.previous', 'old.txt'), 'utf8'), 'kept');
  t.notOk(existsSync(join(root, 'out.lock')), 'a refused run leaves no lock behind');
});

t.test(
  'a legacy primary key that appears twice is an error naming both lines; the previous out/ is untouched',
  async (t) => {
    const root = t.testdir({});
    const good = join(root, 'good');
    mkdirSync(good);
    const gif = TINY_GIF;
    writeMiniDump(good, {
      tls_coach: [{ id: 1, name: 'Daniel', image_id: 7 }],
      tls_image: [{ id: 7, extension: 'gif', data: gif }],
    });
    const out = join(root, 'out');
    t.equal((await cli(['transform', '--dump', good, '--out', out])).code, 0);
    const before = readTree(out);
    const cases: [string, MiniDump][] = [
      [
        'tls_coach',
        {
          tls_coach: [1, 2, 3].map(() => ({ id: 1, name: 'Daniel', image_id: 7 })),
          tls_image: [{ id: 7, extension: 'gif', data: gif }],
        },
      ],
      [
        'tls_image',
        {
          tls_coach: [{ id: 1, name: 'Daniel', image_id: 7 }],
          tls_image: [
            { id: 7, extension: 'gif', data: gif },
            { id: 7, extension: 'gif', data: withTail(TINY_GIF, Buffer.from('other')) },
          ],
        },
      ],
      [
        'tls_category',
        {
          tls_category: [
            { id: 4, name: 'A' },
            { id: 5, name: 'B' },
            { id: 4, name: 'A again' },
          ],
        },
      ],
      [
        'tls_prompt',
        {
          tls_prompt: [
            { id: 2, name: 'p', prompt: 'x' },
            { id: 2, name: 'q', prompt: 'y' },
          ],
        },
      ],
    ];
    for (const [table, rows] of cases) {
      const d = join(root, table);
      mkdirSync(d);
      writeMiniDump(d, rows);
      const r = await cli(['transform', '--dump', d, '--out', out]);
      t.equal(r.code, 2, `${table}: refused`);
      t.match(
        r.stderr,
        new RegExp(
          `:\\d+, table ${table}, column id: ${table} id \\d+ appears twice, at lines \\d+ and \\d+; .*\\[KEY_DUPLICATE\\]`,
        ),
        `${table}: both lines named`,
      );
      t.ok(same(readTree(out), before), `${table}: the previous out/ is byte-identical`);
    }
  },
);

t.test('one run per output: a live holder refuses the second run; a dead one is taken over, saying so', async (t) => {
  const root = t.testdir({});
  const out = join(root, 'out');
  t.equal((await cli(['transform', '--dump', 'samples', '--out', out])).code, 0);
  const before = readTree(out);
  writeFileSync(`${out}.lock`, `${process.pid} ${hostname()}\n`); // this test process: alive
  let r = await cli(['transform', '--dump', 'samples', '--out', out, '--supabase-url', 'https://other.example']);
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    new RegExp(
      `another run is writing .*out/ \\(process ${process.pid} holds .*out\\.lock\\); wait for it to finish, or, if no run is going on, delete .*out\\.lock \\[OUTPUT_BUSY\\]`,
    ),
  );
  t.ok(same(readTree(out), before), 'out/ untouched');
  t.equal(readFileSync(`${out}.lock`, 'utf8'), `${process.pid} ${hostname()}\n`, 'the holder keeps its lock');

  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    env: childEnv(),
  }).stdout.toString();
  writeFileSync(`${out}.lock`, `${dead} ${hostname()}\n`);
  r = await cli(['transform', '--dump', 'samples', '--out', out, '--supabase-url', 'https://other.example']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, new RegExp(`note: took over the lock of an earlier run \\(process ${dead}, no longer running\\)`));
  t.notOk(existsSync(`${out}.lock`), 'released at the end');
  t.match(readFileSync(join(out, 'migration.sql'), 'utf8'), /other\.example/, 'and the run wrote its output');
});

/** Runs the real command; resolves with its exit code and stderr. */
function run(args: string[]): {
  done: Promise<{ code: number | null; signal: string | null; stderr: string }>;
  pid: number;
  kill: (s: NodeJS.Signals) => void;
} {
  const child = spawn(process.execPath, ['bin/totalis-migrate.js', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: childEnv(),
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { done, pid: child.pid!, kill: (s) => child.kill(s) };
}

t.test('two runs into one out/ at once: one writes, the other is refused; out/ is one whole output', async (t) => {
  const root = t.testdir({});
  const dump = join(root, 'dump');
  generateImageHeavy(dump, 8e6, 5);
  const out = join(root, 'out');
  const expected = { a: join(root, 'a'), b: join(root, 'b') };
  t.equal(
    (await cli(['transform', '--dump', dump, '--out', expected.a, '--supabase-url', 'https://a.example'])).code,
    0,
  );
  t.equal(
    (await cli(['transform', '--dump', dump, '--out', expected.b, '--supabase-url', 'https://b.example'])).code,
    0,
  );
  const whole = [readTree(expected.a), readTree(expected.b)];
  let refused = 0;
  for (let trial = 0; trial < 5; trial++) {
    const a = run(['transform', '--dump', dump, '--out', out, '--supabase-url', 'https://a.example']);
    const b = run(['transform', '--dump', dump, '--out', out, '--supabase-url', 'https://b.example']);
    const results = await Promise.all([a.done, b.done]);
    for (const r of results) {
      if (r.code === 2) {
        refused++;
        t.match(r.stderr, /another run is writing .*\[OUTPUT_BUSY\]/, `trial ${trial}: refused with a clear message`);
      } else t.equal(r.code, 0, `trial ${trial}: ${r.stderr}`);
    }
    const now = readTree(out);
    t.ok(
      whole.some((w) => same(now, w)),
      `trial ${trial}: out/ is one run's whole output, byte for byte`,
    );
  }
  t.comment(`${refused} of 10 runs refused (the rest ran after the other had finished)`);
});

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  t.test(`${signal}: the run stops, removes its partial output, says so, exits ${code}`, async (t) => {
    const root = t.testdir({});
    const dump = join(root, 'dump');
    generateImageHeavy(dump, 40e6, 3);
    const out = join(root, 'out');
    t.equal((await cli(['transform', '--dump', dump, '--out', out])).code, 0);
    const before = readTree(out);
    // Caught mid-run without timing: the run is frozen (SIGSTOP) once its partial output exists and before
    // it has finished, then sent the signal and thawed. A run that finished before it was caught is tried again.
    let caught = false;
    for (let attempt = 0; attempt < 20 && !caught; attempt++) {
      const r = run(['transform', '--dump', dump, '--out', out, '--supabase-url', 'https://other.example']);
      let exited = false;
      void r.done.then(() => (exited = true));
      while (!exited && !existsSync(join(`${out}.partial`, 'images'))) await new Promise((res) => setImmediate(res));
      if (exited) continue;
      r.kill('SIGSTOP');
      if (!existsSync(`${out}.partial`)) {
        r.kill('SIGCONT'); // already swapping in its output: too late, try again
        await r.done;
        continue;
      }
      caught = true;
      r.kill(signal);
      r.kill('SIGCONT');
      const res = await r.done;
      t.equal(res.code, code, `exit ${code}`);
      t.match(
        res.stderr,
        new RegExp(
          `interrupted by ${signal}: stopped, removed the unfinished .*out\\.partial/; .*out/ is as it was \\[INTERRUPTED\\]`,
        ),
      );
      t.notMatch(res.stderr, /internal error|\n\s+at /);
      t.notOk(existsSync(`${out}.partial`), 'no partial output left');
      t.notOk(existsSync(`${out}.lock`), 'no lock left');
      t.ok(same(readTree(out), before), 'the previous out/ is byte-identical');
    }
    t.ok(caught, 'a run was caught mid-way');
  });
}

t.test('an input error while image writes are in flight: the real error, exit 2, nothing left', async (t) => {
  const root = t.testdir({});
  const d = join(root, 'dump');
  mkdirSync(d);
  const png = (i: number): Buffer => withTail(TINY_PNG, Buffer.alloc(400_000, i));
  const images = Array.from({ length: 60 }, (_, i) => ({ id: 100 + i, extension: 'png', data: png(i) }));
  const coaches = images.map((img, i) => ({ id: i + 1, name: i === 0 ? 'Daniel' : `Coach ${i}`, image_id: img.id }));
  writeMiniDump(d, { tls_coach: coaches, tls_image: images });
  // config_data.sql is read last: it breaks while the last images are still being written
  writeFileSync(
    join(d, 'config_data.sql'),
    `${readFileSync(join(d, 'config_data.sql'), 'utf8')}COPY public.tls_prompt (id) FROM stdin;\nnot a number\n\\.\n`,
  );
  for (let i = 0; i < 5; i++) {
    const out = join(root, `out${i}`);
    const r = await cli(['transform', '--dump', d, '--out', out]);
    t.equal(r.code, 2, r.stderr);
    t.match(r.stderr, /config_data\.sql:\d+/, 'the input error is what the user sees');
    t.notMatch(r.stderr, /internal error|ENOTEMPTY/);
    t.notOk(existsSync(`${out}.partial`), 'the partial output is gone');
  }
});

t.test(
  'a read-only file system is named as such (EROFS), not "no such file"',
  { skip: process.getuid?.() === 0 ? false : 'needs root to mount a read-only tmpfs' },
  async (t) => {
    const ro = mkdtempSync(join(tmpdir(), 'totalis-ro-'));
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]).status !== 0) {
      rmSync(ro, { recursive: true });
      t.comment('mount refused here: not checked');
      return;
    }
    t.teardown(() => {
      spawnSync('umount', [ro]);
      rmSync(ro, { recursive: true });
    });
    const r = await cli(['transform', '--dump', 'samples', '--out', join(ro, 'sub', 'out')]);
    t.equal(r.code, 2);
    t.match(r.stderr, /EROFS: read-only file system, mkdir '.*totalis-ro-\w+\/sub'/, r.stderr);
  },
);
