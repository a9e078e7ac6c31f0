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

export function bindTarget(rows: MigrationRows, target: TargetDescription, opts: { readonly adopt: boolean }): Binding {
  const findings: Finding[] = [];
  const homes: { table: TargetTable; field: string; home: string }[] = [];
  const owned = new Set(target.owned);
  const ordered = orderedRows(rows);
  /** Our id of a row → the key it is written under. */
  const keyOf = new Map<string, string>();

  const bindTable = (
    table: TargetTable,
    list: readonly { row: object; handle: string }[],
    natural: (row: Record<string, unknown>) => string | null,
    appNatural: (r: Record<string, JsonValue>) => string | null,
  ): BoundTable => {
    const shape = target.tables[table];
    const keyField = KEY_FIELD[table];
    const fields = list.length === 0 ? [] : Object.keys(list[0]!.row).filter((f) => f !== keyField);
    for (const f of fields)
      homes.push({
        table,
        field: f,
        home:
          describeHome(homeOf(table, f, shape)) +
          (f === 'legacy_id' && homeOf(table, f, shape).kind === 'metadata' ? ' (and the ledger)' : ''),
      });
    const homeless = fields.filter((f) => homeOf(table, f, shape).kind === 'none');
    if (homeless.length > 0) {
      findings.push({
        severity: 'warning',
        code: 'target.field.homeless',
        subject: table,
        message: `the target's ${table} has no column for ${homeless.join(', ')} and no metadata column: those legacy fields are not migrated (the legacy id is kept in the ledger)`,
      });
    }
    // the app's rows by natural key; rows already the migration's (the ledger, or our own id) are not the app's
    const appRows = new Map<string, Record<string, JsonValue>[]>();
    for (const r of shape.rows) {
      const n = appNatural(r);
      if (n !== null) appRows.set(n, [...(appRows.get(n) ?? []), r]);
    }
    const taken = new Set<string>();
    const checks = shape.constraints.flatMap((c) =>
      c.type === 'c' ? [allowedValues(c.def)].filter((a) => a !== null) : [],
    );
    const out: BoundRow[] = [];
    for (const { row, handle } of list) {
      const rec = row as Record<string, unknown>;
      const ourKey = String(rec[keyField]);
      let key = ourKey;
      let adopted: string | null = null;
      // a row the migration wrote before (our own id; for app_config, whose key is the app's too, the ledger says)
      const existsAsOurs =
        table === 'app_config'
          ? owned.has(`${table} ${ourKey}`)
          : shape.rows.some((r) => String(r[keyField]) === ourKey);
      const n = natural(rec);
      if (!existsAsOurs && n !== null) {
        const candidates = (appRows.get(n) ?? []).filter((r) => !taken.has(String(r[keyField])));
        if (candidates.length > 1) {
          findings.push({
            severity: 'error',
            code: 'target.adopt.ambiguous',
            subject: handle,
            message: `the target has ${candidates.length} rows of ${table} at ${n}: which one to take over is not clear; merge them in the app first`,
          });
        } else if (candidates.length === 1) {
          const appKey = String(candidates[0]![keyField]);
          taken.add(appKey);
          key = appKey;
          if (!owned.has(`${table} ${appKey}`)) {
            adopted = n;
            if (!opts.adopt)
              findings.push({
                severity: 'error',
                code: 'target.adopt.refused',
                subject: handle,
                message: `the target's ${table} already has ${n} (${appKey}), made by the app; --no-adopt refuses to take it over`,
              });
          }
        }
      }
      if (table !== 'app_config') keyOf.set(ourKey, key);
      const values: Record<string, JsonValue> = {};
      const metadata: Record<string, JsonValue> | null = hasColumn(shape, 'metadata') ? {} : null;
      for (const f of fields) {
        const home = homeOf(table, f, shape);
        let v = num(rec[f]);
        if (home.kind === 'column') {
          if (home.column === 'bio' && f === 'description')
            v = (rec['description'] ?? rec['intro'] ?? null) as JsonValue;
          if (home.column === 'parent_id' && typeof v === 'string') v = keyOf.get(v) ?? v;
          if ((f === 'created_at' || f === 'updated_at') && v === null) continue; // the column's default, at first insert
          values[home.column] = v;
        } else if (home.kind === 'metadata') metadata![home.key] = v;
      }
      if (table === 'app_config' && ourKey === 'default_coach' && rows.defaultCoach !== null) {
        const dc = values['value'] as Record<string, JsonValue>;
        values['value'] = { ...dc, default_coach_id: keyOf.get(rows.defaultCoach.id) ?? rows.defaultCoach.id };
      }
      for (const [c, v] of Object.entries(values)) {
        const col = shape.columns.find((x) => x.name === c)!;
        const p = typeProblem(col, v);
        if (p !== null)
          findings.push({
            severity: 'error',
            code: 'target.value.refused',
            subject: handle,
            message: `${table}.${c}: ${p}; the target would refuse the row`,
          });
        const check = checks.find((k) => k!.column === c);
        if (check && typeof v === 'string' && !check.values.includes(v)) {
          findings.push({
            severity: 'error',
            code: 'target.value.refused',
            subject: handle,
            message: `${table}.${c} = '${v}': the target's CHECK allows only ${check.values.join(', ')}`,
          });
        }
      }
      out.push({
        key,
        handle,
        legacyId: typeof rec['legacy_id'] === 'number' ? rec['legacy_id'] : null,
        values,
        metadata,
        adopted,
      });
    }
    // a column the target requires that the migration does not write: every insert would fail
    const written = new Set([
      keyField,
      ...out.flatMap((r) => Object.keys(r.values)),
      ...(out.some((r) => r.metadata !== null) ? ['metadata'] : []),
    ]);
    const required = shape.columns.filter((c) => c.notNull && c.default === null && !written.has(c.name));
    if (required.length > 0 && out.some((r) => !shape.rows.some((x) => String(x[keyField]) === r.key))) {
      findings.push({
        severity: 'error',
        code: 'target.column.required',
        subject: table,
        message: `the target's ${table} requires ${required.map((c) => c.name).join(', ')} (NOT NULL, no default), which no legacy field fills`,
      });
    }
    return { table, keyColumn: keyField, shape, rows: out };
  };

  // category paths by names, root first, for the legacy rows and the target's
  const pathOf = <T>(
    byId: Map<string, T>,
    id: string,
    name: (r: T) => string,
    parent: (r: T) => string | null,
  ): string => {
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
  };
  const legacyCats = new Map(rows.categories.map((c) => [c.id, c]));
  const appCats = new Map(target.tables.categories.rows.map((r) => [String(r['id']), r]));

  const coaches = bindTable(
    'coaches',
    ordered.coaches,
    (r) => String(r['name']),
    (r) => (typeof r['name'] === 'string' ? r['name'] : null),
  );
  const categories = bindTable(
    'categories',
    ordered.categories,
    (r) =>
      pathOf(
        legacyCats,
        String(r['id']),
        (c: CategoryRow) => c.name,
        (c) => c.parent_id,
      ),
    (r) =>
      pathOf(
        appCats,
        String(r['id']),
        (c) => String(c['name']),
        (c) => (typeof c['parent_id'] === 'string' ? c['parent_id'] : null),
      ),
  );
  const appConfig = bindTable(
    'app_config',
    ordered.appConfig,
    (r) => String(r['key']),
    (r) => (typeof r['key'] === 'string' ? r['key'] : null),
  );
  const defaultCoachKey = rows.defaultCoach === null ? null : (keyOf.get(rows.defaultCoach.id) ?? null);
  return { target, tables: [coaches, categories, appConfig], findings, homes, defaultCoachKey };
}
