// `totalis-migrate transform` as users run it: the summary, blocking findings, --strict, nothing written on
// failure (the previous out/ intact), options, and clear errors for missing or doubled tables.
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { cli } from './helpers/cli.js';
import { readTree, sameOutput, withoutRunIdentity } from './helpers/files.js';
import { DUMP_FOOTER } from './helpers/parse.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { TINY_GIF, TINY_PNG } from './helpers/tiny-images.js';

const dir = (t: Test, name: string): string => {
  const d = join(t.testdirName, name);
  mkdirSync(d, { recursive: true });
  return d;
};

t.test('the samples: summary and files', async (t) => {
  t.testdir({});
  const out = join(t.testdirName, 'out');
  const r = await cli(['transform', '--dump', 'samples', '--out', out]);
  t.equal(r.code, 0, r.stderr);
  t.match(
    r.stdout,
    /^transform: coaches 6, categories 10, app_config 16; images written 9, not referenced \(never written\) 4\nfindings: 0 errors, 9 warnings, 4 info\nchanges since the previous output: none to compare with \(a first run\)\nnote: the image URLs in migration\.sql point at http:\/\/127\.0\.0\.1:54321, the local default \(a Supabase stack on this machine\); for a real project run again with --supabase-url https:\/\/<project>\.supabase\.co \(or set SUPABASE_URL\)\nwrote .*out\/: migration\.sql, verify\.sql, rollback\.sql, data\/, images\/; read .*out\/report\.md\n$/,
  );
  t.same(
    [...readTree(out).keys()].filter((p) => !p.startsWith('images/') || p.endsWith('.json')),
    [
      '.totalis-migrate-output',
      'data/app_config.json',
      'data/categories.json',
      'data/coaches.json',
      'images/manifest.json',
      'migration.sql',
      'report.md',
      'review.html',
      'rollback.sql',
      'verify.sql',
    ],
  );
});

t.test('--strict: warnings block; nothing written; the previous out/ intact', async (t) => {
  t.testdir({});
  const out = join(t.testdirName, 'out');
  t.equal((await cli(['transform', '--dump', 'samples', '--out', out])).code, 0);
  const before = readTree(out);
  const r = await cli(['transform', '--dump', 'samples', '--out', out, '--strict']);
  t.equal(r.code, 1);
  t.match(
    r.stderr,
    /the data has 0 errors and 9 warnings \(--strict\); nothing was written:\n {2}warning coach\.sex\.unknown tls_coach#5: sex "Wizard"/,
  );
  const after = readTree(out);
  t.ok([...before].every(([p, v]) => after.get(p)?.equals(v)) && before.size === after.size, 'out/ unchanged');
  t.notOk(existsSync(`${out}.partial`), 'no partial output left behind');
});

t.test('errors block; --break-cycles and --default-coach unblock', async (t) => {
  t.testdir({});
  const cyc = writeMiniDump(dir(t, 'cycle'), {
    tls_category: [
      { id: 1, parent_id: 2, name: 'A' },
      { id: 2, parent_id: 1, name: 'B' },
      { id: 3, parent_id: 3, name: 'Self' },
    ],
  });
  const out = join(t.testdirName, 'out1');
  let r = await cli(['transform', '--dump', cyc, '--out', out]);
  t.equal(r.code, 1);
  t.match(
    r.stderr,
    /error category\.cycle tls_category#1: the parent links form a cycle: tls_category#1, tls_category#2/,
  );
  t.match(r.stderr, /error category\.cycle tls_category#3: .*tls_category#3;/);
  t.notOk(existsSync(out), 'nothing written');
  r = await cli(['transform', '--dump', cyc, '--out', out, '--break-cycles']);
  t.equal(r.code, 0, r.stderr);
  t.match(readFileSync(join(out, 'report.md'), 'utf8'), /category\.cycle\.broken/);

  const noDaniel = writeMiniDump(dir(t, 'nodaniel'), {
    tls_coach: [
      { id: 4, name: 'Ana' },
      { id: 5, name: 'Bo' },
    ],
  });
  r = await cli(['transform', '--dump', noDaniel, '--out', join(t.testdirName, 'out2')]);
  t.equal(r.code, 1);
  t.match(r.stderr, /config\.default_coach\.missing/);
  r = await cli(['transform', '--dump', noDaniel, '--out', join(t.testdirName, 'out2'), '--default-coach', '5']);
  t.equal(r.code, 0, r.stderr);
  t.match(
    readFileSync(join(t.testdirName, 'out2', 'data', 'app_config.json'), 'utf8'),
    /"legacy_id": 5,\n\s+"name": "Bo"/,
  );
  r = await cli(['transform', '--dump', noDaniel, '--out', join(t.testdirName, 'out2'), '--default-coach', 'ana']);
  t.equal(r.code, 0, r.stderr);

  const blank = writeMiniDump(dir(t, 'blank'), {
    tls_coach: [
      { id: 1, name: 'Daniel' },
      { id: 2, name: ' ' },
    ],
  });
  r = await cli(['transform', '--dump', blank, '--out', join(t.testdirName, 'out3')]);
  t.equal(r.code, 1);
  t.match(r.stderr, /error coach\.name\.missing tls_coach#2/);
});

t.test('options: time zone, Supabase URL', async (t) => {
  t.testdir({});
  const d = writeMiniDump(dir(t, 'tz'), {
    tls_coach: [{ id: 1, name: 'Daniel', time_create: '2023-07-01 12:00:00.123456', image_id: 1 }],
    tls_image: [{ id: 1, extension: 'png', data: TINY_PNG }],
  });
  const out = join(t.testdirName, 'out');
  let r = await cli([
    'transform',
    '--dump',
    d,
    '--out',
    out,
    '--source-timezone',
    'Europe/Lisbon',
    '--supabase-url',
    'https://x.supabase.co/',
  ]);
  t.equal(r.code, 0, r.stderr);
  const coach = JSON.parse(readFileSync(join(out, 'data/coaches.json'), 'utf8'))[0] as Record<string, string>;
  t.equal(coach['created_at'], '2023-07-01 12:00:00.123456+01:00');
  t.match(
    coach['photo_url'],
    /^https:\/\/x\.supabase\.co\/storage\/v1\/object\/public\/coach-images\/1-[0-9a-f]{16}\.png$/,
  );
  r = await cli(['transform', '--dump', d, '--out', out], { SUPABASE_URL: 'https://env.example//' });
  t.equal(r.code, 0);
  t.match(
    readFileSync(join(out, 'data/coaches.json'), 'utf8'),
    /"https:\/\/env\.example\/storage\/v1\/object\/public\/coach-images\//,
  );
  r = await cli(['transform', '--dump', d, '--out', out, '--source-timezone', 'Mars/Olympus']);
  t.equal(r.code, 2);
  t.match(r.stderr, /--source-timezone "Mars\/Olympus" is not a time zone name/);
  r = await cli(['transform', '--dump', d, '--out', out, '--supabase-url', 'ftp://nope']);
  t.equal(r.code, 2);
});

t.test('tables missing or doubled, a folder that is not ours', async (t) => {
  t.testdir({});
  const d = writeMiniDump(dir(t, 'partial'));
  writeFileSync(join(d, 'config_data.sql'), "SET client_encoding = 'UTF8';\n" + DUMP_FOOTER);
  let r = await cli(['transform', '--dump', d, '--out', join(t.testdirName, 'o')]);
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    /no data for tls_prompt, tls_variable, tls_system in the inputs \(no data dump has their "-- Data for Name: tls_prompt; Type: TABLE DATA" entry, which pg_dump writes for every table it dumps, empty or not: dump them with pg_dump --data-only -t public\.tls_prompt -t public\.tls_variable -t public\.tls_system\); read: categories\.sql \(public\.tls_category\); coaches_with_images\.sql \(public\.tls_image, public\.tls_coach\); config_data\.sql \(no data\) \[TABLE_MISSING\]/,
  );
  r = await cli(['transform', '--dump', 'samples', 'samples/gzip', '--out', join(t.testdirName, 'o')]);
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    /the data of tls_category is in both categories\.sql and categories\.sql\.gz: give each table once \[TABLE_DUPLICATE\]/,
  );
  const mine = dir(t, 'precious');
  writeFileSync(join(mine, 'thesis.txt'), 'do not delete');
  r = await cli(['transform', '--dump', 'samples', '--out', mine]);
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    /refusing to replace .*precious: it is not a totalis-migrate output \(no \.totalis-migrate-output in it\)/,
  );
  t.equal(readFileSync(join(mine, 'thesis.txt'), 'utf8'), 'do not delete');
});

t.test("images before the coaches that reference them (pg_dump's order) or after: the same output", async (t) => {
  t.testdir({});
  const d = dir(t, 'production-order');
  writeMiniDump(d, {
    tls_coach: [{ id: 1, name: 'Daniel', image_id: 7 }],
    tls_image: [
      { id: 7, extension: 'gif', data: TINY_GIF },
      { id: 8, extension: 'jpg', data: Buffer.from('ffd8ffe0', 'hex'), user_id: 3 },
    ],
  });
  const f = join(d, 'coaches_with_images.sql');
  const text = readFileSync(f, 'utf8');
  t.ok(
    text.indexOf('COPY public.tls_image') < text.indexOf('COPY public.tls_coach'),
    'the helper writes tls_image first, as pg_dump does for the production schema',
  );
  // the same data with the coaches first
  const e = dir(t, 'coaches-first');
  for (const n of ['categories.sql', 'config_data.sql']) writeFileSync(join(e, n), readFileSync(join(d, n)));
  const [head, imageBlock, coachBlock] = text.split(/(?=COPY public\.)/);
  const footerAt = coachBlock!.indexOf('--\n-- PostgreSQL database dump complete');
  writeFileSync(
    join(e, 'coaches_with_images.sql'),
    head! + coachBlock!.slice(0, footerAt) + imageBlock! + coachBlock!.slice(footerAt),
  );
  const outs = [join(t.testdirName, 'out-d'), join(t.testdirName, 'out-e')];
  for (const [i, src] of [d, e].entries()) {
    const r = await cli(['transform', '--dump', src, '--out', outs[i]!]);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /images written 1, not referenced \(never written\) 1/);
  }
  t.same(
    [...readTree(join(outs[0]!, 'images')).keys()]
      .filter((p) => p !== 'manifest.json')
      .map((p) => p.replace(/-[0-9a-f]{16}/, '-H')),
    ['coach-images/7-H.gif'],
  );
  const strip = (b: Buffer | undefined): string =>
    withoutRunIdentity((b ?? Buffer.alloc(0)).toString('utf8'))
      .replace(/[0-9a-f]{64}/g, 'SHA')
      .replace(/public\.tls_image \(2\), public\.tls_coach \(1\)/, 'public.tls_coach (1), public.tls_image (2)');
  const [a, b] = outs.map((o) => readTree(o));
  t.same([...a!.keys()], [...b!.keys()], 'the same files');
  for (const [k, v] of a!)
    t.equal(strip(v), strip(b!.get(k)), `${k} the same (apart from the input's hash and table order)`);
});

t.test('a re-run links the unchanged images of the previous out/, never a changed one', async (t) => {
  t.testdir({});
  const out = join(t.testdirName, 'out');
  t.equal((await cli(['transform', '--dump', 'samples', '--out', out])).code, 0);
  const first = readTree(out);
  const images = [...first.keys()].filter((p) => p.startsWith('images/') && !p.endsWith('.json'));
  t.equal(images.length, 9);
  const inode = (p: string): number => statSync(join(out, p)).ino;
  const before = new Map(images.map((p) => [p, inode(p)]));
  // someone edits one image of the old output in place (same size, one byte changed)
  const [edited, ...kept] = images as [string, ...string[]];
  const bytes = readFileSync(join(out, edited));
  const mid = bytes.length >> 1;
  bytes[mid] = bytes[mid]! ^ 0xff;
  writeFileSync(join(out, edited), bytes);

  const r = await cli(['transform', '--dump', 'samples', '--out', out]);
  t.equal(r.code, 0, r.stderr);
  t.match(
    r.stdout,
    /images written 9 \(8 unchanged since the previous output: linked, not written again\), not referenced \(never written\) 4\n/,
  );
  const second = readTree(out);
  t.ok(
    sameOutput(first, second),
    'the same bytes as the first run (report.md apart from its change list), the edited image written afresh',
  );
  for (const p of kept) t.equal(inode(p), before.get(p), `${p}: the previous file, linked`);
  t.not(inode(edited), before.get(edited), 'the edited file was not carried over');
  t.equal(statSync(join(out, edited)).nlink, 1, 'and the new file is not shared');

  // no earlier output (or one that is not ours): everything written
  const fresh = join(t.testdirName, 'fresh');
  t.match((await cli(['transform', '--dump', 'samples', '--out', fresh])).stdout, /images written 9, not referenced/);
});

t.test('a re-run never carries over a symbolic link, even to the same bytes', async (t) => {
  t.testdir({});
  const out = join(t.testdirName, 'out');
  t.equal((await cli(['transform', '--dump', 'samples', '--out', out])).code, 0);
  const image = [...readTree(out).keys()].find((p) => p.startsWith('images/coach-images/'))!;
  const elsewhere = join(t.testdirName, 'elsewhere.bin');
  writeFileSync(elsewhere, readFileSync(join(out, image)));
  rmSync(join(out, image));
  symlinkSync(elsewhere, join(out, image));
  const r = await cli(['transform', '--dump', 'samples', '--out', out]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /\(8 unchanged since the previous output/);
  t.ok(lstatSync(join(out, image)).isFile(), 'a regular file again');
});
