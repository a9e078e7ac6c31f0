// How many images the image sink holds at once is its own decision (MAX_PENDING writes, MAX_DECODING decodes),
// asserted here with writes and decodes the test holds open: never the machine's memory or speed, which
// tests/transform-memory.test.ts only reports and make bench budgets (bench/results.md).
import { join } from 'node:path';
import t from 'tap';
import { ImageSink, MAX_DECODING, MAX_PENDING, type ImageWork } from '../lib/images/image-sink.js';
import type { ImageRef } from '../lib/images/image-facts.js';
import { TINY_JPEG, withTail } from './helpers/tiny-images.js';

const N = 400;

/** N referenced JPEGs of 20 kB, distinct. */
const images = Array.from({ length: N }, (_, i) => {
  const tail = Buffer.alloc(20_000, i % 251);
  tail.writeUInt32BE(i, 0);
  return { id: i + 1, extension: 'jpg', data: withTail(TINY_JPEG, tail), user_id: null, time_create: null };
});
const refs = new Map<number, ImageRef>(
  images.map((img) => [img.id, { buckets: new Set(['coach-images' as const]), referencedBy: [`tls_coach#${img.id}`] }]),
);

/** Calls of one kind, each held open until the test lets it end; counts how many were open at once. */
class Held<T> {
  open: (() => void)[] = [];
  most = 0;
  started = 0;
  constructor(private readonly result: T) {}
  call = (): Promise<T> => {
    this.started++;
    return new Promise<T>((resolve) => {
      this.open.push(() => resolve(this.result));
      this.most = Math.max(this.most, this.open.length);
    });
  };
  /** Ends every call open now. */
  endAll(): void {
    const ending = this.open;
    this.open = [];
    for (const end of ending) end();
  }
}

/**
 * Gives the sink every image as the reader does (one accept after another), and between turns of the event loop
 * ends whatever calls are open: within one turn nothing but the sink's own bound can stop it starting more.
 */
async function feed(sink: ImageSink, held: Held<unknown>[]): Promise<void> {
  let done = false;
  const feeding = (async () => {
    for (const img of images) await sink.accept(img);
    done = true;
  })();
  while (!done) {
    await new Promise((r) => setImmediate(r));
    for (const h of held) h.endAll();
  }
  await feeding;
  await sink.finish();
}

t.test(
  `${N} images written slowly: at most ${MAX_PENDING} writes, so at most that many images, held at once`,
  async (t) => {
    const writes = new Held<'written'>('written');
    const work: ImageWork = { write: writes.call, decode: () => Promise.resolve(null) };
    const sink = new ImageSink(refs, join(t.testdir({}), 'images'), null, false, work);
    await feed(sink, [writes]);
    t.equal(writes.started, N, 'every image written');
    t.equal(sink.counts.filesWritten, N);
    t.equal(writes.most, MAX_PENDING, `${MAX_PENDING} writes open at most, and that many reached`);
    t.ok(MAX_PENDING < N / 10, 'a bound far below the images in the dump');
  },
);

t.test(`${N} images decoded slowly: at most ${MAX_DECODING} decodes at once`, async (t) => {
  const decodes = new Held<string | null>(null);
  const work: ImageWork = { write: () => Promise.resolve('written'), decode: decodes.call };
  const sink = new ImageSink(refs, join(t.testdir({}), 'images'), null, false, work);
  await feed(sink, [decodes]);
  t.equal(decodes.started, N, 'every image decoded');
  t.equal(decodes.most, MAX_DECODING, `${MAX_DECODING} decodes open at most, and that many reached`);
  t.equal(sink.counts.filesWritten, N);
});
