/**
 * The pg_dump plain-format parser core. Pure: bytes in (in chunks of any size), events out, or a
 * MigrateError with file, line, byte offset, table and column. No I/O here; see read-dump.ts.
 *
 * Buffering is chunk-buffer.ts's (pg-protocol's way: a chunk used as it is when nothing is pending, a line
 * that spans chunks gathered in a store of our own); where a scan stopped is remembered so a multi-MB line
 * is never rescanned.
 */
import { isUtf8 } from 'node:buffer';
import { MigrateError, excerptOf, type ErrorPosition } from '../errors.js';
import { countNewlines, isEscaped } from './byte-scan.js';
import { ChunkBuffer } from './chunk-buffer.js';
import { BACKSLASH, CR, LF } from './sql-bytes.js';
import type { ColumnDecoder } from './column-decoders.js';
import { createHash } from 'node:crypto';
import { CopyLineDecoder } from './copy-text.js';
import { parseClientEncoding, toUtf8, type ClientEncoding } from './encoding.js';
import {
  tableNameText,
  type DataForm,
  type DumpEvent,
  type ResumePoint,
  type TableName,
  type TableResolver,
} from './events.js';
import { SqlLexer } from './sql-lexer.js';
import { pathHoldsPublic, searchPathSchemas, unqualifiedRefused } from './search-path.js';
import { readCopyHeader, readInsertHead, readInsertRows, readSelect, readSet, settingIsOn } from './statements.js';
import { checkOneStatement, skipStatement } from './skipped-statements.js';
import { checkUtf8Text } from './column-decoders.js';
import type { Value } from './values.js';
import { StatementScanner } from './statement-scanner.js';

function notADump(): MigrateError {
  return new MigrateError(
    'INPUT_NOT_A_DUMP',
    'this does not look like pg_dump output: no pg_dump header, no COPY, INSERT, SET or CREATE statement; is it the right file?',
  );
}

/**
 * The key of `\restrict KEY` / `\unrestrict KEY`, as psql takes its first argument: a word, or a word in single
 * quotes. pg_dump writes letters and digits; anything psql would expand (a variable, a backquoted command) is refused.
 */
function metaArgument(text: string, cmd: string): string {
  const arg =
    text
      .slice(1 + cmd.length)
      .trim()
      .split(/\s+/)[0] ?? '';
  if (arg === '')
    throw new MigrateError(
      'META_COMMAND_UNKNOWN',
      `\\${cmd} without its key: psql refuses it (missing required argument)`,
    );
  const quoted = /^'((?:[^'\\]|'')*)'$/.exec(arg);
  if (quoted !== null) return quoted[1]!.replaceAll("''", "'");
  if (/['"`:\\]/.test(arg))
    throw new MigrateError(
      'META_COMMAND_UNKNOWN',
      `\\${cmd} with a key pg_dump does not write (quotes, a variable or a command in it)`,
    );
  return arg;
}

function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Where a tar header holds its magic, "ustar" (POSIX.1-1988 and GNU tar alike). */
const TAR_MAGIC_AT = 257;
const TAR_MAGIC_END = 262;
/** A COPY data line that is really SQL (a lost end marker): empty, a comment, or a statement. */
const LOOKS_LIKE_SQL = /^($|--|(COPY|SELECT|SET|INSERT|CREATE|ALTER) )/;
/** How statements pg_dump writes begin. */
const DUMP_STATEMENT = /^(COPY |INSERT |SET |SELECT |CREATE |ALTER |COMMENT )/i;

export interface ParserOptions {
  /** Name used in error positions (the file as the user gave it). */
  readonly file: string;
  readonly tables: TableResolver;
}

interface CopyState {
  readonly table: TableName;
  readonly decoder: CopyLineDecoder;
  /** 'lf' | 'crlf' once the first data line told us; PostgreSQL then insists on it. */
  eol: 'lf' | 'crlf' | null;
  rows: number;
  bytes: number;
  /** Whether rows become events (see TableResolver.valuesWanted). */
  readonly emit: boolean;
  readonly headerLine: number;
  /** The rest of the header's line (after `FROM stdin;`) is still to be skipped. */
  headerEolPending: boolean;
}

interface InsertRun {
  readonly table: TableName;
  /** The table and column list, as one string: a run is consecutive INSERTs with the same key. */
  readonly key: string;
  readonly decoders: readonly ColumnDecoder[];
  readonly emit: boolean;
  rows: number;
  bytes: number;
  lastLine: number;
}

/**
 * The parser is always in one of these states; run() takes a step at a time in the current one, and a chunk
 * boundary can fall anywhere (a step that needs more bytes returns and is taken again on the next push).
 *
 * | state           | held by                          | a step reads                                                   | then            |
 * | --------------- | -------------------------------- | -------------------------------------------------------------- | --------------- |
 * | SNIFF           | `started` false                  | the first 262 bytes: custom format, tar, NUL (binary), a BOM   | BETWEEN / error |
 * | BETWEEN         | `copy` null, `inStatement` false | blank space, a `--` comment line (version, footer), a `\` meta- | BETWEEN /       |
 * |                 |                                  | command line, or the first byte of a statement                  | STATEMENT       |
 * | STATEMENT       | `inStatement` true               | up to the `;` the scanner finds outside quotes, comments and    | BETWEEN /       |
 * |                 |                                  | dollar quotes (statement-scanner.ts); INSERT rows come out here | COPY_HEADER_EOL |
 * | COPY_HEADER_EOL | `copy.headerEolPending`          | the rest of the `COPY … FROM stdin;` line                        | COPY_DATA       |
 * | COPY_DATA       | `copy` set                       | one data line (`\` + newline continues it)                      | COPY_DATA /     |
 * |                 |                                  |                                                                  | BETWEEN at `\.` |
 * | END             | end() called                     | what is left: an open statement or COPY block is an error; else | (done)          |
 * |                 |                                  | the `input-end` event (footer seen? `\restrict` still open?)     |                 |
 *
 * Not states, but what the steps carry along: an INSERT run (`insert`, consecutive INSERTs of one table and
 * column list, one data-start/data-end pair), the client encoding, standard_conforming_strings (the scanner's),
 * `footer`, `openRestrict`, `looksLikeDump`. resume() starts in BETWEEN or COPY_DATA mid-file (read-again.ts).
 */
export class DumpParser {
  private readonly buffer = new ChunkBuffer();
  /** The bytes not yet consumed are data[pos, data.length). */
  private get data(): Buffer {
    return this.buffer.bytes;
  }
  private pos = 0;
  /** Where the current line/statement scan continues. */
  private scanFrom = 0;
  /** Line number of data[pos]. */
  private line = 1;
  private started = false;

  private encoding: ClientEncoding = 'UTF8';
  private readonly scanner = new StatementScanner();
  private inStatement = false;
  private copy: CopyState | null = null;
  private insert: InsertRun | null = null;
  private readonly nextCr = this.buffer.finder(CR);
  /** Seen a pg_dump header comment or a statement pg_dump writes: told apart from a wrong file at the end. */
  private looksLikeDump = false;
  /** pg_dump's completion footer was read and nothing but comments and `\unrestrict` came after it. */
  private footer = false;
  /** The line of a `\restrict` not yet closed by `\unrestrict`. */
  private openRestrict: number | null = null;
  /** The sha256 of that `\restrict`'s key: psql's `\unrestrict` must give the same key. The key is never kept. */
  private restrictKeyHash = '';
  /** The search path set without public, where an unqualified name is not public's (lib/dump/search-path.ts), or null. */
  private pathWithoutPublic: { readonly line: number; readonly schemas: readonly string[] } | null = null;

  constructor(private readonly opts: ParserOptions) {}

  /**
   * Feeds a chunk; appends the events it completes to `out`. Once this returns, the parser holds no
   * reference to the chunk (bytes still pending were copied), so the caller may read into it again.
   */
  push(chunk: Buffer, out: DumpEvent[]): void {
    if (chunk.length === 0) return;
    this.shift(this.buffer.add(chunk, this.pos));
    try {
      if (this.started || this.sniff()) this.run(out, false);
    } catch (e) {
      throw this.positioned(e);
    }
    this.shift(this.buffer.release(this.pos));
  }

  /** Signals end of input: flushes the last statement or reports what was left open. */
  end(out: DumpEvent[]): void {
    try {
      if (!this.started) {
        if (this.data.length - this.pos === 0)
          throw new MigrateError('INPUT_EMPTY', 'the file is empty: expected pg_dump plain-text output');
        this.sniff(true);
      }
      this.run(out, true);
      if (this.copy !== null) {
        throw new MigrateError(
          'COPY_NO_END_MARKER',
          `end of file inside the COPY data of ${tableNameText(this.copy.table)} (begun at line ${this.copy.headerLine}): expected "\\." on a line of its own; the file is truncated`,
          { table: tableNameText(this.copy.table) },
        );
      }
      const rest = this.data.subarray(this.pos);
      if (this.inStatement) this.noteDumpStatement();
      if (!this.looksLikeDump) throw notADump();
      if (this.inStatement || rest.toString('latin1').trim().length > 0) {
        throw new MigrateError(
          'SQL_UNTERMINATED',
          `end of file inside ${this.scanner.describeOpen()}; the file is truncated`,
          { excerpt: excerptOf(this.data, this.pos, this.data.length) },
        );
      }
      this.closeInsertRun(out);
      out.push({ kind: 'input-end', complete: this.footer, openRestrict: this.openRestrict, line: this.line });
    } catch (e) {
      throw this.positioned(e);
    }
  }

  /**
   * Begins mid-file, where a row the parser reported before begins (its `offset`, `line`), in the state the
   * text there is read in: then push() the row's bytes (its COPY line, or its INSERT statement), and for COPY
   * the end marker, and end(). Used to read a few rows of a large file again without reading the rest.
   */
  resume(at: ResumePoint): void {
    this.started = true;
    this.looksLikeDump = true;
    this.encoding = at.encoding;
    this.scanner.standardConformingStrings = at.standardConformingStrings;
    this.line = at.line;
    this.buffer.startAt(at.offset);
    if (at.copy !== undefined) {
      const { table, columns, headerLine } = at.copy;
      const decoders = this.opts.tables.decodersOf(table, columns);
      this.copy = {
        table,
        decoder: new CopyLineDecoder(columns, decoders),
        eol: null,
        rows: 0,
        bytes: 0,
        emit: true,
        headerLine,
        headerEolPending: false,
      };
    }
  }

  // ---- buffering -------------------------------------------------------------------------------

  /** The buffer dropped `n` consumed bytes: every index held into it moves down by n. */
  private shift(n: number): void {
    if (n === 0) return;
    this.pos -= n;
    this.scanFrom -= n;
    this.scanner.shift(n);
  }

  /** First bytes: refuse what is plainly not a plain-text dump; skip a UTF-8 BOM. */
  private sniff(atEnd = false): boolean {
    const d = this.data;
    // a tar header's magic is at 257 (a tar archive is at least 512 bytes; a shorter input is decided at its end)
    if (d.length < TAR_MAGIC_END && !atEnd) return false;
    if (d.subarray(0, 5).toString('latin1') === 'PGDMP') {
      throw new MigrateError(
        'INPUT_CUSTOM_FORMAT',
        'this is a pg_dump custom-format archive (-Fc), not plain SQL: convert it with `pg_restore -f plain.sql <file>` and give plain.sql, or dump with --format=plain',
      );
    }
    if (d.toString('latin1', TAR_MAGIC_AT, TAR_MAGIC_END) === 'ustar') {
      throw new MigrateError(
        'INPUT_ARCHIVE_FORMAT',
        'this is a tar archive (pg_dump -Ft writes one), not plain SQL: convert it with `pg_restore -f plain.sql <file>` and give plain.sql, or dump with --format=plain',
      );
    }
    // Binary: a NUL near the start (pg_dump output never holds one). Other control bytes are legitimate in
    // COPY text (only \b \f \n \r \t \v are escaped), and a NUL further on is reported at its line and column.
    const nul = d.subarray(0, Math.min(d.length, 512)).indexOf(0);
    if (nul !== -1)
      throw new MigrateError('INPUT_BINARY', 'binary data (NUL bytes) where pg_dump plain-text SQL was expected');
    if (d[0] === 0xef && d[1] === 0xbb && d[2] === 0xbf) {
      this.pos = 3;
      this.scanFrom = 3;
    }
    this.started = true;
    return true;
  }

  // ---- the main loop --------------------------------------------------------------------------

  private run(out: DumpEvent[], atEnd: boolean): void {
    for (;;) {
      const progressed = this.copy !== null ? this.copyLine(out, atEnd) : this.sqlStep(out, atEnd);
      if (!progressed) return;
    }
  }

  private consume(to: number, newlines: number): void {
    this.pos = to;
    this.scanFrom = to;
    this.line += newlines;
  }

  // ---- COPY data --------------------------------------------------------------------------------

  private copyLine(out: DumpEvent[], atEnd: boolean): boolean {
    const d = this.data;
    const copy = this.copy!;
    if (copy.headerEolPending) {
      // COPY data starts on the line after its header, as psql reads it
      const lf = d.indexOf(LF, this.pos);
      if (lf === -1 && !atEnd) return false;
      const stop = lf === -1 ? d.length : lf;
      // psql reads the data from the next line; a comment after the `;` is nothing to it, nor are more `;`
      // (empty statements psql runs after the data)
      const rest = d.toString('latin1', this.pos, stop).replace(/^[\s;]+/, '');
      if (rest !== '' && !rest.startsWith('--'))
        throw new MigrateError('COPY_BAD_HEADER', 'unexpected text after "FROM stdin;" on the COPY header line', {
          table: tableNameText(copy.table),
        });
      copy.headerEolPending = false;
      this.consume(lf === -1 ? d.length : lf + 1, lf === -1 ? 0 : 1);
      return true;
    }
    const start = this.pos;
    let lf: number;
    let continuations = 0;
    for (;;) {
      lf = d.indexOf(LF, this.scanFrom);
      if (lf === -1) {
        if (!atEnd || start >= d.length) {
          this.scanFrom = d.length;
          return false;
        }
        lf = d.length; // last line without a newline
        break;
      }
      if (isEscaped(d, start, lf)) {
        // `\` + newline is data: PostgreSQL keeps the newline in the field
        continuations++;
        this.scanFrom = lf + 1;
        continue;
      }
      break;
    }
    const hasLf = lf < d.length;
    let end = lf;
    let eol: 'lf' | 'crlf' = 'lf';
    if (end > start && d[end - 1] === CR && !isEscaped(d, start, end - 1)) {
      end--;
      eol = 'crlf';
    }
    const lineBytes = (hasLf ? lf + 1 : lf) - start;
    // The end marker. psql ends the COPY only at a line that is `\.` alone. The server also honours an unescaped
    // `\.` right before the end of any line (data before it is the last row), then ignores all that psql still
    // sends: the lines up to that lone `\.`, or to the end of the file. Data before `\.` is read when those lines
    // hold nothing (blank lines, comments): the rows are then the same. Otherwise psql loses them in silence, and
    // the reader refuses.
    if (end - start >= 2 && d[end - 2] === BACKSLASH && d[end - 1] === 0x2e && !isEscaped(d, start, end - 2)) {
      let swallowed = { bytes: 0, lines: 0 };
      // data before `\.` on the same physical line (after `\` + newline, psql's line is `\.` alone)
      if (end - start > 2 && d[end - 3] !== LF) {
        const s = hasLf ? this.ignoredAfterMarker(start + lineBytes, atEnd) : null;
        if (s === 'wait') return false;
        if (s === null) {
          throw new MigrateError(
            'COPY_END_MARKER_CORRUPT',
            `data before "\\." on a line: psql ends COPY only at a line that is "\\." alone, and would send what follows as COPY data that the server ignores (rows or statements lost in silence); put "\\." on a line of its own`,
            { table: tableNameText(copy.table) },
          );
        }
        swallowed = s;
      }
      this.checkEol(copy, eol, hasLf);
      if (end - start > 2) this.copyRow(copy, start, end - 2, lineBytes, out);
      out.push({
        kind: 'data-end',
        table: copy.table,
        rows: copy.rows,
        bytes: copy.bytes,
        line: this.line + continuations + swallowed.lines,
      });
      this.copy = null;
      this.consume(start + lineBytes + swallowed.bytes, 1 + continuations + swallowed.lines);
      return true;
    }
    if (!hasLf) {
      throw new MigrateError(
        'COPY_NO_END_MARKER',
        `end of file inside the COPY data of ${tableNameText(copy.table)} (begun at line ${copy.headerLine}): expected "\\." on a line of its own; the file is truncated`,
        { table: tableNameText(copy.table) },
      );
    }
    this.checkEol(copy, eol, hasLf);
    this.copyRow(copy, start, end, lineBytes, out);
    this.consume(start + lineBytes, 1 + continuations);
    return true;
  }

  /**
   * After a data line that ends with `\.`: what psql would still send as COPY data (and the server ignore), from
   * `from` up to a lone `\.` line (included) or the end of the file. Only blank and comment lines may be there;
   * null when anything else is, 'wait' when more bytes are needed. Up to the end of the file nothing is
   * consumed here (the comments are read as such: pg_dump's footer among them).
   */
  private ignoredAfterMarker(from: number, atEnd: boolean): { bytes: number; lines: number } | null | 'wait' {
    const d = this.data;
    let lines = 0;
    for (let at = from; ;) {
      const lf = d.indexOf(LF, at);
      if (lf === -1 && !atEnd) return 'wait';
      const stop = lf === -1 ? d.length : lf;
      const text = d.toString('latin1', at, stop).replace(/\r$/, '');
      if (text === '\\.') return { bytes: (lf === -1 ? stop : lf + 1) - from, lines: lines + (lf === -1 ? 0 : 1) };
      if (text.trim() !== '' && !text.startsWith('--')) return null;
      if (lf === -1) return { bytes: 0, lines: 0 };
      lines++;
      at = lf + 1;
    }
  }

  private copyRow(copy: CopyState, start: number, end: number, lineBytes: number, out: DumpEvent[]): void {
    const d = this.data;
    let cr = this.nextCr(start);
    while (cr !== -1 && cr < end) {
      if (!isEscaped(d, start, cr))
        throw new MigrateError(
          'COPY_LITERAL_CR',
          'literal carriage return found in data (a CR inside a COPY line must be written as \\r)',
          { table: tableNameText(copy.table) },
        );
      cr = this.nextCr(cr + 1);
    }
    let values: Value[] | null = null;
    try {
      if (this.encoding === 'UTF8') {
        const valid = end <= this.validUpTo();
        // the store is ours (the caller's chunk is not): a long field may be un-escaped where it is
        if (copy.emit) values = copy.decoder.decode(d, start, end, valid, this.buffer.ownsBytes());
        else copy.decoder.check(d, start, end, valid);
      } else {
        const u = toUtf8(this.encoding, d, start, end);
        if (copy.emit) values = copy.decoder.decode(u.src, u.start, u.end);
        else copy.decoder.check(u.src, u.start, u.end, false);
      }
    } catch (e) {
      if (e instanceof MigrateError && LOOKS_LIKE_SQL.test(d.toString('latin1', start, Math.min(end, start + 40)))) {
        // SQL where data should be: the block lost its end marker
        throw new MigrateError(
          e.code,
          `${e.reason}: this line looks like SQL, not data; the COPY block of ${tableNameText(copy.table)} (begun at line ${copy.headerLine}) is missing its "\\." end marker`,
          { ...e.position, table: tableNameText(copy.table) },
        );
      }
      if (e instanceof MigrateError) throw e.withPosition({ table: tableNameText(copy.table) });
      throw e;
    }
    copy.rows++;
    copy.bytes += lineBytes;
    if (values !== null)
      out.push({
        kind: 'row',
        table: copy.table,
        values,
        line: this.line,
        bytes: lineBytes,
        offset: this.buffer.offsetOf(start),
        span: lineBytes,
        tuple: 0,
      });
  }

  /**
   * COPY data known to be valid UTF-8 without NUL ends here. Checked a stretch of whole lines at a time (up
   * to the last newline in the buffer: a newline never splits a UTF-8 sequence), so a line costs no check
   * of its own. A stretch that fails is left unmarked, and each of its lines is checked alone, so the error
   * names the line and column.
   */
  private validEnd = -1;
  private validGeneration = -1;

  private validUpTo(): number {
    const d = this.data;
    if (this.validGeneration === this.buffer.generation && this.validEnd >= this.pos) return this.validEnd;
    this.validGeneration = this.buffer.generation;
    this.validEnd = -1;
    const last = d.lastIndexOf(LF);
    if (last > this.pos) {
      const stretch = d.subarray(this.pos, last);
      if (isUtf8(stretch) && stretch.indexOf(0) === -1) this.validEnd = last;
    }
    return this.validEnd;
  }

  private checkEol(copy: CopyState, eol: 'lf' | 'crlf', hasLf: boolean): void {
    if (!hasLf) return;
    if (copy.eol === null) copy.eol = eol;
    else if (copy.eol !== eol) {
      if (eol === 'lf')
        throw new MigrateError(
          'COPY_LITERAL_NEWLINE',
          'literal newline found in data: this COPY block started with CRLF line endings and this line ends with LF alone',
          { table: tableNameText(copy.table) },
        );
      throw new MigrateError(
        'COPY_LITERAL_CR',
        'literal carriage return found in data: this COPY block started with LF line endings and this line ends with CRLF',
        { table: tableNameText(copy.table) },
      );
    }
  }

  // ---- SQL text between COPY blocks -----------------------------------------------------------

  private sqlStep(out: DumpEvent[], atEnd: boolean): boolean {
    const d = this.data;
    if (!this.inStatement) {
      // skip blank space, then look at what starts here: a comment line, a meta-command, or a statement
      let i = this.pos;
      let nl = 0;
      while (i < d.length && (d[i] === 0x20 || d[i] === 0x09 || d[i] === LF || d[i] === CR)) {
        if (d[i] === LF) nl++;
        i++;
      }
      this.consume(i, nl);
      if (i >= d.length) return false;
      if (d[i] === BACKSLASH || (d[i] === 0x2d && (d[i + 1] === 0x2d || i + 1 >= d.length))) {
        // psql reads a meta-command to the end of the line; PostgreSQL ends a -- comment at CR too, so an INSERT
        // after `-- note\r` on the same line is a statement (psql runs it)
        const eolAt = d[i] === BACKSLASH ? d.indexOf(LF, i) : lineOrCommentEnd(d, i);
        if (eolAt === -1 && !atEnd) return false;
        const lineEnd = eolAt === -1 ? d.length : eolAt;
        const text = d.toString('utf8', i, lineEnd).replace(/\r$/, '');
        if (d[i] === BACKSLASH) this.metaCommand(text, out);
        else this.comment(text, out);
        this.consume(eolAt === -1 ? d.length : eolAt + 1, eolAt !== -1 && d[eolAt] === LF ? 1 : 0);
        return true;
      }
      this.inStatement = true;
      this.scanner.begin(i);
    }
    const semi = this.scanner.scanMore(d, this.pos, d.length);
    if (semi === -1) return false;
    this.noteDumpStatement();
    this.footer = false; // a statement after the footer: the footer was not pg_dump's last word (two dumps joined)
    this.inStatement = false;
    const start = this.pos;
    const newlines = countNewlines(d, start, semi + 1);
    this.statement(start, semi + 1, out);
    this.consume(semi + 1, newlines);
    return true;
  }

  /** A statement that begins as pg_dump's do marks the input as a dump. */
  private noteDumpStatement(): void {
    if (
      !this.looksLikeDump &&
      DUMP_STATEMENT.test(this.data.toString('latin1', this.pos, Math.min(this.pos + 8, this.data.length)))
    )
      this.looksLikeDump = true;
  }

  private comment(text: string, out: DumpEvent[]): void {
    if (/^-- (PostgreSQL database (cluster )?dump|Dumped (from|by) )/.test(text)) this.looksLikeDump = true;
    if (/^-- PostgreSQL database (cluster )?dump complete\s*$/.test(text)) this.footer = true;
    const m = /^-- Dumped (from database|by pg_dump) version (.+)$/.exec(text);
    if (m !== null)
      out.push({
        kind: 'version',
        which: m[1] === 'from database' ? 'server' : 'pg_dump',
        version: m[2]!.trim(),
        line: this.line,
      });
    // [^;]: linear on any line (a legacy table name has no semicolon)
    const d = /^-- Data for Name: ([^;]+); Type: TABLE DATA; Schema: ([^;]+); Owner: /.exec(text);
    if (d !== null)
      out.push({ kind: 'table-data', table: { schema: d[2] === '-' ? null : d[2]!, name: d[1]! }, line: this.line });
  }

  /**
   * A psql meta-command line. pg_dump writes three, and psql 15.14+ holds them to its restricted mode: after
   * `\restrict KEY` every meta-command but `\unrestrict` is refused, and `\unrestrict` needs the same key.
   */
  private metaCommand(text: string, out: DumpEvent[]): void {
    const cmd = /^\\([A-Za-z]+|[^\sA-Za-z])?/.exec(text)?.[1] ?? '';
    if (cmd === '.')
      throw new MigrateError('COPY_END_MARKER_CORRUPT', 'a "\\." end-of-copy marker outside any COPY data');
    if (!['restrict', 'unrestrict', 'connect', 'c'].includes(cmd)) {
      throw new MigrateError(
        'META_COMMAND_UNKNOWN',
        `psql meta-command \\${cmd} is not something pg_dump writes; refusing to read this file (pg_dump writes only \\restrict, \\unrestrict and \\connect)`,
      );
    }
    if (this.openRestrict !== null && cmd !== 'unrestrict') {
      throw new MigrateError(
        'META_COMMAND_UNKNOWN',
        `backslash commands are restricted after the \\restrict of line ${this.openRestrict}: psql refuses \\${cmd} before its \\unrestrict`,
      );
    }
    switch (cmd) {
      case 'restrict':
        // pg_dump 15.14+ guards its output with a random key; we note that it was there, never the key.
        this.closeInsertRun(out);
        this.footer = false;
        this.openRestrict = this.line;
        this.restrictKeyHash = keyHash(metaArgument(text, cmd));
        out.push({ kind: 'restrict', line: this.line });
        return;
      case 'unrestrict':
        if (this.openRestrict === null)
          throw new MigrateError(
            'META_COMMAND_UNKNOWN',
            '\\unrestrict without a \\restrict before it: psql refuses it (not currently in restricted mode)',
          );
        if (keyHash(metaArgument(text, cmd)) !== this.restrictKeyHash) {
          throw new MigrateError(
            'META_COMMAND_UNKNOWN',
            `\\unrestrict with the wrong key: not the key of the \\restrict of line ${this.openRestrict} (psql refuses it and stays restricted); the file was edited or two dumps were joined`,
          );
        }
        this.openRestrict = null;
        out.push({ kind: 'unrestrict', line: this.line });
        return;
      case 'connect':
      case 'c':
        this.closeInsertRun(out);
        this.pathWithoutPublic = null; // a new session: the default search path
        this.footer = false;
        out.push({ kind: 'connect', line: this.line });
    }
  }

  /** One complete statement data[start, end) (end includes its `;`). */
  private statement(start: number, end: number, out: DumpEvent[]): void {
    // PostgreSQL checks a statement's encoding as it receives it: a byte that is not UTF-8 anywhere in it (a
    // bytea literal, a comment) is refused, whatever the column
    if (this.encoding === 'UTF8') checkUtf8Text(this.data, start, end);
    const u = toUtf8(this.encoding, this.data, start, end);
    const scs = this.scanner.standardConformingStrings;
    const lx = new SqlLexer(u.src, u.start, u.end, scs);
    if (lx.keyword('INSERT')) {
      this.insertStatement(lx, start, end, out);
      return;
    }
    this.closeInsertRun(out);
    if (lx.keyword('COPY')) this.copyHeader(lx, out);
    else if (lx.keyword('SET')) this.setStatement(lx, out);
    else if (lx.keyword('SELECT')) this.selectStatement(lx, out);
    else if (lx.keyword('CREATE')) {
      checkOneStatement(u.src, u.start, u.end, this.line, scs);
      lx.keyword('UNLOGGED');
      if (lx.keyword('TABLE')) {
        if (lx.keyword('IF')) {
          lx.expectKeyword('NOT');
          lx.expectKeyword('EXISTS');
        }
        out.push({
          kind: 'create-table',
          table: this.onPath(lx.qualifiedName()),
          sql: u.src.toString('utf8', u.start, u.end),
          line: this.line,
        });
      }
    } else {
      try {
        skipStatement(lx, this.line, scs);
      } catch (e) {
        if (e instanceof MigrateError && e.code === 'SQL_STATEMENT_UNKNOWN' && !this.looksLikeDump) throw notADump();
        throw e;
      }
    }
  }

  private copyHeader(lx: SqlLexer, out: DumpEvent[]): void {
    const { table, columns } = readCopyHeader(lx, this.schemaColumns);
    this.onPath(table);
    const decoders = this.opts.tables.decodersOf(table, columns);
    this.copy = {
      table,
      decoder: new CopyLineDecoder(columns, decoders),
      eol: null,
      rows: 0,
      bytes: 0,
      emit: this.opts.tables.valuesWanted?.(table) ?? true,
      headerLine: this.line,
      headerEolPending: true,
    };
    out.push({
      kind: 'data-start',
      table,
      columns,
      columnsFromHeader: true,
      form: 'copy',
      line: this.line,
      encoding: this.encoding,
      standardConformingStrings: this.scanner.standardConformingStrings,
    });
  }

  private readonly schemaColumns = (table: TableName): readonly string[] => {
    this.onPath(table);
    const cols = this.opts.tables.columnsOf(table);
    if (cols === undefined)
      throw new MigrateError(
        'COLUMN_MISSING',
        `the data for ${tableNameText(table)} names no columns and the table is not in the schema, so its values cannot be mapped to columns`,
        { table: tableNameText(table) },
      );
    return cols;
  };

  /** An INSERT continues the run of its table and column list, or closes the run before and begins one. */
  private insertStatement(lx: SqlLexer, start: number, end: number, out: DumpEvent[]): void {
    const target = readInsertHead(lx, this.schemaColumns);
    this.onPath(target.table);
    const { table, columns } = target;
    const key = tableNameText(table) + '\u0000' + columns.join('\u0000');
    let run = this.insert;
    if (run === null || run.key !== key) {
      this.closeInsertRun(out);
      const decoders = this.opts.tables.decodersOf(table, columns);
      run = {
        table,
        key,
        decoders,
        emit: this.opts.tables.valuesWanted?.(table) ?? true,
        rows: 0,
        bytes: 0,
        lastLine: this.line,
      };
      this.insert = run;
      out.push({
        kind: 'data-start',
        table,
        columns,
        columnsFromHeader: target.named,
        form: 'insert' as DataForm,
        line: this.line,
        encoding: this.encoding,
        standardConformingStrings: this.scanner.standardConformingStrings,
      });
    }
    const offset = this.buffer.offsetOf(start);
    const r = run;
    readInsertRows(lx, target, r.decoders, this.line, (values, tuple, bytes, line) => {
      r.rows++;
      r.bytes += bytes;
      r.lastLine = line;
      if (r.emit) out.push({ kind: 'row', table, values, line, bytes, offset, span: end - start, tuple });
    });
  }

  private closeInsertRun(out: DumpEvent[]): void {
    const run = this.insert;
    if (run === null) return;
    out.push({ kind: 'data-end', table: run.table, rows: run.rows, bytes: run.bytes, line: run.lastLine });
    this.insert = null;
  }

  private setStatement(lx: SqlLexer, out: DumpEvent[]): void {
    const set = readSet(lx);
    if (set.name === 'client_encoding') {
      this.encoding = parseClientEncoding(set.value);
      out.push({ kind: 'encoding', encoding: this.encoding, line: this.line });
    } else if (set.name === 'standard_conforming_strings')
      this.scanner.standardConformingStrings = settingIsOn(set.value);
    else if (set.name === 'search_path') this.searchPath(set.value === 'default' ? ['public'] : set.values);
  }

  private selectStatement(lx: SqlLexer, out: DumpEvent[]): void {
    const call = readSelect(lx);
    if (call === null) return;
    if ('searchPath' in call) this.searchPath(searchPathSchemas(call.searchPath));
    else {
      // a plain name only: one pg_dump would have quoted is SEQUENCE_UNKNOWN (lib/legacy/unknown-tables.ts)
      if (/^[a-z_][a-z0-9_$]*$/.test(call.sequence)) this.onPath({ schema: null, name: call.sequence });
      out.push({ kind: 'setval', ...call, line: this.line });
    }
  }

  private searchPath(schemas: readonly string[]): void {
    this.pathWithoutPublic = pathHoldsPublic(schemas) ? null : { line: this.line, schemas };
  }

  /** The name, refused when it is unqualified and the search path has no schema to find it in. */
  private onPath(table: TableName): TableName {
    if (table.schema === null && this.pathWithoutPublic !== null)
      throw unqualifiedRefused(table.name, this.pathWithoutPublic);
    return table;
  }

  // ---- errors ---------------------------------------------------------------------------------

  private positioned(e: unknown): unknown {
    if (!(e instanceof MigrateError)) return e;
    const more: ErrorPosition = {
      file: this.opts.file,
      line: this.line,
      byteOffset: this.buffer.offsetOf(this.pos),
      ...(this.copy !== null ? { table: tableNameText(this.copy.table) } : {}),
    };
    return e.withPosition(more);
  }
}

/** The index of the first LF or CR from `from` (where a -- comment ends), or -1. A byte loop: comments are short. */
function lineOrCommentEnd(d: Buffer, from: number): number {
  for (let j = from; j < d.length; j++) if (d[j] === LF || d[j] === CR) return j;
  return -1;
}
