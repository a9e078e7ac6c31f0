/**
 * Encoders that write values the way PostgreSQL's COPY TO and pg_dump --inserts do, for property tests:
 * whatever they write, the reader must decode back to the same value.
 */

/** CopyAttributeOutText: backslash and the six control characters escaped, everything else verbatim. */
export function copyText(s: string | null): string {
  if (s === null) return '\\N';
  return s.replace(
    /[\\\b\f\n\r\t\v]/g,
    (c) => ({ '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' })[c]!,
  );
}

/** bytea_output = hex: `\x…`; then COPY doubles the backslash. */
export function copyByteaHex(b: Buffer | null): string {
  return b === null ? '\\N' : copyText('\\x' + b.toString('hex'));
}

/** bytea_output = escape: `\\` for backslash, `\ooo` for non-printable bytes; then COPY escaping. */
export function copyByteaEscape(b: Buffer | null): string {
  if (b === null) return '\\N';
  let s = '';
  for (const x of b) {
    if (x === 0x5c) s += '\\\\';
    else if (x < 0x20 || x > 0x7e) s += '\\' + x.toString(8).padStart(3, '0');
    else s += String.fromCharCode(x);
  }
  return copyText(s);
}

/** pg_dump --inserts with standard_conforming_strings on: quotes doubled, nothing else escaped. */
export function sqlLiteral(s: string | null): string {
  return s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`;
}

/** An E'' literal, as pg_dump writes with standard_conforming_strings off. */
export function sqlEscapeLiteral(s: string | null): string {
  return s === null ? 'NULL' : `E'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
