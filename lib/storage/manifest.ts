/**
 * out/images/manifest.json: what push-images uploads, check-images checks and remove-images deletes.
 * Read and checked against schemas/manifest.schema.json; every path is re-derived from the one place
 * that computes object paths, so a hand-edited manifest cannot point anywhere else.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrateError } from '../errors.js';
import { schemaValidator } from '../validation/json-schemas.js';
import { BUCKETS, objectPath, type Bucket } from '../images/object-path.js';
import type { ImageKind } from '../images/content-type.js';
import type { ManifestEntry } from '../transform/images.js';

export type { ManifestEntry };

export async function loadManifest(outDir: string): Promise<ManifestEntry[]> {
  const file = join(outDir, 'images', 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MigrateError('INPUT_NOT_FOUND', `no ${file}: run transform first (make transform)`, { file });
  }
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch (e) {
    throw new MigrateError('INPUT_NOT_A_DUMP', `the manifest is not JSON: ${(e as Error).message}`, { file });
  }
  const validate = schemaValidator<ManifestEntry[]>('manifest.schema.json');
  if (!validate(entries)) {
    const err = validate.errors?.[0];
    throw new MigrateError(
      'INPUT_NOT_A_DUMP',
      `the manifest does not fit schemas/manifest.schema.json: ${err?.instancePath ?? ''} ${err?.message ?? ''}`.trim(),
      { file },
    );
  }
  for (const e of entries) {
    const kind = e.path.slice(e.path.lastIndexOf('.') + 1) as ImageKind;
    if (
      !BUCKETS.includes(e.bucket as Bucket) ||
      objectPath(e.legacyImageId, e.sha256, kind) !== e.path ||
      !e.url.endsWith(`/storage/v1/object/public/${e.bucket}/${e.path}`)
    ) {
      throw new MigrateError(
        'INPUT_NOT_A_DUMP',
        `manifest entry ${e.bucket}/${e.path} does not match its own id, sha256 and URL`,
        { file },
      );
    }
  }
  return entries;
}

/** Where an entry's bytes are in the output folder. */
export function localFile(outDir: string, e: ManifestEntry): string {
  return join(outDir, 'images', e.bucket, e.path);
}
