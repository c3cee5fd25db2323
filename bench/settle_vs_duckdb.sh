#!/usr/bin/env bash
# Benchmark: the district nursing settlement (release build; DataFusion over results.parquet)
# against DuckDB running the same aggregations over the same file, with the figures compared
# provider by provider. Issue 14 part 7: "Benchmark a year of 10 million claim lines against
# DuckDB on the same Parquet in the same run, with identical results, and report the ratio and
# peak memory."
#
#   bench/settle_vs_duckdb.sh [LINES] [WORKDIR]      (default 10000000 lines in /tmp/zk-settle-bench)
#
# Generates LINES claim lines (claims generate), checks them (claims check, which writes
# results.parquet), then times, each on a warm page cache:
#   * zorginkoop settle nursing --results results.parquet --terms T --json  (the scan and the
#     settlement; T gives every provider efficiency group 3 and a new one a budget of EUR
#     100,000, so that every statement is whole)
#   * bench/duckdb_settle.py: the scan's two aggregations in DuckDB (a virtualenv in bench/.venv)
# and compares every provider's reference revenue and 2021 production (the statements' lines
# against DuckDB's sums: they must agree to the cent, and every provider must have a
# statement). DuckDB also computes the per-client aggregation the settlement runs (the same
# work), which the statements do not show whole, so it is not compared. Not run in CI. A quick
# check without a release build:
#   PROFILE=dev bench/settle_vs_duckdb.sh 20000 /tmp/zk-settle-small
#
# Measured 28 November 2026 (2 cores, nothing else running; release build; DuckDB 2.0.1), 10
# million lines (seed 42): results.parquet 139 MB, 600 district nursing providers, figures
# identical to the cent. Three runs: settle 1.04 / 0.99 / 1.01 s wall, peak RSS 307-318 MiB;
# DuckDB (a Python process) 2.65 / 2.46 / 2.64 s wall, of which its two queries 2.14 / 2.00 /
# 2.21 s, peak RSS 589-624 MiB. Ratio 2.5x by wall clock (2.0-2.2x against DuckDB's query time
# alone), half the memory.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
LINES=${1:-10000000}
WORK=${2:-/tmp/zk-settle-bench}
SEED=${SEED:-42}
PROFILE=${PROFILE:-release}

if [ "$PROFILE" = dev ]; then
  BIN=${CARGO_TARGET_DIR:-target}/debug/zorginkoop
  [ -x "$BIN" ] || cargo test --workspace --no-run -q
else
  cargo build --profile "$PROFILE" -q -p zorginkoop
  BIN=${CARGO_TARGET_DIR:-target}/$PROFILE/zorginkoop
fi
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q duckdb
fi
PY=bench/.venv/bin/python

if [ ! -f "$WORK/.checked-$LINES-$SEED" ]; then
  rm -rf "$WORK"
  mkdir -p "$WORK"
  /usr/bin/time -f "generate: %e s" $BIN claims generate --lines "$LINES" --seed "$SEED" --out "$WORK/gen"
  # the claims folder as one argument: 10 million lines are some 40,000 files, and their
  # paths would not fit on one command line
  /usr/bin/time -f "claims check: %e s" "$BIN" claims check "$WORK/gen/claims" \
    --context "$WORK/gen/context" --out "$WORK/out" --no-history --date 2023-01-15 --quiet > /dev/null || true
  touch "$WORK/.checked-$LINES-$SEED"
fi
R="$WORK/out/results.parquet"
ls -l "$R"
warm() { cat "$R" > /dev/null; }
secs() { grep "Elapsed (wall clock)" "$1" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
rss() { grep "Maximum resident set size" "$1" | awk '{print $NF}'; }

warm
/usr/bin/time -v -o "$WORK/duckdb.time" $PY bench/duckdb_settle.py "$R" "$WORK/duckdb.json"
# terms that give every provider an efficiency group and a new provider a budget, so that every
# statement runs to its end (without them a statement stops before production); not timed
$PY - "$WORK" <<'PYEOF'
import json, sys
w = sys.argv[1]
agbs = json.load(open(f"{w}/duckdb.json"))["providers"]
with open(f"{w}/terms.csv", "w") as f:
    f.write("provider_agb,efficiency_group,new_budget_cents\n")
    for agb in sorted(agbs):
        f.write(f"{agb},3,10000000\n")
PYEOF
warm
/usr/bin/time -v -o "$WORK/settle.time" $BIN settle nursing --results "$R" --terms "$WORK/terms.csv" --json > "$WORK/settle.json"

$PY - "$WORK" <<'PYEOF'
import json, sys
from decimal import Decimal
w = sys.argv[1]
st = json.load(open(f"{w}/settle.json"))
dk = json.load(open(f"{w}/duckdb.json"))
def cents(s, step):
    for l in s["lines"]:
        if l["step"] == step and l["amount"]["kind"] == "euro":
            return int(Decimal(l["amount"]["value"]) * 100)
    return None
diff = []
ours = {s["provider_agb"]: s for s in st}
for agb, f in dk["providers"].items():
    s = ours.get(agb)
    if s is None:
        diff.append((agb, "no statement"))
        continue
    for step, key in [("reference_revenue", "ref_cents"), ("production", "year_cents")]:
        if cents(s, step) != f[key]:
            diff.append((agb, step, cents(s, step), f[key]))
extra = set(ours) - set(dk["providers"])
print(f"providers: settlement {len(ours)}, duckdb {len(dk['providers'])}; differing figures: {len(diff)}; statements without duckdb figures: {len(extra)}")
for d in diff[:5]:
    print("  differs:", d)
print(f"duckdb query time inside python: {dk['query_seconds']:.2f} s")
open(f"{w}/compare.txt", "w").write("identical\n" if not diff and not extra else "DIFFERENT\n")
PYEOF

S=$(secs "$WORK/settle.time"); D=$(secs "$WORK/duckdb.time")
echo "settle (DataFusion): ${S} s wall, peak RSS $(( $(rss "$WORK/settle.time") / 1024 )) MiB"
echo "duckdb:              ${D} s wall, peak RSS $(( $(rss "$WORK/duckdb.time") / 1024 )) MiB"
python3 -c "print(f'ratio (duckdb / settle): {float(\"$D\") / float(\"$S\"):.2f}x')"
echo "figures: $(cat "$WORK/compare.txt")"
