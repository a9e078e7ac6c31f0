/**
 * schemas/target/<table>.schema.json, generated from the model (tables.ts): a row as migration.sql writes it and
 * out/data/<table>.json records it. scripts/make-schemas.ts writes the files (then `make validators` compiles
 * them); tests/table-model.test.ts checks that the committed files are these. Pure.
 */
import { MODEL, type ModelColumn, type ModelTable } from './tables.js';

const UUID_V5 = '^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
/** At least one character that is not PostgreSQL's whitespace (docs/mapping.md, "Blank"). */
const NON_BLANK = '[^ \\t\\n\\u000b\\f\\r]';
/** timestamptz literals as the transform writes them: an explicit offset, or ±infinity (lib/transform/timestamps.ts). */
const TIMESTAMPTZ =
  '^(\\d{4,}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?[+-]\\d{2}:\\d{2}(:\\d{2})?( BC)?|-?infinity)$';
const INT_RANGE = { minimum: -2147483648, maximum: 2147483647 };

/** Whether the row may hold null here: a nullable column, or null standing for the column's default. */
export const rowNullable = (c: ModelColumn): boolean => !c.notNull || c.nullMeansDefault === true;

function propertySchema(c: ModelColumn): Record<string, unknown> {
  const type = (t: string): string | string[] => (rowNullable(c) ? [t, 'null'] : t);
  if (c.allowed !== undefined) return { enum: [...c.allowed, ...(rowNullable(c) ? [null] : [])] };
  switch (c.kind) {
    case 'uuid':
      return { type: type('string'), ...(c.shape === 'uuid_v5' ? { pattern: UUID_V5 } : {}) };
    case 'int':
      return { type: type('integer'), ...INT_RANGE };
    case 'text':
      return { type: type('string'), ...(c.shape === 'non_blank' ? { pattern: NON_BLANK } : {}) };
    case 'bool':
      return { type: type('boolean') };
    case 'jsonb':
      // any JSON value, JSON null included (a jsonb null is the JSON value null, never SQL NULL: lib/sql/values.ts)
      return c.shape === 'json_object' ? { type: 'object' } : {};
    case 'timestamptz':
      return { type: type('string'), pattern: TIMESTAMPTZ };
  }
}

export function rowSchema(t: ModelTable): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://totalis-migrate/schemas/target/${t.table}.json`,
    title: `target ${t.table} row`,
    description: `A row as migration.sql writes it and out/data/${t.table}.json records it (mirrors schemas/target.sql).`,
    type: 'object',
    additionalProperties: false,
    required: t.columns.map((c) => c.name),
    properties: Object.fromEntries(t.columns.map((c) => [c.name, propertySchema(c)])),
  };
}

/** Each schema file's path under schemas/ and its text, as committed. */
export function rowSchemaFiles(): { readonly path: string; readonly text: string }[] {
  return MODEL.map((t) => ({
    path: `target/${t.table}.schema.json`,
    text: `${JSON.stringify(rowSchema(t), null, 2)}\n`,
  }));
}
