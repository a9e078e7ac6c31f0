-- The legacy Totalis schema as production has it (PostgreSQL 15), per shared/spec/mapping.md, with its foreign
-- keys: they make pg_dump --data-only write tls_image before tls_coach (and before tls_category), as it does
-- for production. The seed breaks one reference on purpose (tls_coach#6.image_id -> 99), as old production
-- data can; make-samples.sh loads it with session_replication_role = replica, which skips the key checks.
CREATE TABLE tls_image (
  id serial PRIMARY KEY,
  extension text,
  data bytea,
  user_id integer,
  time_create timestamp without time zone
);
CREATE TABLE tls_coach (
  id serial PRIMARY KEY,
  name text,
  description text,
  image_id integer REFERENCES tls_image(id),
  image30_id integer REFERENCES tls_image(id),
  image45_id integer REFERENCES tls_image(id),
  image60_id integer REFERENCES tls_image(id),
  sex text,
  intro text,
  prompt text,
  time_create timestamp without time zone
);
CREATE TABLE tls_category (
  id serial PRIMARY KEY,
  parent_id integer REFERENCES tls_category(id),
  name text,
  name_short text,
  description text,
  icon_id integer REFERENCES tls_image(id),
  icon_id_secondary integer REFERENCES tls_image(id),
  sort_order integer,
  primary_color text,
  secondary_color text,
  show_checkin_history boolean,
  checkin_enabled boolean,
  followup_chat_enabled boolean,
  followup_timer integer,
  prompt_checkin text,
  prompt_checkin_2 text,
  guidelines_file_text text,
  max_questions integer,
  scope text,
  time_create timestamp without time zone
);
CREATE TABLE tls_prompt (
  id serial PRIMARY KEY,
  name text,
  prompt text,
  time_create timestamp without time zone
);
CREATE TABLE tls_variable (
  id serial PRIMARY KEY,
  name text,
  value text,
  "user" boolean,
  time_create timestamp without time zone
);
CREATE TABLE tls_system (
  id serial PRIMARY KEY,
  name text,
  value text,
  time_create timestamp without time zone
);
