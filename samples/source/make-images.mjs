#!/usr/bin/env node
// Writes the sample images (real JPEG, PNG, GIF, WebP and SVG files) into a folder, and an SQL file that
// inserts them into tls_image. Deterministic: pixels come from formulas, PNG and GIF are encoded here,
// JPEG by cjpeg and WebP by cwebp (Debian's libjpeg-turbo-progs and webp).
// Usage: node make-images.mjs <out-dir>   → <out-dir>/images.sql
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const out = process.argv[2];
if (!out) throw new Error('usage: make-images.mjs <out-dir>');
mkdirSync(out, { recursive: true });

/** RGB pixels of a w×h picture from a formula. */
function pixels(w, h, f) {
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.set(f(x, y), (y * w + x) * 3);
  return px;
}

function ppm(w, h, px) {
  return Buffer.concat([Buffer.from(`P6\n${w} ${h}\n255\n`), px]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(w, h, pxOrF) {
  const px = typeof pxOrF === "function" ? pixels(w, h, pxOrF) : pxOrF;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) px.copy(raw, y * (w * 3 + 1) + 1, y * w * 3, (y + 1) * w * 3);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** A GIF with a 4-colour palette; LZW with a clear code before every code table grows (valid, simple). */
function gif(w, h, index, palette) {
  const minCode = 2;
  const clear = 1 << minCode;
  const eoi = clear + 1;
  const codes = [];
  let n = 0;
  codes.push(clear);
  for (let i = 0; i < w * h; i++) {
    if (n === 2) {
      codes.push(clear);
      n = 0;
    }
    codes.push(index(i % w, Math.floor(i / w)));
    n++;
  }
  codes.push(eoi);
  // every code is 3 bits wide: after a clear, at most two literals are emitted before the next clear
  const bytes = [];
  let acc = 0;
  let bits = 0;
  for (const c of codes) {
    acc |= c << bits;
    bits += 3;
    while (bits >= 8) {
      bytes.push(acc & 0xff);
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) bytes.push(acc & 0xff);
  const blocks = [];
  for (let i = 0; i < bytes.length; i += 255) {
    const part = bytes.slice(i, i + 255);
    blocks.push(part.length, ...part);
  }
  const head = Buffer.from('GIF89a', 'latin1');
  const lsd = Buffer.from([w & 0xff, w >> 8, h & 0xff, h >> 8, 0xf1, 0, 0]);
  const gct = Buffer.from(palette.flat());
  const img = Buffer.from([0x2c, 0, 0, 0, 0, w & 0xff, w >> 8, h & 0xff, h >> 8, 0]);
  return Buffer.concat([head, lsd, gct, img, Buffer.from([minCode, ...blocks, 0, 0x3b])]);
}

function viaTool(tool, args, input, ext) {
  const src = join(out, `tmp-input.${ext}`);
  writeFileSync(src, input);
  const dst = join(out, 'tmp-output');
  execFileSync(tool, [...args(src, dst)], { stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(dst);
}
const jpeg = (w, h, f) => viaTool('cjpeg', (s, d) => ['-quality', '85', '-optimize', '-outfile', d, s], ppm(w, h, pixels(w, h, f)), "ppm");
const webp = (w, h, f) => viaTool('cwebp', (s, d) => ['-quiet', '-q', '80', '-metadata', 'none', s, '-o', d], png(w, h, pixels(w, h, f)), "png");

const sunset = (x, y) => [200 + (x % 56), 80 + y * 4, 60 + ((x * y) % 64)];
const sea = (x, y) => [20 + x * 3, 90 + y * 2, 180 + ((x + y) % 60)];
const leaf = (x, y) => [40 + ((x * 7) % 80), 150 + ((y * 5) % 90), 60];
const svg = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">' +
    '<path fill="#FF6B6B" d="M12 21s-7-4.4-9.5-9A5.5 5.5 0 0 1 12 6a5.5 5.5 0 0 1 9.5 6c-2.5 4.6-9.5 9-9.5 9z"/></svg>\n',
);

// id, extension as the legacy app stored it, bytes, user_id, time_create
const images = [
  [1, 'jpg', jpeg(48, 48, sunset), null, '2023-03-14 09:20:00.123456'],
  [2, 'png', png(30, 30, sea), null, '2023-03-14 09:21:00'],
  [3, 'gif', gif(45, 45, (x, y) => ((x >> 3) + (y >> 3)) % 4, [[255, 107, 107], [77, 150, 255], [107, 203, 119], [255, 255, 255]]), null, '2023-03-14 09:22:00'],
  [4, 'webp', webp(60, 60, leaf), null, '2023-03-14 09:23:00'],
  [5, 'svg', svg, null, '2022-01-10 07:59:00'],
  [6, 'png', png(16, 16, leaf), null, '2022-01-10 07:59:30'],
  [7, 'png', jpeg(24, 24, sea), null, '2022-01-10 08:04:00'], // the legacy extension is wrong: it is a JPEG
  [11, 'jpg', jpeg(40, 40, sea), null, '2022-11-02 17:59:00'],
  [12, 'jpg', Buffer.alloc(0), null, '2020-02-29 11:59:00'], // empty data
  [13, 'png', Buffer.from('this is not an image at all\n'), null, '2022-02-01 00:00:00'],
  // users' photos: nobody migrated references them; they must never be written or uploaded
  [20, 'jpg', jpeg(64, 64, sunset), 100, '2024-05-01 10:00:00'],
  [21, 'png', png(32, 32, sunset), 101, '2024-05-02 10:00:00'],
  [22, 'jpeg', jpeg(32, 32, leaf), 102, null],
  [23, null, null, 103, '2024-05-03 10:00:00'],
];

const lit = (v) => (v === null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);
const sql = images
  .map(([id, ext, data, user, ts]) => `INSERT INTO tls_image (id, extension, data, user_id, time_create) VALUES (${id}, ${lit(ext)}, ${data === null ? 'NULL' : `'\\x${data.toString('hex')}'`}, ${user ?? 'NULL'}, ${lit(ts)});`)
  .join('\n');
writeFileSync(join(out, 'images.sql'), sql + "\nSELECT setval('tls_image_id_seq', 23);\n");
