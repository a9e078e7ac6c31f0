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
import { listBucket } from './remote-objects.js';
import { withRetry, WRONG_KEY, type RetryOptions } from './storage-errors.js';
import { storageClient, storageFailure } from './storage-target.js';

const BATCH = 100;

export async function removeImages(entries: readonly ManifestEntry[], supabaseUrl: string, key: string, retry: RetryOptions): Promise<{ removed: number; absent: number }> {
  const client = storageClient(supabaseUrl, key);
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
      if (await answers(publicUrl(supabaseUrl, bucket, paths[0]!))) {
        throw new MigrateError('STORAGE_FAILED', `bucket ${bucket} holds our objects (their public URLs answer), but this key cannot see the bucket; nothing was removed: ${WRONG_KEY}`);
      }
      continue;
    }
    const present = paths.filter((p) => before.objects.has(p));
    // none of ours listed: really gone, or hidden from this key by row-level security (the anon key lists an
    // empty bucket and deletes nothing); an object of ours that still answers at its public URL tells which
    const unseen = paths.find((p) => !before.objects.has(p));
    if (present.length === 0 && unseen !== undefined && (await answers(publicUrl(supabaseUrl, bucket, unseen)))) {
      throw new MigrateError('STORAGE_FAILED', `bucket ${bucket} lists none of our objects to this key, yet ${unseen} answers at its public URL; nothing was removed: ${WRONG_KEY}`);
    }
    for (let i = 0; i < present.length; i += BATCH) {
      const r = await withRetry(() => client.from(bucket).remove(present.slice(i, i + BATCH)), retry);
      if (!r.ok && r.failure.kind !== 'not-found') throw storageFailure(`removing from ${bucket}`, r.failure);
    }
    const after = await listBucket(client, bucket, retry);
    if (!after.ok) throw storageFailure(`listing bucket ${bucket} after the removal`, after.failure);
    const left = present.filter((p) => after.objects.has(p));
    if (left.length > 0) {
      throw new MigrateError('STORAGE_FAILED', `${left.length} of the ${present.length} objects of ours in bucket ${bucket} are still there after the removal (e.g. ${left[0]}): ${WRONG_KEY}`);
    }
    removed += present.length;
  }
  return { removed, absent: entries.length - removed };
}

/** Whether a public URL serves an object (2xx). */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { method: 'GET' });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
