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
