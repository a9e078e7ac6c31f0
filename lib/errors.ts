/**
 * The one error class of the tool. Every failure a user can cause (bad input, bad options, a finding
 * that blocks the run) is a MigrateError with a stable code and, where it applies, a position. The CLI
 * prints `message` and exits non-zero; anything that is not a MigrateError is a bug and keeps its stack.
 */
import { printable } from './printable.js';

export type ErrorCode =
  // inputs and files
  | 'INPUT_NOT_FOUND'
  | 'INPUT_EMPTY'
  | 'INPUT_NO_DUMPS'
  | 'INPUT_BINARY'
  | 'INPUT_CUSTOM_FORMAT'
  | 'INPUT_ARCHIVE_FORMAT'
  | 'INPUT_GZIP_CORRUPT'
  | 'INPUT_NOT_A_DUMP'
  | 'DUMP_INCOMPLETE'
  | 'INPUT_IO'
  | 'INPUT_NOT_A_FILE'
  // encodings
  | 'ENCODING_UNSUPPORTED'
  | 'ENCODING_INVALID'
  // COPY text format
  | 'COPY_NO_END_MARKER'
  | 'COPY_END_MARKER_CORRUPT'
  | 'COPY_EXTRA_DATA'
  | 'COPY_MISSING_DATA'
  | 'COPY_LITERAL_CR'
  | 'COPY_LITERAL_NEWLINE'
  | 'COPY_BAD_HEADER'
  // SQL statements (INSERT forms, schema)
  | 'SQL_UNTERMINATED'
  | 'SQL_SYNTAX'
  | 'SQL_VALUE_COUNT'
  | 'SQL_VALUE_TYPE'
  | 'SQL_STATEMENT_UNKNOWN'
  | 'META_COMMAND_UNKNOWN'
  // values
  | 'VALUE_INTEGER'
  | 'VALUE_BIGINT'
  | 'VALUE_NUMERIC'
  | 'VALUE_BOOLEAN'
  | 'VALUE_BYTEA'
  | 'VALUE_TIMESTAMP'
  | 'VALUE_SCHEMA'
  // legacy tables
  | 'TABLE_MISSING'
  | 'TABLE_DUPLICATE'
  | 'TABLE_UNKNOWN'
  | 'SEQUENCE_UNKNOWN'
  | 'KEY_DUPLICATE'
  | 'COLUMN_MISSING'
  | 'COLUMN_ORDER_UNKNOWN'
  | 'SCHEMA_PARSE'
  // options, transform, output
  | 'OPTION_INVALID'
  | 'FINDINGS_BLOCK'
  | 'TARGET_INVALID'
  | 'OUTPUT_IO'
  | 'OUTPUT_BUSY'
  | 'INTERRUPTED'
  | 'DB_FAILED'
  | 'STORAGE_FAILED'
  | 'STORAGE_UNAVAILABLE'
  | 'VERIFY_MISMATCH';

/** Where in the input an error was found. All fields optional: an error names what it knows. */
export interface ErrorPosition {
  readonly file?: string;
  /** 1-based line number in the (decompressed) input. */
  readonly line?: number;
  /** 0-based byte offset of the start of that line in the (decompressed) input. */
  readonly byteOffset?: number;
  readonly table?: string;
  readonly column?: string;
  /** A short, printable excerpt of the offending input (never a whole multi-MB row). */
  readonly excerpt?: string;
}

export class MigrateError extends Error {
  override readonly name = 'MigrateError';
  readonly code: ErrorCode;
  readonly position: ErrorPosition;
  /** The problem alone, without the position; `message` is the full sentence users see. */
  readonly reason: string;

  constructor(code: ErrorCode, reason: string, position: ErrorPosition = {}) {
    super(formatMessage(code, reason, position));
    this.code = code;
    this.reason = reason;
    this.position = position;
  }

  /** The same error with more position filled in (fields already known win). */
  withPosition(more: ErrorPosition): MigrateError {
    return new MigrateError(this.code, this.reason, { ...more, ...definedOnly(this.position) });
  }
}

function definedOnly(p: ErrorPosition): ErrorPosition {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
  return out as ErrorPosition;
}

function formatMessage(code: ErrorCode, reason: string, p: ErrorPosition): string {
  const where: string[] = [];
  // a path the user gave may hold control characters: never printed raw (names made by read-dump.ts already are
  // escaped)
  if (p.file !== undefined) where.push(p.line !== undefined ? `${printable(p.file)}:${p.line}` : printable(p.file));
  else if (p.line !== undefined) where.push(`line ${p.line}`);
  if (p.table !== undefined) where.push(`table ${p.table}`);
  if (p.column !== undefined) where.push(`column ${p.column}`);
  let msg = where.length > 0 ? `${where.join(', ')}: ${reason}` : reason;
  if (p.excerpt !== undefined) msg += ` (near: ${p.excerpt})`;
  return `${msg} [${code}]`;
}

const EXCERPT_MAX = 60;

/** A printable excerpt of input bytes: control characters shown escaped, long input cut. */
export function excerptOf(src: Uint8Array, start: number, end: number): string {
  const stop = Math.min(end, start + EXCERPT_MAX * 4);
  const text = Buffer.from(src.buffer, src.byteOffset + start, Math.max(0, stop - start)).toString('utf8');
  return excerptOfText(text, end - start > stop - start);
}

export function excerptOfText(text: string, cut = false): string {
  let out = JSON.stringify(text.length > EXCERPT_MAX ? text.slice(0, EXCERPT_MAX) : text);
  if (cut || text.length > EXCERPT_MAX) out += '…';
  return out;
}

/**
 * A failure of the system to write the output (disk full, no permission, a folder in a file's place) as an
 * OUTPUT_IO error that says what could not be written, instead of an internal error with a stack trace.
 * Anything else (a bug) is returned as it is.
 */
export function outputError(e: unknown, what: string): unknown {
  if (e instanceof MigrateError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return e;
  return new MigrateError('OUTPUT_IO', `cannot write ${what}: ${(e as Error).message}`);
}

/** Throws INTERRUPTED (naming the signal, the abort's reason) if `signal` was aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, position: ErrorPosition = {}): void {
  if (signal?.aborted === true)
    throw new MigrateError('INTERRUPTED', `interrupted by ${String(signal.reason)}`, position);
}
