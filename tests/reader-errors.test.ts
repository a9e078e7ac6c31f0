// Malformed input stops with a coded error naming the file, line, table and column, and what was expected.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import type { ErrorCode } from '../lib/errors.js';
import { readLegacyDump } from '../lib/legacy/read-legacy.js';
import { asyncErrorOf, copyDump, errorOf, parseAll, resolver } from './helpers/parse.js';

const COACH_COLS = [
  'id',
  'name',
  'description',
  'image_id',
  'image30_id',
  'image45_id',
  'image60_id',
  'sex',
  'intro',
  'prompt',
  'time_create',
];
const coachLine = (id: string, name = 'Daniel'): string =>
  [id, name, '\\N', '\\N', '\\N', '\\N', '\\N', 'M', '\\N', '\\N', '2023-01-01 00:00:00'].join('\t');

interface FileCase {
  readonly name: string;
  readonly content: string | Buffer;
  readonly code: ErrorCode;
  readonly line?: number;
  readonly table?: string;
  readonly column?: string;
  readonly says: RegExp;
  readonly file?: string;
}

/** The text up to (not including) `marker`: a file cut short there. */
const cutAt = (text: string, marker: string): string => text.slice(0, text.indexOf(marker));

const FILE_CASES: readonly FileCase[] = [
  {
    name: 'COPY block without its end marker',
    content: cutAt(copyDump('tls_coach', COACH_COLS, [coachLine('1')]), '\\.\n'),
    code: 'COPY_NO_END_MARKER',
    table: 'public.tls_coach',
    says: /expected "\\\." on a line of its own; the file is truncated/,
  },
  {
    name: 'too many fields',
    content: copyDump('tls_coach', COACH_COLS, [coachLine('1') + '\textra']),
    code: 'COPY_EXTRA_DATA',
    line: 5,
    table: 'public.tls_coach',
    says: /extra data after last expected column/,
  },
  {
    name: 'too few fields',
    content: copyDump('tls_coach', COACH_COLS, ['1\tDaniel']),
    code: 'COPY_MISSING_DATA',
    line: 5,
    table: 'public.tls_coach',
    column: 'description',
    says: /missing data for column "description"/,
  },
  {
    name: 'a bad integer',
    content: copyDump('tls_coach', COACH_COLS, [coachLine('1'), coachLine('two')]),
    code: 'VALUE_INTEGER',
    line: 6,
    table: 'public.tls_coach',
    column: 'id',
    says: /invalid input syntax for type integer: "two"/,
  },
  {
    name: 'a bad boolean',
    content: copyDump('tls_variable', ['id', 'name', 'value', '"user"', 'time_create'], ['1\tx\ty\tmaybe\t\\N']),
    code: 'VALUE_BOOLEAN',
    line: 5,
    table: 'public.tls_variable',
    column: 'user',
    says: /invalid input syntax for type boolean: "maybe"/,
  },
  {
    name: 'a bad bytea',
    content: copyDump(
      'tls_image',
      ['id', 'extension', 'data', 'user_id', 'time_create'],
      ['1\tpng\t\\\\x0g\t\\N\t\\N'],
    ),
    code: 'VALUE_BYTEA',
    line: 5,
    table: 'public.tls_image',
    column: 'data',
    says: /invalid hexadecimal digit: "g"/,
  },
  {
    name: 'an escape that yields invalid UTF-8',
    content: copyDump('tls_prompt', ['id', 'name', 'prompt', 'time_create'], ['1\tx\t\\xe9t\\xe9\t\\N']),
    code: 'ENCODING_INVALID',
    line: 5,
    table: 'public.tls_prompt',
    column: 'prompt',
    says: /invalid byte sequence for encoding "UTF8": 0xe9/,
  },
  {
    name: 'raw invalid UTF-8',
    content: Buffer.concat([
      Buffer.from(copyDump('tls_prompt', ['id', 'name', 'prompt', 'time_create'], ['1\tx\tRAW\t\\N']).split('RAW')[0]!),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\t\\N\n\\.\n'),
    ]),
    code: 'ENCODING_INVALID',
    line: 5,
    column: 'prompt',
    says: /0xff/,
  },
  {
    name: 'an unterminated string in an INSERT',
    content: "INSERT INTO public.tls_prompt VALUES (1, 'x', 'never closed, NULL);\n",
    code: 'SQL_UNTERMINATED',
    says: /unterminated quoted string; the file is truncated/,
  },
  {
    name: 'INSERT with too few values',
    content: "INSERT INTO public.tls_prompt VALUES (1, 'x', 'y');\n",
    code: 'SQL_VALUE_COUNT',
    line: 1,
    table: 'public.tls_prompt',
    column: 'time_create',
    says: /3 values for the 4 columns/,
  },
  {
    name: 'INSERT with a bad integer',
    content:
      "INSERT INTO public.tls_prompt (id, name, prompt, time_create) VALUES\n\t(1, 'a', 'b', NULL),\n\t('x', 'a', 'b', NULL);\n",
    code: 'VALUE_INTEGER',
    line: 3,
    table: 'public.tls_prompt',
    column: 'id',
    says: /integer: "x"/,
  },
  {
    name: 'INSERT with a bad integer, in LATIN1 (lines counted in the converted text too)',
    content: Buffer.from(
      "SET client_encoding = 'LATIN1';\nINSERT INTO public.tls_prompt (id, name, prompt, time_create) VALUES\n\t(1, 'caf\u00e9', 'b', NULL),\n\t(2, '\u00e9t\u00e9', 'b', NULL),\n\t('x', 'a', 'b', NULL);\n",
      'latin1',
    ),
    code: 'VALUE_INTEGER',
    line: 5,
    table: 'public.tls_prompt',
    column: 'id',
    says: /integer: "x"/,
  },
  {
    name: 'binary garbage',
    content: Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10]),
    code: 'INPUT_BINARY',
    says: /binary data/,
  },
  {
    name: 'a custom-format archive',
    content: Buffer.concat([Buffer.from('PGDMP'), Buffer.from([1, 14, 0, 4, 8, 1, 1, 1])]),
    code: 'INPUT_CUSTOM_FORMAT',
    says: /pg_restore -f/,
  },
  { name: 'an empty file', content: '', code: 'INPUT_EMPTY', says: /the file is empty/ },
  {
    name: 'a corrupt gzip',
    content: gzipSync(
      Buffer.from(copyDump('tls_prompt', ['id', 'name', 'prompt', 'time_create'], ['1\tx\ty\t\\N'])),
    ).subarray(0, 30),
    code: 'INPUT_GZIP_CORRUPT',
    says: /corrupt or truncated gzip/,
    file: 'x.sql.gz',
  },
  {
    name: 'an unsupported encoding',
    content: "SET client_encoding = 'SJIS';\n",
    code: 'ENCODING_UNSUPPORTED',
    line: 1,
    says: /"SJIS" is not supported/,
  },
  {
    name: 'LF then CRLF in one COPY block',
    content: copyDump('tls_prompt', ['id', 'name', 'prompt', 'time_create'], ['1\tx\ty\t\\N', '2\tx\ty\t\\N\r']),
    code: 'COPY_LITERAL_CR',
    line: 6,
    says: /literal carriage return/,
  },
  {
    name: 'CRLF then LF in one COPY block',
    content: copyDump('tls_prompt', ['id', 'name', 'prompt', 'time_create'], ['1\tx\ty\t\\N\r', '2\tx\ty\t\\N']),
    code: 'COPY_LITERAL_NEWLINE',
    line: 6,
    says: /literal newline/,
  },
  {
    name: 'a bare CR inside a line',
    content: copyDump('tls_prompt', ['id', 'name', 'prompt', 'time_create'], ['1\tx\ty\rz\t\\N']),
    code: 'COPY_LITERAL_CR',
    line: 5,
    says: /literal carriage return found in data/,
  },
  {
    name: 'a psql meta-command pg_dump never writes',
    content: "SET client_encoding = 'UTF8';\n\\! rm -rf /\n",
    code: 'META_COMMAND_UNKNOWN',
    line: 2,
    says: /meta-command \\! is not something pg_dump writes/,
  },
  {
    name: 'a required column missing',
    content: copyDump('tls_prompt', ['id', 'name', 'time_create'], ['1\tx\t\\N']),
    code: 'COLUMN_MISSING',
    line: 4,
    table: 'tls_prompt',
    column: 'prompt',
    says: /has no column prompt, which the mapping needs/,
  },
  {
    name: 'a table twice in one file',
    content:
      copyDump('tls_prompt', ['id', 'name', 'prompt', 'time_create'], ['1\tx\ty\t\\N']) +
      copyDump('tls_prompt', ['id', 'name', 'prompt', 'time_create'], ['2\tx\ty\t\\N'], { header: '' }),
    code: 'TABLE_DUPLICATE',
    table: 'tls_prompt',
    says: /twice in bad\.sql/,
  },
  {
    name: 'a COPY header with options',
    content: 'COPY public.tls_prompt (id) FROM stdin WITH (FORMAT csv);\n',
    code: 'COPY_BAD_HEADER',
    says: /COPY options are not supported/,
  },
];

t.test('file-level errors name the file, line, table and column', async (t) => {
  const dir = t.testdir({});
  for (const c of FILE_CASES) {
    const file = c.file ?? 'bad.sql';
    writeFileSync(join(dir, file), c.content);
    const e = await asyncErrorOf(() => readLegacyDump([join(dir, file)]));
    t.equal(e.code, c.code, `${c.name}: code`);
    t.match(e.message, c.says, `${c.name}: says what was expected`);
    t.equal(e.position.file, file, `${c.name}: names the file`);
    t.match(e.message, new RegExp(`^${file.replace('.', '\\.')}`), `${c.name}: the message starts with the file`);
    if (c.line !== undefined) t.equal(e.position.line, c.line, `${c.name}: line`);
    if (c.table !== undefined) t.equal(e.position.table, c.table, `${c.name}: table`);
    if (c.column !== undefined) t.equal(e.position.column, c.column, `${c.name}: column`);
    t.notMatch(e.message, /\n/, `${c.name}: one line`);
  }
});

t.test('paths: missing, empty directory, two tables in two files', async (t) => {
  const dir = t.testdir({
    empty: {},
    notdumps: { 'readme.txt': 'hi' },
    a: { 'one.sql': copyDump('tls_system', ['id', 'name', 'value', 'time_create'], ['1\ta\tb\t\\N']) },
    b: { 'two.sql': copyDump('tls_system', ['id', 'name', 'value', 'time_create'], ['1\ta\tb\t\\N']) },
  });
  let e = await asyncErrorOf(() => readLegacyDump([join(dir, 'nope.sql')]));
  t.equal(e.code, 'INPUT_NOT_FOUND');
  t.match(e.message, /nope\.sql: no such file or directory/);
  e = await asyncErrorOf(() => readLegacyDump([join(dir, 'empty')]));
  t.equal(e.code, 'INPUT_NO_DUMPS');
  e = await asyncErrorOf(() => readLegacyDump([join(dir, 'notdumps')]));
  t.equal(e.code, 'INPUT_NO_DUMPS');
  e = await asyncErrorOf(() => readLegacyDump([]));
  t.equal(e.code, 'INPUT_NOT_FOUND');
  e = await asyncErrorOf(() => readLegacyDump([join(dir, 'a'), join(dir, 'b')]));
  t.equal(e.code, 'TABLE_DUPLICATE');
  t.match(e.message, /in both one\.sql and two\.sql/);
});

t.test('accepted: CRLF files, BOM, LATIN1 and WIN1252, \\connect, no restrict key in anything', async (t) => {
  const crlf = copyDump('t', ['a', 'b'], ['x\ty', '\\N\tz'], {
    eol: '\r\n',
    header: "SET client_encoding = 'UTF8';\r\n",
  });
  t.same(
    parseAll(crlf)
      .filter((e) => e.kind === 'row')
      .map((e) => (e.kind === 'row' ? e.values : [])),
    [
      ['x', 'y'],
      [null, 'z'],
    ],
  );
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(copyDump('t', ['a'], ['é']))]);
  t.same(
    parseAll(bom).flatMap((e) => (e.kind === 'row' ? e.values : [])),
    ['é'],
  );
  const latin1 = Buffer.concat([
    Buffer.from("SET client_encoding = 'LATIN1';\nCOPY t (a) FROM stdin;\n"),
    Buffer.from([0x63, 0x61, 0x66, 0xe9]),
    Buffer.from("\n\\.\nINSERT INTO t (a) VALUES ('"),
    Buffer.from([0xc5, 0x6e]),
    Buffer.from("');\n"),
  ]);
  t.same(
    parseAll(latin1, { chunk: 3 }).flatMap((e) => (e.kind === 'row' ? e.values : [])),
    ['café', 'Ån'],
  );
  const win = Buffer.concat([
    Buffer.from("SET client_encoding = 'WIN1252';\nCOPY t (a) FROM stdin;\n"),
    Buffer.from([0x80, 0x20, 0x93, 0x71, 0x94]),
    Buffer.from('\n\\.\n'),
  ]);
  t.same(
    parseAll(win).flatMap((e) => (e.kind === 'row' ? e.values : [])),
    ['€ “q”'],
  );
  const winBad = Buffer.concat([
    Buffer.from("SET client_encoding = 'WIN1252';\nCOPY t (a) FROM stdin;\n"),
    Buffer.from([0x81]),
    Buffer.from('\n\\.\n'),
  ]);
  t.equal(errorOf(() => parseAll(winBad)).code, 'ENCODING_INVALID');
  const key = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWx';
  // as pg_dump --create writes it: \connect outside the \restrict guard (psql refuses it inside)
  const guarded = `--\n\\connect totalis\n\\restrict ${key}\n${copyDump('t', ['a'], ['x'])}\\unrestrict ${key}\n`;
  const events = parseAll(guarded);
  t.ok(events.some((e) => e.kind === 'restrict'));
  t.ok(events.some((e) => e.kind === 'connect'));
  t.notMatch(JSON.stringify(events), key, 'the restrict key is in no event');
});

t.test('INSERT forms: casts, OVERRIDING, column names and setval', async (t) => {
  const sql = [
    "INSERT INTO public.t (a, b) OVERRIDING SYSTEM VALUE VALUES (1, 'x'::text);",
    "INSERT INTO public.t (a, b) VALUES (-2, E'tab\\there\\u00e9\\x41\\101');",
    "SELECT pg_catalog.setval('public.t_id_seq', 42, true);",
    "SELECT pg_catalog.setval('public.t_id_seq', 1, false);",
  ].join('\n');
  const events = parseAll(sql, { tables: resolver({ a: 'int4' }), chunk: 5 });
  t.same(
    events.flatMap((e) => (e.kind === 'row' ? [e.values] : [])),
    [
      [1, 'x'],
      [-2, 'tab\thereéAA'],
    ],
  );
  t.same(
    events.flatMap((e) => (e.kind === 'setval' ? [[e.sequence, e.value, e.isCalled]] : [])),
    [
      ['public.t_id_seq', '42', true],
      ['public.t_id_seq', '1', false],
    ],
  );
  t.equal(events.filter((e) => e.kind === 'data-start').length, 1, 'consecutive INSERTs into one table are one run');
});
