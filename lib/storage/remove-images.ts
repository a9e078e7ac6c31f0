/**
 * remove-images: deletes the manifest's objects, the storage half of a rollback, and confirms it:
 * the buckets are listed before (what of ours is there) and after (what is still there). The real server
 * accepts a key without the rights and answers a delete with `200 []` having deleted nothing, so a count
 * from the delete's answer would claim success; what is still listed afterwards says what really happened.
 * Only objects of ours are deleted (ownership.ts, the rule push-images uses): another's bytes at one of our
 * paths (a push's conflict) stay. With the target's references (referenced-images.ts), an object a row still
 * names stays too.
 */
import { readFile } from 'node:fs/promises';
import { BUCKETS, OBJECT_PATH_SHAPE, publicUrl, type Bucket } from '../images/object-path.js';
import { MigrateError } from '../errors.js';
import { localFile, type ManifestEntry } from './manifest.js';
import { whyNotOurs } from './ownership.js';
import { listBucket, listOrThrow, md5Of, staleObjects, type RemoteObject } from './remote-objects.js';
import type { Reference } from './referenced-images.js';
import { withRetry, WRONG_KEY, type RetryOptions } from './storage-errors.js';
import { storageClient, storageFailure } from './storage-target.js';
import { timedFetch } from './timed-fetch.js';

const BATCH = 100;

export interface RemoveOptions {
  readonly outDir: string;
  /** Instead of the manifest's objects, the objects of ours in our buckets that it does not have and no row names. */
  readonly stale: boolean;
  /** `bucket/path` of every object the target names, and who needs it (referenced-images.ts); null: not asked (no --db). */
  readonly inUse: ReadonlyMap<string, Reference> | null;
}

export interface RemoveSummary {
  removed: number;
  absent: number;
  /** Left in place: at our path, but not shown to be ours (another's bytes). */
  notOurs: { readonly bucket: Bucket; readonly path: string; readonly reason: string }[];
  /** Left in place: a row of the target still names it, or a rollback would put a row naming it back. */
  inUse: { readonly bucket: Bucket; readonly path: string; readonly by: Reference }[];
}

export async function removeImages(
  entries: readonly ManifestEntry[],
  supabaseUrl: string,
  key: string,
  retry: RetryOptions,
  opts: RemoveOptions,
): Promise<RemoveSummary> {
  const client = storageClient(supabaseUrl, key, retry.timeoutMs);
  if (opts.stale) return removeStale(client, entries, retry, opts.inUse);
  const summary: RemoveSummary = { removed: 0, absent: 0, notOurs: [], inUse: [] };
  const byBucket = new Map<Bucket, ManifestEntry[]>();
  for (const e of entries) {
    const list = byBucket.get(e.bucket);
    if (list === undefined) byBucket.set(e.bucket, [e]);
    else list.push(e);
  }
  for (const [bucket, bucketEntries] of [...byBucket].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const paths = bucketEntries.map((e) => e.path);
    const before = await listBucket(client, bucket, retry);
    if (!before.ok) {
      if (before.failure.kind !== 'not-found') throw storageFailure(`listing bucket ${bucket}`, before.failure);
      // no such bucket, or one this key may not see: the public URL of one of our objects tells them apart
      if (await answers(publicUrl(supabaseUrl, bucket, paths[0]!), retry.timeoutMs)) {
        throw new MigrateError(
          'STORAGE_FAILED',
          `bucket ${bucket} holds our objects (their public URLs answer), but this key cannot see the bucket; nothing was removed: ${WRONG_KEY}`,
        );
      }
      summary.absent += paths.length;
      continue;
    }
    const present = bucketEntries.filter((e) => before.objects.has(e.path));
    // none of ours listed: really gone, or hidden from this key by row-level security (the anon key lists an
    // empty bucket and deletes nothing); an object of ours that still answers at its public URL tells which
    const unseen = paths.find((p) => !before.objects.has(p));
    if (
      present.length === 0 &&
      unseen !== undefined &&
      (await answers(publicUrl(supabaseUrl, bucket, unseen), retry.timeoutMs))
    ) {
      throw new MigrateError(
        'STORAGE_FAILED',
        `bucket ${bucket} lists none of our objects to this key, yet ${unseen} answers at its public URL; nothing was removed: ${WRONG_KEY}`,
      );
    }
    summary.absent += paths.length - present.length;
    const doomed: string[] = [];
    for (const e of present) {
      const by = opts.inUse?.get(`${bucket}/${e.path}`);
      if (by !== undefined) {
        summary.inUse.push({ bucket, path: e.path, by });
        continue;
      }
      const why = await whyNotOurs(
        client,
        bucket,
        e.path,
        before.objects.get(e.path)!,
        { md5: await localMd5(opts.outDir, e), sha256: e.sha256 },
        retry,
      );
      if (why === null) doomed.push(e.path);
      else summary.notOurs.push({ bucket, path: e.path, reason: why });
    }
    await removeConfirmed(client, bucket, doomed, retry, 'objects of ours');
    summary.removed += doomed.length;
  }
  return summary;
}

/** The md5 of the entry's local file, null when it cannot be read (ownership then rests on the stored sha256). */
async function localMd5(outDir: string, e: ManifestEntry): Promise<string | null> {
  try {
    const bytes = await readFile(localFile(outDir, e));
    return bytes.length === e.size ? md5Of(bytes) : null;
  } catch {
    return null;
  }
}

async function removeStale(
  client: ReturnType<typeof storageClient>,
  entries: readonly ManifestEntry[],
  retry: RetryOptions,
  inUse: ReadonlyMap<string, Reference> | null,
): Promise<RemoveSummary> {
  // never by an object path's shape alone: what a live row names is the authority (the CLI insists on --db)
  if (inUse === null)
    throw new MigrateError(
      'OPTION_INVALID',
      "remove-images --stale needs --db URL: what is stale is decided by what the target's rows reference, never by out/ or an object's path alone",
    );
  const summary: RemoveSummary = { removed: 0, absent: 0, notOurs: [], inUse: [] };
  const remote = new Map<Bucket, Map<string, RemoteObject>>();
  for (const bucket of BUCKETS) {
    const l = await listBucket(client, bucket, retry);
    if (l.ok) remote.set(bucket, l.objects);
    else if (l.failure.kind !== 'not-found') throw storageFailure(`listing bucket ${bucket}`, l.failure);
  }
  for (const [bucket, objects] of remote) {
    const doomed: string[] = [];
    for (const { path } of staleObjects(entries, new Map([[bucket, objects]]))) {
      const by = inUse.get(`${bucket}/${path}`);
      if (by !== undefined) {
        summary.inUse.push({ bucket, path, by });
        continue;
      }
      // no local bytes of an earlier run: the 16 sha256 digits its path carries are what it must hold
      const digest = OBJECT_PATH_SHAPE.exec(path)![1]!;
      const why = await whyNotOurs(client, bucket, path, objects.get(path)!, { md5: null, sha256: digest }, retry);
      if (why === null) doomed.push(path);
      else summary.notOurs.push({ bucket, path, reason: why });
    }
    await removeConfirmed(client, bucket, doomed, retry, 'stale objects');
    summary.removed += doomed.length;
  }
  return summary;
}

/** Deletes `paths` from the bucket in batches, then lists it: any still there is an error (`what` names them). */
async function removeConfirmed(
  client: ReturnType<typeof storageClient>,
  bucket: Bucket,
  paths: readonly string[],
  retry: RetryOptions,
  what: string,
): Promise<void> {
  for (let i = 0; i < paths.length; i += BATCH) {
    const r = await withRetry(() => client.from(bucket).remove(paths.slice(i, i + BATCH)), retry);
    if (!r.ok && r.failure.kind !== 'not-found') throw storageFailure(`removing from ${bucket}`, r.failure);
  }
  const after = await listOrThrow(client, bucket, retry, `listing bucket ${bucket} after the removal`);
  const left = paths.filter((p) => after.has(p));
  if (left.length > 0)
    throw new MigrateError(
      'STORAGE_FAILED',
      `${left.length} of the ${paths.length} ${what} in bucket ${bucket} are still there after the removal (e.g. ${left[0]}): ${WRONG_KEY}`,
    );
}

/** Whether a public URL serves an object (2xx). */
async function answers(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await timedFetch(timeoutMs)(url, { method: 'GET' });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
