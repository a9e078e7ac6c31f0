-- totalis-migrate 0.1.0: verify
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
-- Check: psql -v ON_ERROR_STOP=1 -f verify.sql (exits non-zero on any mismatch; changes nothing).

SET client_encoding = 'UTF8';

BEGIN;
SET LOCAL standard_conforming_strings = on;
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
    RAISE EXCEPTION 'verify: the ledger (schema totalis_migrate) is version %, older than this tool''s (2): run schemas/target.sql of this version first (it upgrades the ledger; safe to repeat); nothing was changed', v;
  END IF;
  IF v > 2 THEN
    RAISE EXCEPTION 'verify: the ledger (schema totalis_migrate) is version %, newer than this tool''s (2): a later totalis-migrate wrote it; use that version; nothing was changed', v;
  END IF;
END
$ledger_version$;
-- what this run writes: the rows of the ledger it will own
CREATE TEMPORARY TABLE totalis_run_keys (tbl text NOT NULL, key text NOT NULL, PRIMARY KEY (tbl, key)) ON COMMIT DROP;
INSERT INTO totalis_run_keys (tbl, key) VALUES
  ('coaches', 'c97234c2-d048-5131-a21e-70a3d40e81ed'),
  ('coaches', 'a1eb0a9d-db1b-524f-924c-3fa0b37a8a29'),
  ('coaches', 'bad45b37-514c-53fb-a083-cfc4afa73669'),
  ('coaches', '1066ad8c-b8a5-5d87-9f1d-6566265ce005'),
  ('coaches', 'd703c4ee-c714-5aca-8a2e-a5fbe28e3ab6'),
  ('coaches', '9584dbc8-128e-5ee3-93c6-2fee9277c1ff'),
  ('categories', '4b005a75-d128-5a89-b33f-7727d84bddd8'),
  ('categories', '2b841afa-f19c-51e4-88c3-3e0a334573da'),
  ('categories', '6b313920-0130-5bc0-857f-cfc624bce84b'),
  ('categories', '2d25e6ce-f421-57fc-b18d-6ff68cdfce19'),
  ('categories', 'e5f4d216-0ec5-5d95-bbe1-396a4e37e5b6'),
  ('categories', '51069584-da4d-51e5-86a1-f8e8bc672349'),
  ('categories', 'c495ce24-39e0-5609-83fd-4a1e71c9fd80'),
  ('categories', 'b28c44c7-cc90-5315-89f8-cc6e431e2c34'),
  ('categories', '11fd5fb1-7a03-5d4a-b4ab-193679958aca'),
  ('categories', 'ab7503da-6c74-59a8-800a-d3ae3f4b7f8b'),
  ('app_config', 'default_coach'),
  ('app_config', 'prompt_checkin_intro'),
  ('app_config', 'prompt_emoji test'),
  ('app_config', 'prompt_summary'),
  ('app_config', 'system_limits'),
  ('app_config', 'system_maintenance'),
  ('app_config', 'system_motd'),
  ('app_config', 'system_version'),
  ('app_config', 'var_big_int'),
  ('app_config', 'var_empty'),
  ('app_config', 'var_enabled'),
  ('app_config', 'var_feature_flags'),
  ('app_config', 'var_max_checkins_per_day'),
  ('app_config', 'var_pi_exact'),
  ('app_config', 'var_unset'),
  ('app_config', 'var_welcome_text');
DO $verify$
DECLARE
  v_n bigint;
  v_bad text;
  v_differ text;
  v_json jsonb;
BEGIN

  -- access: row-level security on (schemas/target.sql); without it the anon key reads and writes every row
  SELECT string_agg(c.relname, ', ' ORDER BY c.relname) INTO v_bad
    FROM pg_class c
   WHERE c.oid IN ('public.coaches'::regclass, 'public.categories'::regclass, 'public.app_config'::regclass) AND NOT c.relrowsecurity;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: row-level security is off on %: the anon key could read and write every row; apply schemas/target.sql', v_bad;
  END IF;

  -- the ledger: this run applied, and no row of the migration's left that this run did not write
  IF to_regclass('totalis_migrate.runs') IS NULL OR NOT EXISTS (SELECT FROM totalis_migrate.runs WHERE run_id = '9f81abb098a48914' AND rolled_back_at IS NULL) THEN
    RAISE EXCEPTION 'verify: run 9f81abb098a48914 is not applied to this database (apply its migration.sql)';
  END IF;
  SELECT string_agg(x, '; ' ORDER BY x) INTO v_bad FROM (
    SELECT 'coaches ' || format('legacy id %s %s', t.legacy_id, t.name) AS x FROM public.coaches t JOIN totalis_migrate.owned o ON o.tbl = 'coaches' AND o.key = t.id::text
     WHERE NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = o.tbl AND n.key = o.key)
    UNION ALL
    SELECT 'categories ' || format('legacy id %s %s', t.legacy_id, t.name) AS x FROM public.categories t JOIN totalis_migrate.owned o ON o.tbl = 'categories' AND o.key = t.id::text
     WHERE NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = o.tbl AND n.key = o.key)
    UNION ALL
    SELECT 'app_config ' || t.key::text AS x FROM public.app_config t JOIN totalis_migrate.owned o ON o.tbl = 'app_config' AND o.key = t.key::text
     WHERE NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = o.tbl AND n.key = o.key)
  ) s;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: rows of the migration whose legacy source is gone are still there: %', v_bad;
  END IF;

  -- rows claiming a legacy source the dump no longer has, whoever wrote them (the ledger's owned set or not)
  SELECT string_agg(x, '; ' ORDER BY x) INTO v_bad FROM (
    SELECT format('%s legacy id %s %s', 'coaches', c.legacy_id, t.name) AS x
      FROM public.coaches t CROSS JOIN LATERAL (SELECT coalesce(t.legacy_id, (SELECT min(o.legacy_id) FROM totalis_migrate.sources o WHERE o.tbl = 'coaches' AND o.key = t.id::text)) AS legacy_id) c
     WHERE c.legacy_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = 'coaches' AND n.key = t.id::text)
       AND EXISTS (SELECT FROM totalis_migrate.sources s JOIN totalis_migrate.runs r USING (run_id) WHERE r.rolled_back_at IS NULL AND s.tbl = 'coaches' AND s.legacy_id = c.legacy_id)
       AND NOT EXISTS (SELECT FROM totalis_migrate.sources s JOIN totalis_migrate.runs r USING (run_id) WHERE r.rolled_back_at IS NULL AND s.adopted AND s.tbl = 'coaches' AND s.key = t.id::text)
    UNION ALL
    SELECT format('%s legacy id %s %s', 'categories', c.legacy_id, t.name) AS x
      FROM public.categories t CROSS JOIN LATERAL (SELECT coalesce(t.legacy_id, (SELECT min(o.legacy_id) FROM totalis_migrate.sources o WHERE o.tbl = 'categories' AND o.key = t.id::text)) AS legacy_id) c
     WHERE c.legacy_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = 'categories' AND n.key = t.id::text)
       AND EXISTS (SELECT FROM totalis_migrate.sources s JOIN totalis_migrate.runs r USING (run_id) WHERE r.rolled_back_at IS NULL AND s.tbl = 'categories' AND s.legacy_id = c.legacy_id)
       AND NOT EXISTS (SELECT FROM totalis_migrate.sources s JOIN totalis_migrate.runs r USING (run_id) WHERE r.rolled_back_at IS NULL AND s.adopted AND s.tbl = 'categories' AND s.key = t.id::text)
  ) s;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: rows claim a legacy source the dump no longer has (stale, whoever wrote them): %', v_bad;
  END IF;

  -- coaches: every migrated row present, every column as written
  SELECT string_agg(v.label, ', ' ORDER BY v.label) FILTER (WHERE t.id IS NULL),
         count(*) FILTER (WHERE t.id IS NULL),
         string_agg(format('%s (%s)', v.label, array_to_string(d.cols, ', ')), '; ' ORDER BY v.label) FILTER (WHERE t.id IS NOT NULL AND cardinality(d.cols) > 0)
    INTO v_bad, v_n, v_differ
    FROM (VALUES
      ('coach legacy id 1'::text, 'c97234c2-d048-5131-a21e-70a3d40e81ed'::uuid, 1::integer, 'Daniel'::text, 'Calm, practical, direct.'::text, 'md5:ae1fe92297f7e810740fa96909758f88'::text, 'md5:af9669103bd94b0a92abfb8ff81459ed'::text, 'male'::text, 1985::integer, 'md5:9ff61bbc76ba2a153723fb7e9d0ab43b'::text, 'md5:aa31dd9da954d205a67926efd35954d2'::text, 'md5:637420ad786c5f1e08ae4894283cd4ed'::text, 'md5:32a1136119e4034c99f0bdbdf9c23603'::text, 'daniel_m'::text, '{}'::jsonb, true::boolean, '2023-03-14 09:26:53.589793+00:00'::timestamptz),
      ('coach legacy id 2'::text, 'a1eb0a9d-db1b-524f-924c-3fa0b37a8a29'::uuid, 2, U&'Ana Mar\00eda', U&'Emp\00e1tica y clara \2014 \00absiempre\00bb.', 'I am 34 years old and I love mornings.', U&'S\00e9 amable.', 'female', 1988, 'md5:376d04acce01b6f4d4d00ddea395e913', NULL, NULL, NULL, 'ana_maria_f', '{}'::jsonb, true, '2022-11-02 18:00:00+00:00'::timestamptz),
      ('coach legacy id 3'::text, 'bad45b37-514c-53fb-a083-cfc4afa73669'::uuid, 3, U&'\674e\5c0f\9f99 \+01f409', E'Tabs\there, CR\rthere, CRLF\r
and a backslash \\ too', 'Aged: 41. Martial arts and mindfulness.', U&'\7528\7b80\77ed\7684\53e5\5b50\56de\7b54\3002\+01f642', 'non_binary', 1980, NULL, NULL, NULL, NULL, 'coach_3_nb', '{}'::jsonb, true, '2021-06-30 23:59:59.999999+00:00'::timestamptz),
      ('coach legacy id 4'::text, '1066ad8c-b8a5-5d87-9f1d-6566265ce005'::uuid, 4, 'Sam', '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'sam_x', '{}'::jsonb, true, NULL),
      ('coach legacy id 5'::text, 'd703c4ee-c714-5aca-8a2e-a5fbe28e3ab6'::uuid, 5, 'Robert''); DROP TABLE coaches; --', 'Quotes '' " and `backticks`; \copy and \! rm -rf / stay text', 'Birth year: 1979.
\N on its own line:
\N
\.
still intro', '\x41 is not an escape here', 'other', 1979, NULL, NULL, NULL, NULL, 'robert_drop_table_coaches_x', '{}'::jsonb, true, '2020-02-29 12:00:00.000001+00:00'::timestamptz),
      ('coach legacy id 6'::text, '9584dbc8-128e-5ee3-93c6-2fee9277c1ff'::uuid, 6, U&'Zo\00eb \00d1and\00fa', NULL, 'I am 230 years old.', '', 'other', NULL, NULL, NULL, NULL, NULL, 'zoe_nandu_x', '{}'::jsonb, true, '2019-01-01 00:00:00+00:00'::timestamptz)
    ) AS v(label, id, legacy_id, name, description, intro, prompt, sex, year_of_birth, photo_url, photo_30_url, photo_45_url, photo_60_url, voice_id, voice_settings, is_active, created_at)
    LEFT JOIN public.coaches t ON t.id = v.id
    CROSS JOIN LATERAL (SELECT array_remove(ARRAY[
      CASE WHEN t.legacy_id IS DISTINCT FROM v.legacy_id THEN format('%s: %s, expected %s', 'legacy_id', coalesce(quote_literal(left(t.legacy_id::text, 60)), 'NULL'), coalesce(quote_literal(left(v.legacy_id::text, 60)), 'NULL')) END,
      CASE WHEN CASE WHEN (v.name LIKE 'md5:%' AND length(v.name) = 36) THEN 'md5:' || md5(t.name) ELSE t.name END IS DISTINCT FROM v.name THEN CASE WHEN (v.name LIKE 'md5:%' AND length(v.name) = 36) THEN 'name' ELSE format('%s: %s, expected %s', 'name', coalesce(quote_literal(left(t.name::text, 60)), 'NULL'), coalesce(quote_literal(left(v.name::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.description LIKE 'md5:%' AND length(v.description) = 36) THEN 'md5:' || md5(t.description) ELSE t.description END IS DISTINCT FROM v.description THEN CASE WHEN (v.description LIKE 'md5:%' AND length(v.description) = 36) THEN 'description' ELSE format('%s: %s, expected %s', 'description', coalesce(quote_literal(left(t.description::text, 60)), 'NULL'), coalesce(quote_literal(left(v.description::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.intro LIKE 'md5:%' AND length(v.intro) = 36) THEN 'md5:' || md5(t.intro) ELSE t.intro END IS DISTINCT FROM v.intro THEN CASE WHEN (v.intro LIKE 'md5:%' AND length(v.intro) = 36) THEN 'intro' ELSE format('%s: %s, expected %s', 'intro', coalesce(quote_literal(left(t.intro::text, 60)), 'NULL'), coalesce(quote_literal(left(v.intro::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.prompt LIKE 'md5:%' AND length(v.prompt) = 36) THEN 'md5:' || md5(t.prompt) ELSE t.prompt END IS DISTINCT FROM v.prompt THEN CASE WHEN (v.prompt LIKE 'md5:%' AND length(v.prompt) = 36) THEN 'prompt' ELSE format('%s: %s, expected %s', 'prompt', coalesce(quote_literal(left(t.prompt::text, 60)), 'NULL'), coalesce(quote_literal(left(v.prompt::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.sex LIKE 'md5:%' AND length(v.sex) = 36) THEN 'md5:' || md5(t.sex) ELSE t.sex END IS DISTINCT FROM v.sex THEN CASE WHEN (v.sex LIKE 'md5:%' AND length(v.sex) = 36) THEN 'sex' ELSE format('%s: %s, expected %s', 'sex', coalesce(quote_literal(left(t.sex::text, 60)), 'NULL'), coalesce(quote_literal(left(v.sex::text, 60)), 'NULL')) END END,
      CASE WHEN t.year_of_birth IS DISTINCT FROM v.year_of_birth THEN format('%s: %s, expected %s', 'year_of_birth', coalesce(quote_literal(left(t.year_of_birth::text, 60)), 'NULL'), coalesce(quote_literal(left(v.year_of_birth::text, 60)), 'NULL')) END,
      CASE WHEN CASE WHEN (v.photo_url LIKE 'md5:%' AND length(v.photo_url) = 36) THEN 'md5:' || md5(t.photo_url) ELSE t.photo_url END IS DISTINCT FROM v.photo_url THEN CASE WHEN (v.photo_url LIKE 'md5:%' AND length(v.photo_url) = 36) THEN 'photo_url' ELSE format('%s: %s, expected %s', 'photo_url', coalesce(quote_literal(left(t.photo_url::text, 60)), 'NULL'), coalesce(quote_literal(left(v.photo_url::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.photo_30_url LIKE 'md5:%' AND length(v.photo_30_url) = 36) THEN 'md5:' || md5(t.photo_30_url) ELSE t.photo_30_url END IS DISTINCT FROM v.photo_30_url THEN CASE WHEN (v.photo_30_url LIKE 'md5:%' AND length(v.photo_30_url) = 36) THEN 'photo_30_url' ELSE format('%s: %s, expected %s', 'photo_30_url', coalesce(quote_literal(left(t.photo_30_url::text, 60)), 'NULL'), coalesce(quote_literal(left(v.photo_30_url::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.photo_45_url LIKE 'md5:%' AND length(v.photo_45_url) = 36) THEN 'md5:' || md5(t.photo_45_url) ELSE t.photo_45_url END IS DISTINCT FROM v.photo_45_url THEN CASE WHEN (v.photo_45_url LIKE 'md5:%' AND length(v.photo_45_url) = 36) THEN 'photo_45_url' ELSE format('%s: %s, expected %s', 'photo_45_url', coalesce(quote_literal(left(t.photo_45_url::text, 60)), 'NULL'), coalesce(quote_literal(left(v.photo_45_url::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.photo_60_url LIKE 'md5:%' AND length(v.photo_60_url) = 36) THEN 'md5:' || md5(t.photo_60_url) ELSE t.photo_60_url END IS DISTINCT FROM v.photo_60_url THEN CASE WHEN (v.photo_60_url LIKE 'md5:%' AND length(v.photo_60_url) = 36) THEN 'photo_60_url' ELSE format('%s: %s, expected %s', 'photo_60_url', coalesce(quote_literal(left(t.photo_60_url::text, 60)), 'NULL'), coalesce(quote_literal(left(v.photo_60_url::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.voice_id LIKE 'md5:%' AND length(v.voice_id) = 36) THEN 'md5:' || md5(t.voice_id) ELSE t.voice_id END IS DISTINCT FROM v.voice_id THEN CASE WHEN (v.voice_id LIKE 'md5:%' AND length(v.voice_id) = 36) THEN 'voice_id' ELSE format('%s: %s, expected %s', 'voice_id', coalesce(quote_literal(left(t.voice_id::text, 60)), 'NULL'), coalesce(quote_literal(left(v.voice_id::text, 60)), 'NULL')) END END,
      CASE WHEN t.voice_settings::text IS DISTINCT FROM v.voice_settings::text THEN format('%s: %s, expected %s', 'voice_settings', coalesce(quote_literal(left(t.voice_settings::text, 60)), 'NULL'), coalesce(quote_literal(left(v.voice_settings::text, 60)), 'NULL')) END,
      CASE WHEN t.is_active IS DISTINCT FROM v.is_active THEN format('%s: %s, expected %s', 'is_active', coalesce(quote_literal(left(t.is_active::text, 60)), 'NULL'), coalesce(quote_literal(left(v.is_active::text, 60)), 'NULL')) END,
      CASE WHEN v.created_at IS NOT NULL AND t.created_at IS DISTINCT FROM v.created_at THEN format('%s: %s, expected %s', 'created_at', coalesce(quote_literal(left(t.created_at::text, 60)), 'NULL'), coalesce(quote_literal(left(v.created_at::text, 60)), 'NULL'))
              WHEN v.created_at IS NULL AND t.created_at IS NOT NULL AND NOT t.created_at <= now() THEN format('created_at: %s, expected the time of the first insert (time_create was NULL)', t.created_at) END,
      CASE WHEN t.id IS NOT NULL AND NOT coalesce(t.updated_at = t.created_at OR (t.updated_at <= now() AND (t.updated_at >= t.created_at OR t.created_at > now())), false)
              THEN format('updated_at: %s, expected created_at (%s) or the time of a later change', coalesce(t.updated_at::text, 'NULL'), t.created_at) END
    ]::text[], NULL) AS cols) d;
  IF v_n > 0 THEN
    RAISE EXCEPTION 'verify: coaches: % of 6 migrated rows missing: %', v_n, v_bad;
  END IF;
  IF v_differ IS NOT NULL THEN
    RAISE EXCEPTION 'verify: coaches: rows differ from what migration.sql wrote: %', v_differ;
  END IF;

  -- categories: every migrated row present, every column as written
  SELECT string_agg(v.label, ', ' ORDER BY v.label) FILTER (WHERE t.id IS NULL),
         count(*) FILTER (WHERE t.id IS NULL),
         string_agg(format('%s (%s)', v.label, array_to_string(d.cols, ', ')), '; ' ORDER BY v.label) FILTER (WHERE t.id IS NOT NULL AND cardinality(d.cols) > 0)
    INTO v_bad, v_n, v_differ
    FROM (VALUES
      ('category legacy id 30'::text, 'ab7503da-6c74-59a8-800a-d3ae3f4b7f8b'::uuid, 30::integer, NULL::uuid, 'Relationships'::text, 'People'::text, NULL::text, NULL::text, NULL::text, 0::integer, NULL::text, NULL::text, false::boolean, true::boolean, false::boolean, NULL::integer, NULL::text, NULL::text, 'md5:90a471550bad859dccf4c2bcac9c0e4b'::text, NULL::integer, NULL::text, true::boolean, '2022-03-01 00:00:00+00:00'::timestamptz),
      ('category legacy id 10'::text, 'e5f4d216-0ec5-5d95-bbe1-396a4e37e5b6'::uuid, 10, NULL, 'Health', 'Health', 'Body and energy', 'md5:2503b33cd3bf7950c20cf124c8fc14a7', 'md5:0ee8bcf23751eb1ef8c68e2a74cac836', 1, '#FF6B6B', '#FFE3E3', true, true, false, 24, 'How is your health today?
Be honest.', NULL, NULL, 5, 'health', true, '2022-01-10 08:00:00+00:00'::timestamptz),
      ('category legacy id 3'::text, '6b313920-0130-5bc0-857f-cfc624bce84b'::uuid, 3, 'e5f4d216-0ec5-5d95-bbe1-396a4e37e5b6'::uuid, 'Sleep', 'Sleep', E'Rest, naps\tand nights', 'md5:2917a431af2ef4fd66d2d833993ccee9', NULL, 1, '#4D96FF', NULL, false, true, true, 12, 'How did you sleep?', 'Any dreams?', NULL, 3, 'health.sleep', true, '2022-01-10 08:05:00.5+00:00'::timestamptz),
      ('category legacy id 7'::text, '2d25e6ce-f421-57fc-b18d-6ff68cdfce19'::uuid, 7, '6b313920-0130-5bc0-857f-cfc624bce84b'::uuid, 'Insomnia', NULL, NULL, NULL, NULL, 2, NULL, NULL, false, true, false, NULL, NULL, NULL, NULL, NULL, NULL, true, '2022-01-11 09:00:00+00:00'::timestamptz),
      ('category legacy id 1'::text, '4b005a75-d128-5a89-b33f-7727d84bddd8'::uuid, 1, '2d25e6ce-f421-57fc-b18d-6ff68cdfce19'::uuid, 'Night waking', 'Waking', 'Level four: a leaf whose id is smaller than all its ancestors''', NULL, NULL, 0, NULL, NULL, false, false, false, NULL, NULL, NULL, NULL, NULL, NULL, true, NULL),
      ('category legacy id 12'::text, '51069584-da4d-51e5-86a1-f8e8bc672349'::uuid, 12, '6b313920-0130-5bc0-857f-cfc624bce84b'::uuid, 'Naps', 'Naps', '', NULL, NULL, 5, '', '', true, true, false, 0, '', '', '', 0, '', true, '2022-01-12 10:00:00+00:00'::timestamptz),
      ('category legacy id 20'::text, '11fd5fb1-7a03-5d4a-b4ab-193679958aca'::uuid, 20, NULL, 'Mind', 'Mind', 'Thoughts, focus, mood', 'md5:60b42e12609ed3887d7a81a1b9e8c72b', NULL, 2, '#6BCB77', '#E3F9E5', true, true, true, 48, 'What is on your mind?', NULL, NULL, 4, 'mind', true, '2022-02-01 00:00:00+00:00'::timestamptz),
      ('category legacy id 15'::text, 'c495ce24-39e0-5609-83fd-4a1e71c9fd80'::uuid, 15, '11fd5fb1-7a03-5d4a-b4ab-193679958aca'::uuid, 'Stress', 'Stress', 'Back\slash and "quotes"', NULL, NULL, 1, NULL, NULL, false, true, false, NULL, NULL, NULL, NULL, NULL, NULL, true, '2022-02-02 00:00:00+00:00'::timestamptz),
      ('category legacy id 2'::text, '2b841afa-f19c-51e4-88c3-3e0a334573da'::uuid, 2, 'c495ce24-39e0-5609-83fd-4a1e71c9fd80'::uuid, 'Work stress', NULL, U&'Deadlines \+01f4c5 and \4f1a\8bae', NULL, NULL, (-1), NULL, NULL, false, true, false, NULL, NULL, NULL, NULL, NULL, NULL, true, '2022-02-04 00:00:00+00:00'::timestamptz),
      ('category legacy id 16'::text, 'b28c44c7-cc90-5315-89f8-cc6e431e2c34'::uuid, 16, '11fd5fb1-7a03-5d4a-b4ab-193679958aca'::uuid, 'Focus', 'Focus', NULL, NULL, NULL, 1, NULL, NULL, false, true, false, NULL, NULL, NULL, NULL, NULL, NULL, true, '2022-02-03 00:00:00+00:00'::timestamptz)
    ) AS v(label, id, legacy_id, parent_id, name, name_short, description, icon_url, icon_secondary_url, sort_order, primary_color, secondary_color, show_checkin_history, checkin_enabled, followup_chat_enabled, followup_timer, prompt_checkin, prompt_checkin_2, guidelines_file_text, max_questions, scope, is_active, created_at)
    LEFT JOIN public.categories t ON t.id = v.id
    CROSS JOIN LATERAL (SELECT array_remove(ARRAY[
      CASE WHEN t.legacy_id IS DISTINCT FROM v.legacy_id THEN format('%s: %s, expected %s', 'legacy_id', coalesce(quote_literal(left(t.legacy_id::text, 60)), 'NULL'), coalesce(quote_literal(left(v.legacy_id::text, 60)), 'NULL')) END,
      CASE WHEN t.parent_id IS DISTINCT FROM v.parent_id THEN format('%s: %s, expected %s', 'parent_id', coalesce(quote_literal(left(t.parent_id::text, 60)), 'NULL'), coalesce(quote_literal(left(v.parent_id::text, 60)), 'NULL')) END,
      CASE WHEN CASE WHEN (v.name LIKE 'md5:%' AND length(v.name) = 36) THEN 'md5:' || md5(t.name) ELSE t.name END IS DISTINCT FROM v.name THEN CASE WHEN (v.name LIKE 'md5:%' AND length(v.name) = 36) THEN 'name' ELSE format('%s: %s, expected %s', 'name', coalesce(quote_literal(left(t.name::text, 60)), 'NULL'), coalesce(quote_literal(left(v.name::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.name_short LIKE 'md5:%' AND length(v.name_short) = 36) THEN 'md5:' || md5(t.name_short) ELSE t.name_short END IS DISTINCT FROM v.name_short THEN CASE WHEN (v.name_short LIKE 'md5:%' AND length(v.name_short) = 36) THEN 'name_short' ELSE format('%s: %s, expected %s', 'name_short', coalesce(quote_literal(left(t.name_short::text, 60)), 'NULL'), coalesce(quote_literal(left(v.name_short::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.description LIKE 'md5:%' AND length(v.description) = 36) THEN 'md5:' || md5(t.description) ELSE t.description END IS DISTINCT FROM v.description THEN CASE WHEN (v.description LIKE 'md5:%' AND length(v.description) = 36) THEN 'description' ELSE format('%s: %s, expected %s', 'description', coalesce(quote_literal(left(t.description::text, 60)), 'NULL'), coalesce(quote_literal(left(v.description::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.icon_url LIKE 'md5:%' AND length(v.icon_url) = 36) THEN 'md5:' || md5(t.icon_url) ELSE t.icon_url END IS DISTINCT FROM v.icon_url THEN CASE WHEN (v.icon_url LIKE 'md5:%' AND length(v.icon_url) = 36) THEN 'icon_url' ELSE format('%s: %s, expected %s', 'icon_url', coalesce(quote_literal(left(t.icon_url::text, 60)), 'NULL'), coalesce(quote_literal(left(v.icon_url::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.icon_secondary_url LIKE 'md5:%' AND length(v.icon_secondary_url) = 36) THEN 'md5:' || md5(t.icon_secondary_url) ELSE t.icon_secondary_url END IS DISTINCT FROM v.icon_secondary_url THEN CASE WHEN (v.icon_secondary_url LIKE 'md5:%' AND length(v.icon_secondary_url) = 36) THEN 'icon_secondary_url' ELSE format('%s: %s, expected %s', 'icon_secondary_url', coalesce(quote_literal(left(t.icon_secondary_url::text, 60)), 'NULL'), coalesce(quote_literal(left(v.icon_secondary_url::text, 60)), 'NULL')) END END,
      CASE WHEN t.sort_order IS DISTINCT FROM v.sort_order THEN format('%s: %s, expected %s', 'sort_order', coalesce(quote_literal(left(t.sort_order::text, 60)), 'NULL'), coalesce(quote_literal(left(v.sort_order::text, 60)), 'NULL')) END,
      CASE WHEN CASE WHEN (v.primary_color LIKE 'md5:%' AND length(v.primary_color) = 36) THEN 'md5:' || md5(t.primary_color) ELSE t.primary_color END IS DISTINCT FROM v.primary_color THEN CASE WHEN (v.primary_color LIKE 'md5:%' AND length(v.primary_color) = 36) THEN 'primary_color' ELSE format('%s: %s, expected %s', 'primary_color', coalesce(quote_literal(left(t.primary_color::text, 60)), 'NULL'), coalesce(quote_literal(left(v.primary_color::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.secondary_color LIKE 'md5:%' AND length(v.secondary_color) = 36) THEN 'md5:' || md5(t.secondary_color) ELSE t.secondary_color END IS DISTINCT FROM v.secondary_color THEN CASE WHEN (v.secondary_color LIKE 'md5:%' AND length(v.secondary_color) = 36) THEN 'secondary_color' ELSE format('%s: %s, expected %s', 'secondary_color', coalesce(quote_literal(left(t.secondary_color::text, 60)), 'NULL'), coalesce(quote_literal(left(v.secondary_color::text, 60)), 'NULL')) END END,
      CASE WHEN t.show_checkin_history IS DISTINCT FROM v.show_checkin_history THEN format('%s: %s, expected %s', 'show_checkin_history', coalesce(quote_literal(left(t.show_checkin_history::text, 60)), 'NULL'), coalesce(quote_literal(left(v.show_checkin_history::text, 60)), 'NULL')) END,
      CASE WHEN t.checkin_enabled IS DISTINCT FROM v.checkin_enabled THEN format('%s: %s, expected %s', 'checkin_enabled', coalesce(quote_literal(left(t.checkin_enabled::text, 60)), 'NULL'), coalesce(quote_literal(left(v.checkin_enabled::text, 60)), 'NULL')) END,
      CASE WHEN t.followup_chat_enabled IS DISTINCT FROM v.followup_chat_enabled THEN format('%s: %s, expected %s', 'followup_chat_enabled', coalesce(quote_literal(left(t.followup_chat_enabled::text, 60)), 'NULL'), coalesce(quote_literal(left(v.followup_chat_enabled::text, 60)), 'NULL')) END,
      CASE WHEN t.followup_timer IS DISTINCT FROM v.followup_timer THEN format('%s: %s, expected %s', 'followup_timer', coalesce(quote_literal(left(t.followup_timer::text, 60)), 'NULL'), coalesce(quote_literal(left(v.followup_timer::text, 60)), 'NULL')) END,
      CASE WHEN CASE WHEN (v.prompt_checkin LIKE 'md5:%' AND length(v.prompt_checkin) = 36) THEN 'md5:' || md5(t.prompt_checkin) ELSE t.prompt_checkin END IS DISTINCT FROM v.prompt_checkin THEN CASE WHEN (v.prompt_checkin LIKE 'md5:%' AND length(v.prompt_checkin) = 36) THEN 'prompt_checkin' ELSE format('%s: %s, expected %s', 'prompt_checkin', coalesce(quote_literal(left(t.prompt_checkin::text, 60)), 'NULL'), coalesce(quote_literal(left(v.prompt_checkin::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.prompt_checkin_2 LIKE 'md5:%' AND length(v.prompt_checkin_2) = 36) THEN 'md5:' || md5(t.prompt_checkin_2) ELSE t.prompt_checkin_2 END IS DISTINCT FROM v.prompt_checkin_2 THEN CASE WHEN (v.prompt_checkin_2 LIKE 'md5:%' AND length(v.prompt_checkin_2) = 36) THEN 'prompt_checkin_2' ELSE format('%s: %s, expected %s', 'prompt_checkin_2', coalesce(quote_literal(left(t.prompt_checkin_2::text, 60)), 'NULL'), coalesce(quote_literal(left(v.prompt_checkin_2::text, 60)), 'NULL')) END END,
      CASE WHEN CASE WHEN (v.guidelines_file_text LIKE 'md5:%' AND length(v.guidelines_file_text) = 36) THEN 'md5:' || md5(t.guidelines_file_text) ELSE t.guidelines_file_text END IS DISTINCT FROM v.guidelines_file_text THEN CASE WHEN (v.guidelines_file_text LIKE 'md5:%' AND length(v.guidelines_file_text) = 36) THEN 'guidelines_file_text' ELSE format('%s: %s, expected %s', 'guidelines_file_text', coalesce(quote_literal(left(t.guidelines_file_text::text, 60)), 'NULL'), coalesce(quote_literal(left(v.guidelines_file_text::text, 60)), 'NULL')) END END,
      CASE WHEN t.max_questions IS DISTINCT FROM v.max_questions THEN format('%s: %s, expected %s', 'max_questions', coalesce(quote_literal(left(t.max_questions::text, 60)), 'NULL'), coalesce(quote_literal(left(v.max_questions::text, 60)), 'NULL')) END,
      CASE WHEN CASE WHEN (v.scope LIKE 'md5:%' AND length(v.scope) = 36) THEN 'md5:' || md5(t.scope) ELSE t.scope END IS DISTINCT FROM v.scope THEN CASE WHEN (v.scope LIKE 'md5:%' AND length(v.scope) = 36) THEN 'scope' ELSE format('%s: %s, expected %s', 'scope', coalesce(quote_literal(left(t.scope::text, 60)), 'NULL'), coalesce(quote_literal(left(v.scope::text, 60)), 'NULL')) END END,
      CASE WHEN t.is_active IS DISTINCT FROM v.is_active THEN format('%s: %s, expected %s', 'is_active', coalesce(quote_literal(left(t.is_active::text, 60)), 'NULL'), coalesce(quote_literal(left(v.is_active::text, 60)), 'NULL')) END,
      CASE WHEN v.created_at IS NOT NULL AND t.created_at IS DISTINCT FROM v.created_at THEN format('%s: %s, expected %s', 'created_at', coalesce(quote_literal(left(t.created_at::text, 60)), 'NULL'), coalesce(quote_literal(left(v.created_at::text, 60)), 'NULL'))
              WHEN v.created_at IS NULL AND t.created_at IS NOT NULL AND NOT t.created_at <= now() THEN format('created_at: %s, expected the time of the first insert (time_create was NULL)', t.created_at) END,
      CASE WHEN t.id IS NOT NULL AND NOT coalesce(t.updated_at = t.created_at OR (t.updated_at <= now() AND (t.updated_at >= t.created_at OR t.created_at > now())), false)
              THEN format('updated_at: %s, expected created_at (%s) or the time of a later change', coalesce(t.updated_at::text, 'NULL'), t.created_at) END
    ]::text[], NULL) AS cols) d;
  IF v_n > 0 THEN
    RAISE EXCEPTION 'verify: categories: % of 10 migrated rows missing: %', v_n, v_bad;
  END IF;
  IF v_differ IS NOT NULL THEN
    RAISE EXCEPTION 'verify: categories: rows differ from what migration.sql wrote: %', v_differ;
  END IF;

  -- app_config: every migrated row present, every column as written
  SELECT string_agg(v.label, ', ' ORDER BY v.label) FILTER (WHERE t.key IS NULL),
         count(*) FILTER (WHERE t.key IS NULL),
         string_agg(format('%s (%s)', v.label, array_to_string(d.cols, ', ')), '; ' ORDER BY v.label) FILTER (WHERE t.key IS NOT NULL AND cardinality(d.cols) > 0)
    INTO v_bad, v_n, v_differ
    FROM (VALUES
      ('key default_coach'::text, 'default_coach'::text, '{"default_coach_id":"c97234c2-d048-5131-a21e-70a3d40e81ed","legacy_id":1,"name":"Daniel"}'::jsonb, 'Default coach for new users'::text, false::boolean, NULL::timestamptz),
      ('key prompt_checkin_intro'::text, 'prompt_checkin_intro', '"Welcome back!\nLet''s check in.\n\n- How do you feel?\n- What changed?"'::jsonb, 'Prompt: checkin_intro', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key prompt_emoji test'::text, 'prompt_emoji test', '"\ud83d\ude42 \u2728 \u65e5\u672c\u8a9e"'::jsonb, 'Prompt: emoji test', false, NULL),
      ('key prompt_summary'::text, 'prompt_summary', '"Summarise the conversation in 3 bullet points.\r\nUse the user''s language."'::jsonb, 'Prompt: summary', false, '2023-01-02 00:00:00+00:00'::timestamptz),
      ('key system_limits'::text, 'system_limits', '[1,2,3.50]'::jsonb, 'System: limits', false, '2023-05-05 05:05:05+00:00'::timestamptz),
      ('key system_maintenance'::text, 'system_maintenance', 'false'::jsonb, 'System: maintenance', false, '2023-05-05 05:05:05+00:00'::timestamptz),
      ('key system_motd'::text, 'system_motd', '"Line one\nLine two with \\N and \\."'::jsonb, 'System: motd', false, '2023-05-05 05:05:05+00:00'::timestamptz),
      ('key system_version'::text, 'system_version', '"2.7.1"'::jsonb, 'System: version', false, '2023-05-05 05:05:05+00:00'::timestamptz),
      ('key var_big_int'::text, 'var_big_int', '12345678901234567890123'::jsonb, 'Variable: big_int', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_empty'::text, 'var_empty', '""'::jsonb, 'Variable: empty', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_enabled'::text, 'var_enabled', 'true'::jsonb, 'Variable: enabled', true, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_feature_flags'::text, 'var_feature_flags', '{"voice":true,"beta":["a","b"]}'::jsonb, 'Variable: feature_flags', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_max_checkins_per_day'::text, 'var_max_checkins_per_day', '3'::jsonb, 'Variable: max_checkins_per_day', true, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_pi_exact'::text, 'var_pi_exact', '3.14159265358979323846264338327950288419716939937510'::jsonb, 'Variable: pi_exact', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_unset'::text, 'var_unset', 'null'::jsonb, 'Variable: unset', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_welcome_text'::text, 'var_welcome_text', '"Hello,\tfriend!\n"'::jsonb, 'Variable: welcome_text', true, '2023-01-01 00:00:00+00:00'::timestamptz)
    ) AS v(label, key, value, description, is_public, created_at)
    LEFT JOIN public.app_config t ON t.key = v.key
    CROSS JOIN LATERAL (SELECT array_remove(ARRAY[
      CASE WHEN t.value::text IS DISTINCT FROM v.value::text THEN format('%s: %s, expected %s', 'value', coalesce(quote_literal(left(t.value::text, 60)), 'NULL'), coalesce(quote_literal(left(v.value::text, 60)), 'NULL')) END,
      CASE WHEN CASE WHEN (v.description LIKE 'md5:%' AND length(v.description) = 36) THEN 'md5:' || md5(t.description) ELSE t.description END IS DISTINCT FROM v.description THEN CASE WHEN (v.description LIKE 'md5:%' AND length(v.description) = 36) THEN 'description' ELSE format('%s: %s, expected %s', 'description', coalesce(quote_literal(left(t.description::text, 60)), 'NULL'), coalesce(quote_literal(left(v.description::text, 60)), 'NULL')) END END,
      CASE WHEN t.is_public IS DISTINCT FROM v.is_public THEN format('%s: %s, expected %s', 'is_public', coalesce(quote_literal(left(t.is_public::text, 60)), 'NULL'), coalesce(quote_literal(left(v.is_public::text, 60)), 'NULL')) END,
      CASE WHEN v.created_at IS NOT NULL AND t.created_at IS DISTINCT FROM v.created_at THEN format('%s: %s, expected %s', 'created_at', coalesce(quote_literal(left(t.created_at::text, 60)), 'NULL'), coalesce(quote_literal(left(v.created_at::text, 60)), 'NULL'))
              WHEN v.created_at IS NULL AND t.created_at IS NOT NULL AND NOT t.created_at <= now() THEN format('created_at: %s, expected the time of the first insert (time_create was NULL)', t.created_at) END,
      CASE WHEN t.key IS NOT NULL AND NOT coalesce(t.updated_at = t.created_at OR (t.updated_at <= now() AND (t.updated_at >= t.created_at OR t.created_at > now())), false)
              THEN format('updated_at: %s, expected created_at (%s) or the time of a later change', coalesce(t.updated_at::text, 'NULL'), t.created_at) END
    ]::text[], NULL) AS cols) d;
  IF v_n > 0 THEN
    RAISE EXCEPTION 'verify: app_config: % of 16 migrated rows missing: %', v_n, v_bad;
  END IF;
  IF v_differ IS NOT NULL THEN
    RAISE EXCEPTION 'verify: app_config: rows differ from what migration.sql wrote: %', v_differ;
  END IF;

  -- categories: every migrated category's parent is present
  SELECT string_agg(c.legacy_id::text, ', ' ORDER BY c.legacy_id) INTO v_bad
    FROM public.categories c
   WHERE c.id IN ('ab7503da-6c74-59a8-800a-d3ae3f4b7f8b'::uuid, 'e5f4d216-0ec5-5d95-bbe1-396a4e37e5b6'::uuid, '6b313920-0130-5bc0-857f-cfc624bce84b'::uuid, '2d25e6ce-f421-57fc-b18d-6ff68cdfce19'::uuid, '4b005a75-d128-5a89-b33f-7727d84bddd8'::uuid, '51069584-da4d-51e5-86a1-f8e8bc672349'::uuid, '11fd5fb1-7a03-5d4a-b4ab-193679958aca'::uuid, 'c495ce24-39e0-5609-83fd-4a1e71c9fd80'::uuid, '2b841afa-f19c-51e4-88c3-3e0a334573da'::uuid, 'b28c44c7-cc90-5315-89f8-cc6e431e2c34'::uuid)
     AND c.parent_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM public.categories p WHERE p.id = c.parent_id);
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: categories: the parents of legacy ids % are missing', v_bad;
  END IF;
  -- categories: rows per level of the hierarchy
  WITH RECURSIVE tree AS (
    SELECT id, 0 AS depth FROM public.categories WHERE id IN ('ab7503da-6c74-59a8-800a-d3ae3f4b7f8b'::uuid, 'e5f4d216-0ec5-5d95-bbe1-396a4e37e5b6'::uuid, '6b313920-0130-5bc0-857f-cfc624bce84b'::uuid, '2d25e6ce-f421-57fc-b18d-6ff68cdfce19'::uuid, '4b005a75-d128-5a89-b33f-7727d84bddd8'::uuid, '51069584-da4d-51e5-86a1-f8e8bc672349'::uuid, '11fd5fb1-7a03-5d4a-b4ab-193679958aca'::uuid, 'c495ce24-39e0-5609-83fd-4a1e71c9fd80'::uuid, '2b841afa-f19c-51e4-88c3-3e0a334573da'::uuid, 'b28c44c7-cc90-5315-89f8-cc6e431e2c34'::uuid) AND parent_id IS NULL
    UNION ALL
    SELECT c.id, tree.depth + 1 FROM public.categories c JOIN tree ON c.parent_id = tree.id WHERE c.id IN ('ab7503da-6c74-59a8-800a-d3ae3f4b7f8b'::uuid, 'e5f4d216-0ec5-5d95-bbe1-396a4e37e5b6'::uuid, '6b313920-0130-5bc0-857f-cfc624bce84b'::uuid, '2d25e6ce-f421-57fc-b18d-6ff68cdfce19'::uuid, '4b005a75-d128-5a89-b33f-7727d84bddd8'::uuid, '51069584-da4d-51e5-86a1-f8e8bc672349'::uuid, '11fd5fb1-7a03-5d4a-b4ab-193679958aca'::uuid, 'c495ce24-39e0-5609-83fd-4a1e71c9fd80'::uuid, '2b841afa-f19c-51e4-88c3-3e0a334573da'::uuid, 'b28c44c7-cc90-5315-89f8-cc6e431e2c34'::uuid)
  )
  SELECT string_agg(format('depth %s: %s', depth, n), ', ' ORDER BY depth) INTO v_bad
    FROM (SELECT depth, count(*) AS n FROM tree GROUP BY depth) s;
  IF v_bad IS DISTINCT FROM 'depth 0: 3, depth 1: 3, depth 2: 3, depth 3: 1' THEN
    RAISE EXCEPTION 'verify: categories: rows per level are (%), expected (depth 0: 3, depth 1: 3, depth 2: 3, depth 3: 1)', coalesce(v_bad, 'none');
  END IF;

  -- the default coach is present and points to a migrated coach
  SELECT value INTO v_json FROM public.app_config WHERE key = 'default_coach';
  IF v_json IS NULL THEN
    RAISE EXCEPTION 'verify: app_config: the default_coach key is missing';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.coaches WHERE id = (v_json->>'default_coach_id')::uuid AND legacy_id = (v_json->>'legacy_id')::int) THEN
    RAISE EXCEPTION 'verify: app_config: default_coach points to %, which is not a migrated coach', v_json;
  END IF;
  IF (v_json->>'default_coach_id')::uuid IS DISTINCT FROM 'c97234c2-d048-5131-a21e-70a3d40e81ed'::uuid THEN
    RAISE EXCEPTION 'verify: app_config: default_coach is %, expected legacy id 1', v_json;
  END IF;

  -- app_config: rows per key prefix
  SELECT count(*) INTO v_n FROM public.app_config WHERE key IN ('default_coach', 'prompt_checkin_intro', 'prompt_emoji test', 'prompt_summary', 'system_limits', 'system_maintenance', 'system_motd', 'system_version', 'var_big_int', 'var_empty', 'var_enabled', 'var_feature_flags', 'var_max_checkins_per_day', 'var_pi_exact', 'var_unset', 'var_welcome_text') AND starts_with(key, 'prompt_');
  IF v_n <> 3 THEN
    RAISE EXCEPTION 'verify: app_config: % rows with prefix prompt_, expected 3', v_n;
  END IF;
  SELECT count(*) INTO v_n FROM public.app_config WHERE key IN ('default_coach', 'prompt_checkin_intro', 'prompt_emoji test', 'prompt_summary', 'system_limits', 'system_maintenance', 'system_motd', 'system_version', 'var_big_int', 'var_empty', 'var_enabled', 'var_feature_flags', 'var_max_checkins_per_day', 'var_pi_exact', 'var_unset', 'var_welcome_text') AND starts_with(key, 'var_');
  IF v_n <> 8 THEN
    RAISE EXCEPTION 'verify: app_config: % rows with prefix var_, expected 8', v_n;
  END IF;
  SELECT count(*) INTO v_n FROM public.app_config WHERE key IN ('default_coach', 'prompt_checkin_intro', 'prompt_emoji test', 'prompt_summary', 'system_limits', 'system_maintenance', 'system_motd', 'system_version', 'var_big_int', 'var_empty', 'var_enabled', 'var_feature_flags', 'var_max_checkins_per_day', 'var_pi_exact', 'var_unset', 'var_welcome_text') AND starts_with(key, 'system_');
  IF v_n <> 4 THEN
    RAISE EXCEPTION 'verify: app_config: % rows with prefix system_, expected 4', v_n;
  END IF;
  SELECT count(*) INTO v_n FROM public.app_config WHERE key IN ('default_coach', 'prompt_checkin_intro', 'prompt_emoji test', 'prompt_summary', 'system_limits', 'system_maintenance', 'system_motd', 'system_version', 'var_big_int', 'var_empty', 'var_enabled', 'var_feature_flags', 'var_max_checkins_per_day', 'var_pi_exact', 'var_unset', 'var_welcome_text') AND key = 'default_coach';
  IF v_n <> 1 THEN
    RAISE EXCEPTION 'verify: app_config: % rows with prefix default_coach, expected 1', v_n;
  END IF;

  RAISE NOTICE 'verify: all checks passed';
END
$verify$;
ROLLBACK;
