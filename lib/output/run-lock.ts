/**
 * One run per output folder at a time. Two transforms writing one out/ at once interleave their renames
 * and can leave an out/ that matches neither input (seen in 6 of 19 trials, both runs exiting 0), so a run
 * holds `<out>.lock`, created with O_EXCL, for as long as it writes.
 *
 * The lock names its holder (`<pid> <host>`). A lock whose process is gone (same host, `kill(pid, 0)` says
 * ESRCH) was left by a killed run: it is taken over, and the caller is told. Taking over renames the stale
 * lock to a name of this process's own first (only one of two racing runs can rename it) and checks that
 * what it moved is the lock it judged stale before creating its own; a lock from another host is never
 * judged, since its process cannot be seen from here.
 */
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { MigrateError } from '../errors.js';

export class RunLock {
  private constructor(
    readonly path: string,
    private readonly content: string,
  ) {}

  /** Takes the lock or throws OUTPUT_BUSY; `note` hears of a stale lock taken over. */
  static async acquire(path: string, what: string, note: (message: string) => void): Promise<RunLock> {
    const content = `${process.pid} ${hostname()}\n`;
    for (let attempt = 0; attempt < 3; attempt++) {
      // written whole under a name of our own, then linked into place (atomic, and EEXIST if taken): a run
      // killed at any instant leaves no empty lock, whose holder nobody could tell
      const mine = `${path}.${process.pid}`;
      await writeFile(mine, content);
      try {
        await link(mine, path);
        return new RunLock(path, content);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        await unlink(mine).catch(() => undefined);
      }
      const held = await readFile(path, 'utf8').catch(() => null);
      if (held === null) continue; // released meanwhile: try again
      const holder = parseHolder(held);
      if (holder === null || holder.host !== hostname() || isAlive(holder.pid)) {
        const who =
          holder === null
            ? 'an unreadable lock'
            : `process ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''}`;
        throw new MigrateError(
          'OUTPUT_BUSY',
          `another run is writing ${what} (${who} holds ${path}); wait for it to finish, or, if no run is going on, delete ${path}`,
        );
      }
      const aside = `${path}.stale-${process.pid}`;
      try {
        await rename(path, aside);
      } catch {
        continue; // another run moved it first
      }
      const moved = await readFile(aside, 'utf8').catch(() => null);
      if (moved !== held) {
        await rename(aside, path).catch(() => undefined); // a fresh lock, not the stale one: put it back
        continue;
      }
      await unlink(aside).catch(() => undefined);
      note(`took over the lock of an earlier run (process ${holder.pid}, no longer running) on ${what}`);
    }
    throw new MigrateError(
      'OUTPUT_BUSY',
      `another run is writing ${what} (${path} keeps changing hands); try again when it has finished`,
    );
  }

  /** Removes the lock if it is still ours. */
  async release(): Promise<void> {
    const now = await readFile(this.path, 'utf8').catch(() => null);
    if (now === this.content) await unlink(this.path).catch(() => undefined);
  }
}

function parseHolder(text: string): { pid: number; host: string } | null {
  const m = /^(\d+) (\S+)\n?$/.exec(text);
  return m === null ? null : { pid: Number(m[1]), host: m[2]! };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}
