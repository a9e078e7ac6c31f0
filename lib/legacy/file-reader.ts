/**
 * One input file read into records: a handler per kind of event the dump reader gives (lib/dump/events.ts),
 * the file's own state (the table whose data is being read, the tables announced and not begun yet, what
 * its summary says) here, what is built up across files in LegacyRun.
 */
import { MigrateError } from '../errors.js';
import type { Finding } from '../findings.js';
import type { DumpFile, ReadStats } from '../dump/read-dump.js';
import { tableNameText, type DumpEvent, type ResumePoint } from '../dump/events.js';
import type { ClientEncoding } from '../dump/encoding.js';
import type { Value } from '../dump/values.js';
import {
  OTHER_TABLES_LISTED,
  type ImagePlace,
  type ImageSource,
  type InputFileSummary,
  type RecordBuilder,
  type SetvalSummary,
  type TableSummary,
} from './legacy-dump.js';
import type { LegacyRun } from './legacy-run.js';
import type { ImageRecord } from './records.js';
import { schemaFromDump, type CreateTableText } from './schema-dump.js';
import {
  isLegacyTable,
  LEGACY_TABLES,
  LegacySchema,
  legacyTableOf,
  type LegacyTableDef,
  type LegacyTableName,
} from './schema.js';
import { checkOtherTable, checkSetvalSequence, qualifiedText } from './unknown-tables.js';
import { validateLegacyRecord } from './validate.js';

type Event<K extends DumpEvent['kind']> = DumpEvent & { kind: K };

/** The table whose data is being read. */
interface DataBlock {
  readonly legacy: LegacyTableName | null;
  /** Makes a record of a row's values (legacy tables only; the other tables' rows are only counted). */
  readonly build: RecordBuilder | null;
  readonly start: Event<'data-start'>;
  /** Where each id was, to name both lines of a repeated primary key. */
  readonly lineOfId: Map<number, number>;
  readonly images: ImageSource | null;
}

export class FileReader {
  private readonly tables: TableSummary[] = [];
  private readonly setvals: SetvalSummary[] = [];
  private otherSetvalsListed = 0;
  private setvalsNotListed = 0;
  private readonly others = { count: 0, rows: 0, bytes: 0, listed: 0 };
  private readonly createTables: CreateTableText[] = [];
  private createTablesSeen = 0;
  private pgDumpVersion: string | null = null;
  private serverVersion: string | null = null;
  private encoding: ClientEncoding | null = null;
  private restrictKey = false;
  private connect = false;
  private current: DataBlock | null = null;
  // Tables pg_dump's table of contents announced whose data has not begun yet. In the INSERT forms an empty
  // table has its entry and no statement: it is empty, not missing (docs/reading.md).
  private announced: Event<'table-data'>[] = [];

  constructor(
    private readonly run: LegacyRun,
    private readonly file: DumpFile,
    readonly stats: ReadStats,
  ) {}

  async handle(ev: DumpEvent): Promise<void> {
    switch (ev.kind) {
      case 'row':
        return this.row(ev);
      case 'table-data':
        this.announced.push(ev);
        return;
      case 'data-start':
        return this.dataStart(ev);
      case 'data-end':
        return this.dataEnd(ev);
      case 'version':
        if (ev.which === 'pg_dump') this.pgDumpVersion = ev.version;
        else this.serverVersion = ev.version;
        return;
      case 'encoding':
        this.encoding = ev.encoding;
        return;
      case 'restrict':
        this.restrictKey = true;
        return;
      case 'connect':
        this.connect = true;
        return;
      case 'setval':
        return this.setval(ev);
      case 'create-table':
        return this.createTable(ev);
    }
  }

  private async row(ev: Event<'row'>): Promise<void> {
    const run = this.run;
    if (ev.bytes > run.largestRowBytes) run.largestRowBytes = ev.bytes;
    const c = this.current!;
    if (c.build === null) return;
    let rec: object;
    try {
      rec = c.build(ev.values);
      validateLegacyRecord(c.legacy!, rec);
    } catch (e) {
      if (e instanceof MigrateError) throw e.withPosition({ file: this.file.name, line: ev.line });
      throw e;
    }
    // a primary key is unique in PostgreSQL: a repeated id is an edited or corrupted dump, never a row to migrate twice
    const id = (rec as { id: number }).id;
    const first = c.lineOfId.get(id);
    if (first !== undefined) {
      throw new MigrateError(
        'KEY_DUPLICATE',
        `${c.legacy} id ${id} appears twice, at lines ${first} and ${ev.line}; its primary key is unique in the database, so this dump was edited or damaged`,
        { file: this.file.name, line: ev.line, table: c.legacy!, column: 'id' },
      );
    }
    c.lineOfId.set(id, ev.line);
    if (c.legacy === 'tls_image') {
      run.imageCount++;
      run.imageIds.add((rec as ImageRecord).id);
      if (run.onImage !== undefined) await run.onImage(rec as ImageRecord, run.soFar, imagePlace(c, ev, id));
      else run.collected.tls_image.push(rec as ImageRecord);
    } else (run.collected[c.legacy!] as object[]).push(rec);
  }

  private dataStart(ev: Event<'data-start'>): void {
    const run = this.run;
    const file = this.file.name;
    this.emptyTables(ev);
    const legacy = legacyTableOf(ev.table);
    let build: RecordBuilder | null = null;
    if (legacy !== null) {
      if (!ev.columnsFromHeader && run.defined[legacy] === undefined)
        throw columnOrderUnknown(legacy, file, ev.line, this.createTables);
      run.claim(legacy, file, ev.line);
      build = recordBuilder(run.schema.tables[legacy], ev.columns, file, ev.line, run.findings);
      if (!ev.columnsFromHeader)
        run.findings.push({
          severity: 'info',
          code: 'dump.columns.positional',
          subject: `${file}:${legacy}`,
          message: `${legacy} was dumped with --inserts (no column names): values were mapped to columns in the order ${run.defined[legacy]} gives`,
        });
    }
    if (legacy === null) checkOtherTable({ table: ev.table, file, line: ev.line }, run.declared, run.schemaFiles);
    const images =
      legacy === 'tls_image' && build !== null
        ? { file: this.file, stats: this.stats, schema: run.schema, build }
        : null;
    this.current = { legacy, build, start: ev, lineOfId: new Map(), images };
  }

  private dataEnd(ev: Event<'data-end'>): void {
    const c = this.current!;
    const s = c.start;
    // the tables that are not ours are counted; only the first few are kept by name
    const listed = c.legacy !== null || this.others.listed < OTHER_TABLES_LISTED;
    if (c.legacy === null) {
      this.others.count++;
      this.others.rows += ev.rows;
      this.others.bytes += ev.bytes;
      if (listed) this.others.listed++;
    }
    if (listed)
      this.tables.push({
        table: tableNameText(s.table),
        legacy: c.legacy,
        form: s.form,
        columns: s.columns,
        rows: ev.rows,
        bytes: ev.bytes,
        line: s.line,
      });
    if (c.legacy !== null) this.run.complete.add(c.legacy);
    this.current = null;
  }

  private setval(ev: Event<'setval'>): void {
    checkSetvalSequence({ sequence: ev.sequence, file: this.file.name, line: ev.line }, this.run.declared);
    const m = /^(?:public\.)?(.+)_id_seq$/.exec(ev.sequence);
    const table = m?.[1] ?? null;
    const ours = table !== null && isLegacyTable(table);
    if (ours || this.otherSetvalsListed < OTHER_TABLES_LISTED) {
      this.setvals.push({ sequence: ev.sequence, value: ev.value, isCalled: ev.isCalled, table });
      if (!ours) this.otherSetvalsListed++;
    } else this.setvalsNotListed++;
  }

  private createTable(ev: Event<'create-table'>): void {
    this.run.declared.add(qualifiedText(ev.table));
    this.run.schemaFiles.add(this.file.name);
    // only the legacy tables' definitions are read (schemaFromDump); the others are counted
    this.createTablesSeen++;
    if (/tls_/i.test(ev.sql)) this.createTables.push({ sql: ev.sql, file: this.file.name, line: ev.line });
  }

  /** Tables announced whose data never began: empty (the INSERT forms write no statement for them). */
  private emptyTables(except: Event<'data-start'> | null): void {
    for (const a of this.announced) {
      // an unqualified name (older pg_dump set search_path to public) is the public table its entry names
      if (
        except !== null &&
        a.table.name === except.table.name &&
        (a.table.schema ?? 'public') === (except.table.schema ?? 'public')
      )
        continue;
      const legacy = legacyTableOf(a.table);
      if (legacy !== null) {
        this.run.claim(legacy, this.file.name, a.line);
        this.run.complete.add(legacy);
      }
      this.tables.push({
        table: tableNameText(a.table),
        legacy,
        form: 'insert',
        columns: [],
        rows: 0,
        bytes: 0,
        line: a.line,
      });
    }
    this.announced = [];
  }

  /** The file is read: its CREATE TABLEs become the schema of the files after it; its summary. */
  async finish(): Promise<InputFileSummary> {
    this.emptyTables(null);
    const run = this.run;
    const name = this.file.name;
    if (this.createTablesSeen > 0) {
      const known = this.createTables;
      const fromDump = await schemaFromDump(known);
      for (const t of LEGACY_TABLES) {
        if (run.sources[t] !== undefined && known.some((k) => new RegExp(`\\b${t}\\b`).test(k.sql))) {
          run.findings.push({
            severity: 'warning',
            code: 'schema.after.data',
            subject: name,
            message: `${name} defines ${t} but its data was read before it, with the built-in types; list the schema dump first`,
          });
        }
      }
      run.findings.push(...fromDump.findings);
      run.schema = new LegacySchema(fromDump.tables, 'check');
      for (const t of LEGACY_TABLES) delete run.defined[t]; // as the schema: the last schema dump read decides
      for (const t of fromDump.declared) run.defined[t] = name;
    }
    const s = this.stats;
    return {
      name,
      sha256: s.sha256,
      fileBytes: s.fileBytes,
      sqlBytes: s.sqlBytes,
      gzip: s.gzip,
      pgDumpVersion: this.pgDumpVersion,
      serverVersion: this.serverVersion,
      encoding: this.encoding,
      restrictKey: this.restrictKey,
      connect: this.connect,
      createTables: this.createTablesSeen,
      tables: this.tables,
      otherTables: this.others,
      setvals: this.setvals,
      setvalsNotListed: this.setvalsNotListed,
    };
  }
}

function imagePlace(block: DataBlock, row: Event<'row'>, id: number): ImagePlace {
  const s = block.start;
  const at: ResumePoint = {
    encoding: s.encoding,
    standardConformingStrings: s.standardConformingStrings,
    line: row.line,
    offset: row.offset,
    ...(s.form === 'copy' ? { copy: { table: s.table, columns: s.columns, headerLine: s.line } } : {}),
  };
  return { at, span: row.span, tuple: row.tuple, id, source: block.images! };
}

/**
 * Plain `--inserts` (and `--rows-per-insert`) name no columns: the values are in the table's physical order,
 * which only its CREATE TABLE tells. Ours is production's as built, but a column added later (ALTER TABLE ADD
 * COLUMN) or a table made in another order would put values in the wrong columns, and two text columns
 * swapped (description and intro) would pass every check. So without a schema dump read before the data,
 * such a table is refused.
 */
function columnOrderUnknown(
  legacy: LegacyTableName,
  file: string,
  line: number,
  thisFile: readonly CreateTableText[],
): MigrateError {
  const here = thisFile.some((c) => new RegExp(`\\b${legacy}\\b`).test(c.sql))
    ? `; its CREATE TABLE in this same file counts only after the file's data, so give the schema as its own pg_dump --schema-only file`
    : '';
  return new MigrateError(
    'COLUMN_ORDER_UNKNOWN',
    `the INSERTs of ${legacy} name no columns (pg_dump --inserts) and no schema dump read before them defines ${legacy}, so which value belongs to which column cannot be known${here}: add the schema dump (pg_dump --schema-only, totalis_schema.sql) to the inputs, or dump the data with --column-inserts`,
    { file, line, table: legacy },
  );
}

/**
 * Maps the dump's columns (by name, never by position) onto the table's definition, once per table.
 * A required column the dump lacks stops the run; an optional one reads as NULL; an extra one is reported.
 */
function recordBuilder(
  def: LegacyTableDef,
  dumpColumns: readonly string[],
  file: string,
  line: number,
  findings: Finding[],
): RecordBuilder {
  const index = def.columns.map((c) => dumpColumns.indexOf(c.name));
  def.columns.forEach((c, i) => {
    if (index[i] !== -1) return;
    if (def.required.includes(c.name)) {
      throw new MigrateError(
        'COLUMN_MISSING',
        `the dump of ${def.name} has no column ${c.name}, which the mapping needs (columns in the dump: ${dumpColumns.join(', ')})`,
        { file, line, table: def.name, column: c.name },
      );
    }
    findings.push({
      severity: 'warning',
      code: 'dump.column.missing',
      subject: `${file}:${def.name}.${c.name}`,
      message: `the dump of ${def.name} has no column ${c.name}; it reads as NULL`,
    });
  });
  for (const c of dumpColumns) {
    if (!def.columns.some((d) => d.name === c))
      findings.push({
        severity: 'warning',
        code: 'dump.column.unknown',
        subject: `${file}:${def.name}.${c}`,
        message: `the dump of ${def.name} has a column ${c} that the schema does not know; it is not migrated`,
      });
  }
  const names = def.columns.map((c) => c.name);
  return (values) => {
    const rec: Record<string, Value> = {};
    for (let i = 0; i < names.length; i++) {
      const at = index[i]!;
      rec[names[i]!] = at === -1 ? null : values[at]!;
    }
    return rec;
  };
}
