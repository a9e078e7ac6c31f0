/** An output folder with `n` images of `size` bytes each and their manifest, as transform would write it. */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { objectPath, publicUrl } from '../../lib/images/object-path.js';

/** `supabaseUrl`: the project the manifest's public URLs name (transform's default when not given). */
export function writeManyImages(out: string, n: number, size: number, supabaseUrl = 'http://127.0.0.1:54321'): number {
  mkdirSync(join(out, 'images', 'coach-images'), { recursive: true });
  const entries = [];
  const block = Buffer.alloc(size);
  for (let i = 1; i <= n; i++) {
    block.fill(i % 251);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(block);
    block.writeUInt32BE(i, 8);
    const sha256 = createHash('sha256').update(block).digest('hex');
    const path = objectPath(i, sha256, 'png');
    writeFileSync(join(out, 'images', 'coach-images', path), block);
    entries.push({
      bucket: 'coach-images',
      path,
      contentType: 'image/png',
      size,
      sha256,
      legacyImageId: i,
      referencedBy: [`tls_coach#${i}.image_id`],
      url: publicUrl(supabaseUrl, 'coach-images', path),
    });
  }
  writeFileSync(join(out, 'images', 'manifest.json'), JSON.stringify(entries, null, 2));
  writeFileSync(join(out, 'migration.sql'), '-- test output\n');
  return n * size;
}
