/**
 * Reads a few rows of a dump again by where they are, without reading the rest: pg_dump writes tls_image
 * before tls_coach (the coaches' foreign keys point at it), so which images matter is known only after they
 * streamed by. The reader notes each image row's place as it passes; the few that turn out to be referenced
 * are read again from here. A plain file: one positioned read per row. A gzip file cannot be read from the
 * middle, so it is inflated once more up to the last row wanted; only those rows are parsed, nothing is
 * hashed again.
 */
import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { MigrateError } from '../errors.js';
import { DumpParser } from './dump-parser.js';
import type { DumpEvent, ResumePoint, TableResolver } from './events.js';
import { inputIoError as ioError, type DumpFile } from './read-dump.js';
import type { Value } from './values.js';

/** A row's place, as its row event gave it. */
export interface RowPlace {
  readonly at: ResumePoint;
  readonly span: number;
  readonly tuple: number;
}

/** Each place's row values, in order of offset (rows of one INSERT statement in tuple order). */
export async function* readRowsAgain<P extends RowPlace>(
  file: DumpFile,
  gzip: boolean,
  places: readonly P[],
  tables: TableResolver,
): AsyncGenerator<{ place: P; values: readonly Value[] }> {
  const sorted = [...places].sort((a, b) => a.at.offset - b.at.offset || a.tuple - b.tuple);
  const texts = gzip ? inflatedRanges(file, sorted) : positionedReads(file, sorted);
  for await (const [place, text] of texts) yield { place, values: rowAt(file, place, text, tables) };
}

function rowAt(file: DumpFile, place: RowPlace, text: Buffer, tables: TableResolver): readonly Value[] {
  const parser = new DumpParser({ file: file.name, tables });
  parser.resume(place.at);
  const events: DumpEvent[] = [];
  parser.push(text, events);
  // a COPY line is followed by the end marker unless it held one itself (`…\.` ends the last row's line)
  if (place.at.copy !== undefined && !events.some((e) => e.kind === 'data-end')) {
    parser.push(Buffer.from(text.subarray(-2).toString('latin1') === '\r\n' ? '\\.\r\n' : '\\.\n', 'latin1'), events);
  }
  parser.end(events);
  const rows = events.filter((e) => e.kind === 'row');
  const row = rows[place.tuple];
  if (row === undefined || row.kind !== 'row') throw changed(file, place);
  return row.values;
}

async function* positionedReads<P extends RowPlace>(file: DumpFile, places: readonly P[]): AsyncGenerator<[P, Buffer]> {
  const fh = await open(file.path, 'r').catch((e: unknown) => Promise.reject(ioError(file, e)));
  try {
    let last: { offset: number; text: Buffer } | null = null;
    for (const p of places) {
      if (last === null || last.offset !== p.at.offset) {
        const text = Buffer.allocUnsafe(p.span);
        const { bytesRead } = await fh
          .read(text, 0, p.span, p.at.offset)
          .catch((e: unknown) => Promise.reject(ioError(file, e)));
        if (bytesRead !== p.span) throw changed(file, p);
        last = { offset: p.at.offset, text };
      }
      yield [p, last.text];
    }
  } finally {
    await fh.close();
  }
}

async function* inflatedRanges<P extends RowPlace>(file: DumpFile, places: readonly P[]): AsyncGenerator<[P, Buffer]> {
  if (places.length === 0) return;
  const raw = createReadStream(file.path);
  const sql = raw.pipe(createGunzip());
  raw.on('error', (e) => sql.destroy(e));
  let at = 0; // offset in the SQL text of the chunk's first byte
  let i = 0;
  let text: Buffer | null = null; // the range being gathered
  let filled = 0;
  try {
    for await (const chunk of sql as AsyncIterable<Buffer>) {
      let from = 0;
      while (i < places.length) {
        const p = places[i]!;
        const start = p.at.offset;
        if (text === null) {
          if (start >= at + chunk.length) break; // begins in a later chunk
          text = Buffer.allocUnsafe(p.span);
          filled = 0;
          from = start - at;
        }
        const n = chunk.copy(text, filled, from, Math.min(chunk.length, from + p.span - filled));
        filled += n;
        if (filled < p.span) break; // continues in the next chunk
        yield [p, text];
        // the next rows of the same INSERT statement share these bytes
        while (i + 1 < places.length && places[i + 1]!.at.offset === start) yield [places[++i]!, text];
        i++;
        text = null;
        from = 0;
      }
      if (i >= places.length) return;
      at += chunk.length;
    }
  } catch (e) {
    if (e instanceof MigrateError) throw e;
    throw ioError(file, e);
  } finally {
    raw.destroy();
    sql.destroy();
  }
  if (i < places.length) throw changed(file, places[i]!);
}

function changed(file: DumpFile, place: RowPlace): MigrateError {
  return new MigrateError(
    'INPUT_IO',
    `the file changed while it was being read: the row read at line ${place.at.line} is no longer where it was`,
    { file: file.name, line: place.at.line },
  );
}
