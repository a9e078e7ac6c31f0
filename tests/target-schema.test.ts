// The target schema lives in three hand-kept places: schemas/target.sql (what PostgreSQL makes), lib/sql/
// target-tables.ts (what the SQL writers quote and compare) and schemas/target/*.schema.json (what every row is
// checked against before anything is written). They must agree: PostgreSQL's catalog after target.sql is the
// reference, read here from PGlite, and each other place is compared with it column by column.
import { PGlite } from '@electric-sql/pglite';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { APP_CONFIG, CATEGORIES, COACHES, SQL_TYPE } from '../lib/sql/target-tables.js';

t.test('schemas/target.sql, lib/sql/target-tables.ts and schemas/target/*.schema.json agree', async (t) => {
  const pg = await PGlite.create();
  t.teardown(() => pg.close());
  await pg.exec(readFileSync('schemas/target.sql', 'utf8'));
  for (const def of [COACHES, CATEGORIES, APP_CONFIG]) {
    const cols = (
      await pg.query<{ name: string; type: string; nullable: string }>(
        `SELECT column_name AS name, data_type AS type, is_nullable AS nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${def.table}' ORDER BY ordinal_position`,
      )
    ).rows;
    const typeOf = (k: string): string =>
      SQL_TYPE[k as keyof typeof SQL_TYPE] === 'timestamptz'
        ? 'timestamp with time zone'
        : SQL_TYPE[k as keyof typeof SQL_TYPE]!;
    t.same(
      def.columns.map((c) => [c.name, typeOf(c.kind)]),
      cols.map((c) => [c.name, c.type]),
      `${def.table}: target-tables.ts has target.sql's columns, in order, with its types`,
    );
    const schema = JSON.parse(readFileSync(`schemas/target/${def.table}.schema.json`, 'utf8')) as {
      properties: Record<string, { type?: string | string[]; enum?: unknown[] }>;
      required: string[];
    };
    t.same(
      Object.keys(schema.properties),
      cols.map((c) => c.name),
      `${def.table}: the JSON Schema has the same columns`,
    );
    t.same(
      [...schema.required].sort(),
      cols.map((c) => c.name).sort(),
      `${def.table}: every column is required in a row`,
    );
    for (const c of cols) {
      const p = schema.properties[c.name]!;
      // a `type`, or an enum whose values' types say the same
      const types =
        p.enum !== undefined
          ? p.enum.map((v) => (v === null ? 'null' : typeof v))
          : ([] as string[]).concat(p.type ?? []);
      if (c.nullable === 'YES')
        t.ok(types.includes('null'), `${def.table}.${c.name}: NULL in PostgreSQL, null in the JSON Schema`);
      const json = {
        uuid: 'string',
        integer: 'integer',
        text: 'string',
        boolean: 'boolean',
        'timestamp with time zone': 'string',
      }[c.type];
      if (json !== undefined)
        t.ok(types.includes(json), `${def.table}.${c.name}: ${c.type} is ${json} in the JSON Schema`);
    }
  }
});
