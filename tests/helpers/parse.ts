/** Test helpers: run the parser over bytes with any chunking, and build small dumps. */
import { DumpParser } from '../../lib/dump/dump-parser.js';
import { decoderFor } from '../../lib/dump/column-decoders.js';
import type { DumpEvent, TableResolver } from '../../lib/dump/events.js';
import type { ColumnType } from '../../lib/dump/values.js';
import { MigrateError } from '../../lib/errors.js';

/** A resolver with the given column types by name (anything else is text). */
export function resolver(types: Record<string, ColumnType> = {}, columns?: string[]): TableResolver {
  return {
    columnsOf: () => columns,
    decodersOf: (_t, cols) => cols.map((c) => decoderFor(types[c] ?? 'text')),
  };
}

/**
 * Parses `input` fed in chunks of `chunk` bytes (or at the given cut points). `reuse`: every chunk is read
 * into the same buffer, which is scribbled over after each push, as read-dump.ts reuses its read buffer (the
 * parser must have copied whatever it still needs).
 */
export function parseAll(
  input: Buffer | string,
  opts: { chunk?: number; cuts?: number[]; tables?: TableResolver; file?: string; reuse?: boolean } = {},
): DumpEvent[] {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const p = new DumpParser({ file: opts.file ?? 'test.sql', tables: opts.tables ?? resolver() });
  const out: DumpEvent[] = [];
  const shared = opts.reuse === true ? Buffer.alloc(buf.length) : null;
  const feed = (from: number, to: number): void => {
    if (shared === null) return p.push(Buffer.from(buf.subarray(from, to)), out);
    buf.copy(shared, 0, from, to);
    p.push(shared.subarray(0, to - from), out);
    shared.fill(0xee);
  };
  const cuts = opts.cuts ?? [];
  if (cuts.length > 0) {
    let prev = 0;
    for (const c of [...cuts, buf.length]) {
      feed(prev, c);
      prev = c;
    }
  } else {
    const step = opts.chunk ?? buf.length;
    for (let i = 0; i < buf.length; i += step) feed(i, Math.min(buf.length, i + step));
  }
  p.end(out);
  return out;
}

export function rowsOf(events: readonly DumpEvent[]): unknown[][] {
  return events.flatMap((e) => (e.kind === 'row' ? [e.values.map(norm)] : []));
}

/** Buffers as `hex:...` so that t.same compares them readably. */
export function norm(v: unknown): unknown {
  return Buffer.isBuffer(v) ? `hex:${v.toString('hex')}` : v;
}

/** What pg_dump writes last, once everything else succeeded (a file without it is refused as unfinished). */
export const DUMP_FOOTER = '--\n-- PostgreSQL database dump complete\n--\n\n';

/** A data-only dump with one COPY block, complete with pg_dump's footer. */
export function copyDump(
  table: string,
  columns: string[],
  lines: string[],
  opts: { eol?: string; header?: string } = {},
): string {
  const eol = opts.eol ?? '\n';
  const head = opts.header ?? `SET client_encoding = 'UTF8';${eol}SET standard_conforming_strings = on;${eol}${eol}`;
  return `${head}COPY public.${table} (${columns.join(', ')}) FROM stdin;${eol}${lines.map((l) => l + eol).join('')}\\.${eol}${eol}${DUMP_FOOTER.replaceAll('\n', eol)}`;
}

/** The MigrateError `fn` throws (fails the test helper's caller if it throws anything else). */
export function errorOf(fn: () => unknown): MigrateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MigrateError) return e;
    throw e;
  }
  throw new Error('expected a MigrateError, but nothing was thrown');
}

export async function asyncErrorOf(fn: () => Promise<unknown>): Promise<MigrateError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof MigrateError) return e;
    throw e;
  }
  throw new Error('expected a MigrateError, but nothing was thrown');
}
