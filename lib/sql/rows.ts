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
