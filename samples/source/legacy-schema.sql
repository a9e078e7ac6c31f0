-- The legacy Totalis schema as production has it (PostgreSQL 15), per shared/spec/mapping.md.
-- No foreign keys: production does not guarantee its references, and neither do we.
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
  image_id integer,
  image30_id integer,
  image45_id integer,
  image60_id integer,
  sex text,
  intro text,
  prompt text,
  time_create timestamp without time zone
);
CREATE TABLE tls_category (
  id serial PRIMARY KEY,
  parent_id integer,
  name text,
  name_short text,
  description text,
  icon_id integer,
  icon_id_secondary integer,
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
