// The corpus of broken and hostile inputs: each is made at test time from the real samples (or the mini-dump
// helper), run through `totalis-migrate transform`, and must give its exit code and message. On an error,
// nothing is written and no stack trace is printed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import t from 'tap';
import { cli } from './helpers/cli.js';
import { writeMiniDump } from './helpers/mini-dump.js';

const sample = (name: string): string => readFileSync(join('samples', name), 'utf8');
const SAMPLE_FILES = ['categories.sql', 'coaches_with_images.sql', 'config_data.sql', 'totalis_schema.sql'];

interface Case {
  readonly name: string;
  /** Writes the inputs into `dir`; returns the --dump arguments (default: [dir]). */
  readonly make: (dir: string) => string[] | void;
  readonly exit: 0 | 1 | 2;
  /** What stderr (exit ≠ 0) or stdout (exit 0) must say. */
  readonly says: RegExp;
  readonly args?: readonly string[];
}

/** The samples, with one file changed by `edit`. */
function samplesWith(dir: string, file: string, edit: (text: string) => string | Buffer): void {
  for (const f of SAMPLE_FILES) writeFileSync(join(dir, f), f === file ? edit(sample(f)) : sample(f));
}
/** The text with its first `find` replaced by raw bytes (for bytes no string can hold). */
function withBytes(text: string, find: string, bytes: Buffer): Buffer {
  const at = text.indexOf(find);
  return Buffer.concat([Buffer.from(text.slice(0, at)), bytes, Buffer.from(text.slice(at + find.length))]);
}
const cut = (text: string, marker: string, offset = 0): string => text.slice(0, text.indexOf(marker) + offset);
const coachCols =
  'id, name, description, image_id, image30_id, image45_id, image60_id, sex, intro, prompt, time_create';

const CASES: readonly Case[] = [
  // truncation
  {
    name: 'truncated inside a row',
    exit: 2,
    says: /coaches_with_images\.sql:\d+, table public\.tls_coach: end of file inside the COPY data .*expected "\\\." on a line of its own; the file is truncated \[COPY_NO_END_MARKER\]/,
    make: (d) => samplesWith(d, 'coaches_with_images.sql', (s) => cut(s, '3\t李小龙', 5)),
  },
  {
    name: 'truncated inside a bytea',
    exit: 2,
    says: /table public\.tls_image: end of file inside the COPY data.*truncated/,
    make: (d) => samplesWith(d, 'coaches_with_images.sql', (s) => cut(s, '2\tpng\t\\\\x89504e47', 200)),
  },
  {
    name: 'truncated inside an INSERT string',
    exit: 2,
    says: /config_data\.sql\.gz:\d+: end of file inside an unterminated quoted string; the file is truncated/,
    make: (d) => {
      for (const f of SAMPLE_FILES) {
        const gz = readFileSync(join('samples/inserts', f + '.gz'));
        writeFileSync(
          join(d, f + '.gz'),
          f === 'config_data.sql' ? gzipSync(Buffer.from(cut(gunzipSync(gz).toString(), "Let''s", 3))) : gz,
        );
      }
    },
  },
  {
    name: 'a missing \\. (the next SQL read as data)',
    exit: 2,
    says: /categories\.sql:\d+, table public\.tls_category.*this line looks like SQL, not data; the COPY block of public\.tls_category \(begun at line \d+\) is missing its "\\\." end marker/,
    make: (d) => samplesWith(d, 'categories.sql', (s) => s.replace(/^\\\.\n/m, '')),
  },
  {
    name: 'gzip cut short',
    exit: 2,
    says: /categories\.sql\.gz: corrupt or truncated gzip data/,
    make: (d) => {
      writeFileSync(join(d, 'categories.sql.gz'), gzipSync(Buffer.from(sample('categories.sql'))).subarray(0, 2000));
      for (const f of SAMPLE_FILES.slice(1)) writeFileSync(join(d, f), sample(f));
    },
  },
  // fields
  {
    name: 'extra fields',
    exit: 2,
    says: /coaches_with_images\.sql:\d+, table public\.tls_coach: extra data after last expected column/,
    make: (d) =>
      samplesWith(d, 'coaches_with_images.sql', (s) =>
        s.replace('\t2023-03-14 09:26:53.589793\n', '\t2023-03-14 09:26:53.589793\textra\n'),
      ),
  },
  {
    name: 'missing fields',
    exit: 2,
    says: /table public\.tls_coach, column prompt: missing data for column "prompt"/,
    make: (d) =>
      samplesWith(d, 'coaches_with_images.sql', (s) =>
        s.replace(/^4\tSam\t.*$/m, '4\tSam\t\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N'),
      ),
  },
  {
    name: 'columns in an unexpected order',
    exit: 0,
    says: /coaches 6, categories 10, app_config 16/,
    make: (d) =>
      samplesWith(d, 'config_data.sql', (s) =>
        s
          .replace(
            'COPY public.tls_system (id, name, value, time_create)',
            'COPY public.tls_system (value, id, time_create, name)',
          )
          .replace(/^(\d+)\t([^\t\n]*)\t([^\t\n]*)\t([^\t\n]*)$/gm, (m, id, name, value, tc, off, all) =>
            all.lastIndexOf('COPY public.tls_system', off) > all.lastIndexOf('\\.', off)
              ? `${value}\t${id}\t${tc}\t${name}`
              : m,
          ),
      ),
  },
  {
    name: 'an unknown column',
    exit: 0,
    says: /findings: 0 errors, 10 warnings/,
    make: (d) =>
      samplesWith(d, 'config_data.sql', (s) =>
        s
          .replace(
            'COPY public.tls_system (id, name, value, time_create)',
            'COPY public.tls_system (id, name, value, time_create, secret)',
          )
          .replace(/^(\d+\t(version|maintenance|limits|motd)\t.*)$/gm, '$1\tx'),
      ),
  },
  {
    name: 'a required column missing',
    exit: 2,
    says: /the dump of tls_coach has no column intro, which the mapping needs \(columns in the dump: id, name,/,
    make: (d) =>
      samplesWith(d, 'coaches_with_images.sql', (s) =>
        s.replace(
          `COPY public.tls_coach (${coachCols})`,
          `COPY public.tls_coach (${coachCols.replace(', intro', ', introduction')})`,
        ),
      ),
  },
  // escapes and encodings
  {
    name: 'a bad escape (\\. inside a line)',
    exit: 2,
    says: /column description: end-of-copy marker corrupt/,
    make: (d) =>
      samplesWith(d, 'coaches_with_images.sql', (s) => s.replace('Calm, practical, direct.', 'Calm\\. practical')),
  },
  {
    name: 'an escape making invalid UTF-8',
    exit: 2,
    says: /column description: invalid byte sequence for encoding "UTF8": 0xff/,
    make: (d) => samplesWith(d, 'coaches_with_images.sql', (s) => s.replace('Calm, practical, direct.', 'Calm \\377')),
  },
  {
    name: 'a \\0 escape (NUL)',
    exit: 2,
    says: /column description: invalid byte sequence for encoding "UTF8": 0x00/,
    make: (d) => samplesWith(d, 'coaches_with_images.sql', (s) => s.replace('Calm, practical, direct.', 'Calm \\0')),
  },
  {
    name: 'invalid UTF-8 bytes',
    exit: 2,
    says: /column name: invalid byte sequence for encoding "UTF8": 0xc3 0x28/,
    make: (d) =>
      samplesWith(d, 'coaches_with_images.sql', (s) =>
        withBytes(
          s,
          'Daniel\tCalm',
          Buffer.concat([Buffer.from('Dan'), Buffer.from([0xc3, 0x28]), Buffer.from('iel\tCalm')]),
        ),
      ),
  },
  {
    name: 'mixed encodings (LATIN1 bytes in a UTF8 file)',
    exit: 2,
    says: /column name: invalid byte sequence for encoding "UTF8": 0xe9/,
    make: (d) =>
      samplesWith(d, 'categories.sql', (s) =>
        withBytes(s, 'Health\tHealth', Buffer.from('Sant\u00e9\tHealth', 'latin1')),
      ),
  },
  {
    name: 'a declared LATIN1 file',
    exit: 0,
    says: /coaches 6/,
    make: (d) =>
      samplesWith(d, 'categories.sql', (s) =>
        Buffer.from(
          s.replace("SET client_encoding = 'UTF8'", "SET client_encoding = 'LATIN1'").replace(/[\u0100-\uffff]/g, '?'),
          'latin1',
        ),
      ),
  },
  {
    name: 'an unsupported encoding',
    exit: 2,
    says: /client_encoding "EUC_JP" is not supported/,
    make: (d) =>
      samplesWith(d, 'categories.sql', (s) =>
        s.replace("SET client_encoding = 'UTF8'", "SET client_encoding = 'EUC_JP'"),
      ),
  },
  {
    name: 'a NUL byte in the data',
    exit: 2,
    says: /invalid byte sequence for encoding "UTF8": 0x00/,
    make: (d) => samplesWith(d, 'categories.sql', (s) => s.replace('Body and energy', 'Body\u0000energy')),
  },
  {
    name: 'CRLF line endings',
    exit: 0,
    says: /coaches 6, categories 10, app_config 16/,
    make: (d) => {
      for (const f of SAMPLE_FILES)
        writeFileSync(join(d, f), f === 'categories.sql' ? sample(f) : sample(f).replace(/\n/g, '\r\n'));
    },
  },
  {
    name: 'mixed line endings in one COPY block',
    exit: 2,
    says: /literal carriage return found in data: this COPY block started with LF line endings and this line ends with CRLF/,
    make: (d) =>
      samplesWith(d, 'config_data.sql', (s) =>
        s.replace('\tfalse\t2023-05-05 05:05:05\n', '\tfalse\t2023-05-05 05:05:05\r\n'),
      ),
  },
  {
    name: 'a byte order mark',
    exit: 0,
    says: /coaches 6/,
    make: (d) => samplesWith(d, 'config_data.sql', (s) => '\uFEFF' + s),
  },
  // values
  {
    name: 'a bad integer',
    exit: 2,
    says: /table public\.tls_category, column sort_order: invalid input syntax for type integer: "one"/,
    make: (d) => samplesWith(d, 'categories.sql', (s) => s.replace('\t6\t1\t#FF6B6B', '\t6\tone\t#FF6B6B')),
  },
  {
    name: 'an integer out of range',
    exit: 2,
    says: /value "99999999999" is out of range for type integer/,
    make: (d) => samplesWith(d, 'categories.sql', (s) => s.replace(/\n10\t\\N\tHealth/, '\n99999999999\t\\N\tHealth')),
  },
  {
    name: 'a bad boolean',
    exit: 2,
    says: /column user: invalid input syntax for type boolean: "maybe"/,
    make: (d) => samplesWith(d, 'config_data.sql', (s) => s.replace('\t3\tt\t', '\t3\tmaybe\t')),
  },
  {
    name: 'a bad bytea',
    exit: 2,
    says: /table public\.tls_image, column data: invalid hexadecimal digit: "z"/,
    make: (d) => samplesWith(d, 'coaches_with_images.sql', (s) => s.replace('\\\\x89504e47', '\\\\x89z04e47')),
  },
  {
    name: 'a bad timestamp',
    exit: 2,
    says: /column time_create: expected a timestamp in ISO form/,
    make: (d) => samplesWith(d, 'config_data.sql', (s) => s.replace('2023-05-05 05:05:05', '05/05/2023 05:05')),
  },
  {
    name: 'a NULL id',
    exit: 2,
    says: /the tls_system record does not fit schemas\/legacy\/tls_system\.schema\.json: id must be integer/,
    make: (d) => samplesWith(d, 'config_data.sql', (s) => s.replace('\n1\tversion\t', '\n\\N\tversion\t')),
  },
  // sizes
  {
    name: 'a 50 MB single row',
    exit: 0,
    says: /app_config 4;/,
    make: (d) => {
      writeMiniDump(d, { tls_prompt: [{ id: 1, name: 'huge', prompt: 'x\ty\\z\n'.repeat(50_000_000 / 7) }] });
    },
  },
  {
    name: 'a huge number of tiny rows',
    exit: 0,
    says: /images written 0, not referenced \(never written\) 300000/,
    make: (d) => {
      writeMiniDump(d, {
        tls_image: Array.from({ length: 300_000 }, (_, i) => ({ id: i + 1, extension: null, data: null, user_id: i })),
      });
    },
  },
  // tables and files
  {
    name: 'a table dumped twice',
    exit: 2,
    says: /the data of tls_category is in both categories\.sql and categories_again\.sql: give each table once \[TABLE_DUPLICATE\]/,
    make: (d) => {
      samplesWith(d, 'categories.sql', (s) => s);
      writeFileSync(join(d, 'categories_again.sql'), sample('categories.sql'));
    },
  },
  {
    name: 'the wrong file passed (a PNG)',
    exit: 2,
    says: /photo\.sql:1: binary data \(NUL bytes\) where pg_dump plain-text SQL was expected/,
    make: (d) => {
      writeFileSync(
        join(d, 'photo.sql'),
        Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]),
      );
      return [join(d, 'photo.sql')];
    },
  },
  {
    name: 'the wrong file passed (a README)',
    exit: 2,
    says: /README\.sql:\d+: this does not look like pg_dump output.*is it the right file\? \[INPUT_NOT_A_DUMP\]/,
    make: (d) => {
      writeFileSync(
        join(d, 'README.sql'),
        '# totalis-migrate\n\nMove the legacy Totalis data out of pg_dump files.\n\n## Quick start\n\n```sh\nmake transform DUMP=samples\nmake test\n```\n\n- one transaction;\n- safe to run again.\n',
      );
      return [join(d, 'README.sql')];
    },
  },
  {
    name: 'a custom-format archive',
    exit: 2,
    says: /this is a pg_dump custom-format archive \(-Fc\), not plain SQL: convert it with `pg_restore -f plain\.sql <file>`/,
    make: (d) => {
      writeFileSync(join(d, 'totalis.sql'), Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(100, 1)]));
    },
  },
  {
    name: 'an empty file',
    exit: 2,
    says: /empty\.sql:1: the file is empty: expected pg_dump plain-text output/,
    make: (d) => {
      writeFileSync(join(d, 'empty.sql'), '');
    },
  },
  {
    name: 'an empty directory',
    exit: 2,
    says: /directory .* holds no dump files \(\*\.sql or \*\.sql\.gz\) \[INPUT_NO_DUMPS\]/,
    make: () => undefined,
  },
  {
    name: 'a directory of non-dumps',
    exit: 2,
    says: /holds no dump files/,
    make: (d) => {
      writeFileSync(join(d, 'notes.txt'), 'hello');
      writeFileSync(join(d, 'photo.png'), Buffer.alloc(10));
    },
  },
  {
    name: 'a missing path',
    exit: 2,
    says: /nope\.sql: no such file or directory \[INPUT_NOT_FOUND\]/,
    make: (d) => [join(d, 'nope.sql')],
  },
  {
    name: 'a gzipped non-dump',
    exit: 2,
    says: /binary data \(NUL bytes\)/,
    make: (d) => {
      writeFileSync(join(d, 'x.sql.gz'), gzipSync(Buffer.alloc(1000)));
    },
  },
  {
    name: 'a schema-only dump where data was expected',
    exit: 2,
    says: /no data for tls_image, tls_coach, tls_category, tls_prompt, tls_variable, tls_system in the inputs \(totalis_schema\.sql defines them, but no data dump has their "-- Data for Name: tls_image; Type: TABLE DATA" entry, which pg_dump writes for every table it dumps, empty or not: dump them with pg_dump --data-only -t public\.tls_image .*-t public\.tls_system\); read: totalis_schema\.sql \(no data\) \[TABLE_MISSING\]/,
    make: (d) => {
      writeFileSync(join(d, 'totalis_schema.sql'), sample('totalis_schema.sql'));
    },
  },
  {
    name: 'a truncated schema dump',
    exit: 2,
    says: /totalis_schema\.sql:\d+: end of file inside a statement without its terminating ";"/,
    make: (d) => samplesWith(d, 'totalis_schema.sql', (s) => cut(s, 'CREATE TABLE public.tls_coach', 40)),
  },
  {
    name: 'a pg_dumpall file with \\connect (two databases)',
    exit: 2,
    says: /dumpall\.sql.*the data of tls_category is twice in dumpall\.sql/,
    make: (d) => {
      writeFileSync(
        join(d, 'dumpall.sql'),
        `--\n-- PostgreSQL database cluster dump\n--\n\n\\connect totalis\n\n${sample('categories.sql')}\n\\connect totalis_copy\n\n${sample('categories.sql')}`,
      );
    },
  },
  {
    name: 'a psql meta-command pg_dump never writes',
    exit: 2,
    says: /psql meta-command \\! is not something pg_dump writes; refusing to read this file/,
    make: (d) =>
      samplesWith(d, 'config_data.sql', (s) =>
        s.replace('SET row_security = off;', 'SET row_security = off;\n\\! touch /tmp/pwned'),
      ),
  },
  {
    name: '\\. outside COPY data',
    exit: 2,
    says: /a "\\\." end-of-copy marker outside any COPY data/,
    make: (d) =>
      samplesWith(d, 'config_data.sql', (s) => s.replace('SET row_security = off;', 'SET row_security = off;\n\\.')),
  },
  {
    name: 'an end marker with trailing text',
    exit: 2,
    says: /end-of-copy marker corrupt/,
    make: (d) => samplesWith(d, 'config_data.sql', (s) => s.replace(/^\\\.$/m, '\\.x')),
  },
  {
    name: 'a COPY header with options',
    exit: 2,
    says: /bad COPY header: COPY options are not supported/,
    make: (d) =>
      samplesWith(d, 'config_data.sql', (s) =>
        s.replace('time_create) FROM stdin;', 'time_create) FROM stdin WITH (FORMAT csv);'),
      ),
  },
  // data the mapping refuses
  {
    name: 'a category cycle',
    exit: 1,
    says: /the data has 1 errors; nothing was written:\n {2}error category\.cycle tls_category#1: the parent links form a cycle: tls_category#1, tls_category#2/,
    make: (d) => {
      writeMiniDump(d, {
        tls_category: [
          { id: 1, parent_id: 2, name: 'A' },
          { id: 2, parent_id: 1, name: 'B' },
        ],
      });
    },
  },
  {
    name: 'no coach named Daniel',
    exit: 1,
    says: /error config\.default_coach\.missing app_config:default_coach: no migrated coach named "Daniel"/,
    make: (d) => {
      writeMiniDump(d, { tls_coach: [{ id: 1, name: 'Ana' }] });
    },
  },
];

t.test(`the corpus: ${CASES.length} broken or hostile inputs`, async (t) => {
  t.ok(CASES.length >= 40, 'at least 40 cases');
  const root = t.testdir({});
  for (const [i, c] of CASES.entries()) {
    const dir = join(root, `case-${i}`);
    mkdirSync(dir, { recursive: true });
    const dump = c.make(dir) ?? [dir];
    const out = join(root, `out-${i}`);
    const r = await cli(['transform', '--dump', ...dump, '--out', out, ...(c.args ?? [])]);
    t.equal(r.code, c.exit, `${c.name}: exit ${c.exit}${r.code !== c.exit ? `\n${r.stderr}` : ''}`);
    t.match(c.exit === 0 ? r.stdout : r.stderr, c.says, `${c.name}: says what is wrong`);
    if (c.exit !== 0) {
      t.notOk(existsSync(out), `${c.name}: nothing written`);
      t.notMatch(r.stderr, /\n\s+at .*:\d+:\d+/, `${c.name}: no stack trace`);
    }
  }
});
