/**
 * Generated text as a list of parts, written one after another. A single value can be tens of MB (a legacy
 * prompt); joining every statement into one string first copied it several times over (a 20 MB prompt
 * peaked the transform at 472 MB RSS). As parts, each row's text exists once, and is written as it is; and a
 * long value's text (quoted for SQL, escaped for JSON) is a LazyText: made a slice at a time while it is
 * written, so that no whole quoted or escaped copy of it ever exists.
 */

/** Text made on demand, slice by slice, each time it is read. */
export class LazyText {
  constructor(readonly slices: () => Iterable<string>) {}
}

export type Part = string | LazyText;
export type TextParts = Part[];

/** Values at least this long (UTF-16 units) are quoted and escaped lazily, a slice at a time. */
export const LONG_TEXT = 1 << 20;

/**
 * How long a slice is: under V8's largest ordinary heap object (128 kB), so that each slice and the copies made
 * of it (escaped, encoded for the write) are young garbage, swept by the next scavenge. Slices of 1 MB went
 * to the large-object space, freed only by a full collection: a 20 MB value's slices piled up 60 MB of it.
 */
export const SLICE = 1 << 15;

/** `s` in slices of about `size` units that never split a surrogate pair (each slice is well-formed on its own). */
export function* slicesOf(s: string, size = SLICE): Generator<string> {
  for (let i = 0; i < s.length;) {
    let end = Math.min(s.length, i + size);
    const last = s.charCodeAt(end - 1);
    if (end < s.length && last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate stays with its low one
    yield s.slice(i, end);
    i = end;
  }
}

/** The parts' text as one string (for tests and small outputs; the transform writes parts as they are). */
export function partsText(parts: readonly Part[]): string {
  let out = '';
  for (const p of parts) out += typeof p === 'string' ? p : [...p.slices()].join('');
  return out;
}

/** Whether the parts' text holds `needle`, also where it runs across parts or slices (reads each slice once). */
export function partsInclude(parts: readonly Part[], needle: string): boolean {
  const keep = needle.length - 1;
  let tail = ''; // the last `keep` characters seen: a match may begin there
  const seen = (text: string): boolean => {
    // never tail + text whole: for a part of tens of MB that would be a copy of it
    if (text.includes(needle) || (tail + text.slice(0, keep)).includes(needle)) return true;
    tail = keep === 0 ? '' : text.length >= keep ? text.slice(text.length - keep) : (tail + text).slice(-keep);
    return false;
  };
  for (const p of parts) {
    if (typeof p === 'string') {
      if (seen(p)) return true;
    } else for (const slice of p.slices()) if (seen(slice)) return true;
  }
  return false;
}

/** `items` with `sep` between them, as parts (what items.join(sep) would be, without the copy). */
export function interleave(items: readonly Part[], sep: string): TextParts {
  const out: TextParts = [];
  items.forEach((s, i) => {
    if (i > 0) out.push(sep);
    out.push(s);
  });
  return out;
}

/** Lines (each a part or parts already) joined by newlines, as parts. */
export function lines(items: readonly (Part | readonly Part[])[]): TextParts {
  const out: TextParts = [];
  items.forEach((s, i) => {
    if (i > 0) out.push('\n');
    if (typeof s === 'string' || s instanceof LazyText) out.push(s);
    else out.push(...s);
  });
  return out;
}
