/**
 * Image files written with O_DIRECT: the bytes go from our memory to the disk without being copied into the
 * page cache first. A transform writes hundreds of MB of images that nothing reads back soon (push-images
 * comes later, as a separate command), so caching them only costs: the kernel must find and fill fresh
 * page-cache pages for every byte. On the 2-core benchmark VM that copy was the largest single cost of the
 * whole 1 GB transform (copy_folio_from_iter_atomic, ~1 s of CPU for 233 MB, because fresh guest pages fault
 * in the host); with direct writes the transform's system time went 1.31 → 0.70 s and its median 1.90 →
 * 1.45 s (interleaved, 5 runs each). dd shows the same: 233 MB direct, 0.03-0.05 s of system time; buffered,
 * 0.04-0.71 s depending on the host.
 *
 * O_DIRECT wants the memory address, the length and the file offset aligned to the device's block size. A
 * Buffer's address is whatever malloc returned, so each write goes through a staging slot in a
 * WebAssembly.Memory, whose base is page-aligned; the last block is padded and the file truncated to its true
 * size. A file system that refuses O_DIRECT (EINVAL at open or at the first write) is written the ordinary
 * way from then on; so is everything on a platform without O_DIRECT. The bytes on disk are the same either
 * way; only the route differs.
 */
import { close, constants, ftruncate, open, unlink, write, writeFile } from 'node:fs';

/** The alignment asked of every direct write: 4096 covers 512- and 4096-byte logical blocks. */
const ALIGN = 4096;
/** Bytes staged (and written) per system call. */
export const SLOT_BYTES = 2 << 20;

export type WriteRoute = 'direct' | 'buffered';

/** The file system calls used, replaceable in tests (to play a file system that refuses O_DIRECT). */
export interface DirectFs {
  open: typeof open;
  write: typeof write;
  ftruncate: typeof ftruncate;
  close: typeof close;
  writeFile: typeof writeFile;
  unlink: typeof unlink;
}

const NODE_FS: DirectFs = { open, write, ftruncate, close, writeFile, unlink };

function call<T>(f: (cb: (e: NodeJS.ErrnoException | null, v?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => f((e, v) => (e === null ? resolve(v as T) : reject(e))));
}

const refused = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'EINVAL';

export class ImageFileWriter {
  /** Page-aligned staging: `slots` × SLOT_BYTES, one slot per write in flight. */
  private readonly stage: Buffer | null;
  private readonly freeSlots: number[] = [];
  private readonly waiting: (() => void)[] = [];
  private direct: boolean;

  constructor(
    slots: number,
    /** false: every file through the page cache, as writeFile does. */
    direct = true,
    private readonly fs: DirectFs = NODE_FS,
  ) {
    this.direct = direct && constants.O_DIRECT !== undefined;
    // reserved now, its pages touched only as slots are used; WebAssembly pages are 64 kB
    this.stage = this.direct
      ? Buffer.from(new WebAssembly.Memory({ initial: (slots * SLOT_BYTES) / 65536 }).buffer)
      : null;
    for (let i = slots - 1; i >= 0; i--) this.freeSlots.push(i);
  }

  /** Whether files still go the direct way (false once the file system refused it). */
  get directIo(): boolean {
    return this.direct;
  }

  /**
   * Writes `data` as the new file `file`, and says which way it went. The file must not exist yet (O_EXCL):
   * a path that exists may be a hard link to the previous output's file (write-image.ts links unchanged
   * images), and opening it with O_TRUNC would write through the link into the output we promise to keep.
   */
  async write(file: string, data: Buffer): Promise<WriteRoute> {
    if (this.direct) {
      try {
        await this.writeDirect(file, data);
        return 'direct';
      } catch (e) {
        if (!refused(e)) throw e;
        this.direct = false; // this file system (or this memory) will not do it: the ordinary way from now on
        // a refusal at the first write leaves the file we created (O_EXCL: ours) behind; the ordinary write creates it
        // anew
        await call<void>((cb) => this.fs.unlink(file, cb)).catch((u: unknown) => {
          if ((u as NodeJS.ErrnoException).code !== 'ENOENT') throw u;
        });
      }
    }
    await call<void>((cb) => this.fs.writeFile(file, data, { flag: 'wx' }, cb));
    return 'buffered';
  }

  private async writeDirect(file: string, data: Buffer): Promise<void> {
    const fs = this.fs;
    const fd = await call<number>((cb) =>
      fs.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DIRECT, 0o666, cb),
    );
    const slot = await this.takeSlot();
    try {
      const stage = this.stage!;
      const base = slot * SLOT_BYTES;
      for (let at = 0; at < data.length; at += SLOT_BYTES) {
        const n = Math.min(SLOT_BYTES, data.length - at);
        data.copy(stage, base, at, at + n);
        const padded = Math.ceil(n / ALIGN) * ALIGN;
        stage.fill(0, base + n, base + padded);
        // A short write is how a full disk first shows: the next write of the rest gets the kernel's own error
        // (ENOSPC, EDQUOT, EFBIG), which is what the user is told, not "short write".
        for (let done = 0; done < padded;) {
          const written = await call<number>((cb) => fs.write(fd, stage, base + done, padded - done, at + done, cb));
          if (written === 0 || written % ALIGN !== 0)
            throw Object.assign(
              new Error(`EIO: the disk took ${done + written} of ${padded} bytes of a direct write, write '${file}'`),
              { code: 'EIO' },
            );
          done += written;
        }
      }
      // the padding of the last block goes again
      if (data.length % ALIGN !== 0) await call<void>((cb) => fs.ftruncate(fd, data.length, cb));
    } finally {
      this.giveBack(slot);
      await call<void>((cb) => fs.close(fd, cb));
    }
  }

  private async takeSlot(): Promise<number> {
    for (;;) {
      const slot = this.freeSlots.pop();
      if (slot !== undefined) return slot;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private giveBack(slot: number): void {
    this.freeSlots.push(slot);
    this.waiting.shift()?.();
  }
}
