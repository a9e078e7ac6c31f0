// lib/dump/chunk-buffer.ts on its own: what the parser relies on when it hands bytes to the buffer and keeps
// indexes into them. The parser's own tests feed every chunking; these check the buffer's promises directly.
import t from 'tap';
import { ChunkBuffer } from '../lib/dump/chunk-buffer.js';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

t.test('a chunk is used as it is when nothing is pending, and let go at release', async (t) => {
  const b = new ChunkBuffer();
  const chunk = Buffer.from('abc\n');
  t.equal(b.add(chunk, 0), 0);
  t.equal(b.bytes, chunk, 'no copy: the very chunk');
  t.notOk(b.ownsBytes(), "the caller's chunk is not ours to rewrite");
  t.equal(b.release(4), 4, 'all consumed: indexes move down by 4');
  t.equal(b.bytes.length, 0);
  t.equal(b.offsetOf(0), 4);
});

t.test('pending bytes are copied at release, so the caller may read into its chunk again', async (t) => {
  const b = new ChunkBuffer();
  const chunk = Buffer.from('line one\nline tw');
  b.add(chunk, 0);
  t.equal(b.release(9), 9, 'the consumed line is dropped');
  chunk.fill(0x21);
  t.equal(b.bytes.toString(), 'line tw', 'the pending part survived the scribble');
  t.ok(b.ownsBytes(), 'now in our own store');
  t.equal(b.offsetOf(0), 9);
  const next = Buffer.from('o\n');
  t.equal(b.add(next, 0), 0, 'room after it: appended in place, indexes unchanged');
  t.equal(b.bytes.toString(), 'line two\n');
});

t.test('for any chunking and consumption, bytes after the consumed index are the input from that offset', async (t) => {
  const input = Buffer.alloc(300_000);
  for (let i = 0; i < input.length; i++) input[i] = (i * 7 + (i >> 9)) & 0xff;
  for (const seed of [1, 2, 3, 42, 2026]) {
    const rnd = random(seed);
    const b = new ChunkBuffer();
    const reused = Buffer.alloc(70_000);
    let fed = 0;
    let consumed = 0; // index into b.bytes
    let bad = 0;
    while (fed < input.length) {
      // chunks from 1 byte to 70 kB (more than the first store), read into one reused Buffer
      const n = Math.min(input.length - fed, rnd() < 0.2 ? 1 + Math.floor(rnd() * 10) : Math.floor(rnd() * 70_000) + 1);
      input.copy(reused, 0, fed, fed + n);
      consumed -= b.add(reused.subarray(0, n), consumed);
      fed += n;
      // the owner consumes part of what is held (sometimes nothing, sometimes all)
      const held = b.bytes.length - consumed;
      const r = rnd();
      consumed += r < 0.3 ? 0 : r < 0.5 ? held : Math.floor(rnd() * held);
      consumed -= b.release(consumed);
      reused.fill(0xee);
      const from = b.offsetOf(consumed);
      if (!b.bytes.subarray(consumed).equals(input.subarray(from, fed))) bad++;
      if (b.offsetOf(b.bytes.length) !== fed) bad++;
    }
    t.equal(bad, 0, `seed ${seed}: every step held exactly the unconsumed input, at the right offsets`);
  }
});

t.test('a store grown for a huge line is let go for a small one as soon as the line is consumed', async (t) => {
  const b = new ChunkBuffer();
  const huge = Buffer.alloc(40 << 20, 0x61);
  b.add(Buffer.from('x'), 0);
  b.release(0);
  b.add(huge, 0);
  b.release(0);
  t.ok(b.ownsBytes());
  const big = b.bytes.buffer.byteLength;
  t.ok(big >= huge.length + 1, 'the store held the line');
  // the line ends and is consumed; the next one is cut by the chunk's end
  let consumed = 0;
  consumed -= b.add(Buffer.from('\nnext'), consumed);
  consumed = huge.length + 2;
  consumed -= b.release(consumed);
  t.equal(b.bytes.subarray(consumed).toString(), 'next');
  t.ok(b.bytes.buffer.byteLength < 1 << 20, `a small store again (${b.bytes.buffer.byteLength} bytes, was ${big})`);
  consumed -= b.add(Buffer.from(' line\nand a cut one'), consumed);
  consumed = b.bytes.indexOf(0x0a, consumed) + 1;
  consumed -= b.release(consumed);
  t.equal(b.bytes.subarray(consumed).toString(), 'and a cut one');
});

t.test('a finder forgets its answer when the bytes change, even in the same Buffer object', async (t) => {
  const b = new ChunkBuffer();
  const nextCr = b.finder(0x0d);
  const chunk = Buffer.from('aaaa\rbbbb');
  b.add(chunk, 0);
  t.equal(nextCr(0), 4);
  const g = b.generation;
  b.release(chunk.length);
  Buffer.from('a\rcccccc').copy(chunk); // the next read lands in the same object
  b.add(chunk, 0);
  t.equal(b.bytes, chunk, 'the same object');
  t.not(b.generation, g, 'the generation moved');
  t.equal(nextCr(0), 1, 'the new answer, not the remembered 4');
});

t.test('startAt counts offsets from mid-file', async (t) => {
  const b = new ChunkBuffer();
  b.startAt(1000);
  b.add(Buffer.from('row\n'), 0);
  t.equal(b.offsetOf(2), 1002);
});
