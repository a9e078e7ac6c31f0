/**
 * Finds where an SQL statement ends (its `;` outside quotes and comments), resumably: when a chunk ends
 * mid-statement, the scanner keeps its state and where it stopped; scanMore() goes on from there once more
 * bytes came (and shift() moves that place when the caller's buffer drops consumed bytes).
 * Quotes, dollar quotes and comments are read by the reader's one tokenizer (sql-tokens.ts).
 */
import { MigrateError } from '../errors.js';
import { NUL } from './sql-bytes.js';
import { Item, MORE, mayOpen, SqlTokens } from './sql-tokens.js';

export class StatementScanner {
  /** The quoted or commented item the scan is inside (sql-tokens.ts reads them). */
  private readonly tokens = new SqlTokens();
  /** Where to continue after scan() returned -1. */
  private resumeAt = 0;

  get standardConformingStrings(): boolean {
    return this.tokens.standardConformingStrings;
  }

  set standardConformingStrings(on: boolean) {
    this.tokens.standardConformingStrings = on;
  }

  /** A new statement begins at `at`. */
  begin(at: number): void {
    this.tokens.reset();
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
    const tokens = this.tokens;
    let i = from;
    while (i < end) {
      if (tokens.item === Item.None) {
        const c = src[i]!;
        if (c === 0x3b) {
          this.resumeAt = i + 1;
          return i;
        }
        if (mayOpen(c)) {
          const next = tokens.open(src, stmtStart, i, end, false);
          if (next === MORE) return this.wait(i);
          i = next;
        } else if (c === NUL) {
          throw new MigrateError(
            'INPUT_BINARY',
            'a NUL byte in SQL text: this is binary data, not a pg_dump plain-text file',
          );
        } else i++;
      } else {
        const next = tokens.close(src, i, end, false);
        if (next === MORE) return this.wait(tokens.resumeAt);
        i = next;
      }
    }
    return this.wait(end);
  }

  /** Whether the scan stopped outside quotes, dollar quotes and comments. */
  get atTopLevel(): boolean {
    return this.tokens.item === Item.None;
  }

  /** What an unterminated statement is inside of, for the error message at end of input. */
  describeOpen(): string {
    const open = this.tokens.describeOpen();
    return open === null ? 'a statement without its terminating ";"' : `an unterminated ${open}`;
  }

  private wait(at: number): -1 {
    this.resumeAt = at;
    return -1;
  }
}
