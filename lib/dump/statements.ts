/**
 * What the statements pg_dump writes say, read with the lexer once the parser has found a whole statement
 * and its first keyword: the COPY header, an INSERT's table, columns and rows of VALUES, SET of the two
 * settings that change how the rest is read, and setval. Pure: no parser state; the parser (dump-parser.ts)
 * decides what each means for the states it moves through.
 */
import { MigrateError } from '../errors.js';
import { countNewlines } from './byte-scan.js';
import { readValue } from './concatenation.js';
import type { ColumnDecoder } from './column-decoders.js';
import { tableNameText, type TableName } from './events.js';
import type { Literal, SqlLexer } from './sql-lexer.js';
import { DUMP_SETTINGS, settingValueRefused } from './setting-values.js';
import type { Value } from './values.js';

/** The table's columns from the schema, for data that names none. */
export type SchemaColumns = (table: TableName) => readonly string[];

export interface DataTarget {
  readonly table: TableName;
  readonly columns: readonly string[];
  /** Whether the statement named its columns (else they are the schema's, in order). */
  readonly named: boolean;
}

/** `COPY table [(columns)] FROM stdin;`, after COPY. */
export function readCopyHeader(lx: SqlLexer, schemaColumns: SchemaColumns): DataTarget {
  try {
    const table = lx.qualifiedName();
    const named = lx.peekByte() === 0x28;
    const columns = named ? lx.identifierList() : schemaColumns(table);
    lx.expectKeyword('FROM');
    if (!lx.keyword('STDIN')) throw lx.error('only COPY ... FROM stdin is supported in a dump');
    if (!lx.eat(';') || !lx.atEnd())
      throw lx.error('COPY options are not supported: pg_dump writes plain "FROM stdin;"');
    return { table, columns, named };
  } catch (e) {
    if (e instanceof MigrateError && e.code === 'SQL_SYNTAX')
      throw new MigrateError('COPY_BAD_HEADER', `bad COPY header: ${e.reason}`, e.position);
    throw e;
  }
}

/** `INSERT INTO table [(columns)] [OVERRIDING … VALUE] VALUES`, after INSERT; the rows follow. */
export function readInsertHead(lx: SqlLexer, schemaColumns: SchemaColumns): DataTarget {
  lx.expectKeyword('INTO');
  const table = lx.qualifiedName();
  const named = lx.peekByte() === 0x28;
  const columns = named ? lx.identifierList() : schemaColumns(table);
  if (lx.keyword('OVERRIDING')) {
    if (!lx.keyword('SYSTEM') && !lx.keyword('USER')) throw lx.error('expected SYSTEM or USER after OVERRIDING');
    lx.expectKeyword('VALUE');
  }
  lx.expectKeyword('VALUES');
  return { table, columns, named };
}

/** One row of VALUES: its values, which tuple of the statement it is (from 0), its bytes and its line. */
export type InsertRowSink = (values: Value[], tuple: number, bytes: number, line: number) => void;

/**
 * The rows of VALUES `(…), (…);` up to the statement's end, each decoded by its column's decoder. Lines are
 * counted from `firstLine`, the line of lx.src[lx.start]: a row's line is where its `(` is.
 */
export function readInsertRows(
  lx: SqlLexer,
  target: DataTarget,
  decoders: readonly ColumnDecoder[],
  firstLine: number,
  onRow: InsertRowSink,
): void {
  const { columns, named } = target;
  const tableText = tableNameText(target.table);
  let lineCursor = lx.start;
  let line = firstLine;
  let tuple = 0;
  for (;;) {
    lx.skip();
    const tupleStart = lx.pos;
    line += countNewlines(lx.src, lineCursor, tupleStart);
    lineCursor = tupleStart;
    lx.expect('(', '"(" to open a row of VALUES');
    const values = new Array<Value>(decoders.length);
    let col = 0;
    do {
      if (col >= decoders.length)
        throw new MigrateError(
          'SQL_VALUE_COUNT',
          `more values than the ${columns.length} columns ${named ? 'named' : 'of the table'}`,
          { table: tableText, line },
        );
      try {
        values[col] = readValue(lx, decoders[col]!);
      } catch (e) {
        if (e instanceof MigrateError) throw e.withPosition({ table: tableText, column: columns[col], line });
        throw e;
      }
      col++;
    } while (lx.eat(','));
    lx.expect(')', '"," or ")" after a value');
    if (col < decoders.length)
      throw new MigrateError(
        'SQL_VALUE_COUNT',
        `${col} values for the ${columns.length} columns ${named ? 'named' : 'of the table'}: missing data for column "${columns[col]}"`,
        { table: tableText, column: columns[col], line },
      );
    onRow(values, tuple, lx.pos - tupleStart, line);
    tuple++;
    if (!lx.eat(',')) break;
  }
  // pg_dump --on-conflict-do-nothing: the rows are the same (a key already in the target is PostgreSQL's concern)
  if (lx.keyword('ON')) {
    lx.expectKeyword('CONFLICT');
    lx.expectKeyword('DO');
    lx.expectKeyword('NOTHING');
  }
  if (!lx.eat(';') || !lx.atEnd())
    throw lx.error('expected "," or ";" after a row of VALUES (or ON CONFLICT DO NOTHING)');
}

/**
 * `SET [SESSION | LOCAL] name {= | TO} value [, value …]` or `SET SESSION AUTHORIZATION value`, after SET, read
 * to its end as PostgreSQL's grammar has it (a value list that runs on into the next line's statement, a `;`
 * lost, is refused as psql refuses it). Returns the setting and its first value. Only client_encoding and
 * standard_conforming_strings change how the rest is read; the others pg_dump sets are of no concern here.
 */
export function readSet(lx: SqlLexer): { readonly name: string; readonly value: string; readonly values: string[] } {
  let name: string;
  let value: string;
  const values: string[] = [];
  if (lx.keyword('SESSION') && lx.keyword('AUTHORIZATION')) {
    name = 'session_authorization';
    value = setValue(lx);
  } else {
    lx.keyword('LOCAL');
    name = lx.identifier('a setting name');
    // PostgreSQL refuses a setting it does not know; the reader knows those pg_dump sets
    if (!DUMP_SETTINGS.has(name))
      throw new MigrateError(
        'SQL_STATEMENT_UNKNOWN',
        `SET ${name}: not a setting pg_dump writes (PostgreSQL refuses a setting it does not know); the reader skips only SET of ${[...DUMP_SETTINGS.keys()].join(', ')}: remove it, or dump again`,
      );
    if (!lx.eat('=') && !lx.keyword('TO')) throw lx.error(`expected "=" after SET ${name}`);
    const quoted = lx.peekByte() === 0x27;
    value = setValue(lx);
    const refused = settingValueRefused(name, value, !quoted);
    if (refused !== null) throw lx.error(refused);
    values.push(value);
    while (lx.eat(',')) values.push(setValue(lx));
  }
  if (!lx.eat(';') || !lx.atEnd()) throw lx.error(`expected ";" after the value of SET ${name}`);
  return { name, value, values };
}

/** One value of SET: a quoted string, a number, or a word (`on`, `warning`, `heap`, `DEFAULT`). */
function setValue(lx: SqlLexer): string {
  const c = lx.peekByte();
  const quoted = c === 0x27 || ((c === 0x45 || c === 0x65) && lx.src[lx.pos + 1] === 0x27);
  if (quoted || c === 0x2d || c === 0x2b || c === 0x2e || (c !== undefined && c >= 0x30 && c <= 0x39)) {
    const lit = lx.literal();
    return lit.kind === 'null' ? '' : lit.src.toString('utf8', lit.start, lit.end);
  }
  return lx.identifier('a setting value');
}

/** Whether a setting's value means on, as PostgreSQL's boolean settings read it. */
export function settingIsOn(value: string): boolean {
  return /^(on|true|1|yes)$/i.test(value);
}

/**
 * The functions pg_dump calls with SELECT: setval (sequences), set_config (search_path) and the large-object
 * ones (a whole-database dump writes large objects with them). Any other SELECT is refused: the reader
 * cannot tell what it does to the data.
 */
const DUMP_FUNCTIONS = new Set(['setval', 'set_config', 'lo_create', 'lo_open', 'lowrite', 'lo_close']);

export interface Setval {
  readonly sequence: string;
  readonly value: string;
  readonly isCalled: boolean;
}

/**
 * `SELECT pg_catalog.fn(literal, …);`, after SELECT, read to its end: setval's arguments
 * (`SELECT pg_catalog.setval('public.tls_coach_id_seq', 42, true);`), set_config's search path (as written:
 * `''`, `'public, pg_catalog'`), null for the other calls pg_dump writes.
 */
export function readSelect(lx: SqlLexer): Setval | { readonly searchPath: string } | null {
  const unknown = (what: string): MigrateError =>
    new MigrateError(
      'SQL_STATEMENT_UNKNOWN',
      `SELECT ${what} is not a call pg_dump writes (it calls only pg_catalog.${[...DUMP_FUNCTIONS].join('/')}, and set_config only for search_path); the reader cannot tell what it does: remove it, or dump again`,
    );
  let fn: TableName;
  try {
    fn = lx.qualifiedName();
  } catch {
    throw unknown('of something other than a function');
  }
  if ((fn.schema !== null && fn.schema !== 'pg_catalog') || !DUMP_FUNCTIONS.has(fn.name) || lx.peekByte() !== 0x28)
    throw unknown(`${tableNameText(fn)}`);
  lx.expect('(', '"("');
  const args: Literal[] = [];
  if (!lx.eat(')')) {
    do args.push(lx.literal());
    while (lx.eat(','));
    lx.expect(')', '"," or ")"');
  }
  if (!lx.eat(';') || !lx.atEnd()) throw lx.error(`expected ";" after SELECT pg_catalog.${fn.name}(…)`);
  if (fn.name === 'set_config') {
    const setting = args[0];
    if (
      setting === undefined ||
      setting.kind === 'null' ||
      setting.src.toString('utf8', setting.start, setting.end) !== 'search_path'
    )
      throw unknown('pg_catalog.set_config of a setting other than search_path');
    const path = args[1];
    return {
      searchPath: path === undefined || path.kind === 'null' ? '' : path.src.toString('utf8', path.start, path.end),
    };
  }
  if (fn.name !== 'setval') return null;
  const [seq, value, called] = args;
  if (args.length < 2 || args.length > 3 || seq!.kind === 'null' || value!.kind === 'null')
    throw lx.error('setval needs a sequence and a value');
  const isCalled =
    called === undefined ||
    (called.kind !== 'null' && /^t/i.test(called.src.toString('latin1', called.start, called.end)));
  return {
    sequence: seq!.src.toString('utf8', seq!.start, seq!.end),
    value: value!.src.toString('latin1', value!.start, value!.end),
    isCalled,
  };
}
