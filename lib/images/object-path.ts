/**
 * The one place that computes where an image lives in Supabase Storage and its public URL. The SQL, the
 * manifest, push-images and the tests all ask here.
 */
import type { ImageKind } from './content-type.js';

export type Bucket = 'coach-images' | 'category-icons';
export const BUCKETS: readonly Bucket[] = ['category-icons', 'coach-images'];

export const DEFAULT_SUPABASE_URL = 'http://127.0.0.1:54321';

/** `--supabase-url`, else the environment's SUPABASE_URL, else a local Supabase stack; no trailing `/`. */
export function resolveSupabaseUrl(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const url = option ?? env['SUPABASE_URL'] ?? DEFAULT_SUPABASE_URL;
  return url.replace(/\/+$/, '');
}

/** `<legacy image id>-<first 16 hex digits of sha256(bytes)>.<ext>`: content-addressed, so never changes. */
/** What every object path of ours looks like (objectPath's output), to tell ours from others' in a bucket. */
export const OBJECT_PATH_SHAPE = /^\d+-[0-9a-f]{16}\.(jpg|png|gif|webp|svg)$/;

export function objectPath(legacyImageId: number, sha256Hex: string, kind: ImageKind): string {
  return `${legacyImageId}-${sha256Hex.slice(0, 16)}.${kind}`;
}

export function publicUrl(supabaseUrl: string, bucket: Bucket, path: string): string {
  return `${supabaseUrl}/storage/v1/object/public/${bucket}/${path}`;
}
