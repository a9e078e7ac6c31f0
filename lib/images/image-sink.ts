/**
 * Receives tls_image records as the reader streams them: measures the referenced ones (content type from
 * the bytes, sha256) and writes their bytes under images/<bucket>/<path>, once per bucket. Every other image
 * (users' photos) is only counted: never written, never kept.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { outputError } from '../errors.js';
import { makeDir } from '../output/make-dir.js';
import type { ImageRecord } from '../legacy/records.js';
import type { ImageCounts, ImageFacts, ImageRef } from './image-facts.js';
export type { ImageCounts } from './image-facts.js';
import { sniffImage, type ImageKind } from './content-type.js';
import { decodeFailure } from './decode-image.js';
import { sanitizeSvg, svgActivity } from './svg-active.js';
import { objectPath } from './object-path.js';
import { writeImageFile, type ImageWrite } from './write-image.js';

/**
 * What the sink does with a referenced image's bytes, each call holding them until it settles: write one file
 * (or link the previous output's) and decode it in full. Given in tests that hold the calls open, to see how many
 * the sink starts at once (MAX_PENDING, MAX_DECODING): the bound is the sink's decision, not the disk's speed.
 */
export interface ImageWork {
  write(file: string, data: Buffer, earlier: string | null): Promise<ImageWrite>;
  /** null, or why the bytes do not decode. */
  decode(data: Buffer, kind: ImageKind): Promise<string | null>;
}

export class ImageSink {
  readonly facts = new Map<number, ImageFacts>();
  readonly counts: ImageCounts = {
    referencedSeen: 0,
    unreferenced: 0,
    unreferencedBytes: 0,
    filesWritten: 0,
    bytesWritten: 0,
    filesLinked: 0,
  };
  private readonly madeDirs = new Set<string>();
  /** Writes under way: the parser goes on while the disk works, with at most MAX_PENDING images held. */
  private readonly pending = new Set<Promise<void>>();
  private writeError: unknown = null;
  private readonly work: ImageWork;
  /** Decodes under way (decode-image.ts), at most MAX_DECODING. */
  private readonly decoding = new Set<Promise<void>>();

  constructor(
    private readonly refs: ReadonlyMap<number, ImageRef>,
    /** The images/ folder of the output being written. */
    private readonly imagesDir: string,
    /** The images/ folder of the output this one replaces, if any: unchanged files are linked from there. */
    private readonly earlierDir: string | null = null,
    /** --sanitize-svg: an SVG with active content is rewritten by the sanitizer instead of refused. */
    private readonly sanitizeSvg = false,
    work?: ImageWork,
  ) {
    this.work = work ?? { write: writeImageFile, decode: decodeFailure };
  }

  async accept(img: ImageRecord): Promise<void> {
    const ref = this.refs.get(img.id);
    if (ref === undefined) {
      this.countUnreferenced(img.data?.length ?? 0);
      return;
    }
    this.counts.referencedSeen++;
    let data = img.data;
    const sniffed = data === null || data.length === 0 ? null : sniffImage(data);
    // an SVG with active content is refused, or with --sanitize-svg rewritten: the rewrite is what is measured and
    // written
    let svgActive: ImageFacts['svgActive'];
    if (sniffed === 'svg' && data !== null) {
      const checked = await checkSvg(data, this.sanitizeSvg);
      svgActive = checked.active;
      data = checked.bytes;
    }
    const size = data === null ? null : data.length;
    const sha256 = data === null || data.length === 0 ? null : createHash('sha256').update(data).digest('hex');
    const kind = data === null || data.length === 0 ? null : sniffImage(data);
    const facts: ImageFacts = {
      id: img.id,
      extension: img.extension,
      size,
      sha256,
      kind,
      ...(svgActive !== undefined ? { svgActive } : {}),
    };
    this.facts.set(img.id, facts);
    if (data === null || sha256 === null || kind === null || (svgActive !== undefined && !svgActive.sanitized)) return;
    // decoded in full while the file is written; finish() waits for both
    await this.decode(facts, data, kind);
    const path = objectPath(img.id, sha256, kind);
    for (const bucket of ref.buckets) {
      const dir = join(this.imagesDir, bucket);
      if (!this.madeDirs.has(dir)) {
        await makeDir(dir).catch((e: unknown) => Promise.reject(outputError(e, `images/${bucket}/`)));
        this.madeDirs.add(dir);
      }
      await this.write(
        join(dir, path),
        `images/${bucket}/${path}`,
        data,
        this.earlierDir === null ? null : join(this.earlierDir, bucket, path),
      );
    }
  }

  /** An image nobody references (a user's photo), of `bytes` bytes: counted, never written. */
  countUnreferenced(bytes: number): void {
    this.counts.unreferenced++;
    this.counts.unreferencedBytes += bytes;
  }

  /** Starts a write (waiting for room first); the promise it returns settles, never rejects, when it ends.
   * `name`: the file as the output names it, for errors. */
  private async write(
    file: string,
    name: string,
    data: Buffer,
    earlier: string | null,
  ): Promise<{ done: Promise<void> }> {
    if (this.writeError !== null) throw this.writeError;
    while (this.pending.size >= MAX_PENDING) await Promise.race(this.pending);
    const p: Promise<void> = this.work.write(file, data, earlier).then(
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

  /**
   * Starts decoding the image in full, once there is room (awaited by accept, so that finish() sees every
   * decode started); the promise it returns settles, never rejects, when the decode ends. A failure is noted
   * in the image's facts.
   */
  private async decode(facts: ImageFacts, data: Buffer, kind: ImageKind): Promise<{ done: Promise<void> }> {
    while (this.decoding.size >= MAX_DECODING) await Promise.race(this.decoding);
    const p = this.work.decode(data, kind).then((why) => {
      if (why !== null) this.facts.set(facts.id, { ...facts, undecodable: why });
    });
    const tracked = p.finally(() => this.decoding.delete(tracked));
    this.decoding.add(tracked);
    return { done: tracked };
  }

  /** Waits for every write under way to end, successes and failures alike (before the output is removed). */
  async settle(): Promise<void> {
    while (this.pending.size > 0 || this.decoding.size > 0) await Promise.all([...this.pending, ...this.decoding]);
  }

  /** Waits for every write and decode; throws the first write error. */
  async finish(): Promise<void> {
    await Promise.all([...this.pending, ...this.decoding]);
    if (this.writeError !== null) throw this.writeError;
  }
}

/**
 * Image writes in flight at most (each holds its image while it writes). Each write is trips through libuv's
 * thread pool and the disk; with 4 in flight the parser waited ~300 ms of the 1 GB transform for room, with 8
 * ~150 ms (16 halved that again but cost 15 MB more memory for no clear gain; measured with O_DIRECT writes,
 * since removed: docs/performance.md).
 */
export const MAX_PENDING = 8;

/**
 * Images decoded at once: libvips decodes on libuv's thread pool, which the file writes share; each decode
 * holds the image's pixels (a 12-megapixel photo: 36 MB) until it ends. Two keep both cores busy.
 */
export const MAX_DECODING = 2;

/** An SVG checked for active content: the bytes to go on with (a sanitized rewrite, or as given) and what was found. */
async function checkSvg(data: Buffer, sanitize: boolean): Promise<{ bytes: Buffer; active: ImageFacts['svgActive'] }> {
  const text = data.toString('utf8');
  const found = await svgActivity(text);
  // an SVG that is not XML is left to the decoder, which says why it does not decode
  if ('unparsable' in found || found.kinds.length === 0) return { bytes: data, active: undefined };
  if (!sanitize) return { bytes: data, active: { kinds: found.kinds, examples: found.examples, sanitized: false } };
  const clean = await sanitizeSvg(text);
  const left = await svgActivity(clean);
  // whatever the sanitizer left that is still active (or a rewrite that no longer parses) is refused after all
  if ('unparsable' in left || left.kinds.length > 0)
    return { bytes: data, active: { kinds: found.kinds, examples: found.examples, sanitized: false } };
  return {
    bytes: Buffer.from(clean, 'utf8'),
    active: { kinds: found.kinds, examples: found.examples, sanitized: true },
  };
}
