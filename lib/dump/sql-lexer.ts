/**
 * A small, exact lexer over the bytes of one SQL statement: identifiers (folded or quoted), punctuation and
 * the literals pg_dump writes in its INSERT forms. Literal text is handed to the column decoders as a byte
 * range, so numbers keep every digit and strings are decoded once; no AST, no floats.
 */
import { MigrateError, excerptOf } from '../errors.js';
import { Scratch } from './byte-scan.js';
import { checkUtf8Text, hexVal } from './column-decoders.js';
import { BACKSLASH, DOLLAR, DQUOTE, isIdentByte, isIdentStart, QUOTE } from './sql-bytes.js';
import { Item, MORE, SqlTokens } from './sql-tokens.js';

export type Literal =
  | { readonly kind: 'null' }
  /**
   * The literal's text is src[start, end) (raw slice, or the lexer's scratch after un-quoting). `form`: a quoted
   * string takes the column's type; an unquoted number or TRUE/FALSE has its own (lib/dump/typed-constant.ts).
   */
  | {
      readonly kind: 'text';
      readonly form: 'string' | 'number' | 'boolean';
      readonly src: Buffer;
      readonly start: number;
      readonly end: number;
    };

const NULL_LITERAL: Literal = { kind: 'null' };

// PostgreSQL 15's SQL scanner takes [ \t\n\r\f] as space, not a vertical tab (0x0b): psql refuses `select<VT>1`
function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

export class SqlLexer {
  pos: number;
  private readonly scratch = new Scratch();
  /** Where comments, strings and quoted identifiers end (the reader's one tokenizer). */
  private readonly tokens = new SqlTokens();

  constructor(
    readonly src: Buffer,
    readonly start: number,
    readonly end: number,
    readonly standardConformingStrings: boolean,
  ) {
    this.pos = start;
  }

  /** Skips white space and comments. */
  skip(): void {
    const s = this.src;
    const tokens = this.tokens;
    for (;;) {
      while (this.pos < this.end && isSpace(s[this.pos])) this.pos++;
      const c = s[this.pos];
      if (this.pos >= this.end || (c !== 0x2d && c !== 0x2f)) return;
      const from = tokens.open(s, this.start, this.pos, this.end, true);
      if (tokens.item === Item.None) return; // a minus or a slash, not a comment
      const after = tokens.close(s, from, this.end, true);
      if (after === MORE) {
        // an unclosed /* runs to the end: the statement scanner reports it when it ends the input
        tokens.reset();
        this.pos = this.end;
      } else this.pos = after;
    }
  }

  atEnd(): boolean {
    this.skip();
    return this.pos >= this.end;
  }

  peekByte(): number | undefined {
    this.skip();
    return this.pos < this.end ? this.src[this.pos] : undefined;
  }

  /** Consumes `ch` if it is next. */
  eat(ch: string): boolean {
    if (this.peekByte() === ch.charCodeAt(0)) {
      this.pos++;
      return true;
    }
    return false;
  }

  expect(ch: string, what: string): void {
    if (!this.eat(ch)) throw this.error(`expected ${what}`);
  }

  /** Consumes a keyword (case-insensitive) if it is next as a whole word. */
  keyword(word: string): boolean {
    this.skip();
    const n = word.length;
    if (this.pos + n > this.end) return false;
    if (this.src.toString('latin1', this.pos, this.pos + n).toUpperCase() !== word) return false;
    if (isIdentByte(this.src[this.pos + n]) && this.pos + n < this.end) return false;
    this.pos += n;
    return true;
  }

  expectKeyword(word: string): void {
    if (!this.keyword(word)) throw this.error(`expected ${word}`);
  }

  /** An identifier: unquoted ones fold to lower case (as PostgreSQL does), quoted ones are exact. */
  identifier(what = 'an identifier'): string {
    this.skip();
    const s = this.src;
    if (s[this.pos] === DQUOTE) {
      this.tokens.enter(Item.DQuote);
      const after = this.tokens.close(s, this.pos + 1, this.end, true);
      if (after === MORE) throw this.error('unterminated quoted identifier');
      const name = s.toString('utf8', this.pos + 1, after - 1);
      this.pos = after;
      return this.tokens.escaped ? name.replace(/""/g, '"') : name;
    }
    const from = this.pos;
    while (this.pos < this.end && isIdentByte(s[this.pos]) && !(this.pos === from && isDigit(s[this.pos]))) this.pos++;
    if (this.pos === from) throw this.error(`expected ${what}`);
    return s.toString('utf8', from, this.pos).toLowerCase();
  }

  /** `name` or `schema.name`. */
  qualifiedName(): { schema: string | null; name: string } {
    const first = this.identifier('a table name');
    if (this.peekByte() === 0x2e) {
      this.pos++;
      return { schema: first, name: this.identifier('a table name') };
    }
    return { schema: null, name: first };
  }

  /** `(a, "b", c)` */
  identifierList(): string[] {
    this.expect('(', '"(" before the column list');
    const cols: string[] = [];
    if (this.eat(')')) return cols;
    do cols.push(this.identifier('a column name'));
    while (this.eat(','));
    this.expect(')', '")" after the column list');
    return cols;
  }

  /**
   * One literal as pg_dump writes it in INSERT statements: NULL, true/false, a number, a quoted string
   * ('...', E'...'), optionally followed by `::type` casts (kept in `casts`), and perhaps in parentheses, which
   * psql takes (`(1)`, seed 20261211 case 495). Counted, not recursed into: no input can run the stack out.
   */
  literal(): Literal {
    this.casts.length = 0;
    let parentheses = 0;
    while (this.eat('(')) parentheses++;
    const lit = this.constant();
    for (; parentheses > 0; parentheses--) {
      this.expect(')', '")" after a value in parentheses');
      this.skipCast();
    }
    return lit;
  }

  private constant(): Literal {
    this.skip();
    const s = this.src;
    const c = s[this.pos];
    let lit: Literal;
    if (c === 0x27) lit = this.quoted(this.pos + 1, !this.standardConformingStrings);
    else if ((c === 0x45 || c === 0x65) && s[this.pos + 1] === 0x27) lit = this.quoted(this.pos + 2, true);
    else if ((c === 0x42 || c === 0x62 || c === 0x58 || c === 0x78) && s[this.pos + 1] === 0x27) {
      // B'101' and X'41' are bit strings in PostgreSQL (a text column gets their bits); pg_dump never writes one
      throw this.error(
        `a bit-string constant ${String.fromCharCode(c)}'…', which pg_dump never writes (PostgreSQL reads it as bits, not text)`,
      );
    } else if ((c === 0x4e || c === 0x6e) && s[this.pos + 1] === 0x27) {
      // N'…' is character(n) in PostgreSQL: into text it loses its trailing spaces, into other types it is refused
      throw this.error(
        "a national character constant N'…', which pg_dump never writes (PostgreSQL reads it as character(n), not as the column's type)",
      );
    } else if ((c === 0x55 || c === 0x75) && s[this.pos + 1] === 0x26 && s[this.pos + 2] === 0x27) {
      // U&'…' (seed 20261212 case 140): its own escapes (\XXXX, \+XXXXXX, a UESCAPE clause after it) that no other
      // string has; pg_dump never writes one, so the reader does not carry a second unescaping for it
      throw this.error(
        "a Unicode escape string U&'…', which pg_dump never writes (PostgreSQL reads its \\XXXX escapes; write the characters themselves, or E'\\uXXXX')",
      );
    } else if (c === DOLLAR) {
      lit = this.dollarQuoted();
    } else if (this.keyword('DEFAULT')) {
      this.pos -= 'DEFAULT'.length; // the message quotes the value from its first byte
      // PostgreSQL takes the column's default from the database it restores into (a sequence's next value, now(), or
      // NULL): the dump does not carry it, so the value would not be the dump's
      throw this.error(
        "DEFAULT as a value, which pg_dump never writes (PostgreSQL takes the column's default from the database it restores into, which a data-only dump does not carry)",
      );
    } else if (this.keyword('NULL')) lit = NULL_LITERAL;
    else if (this.keyword('TRUE')) lit = { kind: 'text', form: 'boolean', src: s, start: this.pos - 4, end: this.pos };
    else if (this.keyword('FALSE')) lit = { kind: 'text', form: 'boolean', src: s, start: this.pos - 5, end: this.pos };
    else lit = this.number();
    this.skipCast();
    return lit;
  }

  /**
   * `$tag$…$tag$`, a dollar-quoted string (seed 20261212 case 1502): psql takes one as a value, its text as it
   * stands (no escapes). The tag is `$`, or `$` and a name that begins with a letter, then `$`.
   */
  private dollarQuoted(): Literal {
    const s = this.src;
    let j = this.pos + 1;
    if (isIdentStart(s[j])) while (j < this.end && isIdentByte(s[j])) j++;
    if (j >= this.end || s[j] !== DOLLAR)
      throw this.error('expected a value (NULL, a number, true/false or a quoted string)');
    const tag = s.subarray(this.pos, j + 1);
    const close = s.indexOf(tag, j + 1);
    if (close === -1 || close + tag.length > this.end) throw this.error('unterminated dollar-quoted string');
    this.pos = close + tag.length;
    return { kind: 'text', form: 'string', src: s, start: j + 1, end: close };
  }

  private number(): Literal {
    const s = this.src;
    const from = this.pos;
    let i = from;
    if (s[i] === 0x2d || s[i] === 0x2b) i++;
    const digitsFrom = i;
    while (i < this.end && isDigit(s[i])) i++;
    if (s[i] === 0x2e) {
      i++;
      while (i < this.end && isDigit(s[i])) i++;
    }
    if (i === digitsFrom || (i === digitsFrom + 1 && s[digitsFrom] === 0x2e))
      throw this.error('expected a value (NULL, a number, true/false or a quoted string)');
    if ((s[i] === 0x65 || s[i] === 0x45) && i < this.end) {
      let j = i + 1;
      if (s[j] === 0x2d || s[j] === 0x2b) j++;
      if (isDigit(s[j])) {
        while (j < this.end && isDigit(s[j])) j++;
        i = j;
      }
    }
    this.pos = i;
    return { kind: 'text', form: 'number', src: s, start: from, end: i };
  }

  /** Reads the `::type` casts after a literal into `casts` (lib/dump/casts.ts decides which the column allows). */
  private skipCast(): void {
    while (this.peekByte() === 0x3a && this.src[this.pos + 1] === 0x3a) {
      this.pos += 2;
      let name = this.identifier('a type name');
      while (this.peekByte() === 0x2e || isIdentByte(this.peekByte())) {
        // multi-word types (timestamp without time zone) and schema-qualified names
        name += this.eat('.') ? '.' : ' ';
        name += this.identifier('a type name');
      }
      if (this.peekByte() === 0x28) {
        const close = this.src.indexOf(0x29, this.pos);
        if (close === -1 || close >= this.end) throw this.error('unterminated type modifier');
        name += this.src.toString('latin1', this.pos, close + 1);
        this.pos = close + 1;
      }
      while (this.eat('[')) {
        this.expect(']', '"]"');
        name += '[]';
      }
      this.casts.push(name);
    }
  }

  /** A quoted string whose content starts at `from`. Plain slices are returned without copying. */
  private quoted(from: number, escapes: boolean): Literal {
    const s = this.src;
    this.tokens.enter(escapes ? Item.EscQuote : Item.Quote);
    const after = this.tokens.close(s, from, this.end, true);
    if (after === MORE) throw this.error('unterminated quoted string');
    const close = after - 1;
    this.highSurrogate = -1;
    if (!this.tokens.escaped) {
      this.pos = after;
      return { kind: 'text', form: 'string', src: s, start: from, end: close };
    }
    // its content differs from its bytes: a doubled quote or a backslash escape
    const out = this.scratch.ensure(this.end - from);
    let o = 0;
    let i = from;
    let q = -1;
    let b = escapes ? -1 : close; // a backslash or quote found once stays the next one until passed
    this.escapedHighOrNul = false;
    for (;;) {
      if (q < i) q = s.indexOf(QUOTE, i);
      if (b < i) b = s.indexOf(BACKSLASH, i);
      if (b === -1 || b > close) b = close;
      if (q === close && b === close) {
        if (this.highSurrogate !== -1)
          throw this.error('invalid Unicode surrogate pair: a high surrogate escape must be followed by a low one');
        this.pos = after;
        o += s.copy(out, o, i, close);
        // PostgreSQL's lexer checks the encoding again only when an escape made a byte >= 0x80 or a NUL
        if (this.escapedHighOrNul) checkUtf8Text(out, 0, o);
        return { kind: 'text', form: 'string', src: out, start: 0, end: o };
      }
      if (this.highSurrogate !== -1 && b > i)
        throw this.error('invalid Unicode surrogate pair: a high surrogate escape must be followed by a low one');
      if (q < b) {
        // a doubled quote
        o += s.copy(out, o, i, q + 1);
        i = q + 2;
        continue;
      }
      o += s.copy(out, o, i, b);
      i = this.escape(b + 1, out, o);
      o = this.escapedLen;
    }
  }

  /** The `::type` casts written after the last literal, in order (`int4`, `character varying(3)`, `text[]`). */
  readonly casts: string[] = [];
  private escapedLen = 0;
  /** The string being read had an octal or hex escape that made a byte >= 0x80 or a NUL. */
  private escapedHighOrNul = false;
  /** A `\\uD83D`-style high surrogate waiting for its low half (PostgreSQL pairs them), or -1. */
  private highSurrogate = -1;

  /** One backslash escape of an E'' string (PostgreSQL's scan.l), written at out[o]; returns the next index. */
  private escape(i: number, out: Buffer, o: number): number {
    const s = this.src;
    const c = s[i];
    if (c === undefined || i >= this.end) throw this.error('unterminated quoted string');
    let next = i + 1;
    if (this.highSurrogate !== -1 && c !== 0x75 && c !== 0x55)
      throw this.error('invalid Unicode surrogate pair: a high surrogate escape must be followed by a low one');
    if (c >= 0x30 && c <= 0x37) {
      let v = c - 0x30;
      for (let k = 0; k < 2 && s[next]! >= 0x30 && s[next]! <= 0x37 && next < this.end; k++)
        v = (v << 3) + (s[next++]! - 0x30);
      out[o++] = v & 0xff;
      if ((v & 0xff) === 0 || (v & 0xff) >= 0x80) this.escapedHighOrNul = true;
    } else if (c === 0x78 && hexVal(s[next] ?? -1) >= 0) {
      let v = hexVal(s[next++]!);
      if (next < this.end && hexVal(s[next] ?? -1) >= 0) v = (v << 4) + hexVal(s[next++]!);
      out[o++] = v;
      if (v === 0 || v >= 0x80) this.escapedHighOrNul = true;
    } else if (c === 0x75 || c === 0x55) {
      const n = c === 0x75 ? 4 : 8;
      const hex = s.toString('latin1', next, Math.min(next + n, this.end));
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n)
        throw this.error(`invalid Unicode escape: \\${String.fromCharCode(c)} needs ${n} hex digits`);
      const cp = parseInt(hex, 16);
      next += n;
      if (this.highSurrogate !== -1) {
        // the second half of a UTF-16 surrogate pair, as PostgreSQL 15 reads E'\\uD83D\\uDE00' (U+1F600)
        if (cp < 0xdc00 || cp > 0xdfff)
          throw this.error('invalid Unicode surrogate pair: a high surrogate escape must be followed by a low one');
        o += out.write(
          String.fromCodePoint(0x10000 + ((this.highSurrogate - 0xd800) << 10) + (cp - 0xdc00)),
          o,
          'utf8',
        );
        this.highSurrogate = -1;
      } else if (cp >= 0xd800 && cp <= 0xdbff) {
        this.highSurrogate = cp;
      } else if (cp >= 0xdc00 && cp <= 0xdfff) {
        throw this.error('invalid Unicode surrogate pair: a low surrogate escape without the high one before it');
      } else {
        if (cp === 0 || cp > 0x10ffff) throw this.error('invalid Unicode escape value');
        o += out.write(String.fromCodePoint(cp), o, 'utf8');
      }
    } else {
      const map: Record<number, number> = { 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9 };
      out[o++] = map[c] ?? c;
    }
    this.escapedLen = o;
    return next;
  }

  error(reason: string): MigrateError {
    return new MigrateError('SQL_SYNTAX', reason, {
      excerpt: excerptOf(this.src, Math.min(this.pos, this.end), this.end),
    });
  }
}
