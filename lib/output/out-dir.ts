/**
 * Writing out/ all or nothing: everything goes into a sibling folder `<out>.partial`, which replaces `<out>`
 * by rename only when the run has succeeded. A failed or killed run leaves the previous out/ as it was.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MigrateError, outputError } from '../errors.js';

/** A file every output of ours holds; an existing folder without it is not ours to replace. */
export const OUTPUT_MARKER = 'migration.sql';

export class OutDir {
  readonly final: string;
  readonly partial: string;
  private readonly previous: string;

  constructor(out: string) {
    this.final = resolve(out);
    this.partial = join(dirname(this.final), `${basename(this.final)}.partial`);
    this.previous = join(dirname(this.final), `${basename(this.final)}.previous`);
  }

  /** Refuses to replace a folder that is not an earlier output; clears leftovers of a killed run. */
  async begin(): Promise<void> {
    try {
      // A run killed between the two renames of commit() left the previous output aside: put it back.
      if (!existsSync(this.final) && existsSync(join(this.previous, OUTPUT_MARKER))) await rename(this.previous, this.final);
      if (existsSync(this.final)) {
        const st = await stat(this.final);
        const entries = st.isDirectory() ? await readdir(this.final) : null;
        if (entries === null || (entries.length > 0 && !entries.includes(OUTPUT_MARKER))) {
          throw new MigrateError('OUTPUT_IO', `refusing to replace ${this.final}: it is not an earlier totalis-migrate output (no ${OUTPUT_MARKER}); choose another --out`);
        }
      }
      await rm(this.partial, { recursive: true, force: true });
      await rm(this.previous, { recursive: true, force: true });
      await mkdir(this.partial, { recursive: true });
    } catch (e) {
      throw outputError(e, `${this.final}/`);
    }
  }

  path(...parts: string[]): string {
    return join(this.partial, ...parts);
  }

  /** The same place in the output being replaced (checked to be ours by begin()), or null if there is none. */
  earlier(...parts: string[]): string | null {
    return existsSync(join(this.final, OUTPUT_MARKER)) ? join(this.final, ...parts) : null;
  }

  async write(rel: string, content: string): Promise<void> {
    const p = this.path(rel);
    try {
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, content);
    } catch (e) {
      throw outputError(e, rel);
    }
  }

  /** Puts the finished output in place: the old one aside, the new one in, the old one gone. */
  async commit(): Promise<void> {
    const had = existsSync(this.final);
    try {
      if (had) await rename(this.final, this.previous);
      await rename(this.partial, this.final);
      if (had) await rm(this.previous, { recursive: true, force: true });
    } catch (e) {
      // a previous output set aside is put back by the next run's begin()
      throw outputError(e, `${this.final}/`);
    }
  }

  async abandon(): Promise<void> {
    await rm(this.partial, { recursive: true, force: true });
  }
}
