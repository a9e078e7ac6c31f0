/**
 * The slug of a coach's name, for voice_id (docs/mapping.md). ASCII letters lower-cased, every other code point
 * folded by our own table (slug-folding.ts), never by the runtime's String.prototype.normalize: a Node upgrade
 * brings a newer Unicode, which decomposes characters the older one did not, and so would change voice_ids.
 */
import { DROPPED, FOLDED } from './slug-folding.js';

/** Code points that fold to nothing, as sorted [from, to] ranges. */
const dropped: readonly (readonly [number, number])[] = DROPPED.trim()
  .split(' ')
  .map((r) => {
    const [a, b] = r.split('-');
    return [parseInt(a!, 16), parseInt(b ?? a!, 16)] as const;
  });

/** Code points that fold to ASCII letters or digits (runs `from-to:first` spelled out). */
const folded = new Map<number, string>();
for (const entry of FOLDED.trim().split(' ')) {
  const [range, text] = entry.split(':') as [string, string];
  const [a, b] = range.split('-');
  const from = parseInt(a!, 16);
  const to = parseInt(b ?? a!, 16);
  for (let cp = from; cp <= to; cp++)
    folded.set(cp, from === to ? text : String.fromCharCode(text.charCodeAt(0) + cp - from));
}

function isDropped(cp: number): boolean {
  let lo = 0;
  let hi = dropped.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = dropped[mid]!;
    if (cp < from) hi = mid - 1;
    else if (cp > to) lo = mid + 1;
    else return true;
  }
  return false;
}

/** A code point as it stands in a slug: ASCII as it is (A-Z lowered), the table's folding, or a separator. */
export function foldCodePoint(cp: number): string {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 0x20) : String.fromCharCode(cp);
  if (isDropped(cp)) return '';
  return folded.get(cp) ?? '_';
}

/** Each code point folded, every run outside [a-z0-9] → `_`, `_` trimmed at both ends. */
export function slug(name: string): string {
  let out = '';
  for (const ch of name) out += foldCodePoint(ch.codePointAt(0)!);
  return out.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}
