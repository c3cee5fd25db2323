#!/usr/bin/env bash
# Benchmark: the claims checker (release build) against DuckDB running the same rules in SQL
# over the same generated files, with a per-line comparison of the decisions.
#
#   bench/claims_vs_duckdb.sh [LINES] [WORKDIR]      (default 10000000 lines in /tmp/zk-bench)
#
# Needs python3 (a virtualenv with duckdb is made in bench/.venv). Not run in CI. For a quick
# check of the per-line comparison at a small size without a release build:
#   PROFILE=dev bench/claims_vs_duckdb.sh 20000 /tmp/zk-bench-small
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
LINES=${1:-10000000}
WORK=${2:-/tmp/zk-bench}
SEED=${SEED:-42}
PROFILE=${PROFILE:-release}

cargo build --profile "$PROFILE" -q -p zorginkoop
if [ "$PROFILE" = dev ]; then BIN=target/debug/zorginkoop; else BIN=target/$PROFILE/zorginkoop; fi
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q duckdb
fi
PY=bench/.venv/bin/python

if [ ! -f "$WORK/.generated-$LINES-$SEED" ]; then
  rm -rf "$WORK"
  mkdir -p "$WORK"
  /usr/bin/time -f "generate: %e s" $BIN claims generate --lines "$LINES" --seed "$SEED" --out "$WORK"
  touch "$WORK/.generated-$LINES-$SEED"
fi
du -sh "$WORK/claims"
rm -rf "$WORK/out"
sync
# Both tools start with the input in the page cache: read it once before each timed run (the
# machine has room for it; DuckDB's run evicts it again). Without this, whichever runs first pays
# for reading 5 GB from disk.
warm() { cat "$WORK"/claims/* "$WORK"/context/* > /dev/null; }
warm

# the checker: no state file, so runs are independent
/usr/bin/time -v -o "$WORK/checker.time" $BIN claims check "$WORK"/claims/* --context "$WORK/context" \
  --out "$WORK/out" --no-history --date 2023-01-15 --quiet > "$WORK/checker.stdout" || true
CHECK_S=$(grep "Elapsed (wall clock)" "$WORK/checker.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
CHECK_RSS=$(grep "Maximum resident set size" "$WORK/checker.time" | awk '{print $NF}')
CHECK_CPU=$(grep "Percent of CPU" "$WORK/checker.time" | awk '{print $NF}')

warm
/usr/bin/time -v -o "$WORK/duckdb.time" $PY bench/duckdb_rules.py "$WORK/claims" "$WORK/context" \
  "$WORK/out/rules.json" "$WORK/duckdb.parquet" > "$WORK/duckdb.stdout"
DUCK_S=$(grep "Elapsed (wall clock)" "$WORK/duckdb.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
DUCK_RSS=$(grep "Maximum resident set size" "$WORK/duckdb.time" | awk '{print $NF}')
DUCK_CPU=$(grep "Percent of CPU" "$WORK/duckdb.time" | awk '{print $NF}')

# compare every line's decision and granted amount (not timed); results.csv names each input as
# given on the command line ($WORK/claims/NAME), DuckDB by its file name
$PY - "$WORK" <<'PYEOF'
import sys, duckdb
w = sys.argv[1]
con = duckdb.connect()
r = con.execute(f"""
WITH a AS (SELECT parse_filename(file) AS file, line, decision, granted_cents FROM read_csv('{w}/out/results.csv', header=true, all_varchar=true)),
     b AS (SELECT file, line::VARCHAR AS line, decision, granted_cents::VARCHAR AS granted_cents FROM '{w}/duckdb.parquet')
SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b),
       count(*) FILTER (a.file IS NULL OR b.file IS NULL),
       count(*) FILTER (a.decision <> b.decision OR a.granted_cents <> b.granted_cents)
FROM a FULL OUTER JOIN b USING (file, line)
""").fetchone()
print(f"lines: checker {r[0]}, duckdb {r[1]}; missing on one side: {r[2]}; different decision or amount: {r[3]}")
ex = con.execute(f"""
SELECT a.file, a.line, a.decision, a.granted_cents, a.reason_codes, b.decision, b.granted_cents
FROM read_csv('{w}/out/results.csv', header=true, all_varchar=true) a JOIN '{w}/duckdb.parquet' b
  ON parse_filename(a.file) = b.file AND a.line = b.line::VARCHAR
WHERE a.decision <> b.decision OR a.granted_cents <> b.granted_cents::VARCHAR LIMIT 5""").fetchall()
for e in ex:
    print("  differs:", e)
open(f"{w}/compare.txt", "w").write("identical\n" if r[2] == 0 and r[3] == 0 and r[0] == r[1] else "DIFFERENT\n")
PYEOF

echo "checker: ${CHECK_S} s wall, ${CHECK_CPU} CPU, peak RSS $((CHECK_RSS / 1024)) MiB"
echo "duckdb:  ${DUCK_S} s wall, ${DUCK_CPU} CPU, peak RSS $((DUCK_RSS / 1024)) MiB"
python3 -c "print(f'ratio (duckdb / checker): {float(\"$DUCK_S\") / float(\"$CHECK_S\"):.2f}x')"
echo "decisions: $(cat "$WORK/compare.txt")"
