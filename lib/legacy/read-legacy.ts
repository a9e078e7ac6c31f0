/**
 * Reads dump files into typed legacy records: finds each legacy table wherever it is among the inputs,
 * maps columns by the dump's own column names, checks every record against its JSON Schema, and reports
 * what it noticed (unknown columns, schema differences) as findings. Images can be streamed to a callback
 * so that a dump with thousands of multi-MB images is never held in memory.
 */
import { MigrateError, throwIfAborted } from '../errors.js';
import type { Finding } from '../findings.js';
import { listDumpFiles, readDump, type DumpFile, type ReadStats } from '../dump/read-dump.js';
import { readRowsAgain, type RowPlace } from '../dump/read-again.js';
import { tableNameText, type DataForm, type DumpEvent, type ResumePoint } from '../dump/events.js';
import type { ClientEncoding } from '../dump/encoding.js';
import type { Value } from '../dump/values.js';
import { schemaFromDump, type CreateTableText } from './schema-dump.js';
import { BUILTIN_SCHEMA, isLegacyTable, LEGACY_TABLES, LegacySchema, legacyTableOf, type LegacyTableDef, type LegacyTableName } from './schema.js';
import type { CategoryRecord, CoachRecord, ImageRecord, LegacyRecordOf, PromptRecord, SystemRecord, VariableRecord } from './records.js';
import { validateLegacyRecord } from './validate.js';
import { checkOtherTable, checkSetvalSequence, qualifiedText } from './unknown-tables.js';

export interface TableSummary {
  /** As the dump names it: `public.tls_coach`. */
  readonly table: string;
  readonly legacy: LegacyTableName | null;
  readonly form: DataForm;
  readonly columns: readonly string[];
  readonly rows: number;
  /** Bytes of row data (COPY lines or INSERT tuples) as written in the dump. */
  readonly bytes: number;
  readonly line: number;
}

export interface SetvalSummary {
  readonly sequence: string;
  readonly value: string;
  readonly isCalled: boolean;
  /** The legacy table the sequence belongs to, by pg_dump's naming (`<table>_id_seq`), if any. */
  readonly table: string | null;
}

export interface InputFileSummary {
  readonly name: string;
  readonly sha256: string;
  readonly fileBytes: number;
  readonly sqlBytes: number;
  readonly gzip: boolean;
  readonly pgDumpVersion: string | null;
  readonly serverVersion: string | null;
  readonly encoding: ClientEncoding | null;
  /** Whether a `\restrict` key guarded the file (the key itself is never kept). */
  readonly restrictKey: boolean;
  readonly connect: boolean;
  readonly createTables: number;
  /** The legacy tables' data, and the first OTHER_TABLES_LISTED of the other tables, in the file's order. */
  readonly tables: readonly TableSummary[];
  /** Every table of the file that is not a legacy table, counted (a dump may hold a million). */
  readonly otherTables: OtherTables;
  /** The legacy tables' sequences, and the first OTHER_TABLES_LISTED of the others. */
  readonly setvals: readonly SetvalSummary[];
  /** The other sequences set, counted only. */
  readonly setvalsNotListed: number;
}

/** Tables that are not ours: what is kept of them, so that memory does not grow with their number. */
export interface OtherTables {
  readonly count: number;
  readonly rows: number;
  readonly bytes: number;
  /** How many of them are in `tables` (the first ones). */
  readonly listed: number;
}

/** How many of the tables (and sequences) that are not ours a file's summary names; the rest are counted. */
export const OTHER_TABLES_LISTED = 10;

export interface LegacyDump {
  readonly files: readonly InputFileSummary[];
  readonly coaches: readonly CoachRecord[];
  readonly categories: readonly CategoryRecord[];
  readonly prompts: readonly PromptRecord[];
  readonly variables: readonly VariableRecord[];
  readonly systems: readonly SystemRecord[];
  /** Collected only when no onImage callback was given. */
  readonly images: readonly ImageRecord[];
  readonly imageCount: number;
  /** Bytes of the longest row read (as written in the dump), images included. */
  readonly largestRowBytes: number;
  /** Every tls_image id read (for reference checks), whether or not images were collected. */
  readonly imageIds: ReadonlySet<number>;
  /** Which file each legacy table came from. */
  readonly sources: Readonly<Partial<Record<LegacyTableName, string>>>;
  /** Which schema dump defined each legacy table (its CREATE TABLE), if one did. */
  readonly defined: Readonly<Partial<Record<LegacyTableName, string>>>;
  readonly findings: readonly Finding[];
}

/** What has been read when an image arrives. */
export interface ReadSoFar {
  /** Legacy tables whose data has been read in full. */
  readonly complete: ReadonlySet<LegacyTableName>;
  readonly coaches: readonly CoachRecord[];
  readonly categories: readonly CategoryRecord[];
}

/** Where an image row is in its file: readImagesAgain() reads it from there, and nothing else. */
export interface ImagePlace extends RowPlace {
  readonly id: number;
  readonly source: ImageSource;
}

/** One file's tls_image data: how to read its rows again. */
interface ImageSource {
  readonly file: DumpFile;
  readonly stats: ReadStats;
  readonly schema: LegacySchema;
  readonly build: RecordBuilder;
}

export interface ReadLegacyOptions {
  /**
   * Receives each tls_image record as it is read; then images are not collected. `complete` holds the
   * legacy tables whose data has been read in full so far (a consumer that needs the coaches' and
   * categories' references knows whether it has them yet); `place` says where the row is, so that a
   * consumer that cannot tell yet whether it needs the image can let it go and read it again later.
   */
  readonly onImage?: (image: ImageRecord, soFar: ReadSoFar, place: ImagePlace) => void | Promise<void>;
  readonly chunkSize?: number;
  /** Checked between chunks: an aborted read stops with an INTERRUPTED error naming the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Schema dumps first, so their types apply to the data read after them. */
function schemaFirst(files: DumpFile[]): DumpFile[] {
  const isSchema = (f: DumpFile): number => (/schema/i.test(f.name) ? 0 : 1);
  return [...files].sort((a, b) => isSchema(a) - isSchema(b));
}

export async function readLegacyDump(paths: readonly string[], opts: ReadLegacyOptions = {}): Promise<LegacyDump> {
  const files = schemaFirst(await listDumpFiles(paths));
  const findings: Finding[] = [];
  // Tables that are not legacy tables are only counted: their rows are checked, not decoded into values.
  let schema = new LegacySchema(BUILTIN_SCHEMA, 'check');
  const collected: { [T in LegacyTableName]: LegacyRecordOf[T][] } = { tls_image: [], tls_coach: [], tls_category: [], tls_prompt: [], tls_variable: [], tls_system: [] };
  const sources: Partial<Record<LegacyTableName, string>> = {};
  const defined: Partial<Record<LegacyTableName, string>> = {};
  const summaries: InputFileSummary[] = [];
  let imageCount = 0;
  let largestRowBytes = 0;
  const imageIds = new Set<number>();
  const complete = new Set<LegacyTableName>();
  const soFar: ReadSoFar = { complete, coaches: collected.tls_coach, categories: collected.tls_category };
  // tables that are not ours: each checked where its data begins against the schema dump's CREATE TABLEs
  const declared = new Set<string>();
  const schemaFiles = new Set<string>();
  /** A legacy table's data is given once among all the inputs: a second time is an error, not a merge. */
  const claim = (legacy: LegacyTableName, file: string, line: number): void => {
    const prior = sources[legacy];
    if (prior !== undefined) {
      const where = prior === file ? `twice in ${file}` : `in both ${prior} and ${file}`;
      throw new MigrateError('TABLE_DUPLICATE', `the data of ${legacy} is ${where}: give each table once`, { file, line, table: legacy });
    }
    sources[legacy] = file;
  };

  for (const file of files) {
    const stats: ReadStats = { sha256: '', fileBytes: 0, sqlBytes: 0, gzip: false };
    const tables: TableSummary[] = [];
    const setvals: SetvalSummary[] = [];
    let otherSetvalsListed = 0;
    let setvalsNotListed = 0;
    const others = { count: 0, rows: 0, bytes: 0, listed: 0 };
    const createTables: CreateTableText[] = [];
    let createTablesSeen = 0;
    let pgDumpVersion: string | null = null;
    let serverVersion: string | null = null;
    let encoding: ClientEncoding | null = null;
    let restrictKey = false;
    let connect = false;
    let current: { legacy: LegacyTableName | null; build: RecordBuilder | null; start: DumpEvent & { kind: 'data-start' }; lineOfId: Map<number, number>; images: ImageSource | null } | null = null;
    // Tables pg_dump's table of contents announced whose data has not begun yet. In the INSERT forms an empty
    // table has its entry and no statement: it is empty, not missing (docs/reading.md).
    let announced: (DumpEvent & { kind: 'table-data' })[] = [];
    const emptyTables = (except: DumpEvent & { kind: 'data-start' } | null): void => {
      for (const a of announced) {
        // an unqualified name (older pg_dump set search_path to public) is the public table its entry names
        if (except !== null && a.table.name === except.table.name && (a.table.schema ?? 'public') === (except.table.schema ?? 'public')) continue;
        const legacy = legacyTableOf(a.table);
        if (legacy !== null) {
          claim(legacy, file.name, a.line);
          complete.add(legacy);
        }
        tables.push({ table: tableNameText(a.table), legacy, form: 'insert', columns: [], rows: 0, bytes: 0, line: a.line });
      }
      announced = [];
    };

    for await (const batch of readDump(file, { tables: schema, stats, ...(opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}) })) {
      throwIfAborted(opts.signal, { file: file.name });
      for (const ev of batch) {
        switch (ev.kind) {
          case 'row': {
            if (ev.bytes > largestRowBytes) largestRowBytes = ev.bytes;
            const c = current!;
            if (c.build === null) break;
            let rec: object;
            try {
              rec = c.build(ev.values);
              validateLegacyRecord(c.legacy!, rec);
            } catch (e) {
              if (e instanceof MigrateError) throw e.withPosition({ file: file.name, line: ev.line });
              throw e;
            }
            // a primary key is unique in PostgreSQL: a repeated id is an edited or corrupted dump, never a row to migrate twice
            const id = (rec as { id: number }).id;
            const first = c.lineOfId.get(id);
            if (first !== undefined) {
              throw new MigrateError('KEY_DUPLICATE', `${c.legacy} id ${id} appears twice, at lines ${first} and ${ev.line}; its primary key is unique in the database, so this dump was edited or damaged`, { file: file.name, line: ev.line, table: c.legacy!, column: 'id' });
            }
            c.lineOfId.set(id, ev.line);
            if (c.legacy === 'tls_image') {
              imageCount++;
              imageIds.add((rec as ImageRecord).id);
              if (opts.onImage !== undefined) await opts.onImage(rec as ImageRecord, soFar, imagePlace(current!, ev, id));
              else collected.tls_image.push(rec as ImageRecord);
            } else (collected[c.legacy!] as object[]).push(rec);
            break;
          }
          case 'table-data':
            announced.push(ev);
            break;
          case 'data-start': {
            emptyTables(ev);
            const legacy = legacyTableOf(ev.table);
            let build: RecordBuilder | null = null;
            if (legacy !== null) {
              if (!ev.columnsFromHeader && defined[legacy] === undefined) throw columnOrderUnknown(legacy, file.name, ev.line, createTables);
              claim(legacy, file.name, ev.line);
              build = recordBuilder(schema.tables[legacy], ev.columns, file.name, ev.line, findings);
              if (!ev.columnsFromHeader) findings.push({ severity: 'info', code: 'dump.columns.positional', subject: `${file.name}:${legacy}`, message: `${legacy} was dumped with --inserts (no column names): values were mapped to columns in the order ${defined[legacy]} gives` });
            }
            if (legacy === null) checkOtherTable({ table: ev.table, file: file.name, line: ev.line }, declared, schemaFiles);
            current = { legacy, build, start: ev, lineOfId: new Map(), images: legacy === 'tls_image' && build !== null ? { file, stats, schema, build } : null };
            break;
          }
          case 'data-end': {
            const s = current!.start;
            // the tables that are not ours are counted; only the first few are kept by name
            const listed = current!.legacy !== null || others.listed < OTHER_TABLES_LISTED;
            if (current!.legacy === null) {
              others.count++;
              others.rows += ev.rows;
              others.bytes += ev.bytes;
              if (listed) others.listed++;
            }
            if (listed) tables.push({ table: tableNameText(s.table), legacy: current!.legacy, form: s.form, columns: s.columns, rows: ev.rows, bytes: ev.bytes, line: s.line });
            if (current!.legacy !== null) complete.add(current!.legacy);
            current = null;
            break;
          }
          case 'version':
            if (ev.which === 'pg_dump') pgDumpVersion = ev.version;
            else serverVersion = ev.version;
            break;
          case 'encoding':
            encoding = ev.encoding;
            break;
          case 'restrict':
            restrictKey = true;
            break;
          case 'connect':
            connect = true;
            break;
          case 'setval': {
            checkSetvalSequence({ sequence: ev.sequence, file: file.name, line: ev.line }, declared);
            const m = /^(?:public\.)?(.+)_id_seq$/.exec(ev.sequence);
            const table = m?.[1] ?? null;
            const ours = table !== null && isLegacyTable(table);
            if (ours || otherSetvalsListed < OTHER_TABLES_LISTED) {
              setvals.push({ sequence: ev.sequence, value: ev.value, isCalled: ev.isCalled, table });
              if (!ours) otherSetvalsListed++;
            } else setvalsNotListed++;
            break;
          }
          case 'create-table':
            declared.add(qualifiedText(ev.table));
            schemaFiles.add(file.name);
            // only the legacy tables' definitions are read (schemaFromDump); the others are counted
            createTablesSeen++;
            if (/tls_/i.test(ev.sql)) createTables.push({ sql: ev.sql, file: file.name, line: ev.line });
            break;
        }
      }
    }
    emptyTables(null);
    if (createTablesSeen > 0) {
      const known = createTables;
      const fromDump = await schemaFromDump(known);
      for (const t of LEGACY_TABLES) {
        if (sources[t] !== undefined && known.some((k) => new RegExp(`\\b${t}\\b`).test(k.sql))) {
          findings.push({ severity: 'warning', code: 'schema.after.data', subject: file.name, message: `${file.name} defines ${t} but its data was read before it, with the built-in types; list the schema dump first` });
        }
      }
      findings.push(...fromDump.findings);
      schema = new LegacySchema(fromDump.tables, 'check');
      for (const t of LEGACY_TABLES) delete defined[t]; // as the schema: the last schema dump read decides
      for (const t of fromDump.declared) defined[t] = file.name;
    }
    summaries.push({
      name: file.name,
      sha256: stats.sha256,
      fileBytes: stats.fileBytes,
      sqlBytes: stats.sqlBytes,
      gzip: stats.gzip,
      pgDumpVersion,
      serverVersion,
      encoding,
      restrictKey,
      connect,
      createTables: createTablesSeen,
      tables,
      otherTables: others,
      setvals,
      setvalsNotListed,
    });
  }

  return {
    files: [...summaries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    coaches: collected.tls_coach,
    categories: collected.tls_category,
    prompts: collected.tls_prompt,
    variables: collected.tls_variable,
    systems: collected.tls_system,
    images: collected.tls_image,
    imageCount,
    largestRowBytes,
    imageIds,
    sources,
    defined,
    findings,
  };
}

/**
 * Plain `--inserts` (and `--rows-per-insert`) name no columns: the values are in the table's physical order,
 * which only its CREATE TABLE tells. Ours is production's as built, but a column added later (ALTER TABLE ADD
 * COLUMN) or a table made in another order would put values in the wrong columns, and two text columns
 * swapped (description and intro) would pass every check. So without a schema dump read before the data,
 * such a table is refused.
 */
function columnOrderUnknown(legacy: LegacyTableName, file: string, line: number, thisFile: readonly CreateTableText[]): MigrateError {
  const here = thisFile.some((c) => new RegExp(`\\b${legacy}\\b`).test(c.sql))
    ? `; its CREATE TABLE in this same file counts only after the file's data, so give the schema as its own pg_dump --schema-only file`
    : '';
  return new MigrateError(
    'COLUMN_ORDER_UNKNOWN',
    `the INSERTs of ${legacy} name no columns (pg_dump --inserts) and no schema dump read before them defines ${legacy}, so which value belongs to which column cannot be known${here}: add the schema dump (pg_dump --schema-only, totalis_schema.sql) to the inputs, or dump the data with --column-inserts`,
    { file, line, table: legacy },
  );
}

type RecordBuilder = (values: readonly Value[]) => object;

function imagePlace(block: { start: DumpEvent & { kind: 'data-start' }; images: ImageSource | null }, row: DumpEvent & { kind: 'row' }, id: number): ImagePlace {
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
 * The images at these places, read again from their files (read-again.ts): each checked as on the first
 * read, and against the id it had then (a file changed in between is an error, not another image).
 */
export async function* readImagesAgain(places: readonly ImagePlace[]): AsyncGenerator<ImageRecord> {
  const bySource = new Map<ImageSource, ImagePlace[]>();
  for (const p of places) {
    const list = bySource.get(p.source);
    if (list === undefined) bySource.set(p.source, [p]);
    else list.push(p);
  }
  for (const [source, mine] of bySource) {
    for await (const { place, values } of readRowsAgain(source.file, source.stats.gzip, mine, source.schema)) {
      const rec = source.build(values) as ImageRecord;
      try {
        validateLegacyRecord('tls_image', rec);
      } catch (e) {
        if (e instanceof MigrateError) throw e.withPosition({ file: source.file.name, line: place.at.line });
        throw e;
      }
      if (rec.id !== place.id) {
        throw new MigrateError('INPUT_IO', `the file changed while it was being read: tls_image id ${place.id} was at line ${place.at.line}, id ${rec.id} is there now`, { file: source.file.name, line: place.at.line });
      }
      yield rec;
    }
  }
}

/**
 * Maps the dump's columns (by name, never by position) onto the table's definition, once per table.
 * A required column the dump lacks stops the run; an optional one reads as NULL; an extra one is reported.
 */
function recordBuilder(def: LegacyTableDef, dumpColumns: readonly string[], file: string, line: number, findings: Finding[]): RecordBuilder {
  const index = def.columns.map((c) => dumpColumns.indexOf(c.name));
  def.columns.forEach((c, i) => {
    if (index[i] !== -1) return;
    if (def.required.includes(c.name)) {
      throw new MigrateError('COLUMN_MISSING', `the dump of ${def.name} has no column ${c.name}, which the mapping needs (columns in the dump: ${dumpColumns.join(', ')})`, { file, line, table: def.name, column: c.name });
    }
    findings.push({ severity: 'warning', code: 'dump.column.missing', subject: `${file}:${def.name}.${c.name}`, message: `the dump of ${def.name} has no column ${c.name}; it reads as NULL` });
  });
  for (const c of dumpColumns) {
    if (!def.columns.some((d) => d.name === c)) findings.push({ severity: 'warning', code: 'dump.column.unknown', subject: `${file}:${def.name}.${c}`, message: `the dump of ${def.name} has a column ${c} that the schema does not know; it is not migrated` });
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
