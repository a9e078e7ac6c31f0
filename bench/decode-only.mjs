// The decoder's share of a transform (issue 29 decodes every referenced image in full): the images a transform
// wrote, read back and decoded with the transform's own decoder, as many at a time as its image sink decodes.
// Usage: node bench/decode-only.mjs <out/images>   (uses the built dist/)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFailure } from '../dist/images/decode-image.js';
import { MAX_DECODING } from '../dist/images/image-sink.js';

const KIND = { jpg: 'jpg', jpeg: 'jpg', png: 'png', gif: 'gif', webp: 'webp', svg: 'svg' };
const files = readdirSync(process.argv[2], { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && KIND[e.name.split('.').pop()] !== undefined)
  .map((e) => join(e.parentPath ?? e.path, e.name))
  .sort();
let next = 0;
let failed = 0;
const worker = async () => {
  while (next < files.length) {
    const f = files[next++];
    if ((await decodeFailure(readFileSync(f), KIND[f.split('.').pop()])) !== null) failed++;
  }
};
await Promise.all(Array.from({ length: MAX_DECODING }, worker));
console.log(JSON.stringify({ images: files.length, failed }));
