// Long bytea values' memory is used again only when given back, and only by the very Buffer it was lent as:
// never a Buffer from elsewhere, never twice, never after the memory went to another value. And through the
// whole transform, with images large enough to be pooled, referenced and not, in the same chunks, every file
// written holds exactly its image's bytes (memory given back too early would show here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { byteaBuffer, POOLED_FROM, recycleBytea, recycledBytes } from '../lib/dump/bytea-memory.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { coachId } from '../lib/transform/uuid-v5.js';
import { seededBytes } from './helpers/files.js';
import { TINY_JPEG, withTail } from './helpers/tiny-images.js';
import { writeMiniDump } from './helpers/mini-dump.js';

t.test('short values are not pooled; long ones are, once given back', async (t) => {
  const small = byteaBuffer(100);
  t.equal(small.length, 100);
  const before = recycledBytes();
  recycleBytea(small);
  t.equal(recycledBytes(), before, 'a short value is not taken in');

  const a = byteaBuffer(POOLED_FROM + 10);
  t.equal(a.length, POOLED_FROM + 10);
  recycleBytea(a);
  const b = byteaBuffer(POOLED_FROM + 5);
  t.equal(b.buffer, a.buffer, 'the memory given back takes the next value that fits');
  t.equal(b.length, POOLED_FROM + 5);
  const c = byteaBuffer(POOLED_FROM + 5);
  t.not(c.buffer, a.buffer, 'memory in use is not lent twice');
  recycleBytea(b);
  recycleBytea(c);
});

t.test('only the Buffer last lent for the memory is taken back, once', async (t) => {
  const a = byteaBuffer(3 * POOLED_FROM);
  recycleBytea(a);
  const b = byteaBuffer(3 * POOLED_FROM); // a's memory again
  t.equal(b.buffer, a.buffer);
  const held = recycledBytes();
  recycleBytea(a); // stale: its memory is b's now
  t.equal(recycledBytes(), held, 'a stale value given back again is ignored');
  recycleBytea(b.subarray(0, 10));
  t.equal(recycledBytes(), held, 'a view of a value is not the value');
  recycleBytea(Buffer.alloc(3 * POOLED_FROM));
  t.equal(recycledBytes(), held, 'memory made elsewhere is ignored');
  recycleBytea(b);
  const after = recycledBytes();
  t.ok(after > held, 'the value itself is taken back');
  recycleBytea(b);
  t.equal(recycledBytes(), after, 'and only once');
  const d = byteaBuffer(3 * POOLED_FROM);
  const e = byteaBuffer(3 * POOLED_FROM);
  t.not(d.buffer, e.buffer, 'two values never share memory');
  recycleBytea(null);
});

t.test('at most 32 MB waits to be used again', async (t) => {
  const values = Array.from({ length: 40 }, () => byteaBuffer(1 << 20));
  for (const v of values) recycleBytea(v);
  t.ok(recycledBytes() <= 32 << 20, `${recycledBytes()} bytes kept`);
  t.ok(recycledBytes() >= 31 << 20, 'up to the limit');
  for (let i = 0; i < 40; i++) byteaBuffer(1 << 20); // take them out again for the tests after
});

/** A real JPEG of n bytes, distinct per seed: one pixel, then seeded bytes after its end (decoders ignore them). */
function jpeg(n: number, seed: number): Buffer {
  return withTail(TINY_JPEG, seededBytes(n - TINY_JPEG.length, seed));
}

t.test('through the transform: every image written is exactly its bytes', async (t) => {
  const dir = t.testdir({ dump: {} });
  // 24 images of 70 kB to 1.2 MB, every third one referenced by a coach, the others users' photos
  const images = Array.from({ length: 24 }, (_, i) => ({ id: i + 1, extension: 'jpg', data: jpeg(70_000 + ((i * 97_531) % 1_130_000), i + 1), user_id: 1, time_create: null }));
  const referenced = images.filter((_, i) => i % 3 === 0);
  writeMiniDump(join(dir, 'dump'), {
    tls_coach: referenced.map((img, i) => ({ id: i + 1, name: i === 0 ? 'Daniel' : `Coach ${i}`, sex: 'M', image_id: img.id, time_create: '2023-01-01 00:00:00' })),
    tls_image: images,
  });
  const out = join(dir, 'out');
  const r = await runTransform({ dump: [join(dir, 'dump')], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {}, supabaseUrl: 'https://x.example' });
  t.same(r.images, { written: 8, linked: 0, unreferenced: 16 });
  const manifest = JSON.parse(readFileSync(join(out, 'images', 'manifest.json'), 'utf8')) as { bucket: string; path: string; legacyImageId: number }[];
  t.equal(manifest.length, 8);
  for (const m of manifest) {
    const want = images.find((i) => i.id === m.legacyImageId)!.data;
    t.ok(readFileSync(join(out, 'images', m.bucket, m.path)).equals(want), `image ${m.legacyImageId}: its own bytes`);
  }
  t.ok(r.rows.coaches.every((c, i) => c.id === coachId(i + 1)), 'the coaches as they were');
});
