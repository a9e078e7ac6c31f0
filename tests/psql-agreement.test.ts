// Issue 26 items 1-2 and issue 27 item 5: the reader reads what psql reads and refuses what psql refuses, on
// real pg_dump 15 output in every INSERT form (tests/fixtures/insert-forms, made by its make.sh) and in the COPY
// samples, each plain and gzipped. Every case changes the dump as a hand or a fault would. With DATABASE_URL
// set, psql restores the very same text into a scratch database that has the legacy schema, and must agree:
// where the reader refuses, psql refuses (or, for the few cases marked, runs something whose effect the reader
// cannot know); where the reader reads, the database holds what the reader read.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import t, { type Test } from 'tap';
import type { ErrorCode } from '../lib/errors.js';
import { readLegacyDump, type LegacyDump } from '../lib/legacy/read-legacy.js';
import { asyncErrorOf } from './helpers/parse.js';
import { DATABASE_URL, dropDb, needsPg, psqlOk, scratchDb } from './helpers/pg.js';

type Form = 'inserts' | 'column-inserts' | 'rows-per-insert' | 'copy';
const INSERT_FORMS: readonly Form[] = ['inserts', 'column-inserts', 'rows-per-insert'];

/** The whole data dump in one form: every legacy table, as pg_dump 15 wrote it. */
function dumpText(form: Form, suffix = ''): string {
  if (form === 'copy')
    return ['coaches_with_images', 'categories', 'config_data']
      .map((f) => readFileSync(join('samples', `${f}.sql`), 'utf8'))
      .join('');
  return gunzipSync(readFileSync(join('tests/fixtures/insert-forms', `${form}${suffix}.sql.gz`))).toString('utf8');
}

/**
 * The text with the first match of `find` replaced (`$1` is a RegExp's first group); the fixture must hold it,
 * so that a case never passes on a text it did not change.
 */
function change(text: string, find: string | RegExp, to: string): string {
  const at = typeof find === 'string' ? text.indexOf(find) : text.search(find);
  if (at === -1) throw new Error(`the dump does not hold ${String(find)}`);
  return typeof find === 'string' ? text.slice(0, at) + to + text.slice(at + find.length) : text.replace(find, to);
}

/** The 1-based line where `marker` first begins. */
function lineOf(text: string, marker: string | RegExp): number {
  const at = typeof marker === 'string' ? text.indexOf(marker) : text.search(marker);
  if (at === -1) throw new Error(`the dump does not hold ${String(marker)}`);
  return text.slice(0, at).split('\n').length;
}

interface Refusal {
  readonly code: ErrorCode;
  readonly line: number;
  readonly says: RegExp;
  readonly table?: string;
  readonly column?: string;
}

interface Case {
  readonly name: string;
  readonly forms: readonly Form[];
  /** The dump, changed. */
  readonly change: (text: string, form: Form) => string;
  /** What the reader must refuse (given the changed text), or else `read` checks what it read. */
  readonly refuse?: (text: string, form: Form) => Refusal;
  readonly read?: (t: Test, d: LegacyDump) => void;
  /** psql runs it (an UPDATE; rows after a `\.` that psql skips in silence): the reader refuses on purpose. */
  readonly psqlRuns?: string;
  /** Another schema file instead of totalis_schema.sql (null: none). */
  readonly schema?: null;
}

const beforeFirst = (marker: string, line: string) => (text: string) => change(text, marker, line + marker);
const COACH_INSERT = 'INSERT INTO public.tls_coach';

const CASES: readonly Case[] = [
  // ---- issue 26 item 1: a statement the reader does not understand is an error naming its line
  {
    name: 'a stray line before an INSERT (Note to self)',
    forms: INSERT_FORMS,
    change: beforeFirst(COACH_INSERT, 'Note to self\n'),
    refuse: (s) => ({
      code: 'SQL_STATEMENT_UNKNOWN',
      line: lineOf(s, 'Note to self'),
      says: /a statement pg_dump does not write.*"Note to self"/,
    }),
  },
  {
    name: 'BEGIN without its ";" before an INSERT',
    forms: INSERT_FORMS,
    change: beforeFirst(COACH_INSERT, 'BEGIN\n'),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, 'BEGIN\n'),
      says: /expected ";": pg_dump writes BEGIN and COMMIT alone/,
    }),
  },
  {
    name: 'garbage before an INSERT',
    forms: INSERT_FORMS,
    change: beforeFirst(COACH_INSERT, '}#x7 garbage\n'),
    refuse: (s) => ({
      code: 'SQL_STATEMENT_UNKNOWN',
      line: lineOf(s, '}#x7'),
      says: /a statement pg_dump does not write/,
    }),
  },
  {
    name: 'a SET that lost its ";"',
    forms: INSERT_FORMS,
    change: (s) => change(s, 'SET row_security = off;', 'SET row_security = off'),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, 'SET row_security'),
      says: /expected ";" after the value of SET row_security/,
    }),
  },
  {
    name: 'an ALTER TABLE that lost its ";" before an INSERT',
    forms: INSERT_FORMS,
    change: beforeFirst(COACH_INSERT, 'ALTER TABLE public.tls_coach DISABLE TRIGGER ALL\n'),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, COACH_INSERT),
      says: /a line beginning with INSERT inside the statement begun at line \d+: the ";" that ends that statement is missing/,
    }),
  },
  {
    name: 'an UPDATE, which psql would run',
    forms: INSERT_FORMS,
    change: beforeFirst('INSERT INTO public.tls_prompt', "UPDATE public.tls_coach SET name = 'x';\n"),
    refuse: (s) => ({
      code: 'SQL_STATEMENT_UNKNOWN',
      line: lineOf(s, 'UPDATE public'),
      says: /a statement pg_dump does not write/,
    }),
    psqlRuns: 'an UPDATE changes the rows: the reader cannot know how',
  },
  {
    name: 'an INSERT into a misspelt table',
    forms: INSERT_FORMS,
    change: (s) => change(s, COACH_INSERT, 'INSERT INTO public.tls_coahc'),
    refuse: (s, form) =>
      form === 'column-inserts'
        ? {
            code: 'TABLE_UNKNOWN',
            line: lineOf(s, 'public.tls_coahc'),
            table: 'public.tls_coahc',
            says: /a table the schema dump \(totalis_schema\.sql\) does not declare: psql would refuse it \(relation does not exist\) \(did you mean public\.tls_coach\?\)/,
          }
        : {
            code: 'COLUMN_MISSING',
            line: lineOf(s, 'public.tls_coahc'),
            table: 'public.tls_coahc',
            says: /names no columns and the table is not in the schema/,
          },
  },
  {
    name: 'an INSERT into a misspelt table, without the schema dump',
    forms: ['column-inserts'],
    schema: null,
    change: (s) => change(s, COACH_INSERT, 'INSERT INTO public.tls_coahc'),
    refuse: (s) => ({
      code: 'TABLE_UNKNOWN',
      line: lineOf(s, 'public.tls_coahc'),
      table: 'public.tls_coahc',
      says: /one edit away from public\.tls_coach: a misspelt table psql would refuse/,
    }),
  },
  {
    name: 'a quoted table name that differs from ours only in case, without the schema dump',
    forms: ['copy'],
    schema: null,
    change: (s) => change(s, 'COPY public.tls_coach ', 'COPY public."TLS_COACH" '),
    refuse: (s) => ({
      code: 'TABLE_UNKNOWN',
      line: lineOf(s, 'COPY public."TLS_COACH"'),
      table: 'public.TLS_COACH',
      says: /one edit away from public\.tls_coach/,
    }),
  },
  {
    name: 'rows cut from their INSERT (its first line lost)',
    forms: ['rows-per-insert'],
    change: (s) => change(s, "INSERT INTO public.tls_coach VALUES\n\t(4, 'Sam'", "\t(4, 'Sam'"),
    refuse: (s) => ({
      code: 'SQL_STATEMENT_UNKNOWN',
      line: lineOf(s, "\t(4, 'Sam'"),
      says: /a statement pg_dump does not write/,
    }),
  },
  {
    name: 'SELECT 1, which psql would run',
    forms: [...INSERT_FORMS, 'copy'],
    change: (s, form) => beforeFirst(form === 'copy' ? 'COPY public.tls_coach' : COACH_INSERT, 'SELECT 1;\n')(s),
    refuse: (s) => ({
      code: 'SQL_STATEMENT_UNKNOWN',
      line: lineOf(s, 'SELECT 1;'),
      says: /SELECT of something other than a function is not a call pg_dump writes/,
    }),
    psqlRuns: 'it changes nothing, but the reader knows only the SELECTs pg_dump writes',
  },
  {
    name: 'set_config of a setting other than search_path',
    forms: INSERT_FORMS,
    change: (s) => change(s, "set_config('search_path'", "set_config('s arch_path'"),
    refuse: (s) => ({
      code: 'SQL_STATEMENT_UNKNOWN',
      line: lineOf(s, 'SELECT pg_catalog.set_config'),
      says: /set_config of a setting other than search_path/,
    }),
  },
  {
    name: 'SET of a setting PostgreSQL does not know',
    forms: INSERT_FORMS,
    change: (s) => change(s, 'SET row_security = off;', 'SET row_secrity = off;'),
    refuse: (s) => ({
      code: 'SQL_STATEMENT_UNKNOWN',
      line: lineOf(s, 'SET row_secrity'),
      says: /SET row_secrity: not a setting pg_dump writes/,
    }),
  },
  {
    name: "a bit-string constant X'41'",
    forms: INSERT_FORMS,
    change: (s) => change(s, "(4, 'Sam',", "(4, X'41',"),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, "(4, X'41'"),
      table: 'public.tls_coach',
      column: 'name',
      says: /a bit-string constant X'…', which pg_dump never writes/,
    }),
    psqlRuns: "psql stores X'41' as the bits 01000001",
  },
  {
    name: "a cast that changes the value ('Sam'::varchar(2); psql stores Sa)",
    forms: INSERT_FORMS,
    change: (s) => change(s, "(4, 'Sam',", "(4, 'Sam'::varchar(2),"),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, "(4, 'Sam'::varchar(2),"),
      table: 'public.tls_coach',
      column: 'name',
      says: /a cast to varchar\(2\), which pg_dump never writes/,
    }),
    psqlRuns: "psql stores 'Sam' cut to 'Sa'",
  },
  {
    name: "a cast inside || that changes the value ('007'::integer || 'y'; psql stores 7y)",
    forms: INSERT_FORMS,
    change: (s) => change(s, "(4, 'Sam',", "(4, '007'::integer || 'y',"),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, "(4, '007'::integer"),
      table: 'public.tls_coach',
      column: 'name',
      says: /a cast to integer inside an expression joined with \|\|/,
    }),
    psqlRuns: "psql stores '007' as the integer 7, then 7y",
  },
  {
    name: 'casts that keep the value are read: text, varchar, and number || text after a text cast',
    forms: INSERT_FORMS,
    change: (s) =>
      change(change(s, "(4, 'Sam',", "(4, 'Sa'::text || 7::text,"), "(5, 'Robert", "(5::pg_catalog.int4, 'Robert"),
    read: (t, d) => {
      t.equal(d.coaches.find((c) => c.id === 4)?.name, 'Sa7', "coach 4 is named 'Sa7', as psql stores it");
      t.ok(
        d.coaches.some((c) => c.id === 5),
        'coach 5 is read with its id cast to its own type',
      );
    },
  },
  {
    name: "seed 20261212 case 140: a Unicode escape string U&'\\D83D\\DE00'",
    forms: INSERT_FORMS,
    change: (s) => change(s, "(4, 'Sam',", "(4, U&'\\D83D\\DE00',"),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, "(4, U&'"),
      table: 'public.tls_coach',
      column: 'name',
      says: /a Unicode escape string U&'…', which pg_dump never writes/,
    }),
    psqlRuns: 'psql stores the emoji U+1F600',
  },
  {
    name: "seed 20261212 case 1502: a dollar-quoted value ($q$Sa'm$q$) is read as psql reads it",
    forms: INSERT_FORMS,
    change: (s) => change(s, "(4, 'Sam',", "(4, $q$Sa'm$q$,"),
    read: (t, d) => t.equal(d.coaches.find((c) => c.id === 4)?.name, "Sa'm", "coach 4 is named Sa'm"),
  },
  {
    name: 'DEFAULT as a value (seed 20261210 case 388)',
    forms: INSERT_FORMS,
    change: (s) => change(s, "(4, 'Sam',", '(4, DEFAULT,'),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, '(4, DEFAULT,'),
      table: 'public.tls_coach',
      column: 'name',
      says: /DEFAULT as a value, which pg_dump never writes/,
    }),
    psqlRuns: "psql stores the column's default from the restoring database (NULL for name)",
  },
  {
    name: 'a comment after the COPY header',
    forms: ['copy'],
    change: (s) => change(s, /(COPY public\.tls_coach [^\n]*FROM stdin;)\n/, '$1 -- the coaches\n'),
    read: (t, d) => t.equal(d.coaches.length, 6, 'every coach read'),
  },
  {
    name: 'seed 20261212 case 2704: a COPY escape that makes a byte >= 0x80 in a bytea field (\\xe9)',
    forms: ['copy'],
    change: (s) => change(s, /\n1\tjpg\t\\\\x[0-9a-f]*\t/, '\n1\tjpg\t\\xe9\t'),
    refuse: (s) => ({
      code: 'ENCODING_INVALID',
      line: lineOf(s, '\n1\tjpg\t') + 1,
      table: 'public.tls_image',
      column: 'data',
      says: /invalid byte sequence for encoding "UTF8": 0xe9/,
    }),
  },
  {
    name: 'a timestamp at 24:00:00',
    forms: ['copy'],
    change: (s) => change(s, /(\n1\tDaniel\t[^\n]*\t)2023-03-14 09:26:53\.589793\n/, '$12023-03-14 24:00:00\n'),
    refuse: (s) => ({
      code: 'VALUE_TIMESTAMP',
      line: lineOf(s, '1\tDaniel\t'),
      table: 'public.tls_coach',
      column: 'time_create',
      says: /a timestamp with a field out of range, as pg_dump never writes one/,
    }),
    psqlRuns: 'PostgreSQL stores the next day at 00:00:00',
  },
  {
    name: 'a timestamp in month 13',
    forms: ['copy'],
    change: (s) => change(s, /(\n1\tDaniel\t[^\n]*\t)2023-03-14 09:26:53\.589793\n/, '$12023-13-14 09:26:53\n'),
    refuse: (s) => ({
      code: 'VALUE_TIMESTAMP',
      line: lineOf(s, '1\tDaniel\t'),
      table: 'public.tls_coach',
      column: 'time_create',
      says: /field out of range/,
    }),
  },
  {
    name: 'what pg_dump writes around data is skipped: --disable-triggers, large-object BEGIN/COMMIT, set_config',
    forms: [...INSERT_FORMS, 'copy'],
    change: (s, form) =>
      change(
        s,
        form === 'copy' ? 'COPY public.tls_coach' : COACH_INSERT,
        `ALTER TABLE public.tls_coach DISABLE TRIGGER ALL;\n\nBEGIN;\n\nCOMMIT;\n\nSELECT pg_catalog.set_config('search_path', '', false);\n\n${form === 'copy' ? 'COPY public.tls_coach' : COACH_INSERT}`,
      ),
    read: (t, d) => {
      t.equal(d.coaches.length, 6, 'every coach read');
      t.equal(d.imageCount, 14, 'every image read');
    },
  },
  // ---- issue 26 item 2: literals psql refuses are refused, literals psql accepts are read the same
  {
    name: "E'\\xff\\xd8\\xff\\xe0' for a bytea column (invalid UTF-8 in a string literal)",
    forms: INSERT_FORMS,
    change: (s) => change(s, /\(1, 'jpg', '\\x[0-9a-f]+'/, "(1, 'jpg', E'\\xff\\xd8\\xff\\xe0'"),
    refuse: (s) => ({
      code: 'ENCODING_INVALID',
      line: lineOf(s, "(1, 'jpg'"),
      table: 'public.tls_image',
      column: 'data',
      says: /invalid byte sequence for encoding "UTF8": 0xff/,
    }),
  },
  {
    name: "standard_conforming_strings = off above '\\x…' bytea literals",
    forms: INSERT_FORMS,
    change: (s) => change(s, 'SET standard_conforming_strings = on;', 'SET standard_conforming_strings = off;'),
    refuse: (s) => ({
      code: 'ENCODING_INVALID',
      line: lineOf(s, "(1, 'jpg'"),
      table: 'public.tls_image',
      column: 'data',
      says: /invalid byte sequence for encoding "UTF8": 0xff/,
    }),
  },
  {
    name: "a surrogate pair E'\\uD83D\\uDE00' is U+1F600",
    forms: INSERT_FORMS,
    change: (s) => change(s, "(4, 'Sam',", "(4, E'\\uD83D\\uDE00',"),
    read: (t, d) => t.equal(d.coaches.find((c) => c.id === 4)?.name, '\u{1F600}', 'coach 4 is named U+1F600'),
  },
  {
    name: "a high surrogate alone (E'\\uD83D')",
    forms: INSERT_FORMS,
    change: (s) => change(s, "(4, 'Sam',", "(4, E'\\uD83D',"),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, '(4, E'),
      table: 'public.tls_coach',
      column: 'name',
      says: /invalid Unicode surrogate pair/,
    }),
  },
  {
    name: "E'\\u0000'",
    forms: INSERT_FORMS,
    change: (s) => change(s, "(4, 'Sam',", "(4, E'\\u0000',"),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, '(4, E'),
      table: 'public.tls_coach',
      column: 'name',
      says: /invalid Unicode escape value/,
    }),
  },
  {
    name: '\\unrestrict with the wrong key',
    forms: [...INSERT_FORMS, 'copy'],
    change: (s) => change(s, /\\unrestrict \S+/, '\\unrestrict wRoNgKeY0123456789'),
    refuse: (s) => ({
      code: 'META_COMMAND_UNKNOWN',
      line: lineOf(s, '\\unrestrict wRoNgKeY'),
      says: /\\unrestrict with the wrong key: not the key of the \\restrict of line 5/,
    }),
  },
  {
    name: 'a line x\\. in the middle of COPY data',
    forms: ['copy'],
    change: (s) => change(s, /\n1\tDaniel\t[^\n]*\n/, '\n1\tDaniel\\.\n'),
    refuse: (s) => ({
      code: 'COPY_END_MARKER_CORRUPT',
      line: lineOf(s, '1\tDaniel\\.'),
      table: 'public.tls_coach',
      says: /data before "\\\." on a line: psql ends COPY only at a line that is "\\\." alone/,
    }),
  },
  {
    name: 'a whole row then \\. on its line, more rows after it',
    forms: ['copy'],
    change: (s) => change(s, /\n(1\tDaniel\t[^\n]*)\n/, '\n$1\\.\n'),
    refuse: (s) => ({
      code: 'COPY_END_MARKER_CORRUPT',
      line: lineOf(s, '1\tDaniel\t'),
      table: 'public.tls_coach',
      says: /data before "\\\." on a line/,
    }),
    psqlRuns: 'psql sends the rows after it as COPY data, which the server ignores: rows lost in silence',
  },
  {
    name: 'the last row then \\. on its line, and the lone \\. after it',
    forms: ['copy'],
    change: (s) => change(s, /\n(6\tZo[^\n]*)\n\\\.\n/, '\n$1\\.\n\\.\n'),
    read: (t, d) =>
      t.same(
        d.coaches.map((c) => c.id),
        [1, 2, 3, 4, 5, 6],
        'every coach read, the last one too',
      ),
  },
  // ---- issue 26 item 3, the differential fuzzer's disagreements D15, D16, D18 and seed 7's cases 464 and 809
  {
    name: 'D15: unquoted numbers and TRUE for text columns are stored as PostgreSQL stores them (007 → 7, 1.50e1 → 15.0)',
    forms: INSERT_FORMS,
    change: (s) =>
      change(change(s, "(4, 'Sam',", '(4, 007,'), "(1, 'Daniel', 'Calm, practical, direct.',", '(1, 1.50e1, TRUE,'),
    read: (t, d) => {
      t.equal(d.coaches.find((c) => c.id === 4)?.name, '7', 'coach 4: 007 is the integer 7');
      t.equal(
        d.coaches.find((c) => c.id === 1)?.name,
        '15.0',
        'coach 1: 1.50e1 is the numeric 15.0 (two fraction digits less one for the exponent)',
      );
      t.equal(d.coaches.find((c) => c.id === 1)?.description, 'true', 'coach 1: TRUE is the text true');
    },
  },
  {
    name: 'D15: an unquoted number for a timestamp column (PostgreSQL refuses an integer there)',
    forms: INSERT_FORMS,
    change: (s) => change(s, "(1, 'version', '2.7.1', '2023-05-05 05:05:05')", "(1, 'version', '2.7.1', 20230505)"),
    refuse: (s) => ({
      code: 'SQL_VALUE_TYPE',
      line: lineOf(s, "(1, 'version'"),
      table: 'public.tls_system',
      column: 'time_create',
      says: /the column is of type timestamp without time zone but the unquoted number 20230505 is of type integer/,
    }),
  },
  {
    name: "D16: setval of a sequence whose name pg_dump would have quoted ('public*tls_coach_id_seq')",
    forms: [...INSERT_FORMS, 'copy'],
    change: (s) => change(s, "setval('public.tls_coach_id_seq'", "setval('public*tls_coach_id_seq'"),
    refuse: (s) => ({
      code: 'SEQUENCE_UNKNOWN',
      line: lineOf(s, "setval('public*"),
      says: /not a sequence name pg_dump writes/,
    }),
  },
  {
    name: "seed 7 case 809: setval of a sequence in schema \\rpublic (a backslash before the schema's name)",
    forms: [...INSERT_FORMS, 'copy'],
    change: (s) => change(s, "setval('public.tls_coach_id_seq'", "setval('\\rpublic.tls_coach_id_seq'"),
    refuse: (s) => ({
      code: 'SEQUENCE_UNKNOWN',
      line: lineOf(s, "setval('\\rpublic"),
      says: /not a sequence name pg_dump writes/,
    }),
  },
  {
    name: "setval of a legacy table's sequence, misspelt (public.tls_coahc_id_seq)",
    forms: [...INSERT_FORMS, 'copy'],
    change: (s) => change(s, "setval('public.tls_coach_id_seq'", "setval('public.tls_coahc_id_seq'"),
    refuse: (s) => ({
      code: 'SEQUENCE_UNKNOWN',
      line: lineOf(s, "setval('public.tls_coahc"),
      says: /a misspelling of a legacy table's sequence/,
    }),
  },
  {
    name: 'seed 7 case 464: SET xmloption = cootent (a value PostgreSQL refuses)',
    forms: [...INSERT_FORMS, 'copy'],
    change: (s) => change(s, 'SET xmloption = content;', 'SET xmloption = cootent;'),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, 'SET xmloption'),
      says: /invalid value for parameter "xmloption": "cootent"/,
    }),
  },
  {
    name: 'seed 20261211 case 648: a U+FEFF before a SET timeout (not space to PostgreSQL)',
    forms: [...INSERT_FORMS, 'copy'],
    change: (s) => change(s, 'SET statement_timeout = 0;', 'SET statement_timeout = \uFEFF0;'),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, 'SET statement_timeout'),
      says: /invalid value for parameter "statement_timeout"/,
    }),
  },
  {
    name: "a SET boolean with a space in it (' on': PostgreSQL does not trim a setting's boolean)",
    forms: [...INSERT_FORMS, 'copy'],
    change: (s) => change(s, 'SET standard_conforming_strings = on;', "SET standard_conforming_strings = ' on';"),
    refuse: (s) => ({
      code: 'SQL_SYNTAX',
      line: lineOf(s, 'SET standard_conforming_strings'),
      says: /invalid value for parameter "standard_conforming_strings"/,
    }),
  },
  {
    name: 'seed 20261211 case 1743: setval of a legacy sequence with its suffix misspelt (tls_coach_idOseq)',
    forms: [...INSERT_FORMS, 'copy'],
    change: (s) => change(s, "setval('public.tls_coach_id_seq'", "setval('public.tls_coach_idOseq'"),
    refuse: (s) => ({
      code: 'SEQUENCE_UNKNOWN',
      line: lineOf(s, 'tls_coach_idOseq'),
      says: /a misspelling of a legacy table's sequence/,
    }),
  },
  {
    name: 'seed 20261211 case 495: values in parentheses are read as psql reads them',
    forms: INSERT_FORMS,
    change: (s) => change(s, "(4, 'Sam',", "(4, (('Sam'))::text,"),
    read: (t, d) => t.equal(d.coaches.find((c) => c.id === 4)?.name, 'Sam', "coach 4 is named 'Sam'"),
  },
  {
    name: 'a -- comment that ends at a CR, an INSERT after it on the same line (psql runs the INSERT)',
    forms: INSERT_FORMS,
    change: (s) => change(s, COACH_INSERT, `-- a note\r${COACH_INSERT}`),
    read: (t, d) => t.equal(d.coaches.length, 6, 'every coach read, the first one too'),
  },
  {
    name: 'seed 20261207 case 669: a vertical tab before an INSERT (not white space to PostgreSQL 15)',
    forms: INSERT_FORMS,
    change: (s) => change(s, COACH_INSERT, `\v${COACH_INSERT}`),
    refuse: (s) => ({
      code: 'SQL_STATEMENT_UNKNOWN',
      line: lineOf(s, `\v${COACH_INSERT}`),
      says: /a statement pg_dump does not write/,
    }),
  },
  {
    name: 'D18: an empty statement after the COPY header (FROM stdin;;) is nothing, as to psql',
    forms: ['copy'],
    change: (s) => change(s, /(COPY public\.tls_coach [^\n]*FROM stdin;)\n/, '$1;\n'),
    read: (t, d) =>
      t.same(
        d.coaches.map((c) => c.id),
        [1, 2, 3, 4, 5, 6],
        'every coach read',
      ),
  },
  {
    name: 'seed 20261208 case 45: a table name without its schema after pg_dump emptied the search path',
    forms: [...INSERT_FORMS, 'copy'],
    change: (s, form) =>
      form === 'copy'
        ? change(s, 'COPY public.tls_coach ', 'COPY tls_coach ')
        : change(s, COACH_INSERT, 'INSERT INTO tls_coach'),
    refuse: (s, form) => ({
      code: 'TABLE_UNKNOWN',
      line: lineOf(s, form === 'copy' ? 'COPY tls_coach ' : 'INSERT INTO tls_coach'),
      says: /"tls_coach" is not qualified with a schema, but the search path set on line \d+ holds no schema for it/,
      table: 'tls_coach',
    }),
  },
  {
    name: "a table name without its schema under SET search_path = public, pg_catalog (pg_dump before 10.3) is public's",
    forms: [...INSERT_FORMS, 'copy'],
    change: (s, form) =>
      change(
        form === 'copy'
          ? change(s, 'COPY public.tls_coach ', 'COPY tls_coach ')
          : s.replaceAll(COACH_INSERT, 'INSERT INTO tls_coach'),
        "SELECT pg_catalog.set_config('search_path', '', false);",
        'SET search_path = public, pg_catalog;',
      ),
    read: (t, d) =>
      t.same(
        d.coaches.map((c) => c.id),
        [1, 2, 3, 4, 5, 6],
        'every coach read',
      ),
  },
  {
    name: 'a table name without its schema under SET search_path = archive, pg_catalog (public not on the path)',
    forms: [...INSERT_FORMS, 'copy'],
    change: (s, form) =>
      change(
        form === 'copy'
          ? change(s, 'COPY public.tls_coach ', 'COPY tls_coach ')
          : change(s, COACH_INSERT, 'INSERT INTO tls_coach'),
        "SELECT pg_catalog.set_config('search_path', '', false);",
        'SET search_path = archive, pg_catalog;',
      ),
    refuse: (s, form) => ({
      code: 'TABLE_UNKNOWN',
      line: lineOf(s, form === 'copy' ? 'COPY tls_coach ' : 'INSERT INTO tls_coach'),
      says: /the search path set on line \d+ does not hold public, so PostgreSQL looks for it in "archive" instead/,
      table: 'tls_coach',
    }),
  },
  {
    name: 'seed 20261208 case 226: constants joined by || are one value, concatenated as PostgreSQL does',
    forms: INSERT_FORMS,
    change: (s) =>
      change(
        s,
        "(1, 'Daniel', 'Calm, practical, direct.',",
        "(1, 'Dan' || E'i\\x65' ||-- a comment\n'l' || 1.50, 'Calm, ' || NULL,",
      ),
    read: (t, d) => {
      t.equal(d.coaches[0]!.name, 'Daniel1.50', "'Dan' || E'i\\x65' || 'l' || 1.50");
      t.equal(d.coaches[0]!.description, null, "'Calm, ' || NULL");
    },
  },
  {
    name: 'constants joined by || into an integer column are refused, as PostgreSQL refuses text there',
    forms: INSERT_FORMS,
    change: (s) => change(s, "(1, 'Daniel',", "('1' || '0', 'Daniel',"),
    refuse: (s) => ({
      code: 'SQL_VALUE_TYPE',
      line: lineOf(s, "('1' || '0'"),
      says: /the column is of type integer but the expression joined with \|\| is of type text/,
      table: 'public.tls_coach',
      column: 'id',
    }),
  },
];

/** Reads `text` as `file` (plain or gzipped) beside the schema dump (unless none); the error or the records. */
async function readCase(dir: string, file: string, text: string, schema: boolean): Promise<LegacyDump | Error> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (schema) copyFileSync('samples/totalis_schema.sql', join(dir, 'totalis_schema.sql'));
  writeFileSync(join(dir, file), file.endsWith('.gz') ? gzipSync(text) : text);
  try {
    return await readLegacyDump([dir]);
  } catch (e) {
    return e as Error;
  }
}

let n = 0;
for (const c of CASES) {
  t.test(c.name, async (t) => {
    for (const form of c.forms) {
      const text = c.change(dumpText(form), form);
      for (const file of ['data.sql', 'data.sql.gz']) {
        const what = `${form}, ${file}`;
        const dir = join(t.testdirName, String(n++));
        if (c.refuse !== undefined) {
          const want = c.refuse(text, form);
          const e = await asyncErrorOf(async () => {
            const r = await readCase(dir, file, text, c.schema !== null);
            if (r instanceof Error) throw r;
          });
          t.equal(e.code, want.code, `${what}: ${e.message}`);
          t.equal(e.position.file, file, `${what}: names the file`);
          t.equal(e.position.line, want.line, `${what}: names the line`);
          t.match(e.message, want.says, `${what}: says what is wrong`);
          if (want.table !== undefined) t.equal(e.position.table, want.table, `${what}: names the table`);
          if (want.column !== undefined) t.equal(e.position.column, want.column, `${what}: names the column`);
          t.notMatch(e.message, /\n/, `${what}: one line`);
        } else {
          const d = await readCase(dir, file, text, c.schema !== null);
          if (d instanceof Error) t.fail(`${what}: refused: ${d.message}`);
          else c.read!(t, d);
        }
      }
    }
  });
}

t.test('issue 27 item 5: pg_dump --on-conflict-do-nothing is read, every INSERT form, the same records', async (t) => {
  for (const form of INSERT_FORMS) {
    const plain = await readCase(join(t.testdirName, `${form}-plain`), 'data.sql', dumpText(form), true);
    for (const file of ['data.sql', 'data.sql.gz']) {
      const text = dumpText(form, '-on-conflict');
      t.match(text, /\) ON CONFLICT DO NOTHING;\n/, `${form}: pg_dump wrote ON CONFLICT DO NOTHING`);
      const d = await readCase(join(t.testdirName, `${form}-${file}`), file, text, true);
      if (d instanceof Error || plain instanceof Error) {
        t.fail(`${form}, ${file}: refused: ${String(d instanceof Error ? d.message : plain)}`);
        continue;
      }
      const records = (x: LegacyDump): unknown => [
        x.coaches,
        x.categories,
        x.prompts,
        x.variables,
        x.systems,
        [...x.imageIds],
      ];
      t.same(records(d), records(plain), `${form}, ${file}: the records of the dump without ON CONFLICT`);
      t.equal(d.coaches.length, 6, `${form}, ${file}: six coaches`);
    }
  }
});

// ---- psql, the oracle: the same texts restored into a database with the legacy schema

const DB = 'totalis_psql_agreement';

const TABLES = ['tls_image', 'tls_coach', 'tls_category', 'tls_prompt', 'tls_variable', 'tls_system']
  .map((x) => `public.${x}`)
  .join(', ');
const MARK = '--- what the database holds ---';

/**
 * Restores `text` with psql into the legacy tables, emptied first; what the database then holds, or psql's
 * error. One psql run per case (the tables are emptied, the text restored and the result queried in it).
 */
function restore(url: string, text: string): { ok: boolean; stderr: string; coaches: string[][]; counts: string } {
  const counts = TABLES.split(', ')
    .map((x) => `(SELECT count(*) FROM ${x})`)
    .join(', ');
  const input = `TRUNCATE ${TABLES};\n${text}\n\\echo '${MARK}'\nSELECT concat_ws(' ', ${counts});\nSELECT id, name FROM public.tls_coach ORDER BY id;\n`;
  // (names qualified: the dump empties search_path) the sample data keeps one broken reference on purpose (coach 6 ->
  // image 99), as make-samples.sh loads it
  const r = spawnSync('psql', [url, '-X', '-q', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-1', '-f', '-'], {
    input,
    env: { ...process.env, PGOPTIONS: '-c session_replication_role=replica' },
    maxBuffer: 1 << 26,
  });
  const out = r.stdout.toString('utf8');
  const held = out.includes(MARK)
    ? out
        .slice(out.indexOf(MARK) + MARK.length)
        .split('\n')
        .filter((l) => l !== '')
    : [];
  return {
    ok: r.status === 0,
    stderr: r.stderr.toString(),
    counts: held[0] ?? '',
    coaches: held.slice(1).map((l) => l.split('\t')),
  };
}

t.test('psql agrees: it refuses what the reader refuses, and holds what the reader reads', needsPg, async (t) => {
  const url = scratchDb(DB);
  t.teardown(() => dropDb(DB));
  psqlOk(['-f', 'samples/source/legacy-schema.sql'], undefined, url);
  const cases: (Case & { text?: string })[] = [...CASES];
  for (const c of cases) {
    for (const form of c.forms) {
      const text = c.change(dumpText(form), form);
      const what = `${c.name} (${form})`;
      const db = restore(url, text);
      if (c.refuse !== undefined && c.psqlRuns === undefined) {
        t.notOk(db.ok, `${what}: psql refuses too`);
        continue;
      }
      t.ok(db.ok, `${what}: psql runs it${c.psqlRuns !== undefined ? ` (${c.psqlRuns})` : ''}: ${db.stderr}`);
      if (c.refuse !== undefined) continue;
      const d = await readLegacyDump([await writeText(t.testdirName, `${n++}`, text)]);
      t.same(
        db.coaches,
        d.coaches.map((x) => [String(x.id), x.name ?? '']),
        `${what}: the coaches psql restored are the ones read`,
      );
      t.equal(
        db.counts,
        [
          d.imageCount,
          d.coaches.length,
          d.categories.length,
          d.prompts.length,
          d.variables.length,
          d.systems.length,
        ].join(' '),
        `${what}: as many rows in each table`,
      );
    }
  }
  for (const form of INSERT_FORMS) {
    const text = dumpText(form, '-on-conflict');
    const db = restore(url, text);
    t.ok(db.ok, `--on-conflict-do-nothing (${form}): psql restores it: ${db.stderr}`);
    const d = await readLegacyDump([await writeText(t.testdirName, `${n++}`, text)]);
    t.equal(
      db.counts,
      [
        d.imageCount,
        d.coaches.length,
        d.categories.length,
        d.prompts.length,
        d.variables.length,
        d.systems.length,
      ].join(' '),
      `--on-conflict-do-nothing (${form}): as many rows in each table`,
    );
  }
  t.ok(DATABASE_URL !== undefined);
});

async function writeText(base: string, sub: string, text: string): Promise<string> {
  const dir = join(base, sub);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync('samples/totalis_schema.sql', join(dir, 'totalis_schema.sql'));
  writeFileSync(join(dir, 'data.sql'), text);
  return dir;
}

t.test(
  'a whole-database dump: another table the schema dump declares is counted; one it does not is refused',
  async (t) => {
    // as pg_dump writes another table: its own table-of-contents entry, then its data, before tls_coach's entry
    const other =
      '--\n-- Data for Name: tls_message; Type: TABLE DATA; Schema: public; Owner: -\n--\n\nCOPY public.tls_message (id, body) FROM stdin;\n1\thi\n2\tyo\n\\.\n\n\n';
    const coachEntry = '--\n-- Data for Name: tls_coach; Type: TABLE DATA';
    const text = change(dumpText('copy'), coachEntry, `${other}${coachEntry}`);
    const dir = join(t.testdirName, 'declared');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'totalis_schema.sql'),
      readFileSync('samples/totalis_schema.sql', 'utf8').replace(
        '--\n-- PostgreSQL database dump complete',
        'CREATE TABLE public.tls_message (id integer, body text);\n\n--\n-- PostgreSQL database dump complete',
      ),
    );
    writeFileSync(join(dir, 'data.sql'), text);
    const d = await readLegacyDump([dir]);
    const summary = d.files.find((f) => f.name === 'data.sql')!.tables.find((x) => x.table === 'public.tls_message');
    t.same([summary?.legacy, summary?.rows], [null, 2], 'public.tls_message: not a legacy table, 2 rows counted');
    t.equal(d.coaches.length, 6, 'the coaches read');
    const d2 = await readCase(join(t.testdirName, 'undeclared'), 'data.sql', text, true);
    t.ok(
      d2 instanceof Error &&
        /TABLE_UNKNOWN/.test(d2.message) &&
        /public\.tls_message, a table the schema dump \(totalis_schema\.sql\) does not declare/.test(d2.message),
      `undeclared: refused (${String(d2 instanceof Error ? d2.message : 'read')})`,
    );
    const d3 = await readCase(join(t.testdirName, 'no-schema'), 'data.sql', text, false);
    t.notOk(
      d3 instanceof Error,
      'without a schema dump: counted as another table (its name is no legacy name misspelt)',
    );
  },
);
