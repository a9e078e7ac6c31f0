/**
 * schemas/target.sql's table part, generated from the model (tables.ts): one CREATE TABLE IF NOT EXISTS per
 * table, in the model's column order, and the index on each self-reference. The rest of schemas/target.sql (the
 * access block and the ledger) is hand-written: it is procedural SQL about roles and policies, not column facts,
 * and generating it would only move the same text into a template. scripts/make-schemas.ts writes this part
 * into the file; tests/table-model.test.ts checks that the committed file holds it. Pure.
 */
import { MODEL, SQL_TYPE, type ModelColumn, type ModelTable } from './tables.js';

/** The first line of schemas/target.sql that is not generated: everything before it is tablesDdl(). */
export const HAND_WRITTEN_START = '-- Access (docs/access.md).';

const HEADER = [
  '-- The Supabase target tables of the Totalis migration (docs/mapping.md, "Target ← source, at a glance").',
  '-- Idempotent: safe to run twice; usable as a Supabase migration. PostgreSQL 15 to 18.',
  '-- The tables below are generated from lib/transform/model/tables.ts (make schemas); edit the model, not them.',
];

function columnDdl(t: ModelTable, c: ModelColumn): string {
  const parts = [c.name, SQL_TYPE[c.kind]];
  if (c.primaryKey) parts.push('PRIMARY KEY');
  else if (c.notNull) parts.push('NOT NULL');
  if (c.unique) parts.push('UNIQUE');
  if (c.default !== undefined) parts.push(`DEFAULT ${c.default}`);
  if (c.allowed !== undefined)
    parts.push(`CHECK (${c.name} IN (${c.allowed.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}))`);
  if (c.referencesSelf) parts.push(`REFERENCES public.${t.table} (${t.key})`);
  return `  ${parts.join(' ')}`;
}

function tableDdl(t: ModelTable): string {
  const out = [
    `CREATE TABLE IF NOT EXISTS public.${t.table} (`,
    t.columns.map((c) => columnDdl(t, c)).join(',\n'),
    ');',
    '',
  ];
  // an index on each self-reference: the hierarchy's queries (verify.sql's levels, a parent's children) follow it
  const refs = t.columns.filter((c) => c.referencesSelf);
  for (const c of refs)
    out.push(`CREATE INDEX IF NOT EXISTS ${t.table}_${c.name}_idx ON public.${t.table} (${c.name});`);
  if (refs.length > 0) out.push('');
  return out.join('\n');
}

/** The generated head of schemas/target.sql, up to (not including) HAND_WRITTEN_START. */
export function tablesDdl(): string {
  return [...HEADER, '', ...MODEL.map(tableDdl), ''].join('\n');
}
