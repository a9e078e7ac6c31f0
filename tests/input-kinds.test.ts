// Inputs that are not regular files (docs/reliability.md): a device, a FIFO with or without a writer, a
// symlink to a device, a folder named like a dump. Each is refused from its stat, before anything opens or
// reads it: one line, exit 2, and the process ends (the real command is run, so work left running behind the
// refusal, e.g. a read of /dev/zero in the thread pool, would keep it alive and show here as no exit).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { sha256OfFile } from '../lib/dump/hash-file.js';
import { childEnv } from './helpers/cli.js';
import { writeMiniDump } from './helpers/mini-dump.js';

interface Exit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stderr: string;
}

/** The built command; killed after a minute only so that a hang fails the test instead of stalling the suite. */
function command(args: string[]): Promise<Exit> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['bin/totalis-migrate.js', ...args], {
      env: childEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => c.kill('SIGKILL'), 60_000);
    c.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stderr });
    });
  });
}

function refusedAsNotAFile(t: Test, r: Exit, what: RegExp): void {
  t.equal(r.code, 2, `exit 2 (got ${r.code ?? r.signal}): ${r.stderr}`);
  t.match(r.stderr, what);
  t.match(r.stderr, /not a regular file.*\[INPUT_NOT_A_FILE\]/);
  t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  t.notMatch(r.stderr, /internal error|\n\s+at /);
}

const mkfifo = (p: string): boolean => spawnSync('mkfifo', [p]).status === 0;

for (const device of ['/dev/zero', '/dev/urandom']) {
  t.test(
    `${device}, given directly or as a .sql symlink in a dump folder: refused, exit 2, the process ends`,
    async (t) => {
      for (const cmd of ['inspect', 'transform']) {
        const out = join(t.testdir({}), 'out');
        const direct = await command(
          cmd === 'inspect' ? ['inspect', device] : ['transform', '--dump', device, '--out', out],
        );
        refusedAsNotAFile(t, direct, new RegExp(`${device}: this is a character device`));
        t.notOk(existsSync(out), 'no output');
      }
      const dir = writeMiniDump(t.testdir({}));
      symlinkSync(device, join(dir, 'more.sql'));
      const linked = await command(['transform', '--dump', dir, '--out', join(dir, 'out')]);
      refusedAsNotAFile(t, linked, /more\.sql: this is a character device/);
      t.notOk(existsSync(join(dir, 'out')));
    },
  );
}

t.test('a FIFO with no writer: refused at once (it is never opened, so nothing waits for a writer)', async (t) => {
  const dir = t.testdir({});
  const fifo = join(dir, 'pipe.sql');
  if (!mkfifo(fifo)) {
    t.comment('mkfifo is not available here: not checked');
    return;
  }
  refusedAsNotAFile(t, await command(['inspect', fifo]), /pipe\.sql: this is a named pipe \(FIFO\)/);
});

t.test('a FIFO with a writer waiting: refused the same way, not "ESPIPE: invalid seek"', async (t) => {
  const dir = writeMiniDump(t.testdir({}));
  const fifo = join(dir, 'stream.sql');
  if (!mkfifo(fifo)) {
    t.comment('mkfifo is not available here: not checked');
    return;
  }
  // the writer blocks in open() until a reader comes: it stays there, since the refusal never opens the FIFO
  const writer: ChildProcess = spawn('sh', ['-c', `cat samples/categories.sql > '${fifo}'`], { stdio: 'ignore' });
  t.teardown(() => void writer.kill('SIGKILL'));
  const r = await command(['transform', '--dump', dir, '--out', join(dir, 'out')]);
  refusedAsNotAFile(t, r, /stream\.sql: this is a named pipe \(FIFO\)/);
  t.notMatch(r.stderr, /ESPIPE/);
  t.equal(writer.exitCode, null, 'the writer is still waiting: the FIFO was never opened for reading');
});

t.test('a folder named like a dump inside the dump folder: refused, not read as an empty dump', async (t) => {
  const dir = writeMiniDump(t.testdir({}));
  mkdirSync(join(dir, 'extra.sql'));
  refusedAsNotAFile(t, await command(['inspect', dir]), /extra\.sql: this is a directory/);
});

t.test('hashing a device refuses it instead of reading it for ever', async (t) => {
  await t.rejects(sha256OfFile('/dev/zero').sha256, /not a regular file/);
});
