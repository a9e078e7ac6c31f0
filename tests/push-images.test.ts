// push-images, check-images and remove-images against the test Storage server (tests/helpers/fake-storage.ts:
// each behaviour written beside the real server's answer it imitates; tests/storage-real.test.ts runs against
// the real one).
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync } from 'node:fs';
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
const manifest = (): { bucket: string; path: string; sha256: string; contentType: string }[] =>
  JSON.parse(readFileSync(join(out, 'images/manifest.json'), 'utf8'));

async function server(t: Test, knobs: Partial<FakeStorageKnobs> = {}): Promise<FakeStorage> {
  const s = await startFakeStorage(undefined, knobs);
  t.teardown(() => s.close());
  return s;
}
const push = (s: FakeStorage, ...args: string[]) =>
  cli(['push-images', '--out', out, '--supabase-url', s.url, '--allow-other-url', '--retry-base-ms', '1', ...args], {
    SUPABASE_SERVICE_ROLE_KEY: s.key,
  });

// first, before the other tests' servers and clients leave garbage that a later collection would count
t.test(
  'a thousand images: at most the concurrency of them held (retained memory reported, not asserted)',
  async (t) => {
    const { writeManyImages } = await import('./helpers/many-images.js');
    const { retainedBytes } = await import('./helpers/memory.js');
    const many = join(t.testdir({}), 'out');
    const total = writeManyImages(many, 1000, 100_000);
    const baseline = retainedBytes();
    let peak = baseline;
    // sampled as the uploads arrive (after a collection), not on a timer: the machine's load cannot change when
    const s = await server(t, {
      keepBytes: false,
      onUpload: (n) => void (n % 50 === 0 && (peak = Math.max(peak, retainedBytes()))),
    });
    const r = await cli(['push-images', '--out', many, '--supabase-url', s.url, '--allow-other-url'], {
      SUPABASE_SERVICE_ROLE_KEY: s.key,
    });
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /1000 uploaded/);
    t.equal(total, 100_000_000);
    // A file is read inside the same bound as its upload (push-images.ts: p-limit), and let go when the upload
    // ends: so the uploads open at once are the files held. Holding them all would retain 100 MB; what a collection
    // leaves depends on the collector and the load, so it is only reported.
    t.ok(s.seen.maxInFlight <= 6, `at most 6 uploads (the default concurrency) at once: ${s.seen.maxInFlight}`);
    t.comment(
      `peak retained memory grew by ${((peak - baseline) / 1e6).toFixed(1)} MB while uploading 100 MB (20 samples)`,
    );
  },
);

t.test('first run uploads everything; a re-run uploads nothing', async (t) => {
  const s = await server(t);
  let r = await push(s);
  t.equal(r.code, 0, r.stderr);
  t.match(
    r.stdout,
    /^push-images: 9 uploaded, 0 already there \(the same md5\), 0 failed, of 9 \(8\.6 kB\) to http:\/\/127\.0\.0\.1:\d+; 8\.6 kB sent\non the server now: 9 of 9 objects, each with the local file's md5\n$/,
  );
  t.match(r.stderr, /bucket category-icons: created\nbucket coach-images: created/);
  for (const b of ['coach-images', 'category-icons'])
    t.same(
      s.buckets.get(b),
      { public: true, allowedMimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/svg+xml'] },
      `${b}: public, image types only`,
    );
  for (const m of manifest()) {
    const o = s.objects.get(`${m.bucket}/${m.path}`)!;
    t.equal(o.sha256, m.sha256, `${m.path}: the bytes`);
    t.equal(o.contentType, m.contentType, `${m.path}: the sniffed content type (not text/plain)`);
    t.equal(o.cacheControl, 'max-age=31536000', `${m.path}: a long cache (content-addressed)`);
  }
  const uploads = s.seen.uploads;
  const received = s.seen.bytesReceived;
  r = await push(s);
  t.equal(r.code, 0);
  t.match(r.stdout, /push-images: 0 uploaded, 9 already there \(the same md5\), 0 failed.*; 0 B sent/);
  t.equal(s.seen.bytesReceived, received, 'no image byte sent the second time: what is there was listed first');
  t.equal(s.seen.bodiesUnread, 0, 'and no upload met a 409');
  t.match(r.stderr, /bucket coach-images: exists/, 'an existing bucket is fine');
  t.equal(s.seen.uploads, uploads, 'nothing uploaded the second time');
  t.same([...s.seen.authHeaders], [`Bearer ${s.key}`], 'the bearer key is sent');
  t.notMatch(r.stdout + r.stderr, s.key, 'the key is never printed');

  r = await cli(['push-images', '--out', out, '--supabase-url', s.url, '--allow-other-url', '--check'], {
    SUPABASE_SERVICE_ROLE_KEY: s.key,
  });
  t.equal(r.code, 0);
  t.match(r.stdout, /check-images: 9 match, 0 differ, 0 missing, 0 could not be checked/);
});

t.test('failure halfway, then resume without duplicates', async (t) => {
  const s = await server(t, { failUploadsAfter: 4 });
  let r = await push(s, '--retries', '1', '--concurrency', '1');
  t.equal(r.code, 1);
  t.match(r.stdout, /4 uploaded, 0 already there \(the same md5\), 5 failed/);
  t.match(r.stdout, /on the server now: 4 of 9/, 'the summary says what the server holds');
  t.match(r.stderr, /retry 1 .*Service Unavailable/);
  t.match(r.stderr, /failed .*: Service Unavailable/);
  s.knobs.failUploadsAfter = Infinity;
  r = await push(s);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /5 uploaded, 4 already there/);
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
  t.match(
    r.stderr,
    /failed (coach-images|category-icons)\/\d+-[0-9a-f]{16}\.(png|gif): the object is larger than the upload limit \(413: The object exceeded the maximum allowed size\); raise the bucket's file size limit/,
  );
  t.ok(
    [...s.seen.uploadAttempts.values()].every((n) => n === 1),
    'no retry on 413',
  );

  const s2 = await server(t);
  s2.buckets.set('coach-images', { public: true, allowedMimeTypes: ['image/png'] });
  r = await push(s2);
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    /bucket coach-images does not allow image\/gif, image\/jpeg, image\/webp \(it allows image\/png\): add them to the bucket's allowed MIME types/,
  );
  t.equal(s2.seen.uploads, 0, 'refused before any upload');
  s2.buckets.set('coach-images', { public: false, allowedMimeTypes: null });
  r = await push(s2);
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    /bucket coach-images exists but is private: every image URL in migration\.sql is a public URL, and a private bucket answers each with 400; make it public/,
  );

  const s3 = await server(t);
  r = await cli(['push-images', '--out', out, '--supabase-url', s3.url, '--allow-other-url'], {
    SUPABASE_SERVICE_ROLE_KEY: 'wrong-key-wrong-key',
  });
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    /the Storage API refused the request \(403: Invalid Compact JWS\): SUPABASE_SERVICE_ROLE_KEY must be the project's service_role key/,
  );
  t.notMatch(r.stderr, /wrong-key-wrong-key/);
  t.equal(s3.seen.requests, 1, 'stops at the first refusal');

  r = await cli(['push-images', '--out', out, '--supabase-url', s3.url, '--allow-other-url'], {});
  t.equal(r.code, 2);
  t.match(r.stderr, /set SUPABASE_SERVICE_ROLE_KEY to the project's service_role key/);
});

// The server holds the uploads until the bound is reached, so the count is the client's decision, not the
// scheduler's: on a loaded machine a 40 ms answer could come back before the client had sent its sixth.
t.test('the concurrency bound is kept, and kept busy', async (t) => {
  const s = await server(t, { holdUploadsUntilInFlight: 3 });
  const r = await push(s, '--concurrency', '3');
  t.equal(r.code, 0);
  t.equal(s.seen.maxInFlight, 3, 'never more than 3 at once, and 3 at once');
  const s2 = await server(t, { holdUploadsUntilInFlight: 6 });
  t.equal((await push(s2)).code, 0);
  t.equal(s2.seen.maxInFlight, 6, 'the default is 6');
});

t.test(
  '--dry-run touches no network; check-images finds a bad object; remove-images removes exactly ours',
  async (t) => {
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
    t.match(r.stderr, new RegExp(`differs ${key.replace('.', '\\.')}: \\d+ bytes, expected \\d+`));
    t.match(r.stdout, /check-images: 8 match, 1 differ, 0 missing, 0 could not be checked/);

    s.objects.set('coach-images/someone-elses.png', { ...o });
    r = await cli(['remove-images', '--out', out, '--supabase-url', s.url], { SUPABASE_SERVICE_ROLE_KEY: s.key });
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /remove-images: 9 removed, 0 were not there, of 9/);
    t.same([...s.objects.keys()], ['coach-images/someone-elses.png'], "only the manifest's objects are removed");
    r = await cli(['remove-images', '--out', out, '--supabase-url', s.url], { SUPABASE_SERVICE_ROLE_KEY: s.key });
    t.match(r.stdout, /0 removed, 9 were not there/, 'running it again is harmless');
  },
);

t.test('an object of other bytes at one of our paths is a conflict: reported, exit 1, never overwritten', async (t) => {
  const s = await server(t);
  t.equal((await push(s)).code, 0);
  const m = manifest()[2]!;
  const k = `${m.bucket}/${m.path}`;
  const o = s.objects.get(k)!;
  const other = Buffer.alloc(o.size, 7); // the same size, other bytes: size alone would call it ours
  s.objects.set(k, { ...o, bytes: other, md5: createHash('md5').update(other).digest('hex') });
  const r = await push(s);
  t.equal(r.code, 1);
  t.match(
    r.stderr,
    new RegExp(
      `failed ${k.replace('.', '\\.')}: conflict: ${k.replace('.', '\\.')} already holds other content \\(md5 [0-9a-f]{32}, the local file's [0-9a-f]{32}\\)`,
    ),
  );
  t.match(r.stdout, /0 uploaded, 8 already there \(the same md5\), 1 failed.*\non the server now: 8 of 9/);
  t.same(s.objects.get(k)!.bytes, other, 'not overwritten');
});

t.test(
  "remove-images leaves a push's conflict (another's bytes of the same size at our path) and what the target's rows reference",
  async (t) => {
    const s = await server(t);
    t.equal((await push(s)).code, 0);
    const [m, used] = [manifest()[2]!, manifest()[3]!];
    const k = `${m.bucket}/${m.path}`;
    const other = Buffer.alloc(s.objects.get(k)!.size, 7);
    s.objects.set(k, {
      ...s.objects.get(k)!,
      bytes: other,
      sha256: createHash('sha256').update(other).digest('hex'),
      md5: createHash('md5').update(other).digest('hex'),
      metadata: null,
    });
    // a target whose row still shows one of the images (as after a rollback that was not run)
    const { pgliteTarget } = await import('../lib/db/target-db.js');
    const target = await pgliteTarget();
    t.teardown(() => target.close());
    await target.applySql(
      `CREATE TABLE coaches (legacy_id int, photo_url text); INSERT INTO coaches VALUES (1, 'http://elsewhere/storage/v1/object/public/${used.bucket}/${used.path}')`,
      'setup',
    );
    const r = await cli(['remove-images', '--out', out, '--supabase-url', s.url, '--db', target.connectionString], {
      SUPABASE_SERVICE_ROLE_KEY: s.key,
    });
    t.equal(r.code, 1, 'a conflict left in place fails the run');
    t.match(
      r.stdout,
      /remove-images: 7 removed, 0 were not there, of 9; left in place: 1 not ours, 1 still referenced by the target/,
    );
    t.match(
      r.stderr,
      new RegExp(
        `not removed ${k.replace('.', '\\.')}: not ours \\(md5 [0-9a-f]{32}, the local file's [0-9a-f]{32}\\)`,
      ),
    );
    t.same(
      [...s.objects.keys()].sort(),
      [k, `${used.bucket}/${used.path}`].sort(),
      "only the two are left: the other's object, and the one a row shows",
    );
    t.same(s.objects.get(k)!.bytes, other, "the other's bytes untouched");
  },
);

t.test('the anon key: push refused, remove-images fails instead of claiming it removed nothing', async (t) => {
  const s = await server(t);
  t.equal((await push(s)).code, 0);
  let r = await cli(['remove-images', '--out', out, '--supabase-url', s.url, '--retry-base-ms', '1'], {
    SUPABASE_SERVICE_ROLE_KEY: s.anonKey,
  });
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    /lists none of our objects to this key, yet .* answers at its public URL; nothing was removed: SUPABASE_SERVICE_ROLE_KEY must be the project's service_role key/,
  );
  t.equal(s.objects.size, 9, 'every object still there');
  r = await cli(['push-images', '--out', out, '--supabase-url', s.url, '--allow-other-url', '--retry-base-ms', '1'], {
    SUPABASE_SERVICE_ROLE_KEY: s.anonKey,
  });
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    /creating bucket category-icons: the Storage API refused the request \(403: new row violates row-level security policy\)/,
  );
});

t.test('a manifest image missing on disk fails that image, by name; the others upload', async (t) => {
  const dir = t.testdir({});
  const copy = join(dir, 'out');
  cpSync(out, copy, { recursive: true });
  const gone = manifest()[0]!;
  rmSync(join(copy, 'images', gone.bucket, gone.path));
  const s = await server(t);
  const r = await cli(
    ['push-images', '--out', copy, '--supabase-url', s.url, '--allow-other-url', '--retry-base-ms', '1'],
    { SUPABASE_SERVICE_ROLE_KEY: s.key },
  );
  t.equal(r.code, 1);
  t.match(
    r.stderr,
    new RegExp(
      `failed ${gone.bucket}/${gone.path.replace('.', '\\.')}: cannot read the local file images/${gone.bucket}/${gone.path.replace('.', '\\.')} \\(ENOENT\\): run transform again`,
    ),
  );
  t.match(r.stdout, /8 uploaded, 0 already there \(the same md5\), 1 failed/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

t.test('a URL other than the one the manifest and migration.sql name is refused, unless asked for', async (t) => {
  const s = await server(t);
  let r = await cli(['push-images', '--out', out, '--supabase-url', s.url], { SUPABASE_SERVICE_ROLE_KEY: s.key });
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    /the image URLs in the manifest and migration\.sql point at http:\/\/127\.0\.0\.1:54321, but the images would go to http:\/\/127\.0\.0\.1:\d+, where the SQL would not find them: run transform again with --supabase-url/,
  );
  t.equal(s.seen.requests, 0, 'nothing sent');
  r = await cli(['push-images', '--out', out, '--supabase-url', s.url, '--allow-other-url'], {
    SUPABASE_SERVICE_ROLE_KEY: s.key,
  });
  t.equal(r.code, 0, r.stderr);
  t.match(
    r.stderr,
    /warning: transform wrote URLs for http:\/\/127\.0\.0\.1:54321, but images go to .* \(--allow-other-url\)/,
  );
});

t.test('options and inputs', async (t) => {
  let r = await cli(['push-images', '--out', out, '--concurrency', '0']);
  t.equal(r.code, 2);
  t.match(r.stderr, /--concurrency takes a whole number from 1 to 64/);
  r = await cli(['push-images', '--out', join(out, 'nope')]);
  t.equal(r.code, 2);
  t.match(r.stderr, /run transform first/);
});

// Faults between the tool and the server (tests/helpers/fault-proxy.ts says what each stands for). What is
// asserted is what the server holds at the end, not only the exit code.
t.test(
  'resets, cut-off answers, slow answers, 503 and 429 bursts: retried; the server ends with every object once',
  async (t) => {
    const { startFaultProxy } = await import('./helpers/fault-proxy.js');
    const s = await server(t);
    // every third request spoiled, in turn: each fault several times, on bucket calls, listings and uploads alike
    const faults = ['reset', 'reset-after', 'truncate', 'slow', '503', '429'] as const;
    const proxy = await startFaultProxy(s.url, (n) => (n % 3 === 0 ? faults[(n / 3) % faults.length]! : null), 50);
    t.teardown(() => proxy.close());
    const r = await cli(
      [
        'push-images',
        '--out',
        out,
        '--supabase-url',
        proxy.url,
        '--allow-other-url',
        '--retries',
        '6',
        '--retry-base-ms',
        '1',
        '--concurrency',
        '3',
      ],
      { SUPABASE_SERVICE_ROLE_KEY: s.key },
    );
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /on the server now: 9 of 9 objects/);
    t.ok(
      [...proxy.injected.values()].reduce((a, b) => a + b, 0) >= 6,
      `faults injected: ${JSON.stringify([...proxy.injected])}`,
    );
    t.equal(s.objects.size, 9, 'every object on the server');
    for (const m of manifest())
      t.equal(s.objects.get(`${m.bucket}/${m.path}`)?.sha256, m.sha256, `${m.path}: the right bytes`);
    t.ok(
      [...s.seen.uploadAttempts.values()].every((n) => n <= 2),
      'an upload whose answer was lost is found there, not sent again and again',
    );

    // check-images through the same faults: every object checked, none "missing" because of a fault
    const c = await cli([
      'check-images',
      '--out',
      out,
      '--supabase-url',
      proxy.url,
      '--retries',
      '6',
      '--retry-base-ms',
      '1',
    ]);
    t.equal(c.code, 0, c.stderr);
    t.match(c.stdout, /check-images: 9 match, 0 differ, 0 missing, 0 could not be checked/);

    // remove-images through them: the objects are gone at the end
    const d = await cli(
      ['remove-images', '--out', out, '--supabase-url', proxy.url, '--retries', '6', '--retry-base-ms', '1'],
      { SUPABASE_SERVICE_ROLE_KEY: s.key },
    );
    t.equal(d.code, 0, d.stderr);
    t.equal(s.objects.size, 0, 'nothing left on the server');
  },
);

t.test('a fault that does not pass: check-images says "could not be checked", not "missing"', async (t) => {
  const { startFaultProxy } = await import('./helpers/fault-proxy.js');
  const s = await server(t);
  t.equal((await push(s)).code, 0);
  const proxy = await startFaultProxy(s.url, () => '503');
  t.teardown(() => proxy.close());
  const r = await cli([
    'check-images',
    '--out',
    out,
    '--supabase-url',
    proxy.url,
    '--retries',
    '2',
    '--retry-base-ms',
    '1',
  ]);
  t.equal(r.code, 1);
  t.match(r.stdout, /check-images: 0 match, 0 differ, 0 missing, 9 could not be checked/);
  t.match(r.stderr, /could not be checked after 3 tries: HTTP 503/);
});

// An upload that never gets an answer (tests/helpers/fault-proxy.ts: `hang` never reaches the server, `hang-after`
// does): each request has a deadline (--request-timeout-ms, short here so that the test is quick; the outcome is
// asserted, not how long it took), after which it is tried again like any network fault.
t.test('uploads left unanswered: each times out and is retried; the server ends with every object once', async (t) => {
  const { startFaultProxy } = await import('./helpers/fault-proxy.js');
  const s = await server(t);
  let uploads = 0;
  const proxy = await startFaultProxy(s.url, (_n, method, path) => {
    if (method !== 'POST' || !path.includes('/object/') || path.includes('/object/list/')) return null;
    uploads++;
    return uploads % 5 === 1 ? 'hang' : uploads % 5 === 3 ? 'hang-after' : null;
  });
  t.teardown(() => proxy.close());
  const r = await cli(
    [
      'push-images',
      '--out',
      out,
      '--supabase-url',
      proxy.url,
      '--allow-other-url',
      '--retries',
      '6',
      '--retry-base-ms',
      '1',
      '--request-timeout-ms',
      '300',
      '--concurrency',
      '3',
    ],
    { SUPABASE_SERVICE_ROLE_KEY: s.key },
  );
  t.equal(r.code, 0, r.stderr);
  t.ok(
    (proxy.injected.get('hang') ?? 0) >= 1 && (proxy.injected.get('hang-after') ?? 0) >= 1,
    `uploads left unanswered: ${JSON.stringify([...proxy.injected])}`,
  );
  t.match(r.stdout, /push-images: 9 uploaded, 0 already there .*, 0 failed, of 9/);
  t.match(r.stdout, /on the server now: 9 of 9 objects/);
  t.equal(s.objects.size, 9, 'every object on the server');
  for (const m of manifest())
    t.equal(s.objects.get(`${m.bucket}/${m.path}`)?.sha256, m.sha256, `${m.path}: the right bytes`);
});

t.test(
  'no upload ever answered: push-images gives up after its tries, names the timeout, says the server holds none',
  async (t) => {
    const { startFaultProxy } = await import('./helpers/fault-proxy.js');
    const s = await server(t);
    const proxy = await startFaultProxy(s.url, (_n, method, path) =>
      method === 'POST' && path.includes('/object/') && !path.includes('/object/list/') ? 'hang' : null,
    );
    t.teardown(() => proxy.close());
    const r = await cli(
      [
        'push-images',
        '--out',
        out,
        '--supabase-url',
        proxy.url,
        '--allow-other-url',
        '--retries',
        '1',
        '--retry-base-ms',
        '1',
        '--request-timeout-ms',
        '200',
      ],
      { SUPABASE_SERVICE_ROLE_KEY: s.key },
    );
    t.equal(r.code, 1, r.stderr);
    t.equal(proxy.injected.get('hang'), 18, 'each of the 9 uploads tried twice');
    t.match(r.stdout, /push-images: 0 uploaded, 0 already there .*, 9 failed, of 9/);
    t.match(r.stdout, /on the server now: 0 of 9 objects/);
    t.equal(s.objects.size, 0);
    // stderr is not a terminal here: the progress notes are the lines of the failures
    t.match(
      r.stderr,
      /failed (category-icons|coach-images)\/\S+: no answer within the request timeout \(--request-timeout-ms\)/,
    );
  },
);

// The README's exit codes: 1 when the target keeps failing (here every listing comes back cut off, after all
// the retries), 2 for what the user must change (a wrong key: the test of 413, 415 and a wrong key above).
t.test(
  'a bucket listing that keeps coming back truncated: exit 1 (STORAGE_UNAVAILABLE), saying what failed',
  async (t) => {
    const { startFaultProxy } = await import('./helpers/fault-proxy.js');
    const s = await server(t);
    const proxy = await startFaultProxy(s.url, (_n, _method, path) =>
      path.includes('/object/list/') ? 'truncate' : null,
    );
    t.teardown(() => proxy.close());
    const env = { SUPABASE_SERVICE_ROLE_KEY: s.key };
    const p = await cli(
      [
        'push-images',
        '--out',
        out,
        '--supabase-url',
        proxy.url,
        '--allow-other-url',
        '--retries',
        '2',
        '--retry-base-ms',
        '1',
      ],
      env,
    );
    t.equal(p.code, 1, p.stderr);
    t.match(
      p.stderr,
      /listing bucket (category-icons|coach-images): .*\(still so after 3 tries\)( \[network\])? \[STORAGE_UNAVAILABLE\]/,
    );
    t.equal(proxy.injected.get('truncate'), 3, 'the listing was tried 3 times, every answer cut off');
    const d = await cli(
      ['remove-images', '--out', out, '--supabase-url', proxy.url, '--retries', '1', '--retry-base-ms', '1'],
      env,
    );
    t.equal(d.code, 1, d.stderr);
    t.match(d.stderr, /\[STORAGE_UNAVAILABLE\]/);
  },
);
