/**
 * push-images: uploads every manifest entry that is not in Storage yet, with bounded concurrency, retries and
 * backoff. What is there is learned first from the bucket listing (remote-objects.ts), so a re-run sends no
 * bytes of an object already there; an object there counts as ours only when its md5 (the eTag) equals the
 * local file's, and any other object at one of our paths is a conflict, reported, never overwritten. Files
 * are read just before they are needed, so memory stays flat for any number of images. The summary ends with
 * what the server holds at the end, listed again.
 */
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { Bucket } from '../images/object-path.js';
import { localFile, type ManifestEntry } from './manifest.js';
import { listBucket, listOrThrow, md5Of, md5OfETag, staleObjects, type RemoteObject } from './remote-objects.js';
import { whyNotOurs } from './ownership.js';
import { withRetry, type Failure, type RetryOptions } from './storage-errors.js';
import { ensureBucket, storageClient } from './storage-target.js';

/** A year: the object at a content-addressed path never changes. */
export const CACHE_CONTROL = '31536000';

export type PushEvent =
  | { readonly kind: 'bucket'; readonly bucket: Bucket; readonly state: 'exists' | 'created' }
  | { readonly kind: 'uploaded' | 'skipped'; readonly entry: ManifestEntry }
  | { readonly kind: 'failed'; readonly entry: ManifestEntry; readonly reason: string }
  | { readonly kind: 'retry'; readonly entry: ManifestEntry | null; readonly attempt: number; readonly reason: string };

export interface PushOptions {
  readonly outDir: string;
  readonly entries: readonly ManifestEntry[];
  readonly supabaseUrl: string;
  readonly key: string;
  readonly concurrency: number;
  readonly retry: Omit<RetryOptions, 'onRetry'>;
  readonly onEvent?: (e: PushEvent) => void;
}

export interface PushSummary {
  uploaded: number;
  skipped: number;
  failed: { readonly bucket: Bucket; readonly path: string; readonly reason: string }[];
  /** Of the entries, how many the server holds at the end with the very bytes (md5) of the local file. */
  onServer: number;
  /** Bytes of image data sent in upload requests (retries included). */
  bytesSent: number;
  /** Objects of ours (by their path's shape) in the buckets that this manifest does not have: an earlier run's. */
  stale: { readonly bucket: Bucket; readonly path: string }[];
}

export async function pushImages(opts: PushOptions): Promise<PushSummary> {
  const client = storageClient(opts.supabaseUrl, opts.key, opts.retry.timeoutMs);
  const emit = opts.onEvent ?? (() => undefined);
  const retryAll: RetryOptions = {
    ...opts.retry,
    onRetry: (f: Failure, attempt: number) => emit({ kind: 'retry', entry: null, attempt, reason: f.message }),
  };
  const buckets = [...new Set(opts.entries.map((e) => e.bucket))].sort();
  const remote = new Map<Bucket, Map<string, RemoteObject>>();
  for (const bucket of buckets) {
    const types = [...new Set(opts.entries.filter((e) => e.bucket === bucket).map((e) => e.contentType))].sort();
    emit({ kind: 'bucket', bucket, state: await ensureBucket(client, bucket, types, retryAll) });
    remote.set(bucket, await listOrThrow(client, bucket, retryAll));
  }
  const summary: PushSummary = {
    uploaded: 0,
    skipped: 0,
    failed: [],
    onServer: 0,
    bytesSent: 0,
    stale: staleObjects(opts.entries, remote),
  };
  /** The md5 of each local file read (what the end-of-run listing is compared with). */
  const localMd5 = new Map<ManifestEntry, string>();
  const limit = pLimit(opts.concurrency);
  const fail = (entry: ManifestEntry, reason: string): void => {
    summary.failed.push({ bucket: entry.bucket, path: entry.path, reason });
    emit({ kind: 'failed', entry, reason });
  };
  await Promise.all(
    opts.entries.map((entry) =>
      limit(async () => {
        const retry: RetryOptions = {
          ...opts.retry,
          onRetry: (f: Failure, attempt: number) => emit({ kind: 'retry', entry, attempt, reason: f.message }),
        };
        let bytes: Buffer | null;
        try {
          bytes = await readFile(localFile(opts.outDir, entry));
        } catch (e) {
          return fail(
            entry,
            `cannot read the local file images/${entry.bucket}/${entry.path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): run transform again`,
          );
        }
        if (bytes.length !== entry.size)
          return fail(
            entry,
            `the local file has ${bytes.length} bytes, the manifest says ${entry.size}: run transform again`,
          );
        const md5 = md5Of(bytes);
        localMd5.set(entry, md5);
        const there = remote.get(entry.bucket)!.get(entry.path);
        if (there !== undefined) {
          bytes = null;
          const verdict = await ours(client, entry, there, md5, retry);
          if (verdict !== null) return fail(entry, verdict);
          summary.skipped++;
          return emit({ kind: 'skipped', entry });
        }
        const body = bytes;
        const up = await withRetry(() => {
          summary.bytesSent += body.length;
          return client.from(entry.bucket).upload(entry.path, body, {
            contentType: entry.contentType,
            cacheControl: CACHE_CONTROL,
            upsert: false,
            metadata: { sha256: entry.sha256 },
          });
        }, retry);
        bytes = null; // let the bytes go before waiting on anything else
        if (up.ok) {
          summary.uploaded++;
          return emit({ kind: 'uploaded', entry });
        }
        if (up.failure.kind !== 'exists') return fail(entry, up.failure.message);
        // there after all (another run, or an upload whose answer was lost and then retried): ours only if equal
        const info = await withRetry(() => client.from(entry.bucket).info(entry.path), retry);
        if (!info.ok)
          return fail(entry, `an object is at this path but could not be read back: ${info.failure.message}`);
        const v = info.value as { size?: number; etag?: string };
        const verdict = await ours(client, entry, { size: v.size ?? null, md5: md5OfETag(v.etag) }, md5, retry);
        if (verdict !== null) return fail(entry, verdict);
        summary.uploaded++; // its bytes were sent by this run (the first answer was lost)
        emit({ kind: 'uploaded', entry });
      }),
    ),
  );
  // what the server holds at the end, whatever the answers along the way said
  for (const bucket of buckets) {
    const now = await listBucket(client, bucket, retryAll);
    if (!now.ok) continue;
    for (const e of opts.entries) {
      if (e.bucket !== bucket) continue;
      const o = now.objects.get(e.path);
      if (o !== undefined && o.md5 !== null && o.md5 === localMd5.get(e)) summary.onServer++;
    }
  }
  summary.failed.sort((a, b) => (a.bucket + a.path < b.bucket + b.path ? -1 : 1));
  return summary;
}

/** null when the object at the entry's path is ours (ownership.ts); otherwise the conflict, never skipped or overwritten. */
async function ours(
  client: ReturnType<typeof storageClient>,
  entry: ManifestEntry,
  there: RemoteObject,
  md5: string,
  retry: RetryOptions,
): Promise<string | null> {
  const why = await whyNotOurs(client, entry.bucket, entry.path, there, { md5, sha256: entry.sha256 }, retry);
  return why === null
    ? null
    : `conflict: ${entry.bucket}/${entry.path} already holds other content (${why}); it is not overwritten: remove that object (or find out who wrote it) and push again`;
}
