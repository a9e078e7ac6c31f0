/**
 * The statements pg_dump writes that carry no data for us, which the reader knowingly skips, and the refusal
 * of every other statement (docs/reading.md lists both). A statement the reader does not know is never
 * skipped in silence: psql would refuse it (a stray line such as `Note to self` or `BEGIN` glued to the next
 * INSERT by the missing `;`) or run it (an UPDATE), and either way the data would differ from what we read.
 */
import { MigrateError, excerptOf } from '../errors.js';
import { countNewlines } from './byte-scan.js';
import type { SqlLexer } from './sql-lexer.js';
import { isIdentByte } from './sql-bytes.js';
import { StatementScanner } from './statement-scanner.js';

/**
 * First words of the schema statements pg_dump writes (a schema dump, a full dump, `--create`'s CREATE
 * DATABASE, `--disable-triggers`' ALTER TABLE … DISABLE TRIGGER ALL, a materialized view's REFRESH): skipped.
 * SET, SELECT, BEGIN and COMMIT are read whole elsewhere; COPY and INSERT are the data.
 */
const SCHEMA_VERBS = ['CREATE', 'ALTER', 'COMMENT', 'GRANT', 'REVOKE', 'SECURITY', 'REFRESH'] as const;

/** Words that begin a statement. pg_dump indents every line of a statement after its first that could start one. */
const STATEMENT_WORDS = new Set([
  'INSERT',
  'COPY',
  'SET',
  'SELECT',
  'CREATE',
  'ALTER',
  'COMMENT',
  'GRANT',
  'REVOKE',
  'SECURITY',
  'REFRESH',
  'BEGIN',
  'COMMIT',
  'UPDATE',
  'DELETE',
  'TRUNCATE',
  'DROP',
]);

/** What the reader skips, for messages. */
const SKIPPED =
  'SET, SELECT pg_catalog.setval/set_config/lo_*, BEGIN, COMMIT, and CREATE/ALTER/COMMENT/GRANT/REVOKE/SECURITY LABEL/REFRESH';

/**
 * A statement that is neither data (COPY, INSERT) nor SET or SELECT, from its first word (lx at its start):
 * skipped if pg_dump writes it, else refused. `firstLine` is the line of lx.src[lx.start].
 */
export function skipStatement(lx: SqlLexer, firstLine: number, standardConformingStrings: boolean): void {
  if (lx.keyword('BEGIN') || lx.keyword('COMMIT')) {
    // pg_dump writes them alone, around a whole-database dump's large objects
    if (!lx.eat(';') || !lx.atEnd())
      throw lx.error('expected ";": pg_dump writes BEGIN and COMMIT alone on their line');
    return;
  }
  if (lx.eat(';') && lx.atEnd()) return; // an empty statement: psql does nothing with it
  for (const verb of SCHEMA_VERBS) {
    if (lx.keyword(verb)) {
      checkOneStatement(lx.src, lx.start, lx.end, firstLine, standardConformingStrings);
      return;
    }
  }
  throw new MigrateError(
    'SQL_STATEMENT_UNKNOWN',
    `a statement pg_dump does not write (psql would refuse it, or run it and change the data); the reader skips only ${SKIPPED}: remove it, or dump again`,
    { excerpt: excerptOf(lx.src, lx.start, lineEnd(lx.src, lx.start, lx.end)) },
  );
}

/**
 * A schema statement must be one statement: a line in it that begins (at its first byte, outside quotes and
 * comments) with a word that begins statements is a second statement glued to it by a lost `;`, and psql
 * refuses the pair (`CREATE TABLE … )` then `INSERT INTO …` on the next line is a syntax error).
 */
export function checkOneStatement(
  src: Buffer,
  start: number,
  end: number,
  firstLine: number,
  standardConformingStrings: boolean,
): void {
  const scanner = new StatementScanner();
  scanner.standardConformingStrings = standardConformingStrings;
  scanner.begin(start);
  for (let from = start; ;) {
    const lf = src.indexOf(0x0a, from);
    if (lf === -1 || lf + 1 >= end) return;
    scanner.scanMore(src, start, lf + 1);
    const word = scanner.atTopLevel ? wordAt(src, lf + 1, end) : '';
    if (STATEMENT_WORDS.has(word)) {
      const line = firstLine + countNewlines(src, start, lf + 1);
      throw new MigrateError(
        'SQL_SYNTAX',
        `a line beginning with ${word} inside the statement begun at line ${firstLine}: the ";" that ends that statement is missing (psql refuses both)`,
        { line, excerpt: excerptOf(src, lf + 1, lineEnd(src, lf + 1, end)) },
      );
    }
    from = lf + 1;
  }
}

/** The word (letters) at src[at], upper-cased, or '' when another byte follows it or none is there. */
function wordAt(src: Buffer, at: number, end: number): string {
  let i = at;
  while (i < end && (src[i]! | 0x20) >= 0x61 && (src[i]! | 0x20) <= 0x7a) i++;
  if (i === at || (i < end && isIdentByte(src[i]))) return '';
  return src.toString('latin1', at, i).toUpperCase();
}

function lineEnd(src: Buffer, from: number, end: number): number {
  const lf = src.indexOf(0x0a, from);
  return lf === -1 || lf > end ? end : lf;
}
