// push-images, check-images and remove-images against a server that answers like Supabase Storage.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { cli } from './helpers/cli.js';
import { startFakeStorage, type FakeStorage, type FakeStorageKnobs } from './helpers/fake-storage.js';

let out = '';
t.before(async () => {
  out = join(t.testdir({}), 'out');
  await runTransform({ dump: ['samples'], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
});
const manifest = (): { bucket: string; path: string; sha256: string; contentType: string }[] => JSON.parse(readFileSync(join(out, 'images/manifest.json'), 'utf8'));

async function server(t: Test, knobs: Partial<FakeStorageKnobs> = {}): Promise<FakeStorage> {
  const s = await startFakeStorage(undefined, knobs);
  t.teardown(() => s.close());
  return s;
}
const push = (s: FakeStorage, ...args: string[]) => cli(['push-images', '--out', out, '--supabase-url', s.url, '--retry-base-ms', '1', ...args], { SUPABASE_SERVICE_ROLE_KEY: s.key });

t.test('first run uploads everything; a re-run uploads nothing', async (t) => {
  const s = await server(t);
  let r = await push(s);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /^push-images: 9 uploaded, 0 skipped \(already there\), 0 failed, of 9 \(8\.6 kB\) to http:\/\/127\.0\.0\.1:\d+\n$/);
  t.match(r.stderr, /bucket category-icons: created\nbucket coach-images: created/);
  for (const b of ['coach-images', 'category-icons']) t.same(s.buckets.get(b), { public: true, allowedMimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/svg+xml'] }, `${b}: public, image types only`);
  for (const m of manifest()) {
    const o = s.objects.get(`${m.bucket}/${m.path}`)!;
    t.equal(o.sha256, m.sha256, `${m.path}: the bytes`);
    t.equal(o.contentType, m.contentType, `${m.path}: the sniffed content type (not text/plain)`);
    t.equal(o.cacheControl, 'max-age=31536000', `${m.path}: a long cache (content-addressed)`);
  }
  const uploads = s.seen.uploads;
  r = await push(s);
  t.equal(r.code, 0);
  t.match(r.stdout, /push-images: 0 uploaded, 9 skipped \(already there\), 0 failed/);
  t.match(r.stderr, /bucket coach-images: exists/, 'an existing bucket is fine');
  t.equal(s.seen.uploads, uploads, 'nothing uploaded the second time');
  t.same([...s.seen.authHeaders], [`Bearer ${s.key}`], 'the bearer key is sent');
  t.notMatch(r.stdout + r.stderr, s.key, 'the key is never printed');

  r = await cli(['push-images', '--out', out, '--supabase-url', s.url, '--check'], { SUPABASE_SERVICE_ROLE_KEY: s.key });
  t.equal(r.code, 0);
  t.match(r.stdout, /check-images: 9 match, 0 differ or are missing/);
});

t.test('failure halfway, then resume without duplicates', async (t) => {
  const s = await server(t, { failUploadsAfter: 4 });
  let r = await push(s, '--retries', '1', '--concurrency', '1');
  t.equal(r.code, 1);
  t.match(r.stdout, /4 uploaded, 0 skipped \(already there\), 5 failed/);
  t.match(r.stderr, /retry 1 .*Service Unavailable/);
  t.match(r.stderr, /failed .*: Service Unavailable/);
  s.knobs.failUploadsAfter = Infinity;
  r = await push(s);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /5 uploaded, 4 skipped/);
  t.equal(s.objects.size, 9, 'each object once');
});

t.test('429 and HTML error pages are retried until they pass', async (t) => {
  const s = await server(t, { rateLimitNext: 3, htmlErrorsNext: 2 });
  const r = await push(s);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /9 uploaded/);
  t.equal((r.stderr.match(/^retry /gm) ?? []).length, 5, 'five retries, each said');
  t.match(r.stderr, /Too many requests/);
  t.match(r.stderr, /Bad Gateway/);
});

t.test('413, 415 and a wrong key fail clearly, without retrying', async (t) => {
  const s = await server(t, { maxSize: 1000 });
  let r = await push(s);
  t.equal(r.code, 1);
  t.match(r.stderr, /failed (coach-images|category-icons)\/\d+-[0-9a-f]{16}\.(png|gif): the object is larger than the upload limit \(413: The object exceeded the maximum allowed size\); raise the bucket's file size limit/);
  t.ok([...s.seen.uploadAttempts.values()].every((n) => n === 1), 'no retry on 413');

  const s2 = await server(t);
  s2.buckets.set('coach-images', { public: true, allowedMimeTypes: ['image/png'] });
  r = await push(s2);
  t.equal(r.code, 1);
  t.match(r.stderr, /the bucket refused the content type \(415: mime type image\/jpeg is not supported\); add the image types/);

  const s3 = await server(t);
  r = await cli(['push-images', '--out', out, '--supabase-url', s3.url], { SUPABASE_SERVICE_ROLE_KEY: 'wrong-key-wrong-key' });
  t.equal(r.code, 2);
  t.match(r.stderr, /the Storage API refused the service key \(403: invalid signature\); set SUPABASE_SERVICE_ROLE_KEY/);
  t.notMatch(r.stderr, /wrong-key-wrong-key/);
  t.equal(s3.seen.requests, 1, 'stops at the first refusal');

  r = await cli(['push-images', '--out', out, '--supabase-url', s3.url], {});
  t.equal(r.code, 2);
  t.match(r.stderr, /set SUPABASE_SERVICE_ROLE_KEY to the project's service_role key/);
});

t.test('the concurrency bound is kept, and kept busy', async (t) => {
  const s = await server(t, { delayMs: 40 });
  const r = await push(s, '--concurrency', '3');
  t.equal(r.code, 0);
  t.equal(s.seen.maxInFlight, 3, 'never more than 3 at once, and 3 at once');
  const s2 = await server(t, { delayMs: 40 });
  await push(s2);
  t.equal(s2.seen.maxInFlight, 6, 'the default is 6');
});

t.test('--dry-run touches no network; check-images finds a bad object; remove-images removes exactly ours', async (t) => {
  const s = await server(t);
  let r = await push(s, '--dry-run');
  t.equal(r.code, 0);
  t.equal(s.seen.requests, 0);
  t.match(r.stdout, /would upload category-icons\/5-[0-9a-f]{16}\.svg \(image\/svg\+xml, \d+ B\)/);
  t.match(r.stdout, /push-images --dry-run: 9 objects, 8\.6 kB/);

  t.equal((await push(s)).code, 0);
  const first = manifest()[0]!;
  const key = `${first.bucket}/${first.path}`;
  const o = s.objects.get(key)!;
  s.objects.set(key, { ...o, bytes: Buffer.concat([o.bytes!, Buffer.from('x')]) });
  r = await cli(['check-images', '--out', out, '--supabase-url', s.url]);
  t.equal(r.code, 1);
  t.match(r.stderr, new RegExp(`mismatch ${key.replace('.', '\\.')}: \\d+ bytes, expected \\d+`));
  t.match(r.stdout, /check-images: 8 match, 1 differ or are missing/);

  s.objects.set('coach-images/someone-elses.png', { ...o });
  r = await cli(['remove-images', '--out', out, '--supabase-url', s.url], { SUPABASE_SERVICE_ROLE_KEY: s.key });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /remove-images: 9 removed, 0 were not there, of 9/);
  t.same([...s.objects.keys()], ['coach-images/someone-elses.png'], 'only the manifest\'s objects are removed');
  r = await cli(['remove-images', '--out', out, '--supabase-url', s.url], { SUPABASE_SERVICE_ROLE_KEY: s.key });
  t.match(r.stdout, /0 removed, 9 were not there/, 'running it again is harmless');
});

t.test('options and inputs', async (t) => {
  let r = await cli(['push-images', '--out', out, '--concurrency', '0']);
  t.equal(r.code, 2);
  t.match(r.stderr, /--concurrency takes a whole number from 1 to 64/);
  r = await cli(['push-images', '--out', join(out, 'nope')]);
  t.equal(r.code, 2);
  t.match(r.stderr, /run transform first/);
});

t.test('a thousand images with flat memory: retained memory sampled every 50 uploads', async (t) => {
  const { writeManyImages } = await import('./helpers/many-images.js');
  const { retainedBytes } = await import('./helpers/memory.js');
  const many = join(t.testdir({}), 'out');
  const total = writeManyImages(many, 1000, 100_000);
  const baseline = retainedBytes();
  let peak = baseline;
  // sampled as the uploads arrive (after a collection), not on a timer: the machine's load cannot change when
  const s = await server(t, { keepBytes: false, onUpload: (n) => void (n % 50 === 0 && (peak = Math.max(peak, retainedBytes()))) });
  const r = await cli(['push-images', '--out', many, '--supabase-url', s.url], { SUPABASE_SERVICE_ROLE_KEY: s.key });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /1000 uploaded/);
  t.equal(total, 100_000_000);
  // Files are read just before their upload: at most `concurrency` of them are held at once. Holding them
  // all would retain at least 100 MB.
  t.ok(peak - baseline < 20_000_000, `peak retained memory grew by ${((peak - baseline) / 1e6).toFixed(1)} MB while uploading 100 MB (20 samples)`);
});
