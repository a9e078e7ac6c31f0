/**
 * A `pg_dump --schema-only` file's CREATE TABLE statements, parsed with pgsql-ast-parser, give the legacy
 * tables' real column types and order. Differences from the built-in schema are findings, not surprises.
 */
import type { CreateTableStatement } from 'pgsql-ast-parser';
import { MigrateError } from '../errors.js';
import type { Finding } from '../findings.js';
import { columnTypeOf } from '../dump/values.js';
import { BUILTIN_SCHEMA, legacyTableOf, type LegacyTableDef, type LegacyTableName } from './schema.js';

export interface CreateTableText {
  readonly sql: string;
  readonly file: string;
  readonly line: number;
}

/** Builds the schema from the dump's CREATE TABLE statements; tables it lacks keep the built-in definition. */
export async function schemaFromDump(statements: readonly CreateTableText[]): Promise<{ tables: Record<LegacyTableName, LegacyTableDef>; findings: Finding[] }> {
  // loaded only when a schema dump is among the inputs (it takes longer to load than most runs take to start)
  const { parse } = await import('pgsql-ast-parser');
  const tables = { ...BUILTIN_SCHEMA } as Record<LegacyTableName, LegacyTableDef>;
  const findings: Finding[] = [];
  for (const st of statements) {
    let ast;
    try {
      ast = parse(st.sql);
    } catch (e) {
      throw new MigrateError('SCHEMA_PARSE', `cannot parse CREATE TABLE: ${String((e as Error).message).split('\n')[0]}`, { file: st.file, line: st.line });
    }
    for (const node of ast) {
      if (node.type !== 'create table') continue;
      const ct = node as CreateTableStatement;
      const name = legacyTableOf({ schema: ct.name.schema ?? null, name: ct.name.name });
      if (name === null) continue;
      const builtin = BUILTIN_SCHEMA[name];
      const columns = ct.columns.flatMap((c) => {
        if (c.kind !== 'column') return [];
        const dt = c.dataType as { name?: string };
        const pgType = dt.name ?? 'unknown';
        return [{ name: c.name.name, pgType, type: columnTypeOf(pgType) }];
      });
      for (const b of builtin.columns) {
        const got = columns.find((c) => c.name === b.name);
        if (got === undefined) {
          const needed = builtin.required.includes(b.name);
          findings.push({ severity: needed ? 'error' : 'warning', code: 'schema.column.missing', subject: `${name}.${b.name}`, message: `the schema dump has no column ${b.name} in ${name}${needed ? ', which the mapping needs' : ''}` });
        } else if (got.type !== b.type) {
          findings.push({ severity: 'warning', code: 'schema.column.type', subject: `${name}.${b.name}`, message: `the schema dump declares ${b.name} as ${got.pgType}, the built-in schema as ${b.pgType}; reading it as ${got.pgType}` });
        }
      }
      for (const c of columns) {
        if (!builtin.columns.some((b) => b.name === c.name)) findings.push({ severity: 'warning', code: 'schema.column.unknown', subject: `${name}.${c.name}`, message: `the schema dump has a column ${c.name} (${c.pgType}) that the mapping does not know; it is not migrated` });
      }
      tables[name] = { name, columns, required: builtin.required };
    }
  }
  return { tables, findings };
}
