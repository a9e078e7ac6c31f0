/**
 * Reads dump files into typed legacy records: finds each legacy table wherever it is among the inputs,
 * maps columns by the dump's own column names, checks every record against its JSON Schema, and reports
 * what it noticed (unknown columns, schema differences) as findings. Images can be streamed to a callback
 * so that a dump with thousands of multi-MB images is never held in memory.
 */
import { MigrateError, throwIfAborted } from '../errors.js';
import { listDumpFiles, readDump, type DumpFile, type ReadStats } from '../dump/read-dump.js';
import { readRowsAgain } from '../dump/read-again.js';
import type { ImagePlace, ImageSource, InputFileSummary, LegacyDump, OnImage } from './legacy-dump.js';
import type { ImageRecord } from './records.js';
import { FileReader } from './file-reader.js';
import { LegacyRun } from './legacy-run.js';
import { validateLegacyRecord } from './validate.js';

export {
  OTHER_TABLES_LISTED,
  type ImagePlace,
  type InputFileSummary,
  type LegacyDump,
  type OtherTables,
  type ReadSoFar,
  type SetvalSummary,
  type TableSummary,
} from './legacy-dump.js';

export interface ReadLegacyOptions {
  /**
   * Receives each tls_image record as it is read; then images are not collected. `complete` holds the
   * legacy tables whose data has been read in full so far (a consumer that needs the coaches' and
   * categories' references knows whether it has them yet); `place` says where the row is, so that a
   * consumer that cannot tell yet whether it needs the image can let it go and read it again later.
   */
  readonly onImage?: OnImage;
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
  const run = new LegacyRun(opts.onImage);
  const summaries: InputFileSummary[] = [];
  for (const file of files) {
    const stats: ReadStats = { sha256: '', fileBytes: 0, sqlBytes: 0, gzip: false };
    const reader = new FileReader(run, file, stats);
    // the schema in force when the file begins: a schema dump read before it replaced the built-in one
    for await (const batch of readDump(file, {
      tables: run.schema,
      stats,
      ...(opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}),
    })) {
      throwIfAborted(opts.signal, { file: file.name });
      for (const ev of batch) await reader.handle(ev);
    }
    summaries.push(await reader.finish());
  }
  return run.result(summaries);
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
        throw new MigrateError(
          'INPUT_IO',
          `the file changed while it was being read: tls_image id ${place.id} was at line ${place.at.line}, id ${rec.id} is there now`,
          { file: source.file.name, line: place.at.line },
        );
      }
      yield rec;
    }
  }
}
