// The Supabase URL (issue 29, item 4): the project URL only. A trailing /storage/v1 or / is dropped, any other
// path, a query, a fragment or credentials are refused with the correct form, and a password is never repeated:
// not in the message, not in out/. push-images --dry-run says the URL mismatch the real push refuses, and
// check-images says a private bucket is private.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { MigrateError } from '../lib/errors.js';
import { resolveSupabaseUrl, withoutCredentials } from '../lib/images/object-path.js';
import { cli } from './helpers/cli.js';
import { startFakeStorage } from './helpers/fake-storage.js';

const PASSWORD = 'pa55-w0rd-never-shown';

function refusal(option: string | undefined, env: Record<string, string> = {}): string {
  try {
    resolveSupabaseUrl(option, env);
  } catch (e) {
    if (e instanceof MigrateError && e.code === 'OPTION_INVALID') return e.message;
    throw e;
  }
  throw new Error(`${option} was accepted`);
}

t.test('accepted forms, normalised to the project URL', async (t) => {
  const cases: [string, string][] = [
    ['https://p.supabase.co', 'https://p.supabase.co'],
    ['https://p.supabase.co/', 'https://p.supabase.co'],
    ['https://p.supabase.co//', 'https://p.supabase.co'],
    ['https://p.supabase.co/storage/v1', 'https://p.supabase.co'],
    ['https://p.supabase.co/storage/v1/', 'https://p.supabase.co'],
    ['http://127.0.0.1:54321/storage/v1', 'http://127.0.0.1:54321'],
    ['HTTPS://P.Supabase.CO', 'https://p.supabase.co'],
  ];
  for (const [given, want] of cases) t.equal(resolveSupabaseUrl(given, {}), want, given);
  t.equal(
    resolveSupabaseUrl(undefined, { SUPABASE_URL: 'https://env.example/storage/v1/' }),
    'https://env.example',
    'the environment the same way',
  );
  t.equal(resolveSupabaseUrl(undefined, {}), 'http://127.0.0.1:54321', 'the local stack by default');
});

t.test('refused forms, each with the correct form and never the password', async (t) => {
  const cases: [string, RegExp][] = [
    [
      'http://host/storage',
      /has the path "\/storage".*: http:\/\/host \(the form is https:\/\/<project>\.supabase\.co\)/,
    ],
    ['http://host/storage/v1/object/public', /has the path "\/storage\/v1\/object\/public".*: http:\/\/host /],
    ['http://host/api/storage/v1', /has the path "\/api\/storage\/v1".*: http:\/\/host /],
    ['https://host/?x=1', /has a query; give the project URL only: https:\/\/host /],
    ['https://host?', /has a query; .*: https:\/\/host /],
    ['https://host/#top', /has a fragment; .*: https:\/\/host /],
    [`http://user:${PASSWORD}@host`, /"http:\/\/host" holds credentials \(user:password@\).*: http:\/\/host /],
    [`http://user:${PASSWORD}@host/storage/v1?x#y`, /"http:\/\/host\/storage\/v1\?…" holds credentials/],
    [`https://host/?apikey=${PASSWORD}`, /"https:\/\/host\/\?…" has a query/],
    ['http://user@host', /holds credentials.*: http:\/\/host /],
    ['ftp://host', /is not an http\(s\) URL/],
    ['host.supabase.co', /is not a URL/],
    [`http://user:${PASSWORD}@`, /is not a URL/],
  ];
  for (const [given, want] of cases) {
    const m = refusal(given);
    t.match(m, want, given);
    t.notOk(m.includes(PASSWORD), `${given}: the password is not in the message`);
  }
  t.match(
    refusal(undefined, { SUPABASE_URL: `https://u:${PASSWORD}@env.example` }),
    /^SUPABASE_URL "https:\/\/env\.example" holds credentials/,
    'the environment is named as the source',
  );
  t.equal(withoutCredentials(`https://u:${PASSWORD}@h/x`), 'https://h/x');
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)],
  );
}

t.test('transform: /storage/v1 is written once; credentials are refused and nothing is written', async (t) => {
  const root = t.testdir({});
  const out = join(root, 'out');
  let r = await cli(['transform', '--dump', 'samples', '--out', out, '--supabase-url', 'http://h.example/storage/v1']);
  t.equal(r.code, 0, r.stderr);
  const manifest = readFileSync(join(out, 'images/manifest.json'), 'utf8');
  t.match(manifest, /"url": "http:\/\/h\.example\/storage\/v1\/object\/public\/coach-images\//);
  t.notOk(manifest.includes('/storage/v1/storage/v1'), 'never /storage/v1 twice');
  const other = join(root, 'other');
  r = await cli([
    'transform',
    '--dump',
    'samples',
    '--out',
    other,
    '--supabase-url',
    `http://admin:${PASSWORD}@h.example`,
  ]);
  t.equal(r.code, 2);
  t.match(r.stderr, /--supabase-url "http:\/\/h\.example" holds credentials/);
  t.notOk(r.stderr.includes(PASSWORD) || r.stdout.includes(PASSWORD), 'the password is not printed');
  t.notOk(existsSync(other), 'nothing is written');
  for (const f of filesUnder(out)) t.notOk(readFileSync(f).includes(PASSWORD), `${f} has no password`);
});

t.test('push-images --dry-run says the URL mismatch the real push refuses, with the correct form', async (t) => {
  const out = join(t.testdir({}), 'out');
  t.equal((await cli(['transform', '--dump', 'samples', '--out', out, '--supabase-url', 'https://a.example'])).code, 0);
  const dry = await cli(['push-images', '--out', out, '--supabase-url', 'https://b.example/storage/v1/', '--dry-run']);
  t.equal(dry.code, 1, 'the dry run fails as the push would');
  t.match(
    dry.stderr,
    /push-images would refuse: the image URLs in the manifest and migration\.sql point at https:\/\/a\.example, but the images would go to https:\/\/b\.example, where the SQL would not find them: run transform again with --supabase-url https:\/\/b\.example,/,
  );
  t.match(dry.stdout, /push-images --dry-run: 9 objects/);
  const real = await cli(['push-images', '--out', out, '--supabase-url', 'https://b.example/storage/v1/'], {
    SUPABASE_SERVICE_ROLE_KEY: 'k',
  });
  t.equal(real.code, 2);
  t.match(
    real.stderr,
    /point at https:\/\/a\.example, but the images would go to https:\/\/b\.example, .*--supabase-url https:\/\/b\.example,/,
  );
  const same = await cli(['push-images', '--out', out, '--supabase-url', 'https://a.example/', '--dry-run']);
  t.equal(same.code, 0, 'the same project, written differently, is no mismatch');
  t.notMatch(same.stderr, /would refuse/);
  const allowed = await cli([
    'push-images',
    '--out',
    out,
    '--supabase-url',
    'https://b.example',
    '--dry-run',
    '--allow-other-url',
  ]);
  t.equal(allowed.code, 0);
  t.match(
    allowed.stderr,
    /warning: transform wrote URLs for https:\/\/a\.example, but images go to https:\/\/b\.example \(--allow-other-url\)/,
  );
  const creds = await cli([
    'push-images',
    '--out',
    out,
    '--supabase-url',
    `https://x:${PASSWORD}@a.example`,
    '--dry-run',
  ]);
  t.equal(creds.code, 2);
  t.notOk(creds.stderr.includes(PASSWORD) || creds.stdout.includes(PASSWORD), 'push-images never prints the password');
});

t.test('check-images on a private bucket says it is private, not that every object is missing', async (t) => {
  const s = await startFakeStorage();
  t.teardown(() => s.close());
  const out = join(t.testdir({}), 'out');
  t.equal((await cli(['transform', '--dump', 'samples', '--out', out, '--supabase-url', s.url])).code, 0);
  t.equal(
    (await cli(['push-images', '--out', out, '--supabase-url', s.url], { SUPABASE_SERVICE_ROLE_KEY: s.key })).code,
    0,
  );
  const coach = s.buckets.get('coach-images')!;
  s.buckets.set('coach-images', { ...coach, public: false });
  const coachObjects = (
    JSON.parse(readFileSync(join(out, 'images/manifest.json'), 'utf8')) as { bucket: string }[]
  ).filter((e) => e.bucket === 'coach-images').length;
  let r = await cli(['check-images', '--out', out, '--supabase-url', s.url], { SUPABASE_SERVICE_ROLE_KEY: s.key });
  t.equal(r.code, 1);
  t.match(
    r.stderr,
    /bucket coach-images exists but is private: every image URL in migration\.sql is a public URL.*make it public/,
  );
  t.match(
    r.stdout,
    new RegExp(
      `check-images: ${9 - coachObjects} match, 0 differ, 0 missing, 0 could not be checked, ${coachObjects} not fetched \\(bucket coach-images is private\\), of 9`,
    ),
  );
  r = await cli(['check-images', '--out', out, '--supabase-url', s.url]);
  t.equal(r.code, 1);
  t.match(
    r.stderr,
    new RegExp(
      `none of the ${coachObjects} objects of bucket coach-images answers: the bucket is private or missing \\(with SUPABASE_SERVICE_ROLE_KEY set, check-images asks which\\)`,
    ),
  );
});
