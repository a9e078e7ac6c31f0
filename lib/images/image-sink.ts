/**
 * Receives tls_image records as the reader streams them: measures the referenced ones (content type from
 * the bytes, sha256) and writes their bytes under images/<bucket>/<path>, once per bucket. Every other image
 * (users' photos) is only counted: never written, never kept.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { recycleBytea } from '../dump/bytea-memory.js';
import { outputError } from '../errors.js';
import { makeDir } from '../output/make-dir.js';
import type { ImageRecord } from '../legacy/records.js';
import type { ImageCounts, ImageFacts, ImageRef } from './image-facts.js';
export type { ImageCounts } from './image-facts.js';
import { sniffImage } from './content-type.js';
import { objectPath } from './object-path.js';
import { ImageFileWriter } from './direct-write.js';
import { writeImageFile } from './write-image.js';


export class ImageSink {
  readonly facts = new Map<number, ImageFacts>();
  readonly counts: ImageCounts = { referencedSeen: 0, unreferenced: 0, unreferencedBytes: 0, filesWritten: 0, bytesWritten: 0, filesLinked: 0 };
  private readonly madeDirs = new Set<string>();
  /** Writes under way: the parser goes on while the disk works, with at most MAX_PENDING images held. */
  private readonly pending = new Set<Promise<void>>();
  private writeError: unknown = null;
  private readonly writer: ImageFileWriter;

  constructor(
    private readonly refs: ReadonlyMap<number, ImageRef>,
    /** The images/ folder of the output being written. */
    private readonly imagesDir: string,
    /** The images/ folder of the output this one replaces, if any: unchanged files are linked from there. */
    private readonly earlierDir: string | null = null,
    /** Image files written with O_DIRECT where the file system allows (direct-write.ts says why). */
    directIo = true,
  ) {
    this.writer = new ImageFileWriter(MAX_PENDING, directIo);
  }

  async accept(img: ImageRecord): Promise<void> {
    const ref = this.refs.get(img.id);
    if (ref === undefined) {
      this.countUnreferenced(img.data?.length ?? 0);
      recycleBytea(img.data); // counted, never kept: its memory can take the next image
      return;
    }
    this.counts.referencedSeen++;
    const data = img.data;
    const size = data === null ? null : data.length;
    const sha256 = data === null || data.length === 0 ? null : createHash('sha256').update(data).digest('hex');
    const kind = data === null || data.length === 0 ? null : sniffImage(data);
    this.facts.set(img.id, { id: img.id, extension: img.extension, size, sha256, kind });
    if (data === null || sha256 === null || kind === null) {
      recycleBytea(data);
      return;
    }
    const path = objectPath(img.id, sha256, kind);
    const writes: Promise<void>[] = [];
    for (const bucket of ref.buckets) {
      const dir = join(this.imagesDir, bucket);
      if (!this.madeDirs.has(dir)) {
        await makeDir(dir).catch((e: unknown) => Promise.reject(outputError(e, `images/${bucket}/`)));
        this.madeDirs.add(dir);
      }
      writes.push((await this.write(join(dir, path), `images/${bucket}/${path}`, data, this.earlierDir === null ? null : join(this.earlierDir, bucket, path))).done);
    }
    // once written (once per bucket), nothing holds the bytes: their memory can take a later image
    void Promise.all(writes).then(() => recycleBytea(data));
  }

  /** An image nobody references (a user's photo), of `bytes` bytes: counted, never written. */
  countUnreferenced(bytes: number): void {
    this.counts.unreferenced++;
    this.counts.unreferencedBytes += bytes;
  }

  /** Starts a write (waiting for room first); the promise it returns settles, never rejects, when it ends.
   * `name`: the file as the output names it, for errors. */
  private async write(file: string, name: string, data: Buffer, earlier: string | null): Promise<{ done: Promise<void> }> {
    if (this.writeError !== null) throw this.writeError;
    while (this.pending.size >= MAX_PENDING) await Promise.race(this.pending);
    const p: Promise<void> = writeImageFile(file, data, earlier, this.writer).then(
      (how) => {
        this.counts.filesWritten++;
        this.counts.bytesWritten += data.length;
        if (how === 'linked') this.counts.filesLinked++;
      },
      (e: unknown) => {
        this.writeError ??= outputError(e, name);
      },
    );
    const tracked = p.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    return { done: tracked };
  }

  /** Waits for every write under way to end, successes and failures alike (before the output is removed). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  /** Waits for every write; throws the first write error. */
  async finish(): Promise<void> {
    await Promise.all(this.pending);
    if (this.writeError !== null) throw this.writeError;
  }
}

/**
 * Image writes in flight at most (each holds its image, and a 2 MB staging slot while it writes). Each write
 * is four trips through libuv's thread pool and the disk; with 4 in flight the parser waited ~300 ms of the
 * 1 GB transform for room, with 8 ~150 ms (16 halved that again but cost 15 MB more memory for no clear gain).
 */
const MAX_PENDING = 8;
