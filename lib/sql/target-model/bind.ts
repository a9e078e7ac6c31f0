/**
 * The migration's rows bound to a real target (issue 31): each row's values under the target's own column
 * names (columns.ts), its key (the app's own row where one has the same natural key: adopted), what the
 * target's NOT NULL, CHECK and types would refuse found now rather than at apply time. Pure.
 */
import type { Finding } from '../../findings.js';
import { JsonNumber, type CategoryRow, type JsonValue, type TargetTable } from '../../transform/target-rows.js';
import type { MigrationRows } from '../rows.js';
import { orderedRows } from '../migration.js';
import { describeHome, hasColumn, homeOf, KEY_FIELD } from './columns.js';
import type { ColumnShape, TableShape, TargetDescription } from './shape.js';

export interface BoundRow {
  /** The key the row is written under: the app's own id for an adopted row. */
  readonly key: string;
  readonly handle: string;
  readonly legacyId: number | null;
  /** Column → value as JSON (jsonb_populate_record reads it); created_at left out where unknown. */
  readonly values: Readonly<Record<string, JsonValue>>;
  /** Keys merged into the row's metadata (null: the table has none). */
  readonly metadata: Readonly<Record<string, JsonValue>> | null;
  /** The app's row this one takes over (its natural key), or null. */
  readonly adopted: string | null;
}

export interface BoundTable {
  readonly table: TargetTable;
  readonly keyColumn: string;
  readonly shape: TableShape;
  readonly rows: readonly BoundRow[];
}

export interface Binding {
  readonly target: TargetDescription;
  readonly tables: readonly BoundTable[];
  readonly findings: readonly Finding[];
  /** Per table, each legacy field and where it went. */
  readonly homes: readonly { readonly table: TargetTable; readonly field: string; readonly home: string }[];
  /** The coaches' key of the default coach, when there is one. */
  readonly defaultCoachKey: string | null;
}

const num = (v: unknown): JsonValue => (typeof v === 'number' ? new JsonNumber(String(v)) : (v as JsonValue));

/** `CHECK ((col = ANY (ARRAY['a'::text, ...])))` as pg_get_constraintdef prints it: the column and its allowed values. */
function allowedValues(def: string): { column: string; values: string[] } | null {
  const m = /^CHECK \(\(\(?(\w+)\)? = ANY \(ARRAY\[(.*)\]\)\)\)$/.exec(def);
  if (m === null) return null;
  return {
    column: m[1]!,
    values: [...m[2]!.matchAll(/'((?:[^']|'')*)'::[\w ]+/g)].map((x) => x[1]!.replace(/''/g, "'")),
  };
}

/** A value the column's type refuses, described; null when it fits. */
function typeProblem(col: ColumnShape, v: JsonValue): string | null {
  const t = col.type;
  if (t === 'jsonb') return null; // null is JSON's null here, as in the fresh path: 'null'::jsonb
  if (v === null) return col.notNull ? 'NULL in a NOT NULL column' : null;
  if (t === 'integer' || t === 'smallint' || t === 'bigint') {
    const limit = t === 'smallint' ? 2 ** 15 : t === 'integer' ? 2 ** 31 : 2 ** 63;
    if (!(v instanceof JsonNumber) || !/^-?\d+$/.test(v.digits) || Math.abs(Number(v.digits)) >= limit)
      return `not a ${t}`;
    return null;
  }
  if (t === 'boolean') return typeof v === 'boolean' ? null : 'not a boolean';
  if (t === 'uuid')
    return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
      ? null
      : 'not a uuid';
  if (t === 'text' || t.startsWith('timestamp')) return typeof v === 'string' ? null : `not ${t}`;
  const varchar = /^character varying\((\d+)\)$/.exec(t);
  if (varchar !== null) return typeof v === 'string' && [...v].length <= Number(varchar[1]) ? null : `longer than ${t}`;
  return `of type ${t}, which the migration does not write`;
}

/** What binding a table reads from the run and adds to it; shared by the three tables, bound in order. */
interface BindContext {
  readonly rows: MigrationRows;
  readonly target: TargetDescription;
  readonly adopt: boolean;
  /** The ledger's rows (`table key`): what the migration wrote before. */
  readonly owned: ReadonlySet<string>;
  /** Our id of a row → the key it is written under; a later row's parent and the default coach look here. */
  readonly keyOf: Map<string, string>;
  readonly findings: Finding[];
  readonly homes: { table: TargetTable; field: string; home: string }[];
}

/** How a row is matched with the app's: its natural key, computed from our row and from the app's. */
interface NaturalKeys {
  readonly ours: (row: Record<string, unknown>) => string | null;
  readonly app: (r: Record<string, JsonValue>) => string | null;
}

/** One table's fixed facts while its rows are bound, and the app's rows already taken over by earlier rows. */
interface TablePlan {
  readonly table: TargetTable;
  readonly shape: TableShape;
  readonly keyField: string;
  /** The legacy fields the rows carry, the key left out. */
  readonly fields: readonly string[];
  readonly natural: NaturalKeys;
  /** The app's rows by natural key; rows already the migration's are told apart per row (claimKey). */
  readonly appRows: ReadonlyMap<string, readonly Record<string, JsonValue>[]>;
  readonly taken: Set<string>;
  /** The target's CHECK (col = ANY (ARRAY[...])) constraints, which a value must satisfy. */
  readonly checks: readonly { readonly column: string; readonly values: readonly string[] }[];
}

/** The key a row is written under and the natural key of the app's row it takes over (null: none). */
interface Claim {
  readonly key: string;
  readonly adopted: string | null;
}

type RowList = readonly { row: object; handle: string }[];

export function bindTarget(rows: MigrationRows, target: TargetDescription, opts: { readonly adopt: boolean }): Binding {
  const ctx: BindContext = {
    rows,
    target,
    adopt: opts.adopt,
    owned: new Set(target.owned),
    keyOf: new Map(),
    findings: [],
    homes: [],
  };
  const ordered = orderedRows(rows);
  const tables = [
    bindTable(ctx, 'coaches', ordered.coaches, BY_NAME),
    bindTable(ctx, 'categories', ordered.categories, categoryPaths(rows, target)),
    bindTable(ctx, 'app_config', ordered.appConfig, BY_KEY),
  ];
  const defaultCoachKey = rows.defaultCoach === null ? null : (ctx.keyOf.get(rows.defaultCoach.id) ?? null);
  return { target, tables, findings: ctx.findings, homes: ctx.homes, defaultCoachKey };
}

/** A coach is the app's when it has the same name. */
const BY_NAME: NaturalKeys = {
  ours: (r) => String(r['name']),
  app: (r) => (typeof r['name'] === 'string' ? r['name'] : null),
};

/** A config row is the app's when it has the same key. */
const BY_KEY: NaturalKeys = {
  ours: (r) => String(r['key']),
  app: (r) => (typeof r['key'] === 'string' ? r['key'] : null),
};

/** A category is the app's when it has the same path of names from the root, legacy and target alike. */
function categoryPaths(rows: MigrationRows, target: TargetDescription): NaturalKeys {
  const legacyCats = new Map(rows.categories.map((c) => [c.id, c]));
  const appCats = new Map(target.tables.categories.rows.map((r) => [String(r['id']), r]));
  return {
    ours: (r) =>
      pathOf(
        legacyCats,
        String(r['id']),
        (c: CategoryRow) => c.name,
        (c) => c.parent_id,
      ),
    app: (r) =>
      pathOf(
        appCats,
        String(r['id']),
        (c) => String(c['name']),
        (c) => (typeof c['parent_id'] === 'string' ? c['parent_id'] : null),
      ),
  };
}

/** A category's names, root first, joined by ' › '; a cycle ends the path where it would repeat. */
function pathOf<T>(byId: Map<string, T>, id: string, name: (r: T) => string, parent: (r: T) => string | null): string {
  const names: string[] = [];
  const seen = new Set<string>();
  for (
    let at: T | undefined = byId.get(id);
    at !== undefined && !seen.has(id);
    at = parent(at) === null ? undefined : byId.get(parent(at)!)
  ) {
    seen.add(id);
    names.unshift(name(at));
    id = parent(at) ?? '';
  }
  return names.join(' › ');
}

/** One table's rows bound, its fields' homes and its findings added to the run's, in the order they are found. */
function bindTable(ctx: BindContext, table: TargetTable, list: RowList, natural: NaturalKeys): BoundTable {
  const plan = planTable(ctx.target, table, list, natural);
  ctx.homes.push(...fieldHomes(plan));
  ctx.findings.push(...homelessFindings(plan));
  const out: BoundRow[] = [];
  for (const { row, handle } of list) out.push(bindRow(ctx, plan, row as Record<string, unknown>, handle));
  ctx.findings.push(...requiredColumnFindings(plan, out));
  return { table, keyColumn: plan.keyField, shape: plan.shape, rows: out };
}

/** The facts about one table that every one of its rows is bound against. */
function planTable(target: TargetDescription, table: TargetTable, list: RowList, natural: NaturalKeys): TablePlan {
  const shape = target.tables[table];
  const keyField = KEY_FIELD[table];
  const fields = list.length === 0 ? [] : Object.keys(list[0]!.row).filter((f) => f !== keyField);
  const appRows = new Map<string, Record<string, JsonValue>[]>();
  for (const r of shape.rows) {
    const n = natural.app(r);
    if (n !== null) appRows.set(n, [...(appRows.get(n) ?? []), r]);
  }
  const checks = shape.constraints.flatMap((c) => {
    const allowed = c.type === 'c' ? allowedValues(c.def) : null;
    return allowed === null ? [] : [allowed];
  });
  return { table, shape, keyField, fields, natural, appRows, taken: new Set(), checks };
}

/** Where each legacy field of the table went, for the report (the legacy id also in the ledger). */
function fieldHomes({ table, shape, fields }: TablePlan): BindContext['homes'] {
  return fields.map((f) => ({
    table,
    field: f,
    home:
      describeHome(homeOf(table, f, shape)) +
      (f === 'legacy_id' && homeOf(table, f, shape).kind === 'metadata' ? ' (and the ledger)' : ''),
  }));
}

/** A warning naming the legacy fields the target has no place for: they are not migrated. */
function homelessFindings({ table, shape, fields }: TablePlan): Finding[] {
  const homeless = fields.filter((f) => homeOf(table, f, shape).kind === 'none');
  if (homeless.length === 0) return [];
  return [
    {
      severity: 'warning',
      code: 'target.field.homeless',
      subject: table,
      message: `the target's ${table} has no column for ${homeless.join(', ')} and no metadata column: those legacy fields are not migrated (the legacy id is kept in the ledger)`,
    },
  ];
}

/** One row bound: its key claimed, its values under the target's columns, what the target would refuse found. */
function bindRow(ctx: BindContext, plan: TablePlan, rec: Record<string, unknown>, handle: string): BoundRow {
  const ourKey = String(rec[plan.keyField]);
  const { key, adopted } = claimKey(ctx, plan, rec, handle, ourKey);
  if (plan.table !== 'app_config') ctx.keyOf.set(ourKey, key);
  const { values, metadata } = rowValues(ctx, plan, rec);
  if (plan.table === 'app_config' && ourKey === 'default_coach' && ctx.rows.defaultCoach !== null) {
    values['value'] = withDefaultCoachKey(values['value'], ctx.keyOf, ctx.rows.defaultCoach.id);
  }
  ctx.findings.push(...valueFindings(plan, handle, values));
  return {
    key,
    handle,
    legacyId: typeof rec['legacy_id'] === 'number' ? rec['legacy_id'] : null,
    values,
    metadata,
    adopted,
  };
}

/**
 * Our key, unless the app already has a row of the same natural key that the migration did not write: then the
 * app's key (adopted, or refused under --no-adopt); more than one such row is ambiguous. Findings go to ctx.
 */
function claimKey(
  ctx: BindContext,
  plan: TablePlan,
  rec: Record<string, unknown>,
  handle: string,
  ourKey: string,
): Claim {
  const { table, shape, keyField } = plan;
  // a row the migration wrote before (our own id; for app_config, whose key is the app's too, the ledger says)
  const existsAsOurs =
    table === 'app_config'
      ? ctx.owned.has(`${table} ${ourKey}`)
      : shape.rows.some((r) => String(r[keyField]) === ourKey);
  const n = plan.natural.ours(rec);
  if (existsAsOurs || n === null) return { key: ourKey, adopted: null };
  const candidates = (plan.appRows.get(n) ?? []).filter((r) => !plan.taken.has(String(r[keyField])));
  if (candidates.length > 1) {
    ctx.findings.push({
      severity: 'error',
      code: 'target.adopt.ambiguous',
      subject: handle,
      message: `the target has ${candidates.length} rows of ${table} at ${n}: which one to take over is not clear; merge them in the app first`,
    });
    return { key: ourKey, adopted: null };
  }
  if (candidates.length === 0) return { key: ourKey, adopted: null };
  const appKey = String(candidates[0]![keyField]);
  plan.taken.add(appKey);
  if (ctx.owned.has(`${table} ${appKey}`)) return { key: appKey, adopted: null };
  if (!ctx.adopt)
    ctx.findings.push({
      severity: 'error',
      code: 'target.adopt.refused',
      subject: handle,
      message: `the target's ${table} already has ${n} (${appKey}), made by the app; --no-adopt refuses to take it over`,
    });
  return { key: appKey, adopted: n };
}

/** The row's fields under their homes: target columns (parents under their bound keys) and metadata keys. */
function rowValues(
  ctx: BindContext,
  { table, shape, fields }: TablePlan,
  rec: Record<string, unknown>,
): { values: Record<string, JsonValue>; metadata: Record<string, JsonValue> | null } {
  const values: Record<string, JsonValue> = {};
  const metadata: Record<string, JsonValue> | null = hasColumn(shape, 'metadata') ? {} : null;
  for (const f of fields) {
    const home = homeOf(table, f, shape);
    let v = num(rec[f]);
    if (home.kind === 'column') {
      if (home.column === 'bio' && f === 'description') v = (rec['description'] ?? rec['intro'] ?? null) as JsonValue;
      if (home.column === 'parent_id' && typeof v === 'string') v = ctx.keyOf.get(v) ?? v;
      if ((f === 'created_at' || f === 'updated_at') && v === null) continue; // the column's default, at first insert
      values[home.column] = v;
    } else if (home.kind === 'metadata') metadata![home.key] = v;
  }
  return { values, metadata };
}

/** The default_coach config value naming the default coach by the key it is written under (the app's, if adopted). */
function withDefaultCoachKey(
  value: JsonValue | undefined,
  keyOf: ReadonlyMap<string, string>,
  coachId: string,
): JsonValue {
  const dc = value as Record<string, JsonValue>;
  return { ...dc, default_coach_id: keyOf.get(coachId) ?? coachId };
}

/** Errors for the values the target's types, NOT NULL and CHECK constraints would refuse, found before apply. */
function valueFindings(
  { table, shape, checks }: TablePlan,
  handle: string,
  values: Record<string, JsonValue>,
): Finding[] {
  const found: Finding[] = [];
  for (const [c, v] of Object.entries(values)) {
    const col = shape.columns.find((x) => x.name === c)!;
    const p = typeProblem(col, v);
    if (p !== null)
      found.push({
        severity: 'error',
        code: 'target.value.refused',
        subject: handle,
        message: `${table}.${c}: ${p}; the target would refuse the row`,
      });
    const check = checks.find((k) => k.column === c);
    if (check && typeof v === 'string' && !check.values.includes(v)) {
      found.push({
        severity: 'error',
        code: 'target.value.refused',
        subject: handle,
        message: `${table}.${c} = '${v}': the target's CHECK allows only ${check.values.join(', ')}`,
      });
    }
  }
  return found;
}

/** An error when the target requires a column (NOT NULL, no default) no row writes and some row is inserted. */
function requiredColumnFindings({ table, shape, keyField }: TablePlan, out: readonly BoundRow[]): Finding[] {
  const written = new Set([
    keyField,
    ...out.flatMap((r) => Object.keys(r.values)),
    ...(out.some((r) => r.metadata !== null) ? ['metadata'] : []),
  ]);
  const required = shape.columns.filter((c) => c.notNull && c.default === null && !written.has(c.name));
  if (required.length === 0 || !out.some((r) => !shape.rows.some((x) => String(x[keyField]) === r.key))) return [];
  return [
    {
      severity: 'error',
      code: 'target.column.required',
      subject: table,
      message: `the target's ${table} requires ${required.map((c) => c.name).join(', ')} (NOT NULL, no default), which no legacy field fills`,
    },
  ];
}
