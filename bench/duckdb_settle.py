"""DuckDB side of bench/settle_vs_duckdb.sh: the district nursing settlement's aggregations
(crates/settle/src/scan.rs, `scan_async`) as the same SQL over the same results.parquet.

    python duckdb_settle.py RESULTS.parquet FIGURES.json

Writes per provider: revenue in the reference period and production in 2021 (approved lines of
the policy's prestaties, in cents and lines), and per provider and period the clients of the
bijlage 6 prestaties (amount, whole months with care, last day): what `zorginkoop settle nursing`
reads before it settles. The prestatie lists are those of policies/district-nursing-2021.toml
(table `prestatie-codes`; bijlage 6: 1032-1038 and 1062); the periods its timeline's.
"""
import json
import sys
import time

import duckdb

ALL = ["1008", "1032", "1033", "1034", "1035", "1036", "1037", "1038", "1039", "1040", "1062"]
EFFICIENCY = ["1032", "1033", "1034", "1035", "1036", "1037", "1038", "1062"]
REF = ("2019-03-01", "2020-02-29")
YEAR = ("2021-01-01", "2021-12-31")


def in_list(codes):
    return ", ".join(f"'{c}'" for c in codes)


def main():
    results, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    con = duckdb.connect()
    approved = "decision IN ('granted', 'reduced')"
    providers = con.execute(f"""
        SELECT provider_agb,
               SUM(CASE WHEN in_ref THEN granted_cents ELSE 0 END) AS ref_cents,
               SUM(CASE WHEN in_ref THEN 1 ELSE 0 END) AS ref_lines,
               SUM(CASE WHEN in_year THEN granted_cents ELSE 0 END) AS year_cents,
               SUM(CASE WHEN in_year THEN 1 ELSE 0 END) AS year_lines
        FROM (SELECT provider_agb, granted_cents,
                     start_date BETWEEN DATE '{REF[0]}' AND DATE '{REF[1]}' AS in_ref,
                     start_date BETWEEN DATE '{YEAR[0]}' AND DATE '{YEAR[1]}' AS in_year
              FROM read_parquet('{results}')
              WHERE {approved} AND prestatie IN ({in_list(ALL)}))
        WHERE in_ref OR in_year
        GROUP BY provider_agb
        ORDER BY provider_agb""").fetchall()
    clients = con.execute(f"""
        SELECT provider_agb, period, bsn, SUM(granted_cents) AS cents,
               COUNT(DISTINCT date_part('year', start_date) * 12 + date_part('month', start_date)) AS months,
               MAX(start_date) AS last_date
        FROM (SELECT provider_agb, bsn, granted_cents, start_date,
                     CASE WHEN start_date BETWEEN DATE '{REF[0]}' AND DATE '{REF[1]}' THEN 0
                          WHEN start_date BETWEEN DATE '{YEAR[0]}' AND DATE '{YEAR[1]}' THEN 1 END AS period
              FROM read_parquet('{results}')
              WHERE {approved} AND prestatie IN ({in_list(EFFICIENCY)}))
        WHERE period IS NOT NULL
        GROUP BY provider_agb, period, bsn""").fetchall()
    elapsed = time.perf_counter() - t0
    per_provider = {}
    for agb, period, _bsn, cents, months, _last in clients:
        p = per_provider.setdefault(agb, [0, 0, 0, 0])
        p[period * 2] += 1
        p[period * 2 + 1] += int(cents)
    json.dump(
        {
            "query_seconds": elapsed,
            "providers": {
                agb: {
                    "ref_cents": int(rc),
                    "ref_lines": int(rl),
                    "year_cents": int(yc),
                    "year_lines": int(yl),
                }
                for agb, rc, rl, yc, yl in providers
            },
            "clients": per_provider,
        },
        open(out, "w"),
        indent=1,
    )


if __name__ == "__main__":
    main()
