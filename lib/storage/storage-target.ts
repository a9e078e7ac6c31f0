/**
 * The Supabase Storage project we talk to: storage-js's StorageClient on `<url>/storage/v1`, with the
 * service key as bearer token and apikey. The key lives only inside the client's headers: it is never
 * put in a message, a log line or an error.
 */
import { StorageClient } from '@supabase/storage-js';
import { MigrateError } from '../errors.js';
import { CONTENT_TYPES } from '../images/content-type.js';
import type { Bucket } from '../images/object-path.js';
import { timedFetch } from './timed-fetch.js';
import { withRetry, WRONG_KEY, type Failure, type RetryOptions } from './storage-errors.js';

export const SERVICE_KEY_ENV = 'SUPABASE_SERVICE_ROLE_KEY';

export function serviceKey(env: Readonly<Record<string, string | undefined>>): string {
  const key = env[SERVICE_KEY_ENV];
  if (key === undefined || key.trim() === '')
    throw new MigrateError(
      'OPTION_INVALID',
      `set ${SERVICE_KEY_ENV} to the project's service_role key (it is read from the environment only, and never printed)`,
    );
  return key;
}

export function storageClient(supabaseUrl: string, key: string, timeoutMs: number): StorageClient {
  return new StorageClient(
    `${supabaseUrl}/storage/v1`,
    { apikey: key, Authorization: `Bearer ${key}` },
    timedFetch(timeoutMs),
  );
}

/**
 * A MigrateError for a failed Storage call: what was being done, and the classified reason. A fault still there
 * after every retry (no answer, a cut-off or non-JSON answer, 5xx, 429) is the target failing, STORAGE_UNAVAILABLE
 * (exit 1, as the README's table has it); a refusal that says what to change (the key, the bucket) is
 * STORAGE_FAILED (exit 2).
 */
export function storageFailure(doing: string, failure: Failure): MigrateError {
  return new MigrateError(
    failure.kind === 'retry' ? 'STORAGE_UNAVAILABLE' : 'STORAGE_FAILED',
    `${doing}: ${failure.message}${failure.code !== '' && !failure.message.includes(failure.code) ? ` [${failure.code}]` : ''}`,
  );
}

/** What a private bucket means for us, and how to make it public (push-images and check-images say it). */
export function privateBucket(bucket: Bucket): string {
  return `bucket ${bucket} exists but is private: every image URL in migration.sql is a public URL, and a private bucket answers each with 400; make it public (Supabase Studio: Storage, ${bucket}, Edit bucket, Public bucket; or SQL: UPDATE storage.buckets SET public = true WHERE id = '${bucket}')`;
}

/** Whether a bucket is there and public, asked with the service key (the public URLs cannot tell a private bucket from a missing one). */
export async function bucketState(
  client: StorageClient,
  bucket: Bucket,
  retry: RetryOptions,
): Promise<'public' | 'private' | 'missing'> {
  const got = await withRetry(() => client.getBucket(bucket), retry);
  if (got.ok) return (got.value as { public?: boolean }).public === true ? 'public' : 'private';
  if (got.failure.kind === 'not-found') return 'missing';
  throw storageFailure(`bucket ${bucket}`, got.failure);
}

/**
 * The bucket, ready for our objects: a missing one is created public, for the image types. An existing one
 * must be public (every URL written into migration.sql is a public URL: a private bucket answers each with
 * 400) and must allow the content types we upload; else the run stops, saying what to change. The real server
 * accepts any valid key and lets row-level security decide: a key without the rights sees no bucket and may
 * create none, which is said as such.
 */
export async function ensureBucket(
  client: StorageClient,
  bucket: Bucket,
  contentTypes: readonly string[],
  retry: RetryOptions,
  again = false,
): Promise<'exists' | 'created'> {
  const got = await withRetry(() => client.getBucket(bucket), retry);
  if (got.ok) {
    const b = got.value as { public?: boolean; allowed_mime_types?: string[] | null };
    if (b.public !== true) {
      throw new MigrateError('STORAGE_FAILED', `${privateBucket(bucket)} and push again`);
    }
    const allowed = b.allowed_mime_types ?? null;
    const refused = allowed === null || allowed.length === 0 ? [] : contentTypes.filter((t) => !allowed.includes(t));
    if (refused.length > 0) {
      throw new MigrateError(
        'STORAGE_FAILED',
        `bucket ${bucket} does not allow ${refused.join(', ')} (it allows ${allowed!.join(', ')}): add them to the bucket's allowed MIME types, or clear the restriction, and push again`,
      );
    }
    return 'exists';
  }
  if (got.failure.kind !== 'not-found') throw storageFailure(`bucket ${bucket}`, got.failure);
  const made = await withRetry(
    () => client.createBucket(bucket, { public: true, allowedMimeTypes: Object.values(CONTENT_TYPES) }),
    retry,
  );
  if (made.ok) return 'created';
  if (made.failure.kind === 'exists') {
    // made by a try whose answer was lost, or by another run: look again. Still not seen: row-level security
    // hides it from a key without the rights.
    if (!again) return (await ensureBucket(client, bucket, contentTypes, retry, true)) && 'created';
    throw new MigrateError('STORAGE_FAILED', `bucket ${bucket} exists, but this key cannot see it: ${WRONG_KEY}`);
  }
  throw storageFailure(`creating bucket ${bucket}`, made.failure);
}
