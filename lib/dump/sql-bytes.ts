/**
 * The bytes the reader's scanners look for, named once (as pg-protocol names its bytes), and the one rule of
 * which bytes make an SQL identifier: PostgreSQL's scanner, `ident_start [A-Za-z\200-\377_]`,
 * `ident_cont [A-Za-z\200-\377_0-9\$]`. Used by the SQL tokenizer (sql-tokens.ts), the SQL lexer, the COPY
 * reader and the CREATE TABLE reader (lib/legacy/create-table.ts).
 */
export const NUL = 0x00;
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const DQUOTE = 0x22;
export const DOLLAR = 0x24;
export const QUOTE = 0x27;
export const BACKSLASH = 0x5c;

/** A byte that can begin an identifier: a letter, `_`, or any byte of a multi-byte character. */
export function isIdentStart(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80);
}

/** A letter, digit, `_` or multi-byte character: what the reader's lexer reads as a name's bytes. */
export function isIdentByte(c: number | undefined): boolean {
  return isIdentStart(c) || (c !== undefined && c >= 0x30 && c <= 0x39);
}

/** A byte that continues an identifier in PostgreSQL: `$` too (`te$$xt` is one name, and opens no dollar quote). */
export function isIdentCont(c: number | undefined): boolean {
  return isIdentByte(c) || c === DOLLAR;
}
