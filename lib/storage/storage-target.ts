/**
 * The Supabase Storage project we talk to: storage-js's StorageClient on `<url>/storage/v1`, with the
 * service key as bearer token and apikey. The key lives only inside the client's headers: it is never
 * put in a message, a log line or an error.
 */
import { StorageClient } from '@supabase/storage-js';
import { MigrateError } from '../errors.js';
import { CONTENT_TYPES } from '../images/content-type.js';
import type { Bucket } from '../images/object-path.js';
import { withRetry, type RetryOptions } from './storage-errors.js';

export const SERVICE_KEY_ENV = 'SUPABASE_SERVICE_ROLE_KEY';

export function serviceKey(env: Readonly<Record<string, string | undefined>>): string {
  const key = env[SERVICE_KEY_ENV];
  if (key === undefined || key.trim() === '') throw new MigrateError('OPTION_INVALID', `set ${SERVICE_KEY_ENV} to the project's service_role key (it is read from the environment only, and never printed)`);
  return key;
}

export function storageClient(supabaseUrl: string, key: string): StorageClient {
  return new StorageClient(`${supabaseUrl}/storage/v1`, { apikey: key, Authorization: `Bearer ${key}` });
}

/** A missing bucket is created public, for the image types; an existing one is fine as it is. */
export async function ensureBucket(client: StorageClient, bucket: Bucket, retry: RetryOptions): Promise<'exists' | 'created'> {
  const got = await withRetry(() => client.getBucket(bucket), retry);
  if (got.ok) return 'exists';
  if (got.failure.kind !== 'not-found') throw new MigrateError('STORAGE_FAILED', `bucket ${bucket}: ${got.failure.message}`);
  const made = await withRetry(() => client.createBucket(bucket, { public: true, allowedMimeTypes: Object.values(CONTENT_TYPES) }), retry);
  if (made.ok || made.failure.kind === 'exists') return 'created';
  throw new MigrateError('STORAGE_FAILED', `creating bucket ${bucket}: ${made.failure.message}`);
}
