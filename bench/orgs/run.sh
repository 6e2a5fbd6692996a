#!/usr/bin/env bash
# The organization benchmark (docs/benchmarks.md, "Organizations at scale"): the same server and scenarios on two
# databases, measured alternately (A/B, A/B, ...) so that a noisy neighbour hits both about equally:
#
#   base  1 organization with the 1,000 measured users (user0001..user1000@bench.test) as members
#   10k   10,000 organizations x 10 members (100,000 users; the measured ones are user0001..user1000, in orgs 1..100)
#
# both with 50 deployment roles, an organization's own roles in every tenth organization, and multi@bench.test (member
# of 200 organizations in 10k, of the one in base) and pair@bench.test (member of organization 1 and of a second one with
# no other member, in both: base holds 2 organizations, 10k 10,001). Seeding is set-based SQL (bench OrgSeed); the password hash is the
# one the server computed for a template user at sign-up, so logins verify a real Argon2id hash.
#
#   bench/orgs/run.sh [results-dir]          env: ROUNDS (3) WARMUP (5) DURATION (15) ORGS (10000) MEMBERS (10) PORT (18080)
#                                             ONLY (all): space-separated scenarios to run, e.g. ONLY="authcode chooser"
#
# Each round starts `latchkey dev --no-demo` on one data folder (embedded PostgreSQL, kept between rounds: seeded once),
# runs every scenario at concurrency 8, stops it, and does the same on the other. Rows go to load.tsv (Load.java:
# first-party login and refresh, refresh-token grant, auth-code flow) and orgload.tsv (bench OrgLoad: GET /api/auth/orgs,
# POST /api/auth/org, and the organization chooser inside the auth-code flow for pair@ and, in 10k, multi@); summarize.py prints medians and spreads per database. At the end OrgExplain explains the
# organization queries on the 10k database (explain.txt).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RES="$(realpath -m "${1:-$ROOT/bench/orgs/results}")"
mkdir -p "$RES"
ROUNDS="${ROUNDS:-3}"; WARMUP="${WARMUP:-5}"; DURATION="${DURATION:-15}"
ORGS="${ORGS:-10000}"; MEMBERS="${MEMBERS:-10}"
PORT="${PORT:-18080}"
B="http://127.0.0.1:$PORT"
JAVA="${LOAD_JAVA_BIN:-$( (ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null || true) | head -n1)/bin/java}"
WORK="${ORG_BENCH_DATA:-/tmp/latchkey-orgbench}"
CP="$ROOT/bench/target/benchmarks.jar"
mkdir -p "$WORK"
[ -f "$WORK/admin-key" ] || echo "lka_bench-admin-key-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$WORK/admin-key"
ADMIN="$(cat "$WORK/admin-key")"

cd "$ROOT"
[ -f cli/target/latchkey/.built ] && [ -f "$CP" ] || ./mvnw -q -B -DskipTests -pl cli,bench -am package
# the generator, compiled once (so that no scenario's setup pays javac)
mkdir -p "$WORK/load"
[ "$WORK/load/Load.class" -nt "$ROOT/../shared/bench/Load.java" ] || "${JAVA%/java}/javac" -d "$WORK/load" "$ROOT/../shared/bench/Load.java"

LAUNCHER=""
start_server() {   # data folder
  export LATCHKEY_DATA_DIR="$1" LATCHKEY_HTTP_PORT="$PORT" LATCHKEY_PUBLIC_URL="$B" \
         LATCHKEY_RATELIMIT_ENABLED=false LATCHKEY_ADMIN_API_KEY="$ADMIN" LATCHKEY_LOG_LEVEL=warn
  ./latchkey dev --no-demo > "$1/server.log" 2>&1 &
  LAUNCHER=$!
  for _ in $(seq 1 240); do curl -sf "$B/health/ready" >/dev/null && break; sleep 0.5; done
  curl -sf "$B/health/ready" >/dev/null || { cat "$1/server.log"; exit 1; }
  LK_PID=$LAUNCHER   # the launcher execs the JVM
  PG_PID=$(head -n1 "$1/postgres/postmaster.pid")
  PG_URL="jdbc:postgresql://127.0.0.1:$(sed -n 4p "$1/postgres/postmaster.pid")/postgres?user=postgres"
}
stop_server() {
  [ -n "$LAUNCHER" ] || return 0
  kill "$LAUNCHER" 2>/dev/null || true; wait "$LAUNCHER" 2>/dev/null || true; LAUNCHER=""
}
trap stop_server EXIT

seed() {   # name orgs members
  local dir="$WORK/$1"
  [ -f "$dir/.seeded" ] && return 0
  rm -rf "$dir"; mkdir -p "$dir"
  start_server "$dir"
  curl -sf -X POST "$B/api/auth/signup" -H 'Content-Type: application/json' \
       -d '{"email":"template@bench.test","password":"Passw0rd!x"}' >/dev/null
  "$JAVA" -cp "$CP" dev.latchkey.bench.OrgSeed "$PG_URL" "$2" "$3" template@bench.test
  curl -sf -X POST "$B/admin/v1/clients" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
       -d '{"client_id":"bench-bff","redirect_uris":["http://127.0.0.1:9999/cb"],"first_party":true,"grant_types":["authorization_code","refresh_token"],"scope":"openid profile email"}' \
    | sed -n 's/.*"client_secret":"\([^"]*\)".*/\1/p' > "$dir/bff-secret"
  [ -s "$dir/bff-secret" ] || { echo "no client secret" >&2; exit 1; }
  stop_server
  touch "$dir/.seeded"
}

measure() {   # name round
  local name="$1" label="$1/r$2" secret
  secret="$(cat "$WORK/$name/bff-secret")"
  start_server "$WORK/$name"
  echo "== $label: Latchkey pid $LK_PID, PostgreSQL pid $PG_PID, $(uptime)" >&2
  local T=(--warmup "$WARMUP" --duration "$DURATION" --server-pid "$LK_PID,$PG_PID" --concurrency 8)
  local L=("$JAVA" -cp "$WORK/load" Load "${T[@]}" --user-pattern 'user%04d@bench.test' --user-count 1000 --password 'Passw0rd!x'
           --out "$RES/load.tsv" --label "$label")
  local O=("$JAVA" -cp "$CP" dev.latchkey.bench.OrgLoad --base "$B" "${T[@]}" --out "$RES/orgload.tsv")
  want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }
  want firstparty-login && "${L[@]}" --scenario firstparty-login --login-url "$B/api/auth/login"
  want firstparty-refresh && "${L[@]}" --scenario firstparty-refresh --login-url "$B/api/auth/login" --refresh-url "$B/api/auth/refresh" --header 'X-CSRF: 1'
  want refresh && "${L[@]}" --issuer "$B" --username-field email --scenario refresh --client-id bench-bff --client-secret "$secret"
  want authcode && "${L[@]}" --issuer "$B" --username-field email --scenario authcode --public-client-id bench-bff --public-client-secret "$secret"
  want orgs && "${O[@]}" --scenario orgs --label "$label"
  want orgs && "${O[@]}" --scenario orgs --user-pattern multi@bench.test --user-count 1 --label "$label/multi"
  want switch && "${O[@]}" --scenario switch --user-pattern multi@bench.test --user-count 1 --label "$label/multi"
  want chooser && "${O[@]}" --scenario chooser --user-pattern pair@bench.test --user-count 1 --client-id bench-bff --client-secret "$secret" --label "$label/pair"
  if [ "$name" = 10k ] && want chooser; then   # in base multi@bench.test is in one organization: no chooser
    "${O[@]}" --scenario chooser --user-pattern multi@bench.test --user-count 1 --client-id bench-bff --client-secret "$secret" --label "$label/multi"
  fi
  echo "   RSS at the end: $(ps -o rss= -p "$LK_PID") KiB" >&2
  if [ "$name" = 10k ] && [ "$2" = "$ROUNDS" ]; then
    "$JAVA" -cp "$CP" dev.latchkey.bench.OrgExplain "$PG_URL" > "$RES/explain.txt"
  fi
  stop_server
}

seed base 1 1000
seed 10k "$ORGS" "$MEMBERS"
for r in $(seq 1 "$ROUNDS"); do
  measure base "$r"
  measure 10k "$r"
done
python3 "$ROOT/bench/orgs/summarize.py" "$RES"
