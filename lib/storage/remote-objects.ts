/**
 * What is already in a bucket, learned without sending any bytes: the bucket listing (1,000 objects a page)
 * gives each object's size and eTag. The real Storage server answers an upload to a path that exists with a
 * 409 before it reads the body, and a client still sending a large body then stalls until the connection is
 * reset (docs/real-storage.md); so push-images asks first and uploads only what is missing.
 *
 * An object counts as ours only when its content is shown equal: its eTag is the md5 of the bytes (the real
 * server's file backend, and S3 for a single-part upload), compared with the local file's md5.
 */
import { createHash } from 'node:crypto';
import type { StorageClient } from '@supabase/storage-js';
import { OBJECT_PATH_SHAPE, type Bucket } from '../images/object-path.js';
import type { ManifestEntry } from './manifest.js';
import { withRetry, type Failure, type RetryOptions } from './storage-errors.js';
import { storageFailure } from './storage-target.js';

export interface RemoteObject {
  readonly size: number | null;
  /** The md5 of the bytes, lower-case hex, when the server's eTag is one (null otherwise, e.g. multipart). */
  readonly md5: string | null;
}

const PAGE = 1000;

/** The bucket's objects by name, or the classified failure (a bucket the key may not see is "not-found"). */
export async function listBucket(
  client: StorageClient,
  bucket: Bucket,
  retry: RetryOptions,
): Promise<{ ok: true; objects: Map<string, RemoteObject> } | { ok: false; failure: Failure }> {
  const objects = new Map<string, RemoteObject>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await withRetry(
      () => client.from(bucket).list('', { limit: PAGE, offset, sortBy: { column: 'name', order: 'asc' } }),
      retry,
    );
    if (!page.ok) return { ok: false, failure: page.failure };
    const items = page.value ?? [];
    for (const o of items) {
      if (o.id === null) continue; // a folder
      const meta = (o.metadata ?? {}) as { size?: number; eTag?: string };
      objects.set(o.name, { size: typeof meta.size === 'number' ? meta.size : null, md5: md5OfETag(meta.eTag) });
    }
    if (items.length < PAGE) return { ok: true, objects };
  }
}

/** listBucket, a failure thrown as STORAGE_FAILED saying what was being done. */
export async function listOrThrow(
  client: StorageClient,
  bucket: Bucket,
  retry: RetryOptions,
  doing = `listing bucket ${bucket}`,
): Promise<Map<string, RemoteObject>> {
  const l = await listBucket(client, bucket, retry);
  if (!l.ok) throw storageFailure(doing, l.failure);
  return l.objects;
}

/** Objects in our buckets shaped like our paths that the manifest does not name (an earlier run's images). */
export function staleObjects(
  entries: readonly ManifestEntry[],
  remote: ReadonlyMap<Bucket, ReadonlyMap<string, RemoteObject>>,
): { bucket: Bucket; path: string }[] {
  const ours = new Set(entries.map((e) => `${e.bucket}/${e.path}`));
  const stale: { bucket: Bucket; path: string }[] = [];
  for (const [bucket, objects] of remote)
    for (const name of objects.keys())
      if (OBJECT_PATH_SHAPE.test(name) && !ours.has(`${bucket}/${name}`)) stale.push({ bucket, path: name });
  return stale.sort((a, b) => (a.bucket + a.path < b.bucket + b.path ? -1 : 1));
}

/** `"9e107d9d372bb6826bd81d3542a419d6"` → the hex; a multipart eTag (`…-3`) or none → null. */
export function md5OfETag(etag: string | undefined | null): string | null {
  const m = /^"?([0-9a-f]{32})"?$/i.exec(etag ?? '');
  return m === null ? null : m[1]!.toLowerCase();
}

export function md5Of(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}
