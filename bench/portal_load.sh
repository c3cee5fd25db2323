#!/usr/bin/env bash
# Load test of the portal (not in CI): a release build on a fresh SQLite demo database, then wrk
# on loopback, 200 concurrent connections, DURATION seconds each, against
#   1. GET /catalogus as the GP practice (a logged-in session: every request checks the session
#      and reads the practice's answers and contracts; the engine's decisions on them are kept
#      under every input, so a repeated request decides nothing anew), and
#   2. POST /api/v1/decide with a bearer token (the practice's own API token).
# Prints requests/s, p50/p99 latency and errors for each. Aim: p99 < 25 ms, no errors.
#
# Measured 27 November 2026 (2 cores, another build running beside it), before and after the
# changes of issue 13, back to back with BIN=:
#   GET /catalogus      before   947 req/s  p50 203 ms  p99 406 ms   after 5,028 req/s  p50 37 ms  p99  91 ms
#   POST /api/v1/decide before   886 req/s  p50 223 ms  p99 430 ms   after 3,198 req/s  p50 59 ms  p99 151 ms
# no errors in any run; the aim is not yet met (see README.md, "The portal").
#
#   bench/portal_load.sh [DURATION]          (default 20 s; CONNECTIONS=200 THREADS=2)
#   BIN=/path/to/zorginkoop bench/portal_load.sh   (another build, e.g. to compare before/after)
#
# Needs wrk (apt-get install wrk) and curl.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
DURATION=${1:-20}
CONNECTIONS=${CONNECTIONS:-200}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

if [ -z "${BIN:-}" ]; then
    cargo build --release -q -p zorginkoop
    BIN=${CARGO_TARGET_DIR:-target}/release/zorginkoop
fi
WORK=$(mktemp -d)
SERVER=
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# the portal on a fresh demo database, on a free port
"$BIN" demo --db "$WORK/demo.db" --port 0 >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
    grep -q 'zorginkoop-portaal op' "$WORK/server.log" && break
    sleep 0.1
done
BASE=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/server.log" | head -n 1)
[ -n "$BASE" ] || { cat "$WORK/server.log"; exit 1; }
echo "portal: $BASE ($(nproc) cores; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s)"

# log in as the GP practice (the login form's double-submit CSRF token), as a browser does
JAR="$WORK/cookies"
CSRF=$(curl -s -c "$JAR" "$BASE/login" | grep -o 'name="csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
curl -s -o /dev/null -b "$JAR" -c "$JAR" --data-urlencode "csrf=$CSRF" \
    --data-urlencode 'email=medewerker@delinde.example' --data-urlencode 'wachtwoord=demo-wachtwoord' \
    "$BASE/login"
SESSION=$(awk '$6 == "zk_sessie" {print $6 "=" $7}' "$JAR" | head -n 1)
[ -n "$SESSION" ] || { echo "login failed" >&2; exit 1; }
status=$(curl -s -o "$WORK/catalogus.html" -w '%{http_code}' -H "Cookie: $SESSION" "$BASE/catalogus")
[ "$status" = 200 ] || { echo "GET /catalogus: $status" >&2; exit 1; }

# an API token of the practice, made through the account page
PAGE_CSRF=$(curl -s -H "Cookie: $SESSION" "$BASE/account" | grep -o 'name="csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
TOKEN=$(curl -s -H "Cookie: $SESSION" --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode 'label=belastingtest' "$BASE/account/tokens" |
    grep -o 'id="nieuw-token"[^>]*value="[^"]*"' | sed 's/.*value="//; s/"$//' || true)
[ -n "$TOKEN" ] || { echo "no API token" >&2; exit 1; }

# the decide request: the example case of the practice
CASE_JSON=$(cat examples/practice-de-linde.json)
status=$(curl -s -o "$WORK/decide.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' --data "$CASE_JSON" "$BASE/api/v1/decide")
[ "$status" = 200 ] || { echo "POST /api/v1/decide: $status $(head -c 300 "$WORK/decide.json")" >&2; exit 1; }

cat >"$WORK/decide.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.body = [==[$CASE_JSON]==]
EOF

report() { # name, wrk output file
    local rps p50 p99 non2xx errors
    rps=$(awk '/^Requests\/sec/ {print $2}' "$2")
    p50=$(awk '$1 == "50%" {print $2}' "$2")
    p99=$(awk '$1 == "99%" {print $2}' "$2")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$2")
    errors=$(awk '/Socket errors/ {print $0}' "$2")
    printf '%-28s %10s req/s   p50 %8s   p99 %8s   non-2xx %s   %s\n' "$1" "$rps" "$p50" "$p99" \
        "${non2xx:-0}" "${errors:-no socket errors}"
}

wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $SESSION" \
    "$BASE/catalogus" >"$WORK/catalogus.txt"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/decide.lua" \
    "$BASE/api/v1/decide" >"$WORK/decide.txt"

echo
report "GET /catalogus (sessie)" "$WORK/catalogus.txt"
report "POST /api/v1/decide (token)" "$WORK/decide.txt"
if [ -n "${VERBOSE:-}" ]; then cat "$WORK/catalogus.txt" "$WORK/decide.txt"; fi
