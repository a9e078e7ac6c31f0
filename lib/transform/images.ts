/**
 * Images (docs/mapping.md; the contract is the project's shared mapping spec, "Images"). Pure: which legacy images the
 * migrated coaches and categories
 * reference, in which bucket, their object paths and public URLs (asked of lib/images/object-path.ts), the
 * manifest, and the findings. What the bytes are (type, hash) is measured by the image sink while streaming.
 */
import type { Finding } from '../findings.js';
import { CONTENT_TYPES, extensionMatches, type ImageKind } from '../images/content-type.js';
import { objectPath, publicUrl, type Bucket } from '../images/object-path.js';
import type { CategoryRecord, CoachRecord } from '../legacy/records.js';

export type { ImageFacts, ImageRef } from '../images/image-facts.js';
import type { ImageFacts, ImageRef } from '../images/image-facts.js';

export interface ManifestEntry {
  readonly bucket: Bucket;
  readonly path: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly legacyImageId: number;
  readonly referencedBy: readonly string[];
  /** The public URL migration.sql holds for it: push-images knows from it which project the SQL points at. */
  readonly url: string;
}

const COACH_IMAGE_COLUMNS = ['image_id', 'image30_id', 'image45_id', 'image60_id'] as const;
const CATEGORY_ICON_COLUMNS = ['icon_id', 'icon_id_secondary'] as const;

export function imageReferences(
  coaches: readonly CoachRecord[],
  categories: readonly CategoryRecord[],
): Map<number, ImageRef> {
  const acc = new Map<number, { buckets: Set<Bucket>; referencedBy: string[] }>();
  const add = (id: number | null, bucket: Bucket, by: string): void => {
    if (id === null) return;
    const e = acc.get(id) ?? { buckets: new Set<Bucket>(), referencedBy: [] };
    e.buckets.add(bucket);
    e.referencedBy.push(by);
    acc.set(id, e);
  };
  for (const c of coaches)
    for (const col of COACH_IMAGE_COLUMNS) add(c[col], 'coach-images', `tls_coach#${c.id}.${col}`);
  for (const c of categories)
    for (const col of CATEGORY_ICON_COLUMNS) add(c[col], 'category-icons', `tls_category#${c.id}.${col}`);
  for (const e of acc.values()) e.referencedBy.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return acc;
}

export interface ImagePlan {
  urlFor(bucket: Bucket, imageId: number | null): string | null;
  readonly manifest: readonly ManifestEntry[];
  readonly findings: readonly Finding[];
}

export function planImages(
  refs: ReadonlyMap<number, ImageRef>,
  facts: ReadonlyMap<number, ImageFacts>,
  supabaseUrl: string,
): ImagePlan {
  const findings: Finding[] = [];
  const manifest: ManifestEntry[] = [];
  for (const [id, ref] of [...refs].sort((a, b) => a[0] - b[0])) {
    const subject = `tls_image#${id}`;
    const by = ref.referencedBy.join(', ');
    const f = facts.get(id);
    if (!isRecognised(f)) {
      findings.push(unrecognisedFinding(subject, by, f));
      continue;
    }
    const checks = byteChecks(subject, by, f);
    findings.push(...checks.findings);
    if (!checks.refused) manifest.push(...manifestEntries(id, ref, f, supabaseUrl));
  }
  manifest.sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.legacyImageId - b.legacyImageId));
  const urls = new Map(manifest.map((e) => [`${e.bucket}/${e.legacyImageId}`, e.url]));
  return {
    urlFor: (bucket, imageId) => (imageId === null ? null : (urls.get(`${bucket}/${imageId}`) ?? null)),
    manifest,
    findings,
  };
}

/** Facts with bytes to upload: a size, a hash and a recognised type, all an object path and manifest entry need. */
type RecognisedImage = ImageFacts & { readonly size: number; readonly sha256: string; readonly kind: ImageKind };

/** Whether the image has bytes worth judging at all; the rest get no URL and one finding saying why. */
function isRecognised(f: ImageFacts | undefined): f is RecognisedImage {
  return f !== undefined && f.size !== null && f.size !== 0 && f.sha256 !== null && f.kind !== null;
}

/** Why an image that is not recognised gets a NULL URL: not in tls_image, no data, or not one of the five types. */
function unrecognisedFinding(subject: string, by: string, f: ImageFacts | undefined): Finding {
  if (f === undefined) {
    return {
      severity: 'warning',
      code: 'image.missing',
      subject,
      message: `referenced by ${by} but not in tls_image: the URL is NULL`,
    };
  }
  if (f.size === null || f.size === 0 || f.sha256 === null) {
    return {
      severity: 'warning',
      code: 'image.empty',
      subject,
      message: `the data is ${f.size === null ? 'NULL' : 'empty'} (referenced by ${by}): the URL is NULL`,
    };
  }
  return {
    severity: 'warning',
    code: 'image.unrecognised',
    subject,
    message: `the bytes are not a JPEG, PNG, GIF, WebP or SVG image (referenced by ${by}): the URL is NULL`,
  };
}

/**
 * What the checks of a recognised image's bytes say, in the order they are judged, and whether one of them
 * refuses it (active SVG not sanitized, bytes that do not decode): a refused image gets a NULL URL.
 */
function byteChecks(subject: string, by: string, f: RecognisedImage): { findings: Finding[]; refused: boolean } {
  const findings: Finding[] = [];
  if (!extensionMatches(f.kind, f.extension)) {
    findings.push({
      severity: 'info',
      code: 'image.extension.mismatch',
      subject,
      message: `the legacy extension is ${JSON.stringify(f.extension)} but the bytes are ${f.kind.toUpperCase()}: the bytes decide`,
    });
  }
  if (f.svgActive !== undefined && !f.svgActive.sanitized) {
    findings.push({
      severity: 'error',
      code: 'image.svg.active',
      subject,
      message: `the SVG holds ${f.svgActive.kinds.join(', ')} (${f.svgActive.examples.join(', ')}), which a public bucket would serve from the project's domain (referenced by ${by}): refused; transform with --sanitize-svg to have it rewritten without them`,
    });
    return { findings, refused: true };
  }
  if (f.svgActive !== undefined) {
    findings.push({
      severity: 'info',
      code: 'image.svg.sanitized',
      subject,
      message: `the SVG held ${f.svgActive.kinds.join(', ')} (${f.svgActive.examples.join(', ')}); --sanitize-svg: rewritten by DOMPurify without them, and the rewrite is what is uploaded (referenced by ${by})`,
    });
  }
  if (f.undecodable !== undefined) {
    findings.push({
      severity: 'error',
      code: 'image.undecodable',
      subject,
      message: `the bytes claim ${f.kind.toUpperCase()} but do not decode (${f.undecodable}); used by ${by}: a browser shows a broken image`,
    });
    return { findings, refused: true };
  }
  return { findings, refused: false };
}

/** One manifest entry per bucket that references the image, each listing only that bucket's referrers. */
function manifestEntries(id: number, ref: ImageRef, f: RecognisedImage, supabaseUrl: string): ManifestEntry[] {
  const path = objectPath(id, f.sha256, f.kind);
  return [...ref.buckets].sort().map((bucket) => ({
    bucket,
    path,
    contentType: CONTENT_TYPES[f.kind],
    size: f.size,
    sha256: f.sha256,
    legacyImageId: id,
    referencedBy: ref.referencedBy.filter((r) =>
      r.startsWith(bucket === 'coach-images' ? 'tls_coach#' : 'tls_category#'),
    ),
    url: publicUrl(supabaseUrl, bucket, path),
  }));
}
