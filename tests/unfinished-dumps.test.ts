// A pg_dump that failed part-way is refused, in every form: a real pg_dump 15 aborted by an encoding error
// (needs DATABASE_URL), and the committed samples cut after their last data block, joined, or without the
// \unrestrict that closes their \restrict.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import t from 'tap';
import { readLegacyDump } from '../lib/legacy/read-legacy.js';
import { asyncErrorOf } from './helpers/parse.js';
import { DATABASE_URL, dropDb, needsPg, psqlOk, scratchDb } from './helpers/pg.js';

const dir = mkdtempSync(join(tmpdir(), 'unfinished-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const FOOTER = '--\n-- PostgreSQL database dump complete\n--\n';
const sample = (name: string): string => readFileSync(join('samples', name), 'utf8');
const write = (name: string, text: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

t.test('the samples as pg_dump wrote them are read', async (t) => {
  for (const f of ['coaches_with_images.sql', 'categories.sql', 'config_data.sql', 'totalis_schema.sql']) {
    const d = await readLegacyDump([join('samples', f)]);
    t.equal(d.files.length, 1, `${f} read`);
  }
});

t.test('a dump without its footer is refused, naming the file and what is missing', async (t) => {
  const whole = sample('categories.sql');
  const cut = whole.slice(0, whole.indexOf(FOOTER)); // every COPY block whole, then nothing
  const e = await asyncErrorOf(() => readLegacyDump([write('categories.sql', cut)]));
  t.equal(e.code, 'DUMP_INCOMPLETE');
  t.equal(e.position.file, 'categories.sql');
  t.match(e.message, /pg_dump did not finish this file/);
  t.match(e.message, /PostgreSQL database dump complete/);
  t.match(e.message, /\\unrestrict that closes its \\restrict of line 5/, 'the open \\restrict is named too');
});

t.test('the footer followed by more SQL (two dumps joined, the second cut) is refused', async (t) => {
  const first = sample('categories.sql');
  const config = sample('config_data.sql');
  const secondCut = config.slice(0, config.indexOf('COPY public.tls_system')).replace(/\\restrict \S+\n/, '');
  const e = await asyncErrorOf(() => readLegacyDump([write('joined.sql', first + secondCut)]));
  t.equal(e.code, 'DUMP_INCOMPLETE', e.message);
  t.match(e.message, /does not end with pg_dump's "-- PostgreSQL database dump complete" footer/);
});

t.test('a \\restrict without its \\unrestrict is refused, even after the footer', async (t) => {
  const whole = sample('categories.sql');
  const e = await asyncErrorOf(() =>
    readLegacyDump([write('categories.sql', whole.replace(/\\unrestrict \S+\n/, ''))]),
  );
  t.equal(e.code, 'DUMP_INCOMPLETE');
  t.match(e.message, /the \\restrict of line 5 is not closed by \\unrestrict/);
});

t.test('gzip and the INSERT forms are held to the same', async (t) => {
  const inserts = gunzipSync(readFileSync('samples/inserts/categories.sql.gz')).toString('utf8');
  const cutInserts = inserts.slice(0, inserts.indexOf(FOOTER));
  let e = await asyncErrorOf(() => readLegacyDump([write('ins.sql', cutInserts)]));
  t.equal(e.code, 'DUMP_INCOMPLETE', '--column-inserts');
  e = await asyncErrorOf(() => readLegacyDump([write('ins.sql.gz', gzipSync(cutInserts))]));
  t.equal(e.code, 'DUMP_INCOMPLETE', '--column-inserts, gzipped');
  const whole = sample('coaches_with_images.sql');
  e = await asyncErrorOf(() => readLegacyDump([write('c.sql.gz', gzipSync(whole.slice(0, whole.indexOf(FOOTER))))]));
  t.equal(e.code, 'DUMP_INCOMPLETE', 'COPY, gzipped');
});

t.test('a real pg_dump 15 that failed part-way (encoding error) is refused', needsPg, async (t) => {
  const db = 'totalis_unfinished';
  const url = scratchDb(db);
  t.teardown(() => dropDb(db));
  psqlOk(['-f', 'samples/source/legacy-schema.sql'], undefined, url);
  // 602 rows that LATIN1 can hold, then one it cannot: pg_dump stops in the middle of the table's COPY
  psqlOk(
    [
      '-c',
      "INSERT INTO tls_category (id, name) SELECT g, 'category ' || g FROM generate_series(1, 602) g; INSERT INTO tls_category (id, name) VALUES (603, '日本')",
    ],
    undefined,
    url,
  );
  const path = join(dir, 'categories.sql');
  const r = spawnSync('pg_dump', ['--data-only', '--encoding=LATIN1', '-t', 'public.tls_category', '-f', path, url]);
  t.equal(r.status, 1, 'pg_dump failed');
  t.match(r.stderr.toString(), /has no equivalent in encoding "LATIN1"/);
  const text = readFileSync(path, 'latin1');
  t.match(text, /^\\\.$/m, 'yet the file has a COPY block ending with its end marker');
  t.notMatch(text, /dump complete/, 'and no footer');
  const e = await asyncErrorOf(() => readLegacyDump([path]));
  t.equal(e.code, 'DUMP_INCOMPLETE');
  t.equal(e.position.file, 'categories.sql');
  t.ok(DATABASE_URL !== undefined);
});
