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

BEGIN;
SET LOCAL standard_conforming_strings = on;
-- what this run writes: the rows of the ledger it will own
CREATE TEMPORARY TABLE totalis_run_keys (tbl text NOT NULL, key text NOT NULL, PRIMARY KEY (tbl, key)) ON COMMIT DROP;
INSERT INTO totalis_run_keys (tbl, key) VALUES
  ('coaches', 'c97234c2-d048-5131-a21e-70a3d40e81ed'),
  ('coaches', 'a1eb0a9d-db1b-524f-924c-3fa0b37a8a29'),
  ('coaches', 'bad45b37-514c-53fb-a083-cfc4afa73669'),
  ('coaches', '1066ad8c-b8a5-5d87-9f1d-6566265ce005'),
  ('coaches', 'd703c4ee-c714-5aca-8a2e-a5fbe28e3ab6'),
  ('coaches', '9584dbc8-128e-5ee3-93c6-2fee9277c1ff'),
  ('categories', 'ab7503da-6c74-59a8-800a-d3ae3f4b7f8b'),
  ('categories', 'e5f4d216-0ec5-5d95-bbe1-396a4e37e5b6'),
  ('categories', '6b313920-0130-5bc0-857f-cfc624bce84b'),
  ('categories', '2d25e6ce-f421-57fc-b18d-6ff68cdfce19'),
  ('categories', '4b005a75-d128-5a89-b33f-7727d84bddd8'),
  ('categories', '51069584-da4d-51e5-86a1-f8e8bc672349'),
  ('categories', '11fd5fb1-7a03-5d4a-b4ab-193679958aca'),
  ('categories', 'c495ce24-39e0-5609-83fd-4a1e71c9fd80'),
  ('categories', '2b841afa-f19c-51e4-88c3-3e0a334573da'),
  ('categories', 'b28c44c7-cc90-5315-89f8-cc6e431e2c34'),
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
    SELECT 'app_config ' || t.key AS x FROM public.app_config t JOIN totalis_migrate.owned o ON o.tbl = 'app_config' AND o.key = t.key::text
     WHERE NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = o.tbl AND n.key = o.key)
  ) s;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: rows of the migration whose legacy source is gone are still there: %', v_bad;
  END IF;

  -- coaches: every migrated row present, every column as written
  SELECT string_agg(v.label, ', ' ORDER BY v.label) FILTER (WHERE t.id IS NULL),
         count(*) FILTER (WHERE t.id IS NULL),
         string_agg(format('%s (%s)', v.label, array_to_string(d.cols, ', ')), '; ' ORDER BY v.label) FILTER (WHERE t.id IS NOT NULL AND cardinality(d.cols) > 0)
    INTO v_bad, v_n, v_differ
    FROM (VALUES
      ('coach legacy id 1'::text, 'c97234c2-d048-5131-a21e-70a3d40e81ed'::uuid::uuid, 1::integer, '262031397020fd8df478ec13b4b096c5'::text, 'bf395f8479a7ab5333b2a267ac85e9de'::text, 'ae1fe92297f7e810740fa96909758f88'::text, 'af9669103bd94b0a92abfb8ff81459ed'::text, '07cf4f8f5d8b76282917320715dda2ad'::text, 1985::integer, '9ff61bbc76ba2a153723fb7e9d0ab43b'::text, 'aa31dd9da954d205a67926efd35954d2'::text, '637420ad786c5f1e08ae4894283cd4ed'::text, '32a1136119e4034c99f0bdbdf9c23603'::text, '1a5f76d143c51bd798c6436624455f16'::text, '{}'::jsonb::jsonb, true::boolean, '2023-03-14 09:26:53.589793+00:00'::timestamptz::timestamptz),
      ('coach legacy id 2'::text, 'a1eb0a9d-db1b-524f-924c-3fa0b37a8a29'::uuid, 2, '1cf308e113e99be303b3309b50ce48d7', 'deb78cf63347334f24f21e04bae3582d', '6a0e773c178674b240c7ffdbb297e1a3', '212ea05ab52e9c0245666a57df28520e', '273b9ae535de53399c86a9b83148a8ed', 1988, '376d04acce01b6f4d4d00ddea395e913', NULL, NULL, NULL, 'd075c735e83e026c92646e1e3e750376', '{}'::jsonb, true, '2022-11-02 18:00:00+00:00'::timestamptz),
      ('coach legacy id 3'::text, 'bad45b37-514c-53fb-a083-cfc4afa73669'::uuid, 3, '0d3333110d4dc22be2e1599749b96352', '1ec73f3c516db32143c313b8b085f6ff', '6505a857b6b612e003f9de96b70ae126', '0f654c086d262dc2532816e0a707dfbc', '58317f6790956ff3193fce2128fc4388', 1980, NULL, NULL, NULL, NULL, 'bee274ee0d5e7045da54037b4883468c', '{}'::jsonb, true, '2021-06-30 23:59:59.999999+00:00'::timestamptz),
      ('coach legacy id 4'::text, '1066ad8c-b8a5-5d87-9f1d-6566265ce005'::uuid, 4, 'ba0e0cde1bf72c28d435c89a66afc61a', 'd41d8cd98f00b204e9800998ecf8427e', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '9e852bf34c4a2e936d36272c06178795', '{}'::jsonb, true, NULL),
      ('coach legacy id 5'::text, 'd703c4ee-c714-5aca-8a2e-a5fbe28e3ab6'::uuid, 5, '005abddb2710f19ac822ff3846e5da3c', 'f1d7c1ae9c08794f4b7f66e7ef5493b7', '9b622ac55466aa35ecccf5df0df24326', '5573ca57d090a220fa4a287724cef8cd', '795f3202b17cb6bc3d4b771d8c6c9eaf', 1979, NULL, NULL, NULL, NULL, 'feb18651be9401e57ee754631dbfa7bf', '{}'::jsonb, true, '2020-02-29 12:00:00.000001+00:00'::timestamptz),
      ('coach legacy id 6'::text, '9584dbc8-128e-5ee3-93c6-2fee9277c1ff'::uuid, 6, '7ec44f24714119d6ff75b6d71e6016c1', NULL, 'ee84eb485ab8b00773c8b81d36365d85', 'd41d8cd98f00b204e9800998ecf8427e', '795f3202b17cb6bc3d4b771d8c6c9eaf', NULL, NULL, NULL, NULL, NULL, 'ea447c566360fd1f40402eac077dba2e', '{}'::jsonb, true, '2019-01-01 00:00:00+00:00'::timestamptz)
    ) AS v(label, id, legacy_id, name, description, intro, prompt, sex, year_of_birth, photo_url, photo_30_url, photo_45_url, photo_60_url, voice_id, voice_settings, is_active, created_at)
    LEFT JOIN public.coaches t ON t.id = v.id
    CROSS JOIN LATERAL (SELECT array_remove(ARRAY[
      CASE WHEN t.legacy_id IS DISTINCT FROM v.legacy_id THEN 'legacy_id' END,
      CASE WHEN md5(t.name) IS DISTINCT FROM v.name THEN 'name' END,
      CASE WHEN md5(t.description) IS DISTINCT FROM v.description THEN 'description' END,
      CASE WHEN md5(t.intro) IS DISTINCT FROM v.intro THEN 'intro' END,
      CASE WHEN md5(t.prompt) IS DISTINCT FROM v.prompt THEN 'prompt' END,
      CASE WHEN md5(t.sex) IS DISTINCT FROM v.sex THEN 'sex' END,
      CASE WHEN t.year_of_birth IS DISTINCT FROM v.year_of_birth THEN 'year_of_birth' END,
      CASE WHEN md5(t.photo_url) IS DISTINCT FROM v.photo_url THEN 'photo_url' END,
      CASE WHEN md5(t.photo_30_url) IS DISTINCT FROM v.photo_30_url THEN 'photo_30_url' END,
      CASE WHEN md5(t.photo_45_url) IS DISTINCT FROM v.photo_45_url THEN 'photo_45_url' END,
      CASE WHEN md5(t.photo_60_url) IS DISTINCT FROM v.photo_60_url THEN 'photo_60_url' END,
      CASE WHEN md5(t.voice_id) IS DISTINCT FROM v.voice_id THEN 'voice_id' END,
      CASE WHEN t.voice_settings IS DISTINCT FROM v.voice_settings THEN 'voice_settings' END,
      CASE WHEN t.is_active IS DISTINCT FROM v.is_active THEN 'is_active' END,
      CASE WHEN v.created_at IS NOT NULL AND t.created_at IS DISTINCT FROM v.created_at THEN 'created_at' END
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
      ('category legacy id 30'::text, 'ab7503da-6c74-59a8-800a-d3ae3f4b7f8b'::uuid::uuid, 30::integer, NULL::uuid, 'ea96be9e75d8d3d690aedae5040edf2f'::text, '78386ec8f2845742c324a3d7d3e800ff'::text, NULL::text, NULL::text, NULL::text, 0::integer, NULL::text, NULL::text, false::boolean, true::boolean, false::boolean, NULL::integer, NULL::text, NULL::text, '90a471550bad859dccf4c2bcac9c0e4b'::text, NULL::integer, NULL::text, true::boolean, '2022-03-01 00:00:00+00:00'::timestamptz::timestamptz),
      ('category legacy id 10'::text, 'e5f4d216-0ec5-5d95-bbe1-396a4e37e5b6'::uuid, 10, NULL, '605669cab962bf944d99ce89cf9e58d9', '605669cab962bf944d99ce89cf9e58d9', 'd6547218dfff402ec55b6265b1b00e97', '2503b33cd3bf7950c20cf124c8fc14a7', '0ee8bcf23751eb1ef8c68e2a74cac836', 1, 'a9fc186888943f20a54db5d923a6353a', 'eb6313b3ee4258e12f72d956487f36e6', true, true, false, 24, '96ec3c95175ec94356c805502f760e13', NULL, NULL, 5, '555bf8344ca0caf09b42f55e185526d8', true, '2022-01-10 08:00:00+00:00'::timestamptz),
      ('category legacy id 3'::text, '6b313920-0130-5bc0-857f-cfc624bce84b'::uuid, 3, 'e5f4d216-0ec5-5d95-bbe1-396a4e37e5b6'::uuid, '243924bfd56a682be235638b53961e09', '243924bfd56a682be235638b53961e09', 'd4002355d6598fbaaae0aa248d60fa84', '2917a431af2ef4fd66d2d833993ccee9', NULL, 1, '33ca5d6b62b992988dc6aa5b0d78b9fa', NULL, false, true, true, 12, '6adb55e9d01c6acca3439826b2504627', '0ad52bcc3cd24aa21cd47ba433134192', NULL, 3, '9e358d3cacccb4e687aeb9c6fda8c61d', true, '2022-01-10 08:05:00.5+00:00'::timestamptz),
      ('category legacy id 7'::text, '2d25e6ce-f421-57fc-b18d-6ff68cdfce19'::uuid, 7, '6b313920-0130-5bc0-857f-cfc624bce84b'::uuid, '866d815adb055e7d4ed23ac402b221f1', NULL, NULL, NULL, NULL, 2, NULL, NULL, false, true, false, NULL, NULL, NULL, NULL, NULL, NULL, true, '2022-01-11 09:00:00+00:00'::timestamptz),
      ('category legacy id 1'::text, '4b005a75-d128-5a89-b33f-7727d84bddd8'::uuid, 1, '2d25e6ce-f421-57fc-b18d-6ff68cdfce19'::uuid, '7a4ed075a0990021974fdda315fa71dc', 'd36de7305cf2441b4563ce293bc5789c', '54ec10597407742fd00cfeae2a609857', NULL, NULL, 0, NULL, NULL, false, false, false, NULL, NULL, NULL, NULL, NULL, NULL, true, NULL),
      ('category legacy id 12'::text, '51069584-da4d-51e5-86a1-f8e8bc672349'::uuid, 12, '6b313920-0130-5bc0-857f-cfc624bce84b'::uuid, '6292f7b782ebc38da23246336fd64e60', '6292f7b782ebc38da23246336fd64e60', 'd41d8cd98f00b204e9800998ecf8427e', NULL, NULL, 5, 'd41d8cd98f00b204e9800998ecf8427e', 'd41d8cd98f00b204e9800998ecf8427e', true, true, false, 0, 'd41d8cd98f00b204e9800998ecf8427e', 'd41d8cd98f00b204e9800998ecf8427e', 'd41d8cd98f00b204e9800998ecf8427e', 0, 'd41d8cd98f00b204e9800998ecf8427e', true, '2022-01-12 10:00:00+00:00'::timestamptz),
      ('category legacy id 20'::text, '11fd5fb1-7a03-5d4a-b4ab-193679958aca'::uuid, 20, NULL, 'd721fbb8eedd948e422f3710f72a3a69', 'd721fbb8eedd948e422f3710f72a3a69', '77d546876fe280cb54865d8a8c7a1918', '60b42e12609ed3887d7a81a1b9e8c72b', NULL, 2, 'c55dcf47fadc81131487677e96e8194e', '7a7c2f5781188c0f4991774793a1dbfb', true, true, true, 48, '31462d2094177c43f6f3ab398bac60c5', NULL, NULL, 4, 'ca4152fe6cdd26b77be8fde30204524d', true, '2022-02-01 00:00:00+00:00'::timestamptz),
      ('category legacy id 15'::text, 'c495ce24-39e0-5609-83fd-4a1e71c9fd80'::uuid, 15, '11fd5fb1-7a03-5d4a-b4ab-193679958aca'::uuid, '43e350618ec951e034f0981cbb36d038', '43e350618ec951e034f0981cbb36d038', 'e89db6e985ffe3fb3441b75653ec892c', NULL, NULL, 1, NULL, NULL, false, true, false, NULL, NULL, NULL, NULL, NULL, NULL, true, '2022-02-02 00:00:00+00:00'::timestamptz),
      ('category legacy id 2'::text, '2b841afa-f19c-51e4-88c3-3e0a334573da'::uuid, 2, 'c495ce24-39e0-5609-83fd-4a1e71c9fd80'::uuid, '8d7ac1a8d5f6a5dc30a860418442a87f', NULL, '6cf1d913fa80fc2d5d693a8030a8dcc9', NULL, NULL, (-1), NULL, NULL, false, true, false, NULL, NULL, NULL, NULL, NULL, NULL, true, '2022-02-04 00:00:00+00:00'::timestamptz),
      ('category legacy id 16'::text, 'b28c44c7-cc90-5315-89f8-cc6e431e2c34'::uuid, 16, '11fd5fb1-7a03-5d4a-b4ab-193679958aca'::uuid, 'e24ee2487879116dcab772c0ac4fe341', 'e24ee2487879116dcab772c0ac4fe341', NULL, NULL, NULL, 1, NULL, NULL, false, true, false, NULL, NULL, NULL, NULL, NULL, NULL, true, '2022-02-03 00:00:00+00:00'::timestamptz)
    ) AS v(label, id, legacy_id, parent_id, name, name_short, description, icon_url, icon_secondary_url, sort_order, primary_color, secondary_color, show_checkin_history, checkin_enabled, followup_chat_enabled, followup_timer, prompt_checkin, prompt_checkin_2, guidelines_file_text, max_questions, scope, is_active, created_at)
    LEFT JOIN public.categories t ON t.id = v.id
    CROSS JOIN LATERAL (SELECT array_remove(ARRAY[
      CASE WHEN t.legacy_id IS DISTINCT FROM v.legacy_id THEN 'legacy_id' END,
      CASE WHEN t.parent_id IS DISTINCT FROM v.parent_id THEN 'parent_id' END,
      CASE WHEN md5(t.name) IS DISTINCT FROM v.name THEN 'name' END,
      CASE WHEN md5(t.name_short) IS DISTINCT FROM v.name_short THEN 'name_short' END,
      CASE WHEN md5(t.description) IS DISTINCT FROM v.description THEN 'description' END,
      CASE WHEN md5(t.icon_url) IS DISTINCT FROM v.icon_url THEN 'icon_url' END,
      CASE WHEN md5(t.icon_secondary_url) IS DISTINCT FROM v.icon_secondary_url THEN 'icon_secondary_url' END,
      CASE WHEN t.sort_order IS DISTINCT FROM v.sort_order THEN 'sort_order' END,
      CASE WHEN md5(t.primary_color) IS DISTINCT FROM v.primary_color THEN 'primary_color' END,
      CASE WHEN md5(t.secondary_color) IS DISTINCT FROM v.secondary_color THEN 'secondary_color' END,
      CASE WHEN t.show_checkin_history IS DISTINCT FROM v.show_checkin_history THEN 'show_checkin_history' END,
      CASE WHEN t.checkin_enabled IS DISTINCT FROM v.checkin_enabled THEN 'checkin_enabled' END,
      CASE WHEN t.followup_chat_enabled IS DISTINCT FROM v.followup_chat_enabled THEN 'followup_chat_enabled' END,
      CASE WHEN t.followup_timer IS DISTINCT FROM v.followup_timer THEN 'followup_timer' END,
      CASE WHEN md5(t.prompt_checkin) IS DISTINCT FROM v.prompt_checkin THEN 'prompt_checkin' END,
      CASE WHEN md5(t.prompt_checkin_2) IS DISTINCT FROM v.prompt_checkin_2 THEN 'prompt_checkin_2' END,
      CASE WHEN md5(t.guidelines_file_text) IS DISTINCT FROM v.guidelines_file_text THEN 'guidelines_file_text' END,
      CASE WHEN t.max_questions IS DISTINCT FROM v.max_questions THEN 'max_questions' END,
      CASE WHEN md5(t.scope) IS DISTINCT FROM v.scope THEN 'scope' END,
      CASE WHEN t.is_active IS DISTINCT FROM v.is_active THEN 'is_active' END,
      CASE WHEN v.created_at IS NOT NULL AND t.created_at IS DISTINCT FROM v.created_at THEN 'created_at' END
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
      ('key default_coach'::text, 'default_coach'::text, '{"default_coach_id":"c97234c2-d048-5131-a21e-70a3d40e81ed","legacy_id":1,"name":"Daniel"}'::jsonb::jsonb, '023f0624a27886976073e86cfc1b7062'::text, false::boolean, NULL::timestamptz),
      ('key prompt_checkin_intro'::text, 'prompt_checkin_intro', '"Welcome back!\nLet''s check in.\n\n- How do you feel?\n- What changed?"'::jsonb, 'beb05e3bdbf57c14e951d2ad603e0fbf', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key prompt_emoji test'::text, 'prompt_emoji test', '"🙂 ✨ 日本語"'::jsonb, 'e2cc408048d500b4349fbb9410e28a52', false, NULL),
      ('key prompt_summary'::text, 'prompt_summary', '"Summarise the conversation in 3 bullet points.\r\nUse the user''s language."'::jsonb, '9c91074ca160f891bfb362cd9753daaf', false, '2023-01-02 00:00:00+00:00'::timestamptz),
      ('key system_limits'::text, 'system_limits', '[1,2,3.50]'::jsonb, '11469e4b10113cef1ca47118e7c7e367', false, '2023-05-05 05:05:05+00:00'::timestamptz),
      ('key system_maintenance'::text, 'system_maintenance', 'false'::jsonb, '128ce9fe89d9d83535763739e592fa02', false, '2023-05-05 05:05:05+00:00'::timestamptz),
      ('key system_motd'::text, 'system_motd', '"Line one\nLine two with \\N and \\."'::jsonb, '12988e019edeed724d12b630027b0d0a', false, '2023-05-05 05:05:05+00:00'::timestamptz),
      ('key system_version'::text, 'system_version', '"2.7.1"'::jsonb, '24b08741b02178404d2d84b601da96c6', false, '2023-05-05 05:05:05+00:00'::timestamptz),
      ('key var_big_int'::text, 'var_big_int', '12345678901234567890123'::jsonb, '0b0f0c57d6205a3d6534d29f21c9c793', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_empty'::text, 'var_empty', '""'::jsonb, 'c64dbeeb0807590fc72d39c5f0851b98', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_enabled'::text, 'var_enabled', 'true'::jsonb, '18ec602a57cb9b0223bb7e18ce7c3e3e', true, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_feature_flags'::text, 'var_feature_flags', '{"voice":true,"beta":["a","b"]}'::jsonb, '21153b9dcc2f0ecab6782fdf8e502ce0', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_max_checkins_per_day'::text, 'var_max_checkins_per_day', '3'::jsonb, '0c85a0c30f0e44958f8d2cf4938e9b38', true, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_pi_exact'::text, 'var_pi_exact', '3.14159265358979323846264338327950288419716939937510'::jsonb, '61e18eca5944c11203462d4f7cb2d556', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_unset'::text, 'var_unset', 'null'::jsonb, 'aebcb23f1c42be37895c00632bc8fa6f', false, '2023-01-01 00:00:00+00:00'::timestamptz),
      ('key var_welcome_text'::text, 'var_welcome_text', '"Hello,\tfriend!\n"'::jsonb, '9e730bc313b38794fcb9c452037e875c', true, '2023-01-01 00:00:00+00:00'::timestamptz)
    ) AS v(label, key, value, description, is_public, created_at)
    LEFT JOIN public.app_config t ON t.key = v.key
    CROSS JOIN LATERAL (SELECT array_remove(ARRAY[
      CASE WHEN t.value IS DISTINCT FROM v.value THEN 'value' END,
      CASE WHEN md5(t.description) IS DISTINCT FROM v.description THEN 'description' END,
      CASE WHEN t.is_public IS DISTINCT FROM v.is_public THEN 'is_public' END,
      CASE WHEN v.created_at IS NOT NULL AND t.created_at IS DISTINCT FROM v.created_at THEN 'created_at' END
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
