/**
 * rollback.sql: one transaction that puts the target back as it was before this run, from the run's
 * before-images in the ledger (ledger.ts): updated rows get their old values, removed rows come back, inserted
 * rows go, the owned set with them. Rows the migration never owned are left alone; if someone else's row points
 * at a row the rollback removes, the foreign key stops the rollback whole. Runs are rolled back newest first.
 */
import { header, type RunDescription } from './header.js';
import { ledgerVersionCheckSql } from './ledger-version.js';
import { LOCK_SQL, rollbackRunSql, runId } from './ledger.js';
import { comment } from './literals.js';
import { orderedRows } from './migration.js';
import type { MigrationRows } from './rows.js';
import { lines, type TextParts } from '../text-parts.js';

export function rollbackSql(
  rows: MigrationRows,
  run: RunDescription,
  opts: { readonly quietTriggers?: boolean } = {},
): TextParts {
  const id = runId(run);
  const o = orderedRows(rows);
  // what a reviewer wants to know of a rollback: which rows it puts back (restored, or removed if the run added them)
  const wrote = [...o.coaches, ...o.categories, ...o.appConfig].map((r) => comment(`  ${r.handle}`));
  return lines([
    header('rollback', run, [
      'Apply: psql -v ON_ERROR_STOP=1 -f rollback.sql (one transaction; safe to run again).',
      `Undoes run ${id}: the target as it was before its migration.sql.`,
      'Images: then push the previous output again (push-images --out <previous out>: only what is missing is sent),',
      "and remove this run's images it does not have (remove-images --stale --out <previous out>); or, rolling back",
      "the first run, remove this output's images (remove-images --out <this out>).",
    ]),
    comment(`The rows run ${id} wrote, each put back as it was before the run (or removed, if the run added it):`),
    ...wrote,
    comment('and the rows it removed (their legacy source was gone) come back, as the ledger holds them.'),
    '',
    'BEGIN;',
    LOCK_SQL,
    ledgerVersionCheckSql('rollback'),
    'SET LOCAL standard_conforming_strings = on;',
    '',
    rollbackRunSql(id, opts.quietTriggers ?? false),
    '',
    'COMMIT;',
    '',
  ]);
}
