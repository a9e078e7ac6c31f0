/**
 * Writing out/ all or nothing: everything goes into a sibling folder `<out>.partial`, which replaces `<out>`
 * by rename only when the run has succeeded. A failed or killed run leaves the previous out/ as it was.
 *
 * What is ours is known, never guessed from a file name: every folder this tool writes holds OUTPUT_MARKER,
 * written first. A folder at `<out>`, `<out>.partial` or `<out>.previous` without it is the user's, and is
 * never replaced or deleted, whatever it holds (an output of a version before the marker included: the
 * message says to move it away). One run at a time holds `<out>.lock` (run-lock.ts).
 */
import { existsSync } from 'node:fs';
import { lstat, open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MigrateError, outputError } from '../errors.js';
import { collectGarbage, LARGE_PART } from '../collect-garbage.js';
import { makeDir } from './make-dir.js';
import { LazyText, type Part } from '../text-parts.js';
import { RunLock } from './run-lock.js';

/** The file that marks a folder as a totalis-migrate output (its content is fixed: outputs stay byte-identical). */
export const OUTPUT_MARKER = '.totalis-migrate-output';
const MARKER_TEXT = 'This folder was written by totalis-migrate transform; the next run may replace it whole.\n';

export class OutDir {
  readonly final: string;
  readonly partial: string;
  private readonly previous: string;
  private lock: RunLock | null = null;

  constructor(out: string) {
    this.final = resolve(out);
    this.partial = join(dirname(this.final), `${basename(this.final)}.partial`);
    this.previous = join(dirname(this.final), `${basename(this.final)}.previous`);
  }

  /**
   * Takes the lock, refuses a folder that is not ours, clears our own leftovers of a killed run, and starts
   * the new output. `note` hears what a user should know (a stale lock taken over, an output put back).
   */
  async begin(note: (message: string) => void = () => undefined): Promise<void> {
    try {
      await makeDir(dirname(this.final));
      this.lock = await RunLock.acquire(`${this.final}.lock`, `${this.final}/`, note);
    } catch (e) {
      throw outputError(e, `${this.final}/`);
    }
    try {
      // A run killed between the two renames of commit() left the previous output aside: put it back.
      if (!existsSync(this.final) && isOurs(this.previous)) {
        await rename(this.previous, this.final);
        note(`put back ${this.final}/, which a run killed while replacing it had left at ${this.previous}/`);
      }
      await this.refuseForeign(this.final, 'replace', true);
      // an empty folder is no loss (a run killed between its mkdir and its marker leaves one)
      await this.refuseForeign(this.partial, 'delete', true);
      await this.refuseForeign(this.previous, 'delete', true);
      await removeOurs(this.partial);
      await removeOurs(this.previous);
      await makeDir(this.partial);
      await writeFile(join(this.partial, OUTPUT_MARKER), MARKER_TEXT, { flag: 'wx' });
    } catch (e) {
      await this.release();
      throw outputError(e, `${this.final}/`);
    }
  }

  /** Throws unless `dir` is absent, ours, or (when `emptyIsFine`) an empty folder. */
  private async refuseForeign(dir: string, verb: string, emptyIsFine: boolean): Promise<void> {
    let st;
    try {
      st = await lstat(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    if (st.isDirectory() && isOurs(dir)) return;
    if (st.isDirectory() && emptyIsFine && (await readdir(dir)).length === 0) return;
    const old =
      st.isDirectory() && existsSync(join(dir, 'migration.sql'))
        ? ' (if it is an output of an earlier totalis-migrate, from before outputs carried that marker, move it away or delete it yourself)'
        : '';
    throw new MigrateError(
      'OUTPUT_IO',
      `refusing to ${verb} ${dir}: it is not a totalis-migrate output (no ${OUTPUT_MARKER} in it)${old}; choose another --out`,
    );
  }

  path(...parts: string[]): string {
    return join(this.partial, ...parts);
  }

  /** The same place in the output being replaced (ours, as begin() checked), or null if there is none. */
  earlier(...parts: string[]): string | null {
    return isOurs(this.final) ? join(this.final, ...parts) : null;
  }

  /** Writes a new file of the output: one string, or parts written one after another (lib/sql/parts.ts says why). */
  async write(rel: string, content: string | readonly Part[]): Promise<void> {
    const p = this.path(rel);
    try {
      await makeDir(dirname(p));
      // 'wx': never through a path that exists (it could be a link into the previous output)
      const fh = await open(p, 'wx');
      const largest = { length: 0 };
      try {
        for (const chunk of batched(typeof content === 'string' ? [content] : content, largest)) await fh.write(chunk);
      } finally {
        await fh.close();
      }
      if (largest.length >= LARGE_PART) collectGarbage();
    } catch (e) {
      throw outputError(e, rel);
    }
  }

  /** Puts the finished output in place: the old one aside, the new one in, the old one gone; then unlocks. */
  async commit(): Promise<void> {
    const had = existsSync(this.final);
    try {
      if (had) await rename(this.final, this.previous);
      await rename(this.partial, this.final);
      if (had) await removeOurs(this.previous);
    } catch (e) {
      // a previous output set aside is put back by the next run's begin()
      throw outputError(e, `${this.final}/`);
    }
    await this.release();
  }

  /** Removes the unfinished output (call it only once every write into it has settled), then unlocks. */
  async abandon(): Promise<void> {
    try {
      await removeOurs(this.partial);
    } finally {
      await this.release();
    }
  }

  async release(): Promise<void> {
    const lock = this.lock;
    this.lock = null;
    await lock?.release();
  }
}

function isOurs(dir: string): boolean {
  return existsSync(join(dir, OUTPUT_MARKER));
}

/**
 * The parts as strings of about 1 MB or more to write: small parts joined, a long part as it is, a LazyText
 * slice by slice. `largest` learns the longest part (a LazyText's whole length).
 */
function* batched(parts: readonly Part[], largest: { length: number }): Generator<string> {
  const BATCH = 1 << 20;
  let pending: string[] = [];
  let size = 0;
  const flush = function* (): Generator<string> {
    if (pending.length > 0) yield pending.join('');
    pending = [];
    size = 0;
  };
  for (const p of parts) {
    if (p instanceof LazyText) {
      yield* flush();
      let length = 0;
      for (const slice of p.slices()) {
        length += slice.length;
        yield slice;
      }
      largest.length = Math.max(largest.length, length);
      continue;
    }
    largest.length = Math.max(largest.length, p.length);
    if (p.length >= BATCH) {
      yield* flush();
      yield p;
      continue;
    }
    pending.push(p);
    size += p.length;
    if (size >= BATCH) yield* flush();
  }
  yield* flush();
}

/**
 * Deletes a folder of ours, its marker last: a run killed while deleting leaves a folder that is still
 * recognisably ours (a plain recursive rm may take the marker first, and the leftover would be refused
 * as the user's by every later run; the stage-kill test met exactly that).
 */
async function removeOurs(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const n of names) if (n !== OUTPUT_MARKER) await rm(join(dir, n), { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
}
