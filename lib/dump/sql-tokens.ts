/**
 * The reader's one SQL tokenizer: where each quoted or commented item of SQL text begins and ends, as
 * PostgreSQL's scanner (scan.l) reads them. A small state machine over bytes, resumable across chunk
 * boundaries (csv-parse style): the statement scanner (statement-scanner.ts) feeds it a dump as it streams in,
 * the SQL lexer (sql-lexer.ts) and the CREATE TABLE reader (lib/legacy/create-table.ts) feed it one whole
 * statement (`final`: no byte comes after `end`).
 *
 * States, by the item the scan is inside:
 * - None: outside any item. open() looks at the byte there and enters the item it opens, if any.
 * - Quote: '...' with standard_conforming_strings on: only a doubled '' is special.
 * - EscQuote: E'...' (or any '...' with standard_conforming_strings off): a backslash escapes the next byte too.
 * - DQuote: a "quoted identifier", with "" for a quote.
 * - Dollar: $tag$...$tag$ (the tag may be empty), nothing special inside.
 * - LineComment: -- up to the end of the line (LF or CR, as PostgreSQL ends it).
 * - BlockComment: /* ... *\/, nesting as PostgreSQL's do.
 * close() moves to the end of the item and back to None. Every step moves forward: any bytes take linear time
 * (tests/lexer-termination.test.ts), and a string is crossed with Buffer.indexOf (a multi-MB INSERT string
 * costs one memchr, not a JS loop).
 */
import { BACKSLASH, CR, DOLLAR, DQUOTE, isIdentByte, isIdentCont, LF, QUOTE } from './sql-bytes.js';

export const enum Item {
  None,
  Quote,
  EscQuote,
  DQuote,
  Dollar,
  LineComment,
  BlockComment,
}

/** Returned when the bytes after `end` decide (open()) or the item goes on past `end` (close()). */
export const MORE = -1;

const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const UNSEEN = -2;

/** The bytes that can open an item (a quote, a comment, a dollar quote): the scanner's fast test. */
export function mayOpen(c: number): boolean {
  return c === QUOTE || c === DQUOTE || c === DASH || c === SLASH || c === DOLLAR;
}

export class SqlTokens {
  /** The item the scan is inside. */
  item = Item.None;
  /** After MORE: where the scan goes on once more bytes came. */
  resumeAt = 0;
  /** Whether the last string or quoted identifier closed held an escape or a doubled quote (else its content is its bytes). */
  escaped = false;
  standardConformingStrings = true;
  private dollarTag: Buffer | null = null;
  private depth = 0;

  /** Outside any item again. */
  reset(): void {
    this.item = Item.None;
    this.dollarTag = null;
    this.depth = 0;
  }

  /** Inside a string or quoted identifier whose opening quote the caller read (the SQL lexer: at a token). */
  enter(item: Item.Quote | Item.EscQuote | Item.DQuote): void {
    this.item = item;
    this.escaped = false;
  }

  /**
   * At src[i], outside any item, in text that began at `start` (the bytes before it are not looked at): enters
   * the item that opens here and returns the index after its opening bytes; returns i + 1 when none opens here.
   * MORE when the bytes after `end` decide, unless `final`.
   */
  open(src: Buffer, start: number, i: number, end: number, final: boolean): number {
    const c = src[i]!;
    if (c === QUOTE) {
      // E'…' is an escape string: the E begins a word (the byte before it is none of a name's)
      const e =
        i - 1 >= start && (src[i - 1] === 0x45 || src[i - 1] === 0x65) && !(i - 2 >= start && isIdentCont(src[i - 2]));
      this.item = e || !this.standardConformingStrings ? Item.EscQuote : Item.Quote;
      this.escaped = false;
    } else if (c === DQUOTE) {
      this.item = Item.DQuote;
      this.escaped = false;
    } else if (c === DASH || c === SLASH) {
      if (i + 1 >= end) return final ? i + 1 : MORE;
      const n = src[i + 1];
      if (c === DASH && n === DASH) {
        this.item = Item.LineComment;
        return i + 2;
      }
      if (c === SLASH && n === STAR) {
        this.item = Item.BlockComment;
        this.depth = 1;
        return i + 2;
      }
    } else if (c === DOLLAR && !(i - 1 >= start && isIdentCont(src[i - 1]))) {
      // $tag$ opens a dollar quote; $1 (a parameter) does not, nor a $ inside an identifier (te$$xt is one
      // identifier in PostgreSQL: `$` continues a name, so the second `$` opens nothing either)
      let j = i + 1;
      while (j < end && isIdentByte(src[j]) && !(j === i + 1 && src[j]! >= 0x30 && src[j]! <= 0x39)) j++;
      if (j >= end) return final ? i + 1 : MORE;
      if (src[j] === DOLLAR) {
        this.dollarTag = Buffer.from(src.subarray(i, j + 1));
        this.item = Item.Dollar;
        return j + 1;
      }
    }
    return i + 1;
  }

  /**
   * Inside an item, from src[i]: returns the index after the item's last byte (the state is None again), or
   * MORE when it goes on past `end` (resumeAt says where to go on from; with `final`, the item is not closed).
   */
  close(src: Buffer, i: number, end: number, final: boolean): number {
    // a quote or backslash found once stays the next one until passed, and one not found (-1) stays absent:
    // no rescan per escape or doubled quote (UNSEEN: not looked for yet)
    let q = UNSEEN;
    let b = UNSEEN;
    for (;;) {
      switch (this.item) {
        case Item.None:
          return i;
        case Item.Quote:
        case Item.EscQuote:
        case Item.DQuote: {
          const quote = this.item === Item.DQuote ? DQUOTE : QUOTE;
          if (q === UNSEEN || (q !== -1 && q < i)) q = src.indexOf(quote, i);
          const stop = q === -1 || q >= end ? end : q;
          if (this.item === Item.EscQuote) {
            if (b === UNSEEN || (b !== -1 && b < i)) b = src.indexOf(BACKSLASH, i);
            if (b !== -1 && b < stop) {
              if (b + 1 >= end) return this.wait(b);
              this.escaped = true;
              i = b + 2;
              continue;
            }
          }
          if (stop === end) return this.wait(end);
          if (q + 1 >= end && !final) return this.wait(q);
          if (q + 1 < end && src[q + 1] === quote) {
            this.escaped = true;
            i = q + 2;
          } else {
            this.item = Item.None;
            return q + 1;
          }
          continue;
        }
        case Item.Dollar: {
          const tag = this.dollarTag!;
          const at = src.indexOf(tag, i);
          if (at === -1 || at + tag.length > end) return this.wait(Math.max(i, end - tag.length + 1));
          this.item = Item.None;
          this.dollarTag = null;
          return at + tag.length;
        }
        case Item.LineComment: {
          // PostgreSQL ends a -- comment at CR as well as LF (scan.l: non_newline [^\n\r]); a byte loop, not
          // two indexOf calls, which would each look to the far end of a buffer with no CR in it
          let nl = i;
          while (nl < end && src[nl] !== LF && src[nl] !== CR) nl++;
          if (nl >= end) {
            if (!final) return this.wait(end);
            this.item = Item.None;
            return end;
          }
          this.item = Item.None;
          return nl + 1;
        }
        case Item.BlockComment: {
          for (;;) {
            if (i + 1 >= end) return this.wait(i);
            if (src[i] === STAR && src[i + 1] === SLASH) {
              i += 2;
              if (--this.depth === 0) {
                this.item = Item.None;
                return i;
              }
            } else if (src[i] === SLASH && src[i + 1] === STAR) {
              i += 2;
              this.depth++;
            } else i++;
          }
        }
      }
    }
  }

  /** What an unclosed item is, for messages ("an unterminated quoted string"), or null outside any. */
  describeOpen(): string | null {
    switch (this.item) {
      case Item.Quote:
      case Item.EscQuote:
        return 'quoted string';
      case Item.DQuote:
        return 'quoted identifier';
      case Item.Dollar:
        return 'dollar-quoted string';
      case Item.BlockComment:
        return '/* comment';
      default:
        return null;
    }
  }

  private wait(at: number): typeof MORE {
    this.resumeAt = at;
    return MORE;
  }
}

/** The end of the identifier at src[i] (a byte isIdentStart() takes): `$` continues one, as in PostgreSQL. */
export function identEnd(src: Buffer, i: number, end: number): number {
  let j = i + 1;
  while (j < end && isIdentCont(src[j])) j++;
  return j;
}
