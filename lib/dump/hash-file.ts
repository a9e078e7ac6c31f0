/**
 * sha256 of a file on a worker thread: the input's hash (for the report and the SQL headers) is computed on
 * the second core while the main thread parses, instead of costing the parser a pass over every byte.
 * Small files are hashed inline: starting a worker costs more than hashing them.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

const INLINE_BELOW = 8 << 20;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const h = createHash('sha256');
createReadStream(workerData, { highWaterMark: 1 << 20 })
  .on('data', (c) => h.update(c))
  .on('end', () => parentPort.postMessage({ sha256: h.digest('hex') }))
  .on('error', (e) => parentPort.postMessage({ error: e.message }));
`;

export async function sha256OfFile(path: string): Promise<string> {
  const { size } = await stat(path);
  if (size < INLINE_BELOW) return createHash('sha256').update(await readFile(path)).digest('hex');
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: path });
    w.once('message', (m: { sha256?: string; error?: string }) => {
      void w.terminate();
      if (m.sha256 !== undefined) resolve(m.sha256);
      else reject(new Error(m.error ?? 'hashing failed'));
    });
    w.once('error', reject);
  });
}
