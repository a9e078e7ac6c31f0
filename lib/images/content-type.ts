/**
 * Content type from an image's bytes (the legacy `extension` column is only compared, never trusted):
 * JPEG, PNG, GIF and WebP by their magic numbers, SVG as text whose first element is `<svg`.
 * Small and exact for the five types the contract names; file-type does not recognise SVG at all.
 */
export type ImageKind = 'jpg' | 'png' | 'gif' | 'webp' | 'svg';

export const CONTENT_TYPES: Readonly<Record<ImageKind, string>> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
};

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffImage(b: Buffer): ImageKind | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpg';
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG)) return 'png';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.toString('latin1', 0, 6))) return 'gif';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (isSvg(b)) return 'svg';
  return null;
}

/** Text whose first element is `<svg`, after an optional BOM, XML declaration, comments and doctype. */
function isSvg(b: Buffer): boolean {
  let s = b.toString('utf8', 0, Math.min(b.length, 4096));
  if (s.includes('\u0000')) return false;
  s = s.replace(/^\uFEFF/, '');
  for (;;) {
    s = s.replace(/^\s+/, '');
    const skip = /^(<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>)/i.exec(s);
    if (skip === null) break;
    s = s.slice(skip[0].length);
  }
  return /^<svg[\s>/]/.test(s);
}

/** Extensions the legacy app may have stored for each kind (for the mismatch finding). */
export function extensionMatches(kind: ImageKind, legacyExtension: string | null): boolean {
  if (legacyExtension === null) return false;
  const e = legacyExtension.trim().toLowerCase().replace(/^\./, '');
  return e === kind || (kind === 'jpg' && (e === 'jpeg' || e === 'jpe'));
}
