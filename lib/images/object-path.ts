/**
 * The one place that computes where an image lives in Supabase Storage and its public URL. The SQL, the
 * manifest, push-images and the tests all ask here.
 */
import { MigrateError } from '../errors.js';
import type { ImageKind } from './content-type.js';

export type Bucket = 'coach-images' | 'category-icons';
export const BUCKETS: readonly Bucket[] = ['category-icons', 'coach-images'];

export const DEFAULT_SUPABASE_URL = 'http://127.0.0.1:54321';

/** The form the URL takes: the project's own address, nothing after it. */
const URL_FORM = 'https://<project>.supabase.co';

/**
 * `--supabase-url`, else the environment's SUPABASE_URL, else a local Supabase stack: the project URL only.
 * A trailing `/storage/v1` (the Storage API's own address, which the URLs add) and trailing `/` are
 * dropped; any other path, a query, a fragment or credentials (`user:pass@`) are refused with the form to
 * use instead. Every URL the tool writes or calls is built on what this returns; a password given in the
 * URL is never repeated, in the message or anywhere else.
 */
export function resolveSupabaseUrl(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const from = option !== undefined ? '--supabase-url' : 'SUPABASE_URL';
  const raw = option ?? env['SUPABASE_URL'] ?? DEFAULT_SUPABASE_URL;
  const refuse = (why: string, use: string | null): never => {
    // shown without credentials, and without the query and fragment, which may hold a key (?apikey=…)
    const shown = withoutCredentials(raw).replace(/([?#]).*$/s, '$1…');
    throw new MigrateError(
      'OPTION_INVALID',
      `${from} ${JSON.stringify(shown)} ${why}; give the project URL only${use !== null ? `: ${use}` : ''} (the form is ${URL_FORM})`,
    );
  };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return refuse('is not a URL', null);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return refuse('is not an http(s) URL', null);
  const project = `${u.protocol}//${u.host}`;
  if (u.username !== '' || u.password !== '')
    return refuse(
      'holds credentials (user:password@), which would be written into every public image URL; the key is read from SUPABASE_SERVICE_ROLE_KEY only',
      project,
    );
  if (u.search !== '' || raw.includes('?')) return refuse('has a query', project);
  if (u.hash !== '' || raw.includes('#')) return refuse('has a fragment', project);
  const path = u.pathname
    .replace(/\/+$/, '')
    .replace(/\/storage\/v1$/, '')
    .replace(/\/+$/, '');
  if (path !== '')
    return refuse(
      `has the path ${JSON.stringify(u.pathname)}; the image URLs add /storage/v1/object/public/… themselves`,
      project,
    );
  return project;
}

/** A URL as it may be shown: any `user:password@` taken out (a URL from an older manifest, or refused input). */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
}

/** What every object path of ours looks like (objectPath's output), to tell ours from others' in a bucket. */
/** A legacy id may be negative (`-2147483648-….jpg`): the sign is part of the id. */
export const OBJECT_PATH_SHAPE = /^-?\d+-([0-9a-f]{16})\.(jpg|png|gif|webp|svg)$/;

/** `<legacy image id>-<first 16 hex digits of sha256(bytes)>.<ext>`: content-addressed, so never changes. */
export function objectPath(legacyImageId: number, sha256Hex: string, kind: ImageKind): string {
  return `${legacyImageId}-${sha256Hex.slice(0, 16)}.${kind}`;
}

const PUBLIC_OBJECTS = '/storage/v1/object/public/';

export function publicUrl(supabaseUrl: string, bucket: Bucket, path: string): string {
  return `${supabaseUrl}${PUBLIC_OBJECTS}${bucket}/${path}`;
}

/** The Supabase URL the transform wrote into the SQL, from a manifest's public URLs (publicUrl's inverse; null: no images). */
export function supabaseUrlOfPublicUrls(entries: readonly { url: string }[]): string | null {
  const first = entries[0]?.url;
  return first === undefined ? null : first.slice(0, first.indexOf(PUBLIC_OBJECTS));
}
