/**
 * The target tables, each defined once (issue 31 item 1): every column's name, SQL kind, nullability, default,
 * CHECK, reference and uniqueness, the legacy field that fills it (docs/mapping.md's name), and the key. From
 * this one `as const` model come schemas/target.sql's table DDL (ddl.ts), schemas/target/*.schema.json
 * (json-schema.ts), lib/sql/target-tables.ts' column lists, lib/transform/target-rows.ts' row types (row-type.ts),
 * and the real-target binding's keys and renames (lib/sql/target-model/columns.ts). How each kind of value is
 * compared, in SQL and in JS alike, is compare.ts. Here, in transform/, so that transform/ and sql/ may import it.
 */

/** How a value is quoted, typed in SQL, and compared. */
export type ColumnKind = 'uuid' | 'int' | 'text' | 'bool' | 'jsonb' | 'timestamptz';

export const SQL_TYPE: Readonly<Record<ColumnKind, string>> = {
  uuid: 'uuid',
  int: 'integer',
  text: 'text',
  bool: 'boolean',
  jsonb: 'jsonb',
  timestamptz: 'timestamptz',
};

export interface ModelColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** NOT NULL in the table. */
  readonly notNull: boolean;
  /** The column's DEFAULT, as SQL text. */
  readonly default?: string;
  /** The values a CHECK (… IN (…)) allows (NULL aside). */
  readonly allowed?: readonly string[];
  /** A foreign key to this table's own key (categories.parent_id), with an index on it. */
  readonly referencesSelf?: true;
  readonly unique?: true;
  readonly primaryKey?: true;
  /**
   * The row's value may be null although the column is NOT NULL: null leaves the column to its default at the
   * first insert (created_at, updated_at when time_create is NULL).
   */
  readonly nullMeansDefault?: true;
  /** The row type is narrower than the column: the transform always writes a value here (never null). */
  readonly alwaysWritten?: true;
  /** What the JSON Schema adds for this column's values: a v5 UUID, a non-blank name, a JSON object. */
  readonly shape?: 'uuid_v5' | 'non_blank' | 'json_object';
  /** Where the value comes from in the legacy dump (docs/mapping.md). */
  readonly from: string;
  /** In a real target without a column of this name: the column the team's own tool wrote it into (issue 31). */
  readonly appColumn?: string;
}

export interface ModelTable {
  readonly table: 'coaches' | 'categories' | 'app_config';
  /** The legacy table(s) it is made from. */
  readonly source: string;
  /** The upsert's conflict target, and the row's identity in the ledger. */
  readonly key: string;
  /** How ownership is kept: by the legacy_id column on the fresh target (app_config by its key, in the ledger). */
  readonly legacyIdColumn: string | null;
  readonly columns: readonly ModelColumn[];
}

const TIMESTAMPS = [
  {
    name: 'created_at',
    kind: 'timestamptz',
    notNull: true,
    default: 'now()',
    nullMeansDefault: true,
    from: 'time_create, read in --source-timezone',
  },
  {
    name: 'updated_at',
    kind: 'timestamptz',
    notNull: true,
    default: 'now()',
    nullMeansDefault: true,
    from: 'time_create, read in --source-timezone',
  },
] as const;

export const COACHES_MODEL = {
  table: 'coaches',
  source: 'tls_coach',
  key: 'id',
  legacyIdColumn: 'legacy_id',
  columns: [
    {
      name: 'id',
      kind: 'uuid',
      notNull: true,
      default: 'gen_random_uuid()',
      primaryKey: true,
      shape: 'uuid_v5',
      from: 'UUIDv5 of coach:<id>',
    },
    { name: 'legacy_id', kind: 'int', notNull: true, unique: true, from: 'id' },
    { name: 'name', kind: 'text', notNull: true, shape: 'non_blank', from: 'name' },
    { name: 'description', kind: 'text', notNull: false, from: 'description', appColumn: 'bio' },
    { name: 'intro', kind: 'text', notNull: false, from: 'intro' },
    { name: 'prompt', kind: 'text', notNull: false, from: 'prompt' },
    {
      name: 'sex',
      kind: 'text',
      notNull: false,
      allowed: ['male', 'female', 'non_binary', 'other'],
      from: 'sex, normalised',
    },
    { name: 'year_of_birth', kind: 'int', notNull: false, from: 'found in intro' },
    { name: 'photo_url', kind: 'text', notNull: false, from: 'the public URL of image_id' },
    { name: 'photo_30_url', kind: 'text', notNull: false, from: 'the public URL of image30_id' },
    { name: 'photo_45_url', kind: 'text', notNull: false, from: 'the public URL of image45_id' },
    { name: 'photo_60_url', kind: 'text', notNull: false, from: 'the public URL of image60_id' },
    { name: 'voice_id', kind: 'text', notNull: false, alwaysWritten: true, from: 'derived from name and sex' },
    { name: 'voice_settings', kind: 'jsonb', notNull: true, default: "'{}'", shape: 'json_object', from: '{}' },
    { name: 'is_active', kind: 'bool', notNull: true, default: 'true', from: 'true' },
    ...TIMESTAMPS,
  ],
} as const satisfies ModelTable;

export const CATEGORIES_MODEL = {
  table: 'categories',
  source: 'tls_category',
  key: 'id',
  legacyIdColumn: 'legacy_id',
  columns: [
    {
      name: 'id',
      kind: 'uuid',
      notNull: true,
      default: 'gen_random_uuid()',
      primaryKey: true,
      shape: 'uuid_v5',
      from: 'UUIDv5 of category:<id>',
    },
    { name: 'legacy_id', kind: 'int', notNull: true, unique: true, from: 'id' },
    {
      name: 'parent_id',
      kind: 'uuid',
      notNull: false,
      referencesSelf: true,
      shape: 'uuid_v5',
      from: 'UUIDv5 of category:<parent_id>',
    },
    { name: 'name', kind: 'text', notNull: true, shape: 'non_blank', from: 'name' },
    { name: 'name_short', kind: 'text', notNull: false, from: 'name_short' },
    { name: 'description', kind: 'text', notNull: false, from: 'description' },
    { name: 'icon_url', kind: 'text', notNull: false, from: 'the public URL of icon_id', appColumn: 'icon' },
    { name: 'icon_secondary_url', kind: 'text', notNull: false, from: 'the public URL of icon_id_secondary' },
    { name: 'sort_order', kind: 'int', notNull: true, default: '0', from: 'sort_order' },
    { name: 'primary_color', kind: 'text', notNull: false, from: 'primary_color' },
    { name: 'secondary_color', kind: 'text', notNull: false, from: 'secondary_color' },
    { name: 'show_checkin_history', kind: 'bool', notNull: true, default: 'false', from: 'show_checkin_history' },
    { name: 'checkin_enabled', kind: 'bool', notNull: true, default: 'true', from: 'checkin_enabled' },
    { name: 'followup_chat_enabled', kind: 'bool', notNull: true, default: 'false', from: 'followup_chat_enabled' },
    { name: 'followup_timer', kind: 'int', notNull: false, from: 'followup_timer' },
    { name: 'prompt_checkin', kind: 'text', notNull: false, from: 'prompt_checkin' },
    { name: 'prompt_checkin_2', kind: 'text', notNull: false, from: 'prompt_checkin_2' },
    { name: 'guidelines_file_text', kind: 'text', notNull: false, from: 'guidelines_file_text' },
    { name: 'max_questions', kind: 'int', notNull: false, from: 'max_questions' },
    { name: 'scope', kind: 'text', notNull: false, from: 'scope' },
    { name: 'is_active', kind: 'bool', notNull: true, default: 'true', from: 'true' },
    ...TIMESTAMPS,
  ],
} as const satisfies ModelTable;

export const APP_CONFIG_MODEL = {
  table: 'app_config',
  source: 'tls_prompt, tls_variable, tls_system',
  key: 'key',
  legacyIdColumn: null,
  columns: [
    { name: 'key', kind: 'text', notNull: true, primaryKey: true, from: 'prompt_ / var_ / system_ + name' },
    { name: 'value', kind: 'jsonb', notNull: true, from: 'the prompt, variable or system value' },
    { name: 'description', kind: 'text', notNull: false, alwaysWritten: true, from: 'Prompt: <name> and so on' },
    {
      name: 'is_public',
      kind: 'bool',
      notNull: true,
      default: 'false',
      from: 'variables: the "user" flag; others false',
    },
    ...TIMESTAMPS,
  ],
} as const satisfies ModelTable;

/** The three tables, in the order schemas/target.sql creates them and migration.sql writes them. */
export const MODEL: readonly ModelTable[] = [COACHES_MODEL, CATEGORIES_MODEL, APP_CONFIG_MODEL];
