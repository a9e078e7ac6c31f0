// Memory of the real command, asserted by what the code decides, never by the figures the machine gives (a busy
// machine moved them past every threshold; make bench budgets them, bench/results.md):
// - images stream: 400 images of 200 kB in pg_dump's order, where the referenced ones are read again by their
//   place, are all accounted for; how many the image sink holds at once is its own bound
//   (tests/image-sink-bounds.test.ts);
// - one long value: a 30 MB prompt (escaped in COPY, JSON and SQL alike) reaches every file only in pieces of
//   under 1 MB (text-parts.ts's slices), so no whole quoted or escaped copy of it is made.
// The child's peak RSS (as the kernel counted it, no sampling) is reported as a comment only.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { OutDir } from '../lib/output/out-dir.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { LazyText, type Part } from '../lib/text-parts.js';
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

t.test('100 and 400 images in the dump: every one written or counted (peak RSS reported, not asserted)', async (t) => {
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
  t.match(small.stdout, /images written 51, not referenced \(never written\) 49/);
  t.match(large.stdout, /images written 201, not referenced \(never written\) 199/);
  t.comment(
    `peak RSS: ${small.peakMb.toFixed(0)} MB with 100 images (40 MB of hex), ${large.peakMb.toFixed(0)} MB with 400 (160 MB of hex): ${(large.peakMb - small.peakMb).toFixed(0)} MB more (holding the images would be 60+)`,
  );
});

/** The longest piece of text handed to a file (a string part, or one slice of a LazyText) and a LazyText's length. */
function pieces(content: string | readonly Part[]): { longest: number; lazy: number } {
  let longest = 0;
  let lazy = 0;
  for (const p of typeof content === 'string' ? [content] : content) {
    if (!(p instanceof LazyText)) {
      longest = Math.max(longest, p.length);
      continue;
    }
    for (const slice of p.slices()) {
      longest = Math.max(longest, slice.length);
      lazy += slice.length;
    }
  }
  return { longest, lazy };
}

t.test('one 30 MB value reaches every file in pieces of under 1 MB (peak RSS reported, not asserted)', async (t) => {
  const dir = t.testdir({});
  const unit = 'Be kind.\tSay "hi" \\ then wait.\n';
  const long = unit.repeat(Math.ceil(30e6 / unit.length)).slice(0, 30e6);
  writeMiniDump(mkdirSync(join(dir, 'base'), { recursive: true })!, {
    tls_prompt: [{ id: 1, name: 'long', prompt: 'hello' }],
  });
  writeMiniDump(mkdirSync(join(dir, 'long'), { recursive: true })!, {
    tls_prompt: [{ id: 1, name: 'long', prompt: long }],
  });

  // the real command, for the figures only
  const base = await peakRssOf(['transform', '--dump', join(dir, 'base'), '--out', join(dir, 'out-base')]);
  const big = await peakRssOf(['transform', '--dump', join(dir, 'long'), '--out', join(dir, 'out-long')]);
  t.equal(base.code, 0, base.stderr);
  t.equal(big.code, 0, big.stderr);
  const ratio = (big.peakMb - base.peakMb) / 30;
  t.comment(
    `peak RSS ${base.peakMb.toFixed(0)} MB with a 5-byte prompt, ${big.peakMb.toFixed(0)} MB with a 30 MB one: ${ratio.toFixed(2)}x the value above the base (make bench's budget: 3x)`,
  );

  // in this process, every file's content as the transform hands it to the output (OutDir.write, then written as
  // it is given)
  const written = new Map<string, { longest: number; lazy: number }>();
  const write = OutDir.prototype.write;
  OutDir.prototype.write = function (this: OutDir, rel, content) {
    written.set(rel, pieces(content));
    return write.call(this, rel, content);
  };
  t.teardown(() => void (OutDir.prototype.write = write));
  await runTransform({
    dump: [join(dir, 'long')],
    out: join(dir, 'out-inprocess'),
    sourceTimezone: 'UTC',
    strict: false,
    breakCycles: false,
    env: {},
  });
  OutDir.prototype.write = write;
  const holding = [...written].filter(([, w]) => w.lazy >= 30e6).map(([rel]) => rel);
  t.ok(holding.length >= 2, `the value is written, escaped, into ${holding.join(', ')}`);
  const longest = Math.max(...[...written.values()].map((w) => w.longest));
  t.ok(longest < 1 << 20, `the longest piece handed to a file is ${longest} characters (under 1 MB)`);
});
