#!/usr/bin/env bash
# From nothing to a running production SafePath on this machine, exactly as docs/deploy.md says,
# then a smoke test. Everything it makes lives in one temporary folder and one PostgreSQL
# database (and two roles) of its own, removed at the end.
#
#   deploy/smoke.sh                      # a fresh virtual environment from requirements/base.lock
#   SMOKE_VENV=.venv deploy/smoke.sh     # reuse an installed environment (the test suite does)
#
# Settings (environment):
#   SMOKE_PG        PostgreSQL superuser URL, default postgres://postgres@127.0.0.1:5432
#   SMOKE_DATABASE  database name, default safepath_smoke (roles: <name>_owner, <name>_app)
#   SMOKE_KEEP=1    keep the folder, database and roles for a look afterwards
#   SMOKE_TLS=gunicorn  use gunicorn's own TLS even when nginx is installed
#
# Steps: install; secret key and keyring; database, two roles and grants (section 4); migrate as
# the owner; collectstatic; `check --deploy`; agency and users; gunicorn on a loopback port;
# the worker and the scheduler; TLS in front (nginx with the config of section 7 when nginx is
# installed, else gunicorn's own TLS), with a certificate made here; then over HTTPS: /healthz,
# the HTTP-to-HTTPS redirect, a sign-in through the form, an API token and an API call; the
# worker running the scheduled tasks; the audit trail and the keys. Exit 0 only if all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PG=${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}
DB=${SMOKE_DATABASE:-safepath_smoke}
[[ $DB =~ ^[a-z_][a-z0-9_]{0,40}$ ]] || { echo "SMOKE_DATABASE: lower-case letters, digits, _"; exit 2; }
OWNER=${DB}_owner
APP=${DB}_app
WORK=$(mktemp -d "${TMPDIR:-/tmp}/safepath-smoke.XXXXXX")
PIDS=()

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'SMOKE FAILED: %s\n' "$*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
psql_admin() { psql "$PG/postgres" -v ON_ERROR_STOP=1 -qtA "$@"; }

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && echo "still running: $pid"; done
  if [[ ${SMOKE_KEEP:-} == 1 ]]; then
    echo "kept: $WORK, database $DB, roles $OWNER and $APP"
  else
    psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    psql_admin -c "DROP ROLE IF EXISTS $APP" -c "DROP ROLE IF EXISTS $OWNER" >/dev/null 2>&1 || true
    rm -rf "$WORK"
  fi
  [[ $status == 0 ]] && echo "SMOKE PASSED" || echo "see the logs above (folder: $WORK)"
}
trap cleanup EXIT

# --- 1. install (docs/deploy.md section 5) ------------------------------------------------------
step "install"
if [[ -n ${SMOKE_VENV:-} ]]; then
  VENV=$(cd "$SMOKE_VENV" && pwd)
else
  VENV=$WORK/venv
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --require-hashes -r requirements/tools.lock
  "$VENV/bin/pip" install --quiet --require-hashes -r requirements/base.lock
  "$VENV/bin/pip" install --quiet --no-deps "$ROOT"
fi
SP=$VENV/bin/safepath

# --- 2. secrets (section 3) ----------------------------------------------------------------------
step "secret key and keyring"
mkdir -p "$WORK/etc/keyring" "$WORK/data" "$WORK/log"
chmod 700 "$WORK/etc" "$WORK/etc/keyring"
python3 -c "import secrets; print(secrets.token_urlsafe(50))" > "$WORK/etc/secret_key"
env -i PATH="$PATH" "$SP" keys init "$WORK/etc/keyring/keyring.json"

# --- 3. PostgreSQL: database, two roles, grants (section 4) -------------------------------------
step "PostgreSQL database $DB with roles $OWNER (migrations) and $APP (the service)"
OWNER_PW=$(python3 -c "import secrets; print(secrets.token_hex(16))")
APP_PW=$(python3 -c "import secrets; print(secrets.token_hex(16))")
psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP ROLE IF EXISTS $APP" \
  -c "DROP ROLE IF EXISTS $OWNER"
psql_admin -c "CREATE ROLE $OWNER LOGIN PASSWORD '$OWNER_PW'" \
  -c "CREATE ROLE $APP LOGIN PASSWORD '$APP_PW' NOSUPERUSER NOCREATEDB NOCREATEROLE" \
  -c "CREATE DATABASE $DB OWNER $OWNER"
psql "$PG/$DB" -v ON_ERROR_STOP=1 -qtA -c "ALTER SCHEMA public OWNER TO $OWNER" \
  -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC" -c "GRANT USAGE ON SCHEMA public TO $APP"
HOSTPORT=${PG#*@}
OWNER_URL="postgres://$OWNER:$OWNER_PW@$HOSTPORT/$DB"
echo "postgres://$APP:$APP_PW@$HOSTPORT/$DB" > "$WORK/etc/database_url"

cat > "$WORK/etc/env" <<EOF
SAFEPATH_MODE=production
SAFEPATH_DATA_DIR=$WORK/data
SAFEPATH_SECRET_KEY_FILE=$WORK/etc/secret_key
SAFEPATH_KEYRING_FILE=$WORK/etc/keyring/keyring.json
DATABASE_URL_FILE=$WORK/etc/database_url
SAFEPATH_ALLOWED_HOSTS=localhost,127.0.0.1
EOF
chmod 600 "$WORK/etc/env" "$WORK/etc/secret_key" "$WORK/etc/database_url"
# What systemd's EnvironmentFile= does: these variables and nothing else from this shell.
run() { env -i PATH="$PATH" HOME="$WORK" $(cat "$WORK/etc/env") "$@"; }
# A service in the background: the subshell execs it, so the PID kept is the service's own.
spawn() { (exec env -i PATH="$PATH" HOME="$WORK" $(cat "$WORK/etc/env") "$@") & PIDS+=($!); }

step "migrate as the owner, then grant the service role what it needs"
run DATABASE_URL="$OWNER_URL" DATABASE_URL_FILE= "$SP" migrate --no-input -v 0
psql "$OWNER_URL" -v ON_ERROR_STOP=1 -qtA \
  -c "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $APP" \
  -c "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO $APP" \
  -c "ALTER DEFAULT PRIVILEGES FOR ROLE $OWNER IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO $APP" \
  -c "ALTER DEFAULT PRIVILEGES FOR ROLE $OWNER IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO $APP" \
  -c "REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM $APP"
[[ $(psql "$OWNER_URL" -qtA -c "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_auditevent_append_only'") == 1 ]] \
  || fail "the audit table's append-only trigger is missing"

# --- 4. static files, deployment checks, first users (section 5) --------------------------------
step "collectstatic, check --deploy, agency and users"
run "$SP" collectstatic --no-input -v 0
run "$SP" check --deploy --fail-level ERROR
run "$SP" createagency --name "National Referral Mechanism" --code nrm --type national_coordination --country KE
PASSWORD=$(python3 -c "import secrets; print(secrets.token_urlsafe(18))")
run SAFEPATH_NEW_PASSWORD="$PASSWORD" "$SP" createuser admin.smoke --role system_admin
run SAFEPATH_NEW_PASSWORD="$PASSWORD" "$SP" createuser coordinator.smoke --role coordinator --agency nrm

# --- 5. the web service, the worker, the scheduler (section 6) ----------------------------------
step "gunicorn on a loopback port, the worker and the scheduler"
APP_PORT=$(free_port)
spawn "$VENV/bin/gunicorn" safepath.config.wsgi --bind "127.0.0.1:$APP_PORT" --workers 2 \
  --threads 4 --forwarded-allow-ips 127.0.0.1 --access-logfile "$WORK/log/access.log" \
  --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s' >"$WORK/log/gunicorn.log" 2>&1
spawn "$SP" worker >"$WORK/log/worker.log" 2>&1

# --- 6. TLS in front (section 7), with a certificate made here ----------------------------------
step "TLS termination"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/etc/tls.key" -out "$WORK/etc/tls.crt" 2>/dev/null
TLS_PORT=$(free_port)
HTTP_PORT=$(free_port)
if [[ ${SMOKE_TLS:-} != gunicorn ]] && command -v nginx >/dev/null 2>&1; then
  TLS_BY=nginx
  mkdir -p "$WORK/nginx"
  sed -e "s|@APP@|127.0.0.1:$APP_PORT|g" -e "s|@TLS_PORT@|$TLS_PORT|g" -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
    -e "s|@CERT@|$WORK/etc/tls.crt|g" -e "s|@KEY@|$WORK/etc/tls.key|g" -e "s|@WORK@|$WORK/nginx|g" \
    deploy/nginx-smoke.conf > "$WORK/nginx/nginx.conf"
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g "daemon off;" >"$WORK/log/nginx.log" 2>&1 &
  PIDS+=($!)
else
  TLS_BY="gunicorn --certfile"
  spawn "$VENV/bin/gunicorn" safepath.config.wsgi --bind "127.0.0.1:$TLS_PORT" --workers 1 \
    --threads 2 --certfile "$WORK/etc/tls.crt" --keyfile "$WORK/etc/tls.key" \
    >"$WORK/log/gunicorn-tls.log" 2>&1
  HTTP_PORT=$APP_PORT
fi
echo "TLS by $TLS_BY on 127.0.0.1:$TLS_PORT; the application on 127.0.0.1:$APP_PORT"

BASE=https://127.0.0.1:$TLS_PORT
CURL=(curl --silent --show-error --cacert "$WORK/etc/tls.crt" --max-time 30)
for _ in $(seq 1 120); do
  "${CURL[@]}" -o /dev/null "$BASE/healthz" 2>/dev/null && break
  sleep 1
done

# --- 7. the smoke test --------------------------------------------------------------------------
step "smoke test over HTTPS"
health=$("${CURL[@]}" "$BASE/healthz")
echo "healthz: $health"
[[ $health == *'"status": "ok"'* && $health == *'"database": "ok"'* ]] || fail "healthz: $health"

code=$(curl --silent -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/accounts/login/")
echo "plain HTTP: $code"
[[ $code == "301 https://"* ]] || fail "plain HTTP is not redirected to HTTPS: $code"

JAR=$WORK/cookies
login_page=$("${CURL[@]}" -c "$JAR" "$BASE/accounts/login/")
csrf=$(sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' <<<"$login_page" | head -n 1)
[[ -n $csrf ]] || fail "no CSRF token on the sign-in page"
signed=$("${CURL[@]}" -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code} %{redirect_url}' \
  -H "Referer: $BASE/accounts/login/" --data-urlencode "csrfmiddlewaretoken=$csrf" \
  --data-urlencode "username=coordinator.smoke" --data-urlencode "password=$PASSWORD" \
  "$BASE/accounts/login/")
echo "sign-in: $signed"
[[ $signed == 302* ]] || fail "sign-in through the form: $signed"
home=$("${CURL[@]}" -b "$JAR" -o /dev/null -w '%{http_code}' "$BASE/")
[[ $home == 200 ]] || fail "home page after sign-in: $home"
grep -q 'sessionid' "$JAR" || fail "no session cookie"

token=$("${CURL[@]}" -H 'Content-Type: application/json' \
  -d "{\"username\": \"coordinator.smoke\", \"password\": \"$PASSWORD\"}" "$BASE/api/v1/auth/token/" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
me=$("${CURL[@]}" -H "Authorization: Token $token" "$BASE/api/v1/me/")
echo "api/v1/me: $me"
[[ $me == *'"role": "coordinator"'* || $me == *'"role":"coordinator"'* ]] || fail "API call: $me"
headers=$("${CURL[@]}" -D - -o /dev/null -H "Authorization: Token $token" "$BASE/api/v1/me/")
grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers" || fail "no HSTS header"

step "the worker runs what the scheduler queues"
run "$SP" schedule --once
done_tasks=0
for _ in $(seq 1 90); do
  done_tasks=$(psql "$OWNER_URL" -qtA -c "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'")
  pending=$(psql "$OWNER_URL" -qtA -c "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')")
  [[ $done_tasks -gt 0 && $pending == 0 ]] && break
  sleep 1
done
echo "tasks run by the worker: $done_tasks (still queued: $pending)"
[[ $done_tasks -gt 0 && $pending == 0 ]] || fail "the worker did not run the scheduled tasks"

step "audit trail and keys, as the service role"
run "$SP" audit verify
run "$SP" keys status
denied=$(psql "postgres://$APP:$APP_PW@$HOSTPORT/$DB" -qtA -c "DELETE FROM audit_auditevent" 2>&1 || true)
[[ $denied == *"permission denied"* ]] || fail "the service role could delete audit events: $denied"
echo "the service role cannot delete audit events: ok"
