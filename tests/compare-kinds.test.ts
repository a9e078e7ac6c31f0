// verify.sql and reconcile compare a migrated value with the target's by one rule per column kind
// (lib/sql/compare.ts): its SQL form and its JS form must agree. Each case puts a value in a PGlite column of the
// kind's type and asks both forms whether it differs from out/data's value (the SQL form against that value's
// literal, as verify.sql writes it; the JS form against the text the SQL form reads, as reconcile does).
import { PGlite } from '@electric-sql/pglite';
import t from 'tap';
import { COMPARE } from '../lib/sql/compare.js';
import { SQL_TYPE, type ColumnKind } from '../lib/sql/target-tables.js';
import { literal } from '../lib/sql/values.js';
import { parseExactJson } from '../lib/transform/exact-json.js';
import { JsonNumber, type JsonValue } from '../lib/transform/target-rows.js';
import { partsText } from '../lib/text-parts.js';

/** [what the target holds, as an SQL literal or NULL; what out/data holds; whether they are the same]. */
type Case = readonly [string, JsonValue, boolean];

const json = (s: string): JsonValue => parseExactJson(s)!;

const CASES: Readonly<Record<ColumnKind, readonly Case[]>> = {
  jsonb: [
    [`'{"a": 1, "b": [true, null]}'`, json('{"b":[true,null],"a":1}'), true], // key order does not count
    [`'{"a": 1.50}'`, json('{"a": 1.50}'), true],
    [`'{"a": 1.5}'`, json('{"a": 1.50}'), false], // a number's digits count (docs/mapping.md)
    [`'1.0'`, json('1'), false],
    [`'1e2'`, json('100'), true], // numeric prints 1e2 as 100
    [`'1.50e1'`, json('15.0'), true],
    [`'10e-1'`, json('1.0'), true],
    [`'-0'`, json('0'), true],
    [`'12345678901234567890.000000000000000000001'`, json('12345678901234567890.000000000000000000001'), true], // beyond a double
    [`'12345678901234567890.000000000000000000002'`, json('12345678901234567890.000000000000000000001'), false],
    [`'[1, 2]'`, json('[2, 1]'), false],
    [`'null'`, null, true], // JSON null is JSON null
    ['NULL', null, false], // SQL NULL is not JSON null
    [`'"x"'`, 'x', true],
    [`'"1"'`, new JsonNumber('1'), false],
    [`'{}'`, json('{"a": null}'), false],
  ],
  timestamptz: [
    [`'2023-03-14 10:26:53.589793+01:00'`, '2023-03-14 09:26:53.589793+00:00', true], // an offset is not part of the value
    [`'2023-03-14 09:26:53.589793+00:00'`, '2023-03-14 09:26:53.589794+00:00', false], // a microsecond counts
    [`'1900-01-01 00:00:00+00:00'`, '1900-01-01 00:36:45+00:36:45', true],
    [`'infinity'`, 'infinity', true],
    [`'-infinity'`, 'infinity', false],
    [`'0044-03-15 12:00:00+00:00 BC'`, '0044-03-15 12:00:00+00:00 BC', true],
    ['NULL', null, true],
    ['NULL', '2023-03-14 09:26:53+00:00', false],
  ],
  text: [
    [`'a'`, 'a', true],
    [`'a '`, 'a', false],
    [`''`, null, false],
    ['NULL', null, true],
    [`'ß'`, 'ss', false],
  ],
  int: [
    ['7', new JsonNumber('7'), true],
    ['-2147483648', new JsonNumber('-2147483648'), true],
    ['7', new JsonNumber('8'), false],
    ['NULL', null, true],
    ['0', null, false],
  ],
  bool: [
    ['true', true, true],
    ['false', true, false],
    ['NULL', false, false],
  ],
  uuid: [
    [`'6F9619FF-8B86-5011-B42D-00C04FC964FF'`, '6f9619ff-8b86-5011-b42d-00c04fc964ff', true], // uuid's text is lower case
    [`'6f9619ff-8b86-5011-b42d-00c04fc964ff'`, '6f9619ff-8b86-5011-b42d-00c04fc964fe', false],
    ['NULL', null, true],
  ],
};

t.test("verify.sql's and reconcile's comparison of each kind agree on edge values", async (t) => {
  const pg = await PGlite.create();
  t.teardown(() => pg.close());
  for (const [kind, cases] of Object.entries(CASES) as [ColumnKind, readonly Case[]][]) {
    const rule = COMPARE[kind];
    for (const [found, expected, same] of cases) {
      // verify.sql writes from the rows the transform made (an int is a number there); reconcile reads out/data
      const written = kind === 'int' && expected instanceof JsonNumber ? Number(expected.digits) : expected;
      const sql = `SELECT ${rule.differsSql('x.f', partsText([literal(kind, written)]))} AS differs, ${rule.readSql('x.f')} AS read FROM (SELECT (${found})::${SQL_TYPE[kind]} AS f) x`;
      const row = (await pg.query<{ differs: boolean; read: string | null }>(sql)).rows[0]!;
      const what = `${kind}: ${found} against ${JSON.stringify(expected, (_k, v: unknown) => (v instanceof JsonNumber ? `#${v.digits}` : v))}`;
      t.equal(!row.differs, same, `${what}: SQL says ${row.differs ? 'differs' : 'same'}`);
      t.equal(rule.same(expected, row.read), same, `${what}: JS says the same as SQL`);
    }
  }
});
