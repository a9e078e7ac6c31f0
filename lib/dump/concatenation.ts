/**
 * A value of an INSERT: one constant, or constants joined by `||` (`'x'||'y'`). pg_dump never writes `||`, but
 * psql restores it, so the reader computes what PostgreSQL stores: the constants' text concatenated (a number as
 * its numeric text, TRUE as `true`; a NULL makes the whole NULL). The result is of type text, which PostgreSQL
 * assigns only to a column of a string type: any other column refuses it, as psql does.
 */
import { MigrateError } from '../errors.js';
import { castToText, checkCasts } from './casts.js';
import type { ColumnDecoder } from './column-decoders.js';
import type { Literal, SqlLexer } from './sql-lexer.js';
import { booleanInto, numberConstantText, numberInto, PG_NAMES } from './typed-constant.js';
import type { Value } from './values.js';

/** PostgreSQL's operator characters: `||` followed by one of them is another operator (`||/` is cube root). */
const OPERATOR_BYTES = new Set([...'+-*/<>=~!@#%^&|`?'].map((c) => c.charCodeAt(0)));

/** One value of a row of VALUES, as the column of `decoder` stores it. */
export function readValue(lx: SqlLexer, decoder: ColumnDecoder): Value {
  const first = lx.literal();
  if (!eatConcatenation(lx)) {
    checkCasts(lx.casts, decoder.type, false);
    return constantInto(decoder, first);
  }
  const firstIsString = isStringPart(lx, first);
  const parts: (string | Buffer | null)[] = [textOf(first)];
  // the first `||` needs a string (or NULL) on one side: PostgreSQL has no `integer || integer`
  const second = lx.literal();
  const secondIsString = isStringPart(lx, second); // its casts checked whatever the first part is
  if (!firstIsString && !secondIsString)
    throw new MigrateError(
      'SQL_VALUE_TYPE',
      `operator does not exist: ${formOf(first)} || ${formOf(second)} (PostgreSQL refuses it; quote the values)`,
    );
  parts.push(textOf(second));
  while (eatConcatenation(lx)) {
    const next = lx.literal();
    isStringPart(lx, next);
    parts.push(textOf(next));
  }
  if (decoder.type !== 'text')
    throw new MigrateError(
      'SQL_VALUE_TYPE',
      `the column is of type ${PG_NAMES[decoder.type] ?? decoder.type} but the expression joined with || is of type text (PostgreSQL refuses it; write one quoted value)`,
    );
  if (parts.includes(null)) return null;
  const joined = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p!)));
  return decoder.decode(joined, 0, joined.length);
}

/**
 * Whether a part of `||`, just read, is a string to PostgreSQL (a quoted string, NULL, or one cast to text); its
 * casts are checked first: inside `||` only a cast to text or varchar is taken.
 */
function isStringPart(lx: SqlLexer, lit: Literal): boolean {
  checkCasts(lx.casts, 'text', true);
  return lit.kind === 'null' || lit.form === 'string' || castToText(lx.casts);
}

function formOf(lit: Literal): string {
  return lit.kind === 'null' ? 'NULL' : lit.form;
}

function constantInto(decoder: ColumnDecoder, lit: Literal): Value {
  if (lit.kind === 'null') return null;
  if (lit.form === 'string') return decoder.decode(lit.src, lit.start, lit.end);
  if (lit.form === 'number') return numberInto(decoder, lit.src, lit.start, lit.end);
  return booleanInto(decoder, lit.src[lit.start] === 0x74 || lit.src[lit.start] === 0x54);
}

/** A constant's text as `||` sees it, copied (the lexer reuses its scratch for the next literal); null for NULL. */
function textOf(lit: Literal): string | Buffer | null {
  if (lit.kind === 'null') return null;
  if (lit.form === 'string') return Buffer.from(lit.src.subarray(lit.start, lit.end));
  if (lit.form === 'number') return numberConstantText(lit.src.toString('latin1', lit.start, lit.end));
  return lit.src[lit.start] === 0x74 || lit.src[lit.start] === 0x54 ? 'true' : 'false';
}

/** Consumes `||` if it is next as an operator of its own (not the start of a longer one). */
function eatConcatenation(lx: SqlLexer): boolean {
  const s = lx.src;
  if (lx.peekByte() !== 0x7c || s[lx.pos + 1] !== 0x7c || lx.pos + 1 >= lx.end) return false;
  const after = lx.pos + 2 < lx.end ? s[lx.pos + 2] : undefined;
  const comment = (after === 0x2d && s[lx.pos + 3] === 0x2d) || (after === 0x2f && s[lx.pos + 3] === 0x2a);
  if (after !== undefined && OPERATOR_BYTES.has(after) && !comment)
    throw lx.error('an operator other than || between constants (PostgreSQL has none for them)');
  lx.pos += 2;
  return true;
}
