/**
 * The one rule for "the object at one of our paths is ours": push-images skips it (and calls anything else a
 * conflict, never overwritten), and remove-images deletes only such objects. Ours means its content is shown
 * to be the bytes we have for it: its eTag is their md5 (the real server's file backend, and S3 for a
 * single-part upload); or, when the eTag is not an md5 or there is no local file to take the md5 of, the
 * sha256 push-images stores in each upload's metadata matches. The size alone never counts: other bytes of
 * the same size at our path are someone else's.
 */
import type { Bucket } from '../images/object-path.js';
import type { RemoteObject } from './remote-objects.js';
import { withRetry, type RetryOptions } from './storage-errors.js';
import type { storageClient } from './storage-target.js';

export interface ExpectedContent {
  /** The md5 of our bytes (lower-case hex), null when there are none at hand (no local file). */
  readonly md5: string | null;
  /** Their sha256: the whole hex, or (an object no manifest names) the 16 digits its path carries. */
  readonly sha256: string;
}

/** null when the object is shown to be ours; otherwise why it is not (for a message). */
export async function whyNotOurs(
  client: ReturnType<typeof storageClient>,
  bucket: Bucket,
  path: string,
  there: RemoteObject,
  expected: ExpectedContent,
  retry: RetryOptions,
): Promise<string | null> {
  if (there.md5 !== null && expected.md5 !== null)
    return there.md5 === expected.md5 ? null : `md5 ${there.md5}, the local file's ${expected.md5}`;
  const info = await withRetry(() => client.from(bucket).info(path), retry);
  if (!info.ok) return `it could not be read back: ${info.failure.message}`;
  const sha = (info.value as { metadata?: { sha256?: unknown } }).metadata?.sha256;
  if (typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha) && sha.startsWith(expected.sha256)) return null;
  return there.md5 === null
    ? 'no md5 eTag, and no sha256 of ours in its metadata'
    : 'no local file to compare its md5 eTag with, and no sha256 of ours in its metadata';
}
