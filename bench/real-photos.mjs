// Real, decodable photos for the image-heavy dumps (bench/generate.ts), made by libvips (sharp): a coach's
// photo must decode in full now (lib/images/decode-image.ts), so random bytes behind a magic number no longer
// do. Run as a child process (generate.ts is synchronous); prints a JSON array of
// { kind, base64, width, height } to stdout. Deterministic for a seed and a sharp version.
// Usage: node bench/real-photos.mjs <seed> <count>
import sharp from 'sharp';

const [seed = 1, count = 24] = process.argv.slice(2).map(Number);
let a = seed >>> 0;
const r = () => {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
/** A photo-like picture: coarse random blobs, smoothly scaled up, with a little grain (not for a PNG drawing). */
async function photo(width, height, grain) {
  const cw = Math.max(2, Math.round(width / 24));
  const ch = Math.max(2, Math.round(height / 24));
  const coarse = Buffer.alloc(cw * ch * 3);
  for (let i = 0; i < coarse.length; i++) coarse[i] = Math.floor(r() * 256);
  const smooth = await sharp(coarse, { raw: { width: cw, height: ch, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  if (grain)
    for (let i = 0; i < smooth.length; i++) smooth[i] = Math.max(0, Math.min(255, smooth[i] + Math.floor(r() * 9) - 4));
  return sharp(smooth, { raw: { width, height, channels: 3 } });
}
const out = [];
for (let i = 0; i < count; i++) {
  // log-spaced from ~0.03 to ~3 megapixels: thumbnails to full photos (JPEG, with grain), and PNG drawings
  const pixels = 30_000 * Math.exp((i / Math.max(1, count - 1)) * Math.log(100));
  const width = Math.round(Math.sqrt(pixels * 1.5));
  const height = Math.round(pixels / width);
  const png = i % 3 === 2;
  const img = await photo(width, height, !png);
  const bytes = png
    ? await img.png({ palette: true, colours: 8, dither: 0 }).toBuffer()
    : await img.jpeg({ quality: 82 }).toBuffer();
  out.push({ kind: png ? 'png' : 'jpg', base64: bytes.toString('base64'), width, height });
}
process.stdout.write(JSON.stringify(out));
