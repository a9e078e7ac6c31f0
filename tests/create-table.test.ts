// The CREATE TABLE reader of schema dumps (lib/legacy/create-table.ts): names and types as PostgreSQL reads
// them, every quoting construct skipped whole, and our own SCHEMA_PARSE error for what it cannot read.
import t from 'tap';
import { parseCreateTable } from '../lib/legacy/create-table.js';
import { errorOf } from './helpers/parse.js';

t.test('columns and types, constraints and comments skipped', async (t) => {
  const sql = `CREATE UNLOGGED TABLE IF NOT EXISTS "Public"."tls_X" (
    -- a comment, with ) and , in it
    id integer NOT NULL DEFAULT nextval('s'::regclass),
    "User" boolean /* nested /* block */ comment */,
    name character varying(200) COLLATE pg_catalog."default" CHECK (name <> E'\\')' AND name <> $q$)$q$),
    t timestamp(3) without time zone,
    arr text[],
    te$$xt te$$xt,
    CONSTRAINT pk PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES other(id)
  );`;
  const d = parseCreateTable(sql);
  t.same([d.schema, d.name], ['Public', 'tls_X']);
  t.same(
    d.columns.map((c) => [c.name, c.pgType]),
    [
      ['id', 'integer'],
      ['User', 'boolean'],
      ['name', 'character varying'],
      ['t', 'timestamp without time zone'],
      ['arr', 'text[]'],
      ['te$$xt', 'te$$xt'],
    ],
  );
  t.same(parseCreateTable('CREATE TEMP TABLE e ();').columns, []);
});

t.test('what it cannot read is SCHEMA_PARSE, saying what was expected', async (t) => {
  for (const [sql, what] of [
    ['CREATE VIEW v AS SELECT 1;', /expected TABLE/],
    ['CREATE TABLE t (a integer,, b text);', /expected a column name, found ","/],
    ['CREATE TABLE t (a);', /expected a type for column a/],
    ['CREATE TABLE t (a integer', /expected "," or "\)"/],
    ["CREATE TABLE t (a text DEFAULT 'x);", /a quoted string is not closed/],
    ['CREATE TABLE t (a text DEFAULT $x$abc);', /a dollar-quoted string is not closed/],
    ['CREATE TABLE "t (a text);', /a quoted identifier is not closed/],
    ['CREATE TABLE t (a text /* x);', /a \/\* comment is not closed/],
    ['CREATE TABLE t (a numeric(10, 2, b text);', /expected a type, found ";"/],
    ['CREATE TABLE IF t (a text);', /expected IF NOT EXISTS/],
  ] as const) {
    const e = errorOf(() => parseCreateTable(sql));
    t.equal(e.code, 'SCHEMA_PARSE', sql);
    t.match(e.message, what, sql);
  }
});
