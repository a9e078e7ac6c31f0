// A signal right after the start (docs/reliability.md): the handler is installed before the CLI is loaded. The
// real command is paused at that moment by a test hook (TOTALIS_MIGRATE_TEST_PAUSE_AT_START) and signalled
// once it says so: no timing is guessed. Without a handler there, Node dies by the signal (no exit code).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { childEnv } from './helpers/cli.js';

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  t.test(`${signal} before the CLI has loaded: exit ${code}, one line, nothing written`, async (t) => {
    const out = join(t.testdir({}), 'out');
    const c = spawn(process.execPath, ['bin/totalis-migrate.js', 'transform', '--dump', 'samples', '--out', out], {
      env: childEnv({ TOTALIS_MIGRATE_TEST_PAUSE_AT_START: '1' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    c.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && stderr.includes('paused at start\n')) {
        sent = true;
        c.kill(signal);
      }
    });
    const [exitCode, bySignal] = await new Promise<[number | null, string | null]>((resolve) =>
      c.on('close', (n, s) => resolve([n, s])),
    );
    t.ok(sent, 'the signal was sent while the command was paused at its start');
    t.equal(bySignal, null, 'not killed by the signal');
    t.equal(exitCode, code);
    t.equal(stderr, `paused at start\ntotalis-migrate: interrupted by ${signal} [INTERRUPTED]\n`);
    t.notOk(existsSync(out) || existsSync(`${out}.partial`) || existsSync(`${out}.lock`), 'nothing written');
  });
}
