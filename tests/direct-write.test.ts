// Image files written past the page cache (O_DIRECT): every size lands byte for byte (the padding of the last
// block cut off again), writes in flight never share a staging slot, a file system that refuses O_DIRECT is
// written the ordinary way from then on, and real errors still surface.
import {
  close,
  closeSync,
  constants,
  ftruncate,
  linkSync,
  open,
  openSync,
  readFileSync,
  statSync,
  unlink,
  write,
  writeFile,
} from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ImageFileWriter, SLOT_BYTES, type DirectFs } from '../lib/images/direct-write.js';
import { seededBytes as bytes } from './helpers/files.js';

/** Whether this directory's file system takes O_DIRECT, asked without the code under test. */
function takesDirect(dir: string): boolean {
  if (constants.O_DIRECT === undefined) return false;
  try {
    closeSync(openSync(join(dir, 'probe'), constants.O_WRONLY | constants.O_CREAT | constants.O_DIRECT));
    return true;
  } catch {
    return false;
  }
}

const sizes = [1, 100, 4095, 4096, 4097, 65536 + 3, SLOT_BYTES - 1, SLOT_BYTES, SLOT_BYTES + 1, 2 * SLOT_BYTES + 4097];

t.test('every size, byte for byte, the direct way where the file system takes it', async (t) => {
  const dir = t.testdir({});
  const direct = takesDirect(dir);
  if (!direct) t.comment('this file system refuses O_DIRECT: checking the ordinary way only');
  const w = new ImageFileWriter(2);
  for (const [i, n] of sizes.entries()) {
    const file = join(dir, `f${i}`);
    const data = bytes(n, i);
    t.equal(await w.write(file, data), direct ? 'direct' : 'buffered', `${n} bytes`);
    t.equal(statSync(file).size, n, `${n} bytes: the padding cut off`);
    t.ok(readFileSync(file).equals(data), `${n} bytes: the same bytes`);
  }
});

t.test("more writes in flight than staging slots: none sees another one's bytes", async (t) => {
  const dir = t.testdir({});
  const w = new ImageFileWriter(2);
  const files = Array.from({ length: 12 }, (_, i) => ({
    name: `c${i}`,
    file: join(dir, `c${i}`),
    data: bytes(300_000 + i * 7919, 100 + i),
  }));
  await Promise.all(files.map((f) => w.write(f.file, f.data)));
  for (const f of files) t.ok(readFileSync(f.file).equals(f.data), `${f.name}: its own bytes`);
});

t.test('the same permissions as writeFile', async (t) => {
  const dir = t.testdir({});
  await new ImageFileWriter(1).write(join(dir, 'a'), bytes(10, 1));
  await new Promise<void>((resolve, reject) =>
    writeFile(join(dir, 'b'), bytes(10, 1), (e) => (e === null ? resolve() : reject(e))),
  );
  t.equal(statSync(join(dir, 'a')).mode, statSync(join(dir, 'b')).mode);
});

/** Node's file system, with O_DIRECT refused at open or at write, and the calls counted. */
function refusing(at: 'open' | 'write'): DirectFs & { directOpens: number; writeFiles: number } {
  const einval = (): NodeJS.ErrnoException => Object.assign(new Error('EINVAL: invalid argument'), { code: 'EINVAL' });
  const fs = {
    directOpens: 0,
    writeFiles: 0,
    open: ((path: string, flags: number, mode: number, cb: (e: NodeJS.ErrnoException | null, fd: number) => void) => {
      if ((flags & constants.O_DIRECT) !== 0) {
        fs.directOpens++;
        if (at === 'open') return cb(einval(), -1);
      }
      open(path, flags, mode, cb);
    }) as unknown as typeof open,
    write: ((...args: unknown[]) => {
      const cb = args.at(-1) as (e: NodeJS.ErrnoException | null, n: number) => void;
      if (at === 'write') return cb(einval(), 0);
      (write as unknown as (...a: unknown[]) => void)(...args);
    }) as unknown as typeof write,
    ftruncate,
    close,
    unlink,
    writeFile: ((...args: unknown[]) => {
      fs.writeFiles++;
      (writeFile as unknown as (...a: unknown[]) => void)(...args);
    }) as unknown as typeof writeFile,
  };
  return fs;
}

for (const at of ['open', 'write'] as const) {
  t.test(`a file system that refuses O_DIRECT at ${at}: the ordinary way, from then on`, async (t) => {
    const dir = t.testdir({});
    const fs = refusing(at);
    const w = new ImageFileWriter(2, true, fs);
    t.equal(w.directIo, constants.O_DIRECT !== undefined);
    for (const [i, n] of [5000, SLOT_BYTES + 3, 17].entries()) {
      const data = bytes(n, i);
      t.equal(await w.write(join(dir, `r${i}`), data), 'buffered');
      t.ok(readFileSync(join(dir, `r${i}`)).equals(data), `${n} bytes, right`);
    }
    t.equal(fs.directOpens, constants.O_DIRECT === undefined ? 0 : 1, 'O_DIRECT tried once, not for every file');
    t.equal(fs.writeFiles, 3);
    t.equal(w.directIo, false);
  });
}

t.test('--no-direct-io: never tried', async (t) => {
  const dir = t.testdir({});
  const fs = refusing('write');
  const w = new ImageFileWriter(1, false, fs);
  t.equal(await w.write(join(dir, 'n'), bytes(9000, 3)), 'buffered');
  t.equal(fs.directOpens, 0);
  t.ok(readFileSync(join(dir, 'n')).equals(bytes(9000, 3)));
});

t.test('other errors are errors, the direct way or not', async (t) => {
  const dir = t.testdir({});
  for (const direct of [true, false]) {
    const w = new ImageFileWriter(1, direct);
    await t.rejects(w.write(join(dir, 'no-such-dir', 'x'), bytes(10, 1)), { code: 'ENOENT' }, `direct ${direct}`);
    t.equal(w.directIo, direct && constants.O_DIRECT !== undefined, 'and the next file still goes the same way');
  }
});

for (const direct of [true, false]) {
  t.test(
    `never writes through a path that exists (a link to the previous output's file): ${direct ? 'direct' : 'ordinary'} writes`,
    async (t) => {
      const dir = t.testdir({});
      const previous = join(dir, 'previous.png');
      const kept = bytes(9000, 3);
      await new Promise<void>((resolve, reject) =>
        writeFile(previous, kept, (e) => (e === null ? resolve() : reject(e))),
      );
      linkSync(previous, join(dir, 'new.png'));
      const w = new ImageFileWriter(1, direct);
      await t.rejects(w.write(join(dir, 'new.png'), bytes(100, 4)), { code: 'EEXIST' });
      t.ok(readFileSync(previous).equals(kept), 'the previous output is byte-identical');
    },
  );
}

t.test(
  "a disk that fills up mid-file: the kernel's ENOSPC, not a 'short write'",
  { skip: constants.O_DIRECT === undefined ? 'no O_DIRECT here' : false },
  async (t) => {
    const dir = t.testdir({});
    let calls = 0;
    const fs: DirectFs = {
      open,
      ftruncate,
      close,
      unlink,
      writeFile,
      // as Linux does when the disk fills: the first write is cut short, the next one fails
      write: ((...args: unknown[]) => {
        const cb = args.at(-1) as (e: NodeJS.ErrnoException | null, n: number) => void;
        if (calls++ === 0) return cb(null, 4096);
        cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 0);
      }) as unknown as typeof write,
    };
    const w = new ImageFileWriter(1, true, fs);
    await t.rejects(w.write(join(dir, 'a.png'), bytes(3 * 4096, 5)), { code: 'ENOSPC' });
    t.equal(calls, 2, 'the rest was written again, and the second write said why it failed');
  },
);
