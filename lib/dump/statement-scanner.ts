/**
 * Finds where an SQL statement ends (its `;` outside quotes and comments), resumably: when a chunk ends
 * mid-statement, the scanner keeps its state and where it stopped; scanMore() goes on from there once more
 * bytes came (and shift() moves that place when the caller's buffer drops consumed bytes).
 * Strings are skipped with Buffer.indexOf, so a multi-MB INSERT string costs one memchr, not a JS loop.
 */
import { MigrateError } from '../errors.js';
import { BACKSLASH, DOLLAR, DQUOTE, isIdentByte, isIdentCont, LF, NUL, QUOTE } from './sql-bytes.js';

const enum S {
  Normal,
  Quote, // '...' with standard_conforming_strings on: only '' is special
  EscQuote, // E'...' (or any '...' with standard_conforming_strings off): backslash escapes too
  DQuote,
  Dollar,
  LineComment,
  BlockComment,
}

export class StatementScanner {
  private state = S.Normal;
  private dollarTag: Buffer | null = null;
  private depth = 0;
  /** Where to continue after scan() returned -1. */
  private resumeAt = 0;
  standardConformingStrings = true;

  /** A new statement begins at `at`. */
  begin(at: number): void {
    this.state = S.Normal;
    this.dollarTag = null;
    this.depth = 0;
    this.resumeAt = at;
  }

  /** The caller's buffer dropped `n` bytes before the statement: its indexes moved down by n. */
  shift(n: number): void {
    this.resumeAt -= n;
  }

  /** scan() from where the last one stopped (or from where begin() said). */
  scanMore(src: Buffer, stmtStart: number, end: number): number {
    return this.scan(src, stmtStart, this.resumeAt, end);
  }

  /**
   * Scans src[from, end) of a statement that began at stmtStart. Returns the index of its terminating `;`,
   * or -1 when more input is needed (then resumeAt says where to continue).
   */
  scan(src: Buffer, stmtStart: number, from: number, end: number): number {
    let i = from;
    while (i < end) {
      switch (this.state) {
        case S.Normal: {
          const c = src[i]!;
          if (c === 0x3b) {
            this.resumeAt = i + 1;
            return i;
          }
          if (c === QUOTE) {
            const e =
              i - 1 >= stmtStart &&
              (src[i - 1] === 0x45 || src[i - 1] === 0x65) &&
              !(i - 2 >= stmtStart && isIdentByte(src[i - 2]));
            this.state = e || !this.standardConformingStrings ? S.EscQuote : S.Quote;
            i++;
          } else if (c === DQUOTE) {
            this.state = S.DQuote;
            i++;
          } else if (c === 0x2d /* - */ || c === 0x2f /* / */) {
            if (i + 1 >= end) return this.wait(i);
            const n = src[i + 1];
            if (c === 0x2d && n === 0x2d) {
              this.state = S.LineComment;
              i += 2;
            } else if (c === 0x2f && n === 0x2a) {
              this.state = S.BlockComment;
              this.depth = 1;
              i += 2;
            } else i++;
          } else if (c === DOLLAR && !(i - 1 >= stmtStart && isIdentCont(src[i - 1]))) {
            // $tag$ opens a dollar quote; $1 (a parameter) does not, nor a $ inside an identifier (te$$xt is
            // one identifier in PostgreSQL: `$` continues a name, so the second `$` opens nothing either).
            let j = i + 1;
            while (j < end && isIdentByte(src[j]) && !(j === i + 1 && src[j]! >= 0x30 && src[j]! <= 0x39)) j++;
            if (j >= end) return this.wait(i);
            if (src[j] === DOLLAR) {
              this.dollarTag = Buffer.from(src.subarray(i, j + 1));
              this.state = S.Dollar;
              i = j + 1;
            } else i++;
          } else if (c === NUL) {
            throw new MigrateError(
              'INPUT_BINARY',
              'a NUL byte in SQL text: this is binary data, not a pg_dump plain-text file',
            );
          } else i++;
          break;
        }
        case S.Quote:
        case S.EscQuote: {
          const q = src.indexOf(QUOTE, i);
          const stop = q === -1 || q >= end ? end : q;
          if (this.state === S.EscQuote) {
            const b = src.indexOf(BACKSLASH, i);
            if (b !== -1 && b < stop) {
              if (b + 1 >= end) return this.wait(b);
              i = b + 2;
              break;
            }
          }
          if (stop === end) return this.wait(end);
          if (q + 1 >= end) return this.wait(q);
          if (src[q + 1] === QUOTE) i = q + 2;
          else {
            this.state = S.Normal;
            i = q + 1;
          }
          break;
        }
        case S.DQuote: {
          const q = src.indexOf(DQUOTE, i);
          if (q === -1 || q >= end) return this.wait(end);
          if (q + 1 >= end) return this.wait(q);
          if (src[q + 1] === DQUOTE) i = q + 2;
          else {
            this.state = S.Normal;
            i = q + 1;
          }
          break;
        }
        case S.Dollar: {
          const tag = this.dollarTag!;
          const q = src.indexOf(tag, i);
          if (q === -1 || q + tag.length > end) return this.wait(Math.max(i, end - tag.length + 1));
          this.state = S.Normal;
          this.dollarTag = null;
          i = q + tag.length;
          break;
        }
        case S.LineComment: {
          const nl = src.indexOf(LF, i);
          if (nl === -1 || nl >= end) return this.wait(end);
          this.state = S.Normal;
          i = nl + 1;
          break;
        }
        case S.BlockComment: {
          if (i + 1 >= end) return this.wait(i);
          if (src[i] === 0x2a && src[i + 1] === 0x2f) {
            i += 2;
            if (--this.depth === 0) this.state = S.Normal;
          } else if (src[i] === 0x2f && src[i + 1] === 0x2a) {
            i += 2;
            this.depth++;
          } else i++;
          break;
        }
      }
    }
    return this.wait(end);
  }

  /** Whether the scan stopped outside quotes, dollar quotes and comments. */
  get atTopLevel(): boolean {
    return this.state === S.Normal;
  }

  /** What an unterminated statement is inside of, for the error message at end of input. */
  describeOpen(): string {
    switch (this.state) {
      case S.Quote:
      case S.EscQuote:
        return 'an unterminated quoted string';
      case S.DQuote:
        return 'an unterminated quoted identifier';
      case S.Dollar:
        return 'an unterminated dollar-quoted string';
      case S.BlockComment:
        return 'an unterminated /* comment';
      default:
        return 'a statement without its terminating ";"';
    }
  }

  private wait(at: number): -1 {
    this.resumeAt = at;
    return -1;
  }
}
