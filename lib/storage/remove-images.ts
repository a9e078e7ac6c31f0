/** remove-images: deletes exactly the manifest's objects, the storage half of a rollback. */
import type { Bucket } from '../images/object-path.js';
import { MigrateError } from '../errors.js';
import type { ManifestEntry } from './manifest.js';
import { withRetry, type RetryOptions } from './storage-errors.js';
import { storageClient } from './storage-target.js';

const BATCH = 100;

export async function removeImages(entries: readonly ManifestEntry[], supabaseUrl: string, key: string, retry: RetryOptions): Promise<{ removed: number; absent: number }> {
  const client = storageClient(supabaseUrl, key);
  let removed = 0;
  const byBucket = new Map<Bucket, string[]>();
  for (const e of entries) byBucket.set(e.bucket, [...(byBucket.get(e.bucket) ?? []), e.path]);
  for (const [bucket, paths] of [...byBucket].sort()) {
    for (let i = 0; i < paths.length; i += BATCH) {
      const r = await withRetry(() => client.from(bucket).remove(paths.slice(i, i + BATCH)), retry);
      if (!r.ok) {
        if (r.failure.kind === 'not-found') continue;
        throw new MigrateError('STORAGE_FAILED', `removing from ${bucket}: ${r.failure.message}`);
      }
      removed += (r.value as unknown[]).length;
    }
  }
  return { removed, absent: entries.length - removed };
}
