/**
 * The I/O side of reading dumps: which files, opening them (gzip recognised by its magic bytes, not its
 * name), streaming their bytes through the parser in bounded memory, and hashing them on the way.
 */
import { closeSync, constants, createReadStream, openSync, readSync, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { MigrateError } from '../errors.js';
import { printable } from '../printable.js';
import { DumpParser } from './dump-parser.js';
import { sha256OfFile } from './hash-file.js';
import type { DumpEvent, TableResolver } from './events.js';

export interface DumpFile {
  /** The path as given (or joined from the directory given): used to open the file. */
  readonly path: string;
  /** The file name alone, control characters escaped (printable.ts): what reports, generated files and errors show (never a machine path). */
  readonly name: string;
}

/** Files and directories → the dump files they hold (`*.sql`, `*.sql.gz`), directories sorted by name. */
export async function listDumpFiles(paths: readonly string[]): Promise<DumpFile[]> {
  if (paths.length === 0)
    throw new MigrateError('INPUT_NOT_FOUND', 'no input given: name dump files or a directory of them');
  const files: DumpFile[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new MigrateError('INPUT_NOT_FOUND', 'no such file or directory', { file: p });
    }
    if (st.isDirectory()) {
      const all = await readdir(p);
      if (all.includes('toc.dat')) throw directoryArchive(p);
      const names = all.filter((n) => /\.sql(\.gz)?$/i.test(n)).sort();
      if (names.length === 0)
        throw new MigrateError('INPUT_NO_DUMPS', `directory ${printable(p)} holds no dump files (*.sql or *.sql.gz)`, {
          file: p,
        });
      for (const n of names) {
        const full = join(p, n);
        // a `.sql` name says nothing of what is there: a FIFO, a device or a folder is refused before it is opened
        await requireRegularFile(full, n);
        files.push({ path: full, name: printable(n) });
      }
    } else {
      if (!st.isFile()) throw notAFile(p, st);
      // one table's data file of a directory-format archive: COPY data without its COPY statement
      if (/^\d+\.dat(\.gz)?$/.test(basename(p)) && (await stat(join(dirname(p), 'toc.dat')).catch(() => null)) !== null)
        throw directoryArchive(dirname(p), basename(p));
      files.push({ path: p, name: printable(basename(p)) });
    }
  }
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.name))
      throw new MigrateError('INPUT_NOT_FOUND', `two inputs are named ${f.name}; give each dump file once`, {
        file: f.name,
      });
    seen.add(f.name);
  }
  return files;
}

/**
 * Only a regular file is read. A device (/dev/zero, /dev/urandom) never ends, a FIFO without a writer blocks
 * its opener for ever and one with a writer cannot be read twice (the hash and the parser each read the
 * input), and a folder is not a dump: each is refused from its stat (which follows symlinks and never blocks),
 * before anything opens it.
 */
async function requireRegularFile(path: string, name: string): Promise<void> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    throw inputIoError({ path, name }, e);
  }
  if (!st.isFile()) throw notAFile(name, st);
}

function notAFile(name: string, st: Stats): MigrateError {
  const what = st.isDirectory()
    ? 'a directory'
    : st.isFIFO()
      ? 'a named pipe (FIFO)'
      : st.isCharacterDevice()
        ? 'a character device (like /dev/zero)'
        : st.isBlockDevice()
          ? 'a block device'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
  return new MigrateError(
    'INPUT_NOT_A_FILE',
    `this is ${what}, not a regular file: give the dump file itself (save a stream to a file first)`,
    { file: name },
  );
}

/** pg_dump -Fd writes a folder of toc.dat and one NNNN.dat(.gz) per table: only pg_restore reads it. */
function directoryArchive(dir: string, member?: string): MigrateError {
  const what =
    member === undefined
      ? `${printable(dir)} is a pg_dump directory-format archive (-Fd: toc.dat and a .dat file per table)`
      : `${printable(member)} is one table's data file of a pg_dump directory-format archive (-Fd; its toc.dat is beside it)`;
  return new MigrateError(
    'INPUT_ARCHIVE_FORMAT',
    `${what}, not plain SQL: convert the whole folder with \`pg_restore -f plain.sql ${printable(dir)}\` and give plain.sql, or dump with --format=plain`,
    { file: member ?? dir },
  );
}

export interface ReadStats {
  /** sha256 of the file as stored (compressed bytes for .gz). */
  sha256: string;
  /** Bytes of the file as stored. */
  fileBytes: number;
  /** Bytes of SQL text (after decompression). */
  sqlBytes: number;
  gzip: boolean;
}

export interface ReadOptions {
  readonly tables: TableResolver;
  /** Read size; the parser handles any. */
  readonly chunkSize?: number;
  /** Filled in as the file is read; complete once iteration ends. */
  readonly stats?: ReadStats;
}

/** Whether the file is gzip; refuses what is not a regular file (again: it may have been replaced since it was listed). */
async function isGzip(file: DumpFile): Promise<boolean> {
  // O_NONBLOCK: opening a FIFO without a writer would otherwise wait for one for ever
  const fh = await open(file.path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw notAFile(file.name, st);
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** The file's events, in batches (one per chunk read), in order. */
export async function* readDump(file: DumpFile, opts: ReadOptions): AsyncGenerator<readonly DumpEvent[]> {
  const stats: ReadStats = opts.stats ?? { sha256: '', fileBytes: 0, sqlBytes: 0, gzip: false };
  let gzip: boolean;
  try {
    gzip = await isGzip(file);
  } catch (e) {
    if (e instanceof MigrateError) throw e;
    throw inputIoError(file, e);
  }
  stats.gzip = gzip;
  // the file's hash is computed alongside (on another thread for large files), not by the parser
  const hash = sha256OfFile(file.path);
  try {
    const parser = new DumpParser({ file: file.name, tables: opts.tables });
    const chunkSize = opts.chunkSize ?? 1 << 20;
    if (gzip) yield* gunzipped(file, parser, chunkSize, stats);
    else yield* plain(file, parser, chunkSize, stats);
    const events: DumpEvent[] = [];
    if (stats.sqlBytes === 0 && gzip)
      throw new MigrateError('INPUT_EMPTY', 'the gzip file holds no data: expected pg_dump plain-text output', {
        file: file.name,
      });
    parser.end(events);
    requireComplete(events[events.length - 1]!, file);
    try {
      stats.sha256 = await hash.sha256;
    } catch (e) {
      throw inputIoError(file, e);
    }
    if (events.length > 0) yield events;
  } finally {
    // a read that stopped early (an error, or the consumer left) leaves no hashing behind: the hash stops at its
    // next read and closes the file before this returns (the input is a regular file: that read ends)
    hash.cancel();
    await hash.sha256.catch(() => undefined);
  }
}

/**
 * A plain file, read synchronously into one buffer used again and again (the parser copies what it still
 * needs before push() returns), with a turn of the event loop between chunks so that image writes move on.
 *
 * Not fs/promises' reads: those run in libuv's thread pool, and so do the image writes (open, write,
 * ftruncate, close for each of hundreds of files), so each read waited in that queue. Blocking is no slower
 * from a cold page cache either (the kernel reads ahead). The measurements: docs/performance.md, "Blocking
 * reads of the dump".
 */
async function* plain(
  file: DumpFile,
  parser: DumpParser,
  chunkSize: number,
  stats: ReadStats,
): AsyncGenerator<DumpEvent[]> {
  let fd: number;
  try {
    fd = openSync(file.path, 'r');
  } catch (e) {
    throw inputIoError(file, e);
  }
  const buf = Buffer.allocUnsafe(chunkSize);
  try {
    for (;;) {
      await nextTurn();
      let n: number;
      try {
        n = readSync(fd, buf, 0, chunkSize, null);
      } catch (e) {
        throw inputIoError(file, e);
      }
      if (n === 0) return;
      stats.fileBytes += n;
      stats.sqlBytes += n;
      const events: DumpEvent[] = [];
      parser.push(buf.subarray(0, n), events);
      if (events.length > 0) yield events;
    }
  } finally {
    closeSync(fd);
  }
}

/** A gzip file, through zlib's stream (which hands out fresh chunks). */
async function* gunzipped(
  file: DumpFile,
  parser: DumpParser,
  chunkSize: number,
  stats: ReadStats,
): AsyncGenerator<DumpEvent[]> {
  const raw = createReadStream(file.path, { highWaterMark: chunkSize });
  raw.on('data', (c) => {
    stats.fileBytes += (c as Buffer).length;
  });
  const source = raw.pipe(createGunzip({ chunkSize: Math.max(64, chunkSize) }));
  raw.on('error', (e) => source.destroy(e));
  try {
    for await (const chunk of source) {
      const events: DumpEvent[] = [];
      stats.sqlBytes += (chunk as Buffer).length;
      parser.push(chunk as Buffer, events);
      if (events.length > 0) yield events;
    }
  } catch (e) {
    raw.destroy();
    if (e instanceof MigrateError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_') || /unexpected end of file|incorrect header|invalid/i.test(String(e))) {
      throw new MigrateError('INPUT_GZIP_CORRUPT', `corrupt or truncated gzip data (${(e as Error).message})`, {
        file: file.name,
      });
    }
    throw inputIoError(file, e);
  }
}

/**
 * pg_dump writes its footer (and then `\unrestrict`, 15.14+) only after everything else succeeded; a dump
 * that failed part-way (an encoding error, a lost connection, a full disk) or was cut short lacks them, and
 * may still end with a whole COPY block of 0 rows. Such a file is refused: it would migrate a smaller dataset.
 */
function requireComplete(last: DumpEvent, file: DumpFile): void {
  if (last.kind !== 'input-end') return;
  const again = 'dump again, and check that pg_dump exits with status 0';
  if (!last.complete) {
    const restrict =
      last.openRestrict !== null ? ` nor the \\unrestrict that closes its \\restrict of line ${last.openRestrict}` : '';
    throw new MigrateError(
      'DUMP_INCOMPLETE',
      `pg_dump did not finish this file: it does not end with pg_dump's "-- PostgreSQL database dump complete" footer${restrict} (pg_dump failed part-way, or the file was cut short or edited); ${again}`,
      { file: file.name, line: last.line },
    );
  }
  if (last.openRestrict !== null) {
    throw new MigrateError(
      'DUMP_INCOMPLETE',
      `pg_dump did not finish this file: the \\restrict of line ${last.openRestrict} is not closed by \\unrestrict (pg_dump writes it last; the file was cut short or edited); ${again}`,
      { file: file.name, line: last.line },
    );
  }
}

/** An input that cannot be read, with the system's own error code. */
export function inputIoError(file: DumpFile, e: unknown): MigrateError {
  const err = e as NodeJS.ErrnoException;
  return new MigrateError('INPUT_IO', `cannot read: ${err.code ?? ''} ${err.message}`.trim(), { file: file.name });
}
