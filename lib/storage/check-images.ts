/**
 * check-images: fetches every manifest object back through its public URL (what the app will use) and
 * compares size and sha256 with the manifest.
 */
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { publicUrl } from '../images/object-path.js';
import type { ManifestEntry } from './manifest.js';

export interface CheckResult {
  readonly ok: number;
  readonly bad: { readonly bucket: string; readonly path: string; readonly reason: string }[];
}

export async function checkImages(entries: readonly ManifestEntry[], supabaseUrl: string, concurrency: number, onChecked?: () => void): Promise<CheckResult> {
  const limit = pLimit(concurrency);
  const bad: CheckResult['bad'][number][] = [];
  let ok = 0;
  await Promise.all(
    entries.map((e) =>
      limit(async () => {
        let reason: string | null = null;
        try {
          const res = await fetch(publicUrl(supabaseUrl, e.bucket, e.path));
          if (!res.ok) reason = `HTTP ${res.status}`;
          else {
            const body = Buffer.from(await res.arrayBuffer());
            const sha = createHash('sha256').update(body).digest('hex');
            if (body.length !== e.size) reason = `${body.length} bytes, expected ${e.size}`;
            else if (sha !== e.sha256) reason = `sha256 ${sha.slice(0, 16)}…, expected ${e.sha256.slice(0, 16)}…`;
          }
        } catch (err) {
          reason = `request failed: ${(err as Error).message}`;
        }
        if (reason === null) ok++;
        else bad.push({ bucket: e.bucket, path: e.path, reason });
        onChecked?.();
      }),
    ),
  );
  bad.sort((a, b) => (a.bucket + a.path < b.bucket + b.path ? -1 : 1));
  return { ok, bad };
}
