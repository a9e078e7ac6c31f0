/**
 * What reading the dumps gives (LegacyDump: the records, and what report.md and review.html say about each
 * input file) and the types the reader's parts share. Tables that are not ours are counted past the first few,
 * so that a file's summary does not grow with their number.
 */
import type { DataForm } from '../dump/events.js';
import type { ClientEncoding } from '../dump/encoding.js';
import type { DumpFile, ReadStats } from '../dump/read-dump.js';
import type { RowPlace } from '../dump/read-again.js';
import type { Value } from '../dump/values.js';
import type { Finding } from '../findings.js';
import type {
  CategoryRecord,
  CoachRecord,
  ImageRecord,
  PromptRecord,
  SystemRecord,
  VariableRecord,
} from './records.js';
import type { LegacySchema, LegacyTableName } from './schema.js';

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
export interface ImageSource {
  readonly file: DumpFile;
  readonly stats: ReadStats;
  readonly schema: LegacySchema;
  readonly build: RecordBuilder;
}

export type RecordBuilder = (values: readonly Value[]) => object;

/** Receives each tls_image record as it is read (ReadLegacyOptions.onImage). */
export type OnImage = (image: ImageRecord, soFar: ReadSoFar, place: ImagePlace) => void | Promise<void>;
