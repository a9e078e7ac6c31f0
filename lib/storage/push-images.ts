/**
 * push-images: uploads every manifest entry that is not in Storage yet, with bounded concurrency, retries and
 * backoff. What is there is learned first from the bucket listing (remote-objects.ts), so a re-run sends no
 * bytes of an object already there; an object there counts as ours only when its md5 (the eTag) equals the
 * local file's, and any other object at one of our paths is a conflict, reported, never overwritten. Files
 * are read just before they are needed, so memory stays flat for any number of images. The summary ends with
 * what the server holds at the end, listed again.
 */
import type { StorageClient } from '@supabase/storage-js';
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
  const retryAll = retryReporting(opts.retry, emit, null);
  const remote = await prepareBuckets(client, opts.entries, retryAll, emit);
  const summary: PushSummary = {
    uploaded: 0,
    skipped: 0,
    failed: [],
    onServer: 0,
    bytesSent: 0,
    stale: staleObjects(opts.entries, remote),
  };
  const run: PushRun = { opts, client, emit, remote, summary, localMd5: new Map() };
  const limit = pLimit(opts.concurrency);
  await Promise.all(opts.entries.map((entry) => limit(async () => record(run, entry, await pushEntry(run, entry)))));
  summary.onServer = await countOnServer(client, [...remote.keys()], opts.entries, run.localMd5, retryAll);
  summary.failed.sort((a, b) => (a.bucket + a.path < b.bucket + b.path ? -1 : 1));
  return summary;
}

/** What every entry's push shares: the client, what each bucket held before, and the summary being counted. */
interface PushRun {
  readonly opts: PushOptions;
  readonly client: StorageClient;
  readonly emit: (e: PushEvent) => void;
  readonly remote: ReadonlyMap<Bucket, ReadonlyMap<string, RemoteObject>>;
  readonly summary: PushSummary;
  /** The md5 of each local file read (what the end-of-run listing is compared with). */
  readonly localMd5: Map<ManifestEntry, string>;
}

/** How one entry's push ended; the summary and the events are told of it in one place (record). */
type Outcome = { readonly kind: 'uploaded' | 'skipped' } | { readonly kind: 'failed'; readonly reason: string };

/** The retry options with each retry reported as an event, about the entry (null: about a bucket). */
function retryReporting(
  retry: PushOptions['retry'],
  emit: (e: PushEvent) => void,
  entry: ManifestEntry | null,
): RetryOptions {
  return {
    ...retry,
    onRetry: (f: Failure, attempt: number) => emit({ kind: 'retry', entry, attempt, reason: f.message }),
  };
}

/** Each bucket the entries use, made if missing, with what it holds before any upload (keys in bucket order). */
async function prepareBuckets(
  client: StorageClient,
  entries: readonly ManifestEntry[],
  retry: RetryOptions,
  emit: (e: PushEvent) => void,
): Promise<Map<Bucket, Map<string, RemoteObject>>> {
  const remote = new Map<Bucket, Map<string, RemoteObject>>();
  for (const bucket of [...new Set(entries.map((e) => e.bucket))].sort()) {
    const types = [...new Set(entries.filter((e) => e.bucket === bucket).map((e) => e.contentType))].sort();
    emit({ kind: 'bucket', bucket, state: await ensureBucket(client, bucket, types, retry) });
    remote.set(bucket, await listOrThrow(client, bucket, retry));
  }
  return remote;
}

/** Counts the outcome in the summary and tells it as an event. */
function record(run: PushRun, entry: ManifestEntry, outcome: Outcome): void {
  if (outcome.kind === 'failed') {
    run.summary.failed.push({ bucket: entry.bucket, path: entry.path, reason: outcome.reason });
    return run.emit({ kind: 'failed', entry, reason: outcome.reason });
  }
  run.summary[outcome.kind]++;
  run.emit({ kind: outcome.kind, entry });
}

/**
 * One entry: skipped when the object there is ours, uploaded when it was not there, failed otherwise. The file's
 * bytes are let go before anything else is waited on, so memory holds only the uploads under way.
 */
async function pushEntry(run: PushRun, entry: ManifestEntry): Promise<Outcome> {
  const retry = retryReporting(run.opts.retry, run.emit, entry);
  let bytes: Buffer | null;
  try {
    bytes = await readFile(localFile(run.opts.outDir, entry));
  } catch (e) {
    return failed(
      `cannot read the local file images/${entry.bucket}/${entry.path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): run transform again`,
    );
  }
  if (bytes.length !== entry.size)
    return failed(`the local file has ${bytes.length} bytes, the manifest says ${entry.size}: run transform again`);
  const md5 = md5Of(bytes);
  run.localMd5.set(entry, md5);
  const there = run.remote.get(entry.bucket)!.get(entry.path);
  if (there !== undefined) {
    bytes = null;
    const verdict = await ours(run.client, entry, there, md5, retry);
    return verdict === null ? { kind: 'skipped' } : failed(verdict);
  }
  const up = await upload(run, entry, bytes, retry);
  bytes = null; // let the bytes go before waiting on anything else
  if (up.ok) return { kind: 'uploaded' };
  if (up.failure.kind !== 'exists') return failed(up.failure.message);
  return thereAfterAll(run, entry, md5, retry);
}

function failed(reason: string): Outcome {
  return { kind: 'failed', reason };
}

/** The upload's result, with retries; every attempt's bytes are counted as sent. */
async function upload(run: PushRun, entry: ManifestEntry, body: Buffer, retry: RetryOptions) {
  return withRetry(() => {
    run.summary.bytesSent += body.length;
    return run.client.from(entry.bucket).upload(entry.path, body, {
      contentType: entry.contentType,
      cacheControl: CACHE_CONTROL,
      upsert: false,
      metadata: { sha256: entry.sha256 },
    });
  }, retry);
}

/**
 * The upload was refused because an object is there after all (another run, or an upload whose answer was lost
 * and then retried): uploaded if it is ours, since its bytes were sent by this run; a conflict otherwise.
 */
async function thereAfterAll(run: PushRun, entry: ManifestEntry, md5: string, retry: RetryOptions): Promise<Outcome> {
  const info = await withRetry(() => run.client.from(entry.bucket).info(entry.path), retry);
  if (!info.ok) return failed(`an object is at this path but could not be read back: ${info.failure.message}`);
  const v = info.value as { size?: number; etag?: string };
  const verdict = await ours(run.client, entry, { size: v.size ?? null, md5: md5OfETag(v.etag) }, md5, retry);
  return verdict === null ? { kind: 'uploaded' } : failed(verdict);
}

/** How many entries the server holds at the end with the local file's md5, whatever the answers along the way said. */
async function countOnServer(
  client: StorageClient,
  buckets: readonly Bucket[],
  entries: readonly ManifestEntry[],
  localMd5: ReadonlyMap<ManifestEntry, string>,
  retry: RetryOptions,
): Promise<number> {
  let onServer = 0;
  for (const bucket of buckets) {
    const now = await listBucket(client, bucket, retry);
    if (!now.ok) continue;
    for (const e of entries) {
      if (e.bucket !== bucket) continue;
      const o = now.objects.get(e.path);
      if (o !== undefined && o.md5 !== null && o.md5 === localMd5.get(e)) onServer++;
    }
  }
  return onServer;
}

/** null when the object at the entry's path is ours (ownership.ts); otherwise the conflict, never skipped or overwritten. */
async function ours(
  client: StorageClient,
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
