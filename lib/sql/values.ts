/** A target row's values as SQL literals, by column kind. */
import type { JsonValue } from '../transform/target-rows.js';
import { NULL, quoteBool, quoteInt, quoteJsonb, quoteString, quoteTimestamptz, quoteUuid } from './literals.js';
import type { ColumnKind } from './target-tables.js';

export function literal(kind: ColumnKind, v: unknown): string {
  // A jsonb value of null is the JSON value null ('null'::jsonb), not SQL NULL: app_config.value is NOT NULL.
  if (kind === 'jsonb') return quoteJsonb((v ?? null) as JsonValue);
  if (v === null || v === undefined) return NULL;
  switch (kind) {
    case 'uuid':
      return quoteUuid(v as string);
    case 'int':
      return quoteInt(v as number);
    case 'text':
      return quoteString(v as string);
    case 'bool':
      return quoteBool(v as boolean);
    case 'timestamptz':
      return quoteTimestamptz(v as string);
  }
}
