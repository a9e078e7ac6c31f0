/**
 * The options of push-images, check-images and remove-images, checked and defaulted once, here (as
 * pipeline/transform-options.ts does for transform): lib/cli only parses them.
 */
import { MigrateError } from '../errors.js';
import { resolveSupabaseUrl, supabaseUrlOfPublicUrls, withoutCredentials } from '../images/object-path.js';
import type { ManifestEntry } from './manifest.js';
import type { RetryOptions } from './storage-errors.js';

/** The storage commands' options as parsed; concurrency is absent for remove-images (it deletes in batches). */
export interface StorageArgs {
  readonly out: string;
  readonly supabaseUrl?: string | undefined;
  readonly concurrency?: number | undefined;
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly requestTimeoutMs: number;
}

export interface StorageOptions {
  readonly out: string;
  /** The project's URL: --supabase-url, else $SUPABASE_URL, else the local default. */
  readonly url: string;
  readonly concurrency: number;
  readonly retry: Omit<RetryOptions, 'onRetry'>;
}

export function normalizeStorageOptions(
  args: StorageArgs,
  env: Readonly<Record<string, string | undefined>>,
): StorageOptions {
  const concurrency = args.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new MigrateError('OPTION_INVALID', '--concurrency takes a whole number from 1 to 64');
  const retries = args.retries;
  if (!Number.isInteger(retries) || retries < 0)
    throw new MigrateError('OPTION_INVALID', '--retries takes a whole number from 0');
  const timeoutMs = args.requestTimeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new MigrateError('OPTION_INVALID', '--request-timeout-ms takes a whole number of milliseconds from 1');
  return {
    out: args.out,
    url: resolveSupabaseUrl(args.supabaseUrl, env),
    concurrency,
    retry: { retries, baseMs: args.retryBaseMs, timeoutMs },
  };
}

/**
 * When the manifest's public URLs (and so migration.sql's) name a project other than `url`, what to say: the
 * images would go where the SQL would not find them. null: they agree, or the manifest names none.
 */
export function otherProjectUrl(
  entries: readonly ManifestEntry[],
  url: string,
): { readonly used: string; readonly mismatch: string } | null {
  const used = supabaseUrlOfPublicUrls(entries);
  if (used === null || used === url) return null;
  return {
    used: withoutCredentials(used),
    mismatch: `the image URLs in the manifest and migration.sql point at ${withoutCredentials(used)}, but the images would go to ${url}, where the SQL would not find them: run transform again with --supabase-url ${url}, or pass --allow-other-url if that is what you mean`,
  };
}
