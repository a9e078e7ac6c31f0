// `totalis-migrate inspect`, and how the CLI reports users' mistakes: a message, an exit code, no stack.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { binCli, cli } from './helpers/cli.js';

t.test('inspect the samples', async (t) => {
  const r = await cli(['inspect', 'samples']);
  t.equal(r.code, 0);
  t.equal(r.stderr, '');
  t.match(r.stdout, /coaches_with_images\.sql {2}\(23\.\d kB, sha256 [0-9a-f]{16}…\)/);
  t.match(
    r.stdout,
    /pg_dump 15\.\d+ \(Debian [^)]+\); server 15\.\d+ [^;]+; encoding UTF8; restrict key present \(never shown\)/,
  );
  t.match(r.stdout, /public\.tls_image +COPY +14 rows +2\d\.\d kB/);
  t.match(r.stdout, /public\.tls_variable columns: id, name, value, user, time_create/);
  t.match(r.stdout, /sequences: public\.tls_coach_id_seq = 6, public\.tls_image_id_seq = 23/);
  t.match(r.stdout, /no table data \(schema only: 6 CREATE TABLEs\)/);
  t.notMatch(r.stdout, /\\restrict [A-Za-z0-9]{20,}/, 'the restrict key is never printed');
});

t.test('inspect --json', async (t) => {
  const r = await cli(['inspect', 'samples/gzip', '--json']);
  t.equal(r.code, 0);
  const j = JSON.parse(r.stdout) as {
    files: {
      name: string;
      gzip: boolean;
      restrictKey: boolean;
      tables: { table: string; rows: number; columns: string[] }[];
    }[];
  };
  t.same(
    j.files.map((f) => f.name),
    ['categories.sql.gz', 'coaches_with_images.sql.gz', 'config_data.sql.gz', 'totalis_schema.sql.gz'],
  );
  t.ok(j.files.every((f) => f.gzip && f.restrictKey));
  t.same(
    j.files[1]!.tables.map((x) => [x.table, x.rows]),
    [
      ['public.tls_image', 14],
      ['public.tls_coach', 6],
    ],
  );
});

t.test("users' mistakes: a clear message and exit 2, no stack trace", async (t) => {
  const dir = t.testdir({
    'empty.sql': '',
    'trunc.sql': 'COPY public.tls_prompt (id, name, prompt, time_create) FROM stdin;\n1\tx\ty\t\\N\n',
  });
  let r = await cli(['inspect', join(dir, 'missing.sql')]);
  t.equal(r.code, 2);
  t.match(r.stderr, /^totalis-migrate: .*missing\.sql: no such file or directory \[INPUT_NOT_FOUND\]\n$/);
  r = await cli(['inspect', join(dir, 'empty.sql')]);
  t.equal(r.code, 2);
  t.match(r.stderr, /empty\.sql:1: the file is empty/);
  r = await cli(['inspect', join(dir, 'trunc.sql')]);
  t.equal(r.code, 2);
  t.match(r.stderr, /trunc\.sql:3, table public\.tls_prompt: end of file inside the COPY data/);
  r = await cli(['inspect']);
  t.equal(r.code, 2);
  t.match(r.stderr, /Not enough non-option arguments|paths/);
  r = await cli(['frobnicate']);
  t.equal(r.code, 2);
  t.match(r.stderr, /Unknown argument|frobnicate/);
  r = await cli(['--help']);
  t.equal(r.code, 0);
  t.match(r.stdout, /inspect <paths\.\.>/);
});

t.test('the installed command (bin/ → dist/)', async (t) => {
  const dir = t.testdir({});
  writeFileSync(join(dir, 'bad.sql'), "INSERT INTO public.tls_prompt VALUES (1, 'x', 'open");
  let r = binCli(['inspect', 'samples/config_data.sql']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /public\.tls_prompt +COPY +5 rows/);
  r = binCli(['inspect', join(dir, 'bad.sql')]);
  t.equal(r.code, 2);
  t.match(
    r.stderr,
    /bad\.sql:1: end of file inside an unterminated quoted string; the file is truncated \(near: .*\) \[SQL_UNTERMINATED\]/,
  );
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
