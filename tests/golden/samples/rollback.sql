-- totalis-migrate 0.1.0: rollback
-- Generated; do not edit. Inputs:
--   categories.sql  sha256 a240c328ec332a704a80d518c8e9eb731636d85bbf7fd0b1f36b324e8053dc9b
--   coaches_with_images.sql  sha256 2e82dd37b62641003d159ebba0d645065188a30e51155b12fd8cb4121d414fe8
--   config_data.sql  sha256 37185778c6e40e779a34419c450b0436937f521d5086666d011d308ea5818a9c
--   totalis_schema.sql  sha256 ec44543bb8176177167a0976b2473018a31441e8b316e5811918c5c897565c9c
-- Options:
--   source timezone: UTC
--   supabase url: http://127.0.0.1:54321
--   strict: false
--   break cycles: false
--   default coach: Daniel (the default)
-- Apply: psql -v ON_ERROR_STOP=1 -f rollback.sql (one transaction; safe to run again).
-- Undoes run 9f81abb098a48914: the target as it was before its migration.sql.
-- Images: then push the previous output again (push-images --out <previous out>: only what is missing is sent),
-- and remove this run's images it does not have (remove-images --stale --out <previous out>); or, rolling back
-- the first run, remove this output's images (remove-images --out <this out>).

SET client_encoding = 'UTF8';

-- The rows run 9f81abb098a48914 wrote, each put back as it was before the run (or removed, if the run added it):
--   tls_coach#1 Daniel
--   tls_coach#2 Ana María
--   tls_coach#3 李小龙 🐉
--   tls_coach#4 Sam
--   tls_coach#5 Robert'); DROP TABLE coaches; --
--   tls_coach#6 Zoë Ñandú
--   tls_category#10 Health
--   tls_category#20 Mind
--   tls_category#30 Relationships
--   tls_category#3 Health › Sleep
--   tls_category#15 Mind › Stress
--   tls_category#16 Mind › Focus
--   tls_category#2 Mind › Stress › Work stress
--   tls_category#7 Health › Sleep › Insomnia
--   tls_category#12 Health › Sleep › Naps
--   tls_category#1 Health › Sleep › Insomnia › Night waking
--   totalis-migrate → default_coach
--   tls_prompt#1 → prompt_checkin_intro
--   tls_prompt#5 → prompt_emoji test
--   tls_prompt#2 → prompt_summary
--   tls_system#3 → system_limits
--   tls_system#2 → system_maintenance
--   tls_system#4 → system_motd
--   tls_system#1 → system_version
--   tls_variable#8 → var_big_int
--   tls_variable#5 → var_empty
--   tls_variable#7 → var_enabled
--   tls_variable#3 → var_feature_flags
--   tls_variable#1 → var_max_checkins_per_day
--   tls_variable#2 → var_pi_exact
--   tls_variable#6 → var_unset
--   tls_variable#4 → var_welcome_text
-- and the rows it removed (their legacy source was gone) come back, as the ledger holds them.

BEGIN;
-- one apply or rollback at a time: the second waits for the first to commit (transaction-scoped)
DO $lock$ BEGIN PERFORM pg_advisory_xact_lock(32773642939820403); END $lock$;
-- the ledger's version: this file reads version 2 (lib/sql/ledger-version.ts)
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
  IF v < 2 THEN
    RAISE EXCEPTION 'rollback: the ledger (schema totalis_migrate) is version %, older than this tool''s (2): run schemas/target.sql of this version first (it upgrades the ledger; safe to repeat); nothing was changed', v;
  END IF;
  IF v > 2 THEN
    RAISE EXCEPTION 'rollback: the ledger (schema totalis_migrate) is version %, newer than this tool''s (2): a later totalis-migrate wrote it; use that version; nothing was changed', v;
  END IF;
END
$ledger_version$;
SET LOCAL standard_conforming_strings = on;

DO $rollback$
DECLARE
  v_run constant text := '9f81abb098a48914';
  v_later text;
  v_cols text;
  v_exprs text;
  v_sets text;
BEGIN
  IF to_regclass('totalis_migrate.runs') IS NULL OR NOT EXISTS (SELECT FROM totalis_migrate.runs WHERE run_id = v_run AND rolled_back_at IS NULL) THEN
    RAISE NOTICE 'rollback: run % is not applied to this database (never, or rolled back already): nothing to undo', v_run;
    RETURN;
  END IF;
  SELECT string_agg(run_id, ', ' ORDER BY seq DESC) INTO v_later FROM totalis_migrate.runs
   WHERE rolled_back_at IS NULL AND seq > (SELECT seq FROM totalis_migrate.runs WHERE run_id = v_run);
  IF v_later IS NOT NULL THEN
    RAISE EXCEPTION 'rollback: run(s) % were applied after run %; roll them back first, newest first (their rollback.sql)', v_later, v_run;
  END IF;
  -- coaches: rows it changed or removed get their old values back (one statement: parents and children together)
  SELECT string_agg(format('%I', column_name), ', ' ORDER BY ordinal_position),
         string_agg(CASE WHEN data_type = 'jsonb' THEN format('CASE WHEN u.old_row ? %L AND NOT %L = ANY (coalesce(u.sql_nulls, ''{}'')) THEN u.old_row -> %L END', column_name, column_name, column_name) ELSE format('r.%I', column_name) END, ', ' ORDER BY ordinal_position),
         string_agg(format('%I = EXCLUDED.%I', column_name, column_name), ', ' ORDER BY ordinal_position) FILTER (WHERE column_name <> 'id')
    INTO v_cols, v_exprs, v_sets
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'coaches';
  EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM totalis_migrate.undo u CROSS JOIN LATERAL jsonb_populate_record(NULL::public.%I, u.old_row) r WHERE u.run_id = $1 AND u.tbl = %L AND u.old_row IS NOT NULL ON CONFLICT (%I) DO UPDATE SET %s',
    'coaches', v_cols, v_exprs, 'coaches', 'coaches', 'id', v_sets)
    USING v_run;
  -- categories: rows it changed or removed get their old values back (one statement: parents and children together)
  SELECT string_agg(format('%I', column_name), ', ' ORDER BY ordinal_position),
         string_agg(CASE WHEN data_type = 'jsonb' THEN format('CASE WHEN u.old_row ? %L AND NOT %L = ANY (coalesce(u.sql_nulls, ''{}'')) THEN u.old_row -> %L END', column_name, column_name, column_name) ELSE format('r.%I', column_name) END, ', ' ORDER BY ordinal_position),
         string_agg(format('%I = EXCLUDED.%I', column_name, column_name), ', ' ORDER BY ordinal_position) FILTER (WHERE column_name <> 'id')
    INTO v_cols, v_exprs, v_sets
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'categories';
  EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM totalis_migrate.undo u CROSS JOIN LATERAL jsonb_populate_record(NULL::public.%I, u.old_row) r WHERE u.run_id = $1 AND u.tbl = %L AND u.old_row IS NOT NULL ON CONFLICT (%I) DO UPDATE SET %s',
    'categories', v_cols, v_exprs, 'categories', 'categories', 'id', v_sets)
    USING v_run;
  -- app_config: rows it changed or removed get their old values back (one statement: parents and children together)
  SELECT string_agg(format('%I', column_name), ', ' ORDER BY ordinal_position),
         string_agg(CASE WHEN data_type = 'jsonb' THEN format('CASE WHEN u.old_row ? %L AND NOT %L = ANY (coalesce(u.sql_nulls, ''{}'')) THEN u.old_row -> %L END', column_name, column_name, column_name) ELSE format('r.%I', column_name) END, ', ' ORDER BY ordinal_position),
         string_agg(format('%I = EXCLUDED.%I', column_name, column_name), ', ' ORDER BY ordinal_position) FILTER (WHERE column_name <> 'key')
    INTO v_cols, v_exprs, v_sets
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'app_config';
  EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM totalis_migrate.undo u CROSS JOIN LATERAL jsonb_populate_record(NULL::public.%I, u.old_row) r WHERE u.run_id = $1 AND u.tbl = %L AND u.old_row IS NOT NULL ON CONFLICT (%I) DO UPDATE SET %s',
    'app_config', v_cols, v_exprs, 'app_config', 'app_config', 'key', v_sets)
    USING v_run;
  -- app_config: rows it inserted go
  DELETE FROM public.app_config t USING totalis_migrate.undo u WHERE u.run_id = v_run AND u.tbl = 'app_config' AND u.old_row IS NULL AND u.key = t.key::text;
  -- categories: rows it inserted go
  DELETE FROM public.categories t USING totalis_migrate.undo u WHERE u.run_id = v_run AND u.tbl = 'categories' AND u.old_row IS NULL AND u.key = t.id::text;
  -- coaches: rows it inserted go
  DELETE FROM public.coaches t USING totalis_migrate.undo u WHERE u.run_id = v_run AND u.tbl = 'coaches' AND u.old_row IS NULL AND u.key = t.id::text;
  -- the ledger as it was: the owned set before the run, and the run marked rolled back
  DELETE FROM totalis_migrate.owned;
  INSERT INTO totalis_migrate.owned (tbl, key) SELECT tbl, key FROM totalis_migrate.owned_before WHERE run_id = v_run;
  UPDATE totalis_migrate.runs SET rolled_back_at = now() WHERE run_id = v_run;
  -- what the run left stands no more: the next run compares the app's edits with the run before it (app-edits.ts)
  DELETE FROM totalis_migrate.written WHERE run_id = v_run;
  RAISE NOTICE 'rollback: run % undone', v_run;
END
$rollback$;

COMMIT;
