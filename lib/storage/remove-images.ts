/**
 * remove-images: deletes exactly the manifest's objects, the storage half of a rollback, and confirms it:
 * the buckets are listed before (what of ours is there) and after (what is still there). The real server
 * accepts a key without the rights and answers a delete with `200 []` having deleted nothing, so a count
 * from the delete's answer would claim success; what is still listed afterwards says what really happened.
 */
import type { Bucket } from '../images/object-path.js';
import { publicUrl } from '../images/object-path.js';
import { MigrateError } from '../errors.js';
import type { ManifestEntry } from './manifest.js';
import { listBucket, listOrThrow, staleObjects, type RemoteObject } from './remote-objects.js';
import { withRetry, WRONG_KEY, type RetryOptions } from './storage-errors.js';
import { storageClient, storageFailure } from './storage-target.js';
import { timedFetch } from './timed-fetch.js';

const BATCH = 100;

/**
 * `stale`: instead of the manifest's objects, the objects of ours (by their path's shape) in its buckets that
 * the manifest does not name: an earlier run's images, once no SQL points at them.
 */
export async function removeImages(entries: readonly ManifestEntry[], supabaseUrl: string, key: string, retry: RetryOptions, stale = false): Promise<{ removed: number; absent: number }> {
  const client = storageClient(supabaseUrl, key, retry.timeoutMs);
  if (stale) return removeStale(client, entries, retry);
  let removed = 0;
  const byBucket = new Map<Bucket, string[]>();
  for (const e of entries) {
    const list = byBucket.get(e.bucket);
    if (list === undefined) byBucket.set(e.bucket, [e.path]);
    else list.push(e.path);
  }
  for (const [bucket, paths] of [...byBucket].sort()) {
    const before = await listBucket(client, bucket, retry);
    if (!before.ok) {
      if (before.failure.kind !== 'not-found') throw storageFailure(`listing bucket ${bucket}`, before.failure);
      // no such bucket, or one this key may not see: the public URL of one of our objects tells them apart
      if (await answers(publicUrl(supabaseUrl, bucket, paths[0]!), retry.timeoutMs)) {
        throw new MigrateError('STORAGE_FAILED', `bucket ${bucket} holds our objects (their public URLs answer), but this key cannot see the bucket; nothing was removed: ${WRONG_KEY}`);
      }
      continue;
    }
    const present = paths.filter((p) => before.objects.has(p));
    // none of ours listed: really gone, or hidden from this key by row-level security (the anon key lists an
    // empty bucket and deletes nothing); an object of ours that still answers at its public URL tells which
    const unseen = paths.find((p) => !before.objects.has(p));
    if (present.length === 0 && unseen !== undefined && (await answers(publicUrl(supabaseUrl, bucket, unseen), retry.timeoutMs))) {
      throw new MigrateError('STORAGE_FAILED', `bucket ${bucket} lists none of our objects to this key, yet ${unseen} answers at its public URL; nothing was removed: ${WRONG_KEY}`);
    }
    await removeConfirmed(client, bucket, present, retry, 'objects of ours');
    removed += present.length;
  }
  return { removed, absent: entries.length - removed };
}

async function removeStale(client: ReturnType<typeof storageClient>, entries: readonly ManifestEntry[], retry: RetryOptions): Promise<{ removed: number; absent: number }> {
  const remote = new Map<Bucket, Map<string, RemoteObject>>();
  for (const bucket of [...new Set(entries.map((e) => e.bucket))].sort()) remote.set(bucket, await listOrThrow(client, bucket, retry));
  const stale = staleObjects(entries, remote);
  for (const bucket of remote.keys()) await removeConfirmed(client, bucket, stale.filter((s) => s.bucket === bucket).map((s) => s.path), retry, 'stale objects');
  return { removed: stale.length, absent: 0 };
}

/** Deletes `paths` from the bucket in batches, then lists it: any still there is an error (`what` names them). */
async function removeConfirmed(client: ReturnType<typeof storageClient>, bucket: Bucket, paths: readonly string[], retry: RetryOptions, what: string): Promise<void> {
  for (let i = 0; i < paths.length; i += BATCH) {
    const r = await withRetry(() => client.from(bucket).remove(paths.slice(i, i + BATCH)), retry);
    if (!r.ok && r.failure.kind !== 'not-found') throw storageFailure(`removing from ${bucket}`, r.failure);
  }
  const after = await listOrThrow(client, bucket, retry, `listing bucket ${bucket} after the removal`);
  const left = paths.filter((p) => after.has(p));
  if (left.length > 0) throw new MigrateError('STORAGE_FAILED', `${left.length} of the ${paths.length} ${what} in bucket ${bucket} are still there after the removal (e.g. ${left[0]}): ${WRONG_KEY}`);
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
