/** Small, complete legacy dumps for tests, written in pg_dump's COPY format from rows of values. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_SCHEMA, type LegacyTableName } from '../../lib/legacy/schema.js';
import { DUMP_FOOTER } from './parse.js';
import { copyByteaHex, copyText } from './pg-encode.js';

export type MiniRow = Record<string, string | number | boolean | Buffer | null>;
export type MiniDump = Partial<Record<LegacyTableName, MiniRow[]>>;

const DEFAULTS: Required<MiniDump> = {
  tls_coach: [{ id: 1, name: 'Daniel', sex: 'M', intro: 'born in 1980', time_create: '2023-01-01 00:00:00' }],
  tls_category: [{ id: 1, name: 'Root', sort_order: 1 }],
  tls_prompt: [{ id: 1, name: 'p', prompt: 'hello' }],
  tls_variable: [{ id: 1, name: 'v', value: '1', user: true }],
  tls_system: [{ id: 1, name: 's', value: 'x' }],
  tls_image: [],
};

function field(v: string | number | boolean | Buffer | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (Buffer.isBuffer(v)) return copyByteaHex(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return copyText(String(v));
}

function block(table: LegacyTableName, rows: MiniRow[]): string {
  const cols = BUILTIN_SCHEMA[table].columns.map((c) => c.name);
  const head = `COPY public.${table} (${cols.map((c) => (c === 'user' ? '"user"' : c)).join(', ')}) FROM stdin;\n`;
  return head + rows.map((r) => cols.map((c) => field(r[c])).join('\t') + '\n').join('') + '\\.\n\n';
}

/** Writes the three data files into `dir` (tables not given take small defaults); returns `dir`. Tables are in
 * pg_dump's order for the production schema (tls_image before tls_coach: the coaches' foreign keys). */
export function writeMiniDump(dir: string, d: MiniDump = {}): string {
  const t = { ...DEFAULTS, ...d };
  const head = "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n";
  writeFileSync(
    join(dir, 'coaches_with_images.sql'),
    head + block('tls_image', t.tls_image) + block('tls_coach', t.tls_coach) + DUMP_FOOTER,
  );
  writeFileSync(join(dir, 'categories.sql'), head + block('tls_category', t.tls_category) + DUMP_FOOTER);
  writeFileSync(
    join(dir, 'config_data.sql'),
    head +
      block('tls_prompt', t.tls_prompt) +
      block('tls_system', t.tls_system) +
      block('tls_variable', t.tls_variable) +
      DUMP_FOOTER,
  );
  return dir;
}
