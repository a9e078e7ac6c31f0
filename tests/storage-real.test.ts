// push-images, check-images and remove-images against the real Supabase Storage server (issue 16), when
// STORAGE_TEST_URL, STORAGE_TEST_SERVICE_KEY and STORAGE_TEST_ANON_KEY are set (scripts/real-storage.sh starts
// one and writes them); skipped otherwise, as the PostgreSQL tests are without DATABASE_URL. The same suite
// runs behind a gateway that buffers request bodies (STORAGE_TEST_URL) and, when STORAGE_TEST_STREAMING_URL is
// set, one that streams them. Every assertion is on what the server holds afterwards, not only on exit codes.
import { randomBytes } from 'node:crypto';
import { TINY_JPEG, TINY_PNG, withTail } from './helpers/tiny-images.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageClient } from '@supabase/storage-js';
import t, { type Test } from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { cli } from './helpers/cli.js';
import { writeMiniDump } from './helpers/mini-dump.js';

const env = process.env;
const SERVICE = env['STORAGE_TEST_SERVICE_KEY'] ?? '';
const ANON = env['STORAGE_TEST_ANON_KEY'] ?? '';
const URLS = [
  ['buffering gateway', env['STORAGE_TEST_URL']],
  ['streaming gateway', env['STORAGE_TEST_STREAMING_URL']],
].filter((u): u is [string, string] => u[1] !== undefined && u[1] !== '');
const skip =
  URLS.length === 0 || SERVICE === '' || ANON === ''
    ? {
        skip: 'STORAGE_TEST_URL, STORAGE_TEST_SERVICE_KEY and STORAGE_TEST_ANON_KEY are not set: no real Storage server (scripts/real-storage.sh starts one)',
      }
    : {};

/** An out/ whose images no earlier run uploaded: real one-pixel PNGs and JPEGs, each with random bytes after its end. */
async function freshOut(
  t: Test,
  url: string,
  n: number,
): Promise<{ out: string; manifest: { bucket: string; path: string; size: number }[] }> {
  const dir = t.testdir({});
  const image = (i: number): Buffer => withTail(i % 2 === 0 ? TINY_PNG : TINY_JPEG, randomBytes(2000 + i * 100_000));
  writeMiniDump(dir, {
    tls_image: Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      extension: i % 2 === 0 ? 'png' : 'jpg',
      data: image(i),
    })),
    tls_coach: Array.from({ length: Math.ceil(n / 4) }, (_, c) => ({
      id: c + 1,
      name: c === 0 ? 'Daniel' : `Coach ${c + 1}`,
      image_id: 4 * c + 1 <= n ? 4 * c + 1 : null,
      image30_id: 4 * c + 2 <= n ? 4 * c + 2 : null,
      image45_id: 4 * c + 3 <= n ? 4 * c + 3 : null,
      image60_id: 4 * c + 4 <= n ? 4 * c + 4 : null,
    })),
  });
  const out = join(dir, 'out');
  await runTransform({
    dump: [dir],
    out,
    sourceTimezone: 'UTC',
    strict: false,
    breakCycles: false,
    supabaseUrl: url,
    env: {},
  });
  return { out, manifest: JSON.parse(readFileSync(join(out, 'images', 'manifest.json'), 'utf8')) };
}

const run = (cmd: string, out: string, url: string, key: string | null, ...more: string[]) =>
  cli(
    [cmd, '--out', out, '--supabase-url', url, '--retries', '2', '--retry-base-ms', '20', ...more],
    key === null ? {} : { SUPABASE_SERVICE_ROLE_KEY: key },
  );

for (const [name, url] of URLS) {
  t.test(`the real Storage server, behind a ${name}`, skip, async (t) => {
    const client = new StorageClient(`${url}/storage/v1`, { apikey: SERVICE, Authorization: `Bearer ${SERVICE}` });
    const { out, manifest } = await freshOut(t, url, 8);
    const sizes = manifest.reduce((a, m) => a + m.size, 0);

    let r = await run('push-images', out, url, SERVICE);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, new RegExp(`push-images: 8 uploaded, 0 already there`));
    t.match(r.stdout, /on the server now: 8 of 8 objects, each with the local file's md5/);

    // a re-run sends no image bytes: what is there is learned from the listing
    r = await run('push-images', out, url, SERVICE);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /push-images: 0 uploaded, 8 already there \(the same md5\), 0 failed.*; 0 B sent/);
    t.ok(sizes > 300_000, `${sizes} bytes of images, none sent again`);

    r = await run('check-images', out, url, null);
    t.match(r.stdout, /check-images: 8 match, 0 differ, 0 missing, 0 could not be checked/);

    // the anon key: accepted by the server, hidden by row-level security; nothing may claim success
    r = await run('remove-images', out, url, ANON);
    t.equal(r.code, 2, 'remove-images with the anon key fails');
    t.match(r.stderr, /nothing was removed: SUPABASE_SERVICE_ROLE_KEY must be the project's service_role key/);
    r = await run('check-images', out, url, null);
    t.match(r.stdout, /8 match/, 'and every object is still there');
    r = await run('push-images', out, url, ANON);
    t.equal(r.code, 2, 'push-images with the anon key fails');
    t.match(r.stderr, /service_role key/);

    // a conflict: other bytes of the same size at one of our paths
    const victim = manifest[1]!;
    const del = await client.from(victim.bucket).remove([victim.path]);
    t.equal(del.error, null);
    const other = randomBytes(victim.size);
    const put = await client
      .from(victim.bucket)
      .upload(victim.path, other, { contentType: 'image/jpeg', upsert: false });
    t.equal(put.error, null);
    r = await run('push-images', out, url, SERVICE);
    t.equal(r.code, 1, 'a conflict fails the push');
    t.match(
      r.stderr,
      new RegExp(
        `conflict: ${victim.bucket}/${victim.path.replace('.', '\\.')} already holds other content \\(md5 [0-9a-f]{32}, the local file's [0-9a-f]{32}\\)`,
      ),
    );
    t.match(r.stdout, /on the server now: 7 of 8/);
    const still = await client.from(victim.bucket).download(victim.path);
    t.same(Buffer.from(await still.data!.arrayBuffer()), other, 'the other object is not overwritten');
    t.equal((await client.from(victim.bucket).remove([victim.path])).error, null);

    // a private bucket, then one that refuses our types
    const bucket = manifest[0]!.bucket;
    t.equal((await client.updateBucket(bucket, { public: false })).error, null);
    r = await run('push-images', out, url, SERVICE);
    t.equal(r.code, 2);
    t.match(
      r.stderr,
      new RegExp(`bucket ${bucket} exists but is private: every image URL in migration.sql is a public URL`),
    );
    t.equal((await client.updateBucket(bucket, { public: true, allowedMimeTypes: ['image/gif'] })).error, null);
    r = await run('push-images', out, url, SERVICE);
    t.equal(r.code, 2);
    t.match(r.stderr, new RegExp(`bucket ${bucket} does not allow image/jpeg, image/png \\(it allows image/gif\\)`));
    t.equal(
      (
        await client.updateBucket(bucket, {
          public: true,
          allowedMimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/svg+xml'],
        })
      ).error,
      null,
    );

    // the removed conflict is uploaded again; then the service key removes everything, and says so truly
    r = await run('push-images', out, url, SERVICE);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /push-images: 1 uploaded, 7 already there/);
    // another's bytes at one of our paths again: remove-images removes the other seven and leaves it (the md5 rule)
    t.equal((await client.from(victim.bucket).remove([victim.path])).error, null);
    t.equal(
      (await client.from(victim.bucket).upload(victim.path, other, { contentType: 'image/jpeg', upsert: false })).error,
      null,
    );
    r = await run('remove-images', out, url, SERVICE);
    t.equal(r.code, 1, 'a conflict left in place fails the removal');
    t.match(
      r.stdout,
      /remove-images: 7 removed, 0 were not there, of 8; left in place: 1 not ours, 0 still referenced by the target/,
    );
    t.match(
      r.stderr,
      new RegExp(
        `not removed ${victim.bucket}/${victim.path.replace('.', '\\.')}: not ours \\(md5 [0-9a-f]{32}, the local file's [0-9a-f]{32}\\)`,
      ),
    );
    const kept = await client.from(victim.bucket).download(victim.path);
    t.same(
      Buffer.from(await kept.data!.arrayBuffer()),
      other,
      "the other's object is still there, its bytes untouched",
    );
    t.equal((await client.from(victim.bucket).remove([victim.path])).error, null);
    r = await run('check-images', out, url, null);
    t.match(r.stdout, /0 match, 0 differ, 8 missing/, 'gone from the server');
  });
}
