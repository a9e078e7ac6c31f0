// Images read again by their place: pg_dump writes tls_image before the coaches that say which images matter,
// so the transform notes each image row's place as it streams by and reads only the referenced ones again.
// What is read again must be exactly what was read the first time, in every form pg_dump writes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { readImagesAgain, readLegacyDump, type ImagePlace } from '../lib/legacy/read-legacy.js';
import type { ImageRecord } from '../lib/legacy/records.js';
import { childEnv } from './helpers/cli.js';
import { seededBytes } from './helpers/files.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { TINY_GIF, withTail } from './helpers/tiny-images.js';
import { asyncErrorOf, copyDump, norm } from './helpers/parse.js';
import { copyByteaHex } from './helpers/pg-encode.js';

const dir = mkdtempSync(join(tmpdir(), 'read-again-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const plain = (r: ImageRecord): Record<string, unknown> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)]));

/** Every image as the stream read it, with its place; then every place read again. */
async function firstAndAgain(
  paths: string[],
): Promise<{ first: Record<string, unknown>[]; again: Record<string, unknown>[]; places: ImagePlace[] }> {
  const first: Record<string, unknown>[] = [];
  const places: ImagePlace[] = [];
  await readLegacyDump(paths, {
    onImage: (img, _soFar, place) => {
      first.push(plain({ ...img, data: img.data === null ? null : Buffer.from(img.data) }));
      places.push(place);
    },
    chunkSize: 4096,
  });
  const again: Record<string, unknown>[] = [];
  for await (const img of readImagesAgain(places)) again.push(plain(img));
  return { first, again, places };
}

t.test('the samples in every form: each image read again is the image read first', async (t) => {
  for (const form of [
    'samples/coaches_with_images.sql',
    'samples/gzip/coaches_with_images.sql.gz',
    'samples/inserts/coaches_with_images.sql.gz',
  ]) {
    const { first, again } = await firstAndAgain([form, 'samples/totalis_schema.sql']); // plain --inserts needs the schema dump's column order
    t.equal(first.length, 14, `${form}: 14 images`);
    t.same(again, first, `${form}: the same records, NULL and empty data included`);
  }
});

t.test('rows of one INSERT statement (--rows-per-insert), gzipped, across inflate chunks', async (t) => {
  const images = Array.from({ length: 7 }, (_, i) => ({
    id: i + 1,
    extension: 'bin',
    data: seededBytes(20_000 + i * 7919, i),
    user_id: i,
    time_create: '2020-01-01 00:00:00',
  }));
  const values = images.map(
    (r) => `(${r.id}, 'bin', '\\x${r.data.toString('hex')}', ${r.user_id}, '2020-01-01 00:00:00')`,
  );
  const sql = `SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\nINSERT INTO public.tls_image VALUES\n\t${values.slice(0, 3).join(',\n\t')};\nINSERT INTO public.tls_image VALUES\n\t${values.slice(3).join(',\n\t')};\n\n--\n-- PostgreSQL database dump complete\n--\n\n`;
  const p = join(dir, 'rows-per-insert.sql.gz');
  writeFileSync(p, gzipSync(sql));
  const { first, again, places } = await firstAndAgain([p, 'samples/totalis_schema.sql']);
  t.same(
    places.map((x) => x.tuple),
    [0, 1, 2, 0, 1, 2, 3],
    'tuples numbered within their statement',
  );
  t.same(again, first);
  t.same(
    first.map((r) => r['data']),
    images.map((r) => `hex:${r.data.toString('hex')}`),
    'and both are the bytes written',
  );
  // only a few, in any order asked
  const some: ImagePlace[] = [places[5]!, places[1]!];
  const ids: number[] = [];
  for await (const img of readImagesAgain(some)) ids.push(img.id);
  t.same(ids.sort(), [2, 6]);
});

t.test('LATIN1, CRLF line ends, escapes, and an end marker on the last row of the block', async (t) => {
  const cols = ['id', 'extension', 'data', 'user_id', 'time_create'];
  const head = "SET client_encoding = 'LATIN1';\r\nSET standard_conforming_strings = on;\r\n\r\n";
  const text = copyDump(
    'tls_image',
    cols,
    [
      `1\tj\u00e9pg\t${copyByteaHex(seededBytes(5000, 1))}\t\\N\t\\N`,
      `2\t\\t\\\\x\t\\\\x00ff\t7\t2021-02-03 04:05:06.5`,
      `3\tpng\t${copyByteaHex(seededBytes(300, 3))}\t\\N\t\\N\\.`,
    ],
    { eol: '\r\n', header: head },
  ).replace('\\.\r\n\r\n--', '\r\n--'); // the last row's line carries the end marker itself
  const p = join(dir, 'latin1.sql');
  writeFileSync(p, Buffer.from(text, 'latin1'));
  const { first, again } = await firstAndAgain([p]);
  t.equal(first.length, 3);
  t.equal(first[0]!['extension'], 'jépg', 'LATIN1 read as PostgreSQL converts it');
  t.same(again, first);
});

t.test('a file changed between the pass and the reading again is an error, not another image', async (t) => {
  const d = writeMiniDump(mkdtempSync(join(dir, 'changed-')), {
    tls_image: [
      { id: 7, extension: 'gif', data: Buffer.from('GIF89a-one') },
      { id: 8, extension: 'gif', data: Buffer.from('GIF89a-two') },
    ],
  });
  const { places } = await firstAndAgain([join(d, 'coaches_with_images.sql')]);
  const f = join(d, 'coaches_with_images.sql');
  writeFileSync(f, readFileSync(f, 'utf8').replace(/^7\t/m, '9\t'));
  let e = await asyncErrorOf(async () => {
    for await (const _ of readImagesAgain(places)) void _;
  });
  t.equal(e.code, 'INPUT_IO');
  t.match(e.message, /changed while it was being read: tls_image id 7 was at line \d+, id 9 is there now/);
  writeFileSync(f, 'SET x = 1;\n');
  e = await asyncErrorOf(async () => {
    for await (const _ of readImagesAgain(places)) void _;
  });
  t.equal(e.code, 'INPUT_IO');
  t.match(e.message, /changed while it was being read/);
});

/**
 * Bytes this process read through read(2) and friends, from the kernel's own count (/proc/self/io rchar),
 * in a child that runs the whole transform (the built dist/, as the command runs): what the kernel saw, not what the
 * tool says it did.
 */
function rcharOfTransform(dump: string, out: string): number {
  const script = `
    import { runTransform } from './dist/pipeline/transform.js';
    import { readFileSync } from 'node:fs';
    const before = Number(/rchar: (\\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))[1]);
    await runTransform({ dump: [${JSON.stringify(dump)}], out: ${JSON.stringify(out)}, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
    const after = Number(/rchar: (\\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))[1]);
    console.log(after - before);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: childEnv() });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

t.test(
  'each input is read once in pg_dump order: as many bytes read as with the coaches first',
  { skip: process.platform !== 'linux' ? 'needs /proc/self/io' : false },
  async (t) => {
    // 30 users' photos of 400 kB (24 MB of hex text) that nobody references, and one coach photo
    const photos = Array.from({ length: 30 }, (_, i) => ({
      id: 100 + i,
      extension: 'jpg',
      data: seededBytes(400_000, i),
      user_id: i,
    }));
    const coachPhoto = { id: 7, extension: 'gif', data: withTail(TINY_GIF, seededBytes(1000, 99)) }; // referenced: a real GIF
    const pgOrder = writeMiniDump(mkdtempSync(join(dir, 'pg-order-')), {
      tls_coach: [{ id: 1, name: 'Daniel', image_id: 7 }],
      tls_image: [coachPhoto, ...photos],
    });
    const f = join(pgOrder, 'coaches_with_images.sql');
    const text = readFileSync(f, 'utf8');
    t.ok(text.indexOf('COPY public.tls_image') < text.indexOf('COPY public.tls_coach'), 'tls_image first');
    const coachesFirst = mkdtempSync(join(dir, 'coaches-first-'));
    for (const n of ['categories.sql', 'config_data.sql'])
      writeFileSync(join(coachesFirst, n), readFileSync(join(pgOrder, n)));
    const [head, imageBlock, coachBlock] = text.split(/(?=COPY public\.)/);
    const footerAt = coachBlock!.indexOf('--\n-- PostgreSQL');
    writeFileSync(
      join(coachesFirst, 'coaches_with_images.sql'),
      head! + coachBlock!.slice(0, footerAt) + imageBlock! + coachBlock!.slice(footerAt),
    );
    const size = Buffer.byteLength(text);
    const a = rcharOfTransform(pgOrder, join(dir, 'out-a'));
    const b = rcharOfTransform(coachesFirst, join(dir, 'out-b'));
    t.comment(`image file ${size} bytes; read in pg_dump order ${a}, coaches first ${b}`);
    t.ok(b >= size, 'the file is read (and hashed) in full');
    // reading the whole file a second time would add `size` (24 MB); reading one row again adds ~2 kB
    t.ok(
      Math.abs(a - b) < size / 10,
      `pg_dump order reads ${a - b} bytes more than coaches first (a second pass would be ~${size})`,
    );
  },
);
