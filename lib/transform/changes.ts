/**
 * What changed since the previous output (issue 21): rows added, changed (which columns) and removed, by legacy
 * id and name, per target table. Pure: the previous rows come in as parsed JSON (the previous out/data/*.json),
 * the new ones as the transform made them; values are compared as their exact JSON text.
 */
import { stringifyExactJson } from './exact-json.js';
import type { JsonValue } from './target-rows.js';

export interface TableChanges {
  readonly added: readonly string[];
  readonly changed: readonly { readonly row: string; readonly columns: readonly string[] }[];
  readonly removed: readonly string[];
}

export type ChangeSummary = Readonly<Record<'coaches' | 'categories' | 'app_config', TableChanges>>;

type Row = Readonly<Record<string, JsonValue>>;

/** Columns that follow from others, or from the clock: not changes of their own. */
const DERIVED = new Set(['updated_at']);

/** A value as text: strings as they are, numbers by their digits (a parsed number is a JsonNumber). */
const text = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : stringifyExactJson(v ?? null));

/** How a row is named in the summary and in findings (pipeline/removed-rows.ts names the ledger's rows alike). */
export function rowLabel(table: keyof ChangeSummary, r: Row): string {
  if (table === 'app_config') return text(r['key']);
  return `${table === 'coaches' ? 'tls_coach' : 'tls_category'}#${text(r['legacy_id'])} ${text(r['name'])}`;
}

function identity(table: keyof ChangeSummary, r: Row): string {
  return table === 'app_config' ? text(r['key']) : text(r['legacy_id']);
}

function compareTable(table: keyof ChangeSummary, before: readonly Row[], after: readonly Row[]): TableChanges {
  // by legacy id (or key), not in the rows' order (categories come parents first): a reviewer finds a row where
  // expected
  const byIdentity = (a: Row, b: Row): number => {
    const [x, y] = [identity(table, a), identity(table, b)];
    return table === 'app_config' ? (x < y ? -1 : x > y ? 1 : 0) : Number(x) - Number(y);
  };
  after = [...after].sort(byIdentity);
  const old = new Map(before.map((r) => [identity(table, r), r]));
  const added: string[] = [];
  const changed: { row: string; columns: string[] }[] = [];
  for (const r of after) {
    const o = old.get(identity(table, r));
    old.delete(identity(table, r));
    if (o === undefined) {
      added.push(rowLabel(table, r));
      continue;
    }
    const columns = [...new Set([...Object.keys(r), ...Object.keys(o)])].filter(
      (c) => !DERIVED.has(c) && stringifyExactJson(r[c] ?? null) !== stringifyExactJson(o[c] ?? null),
    );
    if (columns.length > 0) changed.push({ row: rowLabel(table, r), columns });
  }
  const removed = [...old.values()].sort(byIdentity).map((r) => rowLabel(table, r));
  return { added, changed, removed };
}

export function compareOutputs(
  before: Readonly<Record<keyof ChangeSummary, readonly Row[]>>,
  after: Readonly<Record<keyof ChangeSummary, readonly Row[]>>,
): ChangeSummary {
  return {
    coaches: compareTable('coaches', before.coaches, after.coaches),
    categories: compareTable('categories', before.categories, after.categories),
    app_config: compareTable('app_config', before.app_config, after.app_config),
  };
}

/** The summary as lines: one per table, then one per row (`+`, `~ … (columns)`, `-`). */
export function changeLines(c: ChangeSummary): string[] {
  const out: string[] = [];
  for (const [table, t] of Object.entries(c) as [keyof ChangeSummary, TableChanges][]) {
    out.push(`${table}: ${t.added.length} added, ${t.changed.length} changed, ${t.removed.length} removed`);
    for (const a of t.added) out.push(`  + ${a}`);
    for (const ch of t.changed) out.push(`  ~ ${ch.row} (${ch.columns.join(', ')})`);
    for (const r of t.removed) out.push(`  - ${r}`);
  }
  return out;
}
