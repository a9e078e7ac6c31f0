// The table model (lib/transform/model/tables.ts) is the one place the target tables are defined. The files
// operators and the validators use are generated from it and committed: this checks that they are what it
// generates now (`make schemas` rewrites them), and that PostgreSQL makes of the DDL the columns the model says.
import { PGlite } from '@electric-sql/pglite';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { HAND_WRITTEN_START, tablesDdl } from '../lib/transform/model/ddl.js';
import { rowSchemaFiles } from '../lib/transform/model/json-schema.js';
import { MODEL, SQL_TYPE } from '../lib/transform/model/tables.js';

t.test("schemas/target.sql's tables are the DDL the model generates (make schemas)", async (t) => {
  const text = readFileSync('schemas/target.sql', 'utf8');
  const at = text.indexOf(HAND_WRITTEN_START);
  t.ok(at > 0, 'target.sql has its hand-written part after the tables');
  t.equal(text.slice(0, at), tablesDdl(), 'everything before the access block is generated');
});

t.test('schemas/target/*.schema.json are the JSON Schemas the model generates (make schemas)', async (t) => {
  const files = rowSchemaFiles();
  t.same(
    files.map((f) => f.path),
    MODEL.map((m) => `target/${m.table}.schema.json`),
  );
  for (const f of files) t.equal(readFileSync(`schemas/${f.path}`, 'utf8'), f.text, f.path);
});

t.test('PostgreSQL makes of the generated DDL exactly the columns of the model', async (t) => {
  const pg = await PGlite.create();
  t.teardown(() => pg.close());
  await pg.exec(tablesDdl());
  for (const m of MODEL) {
    const cols = (
      await pg.query<{ name: string; type: string; notnull: boolean; def: string | null }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = 'public.${m.table}'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      )
    ).rows;
    const pgType = (k: keyof typeof SQL_TYPE): string =>
      k === 'timestamptz' ? 'timestamp with time zone' : SQL_TYPE[k];
    t.same(
      cols.map((c) => [c.name, c.type, c.notnull, c.def !== null]),
      m.columns.map((c) => [c.name, pgType(c.kind), c.notNull, c.default !== undefined]),
      `${m.table}: names, types, NOT NULL and defaults in order`,
    );
    const key = (
      await pg.query<{ col: string }>(
        `SELECT a.attname AS col FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = 'public.${m.table}'::regclass AND i.indisprimary`,
      )
    ).rows;
    t.same(
      key.map((k) => k.col),
      [m.key],
      `${m.table}: the model's key is the primary key`,
    );
  }
});
