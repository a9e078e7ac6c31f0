/** push-images, check-images and remove-images: argument parsing and printing only. */
import type { Argv } from 'yargs';
import { MigrateError } from '../errors.js';
import { formatBytes } from '../format.js';
import type { Bucket } from '../images/object-path.js';
import { loadManifest } from '../storage/manifest.js';
import { normalizeStorageOptions, otherProjectUrl, type StorageOptions } from '../storage/storage-options.js';
import { REQUEST_TIMEOUT_MS } from '../storage/timed-fetch.js';
import type { CliIo } from './io.js';
import { command } from './command.js';
import { progress } from './progress.js';

const common = (y: Argv) =>
  y
    .option('out', { type: 'string', default: 'out', describe: 'the transform output folder' })
    .option('supabase-url', { type: 'string', describe: 'default: $SUPABASE_URL, else http://127.0.0.1:54321' })
    .option('retries', {
      type: 'number',
      default: 5,
      describe: 'tries after the first, on 429, 5xx, network errors and non-JSON answers',
    })
    .option('retry-base-ms', {
      type: 'number',
      default: 500,
      describe: 'backoff: this × 2^attempt milliseconds',
      hidden: true,
    })
    .option('request-timeout-ms', {
      type: 'number',
      default: REQUEST_TIMEOUT_MS,
      describe:
        'a request without its whole answer after this many milliseconds is given up and tried again (one of --retries)',
    });
/** push-images and check-images send many requests at once; remove-images deletes in batches of 100. */
const withConcurrency = (y: Argv) =>
  common(y).option('concurrency', { type: 'number', default: 6, describe: 'requests in flight at once' });

type Common = StorageOptions;

async function check(c: Common, io: CliIo): Promise<number> {
  const { checkImages } = await import('../storage/check-images.js');
  const entries = await loadManifest(c.out);
  // with the service key, a private or missing bucket is said once, as such (its public URLs all answer 400 alike)
  const closed = await closedBuckets(entries, c, io);
  for (const why of closed.values()) io.stderr(`${why}\n`);
  const open = entries.filter((e) => !closed.has(e.bucket));
  const bar = progress(io, 'check', open.length);
  const r = await checkImages(open, c.url, c.concurrency, c.retry, () => bar.tick());
  bar.stop();
  for (const b of r.bad)
    io.stderr(`${b.verdict === 'unchecked' ? 'unchecked' : b.verdict} ${b.bucket}/${b.path}: ${b.reason}\n`);
  const n = (v: string): number => r.bad.filter((b) => b.verdict === v).length;
  // without the key: a bucket none of whose objects answer is missing or private, which the URLs cannot tell apart
  for (const bucket of [...new Set(open.map((e) => e.bucket))].sort()) {
    const all = open.filter((e) => e.bucket === bucket).length;
    if (r.bad.filter((b) => b.bucket === bucket && b.verdict === 'missing').length === all)
      io.stderr(
        `none of the ${all} objects of bucket ${bucket} answers: the bucket is private or missing (with SUPABASE_SERVICE_ROLE_KEY set, check-images asks which)\n`,
      );
  }
  const inClosed = entries.length - open.length;
  const closedSaid = [...closed.keys()]
    .map((b) => `bucket ${b} ${closed.get(b)!.includes('is private') ? 'is private' : 'is missing'}`)
    .join(', ');
  io.stdout(
    `check-images: ${r.ok} match, ${n('differs')} differ, ${n('missing')} missing, ${n('unchecked')} could not be checked${inClosed > 0 ? `, ${inClosed} not fetched (${closedSaid})` : ''}, of ${entries.length} (${c.url})\n`,
  );
  return r.bad.length === 0 && inClosed === 0 ? 0 : 1;
}

/** The manifest's buckets that are private or missing, each with what to say; asked only when the service key is set. */
async function closedBuckets(
  entries: readonly { bucket: Bucket }[],
  c: Common,
  io: CliIo,
): Promise<Map<Bucket, string>> {
  const closed = new Map<Bucket, string>();
  const { bucketState, privateBucket, serviceKey, storageClient, SERVICE_KEY_ENV } =
    await import('../storage/storage-target.js');
  if ((io.env[SERVICE_KEY_ENV] ?? '').trim() === '') return closed;
  const client = storageClient(c.url, serviceKey(io.env), c.retry.timeoutMs);
  for (const bucket of [...new Set(entries.map((e) => e.bucket))].sort()) {
    const state = await bucketState(client, bucket, c.retry);
    const count = entries.filter((e) => e.bucket === bucket).length;
    if (state === 'private') closed.set(bucket, `${privateBucket(bucket)}; its ${count} objects are not fetched`);
    if (state === 'missing')
      closed.set(bucket, `bucket ${bucket} does not exist: none of its ${count} objects is there; run push-images`);
  }
  return closed;
}

export const pushImagesCommand = command({
  name: 'push-images',
  describe: 'Upload out/images/ to Supabase Storage (the key comes from SUPABASE_SERVICE_ROLE_KEY)',
  builder: (y) =>
    withConcurrency(y)
      .option('dry-run', { type: 'boolean', default: false, describe: 'list what would be uploaded; no network' })
      .option('check', {
        type: 'boolean',
        default: false,
        describe: 'after uploading, fetch every object back and compare size and sha256',
      })
      .option('allow-other-url', {
        type: 'boolean',
        default: false,
        describe: "push to a project other than the one the manifest's (and migration.sql's) image URLs name",
      }),
  run: async (args, io) => {
    const c = normalizeStorageOptions(args, io.env);
    const entries = await loadManifest(c.out);
    const total = entries.reduce((a, e) => a + e.size, 0);
    const dryRun = args.dryRun;
    // the same check with and without --dry-run: a dry run says what the real push would refuse
    const other = otherProjectUrl(entries, c.url);
    if (other !== null) {
      if (!args.allowOtherUrl) {
        if (!dryRun) throw new MigrateError('OPTION_INVALID', other.mismatch);
        io.stderr(`push-images would refuse: ${other.mismatch}\n`);
      } else
        io.stderr(`warning: transform wrote URLs for ${other.used}, but images go to ${c.url} (--allow-other-url)\n`);
    }
    if (dryRun) {
      for (const e of entries)
        io.stdout(`would upload ${e.bucket}/${e.path} (${e.contentType}, ${formatBytes(e.size)})\n`);
      io.stdout(`push-images --dry-run: ${entries.length} objects, ${formatBytes(total)}, to ${c.url}\n`);
      return other !== null && !args.allowOtherUrl ? 1 : 0;
    }
    // storage-js loads when used, not at every command's start-up
    const { serviceKey } = await import('../storage/storage-target.js');
    const { pushImages } = await import('../storage/push-images.js');
    const key = serviceKey(io.env);
    const bar = progress(io, 'upload', entries.length);
    const r = await pushImages({
      outDir: c.out,
      entries,
      supabaseUrl: c.url,
      key,
      concurrency: c.concurrency,
      retry: c.retry,
      onEvent: (e) => {
        if (e.kind === 'uploaded' || e.kind === 'skipped' || e.kind === 'failed') bar.tick();
        if (e.kind === 'failed') bar.note(`failed ${e.entry.bucket}/${e.entry.path}: ${e.reason}`);
        if (e.kind === 'retry')
          bar.note(`retry ${e.attempt}${e.entry === null ? '' : ` ${e.entry.bucket}/${e.entry.path}`}: ${e.reason}`);
        if (e.kind === 'bucket') bar.note(`bucket ${e.bucket}: ${e.state}`);
      },
    });
    bar.stop();
    io.stdout(
      `push-images: ${r.uploaded} uploaded, ${r.skipped} already there (the same md5), ${r.failed.length} failed, of ${entries.length} (${formatBytes(total)}) to ${c.url}; ${formatBytes(r.bytesSent)} sent\n`,
    );
    io.stdout(`on the server now: ${r.onServer} of ${entries.length} objects, each with the local file's md5\n`);
    if (r.stale.length > 0) {
      io.stdout(
        `stale: ${r.stale.length} objects of ours in Storage that this manifest does not have (an earlier run's images; e.g. ${r.stale[0]!.bucket}/${r.stale[0]!.path}): remove-images --stale --db URL removes those no row of the target references\n`,
      );
    }
    if (r.failed.length > 0 || r.onServer < entries.length) return 1;
    return args.check ? check(c, io) : 0;
  },
});

export const checkImagesCommand = command({
  name: 'check-images',
  describe: 'Fetch every uploaded image back by its public URL and compare size and sha256',
  builder: withConcurrency,
  run: async (args, io) => check(normalizeStorageOptions(args, io.env), io),
});

export const removeImagesCommand = command({
  name: 'remove-images',
  describe:
    "Delete the manifest's objects of ours from Storage (the storage half of a rollback), or with --stale the earlier runs' objects no row of the target names",
  builder: (y) =>
    common(y)
      .option('stale', {
        type: 'boolean',
        default: false,
        describe:
          'remove instead the objects of ours that this manifest does not have and no row of the --db target names (needs --db)',
      })
      .option('db', {
        type: 'string',
        describe: "the target database (postgresql://…): an object its rows name is never removed; --stale's authority",
      }),
  run: async (args, io) => {
    const c = normalizeStorageOptions(args, io.env);
    const stale = args.stale;
    const db = args.db;
    const entries = await loadManifest(c.out);
    const { serviceKey } = await import('../storage/storage-target.js');
    const { removeImages } = await import('../storage/remove-images.js');
    const { referencedImages } = await import('../storage/referenced-images.js');
    const inUse = db === undefined ? null : await referencedImages(db);
    const r = await removeImages(entries, c.url, serviceKey(io.env), c.retry, { outDir: c.out, stale, inUse });
    for (const n of r.notOurs) io.stderr(`not removed ${n.bucket}/${n.path}: not ours (${n.reason})\n`);
    for (const u of r.inUse)
      io.stderr(
        `not removed ${u.bucket}/${u.path}: ${u.by === 'row' ? 'a row of the target database still references it' : "a rollback would put it back (the ledger's before-images reference it)"}\n`,
      );
    const kept =
      r.notOurs.length + r.inUse.length > 0
        ? `; left in place: ${r.notOurs.length} not ours, ${r.inUse.length} still referenced by the target`
        : '';
    io.stdout(
      stale
        ? `remove-images --stale: ${r.removed} objects removed that this manifest does not have and no row references${kept} (${c.url})\n`
        : `remove-images: ${r.removed} removed, ${r.absent} were not there, of ${entries.length}${kept} (${c.url})\n`,
    );
    // another's object where the manifest says ours was a push's conflict too; with --stale it is merely not ours
    return !stale && r.notOurs.length > 0 ? 1 : 0;
  },
});
