#!/usr/bin/env bash
# Regenerates the sample dumps with the real pg_dump 15, from a scratch legacy database built out of
# samples/source/ (the legacy DDL, the seed data and the images script). The output is the same byte for
# byte on every run, apart from the random \restrict key pg_dump 15.14+ writes.
#
# Needs: PostgreSQL 15 client tools (pg_dump, psql), a server reachable through DATABASE_URL with a superuser
# role (it creates a database, and loads the seed with session_replication_role = replica so that the one
# broken reference the seed keeps on purpose gets past the legacy schema's foreign keys), node, and Debian's libjpeg-turbo-progs and webp (cjpeg, cwebp).
# Usage: DATABASE_URL=postgres://user:pass@127.0.0.1:5432/postgres samples/make-samples.sh
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to a server and a role that may create databases}"
here=$(cd "$(dirname "$0")" && pwd)
pg_dump --version | grep -q ' 15\.' || { echo "pg_dump 15 is required (production is PostgreSQL 15): $(pg_dump --version)" >&2; exit 1; }

db=totalis_samples_build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
url=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.href)' "$DATABASE_URL" "$db")

psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
node "$here/source/make-images.mjs" "$tmp"
psql "$url" -v ON_ERROR_STOP=1 -q -f "$here/source/legacy-schema.sql" >/dev/null
PGOPTIONS='-c session_replication_role=replica' psql "$url" -v ON_ERROR_STOP=1 -q -1 -f "$here/source/seed.sql" -f "$tmp/images.sql" >/dev/null

# The production export commands (see shared/spec/mapping.md); --no-owner keeps role names out.
dump() { pg_dump --no-owner --no-privileges "$@" "$url"; }
data_dumps() { # $1: folder, $2...: extra pg_dump options
  local dir=$1; shift
  mkdir -p "$dir"
  dump --data-only "$@" -t public.tls_coach -t public.tls_image > "$dir/coaches_with_images.sql"
  dump --data-only "$@" -t public.tls_category > "$dir/categories.sql"
  dump --data-only "$@" -t public.tls_prompt -t public.tls_variable -t public.tls_system > "$dir/config_data.sql"
  dump --schema-only > "$dir/totalis_schema.sql"
}

data_dumps "$here"
# The same data in the INSERT forms: plain --inserts, --column-inserts, and --rows-per-insert.
mkdir -p "$here/inserts"
dump --data-only --inserts -t public.tls_coach -t public.tls_image > "$here/inserts/coaches_with_images.sql"
dump --data-only --column-inserts -t public.tls_category > "$here/inserts/categories.sql"
dump --data-only --rows-per-insert=3 -t public.tls_prompt -t public.tls_variable -t public.tls_system > "$here/inserts/config_data.sql"
cp "$here/totalis_schema.sql" "$here/inserts/totalis_schema.sql"
# The COPY form gzipped (-n: no name or time stamp in the header, so the bytes are reproducible).
mkdir -p "$here/gzip"
for f in coaches_with_images categories config_data totalis_schema; do gzip -n -9 -c "$here/$f.sql" > "$here/gzip/$f.sql.gz"; done
# gzip the INSERT variant too: the samples stay small.
for f in "$here"/inserts/*.sql; do gzip -n -9 -f "$f"; done

ls -l "$here"/*.sql "$here"/inserts "$here"/gzip
