// The service key never appears in any output, file or error: every command runs with it set, including
// failures, and against a careless server that repeats the key in its error messages.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { pgliteTarget } from '../lib/db/target-db.js';
import { cli, type CliResult } from './helpers/cli.js';
import { startFakeStorage } from './helpers/fake-storage.js';

const KEY = 'sb-secret-service-role-key-3f9a7c1e5b2d4806';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

t.test('the service key appears in no output, file or error', async (t) => {
  const root = t.testdir({});
  const out = join(root, 'out');
  const env = { SUPABASE_SERVICE_ROLE_KEY: KEY };
  const s = await startFakeStorage(KEY);
  const careless = await startFakeStorage(KEY, { echoAuthInErrors: true });
  t.teardown(async () => {
    await s.close();
    await careless.close();
  });
  const runs: [string, CliResult][] = [];
  const run = async (args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> => {
    const r = await cli(args, { ...env, ...extraEnv });
    runs.push([args.join(' '), r]);
    return r;
  };
  await run(['--help']);
  await run(['inspect', 'samples', '--check']);
  await run(['inspect', 'samples', '--json']);
  t.equal((await run(['transform', '--dump', 'samples', '--out', out, '--supabase-url', s.url])).code, 0);
  await run(['transform', '--dump', 'samples', '--out', out, '--strict']);
  await run(['transform', '--dump', join(root, 'missing'), '--out', out]);
  t.equal((await run(['push-images', '--out', out, '--allow-other-url', '--supabase-url', s.url, '--check'])).code, 0);
  await run(['push-images', '--out', out, '--allow-other-url', '--supabase-url', s.url, '--dry-run']);
  const echoed = await run([
    'push-images',
    '--out',
    out,
    '--allow-other-url',
    '--supabase-url',
    careless.url,
    '--retries',
    '0',
  ]);
  t.equal(echoed.code, 1, 'the careless server refuses the uploads');
  t.match(
    echoed.stderr,
    /rejected request with authorization Bearer \[redacted\]/,
    'what the server repeated is redacted',
  );
  await run([
    'push-images',
    '--out',
    out,
    '--allow-other-url',
    '--supabase-url',
    'http://127.0.0.1:9',
    '--retries',
    '0',
  ]);
  await run(['push-images', '--out', out, '--allow-other-url', '--supabase-url', s.url], {
    SUPABASE_SERVICE_ROLE_KEY: 'wrong-' + KEY,
  });
  await run(['check-images', '--out', out, '--supabase-url', s.url]);
  await run(['remove-images', '--out', out, '--supabase-url', s.url]);
  await run(['rehearse', '--dump', 'samples', '--out', join(root, 'rehearsed')]);
  const db = await pgliteTarget();
  t.teardown(() => db.close());
  await run(['verify', '--out', out, '--db', db.connectionString]);
  t.ok(runs.length >= 15, `${runs.length} runs`);
  for (const [args, r] of runs) {
    t.notOk(r.stdout.includes(KEY) || r.stderr.includes(KEY), `${args}: not in stdout or stderr`);
    t.notOk(r.stdout.includes('wrong-') || r.stderr.includes('wrong-sb-secret'), `${args}: nor a wrong key`);
  }
  const files = [...filesUnder(out), ...filesUnder(join(root, 'rehearsed'))];
  t.ok(files.length > 10);
  t.notOk(
    files.some((f) => readFileSync(f).includes(KEY)),
    `in none of the ${files.length} files written`,
  );
});
