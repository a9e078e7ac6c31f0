// Memory of the real command (a child process; its peak RSS as the kernel counted it, no sampling):
// - images stream: 400 images of 200 kB peak no higher than 100 do (holding them would add 60 MB decoded, 120 MB
//   of hex), in pg_dump's order, where the referenced ones are read again by their place;
// - one long value: a 30 MB prompt (escaped in COPY, JSON and SQL alike) peaks within a generous cap of the base
//   plus 4x the value (make bench measures the budget, 3x: bench/results.md); before issue 17 it was ~7x.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { peakRssOf } from './helpers/memory.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { TINY_JPEG, withTail } from './helpers/tiny-images.js';

const SIZE = 200_000;

function imageDump(dir: string, n: number): string {
  mkdirSync(dir, { recursive: true });
  // a real JPEG (referenced images must decode), made distinct and SIZE bytes long by what follows its end
  const image = (i: number): Buffer => {
    const tail = Buffer.alloc(SIZE - TINY_JPEG.length, i % 251);
    tail.writeUInt32BE(i, 0);
    return withTail(TINY_JPEG, tail);
  };
  writeMiniDump(dir, {
    tls_coach: [
      { id: 1, name: 'Daniel', image_id: 1 },
      ...Array.from({ length: n / 2 }, (_, i) => ({ id: i + 2, name: `Coach ${i + 2}`, image_id: i + 2 })),
    ],
    tls_image: Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      extension: 'jpg',
      data: image(i + 1),
      user_id: i + 1 > n / 2 + 1 ? 7 : null,
    })),
  });
  return dir;
}

t.test('peak memory does not grow with the images in the dump', async (t) => {
  const dir = t.testdir({});
  const small = await peakRssOf([
    'transform',
    '--dump',
    imageDump(join(dir, 'small'), 100),
    '--out',
    join(dir, 'out-small'),
  ]);
  const large = await peakRssOf([
    'transform',
    '--dump',
    imageDump(join(dir, 'large'), 400),
    '--out',
    join(dir, 'out-large'),
  ]);
  t.equal(small.code, 0, small.stderr);
  t.equal(large.code, 0, large.stderr);
  t.match(large.stdout, /images written 201, not referenced \(never written\) 199/);
  t.comment(
    `peak RSS: ${small.peakMb.toFixed(0)} MB with 100 images (40 MB of hex), ${large.peakMb.toFixed(0)} MB with 400 (160 MB of hex)`,
  );
  t.ok(
    large.peakMb - small.peakMb < 40,
    `400 images peak ${(large.peakMb - small.peakMb).toFixed(0)} MB above 100 (under 40; holding them would be 60+)`,
  );
});

t.test('one 30 MB value: peak memory within the base plus 4x the value', async (t) => {
  const dir = t.testdir({});
  const unit = 'Be kind.\tSay "hi" \\ then wait.\n';
  const long = unit.repeat(Math.ceil(30e6 / unit.length)).slice(0, 30e6);
  writeMiniDump(mkdirSync(join(dir, 'base'), { recursive: true })!, {
    tls_prompt: [{ id: 1, name: 'long', prompt: 'hello' }],
  });
  writeMiniDump(mkdirSync(join(dir, 'long'), { recursive: true })!, {
    tls_prompt: [{ id: 1, name: 'long', prompt: long }],
  });
  const base = await peakRssOf(['transform', '--dump', join(dir, 'base'), '--out', join(dir, 'out-base')]);
  const big = await peakRssOf(['transform', '--dump', join(dir, 'long'), '--out', join(dir, 'out-long')]);
  t.equal(base.code, 0, base.stderr);
  t.equal(big.code, 0, big.stderr);
  const ratio = (big.peakMb - base.peakMb) / 30;
  t.comment(
    `peak RSS ${base.peakMb.toFixed(0)} MB with a 5-byte prompt, ${big.peakMb.toFixed(0)} MB with a 30 MB one: ${ratio.toFixed(2)}x the value above the base`,
  );
  t.ok(ratio <= 4, `${ratio.toFixed(2)}x the value above the base (at most 4)`);
});
