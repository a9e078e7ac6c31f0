-- The Supabase target tables of the Totalis migration (shared/spec/mapping.md, "Target schema").
-- Idempotent: safe to run twice; usable as a Supabase migration. PostgreSQL 15 to 18.

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
ALTER TABLE public.coaches ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.categories ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.app_config ENABLE ROW LEVEL SECURITY;

DO $access$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_policies WHERE schemaname = 'public' AND tablename = 'coaches' AND policyname = 'coaches_read_active') THEN
    CREATE POLICY coaches_read_active ON public.coaches FOR SELECT USING (is_active);
  END IF;
  IF NOT EXISTS (SELECT FROM pg_policies WHERE schemaname = 'public' AND tablename = 'categories' AND policyname = 'categories_read_active') THEN
    CREATE POLICY categories_read_active ON public.categories FOR SELECT USING (is_active);
  END IF;
  IF NOT EXISTS (SELECT FROM pg_policies WHERE schemaname = 'public' AND tablename = 'app_config' AND policyname = 'app_config_read_public') THEN
    CREATE POLICY app_config_read_public ON public.app_config FOR SELECT USING (is_public);
  END IF;
END
$access$;

-- Defence in depth: the write privileges Supabase's defaults grant anon and authenticated are revoked, and
-- reading is granted (a project without those defaults needs it). Only where the roles exist: on plain
-- PostgreSQL or PGlite there are no such roles, and this does nothing.
DO $access$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['anon', 'authenticated'] LOOP
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public.coaches, public.categories, public.app_config FROM %I', r);
      EXECUTE format('GRANT SELECT ON public.coaches, public.categories, public.app_config TO %I', r);
    END IF;
  END LOOP;
END
$access$;

-- The ledger of totalis-migrate (lib/sql/ledger.ts, docs/remigration.md): which rows are the migration's, each
-- applied run, and the rows as they were before it, so that a later run removes what the dump no longer has and
-- a run's rollback.sql restores the target as it was. Outside public: the Data API does not serve it.
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
CREATE TABLE IF NOT EXISTS totalis_migrate.undo (
  run_id text NOT NULL REFERENCES totalis_migrate.runs ON DELETE CASCADE,
  tbl text NOT NULL,
  key text NOT NULL,
  old_row jsonb,
  PRIMARY KEY (run_id, tbl, key)
);
-- the before-image's jsonb columns that were SQL NULL (to_jsonb writes SQL NULL and JSON null alike)
ALTER TABLE totalis_migrate.undo ADD COLUMN IF NOT EXISTS sql_nulls text[];

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
