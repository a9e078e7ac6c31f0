import type { CategoryTreeNode } from '../transform/categories.js';
import type { AppConfigRow, CategoryRow, CoachRow } from '../transform/target-rows.js';

/** What the SQL writers write: the target rows in write order, and the category tree's depths. */
export interface MigrationRows {
  readonly coaches: readonly CoachRow[];
  /** Parents before children. */
  readonly categories: readonly CategoryRow[];
  readonly tree: readonly CategoryTreeNode[];
  readonly appConfig: readonly AppConfigRow[];
  readonly defaultCoach: CoachRow | null;
  /** Each app_config key's legacy source (`tls_prompt#3`); the migration's own keys have none. */
  readonly appConfigOrigins?: ReadonlyMap<string, string>;
}

/** Rows by legacy id, never the tree's order: a sort_order change must not move a line of a list made from them. */
export const byLegacyId = <R extends { readonly legacy_id: number }>(rows: readonly R[]): R[] =>
  [...rows].sort((a, b) => a.legacy_id - b.legacy_id);

/** app_config's rows by key (code-point order, as the golden files and every list of them have it). */
export const byKey = <R extends { readonly key: string }>(rows: readonly R[]): R[] =>
  [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
