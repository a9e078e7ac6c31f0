/**
 * push-images: uploads every manifest entry to Supabase Storage, with bounded concurrency, retries and
 * backoff. Files are read just before their upload, so memory stays flat for any number of images. An
 * object that already exists is checked by size and counted as skipped: paths are content-addressed, so a
 * re-run uploads nothing.
 */
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { Bucket } from '../images/object-path.js';
import { localFile, type ManifestEntry } from './manifest.js';
import { withRetry, type Failure, type RetryOptions } from './storage-errors.js';
import { ensureBucket, storageClient } from './storage-target.js';

/** A year: the object at a content-addressed path never changes. */
export const CACHE_CONTROL = '31536000';

export type PushEvent =
  | { readonly kind: 'bucket'; readonly bucket: Bucket; readonly state: 'exists' | 'created' }
  | { readonly kind: 'uploaded' | 'skipped'; readonly entry: ManifestEntry }
  | { readonly kind: 'failed'; readonly entry: ManifestEntry; readonly reason: string }
  | { readonly kind: 'retry'; readonly entry: ManifestEntry; readonly attempt: number; readonly reason: string };

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
}

export async function pushImages(opts: PushOptions): Promise<PushSummary> {
  const client = storageClient(opts.supabaseUrl, opts.key);
  const emit = opts.onEvent ?? (() => undefined);
  for (const bucket of [...new Set(opts.entries.map((e) => e.bucket))].sort()) {
    emit({ kind: 'bucket', bucket, state: await ensureBucket(client, bucket, opts.retry) });
  }
  const summary: PushSummary = { uploaded: 0, skipped: 0, failed: [] };
  const limit = pLimit(opts.concurrency);
  const fail = (entry: ManifestEntry, reason: string): void => {
    summary.failed.push({ bucket: entry.bucket, path: entry.path, reason });
    emit({ kind: 'failed', entry, reason });
  };
  await Promise.all(
    opts.entries.map((entry) =>
      limit(async () => {
        const retry: RetryOptions = { ...opts.retry, onRetry: (f: Failure, attempt: number) => emit({ kind: 'retry', entry, attempt, reason: f.message }) };
        let bytes: Buffer | null = await readFile(localFile(opts.outDir, entry));
        if (bytes.length !== entry.size) return fail(entry, `the local file has ${bytes.length} bytes, the manifest says ${entry.size}: run transform again`);
        const body = bytes;
        const up = await withRetry(() => client.from(entry.bucket).upload(entry.path, body, { contentType: entry.contentType, cacheControl: CACHE_CONTROL, upsert: false }), retry);
        bytes = null; // let the bytes go before waiting on anything else
        if (up.ok) {
          summary.uploaded++;
          return emit({ kind: 'uploaded', entry });
        }
        if (up.failure.kind !== 'exists') return fail(entry, up.failure.message);
        const info = await withRetry(() => client.from(entry.bucket).info(entry.path), retry);
        if (!info.ok) return fail(entry, `it exists, but its size could not be read: ${info.failure.message}`);
        const size = (info.value as { size?: number; metadata?: { size?: number } }).size ?? (info.value as { metadata?: { size?: number } }).metadata?.size;
        if (size !== entry.size) return fail(entry, `an object is already at this path with ${size ?? 'an unknown number of'} bytes, not ${entry.size}; remove it (remove-images) and push again`);
        summary.skipped++;
        emit({ kind: 'skipped', entry });
      }),
    ),
  );
  summary.failed.sort((a, b) => (a.bucket + a.path < b.bucket + b.path ? -1 : 1));
  return summary;
}
