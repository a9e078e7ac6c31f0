/**
 * Mutations of real pg_dump output for the differential fuzzer. Most are aimed at a parser state rather than
 * at random bytes: a value replaced by one an input function treats specially, an escape or a quote added or
 * removed inside a literal, a stray line before a statement, a statement spliced in from another dump, the
 * encoding or standard_conforming_strings changed, the file cut short. Deterministic for a given random source.
 */

export type Rand = () => number;

const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** The lines of `b`, each with its newline. */
export function linesOf(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let p = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) {
    out.push(b.subarray(p, i + 1));
    p = i + 1;
  }
  if (p < b.length) out.push(b.subarray(p));
  return out;
}

const isData = (l: Buffer): boolean =>
  l.length > 1 && !l.toString('latin1').startsWith('--') && !l.toString('latin1').startsWith('SET ') && l[0] !== 0x5c;
const isStatementStart = (l: Buffer): boolean => /^(INSERT|COPY) /.test(l.toString('latin1', 0, 8));

/** A line index, mostly one holding data (rows, INSERTs), sometimes any. */
function someLine(r: Rand, ls: Buffer[]): number {
  const data = ls.map((l, i) => (isData(l) ? i : -1)).filter((i) => i !== -1);
  return data.length > 0 && r() < 0.85 ? pick(r, data) : int(r, ls.length);
}

/** Replaces line `i` by the result of editing its text (latin1, so every byte is kept as it is). */
function editLine(ls: Buffer[], i: number, f: (s: string) => string): Buffer {
  const copy = [...ls];
  copy[i] = Buffer.from(f(ls[i]!.toString('latin1')), 'latin1');
  return Buffer.concat(copy);
}

/** One occurrence of `re` in `s`, chosen at random, replaced by `f(match)`; `s` itself when none. */
function replaceOne(r: Rand, s: string, re: RegExp, f: (m: string) => string): string {
  const ms = [...s.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))];
  if (ms.length === 0) return s;
  const m = pick(r, ms);
  return s.slice(0, m.index) + f(m[0]) + s.slice(m.index + m[0].length);
}

const insertAt = (r: Rand, s: string, what: string): string => {
  const body = s.endsWith('\n') ? s.length - 1 : s.length;
  const at = int(r, body + 1);
  return s.slice(0, at) + what + s.slice(at);
};

/** Lines that are no statement pg_dump writes: psql refuses some, runs others. */
const STRAY_LINES = [
  'Note to self: check the coaches',
  'BEGIN',
  'BEGIN;',
  'COMMIT;',
  'ROLLBACK;',
  'garbage',
  ';',
  '',
  '\t',
  '-- a comment',
  '/* a block comment */',
  '/* an unclosed comment',
  'SELECT 1;',
  'SET standard_conforming_strings = off;',
  "SET client_encoding = 'LATIN1';",
  "SELECT pg_catalog.setval('public.tls_coach_id_seq', 7, true);",
  'TRUNCATE public.tls_coach;',
  'DELETE FROM public.tls_system WHERE id = 1;',
  "UPDATE public.tls_prompt SET name = 'x';",
  "INSERT INTO public.tls_system VALUES (99, 'stray', 'row', NULL);",
  "INSERT INTO public.tls_system (id, name) VALUES (98, 'stray');",
  '\\.',
  '\\N',
  '\\echo hello',
  '\\restrict abc',
  '\\unrestrict abc',
  '\\set ON_ERROR_STOP 0',
];

/** Field values (COPY text form) that PostgreSQL's input functions treat specially. */
const COPY_FIELDS = [
  '007',
  '+1',
  ' 1',
  '1 ',
  '-0',
  '2147483647',
  '2147483648',
  '-2147483649',
  '1e3',
  '1.0',
  '0x10',
  '',
  '\\N',
  '\\\\N',
  'N',
  't',
  'TRUE',
  ' yes ',
  'of',
  'o',
  'on',
  '2',
  'nope',
  '2023-02-30 00:00:00',
  '2023-01-01 24:00:00',
  '2023-01-01 00:00:00.1234567',
  '2023-01-01 00:00:00.50',
  '2023-01-01T00:00:00',
  'infinity',
  '-infinity',
  'epoch',
  '2023-01-01 00:00:00 BC',
  '0001-01-01 00:00:00',
  '02023-01-01 00:00:00',
  '2023-01-01 00:00:00+02',
  '2023-01-01',
  '2023-1-1 0:0:0',
  'Jan 8 1999 04:05:06',
  '\\\\x',
  '\\\\x0',
  '\\\\xZZ',
  '\\\\x4 1',
  '\\\\x41',
  '\\\\X41',
  '\\\\000',
  '\\\\\\\\',
  'abc\\\\',
  '\\\\101',
  '\\\\400',
  '\\\\x\\n41',
  '\\xe9',
  '\\xc3\\xa9',
  '\\377',
  '\\x00',
  '\\0',
  'a\\tb',
  'a\\\tb',
  '\\u00e9',
  '\\b\\f\\v',
  '\\q',
  'é',
  '🙂',
];

/** SQL literals and expressions for a value in an INSERT, from harmless to refused. */
const SQL_VALUES = [
  '007',
  '-0',
  '+1',
  '2147483648',
  '1e3',
  '1.5',
  "' 42 '",
  "'t'",
  "'yes'",
  'true',
  "'on'",
  "'of'",
  'NULL',
  'DEFAULT',
  "''",
  "'2023-02-30 00:00:00'",
  "'2023-01-01 24:00:00'",
  "'2023-01-01 00:00:00.1234567'",
  "'2023-01-01 00:00:00.50'",
  "'infinity'",
  "'epoch'",
  "'Jan 8 1999'",
  "'\\x41'",
  "'\\\\x41'",
  "E'\\\\x41'",
  "E'\\x41'",
  "'\\x'",
  "'\\xZZ'",
  "'\\000'",
  "E'\\\\000'",
  "E'\\xff\\xd8'",
  "E'\\xc3\\xa9'",
  "E'\\u00e9'",
  "E'\\U0001F600'",
  "E'\\uD83D\\uDE00'",
  "E'\\uDE00'",
  "E'\\uD83D'",
  "U&'\\0041'",
  "U&'\\D83D\\DE00'",
  "E'\\0'",
  "E'\\377'",
  "E'a\\'b'",
  "'a''b'",
  "'x' 'y'",
  "'x'\n'y'",
  "'x'||'y'",
  '$$dollar$$',
  '$t$tagged$t$',
  '1::integer',
  '(1)',
  "'1'::integer",
  'x',
  '"quoted"',
  '0x10',
  '1_000',
  "e'lower'",
  "B'101'",
  "X'41'",
  "N'nat'",
];

/** Escape sequences put into a literal or a COPY field. */
const ESCAPES = [
  '\\',
  '\\\\',
  '\\N',
  '\\.',
  '\\t',
  '\\n',
  '\\r',
  '\\x4',
  '\\x41',
  '\\xG',
  '\\101',
  '\\0',
  '\\377',
  '\\u00e9',
  '\\uD83D\\uDE00',
  '\\uDE00',
  '\\U0001F600',
  "\\'",
  "''",
  '\\\n',
  '\\\t',
];

const ENCODINGS = [
  'LATIN1',
  'WIN1252',
  'SQL_ASCII',
  'SJIS',
  'EUC_JP',
  'LATIN2',
  'utf8',
  'Unicode',
  'UTF-8',
  'BIG5',
  'KOI8R',
  'nonsense',
];
const BAD_UTF8 = [
  [0xff],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xc0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x00],
  [0xef, 0xbb, 0xbf],
];

export type Mutation = (b: Buffer, r: Rand, others: readonly Buffer[]) => Buffer;

export const MUTATIONS: readonly (readonly [string, Mutation])[] = [
  [
    'byte',
    (b, r) => {
      const ls = linesOf(b);
      const i = someLine(r, ls);
      const l = Buffer.from(ls[i]!);
      const at = int(r, Math.max(1, l.length - 1));
      l[at] =
        r() < 0.5
          ? l[at]! ^ (1 << int(r, 8))
          : pick(
              r,
              [
                0x5c, 0x09, 0x0a, 0x0d, 0x27, 0x22, 0x3b, 0x28, 0x29, 0x2c, 0x00, 0xff, 0xc3, 0x45, 0x78, 0x4e, 0x2e,
                0x20, 0x30, 0x39, 0x61,
              ],
            );
      ls[i] = l;
      return Buffer.concat(ls);
    },
  ],
  [
    'line deleted',
    (b, r) => {
      const ls = linesOf(b);
      ls.splice(someLine(r, ls), 1);
      return Buffer.concat(ls);
    },
  ],
  [
    'line duplicated',
    (b, r) => {
      const ls = linesOf(b);
      const i = someLine(r, ls);
      ls.splice(i, 0, ls[i]!);
      return Buffer.concat(ls);
    },
  ],
  [
    'lines swapped',
    (b, r) => {
      const ls = linesOf(b);
      const i = someLine(r, ls);
      const j = r() < 0.5 ? Math.min(ls.length - 1, i + 1) : someLine(r, ls);
      [ls[i], ls[j]] = [ls[j]!, ls[i]!];
      return Buffer.concat(ls);
    },
  ],
  [
    'stray line',
    (b, r) => {
      const ls = linesOf(b);
      const starts = ls.map((l, i) => (isStatementStart(l) ? i : -1)).filter((i) => i !== -1);
      const i = starts.length > 0 && r() < 0.6 ? pick(r, starts) : int(r, ls.length + 1);
      ls.splice(i, 0, Buffer.from(pick(r, STRAY_LINES) + '\n', 'utf8'));
      return Buffer.concat(ls);
    },
  ],
  [
    'statement spliced',
    (b, r, others) => {
      const ls = linesOf(b);
      const from = linesOf(pick(r, others));
      const s = someLine(r, from);
      const piece = from.slice(s, s + 1 + int(r, 4));
      ls.splice(someLine(r, ls), 0, ...piece);
      return Buffer.concat(ls);
    },
  ],
  [
    'lines joined',
    (b, r) => {
      const ls = linesOf(b);
      const i = someLine(r, ls);
      return editLine(ls, i, (s) => s.replace(/\r?\n$/, pick(r, ['', ' ', '\t'])));
    },
  ],
  [
    'escape edit',
    (b, r) => {
      const ls = linesOf(b);
      const i = someLine(r, ls);
      return editLine(ls, i, (s) => {
        const k = r();
        if (k < 0.15) return replaceOne(r, s, /E'/, () => "'");
        if (k < 0.3) return replaceOne(r, s, /[ (,]'/, (m) => m[0] + "E'");
        if (k < 0.45) return replaceOne(r, s, /\\\\/, () => pick(r, ['\\', '\\\\\\', '']));
        if (k < 0.6) {
          const q = [...s.matchAll(/'/g)];
          if (q.length > 0) {
            const at = pick(r, q).index + 1;
            return s.slice(0, at) + pick(r, ESCAPES) + s.slice(at);
          }
        }
        return insertAt(r, s, pick(r, ESCAPES));
      });
    },
  ],
  [
    'quote edit',
    (b, r) => {
      const ls = linesOf(b);
      const i = someLine(r, ls);
      return editLine(ls, i, (s) => {
        const k = r();
        if (k < 0.3) return replaceOne(r, s, /'/, () => '');
        if (k < 0.5) return replaceOne(r, s, /'/, () => "''");
        if (k < 0.65) return replaceOne(r, s, /'/, () => '"');
        if (k < 0.8) return replaceOne(r, s, /"/, () => pick(r, ['', "'", '""']));
        return insertAt(r, s, pick(r, ["'", '$$', '"', "''", "E'"]));
      });
    },
  ],
  [
    'value replaced',
    (b, r) => {
      const ls = linesOf(b);
      const i = someLine(r, ls);
      return editLine(ls, i, (s) => {
        if (s.includes('\t') || !/^INSERT /.test(s)) {
          const eol = /\r?\n$/.exec(s)?.[0] ?? '';
          const fields = s.slice(0, s.length - eol.length).split('\t');
          fields[int(r, fields.length)] = Buffer.from(pick(r, COPY_FIELDS), 'utf8').toString('latin1');
          return fields.join('\t') + eol;
        }
        // a number, NULL, boolean or short string literal among the VALUES
        return replaceOne(r, s, /(?<=[(,] ?)(?:-?\d+(?:\.\d+)?|NULL|true|false|'[^'\\]{0,40}')(?= ?[,)])/, () =>
          Buffer.from(pick(r, SQL_VALUES), 'utf8').toString('latin1'),
        );
      });
    },
  ],
  [
    'standard_conforming_strings',
    (b, r) => {
      const s = b.toString('latin1');
      if (s.includes('standard_conforming_strings = on') && r() < 0.8)
        return Buffer.from(
          s.replace(
            'standard_conforming_strings = on',
            pick(r, [
              'standard_conforming_strings = off',
              "standard_conforming_strings = 'off'",
              'standard_conforming_strings TO off',
              'standard_conforming_strings = of',
            ]),
          ),
          'latin1',
        );
      const ls = linesOf(b);
      ls.splice(someLine(r, ls), 0, Buffer.from('SET standard_conforming_strings = off;\n'));
      return Buffer.concat(ls);
    },
  ],
  [
    'encoding',
    (b, r) => {
      const k = r();
      const s = b.toString('latin1');
      if (k < 0.3)
        return Buffer.from(
          s.replace("client_encoding = 'UTF8'", `client_encoding = '${pick(r, ENCODINGS)}'`),
          'latin1',
        );
      if (k < 0.45) {
        // the whole file as LATIN1, as pg_dump -E LATIN1 would write it (characters LATIN1 lacks become '?')
        const text = b
          .toString('utf8')
          .replace(/[^\x20-\xff\t\n\r]/gu, '?')
          .replace("client_encoding = 'UTF8'", `client_encoding = '${pick(r, ['LATIN1', 'WIN1252'])}'`);
        return Buffer.from(text, 'latin1');
      }
      if (k < 0.6) return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
      if (k < 0.75) {
        const ls = linesOf(b);
        if (r() < 0.5) return Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
        const i = someLine(r, ls);
        return editLine(ls, i, (x) => x.replace(/\r?\n$/, pick(r, ['\r\n', '\r'])));
      }
      const ls = linesOf(b);
      const i = someLine(r, ls);
      return editLine(ls, i, (x) => insertAt(r, x, Buffer.from(pick(r, BAD_UTF8)).toString('latin1')));
    },
  ],
  [
    'cut',
    (b, r) => {
      if (r() < 0.5) return b.subarray(0, int(r, b.length));
      const ls = linesOf(b);
      return Buffer.concat(ls.slice(0, int(r, ls.length)));
    },
  ],
  [
    'names edited',
    (b, r) => {
      const ls = linesOf(b);
      const starts = ls.map((l, i) => (isStatementStart(l) ? i : -1)).filter((i) => i !== -1);
      if (starts.length === 0) return b;
      const i = pick(r, starts);
      return editLine(ls, i, (s) => {
        const k = r();
        if (k < 0.15) return s.replace(/^INSERT INTO/, 'insert into').replace(/^COPY/, 'copy');
        if (k < 0.3)
          return s.replace(/public\.(tls_\w+)/, (_m, t: string) =>
            pick(r, [
              `PUBLIC.${t.toUpperCase()}`,
              `"public"."${t}"`,
              `public."${t}"`,
              t,
              `public.${t}s`,
              `public."${t.toUpperCase()}"`,
              'public.tls_coahc',
              `other.${t}`,
            ]),
          );
        if (k < 0.5) {
          // two columns of the column list swapped (COPY header, --column-inserts)
          return s.replace(/\(([^()']*)\)/, (_m, cols: string) => {
            const c = cols.split(', ');
            const [x, y] = [int(r, c.length), int(r, c.length)];
            [c[x], c[y]] = [c[y]!, c[x]!];
            return `(${c.join(', ')})`;
          });
        }
        if (k < 0.6)
          return s.replace(
            /\(([^()']*)\)/,
            (_m, cols: string) =>
              `(${cols
                .split(', ')
                .filter((_c, j, all) => j !== all.length - 1)
                .join(', ')})`,
          );
        if (k < 0.7)
          return s.replace(
            ' FROM stdin;',
            pick(r, [
              ' FROM STDIN;',
              ' from stdin;',
              ' FROM stdin',
              ' FROM stdin WITH (FORMAT csv);',
              ' FROM pstdin;',
              ' FROM stdin ;',
            ]),
          );
        if (k < 0.85) return replaceOne(r, s, /, /, () => pick(r, [',\n', ', -- c\n', ',/* c */', '  ,  ', ',']));
        return s.replace(/;(\r?\n)$/, pick(r, ['$1', ';;$1', '; -- end$1', ' ;$1']));
      });
    },
  ],
];

export interface MutatedCase {
  /** The mutations applied, in order. */
  readonly mutations: readonly string[];
  readonly sql: Buffer;
}

/** One to three mutations of `base` (mostly one: each should stay close to a real file). */
export function mutate(base: Buffer, r: Rand, others: readonly Buffer[]): MutatedCase {
  const n = r() < 0.7 ? 1 : r() < 0.7 ? 2 : 3;
  let sql = base;
  const names: string[] = [];
  for (let k = 0; k < n && sql.length > 0; k++) {
    // (a file cut to nothing has no line left to mutate)
    const [name, f] = pick(r, MUTATIONS);
    sql = f(sql, r, others);
    names.push(name);
  }
  return { mutations: names, sql };
}
