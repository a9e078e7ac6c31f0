/**
 * A `pg_dump --schema-only` file's CREATE TABLE statements (read by create-table.ts, in linear time) give the
 * legacy tables' real column types and order. Differences from the built-in schema are findings, not surprises.
 */
import { MigrateError } from '../errors.js';
import type { Finding } from '../findings.js';
import { columnTypeOf } from '../dump/values.js';
import { parseCreateTable, type DeclaredTable } from './create-table.js';
import { BUILTIN_SCHEMA, legacyTableOf, type LegacyTableDef, type LegacyTableName } from './schema.js';

export interface CreateTableText {
  readonly sql: string;
  readonly file: string;
  readonly line: number;
}

/**
 * Builds the schema from the dump's CREATE TABLE statements; tables it lacks keep the built-in definition.
 * `declared`: the legacy tables the statements define, whose real column order is therefore known.
 */
export async function schemaFromDump(
  statements: readonly CreateTableText[],
): Promise<{ tables: Record<LegacyTableName, LegacyTableDef>; declared: LegacyTableName[]; findings: Finding[] }> {
  const tables = { ...BUILTIN_SCHEMA } as Record<LegacyTableName, LegacyTableDef>;
  const declared: LegacyTableName[] = [];
  const findings: Finding[] = [];
  for (const st of statements) {
    let ct: DeclaredTable;
    try {
      ct = parseCreateTable(st.sql);
    } catch (e) {
      if (e instanceof MigrateError) throw e.withPosition({ file: st.file, line: st.line });
      throw e;
    }
    const name = legacyTableOf({ schema: ct.schema, name: ct.name });
    if (name === null) continue;
    const builtin = BUILTIN_SCHEMA[name];
    const columns = ct.columns.map((c) => ({ name: c.name, pgType: c.pgType, type: columnTypeOf(c.pgType) }));
    for (const b of builtin.columns) {
      const got = columns.find((c) => c.name === b.name);
      if (got === undefined) {
        const needed = builtin.required.includes(b.name);
        findings.push({
          severity: needed ? 'error' : 'warning',
          code: 'schema.column.missing',
          subject: `${name}.${b.name}`,
          message: `the schema dump has no column ${b.name} in ${name}${needed ? ', which the mapping needs' : ''}`,
        });
      } else if (got.type !== b.type) {
        findings.push({
          severity: 'warning',
          code: 'schema.column.type',
          subject: `${name}.${b.name}`,
          message: `the schema dump declares ${b.name} as ${got.pgType}, the built-in schema as ${b.pgType}; reading it as ${got.pgType}`,
        });
      }
    }
    for (const c of columns) {
      if (!builtin.columns.some((b) => b.name === c.name))
        findings.push({
          severity: 'warning',
          code: 'schema.column.unknown',
          subject: `${name}.${c.name}`,
          message: `the schema dump has a column ${c.name} (${c.pgType}) that the mapping does not know; it is not migrated`,
        });
    }
    tables[name] = { name, columns, required: builtin.required };
    declared.push(name);
  }
  return { tables, declared, findings };
}
