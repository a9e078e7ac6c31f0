// The built-in legacy schema, its JSON Schemas in schemas/legacy/, and what a schema dump changes.
import t from 'tap';
import { loadLegacyJsonSchema, validateLegacyRecord } from '../lib/legacy/validate.js';
import { BUILTIN_SCHEMA, LEGACY_TABLES } from '../lib/legacy/schema.js';
import { schemaFromDump } from '../lib/legacy/schema-dump.js';
import { asyncErrorOf, errorOf } from './helpers/parse.js';

t.test('each JSON Schema lists exactly the built-in columns', async (t) => {
  for (const table of LEGACY_TABLES) {
    const s = loadLegacyJsonSchema(table) as {
      required: string[];
      properties: Record<string, { type?: unknown; bytea?: boolean }>;
    };
    t.same(
      s.required,
      BUILTIN_SCHEMA[table].columns.map((c) => c.name),
      `${table}: columns and order`,
    );
    for (const c of BUILTIN_SCHEMA[table].columns) {
      const p = s.properties[c.name]!;
      const want =
        c.type === 'int4' ? 'integer' : c.type === 'bool' ? 'boolean' : c.type === 'bytea' ? undefined : 'string';
      if (want === undefined) t.equal(p.bytea, true, `${table}.${c.name} is bytes`);
      else t.same(p.type, c.name === 'id' ? want : [want, 'null'], `${table}.${c.name}`);
    }
  }
});

t.test('records are checked against their schema', async (t) => {
  validateLegacyRecord('tls_image', {
    id: 1,
    extension: null,
    data: Buffer.from('x'),
    user_id: null,
    time_create: '2024-01-01 00:00:00',
  });
  let e = errorOf(() =>
    validateLegacyRecord('tls_image', { id: null, extension: null, data: null, user_id: null, time_create: null }),
  );
  t.equal(e.code, 'VALUE_SCHEMA');
  t.equal(e.position.column, 'id');
  e = errorOf(() =>
    validateLegacyRecord('tls_image', { id: 1, extension: null, data: 'not bytes', user_id: null, time_create: null }),
  );
  t.equal(e.position.column, 'data');
});

t.test('a schema dump gives types and reports differences', async (t) => {
  const sql = `CREATE TABLE public.tls_system (id integer NOT NULL, name character varying(200), value text, time_create timestamp with time zone, extra jsonb);`;
  const { tables, findings } = await schemaFromDump([{ sql, file: 's.sql', line: 3 }]);
  t.same(
    tables.tls_system.columns.map((c) => [c.name, c.type]),
    [
      ['id', 'int4'],
      ['name', 'text'],
      ['value', 'text'],
      ['time_create', 'timestamptz'],
      ['extra', 'other'],
    ],
  );
  t.same(
    findings.map((f) => [f.severity, f.code, f.subject]),
    [
      ['warning', 'schema.column.type', 'tls_system.time_create'],
      ['warning', 'schema.column.unknown', 'tls_system.extra'],
    ],
  );
  const missing = await schemaFromDump([
    { sql: 'CREATE TABLE tls_prompt (id integer, name text);', file: 's.sql', line: 1 },
  ]);
  t.same(
    missing.findings.map((f) => [f.severity, f.subject]),
    [
      ['error', 'tls_prompt.prompt'],
      ['error', 'tls_prompt.time_create'],
    ],
  );
  const e = await asyncErrorOf(() =>
    schemaFromDump([{ sql: 'CREATE TABLE tls_prompt (id integer,, );', file: 's.sql', line: 9 }]),
  );
  t.equal(e.code, 'SCHEMA_PARSE');
  t.equal(e.position.line, 9);
});
