// Every COPY text escape and edge case, with what it must decode to. Each row is checked against our
// decoder always, and against what the real PostgreSQL decodes (psql \copy) whenever DATABASE_URL is set,
// so the expectations below are PostgreSQL's, not ours.
import t from 'tap';
import type { ColumnType } from '../lib/dump/values.js';
import { copyDump, errorOf, norm, parseAll, resolver, rowsOf } from './helpers/parse.js';
import { needsPg, psql } from './helpers/pg.js';

type Expect = { value: string | number | boolean | null } | { hex: string } | { error: string };
interface Case {
  readonly name: string;
  readonly type: ColumnType;
  /** The field exactly as it stands in the COPY data (JavaScript escapes: '\\' is one backslash). */
  readonly raw: string;
  readonly expect: Expect;
  /** PostgreSQL accepts this, the reader refuses it on purpose (pg_dump never writes it). */
  readonly stricter?: true;
}

const text = (name: string, raw: string, value: string | null): Case => ({
  name,
  type: 'text',
  raw,
  expect: { value },
});
const fail = (name: string, type: ColumnType, raw: string, error: string): Case => ({
  name,
  type,
  raw,
  expect: { error },
});

export const CASES: readonly Case[] = [
  text('plain text', 'plain', 'plain'),
  text('empty string is not NULL', '', ''),
  text('\\N alone is NULL', '\\N', null),
  text('\\\\N is the text \\N', '\\\\N', '\\N'),
  text('space before \\N is text', ' \\N', ' N'),
  text('\\N followed by more is text', '\\Nx', 'Nx'),
  text('the six letter escapes', '\\b\\f\\n\\r\\t\\v', '\b\f\n\r\t\v'),
  text('octal, three digits', '\\101\\102', 'AB'),
  text('octal, one digit', '\\1z', '\u0001z'),
  text('octal stops after three digits', '\\1234', 'S4'),
  text('octal UTF-8 bytes', '\\303\\251', 'é'),
  text('hex, two digits', '\\x41\\x42', 'AB'),
  text('hex, one digit', '\\x4z', '\u0004z'),
  text('\\x without a hex digit is x', '\\xg', 'xg'),
  text('hex UTF-8 bytes', '\\xc3\\xa9', 'é'),
  text('any other escaped char is itself', '\\q\\"\\\'', 'q"\''),
  text('escaped backslash', '\\\\', '\\'),
  text('backslash then a raw tab is a tab in the data', 'a\\\tb', 'a\tb'),
  text('a backslash before the newline escapes it: the newline is data', 'trail\\', 'trail\n'),
  text('raw UTF-8: CJK and emoji', '日本語 🙂', '日本語 🙂'),
  text('the text \\.', '\\\\.', '\\.'),
  text('quotes and SQL are data', "'); DROP TABLE x; --", "'); DROP TABLE x; --"),
  fail('\\0 makes a NUL byte: refused', 'text', 'a\\0b', 'ENCODING_INVALID'),
  fail('\\400 wraps to NUL: refused', 'text', '\\400', 'ENCODING_INVALID'),
  fail('an escape that yields invalid UTF-8', 'text', '\\377', 'ENCODING_INVALID'),
  fail('hex escape that yields invalid UTF-8', 'text', '\\xff', 'ENCODING_INVALID'),
  fail('\\. inside a line', 'text', 'a\\.b', 'COPY_END_MARKER_CORRUPT'),
  { name: 'integer', type: 'int4', raw: '42', expect: { value: 42 } },
  { name: 'integer with spaces and sign', type: 'int4', raw: ' +7 ', expect: { value: 7 } },
  { name: 'integer minimum', type: 'int4', raw: '-2147483648', expect: { value: -2147483648 } },
  { name: 'integer NULL', type: 'int4', raw: '\\N', expect: { value: null } },
  { name: 'integer via escapes', type: 'int4', raw: '\\61\\62', expect: { value: 12 } },
  fail('integer overflow', 'int4', '2147483648', 'VALUE_INTEGER'),
  fail('integer with garbage', 'int4', '4x', 'VALUE_INTEGER'),
  fail('integer empty', 'int4', '', 'VALUE_INTEGER'),
  fail('integer exponent', 'int4', '1e3', 'VALUE_INTEGER'),
  {
    name: 'bigint beyond 2^53 keeps its digits',
    type: 'int8',
    raw: '9223372036854775807',
    expect: { value: '9223372036854775807' },
  },
  fail('bigint overflow', 'int8', '9223372036854775808', 'VALUE_BIGINT'),
  {
    name: 'numeric keeps its digits',
    type: 'numeric',
    raw: '12345678901234567890.123456789012',
    expect: { value: '12345678901234567890.123456789012' },
  },
  fail('numeric garbage', 'numeric', '12a', 'VALUE_NUMERIC'),
  { name: 'boolean t', type: 'bool', raw: 't', expect: { value: true } },
  { name: 'boolean f', type: 'bool', raw: 'f', expect: { value: false } },
  { name: 'boolean words', type: 'bool', raw: ' TRUE ', expect: { value: true } },
  { name: 'boolean yes', type: 'bool', raw: 'yes', expect: { value: true } },
  { name: 'boolean off', type: 'bool', raw: 'off', expect: { value: false } },
  { name: 'boolean 0', type: 'bool', raw: '0', expect: { value: false } },
  fail('boolean o is ambiguous', 'bool', 'o', 'VALUE_BOOLEAN'),
  fail('boolean maybe', 'bool', 'maybe', 'VALUE_BOOLEAN'),
  { name: 'bytea hex', type: 'bytea', raw: '\\\\x0001ff5c', expect: { hex: '0001ff5c' } },
  { name: 'bytea hex empty', type: 'bytea', raw: '\\\\x', expect: { hex: '' } },
  { name: 'bytea hex upper case', type: 'bytea', raw: '\\\\xABCDEF', expect: { hex: 'abcdef' } },
  { name: 'bytea hex with spaces between pairs', type: 'bytea', raw: '\\\\x00 ff', expect: { hex: '00ff' } },
  { name: 'bytea escape format', type: 'bytea', raw: 'ab\\\\000\\\\\\\\\\\\377', expect: { hex: '6162005cff' } },
  { name: 'bytea escape format, raw high bytes', type: 'bytea', raw: 'é', expect: { hex: 'c3a9' } },
  { name: 'bytea NULL', type: 'bytea', raw: '\\N', expect: { value: null } },
  fail('bytea hex odd digits', 'bytea', '\\\\xabc', 'VALUE_BYTEA'),
  fail('bytea hex bad digit', 'bytea', '\\\\xzz', 'VALUE_BYTEA'),
  fail('bytea bad escape', 'bytea', '\\\\9', 'VALUE_BYTEA'),
  {
    name: 'timestamp keeps microseconds',
    type: 'timestamp',
    raw: '2024-01-02 03:04:05.123456',
    expect: { value: '2024-01-02 03:04:05.123456' },
  },
  { ...fail('timestamp not ISO', 'timestamp', '01/02/2024', 'VALUE_TIMESTAMP'), stricter: true },
];

const PG_TYPE: Partial<Record<ColumnType, string>> = {
  text: 'text',
  int4: 'integer',
  int8: 'bigint',
  numeric: 'numeric',
  bool: 'boolean',
  bytea: 'bytea',
  timestamp: 'timestamp',
};

function decodeOne(c: Case): unknown {
  const dump = copyDump('esc', ['v'], [c.raw]);
  return rowsOf(parseAll(dump, { tables: resolver({ v: c.type }) }))[0]![0];
}

t.test('our decoder', async (t) => {
  for (const c of CASES) {
    if ('error' in c.expect) {
      const e = errorOf(() => decodeOne(c));
      t.equal(e.code, c.expect.error, c.name);
      t.equal(e.position.column, 'v', `${c.name}: the error names the column`);
      t.equal(e.position.line, 5, `${c.name}: the error names the line`);
    } else {
      const want = 'hex' in c.expect ? `hex:${c.expect.hex}` : c.expect.value;
      t.same(decodeOne(c), want, c.name);
    }
  }
});

t.test('what PostgreSQL decodes', needsPg, async (t) => {
  for (const type of new Set(CASES.map((c) => c.type))) {
    psql(['-c', `DROP TABLE IF EXISTS esc_${type}; CREATE TABLE esc_${type} (v ${PG_TYPE[type]})`]);
  }
  for (const c of CASES) {
    const tbl = `esc_${c.type}`;
    const show =
      c.type === 'text' ? `encode(convert_to(v, 'UTF8'), 'hex')` : c.type === 'bytea' ? `encode(v, 'hex')` : 'v::text';
    const r = psql(
      [
        '-At',
        '-c',
        `TRUNCATE ${tbl}`,
        '-c',
        `\\copy ${tbl} from pstdin`,
        '-c',
        `SELECT coalesce(${show}, '<NULL>') FROM ${tbl}`,
      ],
      c.raw + '\n',
    );
    if (c.stricter === true) {
      t.equal(r.code, 0, `${c.name}: PostgreSQL accepts it; we refuse it on purpose`);
      continue;
    }
    if ('error' in c.expect) {
      t.not(r.code, 0, `${c.name}: PostgreSQL refuses it too (${r.stderr.split('\n')[0]})`);
      continue;
    }
    t.equal(r.code, 0, `${c.name}: PostgreSQL accepts it ${r.stderr}`);
    const got = r.stdout.trim();
    let want: string;
    if ('hex' in c.expect) want = c.expect.hex;
    else if (c.expect.value === null) want = '<NULL>';
    else if (c.type === 'text') want = Buffer.from(String(c.expect.value), 'utf8').toString('hex');
    else if (typeof c.expect.value === 'boolean') want = c.expect.value ? 'true' : 'false';
    else want = String(c.expect.value);
    t.equal(got, want, c.name);
  }
});

t.test('norm helper shows bytes as hex', async (t) => {
  t.equal(norm(Buffer.from([1, 2])), 'hex:0102');
  t.equal(norm('x'), 'x');
});
