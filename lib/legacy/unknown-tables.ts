/**
 * Data for a table that is not one of ours. psql restores it when the table exists and refuses it when it does
 * not (`relation "public.tls_coahc" does not exist`): the reader counts the first kind (a whole-database
 * dump holds many other tables) and refuses the second. The tables that exist are the ones the schema dump
 * among the inputs declares; without one, a name one edit away from a legacy table's is taken for a misspelling
 * (the operator can give the schema dump to show that such a table really exists).
 */
import { MigrateError } from '../errors.js';
import { tableNameText, type TableName } from '../dump/events.js';
import { LEGACY_TABLES } from './schema.js';

/** Where the data of a table that is not ours begins. */
export interface OtherTableData {
  readonly table: TableName;
  readonly file: string;
  readonly line: number;
}

/** `schema.name` as PostgreSQL resolves a name pg_dump wrote (pg_dump qualifies every name; unqualified is public). */
export function qualifiedText(t: TableName): string {
  return `${t.schema ?? 'public'}.${t.name}`;
}

/**
 * Refuses the data of a table that does not exist, where it begins: not declared by the schema dump's CREATE
 * TABLEs read so far (`declared`, qualified names; empty when no schema dump was given: schema dumps are read
 * first), or, without a schema dump, named like a legacy table but for one edit. Judged at once, so nothing is
 * kept per table: a whole-database dump of a million tables costs no memory here, and the refusal names the
 * statement psql would refuse, before anything after it is read.
 */
export function checkOtherTable(o: OtherTableData, declared: ReadonlySet<string>, schemaFiles: Iterable<string>): void {
  const name = qualifiedText(o.table);
  if (declared.has(name)) return;
  const near = nearLegacyName(o.table);
  const hint = near === null ? '' : ` (did you mean public.${near}?)`;
  if (declared.size > 0) {
    throw new MigrateError(
      'TABLE_UNKNOWN',
      `data for ${tableNameText(o.table)}, a table the schema dump (${[...schemaFiles].join(', ')}) does not declare: psql would refuse it (relation does not exist)${hint}; fix the table name, or dump again`,
      { file: o.file, line: o.line, table: tableNameText(o.table) },
    );
  }
  if (near !== null) {
    throw new MigrateError(
      'TABLE_UNKNOWN',
      `data for ${tableNameText(o.table)}, which is not a legacy table but one edit away from public.${near}: a misspelt table psql would refuse (relation does not exist); fix the name, or, if the legacy database really has this table, give its schema dump (pg_dump --schema-only) among the inputs`,
      { file: o.file, line: o.line, table: tableNameText(o.table) },
    );
  }
}

/** The legacy table whose name is one edit (a letter changed, added, dropped, or two swapped), or case alone, from this one's. */
function nearLegacyName(t: TableName): string | null {
  if (t.schema !== null && t.schema !== 'public') return null;
  // a quoted name differing only in case ("TLS_COACH") is another table to PostgreSQL, and does not exist either
  return LEGACY_TABLES.find((l) => l !== t.name && oneEditApart(l, t.name.toLowerCase())) ?? null;
}

function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one changed
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // two swapped
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.slice(i) === long.slice(i + 1); // one added or dropped
}

/** Where a setval names its sequence. */
export interface SetvalAt {
  readonly sequence: string;
  readonly file: string;
  readonly line: number;
}

// scanner_isspace: what PostgreSQL's name splitting skips around each part of a regclass text
const NAME_SPACE = /^[ \t\n\r\f]*/;
const UNQUOTED_PART = /^[A-Za-z_\x80-\uffff][A-Za-z0-9_$\x80-\uffff]*/;

/**
 * The parts of a setval's sequence text as PostgreSQL's regclass input splits them (quoted parts kept, unquoted
 * ones folded to lower case), or null when a part is not a name pg_dump writes unquoted: pg_dump quotes any name
 * that needs it, so `'public*tls_system_id_seq'` or `'\rpublic.tls_system_id_seq'` name no sequence it dumped.
 */
function sequenceParts(text: string): string[] | null {
  const parts: string[] = [];
  let s = text;
  for (;;) {
    s = s.replace(NAME_SPACE, '');
    const q = /^"((?:[^"]|"")*)"/.exec(s);
    const u = q === null ? UNQUOTED_PART.exec(s) : null;
    if (q !== null) parts.push(q[1]!.replace(/""/g, '"'));
    else if (u !== null) parts.push(u[0].toLowerCase());
    else return null;
    s = s.slice((q ?? u)![0].length).replace(NAME_SPACE, '');
    if (s === '') return parts.length <= 3 ? parts : null;
    if (s[0] !== '.') return null;
    s = s.slice(1);
  }
}

/** The schemas of the declared tables, kept while `declared` does not grow (a million setvals cost one pass). */
const schemaCache = new WeakMap<ReadonlySet<string>, { size: number; schemas: Set<string> }>();
function schemasOf(declared: ReadonlySet<string>): ReadonlySet<string> {
  const hit = schemaCache.get(declared);
  if (hit !== undefined && hit.size === declared.size) return hit.schemas;
  const schemas = new Set([...declared].map((d) => d.slice(0, d.indexOf('.'))));
  schemaCache.set(declared, { size: declared.size, schemas });
  return schemas;
}

/**
 * Refuses a setval of a sequence that cannot exist, as psql does (`relation "public*tls_system_id_seq" does not
 * exist`): a name pg_dump would have quoted, a schema the schema dump does not declare (or, without one, a
 * schema one edit from public), or a legacy table's sequence misspelt. Other sequences are counted as before.
 */
export function checkSetvalSequence(at: SetvalAt, declared: ReadonlySet<string>): void {
  const parts = sequenceParts(at.sequence);
  const refuse = (why: string): MigrateError =>
    new MigrateError(
      'SEQUENCE_UNKNOWN',
      `SELECT pg_catalog.setval('${at.sequence}', …): ${why}, so psql would refuse it (relation does not exist); fix the name, or dump again`,
      { file: at.file, line: at.line },
    );
  if (parts === null) throw refuse('not a sequence name pg_dump writes (it quotes any name that needs quoting)');
  const name = parts[parts.length - 1]!;
  const schema = parts.length > 1 ? parts[parts.length - 2]! : 'public';
  if (declared.size > 0 ? !schemasOf(declared).has(schema) : schema !== 'public' && oneEditApart('public', schema)) {
    throw refuse(
      declared.size > 0
        ? `schema ${schema} holds no table of the schema dump`
        : `schema ${schema} is one edit from public`,
    );
  }
  const table = /^(.+)_id_seq$/.exec(name)?.[1];
  const legacySequences = LEGACY_TABLES.map((l) => `${l}_id_seq`);
  const misspelt =
    table !== undefined && !LEGACY_TABLES.some((l) => l === table)
      ? nearLegacyName({ schema: null, name: table }) !== null
      : // the suffix itself misspelt (tls_variable_idoseq, seed 20261211 case 1743)
        legacySequences.some((q) => q !== name && oneEditApart(q, name));
  if (schema === 'public' && misspelt) throw refuse(`a misspelling of a legacy table's sequence`);
}
