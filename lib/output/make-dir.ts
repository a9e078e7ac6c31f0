/**
 * mkdir -p that reports the real cause. Node's `mkdir(p, { recursive: true })` turns EROFS (and other
 * errors) into a misleading ENOENT on Linux: on a read-only file system it said
 * `ENOENT: no such file or directory, mkdir '/ro/out.partial'` (Node 20.20, measured here). Creating one level
 * at a time keeps the error the kernel gave for the level that failed.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function makeDir(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(path) === path) throw e;
    await makeDir(dirname(path));
    try {
      await mkdir(path);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}
