// Through the whole transform, with images of 70 kB to 1.2 MB, referenced and not, in the same chunks, every
// file written holds exactly its image's bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { coachId } from '../lib/transform/uuid-v5.js';
import { seededBytes } from './helpers/files.js';
import { TINY_JPEG, withTail } from './helpers/tiny-images.js';
import { writeMiniDump } from './helpers/mini-dump.js';

/** A real JPEG of n bytes, distinct per seed: one pixel, then seeded bytes after its end (decoders ignore them). */
function jpeg(n: number, seed: number): Buffer {
  return withTail(TINY_JPEG, seededBytes(n - TINY_JPEG.length, seed));
}

t.test('through the transform: every image written is exactly its bytes', async (t) => {
  const dir = t.testdir({ dump: {} });
  // 24 images of 70 kB to 1.2 MB, every third one referenced by a coach, the others users' photos
  const images = Array.from({ length: 24 }, (_, i) => ({
    id: i + 1,
    extension: 'jpg',
    data: jpeg(70_000 + ((i * 97_531) % 1_130_000), i + 1),
    user_id: 1,
    time_create: null,
  }));
  const referenced = images.filter((_, i) => i % 3 === 0);
  writeMiniDump(join(dir, 'dump'), {
    tls_coach: referenced.map((img, i) => ({
      id: i + 1,
      name: i === 0 ? 'Daniel' : `Coach ${i}`,
      sex: 'M',
      image_id: img.id,
      time_create: '2023-01-01 00:00:00',
    })),
    tls_image: images,
  });
  const out = join(dir, 'out');
  const r = await runTransform({
    dump: [join(dir, 'dump')],
    out,
    sourceTimezone: 'UTC',
    strict: false,
    breakCycles: false,
    env: {},
    supabaseUrl: 'https://x.example',
  });
  t.same(r.images, { written: 8, linked: 0, unreferenced: 16 });
  const manifest = JSON.parse(readFileSync(join(out, 'images', 'manifest.json'), 'utf8')) as {
    bucket: string;
    path: string;
    legacyImageId: number;
  }[];
  t.equal(manifest.length, 8);
  for (const m of manifest) {
    const want = images.find((i) => i.id === m.legacyImageId)!.data;
    t.ok(readFileSync(join(out, 'images', m.bucket, m.path)).equals(want), `image ${m.legacyImageId}: its own bytes`);
  }
  t.ok(
    r.rows.coaches.every((c, i) => c.id === coachId(i + 1)),
    'the coaches as they were',
  );
});
