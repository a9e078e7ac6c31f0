// The transform streams images: a dump holding many large images is decoded, hashed and written one row at
// a time, never held. Retained memory (after garbage collection) is sampled while the transform runs, over a
// dump with 100 and with 400 images of 200 kB: it stays far below what holding the images would take.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { peakRetainedGrowth } from './helpers/memory.js';
import { writeMiniDump } from './helpers/mini-dump.js';

const SIZE = 200_000;

/** A plain (not async) function, so no suspended frame keeps the generated rows alive. */
function makeDump(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  const image = (i: number): Buffer => {
    const b = Buffer.alloc(SIZE, i % 251);
    b.set([0xff, 0xd8, 0xff, 0xe0]);
    b.writeUInt32BE(i, 4);
    return b;
  };
  writeMiniDump(dir, {
    tls_coach: [{ id: 1, name: 'Daniel', image_id: 1 }, ...Array.from({ length: n / 2 }, (_, i) => ({ id: i + 2, name: `Coach ${i + 2}`, image_id: i + 2 }))],
    tls_image: Array.from({ length: n }, (_, i) => ({ id: i + 1, extension: 'jpg', data: image(i + 1), user_id: i + 1 > n / 2 + 1 ? 7 : null })),
  });
}

const transform = (dump: string, out: string) => runTransform({ dump: [dump], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });

t.test('retained memory does not grow with the images in the dump', async (t) => {
  const dir = t.testdir({});
  makeDump(join(dir, 'warm'), 10);
  makeDump(join(dir, 'small'), 100);
  makeDump(join(dir, 'large'), 400);
  await transform(join(dir, 'warm'), join(dir, 'out-warm')); // module loading, compiled validators, JIT
  const small = await peakRetainedGrowth(() => transform(join(dir, 'small'), join(dir, 'out-small')), 40);
  const large = await peakRetainedGrowth(() => transform(join(dir, 'large'), join(dir, 'out-large')), 40);
  t.equal(large.result.images.written, 201);
  t.equal(large.result.images.unreferenced, 199, "users' photos counted, not written");
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  t.comment(`peak retained growth: ${mb(small.peakGrowth)} MB with 100 images (40 MB of hex), ${mb(large.peakGrowth)} MB with 400 (160 MB of hex)`);
  // Holding the 400 decoded images would retain 80 MB (and their hex twice that); the bound leaves room for the
  // reader's buffers (read-ahead, one chunk, one line) and for the noise of sampling after a collection.
  t.ok(small.peakGrowth < 40_000_000, `100 images: ${mb(small.peakGrowth)} MB retained, under 40 MB`);
  t.ok(large.peakGrowth < 40_000_000, `400 images: ${mb(large.peakGrowth)} MB retained, under 40 MB, while reading 160 MB of image hex`);
});
