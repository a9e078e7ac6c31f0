/**
 * push-images against the test Storage server (tests/helpers/fake-storage.ts) with a fixed delay per
 * request: does the command keep its concurrency busy? The real command runs as a child process while this
 * process serves Storage and samples, every millisecond, how many uploads are in flight.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeStorage } from '../tests/helpers/fake-storage.js';
import { writeManyImages } from '../tests/helpers/many-images.js';

export interface PushFigures {
  readonly images: number;
  readonly bytes: number;
  readonly delayMs: number;
  readonly concurrency: number;
  /** The whole command, start-up included. */
  readonly seconds: number;
  /** While uploading: from the first request seen to the last upload done. */
  readonly uploadsPerSecond: number;
  /** What the delay alone allows: concurrency / delay. */
  readonly idealPerSecond: number;
  /** Mean uploads in flight while uploading, over the concurrency. */
  readonly busy: number;
  readonly maxInFlight: number;
}

export async function measurePush(
  images: number,
  size: number,
  delayMs: number,
  concurrency: number,
): Promise<PushFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'totalis-bench-push-'));
  const key = 'bench-service-key-0123456789abcdef';
  const storage = await startFakeStorage(key, { delayMs, keepBytes: false });
  try {
    const bytes = writeManyImages(dir, images, size);
    let samples = 0;
    let inFlightSum = 0;
    let first: bigint | null = null;
    let last: bigint | null = null;
    const sampler = setInterval(() => {
      if (storage.seen.uploads === 0 && storage.seen.inFlight === 0) return; // not begun
      if (storage.seen.uploads >= images) {
        last ??= process.hrtime.bigint();
        return;
      }
      first ??= process.hrtime.bigint();
      samples++;
      inFlightSum += storage.seen.inFlight;
    }, 1);
    const t0 = process.hrtime.bigint();
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        'node',
        [
          'bin/totalis-migrate.js',
          'push-images',
          '--out',
          dir,
          '--supabase-url',
          storage.url,
          '--allow-other-url',
          '--concurrency',
          String(concurrency),
        ],
        {
          env: { ...process.env, SUPABASE_SERVICE_ROLE_KEY: key },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      child.on('exit', resolve);
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(sampler);
    if (code !== 0) throw new Error(`push-images exited with ${code}`);
    if (storage.seen.uploads !== images)
      throw new Error(`expected ${images} uploads, the server saw ${storage.seen.uploads}`);
    return {
      images,
      bytes,
      delayMs,
      concurrency,
      seconds,
      uploadsPerSecond: first !== null && last !== null ? images / (Number(last - first) / 1e9) : images / seconds,
      idealPerSecond: concurrency / (delayMs / 1000),
      busy: samples === 0 ? 0 : inFlightSum / samples / concurrency,
      maxInFlight: storage.seen.maxInFlight,
    };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
