/** A target row's values as SQL literals, by column kind. */
import type { JsonValue } from '../transform/target-rows.js';
import type { Part } from '../text-parts.js';
import {
  NULL,
  quoteAscii,
  quoteBool,
  quoteInt,
  quoteJsonbPart,
  quoteStringPart,
  quoteTimestamptz,
  quoteUuid,
} from './literals.js';
import type { ColumnKind } from './target-tables.js';

/** A long text or jsonb string value comes as a LazyText (text-parts.ts). `ascii`: in ASCII only (quoteAscii). */
export function literal(kind: ColumnKind, v: unknown, ascii = false): Part {
  // A jsonb value of null is the JSON value null ('null'::jsonb), not SQL NULL: app_config.value is NOT NULL.
  if (kind === 'jsonb') return quoteJsonbPart((v ?? null) as JsonValue, ascii);
  if (v === null || v === undefined) return NULL;
  switch (kind) {
    case 'uuid':
      return quoteUuid(v as string);
    case 'int':
      return quoteInt(v as number);
    case 'text':
      return ascii ? quoteAscii(v as string) : quoteStringPart(v as string);
    case 'bool':
      return quoteBool(v as boolean);
    case 'timestamptz':
      return quoteTimestamptz(v as string);
  }
}
