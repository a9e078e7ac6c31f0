/**
 * The ledger's version (issue 28 item 8): schemas/target.sql records it in the one-row table
 * totalis_migrate.ledger_version and upgrades an older ledger to it; migration.sql, verify.sql and rollback.sql
 * check it first, so a tool never reads a ledger whose shape it does not know. Version 1 is the ledger before the
 * version was recorded (runs, owned, owned_before, sources, undo with sql_nulls): a ledger without the table is 1.
 * Raise LEDGER_VERSION, and target.sql's with it (tests/ledger-version.test.ts checks they agree), whenever the
 * ledger's tables change.
 */
export const LEDGER_VERSION = 2;

/**
 * First in each file's transaction: an older ledger is refused until target.sql of this version has upgraded
 * it, a newer one is refused outright. No ledger at all is left to the file's own check (it says what to do).
 */
export function ledgerVersionCheckSql(file: 'migration' | 'verify' | 'rollback'): string {
  return `-- the ledger's version: this file reads version ${LEDGER_VERSION} (lib/sql/ledger-version.ts)
DO $ledger_version$
DECLARE
  v integer;
BEGIN
  IF to_regclass('totalis_migrate.runs') IS NULL THEN
    RETURN;
  END IF;
  -- 1 where the table is missing (made before versions were recorded); read in its own statement, which is
  -- planned only when the table exists
  IF to_regclass('totalis_migrate.ledger_version') IS NULL THEN
    v := 1;
  ELSE
    SELECT version INTO v FROM totalis_migrate.ledger_version;
  END IF;
  IF v < ${LEDGER_VERSION} THEN
    RAISE EXCEPTION '${file}: the ledger (schema totalis_migrate) is version %, older than this tool''s (${LEDGER_VERSION}): run schemas/target.sql of this version first (it upgrades the ledger; safe to repeat); nothing was changed', v;
  END IF;
  IF v > ${LEDGER_VERSION} THEN
    RAISE EXCEPTION '${file}: the ledger (schema totalis_migrate) is version %, newer than this tool''s (${LEDGER_VERSION}): a later totalis-migrate wrote it; use that version; nothing was changed', v;
  END IF;
END
$ledger_version$;`;
}
