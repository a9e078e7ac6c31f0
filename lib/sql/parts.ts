/**
 * Generated text as a list of parts, written one after another. A single value can be tens of MB (a legacy
 * prompt); joining every statement into one string first copied it several times over (a 20 MB prompt
 * peaked the transform at 472 MB RSS). As parts, each row's text exists once, and is written as it is.
 */
export type TextParts = string[];

/** `items` with `sep` between them, as parts (what items.join(sep) would be, without the copy). */
export function interleave(items: readonly string[], sep: string): TextParts {
  const out: TextParts = [];
  items.forEach((s, i) => {
    if (i > 0) out.push(sep);
    out.push(s);
  });
  return out;
}

/** Lines (each a string or parts already) joined by newlines, as parts. */
export function lines(items: readonly (string | readonly string[])[]): TextParts {
  const out: TextParts = [];
  items.forEach((s, i) => {
    if (i > 0) out.push('\n');
    if (typeof s === 'string') out.push(s);
    else out.push(...s);
  });
  return out;
}
