/**
 * sha256 of a file on a worker thread: the input's hash (for the report and the SQL headers) is computed on
 * the second core while the main thread parses, instead of costing the parser a pass over every byte.
 * Small files are hashed inline: starting a worker costs more than hashing them.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

const INLINE_BELOW = 8 << 20;

// One buffer, read into again and again (a stream would allocate a fresh 1 MB chunk per read: measured on
// 1 GB, 180-320 ms of system time for the page faults against 40-60 ms this way). Blocking reads are fine
// on a thread of its own.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync, fstatSync } = require('node:fs');
const stop = new Int32Array(workerData.stop);
try {
  const h = createHash('sha256');
  const fd = openSync(workerData.path, 'r');
  let cancelled = false;
  try {
    if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
    const buf = Buffer.allocUnsafe(1 << 20);
    let n;
    while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) {
      if (Atomics.load(stop, 0) !== 0) { cancelled = true; break; }
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  parentPort.postMessage(cancelled ? { error: 'hashing cancelled' } : { sha256: h.digest('hex') });
} catch (e) {
  parentPort.postMessage({ error: e.message });
}
`;

export interface FileHash {
  readonly sha256: Promise<string>;
  /** Stops the hashing (its worker, if any) when the file is no longer wanted; idempotent. */
  cancel(): void;
}

export function sha256OfFile(path: string): FileHash {
  // cancelling asks the worker to stop between reads (terminating it mid-read would leak its file descriptor:
  // descriptors belong to the process, not the thread)
  const stop = new Int32Array(new SharedArrayBuffer(4));
  let cancelled = false;
  const sha256 = (async (): Promise<string> => {
    // Opened once, and its stat taken from that very descriptor: only a regular file is hashed (a device's size
    // is 0 and it never ends; O_NONBLOCK keeps a FIFO without a writer from blocking the open). A small file is
    // read chunk by chunk, not with readFile(), so that cancelling stops it between reads.
    const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new Error('not a regular file');
      if (st.size < INLINE_BELOW) {
        const h = createHash('sha256');
        const buf = Buffer.allocUnsafe(1 << 16);
        for (;;) {
          if (cancelled) throw new Error('hashing cancelled');
          const { bytesRead } = await fh.read(buf, 0, buf.length, null);
          if (bytesRead === 0) return h.digest('hex');
          h.update(buf.subarray(0, bytesRead));
        }
      }
    } finally {
      await fh.close();
    }
    if (cancelled) throw new Error('hashing cancelled');
    return new Promise<string>((resolve, reject) => {
      // the worker's code is CommonJS: a host started with --input-type=module would make it ESM (no require);
      // and a V8 flag given to a Worker is refused (ERR_WORKER_INVALID_EXEC_ARGV): the command's --expose-gc
      const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type') && a !== '--expose-gc');
      const w = new Worker(WORKER, { eval: true, execArgv, workerData: { path, stop: stop.buffer } });
      w.once('message', (m: { sha256?: string; error?: string }) => {
        void w.terminate();
        if (m.sha256 !== undefined) resolve(m.sha256);
        else reject(new Error(m.error ?? 'hashing failed'));
      });
      w.once('error', reject);
      w.once('exit', () => reject(new Error('hashing cancelled')));
    });
  })();
  sha256.catch(() => undefined); // a cancelled or failed hash nobody waits for is not an unhandled rejection
  return {
    sha256,
    cancel: () => {
      cancelled = true;
      Atomics.store(stop, 0, 1);
    },
  };
}
