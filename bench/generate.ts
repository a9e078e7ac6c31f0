/**
 * Deterministic, seeded generator of large legacy dumps in the exact format pg_dump 15 writes (its header,
 * SET lines, COPY blocks, setval lines and footer are taken from the committed samples, which the real
 * pg_dump made). Two kinds:
 *   image-heavy: coaches_with_images.sql of about --size bytes in production's shape: tls_image first (pg_dump's
 *                order for the schema's foreign keys), coaches' photos spread through it, and thousands of
 *                users' photos, JPEG and PNG, 5 kB to 2 MB (log-uniform), as hex bytea: most of the bytes;
 *   text-heavy:  about --rows short rows full of escapes (tabs, newlines, backslashes, quotes, UTF-8) in a
 *                table pg_dump writes alongside (public.tls_message), plus the small legacy tables.
 * Usage: node --import tsx bench/generate.ts image|text <dir> [--size 1e9] [--rows 1e6] [--seed 1]
 */
import { execFileSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyText } from '../tests/helpers/pg-encode.js';

/** mulberry32: a small seeded PRNG (the data must be the same on every run). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLE = readFileSync(new URL('../samples/coaches_with_images.sql', import.meta.url), 'utf8');
/** pg_dump's own header (up to the first table's data comment) and footer, with a seeded restrict key. */
function frame(seed: number): { head: string; foot: string } {
  const key = Buffer.from(
    createCipheriv('aes-128-ctr', Buffer.alloc(16, seed & 0xff), Buffer.alloc(16, 1)).update(Buffer.alloc(48)),
  )
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 63);
  const first = SAMPLE.indexOf('--\n-- Data for Name:');
  const end = SAMPLE.indexOf('--\n-- PostgreSQL database dump complete');
  const restrict = /\\restrict (\S+)/.exec(SAMPLE)![1]!;
  return { head: SAMPLE.slice(0, first).replace(restrict, key), foot: SAMPLE.slice(end).replace(restrict, key) };
}

class Out {
  private fd: number;
  private buf = Buffer.allocUnsafe(8 << 20);
  private n = 0;
  written = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  str(s: string): void {
    const len = Buffer.byteLength(s);
    if (this.n + len > this.buf.length) this.flush();
    if (len > this.buf.length) {
      writeSync(this.fd, s);
    } else this.n += this.buf.write(s, this.n);
    this.written += len;
  }
  flush(): void {
    if (this.n > 0) writeSync(this.fd, this.buf, 0, this.n);
    this.n = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const dataComment = (table: string): string =>
  `--\n-- Data for Name: ${table}; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n`;
const setval = (table: string, n: number): string =>
  `--\n-- Name: ${table}_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -\n--\n\nSELECT pg_catalog.setval('public.${table}_id_seq', ${n}, true);\n\n\n`;
const ts = (r: () => number): string => {
  const d = new Date(Date.UTC(2019, 0, 1) + Math.floor(r() * 5 * 365 * 86400000));
  return d
    .toISOString()
    .replace('T', ' ')
    .replace('Z', '')
    .replace(/\.(\d{3})$/, `.$1${String(Math.floor(r() * 1000)).padStart(3, '0')}`);
};

/** Small categories.sql and config_data.sql, so the transform has every table. */
function smallFiles(dir: string, seed: number): void {
  const { head, foot } = frame(seed);
  const cats = [
    '1\t\\N\tHealth\tHealth\tBody\t\\N\t\\N\t1\t#FF0000\t\\N\tt\tt\tf\t24\tHow are you?\\nBe honest.\t\\N\t\\N\t5\thealth\t2022-01-10 08:00:00',
    '2\t1\tSleep\t\\N\t\\N\t\\N\t\\N\t1\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N',
  ];
  writeFileSync(
    join(dir, 'categories.sql'),
    `${head}${dataComment('tls_category')}COPY public.tls_category (id, parent_id, name, name_short, description, icon_id, icon_id_secondary, sort_order, primary_color, secondary_color, show_checkin_history, checkin_enabled, followup_chat_enabled, followup_timer, prompt_checkin, prompt_checkin_2, guidelines_file_text, max_questions, scope, time_create) FROM stdin;\n${cats.join('\n')}\n\\.\n\n\n${setval('tls_category', 2)}${foot}`,
  );
  writeFileSync(
    join(dir, 'config_data.sql'),
    `${head}${dataComment('tls_prompt')}COPY public.tls_prompt (id, name, prompt, time_create) FROM stdin;\n1\tcheckin\tHello\\nthere\t2023-01-01 00:00:00\n\\.\n\n\n${dataComment('tls_system')}COPY public.tls_system (id, name, value, time_create) FROM stdin;\n1\tversion\t2.7.1\t2023-01-01 00:00:00\n\\.\n\n\n${dataComment('tls_variable')}COPY public.tls_variable (id, name, value, "user", time_create) FROM stdin;\n1\tmax\t3\tt\t2023-01-01 00:00:00\n\\.\n\n\n${foot}`,
  );
}

interface Photo {
  readonly kind: 'jpg' | 'png';
  readonly bytes: Buffer;
}

/**
 * 24 real photos, 4-315 kB, 0.03-3 megapixels (JPEG photos, PNG drawings), made by bench/real-photos.mjs with
 * sharp in a child process (this generator is synchronous), kept in the system's temp folder per seed.
 */
function realPhotos(seed: number): Photo[] {
  const file = join(tmpdir(), `totalis-bench-photos-${seed}-v1.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // without NODE_OPTIONS and tap's coverage (tests/helpers/cli.ts childEnv says why)
    const { NODE_OPTIONS: _, ...env } = process.env;
    text = execFileSync(
      process.execPath,
      [new URL('./real-photos.mjs', import.meta.url).pathname, String(seed), '24'],
      { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0' } },
    );
    writeFileSync(`${file}.${process.pid}`, text);
    renameSync(`${file}.${process.pid}`, file);
  }
  return (JSON.parse(text) as { kind: 'jpg' | 'png'; base64: string }[]).map((p) => ({
    kind: p.kind,
    bytes: Buffer.from(p.base64, 'base64'),
  }));
}

function nearestPhoto(photos: readonly Photo[], bytes: number): Photo {
  return photos.reduce((best, p) =>
    Math.abs(Math.log(p.bytes.length / bytes)) < Math.abs(Math.log(best.bytes.length / bytes)) ? p : best,
  );
}

/**
 * The production shape (issue 18): tls_image first, as pg_dump orders it for the schema's foreign keys, then
 * tls_coach. 200 coaches reference 4 photos each (5-300 kB, log-uniform), spread through the image table;
 * everything else is users' photos (5 kB-2 MB, log-uniform) that nothing references: most of the bytes.
 */
export function generateImageHeavy(
  dir: string,
  size: number,
  seed = 1,
): { images: number; coaches: number; referencedBytes: number; unreferencedBytes: number } {
  mkdirSync(dir, { recursive: true });
  smallFiles(dir, seed);
  const r = prng(seed);
  const stream = createCipheriv('aes-128-ctr', Buffer.alloc(16, seed & 0xff), Buffer.alloc(16, 7));
  const coaches = 200;
  const wanted = 4 * coaches;
  // a coach photo each time the file grows by size / wanted bytes: spread through the whole table
  let nextCoachPhotoAt = 0;
  const out = new Out(join(dir, 'coaches_with_images.sql'));
  const { head, foot } = frame(seed);
  out.str(
    head + dataComment('tls_image') + 'COPY public.tls_image (id, extension, data, user_id, time_create) FROM stdin;\n',
  );
  let id = 0;
  const coachPhotos: number[] = [];
  let referencedBytes = 0;
  let unreferencedBytes = 0;
  const zero = Buffer.alloc(2 << 20);
  const photos = realPhotos(seed);
  while (out.written < size) {
    id++;
    const forCoach = coachPhotos.length < wanted && out.written >= nextCoachPhotoAt;
    if (forCoach) nextCoachPhotoAt += size / wanted;
    const bytes = forCoach
      ? Math.floor(5000 * Math.exp(r() * Math.log(300_000 / 5000)))
      : Math.floor(5000 * Math.exp(r() * Math.log(2_000_000 / 5000)));
    let png = r() < 0.3;
    let img: Buffer;
    if (forCoach) {
      // a coach's photo is a real image (it is decoded in full): the pool's nearest in size
      const p = nearestPhoto(photos, bytes);
      img = p.bytes;
      png = p.kind === 'png';
      coachPhotos.push(id);
      referencedBytes += img.length;
    } else {
      // a user's photo is never decoded (nothing references it): random bytes behind a magic number
      img = stream.update(zero.subarray(0, bytes));
      if (png) img.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      else img.set([0xff, 0xd8, 0xff, 0xe0]);
      unreferencedBytes += bytes;
    }
    out.str(`${id}\t${png ? 'png' : 'jpg'}\t\\\\x`);
    out.str(img.toString('hex'));
    out.str(`\t${forCoach ? '\\N' : String(1000 + (id % 5000))}\t${ts(r)}\n`);
  }
  out.str('\\.\n\n\n' + dataComment('tls_coach'));
  out.str(
    'COPY public.tls_coach (id, name, description, image_id, image30_id, image45_id, image60_id, sex, intro, prompt, time_create) FROM stdin;\n',
  );
  const photo = (k: number): string => (coachPhotos[k] === undefined ? '\\N' : String(coachPhotos[k]));
  for (let c = 1; c <= coaches; c++) {
    const name = c === 1 ? 'Daniel' : `Coach ${c}`;
    out.str(
      `${c}\t${name}\t${copyText(`Coach number ${c}\tcalm\nand kind`)}\t${photo(4 * c - 4)}\t${photo(4 * c - 3)}\t${photo(4 * c - 2)}\t${photo(4 * c - 1)}\t${['M', 'F', 'nb', 'x'][c % 4]}\tI was born in ${1960 + (c % 40)}.\tYou are ${name}.\\nBe brief.\t${ts(r)}\n`,
    );
  }
  out.str('\\.\n\n\n' + setval('tls_coach', coaches) + setval('tls_image', id) + foot);
  out.close();
  return { images: id, coaches, referencedBytes, unreferencedBytes };
}

const WORDS = [
  'tab\there',
  'line\nbreak',
  'back\\slash',
  "quote's",
  '"dq"',
  'café',
  '日本語',
  '🙂',
  'CR\rLF',
  '\\N',
  '\\.',
  'plain',
  'text',
  'semi;colon',
  '--dash',
];

export function generateTextHeavy(dir: string, rows: number, seed = 1): { rows: number } {
  mkdirSync(dir, { recursive: true });
  smallFiles(dir, seed);
  const r = prng(seed);
  const { head, foot } = frame(seed);
  writeFileSync(
    join(dir, 'coaches_with_images.sql'),
    `${head}${dataComment('tls_coach')}COPY public.tls_coach (id, name, description, image_id, image30_id, image45_id, image60_id, sex, intro, prompt, time_create) FROM stdin;\n1\tDaniel\t\\N\t\\N\t\\N\t\\N\t\\N\tM\tborn in 1980\t\\N\t2023-01-01 00:00:00\n\\.\n\n\n${dataComment('tls_image')}COPY public.tls_image (id, extension, data, user_id, time_create) FROM stdin;\n\\.\n\n\n${foot}`,
  );
  const out = new Out(join(dir, 'messages.sql'));
  out.str(head + dataComment('tls_message') + 'COPY public.tls_message (id, user_id, body, created) FROM stdin;\n');
  for (let i = 1; i <= rows; i++) {
    const n = 3 + Math.floor(r() * 8);
    let body = '';
    for (let k = 0; k < n; k++) body += (k > 0 ? ' ' : '') + WORDS[Math.floor(r() * WORDS.length)]!;
    out.str(`${i}\t${1 + Math.floor(r() * 10000)}\t${copyText(body)}\t${ts(r)}\n`);
  }
  out.str('\\.\n\n\n' + setval('tls_message', rows) + foot);
  out.close();
  return { rows };
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const [kind, dir] = process.argv.slice(2);
  const opt = (name: string, dflt: number): number => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? dflt : Number(process.argv[i + 1]);
  };
  if (kind === 'image') console.log(generateImageHeavy(dir!, opt('size', 1e9), opt('seed', 1)));
  else if (kind === 'text') console.log(generateTextHeavy(dir!, opt('rows', 1e6), opt('seed', 1)));
  else console.error('usage: generate.ts image|text <dir> [--size N] [--rows N] [--seed N]');
}
