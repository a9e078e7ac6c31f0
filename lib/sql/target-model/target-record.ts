/**
 * out/target.json (issue 31 item 5): what the real target was when transform read it, for `verify --db` to
 * compare with later: its policies and grants on the three tables (the access lines of shape.ts), and where each
 * legacy field went. Recorded at transform time because that is the one moment before any migration of this run
 * touched the target; verify.sql carries the same access lines in its own check.
 */
import type { RoleTableAccess } from '../role-access.js';
import type { Binding } from './bind.js';

export interface TargetRecord {
  readonly source: string;
  /** The policies and grants on coaches, categories, app_config as transform read them (ACCESS_LINES_SQL). */
  readonly access: readonly string[];
  /** What anon and authenticated could read and write then, role by role (lib/sql/role-access.ts); absent in a
   * target.json an older transform wrote. */
  readonly roles?: readonly RoleTableAccess[];
  readonly homes: Binding['homes'];
}

export const TARGET_RECORD_FILE = 'target.json';

export function targetRecordJson(b: Binding): string {
  const record: TargetRecord = {
    source: b.target.source,
    access: b.target.access,
    roles: b.target.roles,
    homes: b.homes,
  };
  return JSON.stringify(record, null, 2) + '\n';
}
