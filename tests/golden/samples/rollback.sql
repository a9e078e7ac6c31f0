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
-- Apply: psql -v ON_ERROR_STOP=1 -f rollback.sql (one transaction).

BEGIN;
SET LOCAL standard_conforming_strings = on;

DELETE FROM public.app_config WHERE key IN (
  'default_coach',
  'prompt_checkin_intro',
  'prompt_emoji test',
  'prompt_summary',
  'system_limits',
  'system_maintenance',
  'system_motd',
  'system_version',
  'var_big_int',
  'var_empty',
  'var_enabled',
  'var_feature_flags',
  'var_max_checkins_per_day',
  'var_pi_exact',
  'var_unset',
  'var_welcome_text'
);

-- categories at depth 3
DELETE FROM public.categories WHERE id IN (
  '4b005a75-d128-5a89-b33f-7727d84bddd8'::uuid
);

-- categories at depth 2
DELETE FROM public.categories WHERE id IN (
  '2d25e6ce-f421-57fc-b18d-6ff68cdfce19'::uuid,
  '51069584-da4d-51e5-86a1-f8e8bc672349'::uuid,
  '2b841afa-f19c-51e4-88c3-3e0a334573da'::uuid
);

-- categories at depth 1
DELETE FROM public.categories WHERE id IN (
  '6b313920-0130-5bc0-857f-cfc624bce84b'::uuid,
  'c495ce24-39e0-5609-83fd-4a1e71c9fd80'::uuid,
  'b28c44c7-cc90-5315-89f8-cc6e431e2c34'::uuid
);

-- categories at depth 0
DELETE FROM public.categories WHERE id IN (
  'ab7503da-6c74-59a8-800a-d3ae3f4b7f8b'::uuid,
  'e5f4d216-0ec5-5d95-bbe1-396a4e37e5b6'::uuid,
  '11fd5fb1-7a03-5d4a-b4ab-193679958aca'::uuid
);

DELETE FROM public.coaches WHERE id IN (
  'c97234c2-d048-5131-a21e-70a3d40e81ed'::uuid,
  'a1eb0a9d-db1b-524f-924c-3fa0b37a8a29'::uuid,
  'bad45b37-514c-53fb-a083-cfc4afa73669'::uuid,
  '1066ad8c-b8a5-5d87-9f1d-6566265ce005'::uuid,
  'd703c4ee-c714-5aca-8a2e-a5fbe28e3ab6'::uuid,
  '9584dbc8-128e-5ee3-93c6-2fee9277c1ff'::uuid
);

COMMIT;
