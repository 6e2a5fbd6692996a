#!/usr/bin/env bash
# Runs ../shared/bench/Load.java (the generator Keycloak's reference figures were measured with)
# against a Latchkey started here on its embedded defaults, and appends the rows to a TSV file.
#
#   bench/load/run.sh [results.tsv] [scenario-group...]      groups: firstparty oidc (default: both)
#
# Rate limits are switched off for the run (all traffic comes from one IP with 1000 accounts);
# everything else is the default configuration, including Argon2id at m=19456 KiB, t=2, p=1.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/bench/load/results.tsv}")"; shift || true
GROUPS_TO_RUN="${*:-firstparty oidc}"
LOAD="${LOAD_JAVA:-$ROOT/../shared/bench/Load.java}"
JAVA="${LOAD_JAVA_BIN:-$( (ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null || true) | head -n1)/bin/java}"
DATA="$(mktemp -d /tmp/latchkey-bench.XXXXXX)"
PORT="${PORT:-8080}"
B="http://127.0.0.1:$PORT"
ADMIN="lka_bench-admin-key-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WARMUP="${WARMUP:-10}"; DURATION="${DURATION:-20}"
LABEL="${LABEL:-latchkey-dev}"

cd "$ROOT"
[ -f cli/target/latchkey/.built ] || ./mvnw -q -B -DskipTests -pl cli -am package

export LATCHKEY_DATA_DIR="$DATA" LATCHKEY_HTTP_PORT="$PORT" LATCHKEY_PUBLIC_URL="http://127.0.0.1:$PORT" \
       LATCHKEY_RATELIMIT_ENABLED=false LATCHKEY_ADMIN_API_KEY="$ADMIN" LATCHKEY_LOG_LEVEL=warn
./latchkey dev > "$DATA/server.log" 2>&1 &
LAUNCHER=$!
cleanup() { local rc=$?; kill "$LAUNCHER" 2>/dev/null; wait "$LAUNCHER" 2>/dev/null || true; rm -rf "$DATA"; exit $rc; }
trap cleanup EXIT
for _ in $(seq 1 120); do curl -sf "$B/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "$B/health/ready" >/dev/null || { cat "$DATA/server.log"; exit 1; }
LK_PID=$LAUNCHER   # the launcher execs the JVM
PG_PID=$(head -n1 "$DATA/postgres/postmaster.pid")
echo "Latchkey pid $LK_PID, PostgreSQL pid $PG_PID, data in $DATA" >&2

client() {   # name json -> secret (or empty)
  curl -sf -X POST "$B/admin/v1/clients" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "$2" \
    | sed -n 's/.*"client_secret":"\([^"]*\)".*/\1/p'
}
RS_SECRET=$(client bench-rs '{"client_id":"bench-rs","grant_types":["client_credentials"],"scope":"api:read","audiences":["https://api.bench.test"]}')
client bench-spa '{"client_id":"bench-spa","token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1:9999/cb"],"first_party":true,"grant_types":["authorization_code","refresh_token"],"scope":"openid profile email"}' >/dev/null
BFF_SECRET=$(client bench-bff '{"client_id":"bench-bff","redirect_uris":["http://127.0.0.1:9999/cb"],"first_party":true,"grant_types":["authorization_code","refresh_token"],"scope":"openid profile email"}')

COMMON=(--user-pattern 'user%04d@bench.test' --user-count 1000 --password 'Passw0rd!x' --warmup "$WARMUP" --duration "$DURATION"
        --server-pid "$LK_PID,$PG_PID" --label "$LABEL" --out "$OUT")
run() { "$JAVA" "$LOAD" "$@" "${COMMON[@]}"; }

# create the 1000 users once (and warm the JVM on the login path)
run --scenario firstparty-login --login-url "$B/api/auth/login" --signup-url "$B/api/auth/signup" --concurrency 8 --duration 5 --label warmup

for g in $GROUPS_TO_RUN; do
  case "$g" in
    firstparty)
      for c in 8 32; do
        run --scenario firstparty-login --login-url "$B/api/auth/login" --concurrency $c
        run --scenario firstparty-refresh --login-url "$B/api/auth/login" --refresh-url "$B/api/auth/refresh" --header 'X-CSRF: 1' --concurrency $c
      done ;;
    oidc)
      L=(--issuer "$B" --username-field email)
      for c in 8 32; do
        run "${L[@]}" --concurrency $c --scenario client_credentials --client-id bench-rs --client-secret "$RS_SECRET" --cc-scope api:read
        run "${L[@]}" --concurrency $c --scenario refresh --client-id bench-bff --client-secret "$BFF_SECRET"
        run "${L[@]}" --concurrency $c --scenario introspect --public-client-id bench-spa --client-id bench-rs --client-secret "$RS_SECRET"
        run "${L[@]}" --concurrency $c --scenario userinfo --public-client-id bench-spa
        run "${L[@]}" --concurrency $c --scenario authcode --public-client-id bench-spa
        run "${L[@]}" --concurrency $c --scenario authcode --public-client-id bench-bff --public-client-secret "$BFF_SECRET"
      done ;;
    *) echo "unknown group $g" >&2; exit 2 ;;
  esac
done
echo "RSS at the end: $(ps -o rss= -p "$LK_PID") KiB" >&2
