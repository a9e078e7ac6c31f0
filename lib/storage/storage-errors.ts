/**
 * What a Storage API failure means for us. The API answers most errors as HTTP 400 with the real code as
 * a string in the body (`statusCode: "409"`, `code: "KeyAlreadyExists"`); storage-js hands that on as
 * `statusCode`. Rate limits (429), server errors (5xx), network failures and non-JSON answers (an HTML
 * error page from a proxy) are worth retrying; a refused key (401/403), a too large object (413) or a
 * refused content type (415) are not: they fail with a message that says what to change.
 */
import { isStorageError } from '@supabase/storage-js';
import { timedOut } from './timed-fetch.js';

/** The Storage API accepts any valid key of the project and lets row-level security decide what it may do. */
export const WRONG_KEY =
  "SUPABASE_SERVICE_ROLE_KEY must be the project's service_role key: the server accepts any key of the project (the anon key too) and lets row-level security decide, and a key without the rights sees no object, creates no bucket and deletes nothing";

export type FailureKind = 'exists' | 'not-found' | 'retry' | 'fatal';

export interface Failure {
  readonly kind: FailureKind;
  /** The effective code: the body's statusCode/code, else the HTTP status. */
  readonly code: string;
  readonly message: string;
}

export function classify(error: unknown): Failure {
  const answered = error as { status?: unknown; statusCode?: unknown };
  // An API answer has an HTTP status or a statusCode in its body. A StorageUnknownError without either is a
  // request that got no answer (a reset, a refused connection, a body cut off): "fetch failed", worth retrying.
  if (
    isStorageError(error) &&
    ((typeof answered.status === 'number' && answered.status > 0) ||
      (typeof answered.statusCode === 'string' && answered.statusCode !== ''))
  ) {
    const e = error as { status?: number; statusCode?: string; message: string };
    const code = e.statusCode !== undefined && e.statusCode !== '' ? String(e.statusCode) : String(e.status ?? '');
    const n = /^\d{3}$/.test(code) ? Number(code) : (e.status ?? 0);
    const status = e.status ?? n;
    if (code === 'KeyAlreadyExists' || code === 'Duplicate' || n === 409)
      return { kind: 'exists', code, message: e.message };
    if (n === 404 || code === 'NoSuchBucket' || code === 'NoSuchKey')
      return { kind: 'not-found', code, message: e.message };
    if (status === 429 || n === 429 || status >= 500 || n >= 500) return { kind: 'retry', code, message: e.message };
    if (n === 401 || n === 403 || code === 'InvalidJWT' || code === 'AccessDenied') {
      return {
        kind: 'fatal',
        code,
        message: `the Storage API refused the request (${code}: ${e.message}): ${WRONG_KEY}`,
      };
    }
    if (n === 413 || code === 'EntityTooLarge') {
      return {
        kind: 'fatal',
        code,
        message: `the object is larger than the upload limit (${code}: ${e.message}); raise the bucket's file size limit or the project's upload limit in Supabase's Storage settings`,
      };
    }
    if (n === 415 || code === 'InvalidMimeType') {
      return {
        kind: 'fatal',
        code,
        message: `the bucket refused the content type (${code}: ${e.message}); add the image types to the bucket's allowed MIME types`,
      };
    }
    return { kind: 'fatal', code, message: `${code}: ${e.message}` };
  }
  // StorageUnknownError: the request failed (network) or the answer was not JSON. Worth another try.
  const e = error as { message?: string; originalError?: { cause?: { code?: string; message?: string } } };
  if (timedOut(e.originalError) || timedOut(error))
    return { kind: 'retry', code: 'timeout', message: 'no answer within the request timeout (--request-timeout-ms)' };
  const cause = e.originalError?.cause;
  const msg = `${e.message ?? String(error)}${cause?.code !== undefined ? ` (${cause.code})` : cause?.message !== undefined ? ` (${cause.message})` : ''}`;
  return { kind: 'retry', code: 'network', message: msg };
}

export interface RetryOptions {
  /** Tries after the first. */
  readonly retries: number;
  /** Backoff: base × 2^attempt ms (no randomness: runs stay reproducible). */
  readonly baseMs: number;
  /** Each request's deadline (timed-fetch.ts): one that passes it is retried like a network fault. */
  readonly timeoutMs: number;
  readonly onRetry?: (failure: Failure, attempt: number) => void;
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/**
 * Runs `op` (which returns storage-js's `{data, error}`), retrying what is worth retrying.
 * Resolves with the value or the final classified failure; never throws for an API error.
 */
export async function withRetry<T>(
  op: () => Promise<{ data: T; error: null } | { data: null; error: unknown }>,
  opts: RetryOptions,
): Promise<Attempt<T>> {
  for (let attempt = 0; ; attempt++) {
    let failure: Failure;
    try {
      const r = await op();
      if (r.error === null) return { ok: true, value: r.data as T };
      failure = classify(r.error);
    } catch (e) {
      failure = classify(e);
    }
    if (failure.kind !== 'retry') return { ok: false, failure };
    if (attempt >= opts.retries)
      return {
        ok: false,
        failure: { ...failure, message: `${failure.message} (still so after ${attempt + 1} tries)` },
      };
    opts.onRetry?.(failure, attempt + 1);
    await new Promise((res) => setTimeout(res, opts.baseMs * 2 ** attempt));
  }
}
