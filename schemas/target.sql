-- The Supabase target tables of the Totalis migration (docs/mapping.md, "Target ← source, at a glance").
-- Idempotent: safe to run twice; usable as a Supabase migration. PostgreSQL 15 to 18.
-- The tables below are generated from lib/transform/model/tables.ts (make schemas); edit the model, not them.

CREATE TABLE IF NOT EXISTS public.coaches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  legacy_id integer NOT NULL UNIQUE,
  name text NOT NULL,
  description text,
  intro text,
  prompt text,
  sex text CHECK (sex IN ('male', 'female', 'non_binary', 'other')),
  year_of_birth integer,
  photo_url text,
  photo_30_url text,
  photo_45_url text,
  photo_60_url text,
  voice_id text,
  voice_settings jsonb NOT NULL DEFAULT '{}',
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.categories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  legacy_id integer NOT NULL UNIQUE,
  parent_id uuid REFERENCES public.categories (id),
  name text NOT NULL,
  name_short text,
  description text,
  icon_url text,
  icon_secondary_url text,
  sort_order integer NOT NULL DEFAULT 0,
  primary_color text,
  secondary_color text,
  show_checkin_history boolean NOT NULL DEFAULT false,
  checkin_enabled boolean NOT NULL DEFAULT true,
  followup_chat_enabled boolean NOT NULL DEFAULT false,
  followup_timer integer,
  prompt_checkin text,
  prompt_checkin_2 text,
  guidelines_file_text text,
  max_questions integer,
  scope text,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS categories_parent_id_idx ON public.categories (parent_id);

CREATE TABLE IF NOT EXISTS public.app_config (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  description text,
  is_public boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Access (docs/access.md). Supabase serves every table in public through its Data API, and its default
-- privileges grant anon and authenticated ALL on new tables there: the anon key ships in every client app.
-- Row-level security is on for the three tables; anyone may read active coaches and categories and the
-- app_config rows marked is_public; no policy lets anyone write, so only roles that bypass row-level security
-- write: the table owner (postgres, the SQL editor) and service_role (BYPASSRLS). Idempotent: a second run
-- changes nothing. The policies name no role (they apply to PUBLIC), so they need no Supabase role to exist.
--
-- A table the app made (a real project's own migrations: no legacy_id column, its own policies and grants) is
-- left exactly as it is: none of this touches it (issue 31; migration.sql writes the app's own columns there).
-- For the coaches and categories tables, ours is the shape with legacy_id; app_config has the same shape in both,
-- so it is ours when it has no policy but ours.
DO $access$
DECLARE
  v_ours_coaches constant boolean := EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'coaches' AND column_name = 'legacy_id');
  v_ours_categories constant boolean := EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'categories' AND column_name = 'legacy_id');
  v_ours_app_config constant boolean := NOT EXISTS (SELECT FROM pg_policies WHERE schemaname = 'public' AND tablename = 'app_config' AND policyname <> 'app_config_read_public');
  v_ours text[];
  r text;
  t text;
BEGIN
  IF v_ours_coaches THEN
    ALTER TABLE public.coaches ENABLE ROW LEVEL SECURITY;
    IF NOT EXISTS (SELECT FROM pg_policies WHERE schemaname = 'public' AND tablename = 'coaches' AND policyname = 'coaches_read_active') THEN
      CREATE POLICY coaches_read_active ON public.coaches FOR SELECT USING (is_active);
    END IF;
  END IF;
  IF v_ours_categories THEN
    ALTER TABLE public.categories ENABLE ROW LEVEL SECURITY;
    IF NOT EXISTS (SELECT FROM pg_policies WHERE schemaname = 'public' AND tablename = 'categories' AND policyname = 'categories_read_active') THEN
      CREATE POLICY categories_read_active ON public.categories FOR SELECT USING (is_active);
    END IF;
  END IF;
  IF v_ours_app_config THEN
    ALTER TABLE public.app_config ENABLE ROW LEVEL SECURITY;
    IF NOT EXISTS (SELECT FROM pg_policies WHERE schemaname = 'public' AND tablename = 'app_config' AND policyname = 'app_config_read_public') THEN
      CREATE POLICY app_config_read_public ON public.app_config FOR SELECT USING (is_public);
    END IF;
  END IF;
  -- Defence in depth, on our tables only: the write privileges Supabase's defaults grant anon and authenticated
  -- are revoked, reading is granted, and service_role (which applies migration.sql and rollback.sql) is granted
  -- what they need, explicitly: from 2026 Supabase's default privileges no longer grant new tables to these
  -- roles. Only where the roles exist: on plain PostgreSQL or PGlite there are none, and this does nothing.
  v_ours := array_remove(ARRAY[CASE WHEN v_ours_coaches THEN 'coaches' END, CASE WHEN v_ours_categories THEN 'categories' END, CASE WHEN v_ours_app_config THEN 'app_config' END], NULL);
  FOREACH t IN ARRAY v_ours LOOP
    FOREACH r IN ARRAY ARRAY['anon', 'authenticated'] LOOP
      IF EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public.%I FROM %I', t, r);
        EXECUTE format('GRANT SELECT ON public.%I TO %I', t, r);
      END IF;
    END LOOP;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO service_role', t);
    END IF;
  END LOOP;
END
$access$;

-- The ledger of totalis-migrate (lib/sql/ledger.ts, docs/remigration.md): which rows are the migration's, each
-- applied run, and the rows as they were before it, so that a later run removes what the dump no longer has and
-- a run's rollback.sql restores the target as it was. Outside public: the Data API does not serve it.
-- A ledger a later totalis-migrate made (a version above this file's) is not touched: that tool's target.sql applies
DO $ledger_version$
DECLARE
  v integer;
BEGIN
  IF to_regclass('totalis_migrate.ledger_version') IS NOT NULL THEN
    SELECT version INTO v FROM totalis_migrate.ledger_version;
    IF v > 2 THEN
      RAISE EXCEPTION 'schemas/target.sql: the ledger (schema totalis_migrate) is version %, newer than this file''s (2): apply the target.sql of the totalis-migrate that wrote it', v;
    END IF;
  END IF;
END
$ledger_version$;
CREATE SCHEMA IF NOT EXISTS totalis_migrate;
CREATE TABLE IF NOT EXISTS totalis_migrate.runs (
  seq bigserial NOT NULL,
  run_id text PRIMARY KEY,
  tool_version text NOT NULL,
  inputs jsonb NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  rolled_back_at timestamptz
);
CREATE TABLE IF NOT EXISTS totalis_migrate.owned (
  tbl text NOT NULL,
  key text NOT NULL,
  PRIMARY KEY (tbl, key)
);
CREATE TABLE IF NOT EXISTS totalis_migrate.owned_before (
  run_id text NOT NULL REFERENCES totalis_migrate.runs ON DELETE CASCADE,
  tbl text NOT NULL,
  key text NOT NULL,
  PRIMARY KEY (run_id, tbl, key)
);
-- each row's legacy source, by run (on a target whose tables have no legacy_id column nor metadata, the only
-- place it is kept), and whether the row was the app's before the run took it over (adopted; issue 31)
CREATE TABLE IF NOT EXISTS totalis_migrate.sources (
  run_id text NOT NULL REFERENCES totalis_migrate.runs ON DELETE CASCADE,
  tbl text NOT NULL,
  key text NOT NULL,
  legacy_id integer,
  adopted boolean NOT NULL DEFAULT false,
  PRIMARY KEY (run_id, tbl, key)
);
CREATE TABLE IF NOT EXISTS totalis_migrate.undo (
  run_id text NOT NULL REFERENCES totalis_migrate.runs ON DELETE CASCADE,
  tbl text NOT NULL,
  key text NOT NULL,
  old_row jsonb,
  PRIMARY KEY (run_id, tbl, key)
);
-- the before-image's jsonb columns that were SQL NULL (to_jsonb writes SQL NULL and JSON null alike)
ALTER TABLE totalis_migrate.undo ADD COLUMN IF NOT EXISTS sql_nulls text[];
-- how each run left every row it owns, so that the next run sees what the app changed since (lib/sql/app-edits.ts)
CREATE TABLE IF NOT EXISTS totalis_migrate.written (
  run_id text NOT NULL REFERENCES totalis_migrate.runs ON DELETE CASCADE,
  tbl text NOT NULL,
  key text NOT NULL,
  row_image jsonb NOT NULL,
  PRIMARY KEY (run_id, tbl, key)
);
-- the ledger's version (lib/sql/ledger-version.ts: LEDGER_VERSION), one row; migration.sql, verify.sql and
-- rollback.sql read it first. A ledger without it is version 1 (before versions were kept): the statements above
-- have upgraded it; each later version adds its upgrade above and raises the number here.
CREATE TABLE IF NOT EXISTS totalis_migrate.ledger_version (
  one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
  version integer NOT NULL
);
INSERT INTO totalis_migrate.ledger_version (version) VALUES (2) ON CONFLICT (one_row) DO UPDATE SET version = EXCLUDED.version;

-- service_role applies migration.sql and rollback.sql too, and writes the ledger then (where the role exists)
DO $ledger$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN
    GRANT USAGE ON SCHEMA totalis_migrate TO service_role;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA totalis_migrate TO service_role;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA totalis_migrate TO service_role;
  END IF;
END
$ledger$;
