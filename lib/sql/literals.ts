/**
 * The one audited place that turns values into SQL text. Everything migration.sql, verify.sql and
 * rollback.sql contain that came from the data passes through here.
 *
 * Strings: '…' with quotes doubled (the scripts set standard_conforming_strings = on, so a backslash is
 * just a backslash). Only when a control character other than newline is present is the E'…' form used,
 * with every backslash, quote and control character escaped: no raw control bytes ever reach a reviewer's
 * diff or a terminal. Newlines stay real newlines, so multi-line prompts diff line by line.
 */
import { jsonStringSlices, stringifyExactJson } from '../transform/exact-json.js';
import { LazyText, LONG_TEXT, partsInclude, slicesOf, type Part } from '../text-parts.js';
import type { JsonValue } from '../transform/target-rows.js';

// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const E_ESCAPE = /[\\'\u0000-\u0009\u000b-\u001f\u007f]/g;

export function quoteString(s: string): string {
  if (!CONTROL_EXCEPT_NEWLINE.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return `E'${escapeE(s)}'`;
}

function escapeE(s: string): string {
  return s.replace(E_ESCAPE, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case "'":
        return "''";
      case '\t':
        return '\\t';
      case '\r':
        return '\\r';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
    }
  });
}

/**
 * quoteString(text) for text given as slices (each well-formed on its own): the same characters, quoted a
 * slice at a time. `hasControl`: whether any slice holds a control character other than newline (E'' form).
 */
function quotedSlices(slices: () => Iterable<string>, hasControl: boolean): LazyText {
  return new LazyText(function* () {
    yield hasControl ? "E'" : "'";
    for (const s of slices()) yield hasControl ? escapeE(s) : s.replace(/'/g, "''");
    yield "'";
  });
}

/** quoteString, as a LazyText for a long value (text-parts.ts): no whole quoted copy of it is ever made. */
export function quoteStringPart(s: string): Part {
  if (s.length < LONG_TEXT) return quoteString(s);
  return quotedSlices(() => slicesOf(s), CONTROL_EXCEPT_NEWLINE.test(s));
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * quoteString in ASCII only, for verify.sql, whose meaning must not depend on the client encoding it is read in
 * (read as LATIN1, a UTF-8 literal turns into the same mojibake a misread migration.sql stored, and matches it):
 * text with a character beyond ASCII is a U&'' literal, each such character (and each control character) escaped.
 */
export function quoteAscii(s: string): string {
  if (!NON_ASCII.test(s)) return quoteString(s);
  let body = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') body += '\\\\';
    else if (ch === "'") body += "''";
    else if (cp > 0xffff) body += '\\+' + cp.toString(16).padStart(6, '0');
    else if (cp > 0x7f || (ch !== '\n' && CONTROL_EXCEPT_NEWLINE.test(ch)))
      body += '\\' + cp.toString(16).padStart(4, '0');
    else body += ch;
  }
  return `U&'${body}'`;
}

/** JSON text with every character beyond ASCII as a \u escape: the same JSON value, in ASCII (see quoteAscii). */
// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\u0000-\u007f]/g;
const asciiJson = (json: string): string =>
  json.replace(NOT_ASCII, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

export function quoteJsonb(v: JsonValue, ascii = false): string {
  const json = stringifyExactJson(v);
  return `${quoteString(ascii ? asciiJson(json) : json)}::jsonb`;
}

/**
 * quoteJsonb, as a LazyText when the value is a long string (a prompt of many MB): its JSON text made a slice
 * at a time (JSON.stringify of a well-formed slice is that slice's part of the whole's JSON text).
 */
export function quoteJsonbPart(v: JsonValue, ascii = false): Part {
  if (typeof v !== 'string' || v.length < LONG_TEXT) return quoteJsonb(v, ascii);
  // JSON.stringify escapes every control character but DEL (U+007F), which the E'' form then escapes
  const slices = function* (): Generator<string> {
    for (const x of jsonStringSlices(v)) yield ascii ? asciiJson(x) : x;
  };
  const quoted = quotedSlices(slices, v.includes('\u007f'));
  return new LazyText(function* () {
    yield* quoted.slices();
    yield '::jsonb';
  });
}

export function quoteTimestamptz(v: string): string {
  return `${quoteString(v)}::timestamptz`;
}

export function quoteUuid(v: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) throw new Error(`not a UUID: ${v}`);
  return `'${v}'::uuid`;
}

/**
 * A negative integer is written in parentheses: `-2147483648::integer` parses as `-(2147483648::integer)`,
 * and 2147483648 is out of integer's range; `(-2147483648)::integer` is the value, wherever a cast follows.
 */
export function quoteInt(v: number): string {
  if (!Number.isSafeInteger(v)) throw new Error(`not an integer: ${v}`);
  return v < 0 ? `(${v})` : String(v);
}

export function quoteBool(v: boolean): string {
  return v ? 'true' : 'false';
}

export const NULL = 'NULL';

const RESERVED = new Set([
  'all',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'column',
  'constraint',
  'create',
  'default',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'for',
  'foreign',
  'from',
  'grant',
  'group',
  'having',
  'in',
  'into',
  'leading',
  'limit',
  'not',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'primary',
  'references',
  'select',
  'table',
  'then',
  'to',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'when',
  'where',
  'with',
]);

/** An identifier, quoted only when it must be (upper case, odd characters, reserved words). */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL comment line; the text cannot end the comment or smuggle a newline. */
export function comment(text: string): string {
  return `-- ${text.replace(/[\r\n]+/g, ' ')}`;
}

/**
 * The tag of a dollar-quoted body (a DO block): `$name$`, or `$name_N$` when the body holds that. PostgreSQL ends a
 * dollar-quoted body at the first occurrence of its tag, quoted or not, so text embedded in the body (a value, a
 * dump's file name) must never hold it: `config_data$ledger$.sql` ended the ledger's block early. Every DO block
 * the SQL files embed text in takes its tag from here.
 */
export function dollarTag(name: string, body: readonly Part[]): string {
  let tag = `$${name}$`;
  for (let n = 1; partsInclude(body, tag); n++) tag = `$${name}_${n}$`;
  return tag;
}
