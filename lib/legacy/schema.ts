/**
 * The legacy production schema (PostgreSQL 15), built in. A `--schema-only` dump among the inputs
 * replaces these types with the real ones (see schema-dump.ts). Column order is the production order,
 * which `pg_dump --inserts` (no column names) relies on.
 */
import { CHECKED_TEXT, decoderFor, type ColumnDecoder } from '../dump/column-decoders.js';
import type { TableName, TableResolver } from '../dump/events.js';
import { columnTypeOf, type ColumnType } from '../dump/values.js';

export const LEGACY_TABLES = [
  'tls_image',
  'tls_coach',
  'tls_category',
  'tls_prompt',
  'tls_variable',
  'tls_system',
] as const;
export type LegacyTableName = (typeof LEGACY_TABLES)[number];

export interface LegacyColumn {
  readonly name: string;
  /** The type as PostgreSQL names it. */
  readonly pgType: string;
  readonly type: ColumnType;
}

export interface LegacyTableDef {
  readonly name: LegacyTableName;
  readonly columns: readonly LegacyColumn[];
  /** Columns the mapping reads: a dump without one of these cannot be migrated. */
  readonly required: readonly string[];
}

function table(name: LegacyTableName, cols: string, required: string | 'all'): LegacyTableDef {
  const columns = cols.split(',').map((c) => {
    const [colName, ...type] = c.trim().split(' ');
    const pgType = type.join(' ');
    return { name: colName!, pgType, type: columnTypeOf(pgType) };
  });
  return { name, columns, required: required === 'all' ? columns.map((c) => c.name) : required.split(',') };
}

const TS = 'timestamp without time zone';

export const BUILTIN_SCHEMA: Readonly<Record<LegacyTableName, LegacyTableDef>> = {
  tls_image: table(
    'tls_image',
    `id integer, extension text, data bytea, user_id integer, time_create ${TS}`,
    'id,extension,data',
  ),
  tls_coach: table(
    'tls_coach',
    `id integer, name text, description text, image_id integer, image30_id integer, image45_id integer, image60_id integer, sex text, intro text, prompt text, time_create ${TS}`,
    'all',
  ),
  tls_category: table(
    'tls_category',
    `id integer, parent_id integer, name text, name_short text, description text, icon_id integer, icon_id_secondary integer, sort_order integer, primary_color text, secondary_color text, show_checkin_history boolean, checkin_enabled boolean, followup_chat_enabled boolean, followup_timer integer, prompt_checkin text, prompt_checkin_2 text, guidelines_file_text text, max_questions integer, scope text, time_create ${TS}`,
    'all',
  ),
  tls_prompt: table('tls_prompt', `id integer, name text, prompt text, time_create ${TS}`, 'all'),
  tls_variable: table('tls_variable', `id integer, name text, value text, user boolean, time_create ${TS}`, 'all'),
  tls_system: table('tls_system', `id integer, name text, value text, time_create ${TS}`, 'all'),
};

export function isLegacyTable(name: string): name is LegacyTableName {
  return (LEGACY_TABLES as readonly string[]).includes(name);
}

/** The legacy table a dumped table is, if any: by name, in the public schema (or unqualified). */
export function legacyTableOf(t: TableName): LegacyTableName | null {
  if (t.schema !== null && t.schema !== 'public') return null;
  return isLegacyTable(t.name) ? t.name : null;
}

/**
 * The column types the reader decodes with. Unknown tables and columns read as text: they are reported,
 * not guessed at.
 */
export class LegacySchema implements TableResolver {
  constructor(
    readonly tables: Readonly<Record<LegacyTableName, LegacyTableDef>> = BUILTIN_SCHEMA,
    /**
     * 'check': other tables' rows are checked (as text, the only type we know for them) but never made
     * into values or events; what a caller that only counts them needs. 'decode': every value is made.
     */
    private readonly otherTables: 'decode' | 'check' = 'decode',
  ) {}

  valuesWanted(t: TableName): boolean {
    return this.otherTables === 'decode' || legacyTableOf(t) !== null;
  }

  columnsOf(t: TableName): readonly string[] | undefined {
    const name = legacyTableOf(t);
    return name === null ? undefined : this.tables[name].columns.map((c) => c.name);
  }

  decodersOf(t: TableName, columns: readonly string[]): readonly ColumnDecoder[] {
    const name = legacyTableOf(t);
    if (name === null && this.otherTables === 'check') return columns.map(() => CHECKED_TEXT);
    const def = name === null ? undefined : this.tables[name];
    return columns.map((c) => decoderFor(def?.columns.find((x) => x.name === c)?.type ?? 'text'));
  }
}
