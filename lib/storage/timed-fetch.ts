/**
 * Every request to Storage has a deadline. Without one, an upload the server (or a proxy) never answers
 * waits for ever, and push-images with it. The deadline covers the whole exchange, the answer's body
 * included; a request that misses it fails like a dropped connection (storage-errors.ts classifies it as
 * worth retrying), so it is tried again with the same backoff as any network fault.
 */

/** The default: ample for an image upload on a slow link; pass `--request-timeout-ms` to change it. */
export const REQUEST_TIMEOUT_MS = 60_000;

/** `fetch`, aborted (TimeoutError) when `ms` milliseconds pass before the answer has been read. */
export function timedFetch(ms: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(ms);
    const signal = init?.signal != null ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}

/** Whether a failed request failed because its deadline passed. */
export function timedOut(e: unknown): boolean {
  return (e as { name?: unknown } | null)?.name === 'TimeoutError';
}
