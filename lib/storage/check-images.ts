/**
 * check-images: fetches every manifest object back through its public URL (what the app will use) and
 * compares size and sha256 with the manifest. A transient failure (a reset, 429, 5xx) is tried again with
 * backoff; one that persists is "could not be checked", told apart from an object that differs or is missing.
 */
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { publicUrl } from '../images/object-path.js';
import type { ManifestEntry } from './manifest.js';
import { timedFetch, timedOut } from './timed-fetch.js';

export type CheckVerdict = 'differs' | 'missing' | 'unchecked';

export interface CheckResult {
  readonly ok: number;
  readonly bad: {
    readonly bucket: string;
    readonly path: string;
    readonly verdict: CheckVerdict;
    readonly reason: string;
  }[];
}

export interface CheckRetry {
  readonly retries: number;
  readonly baseMs: number;
  /** Each request's deadline, the answer's body included (timed-fetch.ts). */
  readonly timeoutMs: number;
}

export async function checkImages(
  entries: readonly ManifestEntry[],
  supabaseUrl: string,
  concurrency: number,
  retry: CheckRetry,
  onChecked?: () => void,
): Promise<CheckResult> {
  const limit = pLimit(concurrency);
  const bad: CheckResult['bad'][number][] = [];
  let ok = 0;
  await Promise.all(
    entries.map((e) =>
      limit(async () => {
        const r = await checkOne(e, supabaseUrl, retry);
        if (r === null) ok++;
        else bad.push({ bucket: e.bucket, path: e.path, ...r });
        onChecked?.();
      }),
    ),
  );
  bad.sort((a, b) => (a.bucket + a.path < b.bucket + b.path ? -1 : 1));
  return { ok, bad };
}

async function checkOne(
  e: ManifestEntry,
  supabaseUrl: string,
  retry: CheckRetry,
): Promise<{ verdict: CheckVerdict; reason: string } | null> {
  let last = '';
  for (let attempt = 0; attempt <= retry.retries; attempt++) {
    if (attempt > 0) await new Promise((res) => setTimeout(res, retry.baseMs * 2 ** (attempt - 1)));
    let res: Response;
    let body: Buffer;
    try {
      res = await timedFetch(retry.timeoutMs)(publicUrl(supabaseUrl, e.bucket, e.path));
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      last = timedOut(err)
        ? `no answer within the request timeout (--request-timeout-ms)`
        : `request failed: ${(err as Error).message}`;
      continue; // a reset or a body cut off: try again
    }
    if (res.status === 429 || res.status >= 500) {
      last = `HTTP ${res.status}`;
      continue;
    }
    // the real server answers a missing object (or a private bucket) with 400 and a JSON body saying why
    if (!res.ok) {
      const said = /"message":"([^"]*)"/.exec(body.toString('utf8', 0, 500))?.[1];
      return { verdict: 'missing', reason: `HTTP ${res.status}${said !== undefined ? `: ${said}` : ''}` };
    }
    const sha = createHash('sha256').update(body).digest('hex');
    if (body.length !== e.size) return { verdict: 'differs', reason: `${body.length} bytes, expected ${e.size}` };
    if (sha !== e.sha256)
      return { verdict: 'differs', reason: `sha256 ${sha.slice(0, 16)}…, expected ${e.sha256.slice(0, 16)}…` };
    return null;
  }
  return { verdict: 'unchecked', reason: `could not be checked after ${retry.retries + 1} tries: ${last}` };
}
