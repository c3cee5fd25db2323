#!/usr/bin/env python3
"""The claims checker's rules in DuckDB SQL, over the same Vektis files and context.

Usage: duckdb_rules.py CLAIMS_DIR CONTEXT_DIR RULES_JSON OUT_PARQUET

Field positions come from crates/claims/layouts/*.tsv (the same tables the Rust code embeds);
which rule applies to which prestatie code comes from the checker's rules.json (the resolved
policy rules). Everything per line -- parsing the fixed-width records, trailer totals, the BSN
11-check, insured on date, contract matching, tariffs, care chains, postcodes, ages, claimants,
duplicates, once-per-period, revenue ceilings -- runs in SQL. Writes one row per claim line:
file, line, decision, granted_cents.
"""
import json, os, sys, time
import duckdb

here = os.path.dirname(os.path.abspath(__file__))
layouts = os.path.join(here, "..", "crates", "claims", "layouts")


def layout(name):
    pos = {}
    for line in open(os.path.join(layouts, name + ".tsv"), encoding="utf-8"):
        if line.startswith("#") or line.startswith("record\t") or not line.strip():
            continue
        rec, el, code, ty, start, length, _ = line.rstrip("\n").split("\t")[:7]
        pos.setdefault((rec, code), (int(start), int(length)))
    return pos


def canon_code(s):
    s = s.strip()
    if s.isdigit():
        s = s.lstrip("0") or "0"
    return s


claims_dir, ctx_dir, rules_path, out_path = sys.argv[1:5]
rules = json.load(open(rules_path))
R = rules["rules"]
module_codes = {m: [canon_code(c) for c in cs] for m, cs in rules["module_codes"].items()}

t0 = time.time()
con = duckdb.connect()
con.execute("SET preserve_insertion_order = true")


def sub(p, key, col="rec"):
    s, l = p[key]
    return f"substr({col}, {s}, {l})"


def lines_sql(name, ext):
    p = layout(name)
    code = sub(p, ("04", "COD388"))
    return f"""
    SELECT f.file_idx, r.file, r.line,
      f.provider,
      try_cast({sub(p, ('04', 'NUM313'))} AS INTEGER) AS bsn,
      CASE WHEN regexp_full_match(trim({code}), '[0-9]+') THEN coalesce(nullif(ltrim(trim({code}), '0'), ''), '0')
           ELSE trim({code}) END AS code,
      try_strptime({sub(p, ('04', 'DAT001'))}, '%Y%m%d')::DATE AS d,
      try_cast({sub(p, ('04', 'ANT054'))} AS BIGINT) AS cnt,
      try_cast({sub(p, ('04', 'BED160'))} AS BIGINT) AS tariff,
      try_cast({sub(p, ('04', 'BED161'))} AS BIGINT) * CASE {sub(p, ('04', 'COD665'))} WHEN 'D' THEN 1 WHEN 'C' THEN -1 END AS amount,
      rtrim({sub(p, ('04', 'NUM362'))}) AS ref,
      {sub(p, ('04', 'NUM313'))} AS bsn_txt,
      f.file_ok, f.period_start, f.period_end
    FROM raw r JOIN files f USING (file)
    WHERE r.kind = '04' AND r.file LIKE '%.{ext}'
    """


def files_sql(name, ext):
    p = layout(name)
    return f"""
    SELECT file, file_idx,
      any_value(CASE WHEN kind = '01' THEN try_cast({sub(p, ('01', 'COD009'))} AS INTEGER) END) AS provider,
      any_value(CASE WHEN kind = '01' THEN try_strptime({sub(p, ('01', 'DAT043'))}, '%Y%m%d')::DATE END) AS period_start,
      any_value(CASE WHEN kind = '01' THEN try_strptime({sub(p, ('01', 'DAT044'))}, '%Y%m%d')::DATE END) AS period_end,
      count(*) FILTER (kind = '02') = any_value(CASE WHEN kind = '99' THEN try_cast({sub(p, ('99', 'ANT085'))} AS BIGINT) END)
      AND count(*) FILTER (kind = '03') = any_value(CASE WHEN kind = '99' THEN try_cast({sub(p, ('99', 'ANT086'))} AS BIGINT) END)
      AND count(*) FILTER (kind = '04') = any_value(CASE WHEN kind = '99' THEN try_cast({sub(p, ('99', 'ANT087'))} AS BIGINT) END)
      AND count(*) FILTER (kind = '98') = any_value(CASE WHEN kind = '99' THEN try_cast({sub(p, ('99', 'ANT089'))} AS BIGINT) END)
      AND coalesce(sum(CASE WHEN kind = '04' THEN try_cast({sub(p, ('04', 'BED161'))} AS BIGINT)
                   * CASE {sub(p, ('04', 'COD665'))} WHEN 'D' THEN 1 WHEN 'C' THEN -1 ELSE 0 END END), 0)
          = any_value(CASE WHEN kind = '99' THEN try_cast({sub(p, ('99', 'BED025'))} AS BIGINT)
                   * CASE {sub(p, ('99', 'COD043'))} WHEN 'D' THEN 1 WHEN 'C' THEN -1 END END)
      AND bool_and(length(rec) = {layout(name)[('01', 'COD001')][1] and 310}) AS file_ok
    FROM raw WHERE file LIKE '%.{ext}' GROUP BY file, file_idx
    """


# --- read the files: one row per record, with its line number
con.execute(f"""
CREATE TABLE raw0 AS SELECT parse_filename(filename) AS file, rec
FROM read_csv('{claims_dir}/*', columns = {{'rec': 'VARCHAR'}}, header = false, delim = '\\t', quote = '',
              escape = '', new_line = '\\r\\n', encoding = 'latin-1', filename = true, auto_detect = false)
""")
con.execute("""
CREATE TABLE raw AS SELECT file, rec, substr(rec, 1, 2) AS kind,
  (rowid - min(rowid) OVER (PARTITION BY file) + 1)::INTEGER AS line,
  dense_rank() OVER (ORDER BY file) - 1 AS file_idx
FROM raw0
""")
con.execute(f"CREATE TABLE files AS {files_sql('HA304', 'ha304')} UNION ALL {files_sql('AW319', 'aw319')}")
con.execute(f"CREATE TABLE l AS {lines_sql('HA304', 'ha304')} UNION ALL {lines_sql('AW319', 'aw319')}")

# --- context
con.execute(f"CREATE TABLE insured AS SELECT row_number() OVER () AS rn, * FROM read_csv('{ctx_dir}/insured.csv', header = true, columns = {{'bsn':'INTEGER','uzovi':'INTEGER','birth_date':'DATE','postcode':'VARCHAR','from':'DATE','to':'DATE'}})")
con.execute(f"CREATE TABLE chains AS SELECT * FROM read_csv('{ctx_dir}/chains.csv', header = true, columns = {{'bsn':'INTEGER','chain':'VARCHAR','from':'DATE','to':'DATE'}})")
con.execute(f"CREATE TABLE contracts0 AS SELECT row_number() OVER () - 1 AS cidx, * FROM read_csv('{ctx_dir}/contracts.csv', header = true, columns = {{'provider_agb':'INTEGER','module':'VARCHAR','prestatie_codes':'VARCHAR','start':'DATE','end':'DATE','tariff_cents':'BIGINT','ceiling_cents':'BIGINT','contract_type':'VARCHAR'}})")
con.execute("CREATE TABLE module_codes (module VARCHAR, code VARCHAR)")
mc = [(m, c) for m, cs in module_codes.items() for c in cs]
if mc:
    con.executemany("INSERT INTO module_codes VALUES (?, ?)", mc)
con.execute("""
CREATE TABLE contracts AS
SELECT cidx, provider_agb AS provider, code, true AS explicit, start, "end", tariff_cents, ceiling_cents, module
FROM (SELECT *, unnest(string_split(prestatie_codes, ';')) AS c0 FROM contracts0 WHERE coalesce(prestatie_codes, '') <> '')
CROSS JOIN LATERAL (SELECT CASE WHEN regexp_full_match(trim(c0), '[0-9]+') THEN coalesce(nullif(ltrim(trim(c0), '0'), ''), '0') ELSE trim(c0) END AS code)
UNION ALL
SELECT cidx, provider_agb, mc.code, false, start, "end", tariff_cents, ceiling_cents, c.module
FROM contracts0 c JOIN module_codes mc ON mc.module = c.module WHERE coalesce(prestatie_codes, '') = ''
""")


# --- rule metadata (which rule applies to which code)
def codes_of(r):
    return sorted({canon_code(c) for c in r["codes"]})


def applies(r, col="l.code"):
    if r["applies_all"]:
        return "true"
    cs = codes_of(r)
    if not cs:
        return "false"
    return f"{col} IN ({', '.join(repr(c) for c in cs)})"


def first_applying(kind):
    """CASE expression giving the index of the first applying rule of `kind` (specific first)."""
    idx = [i for i, r in enumerate(R) if r["kind"] == kind]
    idx.sort(key=lambda i: R[i]["applies_all"])
    if not idx:
        return "NULL"
    return "CASE " + " ".join(f"WHEN {applies(R[i])} THEN {i}" for i in idx) + " END"


contract_rule = first_applying("requires-contract")
tariff_rule = first_applying("max-tariff")
# no-contract codes and rate for each requires-contract rule
nc_cases, rate_cases = [], []
for i, r in enumerate(R):
    if r["kind"] != "requires-contract":
        continue
    ncs = set()
    for c in r.get("no_contract_codes", []):
        ncs |= set(module_codes.get(c, [canon_code(c)]))
    nc_cases.append(f"WHEN {i} THEN " + (f"l.code IN ({', '.join(repr(c) for c in sorted(ncs))})" if ncs else "false"))
    rate = r.get("no_contract_rate", [])
    if rate:
        expr = str(rate[0][1])
        for frm, bp in rate:
            expr = f"CASE WHEN l.d >= DATE '{frm if frm > '0001' else '0001-01-01'}' THEN {bp} ELSE {expr} END"
    else:
        expr = "10000"
    rate_cases.append(f"WHEN {i} THEN {expr}")
nc_expr = "CASE cr " + " ".join(nc_cases) + " ELSE false END" if nc_cases else "false"
rate_expr = "CASE cr " + " ".join(rate_cases) + " ELSE 10000 END" if rate_cases else "10000"

insured_fail = []
for i, r in enumerate(R):
    if r["kind"] == "insured-on-date":
        labels = ", ".join(str(x) for x in r["labels"])
        insured_fail.append(f"({applies(r)} AND NOT EXISTS (SELECT 1 FROM insured p WHERE p.bsn = l.bsn AND p.uzovi IN ({labels}) AND p.from <= l.d AND (p.to IS NULL OR l.d <= p.to)))")
line_fail = []
once_rules = []
for i, r in enumerate(R):
    k = r["kind"]
    a = applies(r)
    if k == "not-in-care-chain":
        chains = ", ".join(repr(c) for c in r["chains"])
        line_fail.append(f"({a} AND EXISTS (SELECT 1 FROM chains e WHERE e.bsn = l.bsn AND e.chain IN ({chains}) AND e.from <= l.d AND (e.to IS NULL OR l.d <= e.to)))")
    elif k == "postcode-only":
        pcs = ", ".join(str(x) for x in r["postcodes"]) or "NULL"
        line_fail.append(f"({a} AND NOT coalesce(pc4 IN ({pcs}), false))")
    elif k == "min-age":
        line_fail.append(f"({a} AND birth IS NOT NULL AND (year(l.d) - year(birth) - CASE WHEN (month(l.d), day(l.d)) < (month(birth), day(birth)) THEN 1 ELSE 0 END) < {r['age']})")
    elif k == "requires-agreement":
        line_fail.append(f"({a} AND NOT coalesce(m_explicit, false))")
    elif k == "claimant-kind":
        pre = ", ".join(str(x) for x in r["agb_prefixes"])
        line_fail.append(f"({a} AND (l.provider // 1000000) NOT IN ({pre}))")
    elif k == "once-per-period":
        once_rules.append((i, r))

bsn_ok = "(" + " + ".join(f"{9 - j} * CAST(substr(bsn_txt, {j + 1}, 1) AS INTEGER)" for j in range(8)) + " - CAST(substr(bsn_txt, 9, 1) AS INTEGER)) % 11 = 0 AND l.bsn > 0"

con.execute(f"""
CREATE TABLE s1 AS
WITH person AS (
  SELECT bsn, arg_min(birth_date, rn) AS birth, arg_min(try_cast(substr(postcode, 1, 4) AS INTEGER), rn) AS pc4 FROM insured GROUP BY bsn
), cand AS (
  SELECT l.file, l.line, count(c.cidx) AS n_cand,
         coalesce(min(c.cidx) FILTER (c.explicit AND c.start <= l.d AND (c."end" IS NULL OR l.d <= c."end")),
                  min(c.cidx) FILTER (c.start <= l.d AND (c."end" IS NULL OR l.d <= c."end"))) AS m_cidx
  FROM l LEFT JOIN contracts c ON c.provider = l.provider AND c.code = l.code
  GROUP BY l.file, l.line
), j AS (
  SELECT l.*, cand.n_cand, cand.m_cidx, c.explicit AS m_explicit, c.tariff_cents AS c_tariff,
         person.birth, coalesce(person.pc4, 0) AS pc4, {contract_rule} AS cr, {tariff_rule} AS tr
  FROM l JOIN cand USING (file, line)
  LEFT JOIN (SELECT DISTINCT cidx, provider, code, explicit, tariff_cents FROM contracts) c
         ON c.cidx = cand.m_cidx AND c.provider = l.provider AND c.code = l.code
  LEFT JOIN person ON person.bsn = l.bsn
)
SELECT l.*,
  NOT l.file_ok
  OR l.bsn IS NULL OR l.d IS NULL OR l.amount IS NULL OR l.cnt IS NULL OR l.tariff IS NULL OR NOT ({bsn_ok})
  OR l.d < l.period_start OR l.d > l.period_end
  {''.join(' OR ' + f for f in insured_fail)}
  OR (m_cidx IS NULL AND cr IS NOT NULL AND NOT ({nc_expr}))
  {''.join(' OR ' + f for f in line_fail)} AS rej,
  CASE WHEN m_cidx IS NULL AND cr IS NOT NULL AND ({nc_expr}) THEN (l.amount * ({rate_expr})) // 10000
       WHEN m_cidx IS NOT NULL AND tr IS NOT NULL AND l.amount > 0 AND (l.tariff > c_tariff OR l.amount > c_tariff * l.cnt)
            THEN least(l.amount, c_tariff * l.cnt)
       ELSE l.amount END AS g0,
  (m_cidx IS NOT NULL AND tr IS NOT NULL AND l.amount > 0 AND (l.tariff > c_tariff OR l.amount > c_tariff * l.cnt))
  OR (m_cidx IS NULL AND cr IS NOT NULL AND ({nc_expr}) AND (l.amount * ({rate_expr})) // 10000 <> l.amount) AS reduced
FROM j l
""")

# --- order-dependent: duplicates, then each once-per-period rule in order
con.execute("""
CREATE TABLE s2 AS SELECT *, CASE WHEN NOT rej THEN row_number() OVER (PARTITION BY rej, provider, bsn, code, d, ref ORDER BY file_idx, line) > 1 ELSE false END AS dup FROM s1
""")
cur = "s2"
alive = "NOT rej AND NOT dup"
for n, (i, r) in enumerate(once_rules):
    per = "year(d)" if r["period"] == "year" else "year(d) * 4 + (month(d) - 1) // 3"
    nxt = f"s3_{n}"
    con.execute(f"""
    CREATE TABLE {nxt} AS SELECT * EXCLUDE (k), coalesce(k > 1, false) AS once_{n} FROM (
      SELECT *, CASE WHEN {alive} AND {applies(r, 'code')} THEN row_number() OVER (PARTITION BY ({alive} AND {applies(r, 'code')}), bsn, {per} ORDER BY file_idx, line) END AS k FROM {cur})
    """)
    alive += f" AND NOT once_{n}"
    cur = nxt

# --- revenue ceilings
ceil_rules = [(i, r) for i, r in enumerate(R) if r["kind"] == "revenue-ceiling" and r.get("not_paid", True)]
if ceil_rules:
    cond = " OR ".join("true" if r["applies_all"] else (f"c.module IN ({', '.join(repr(m) for m in r['modules'])})" if r["modules"] else "false") for _, r in ceil_rules)
else:
    cond = "false"
con.execute(f"""
CREATE TABLE s4 AS
WITH base AS (
  SELECT t.*, ({alive}) AS ok, CASE WHEN ({alive}) AND NOT rej THEN greatest(0, least(g0, amount)) ELSE 0 END AS g
  FROM {cur} t
), ceil AS (
  SELECT DISTINCT cidx, ceiling_cents FROM contracts c WHERE ceiling_cents IS NOT NULL AND ({cond})
), cands AS (
  SELECT b.file, b.line, sum(b.g) OVER (PARTITION BY b.m_cidx ORDER BY b.d, b.file_idx, b.line ROWS UNBOUNDED PRECEDING) > ceil.ceiling_cents AS over
  FROM base b JOIN ceil ON ceil.cidx = b.m_cidx WHERE b.ok AND b.g > 0
)
SELECT b.file, b.line,
  CASE WHEN NOT b.ok OR coalesce(cands.over, false) THEN 'rejected' WHEN b.reduced THEN 'reduced' ELSE 'granted' END AS decision,
  CASE WHEN NOT b.ok OR coalesce(cands.over, false) THEN 0 WHEN b.amount >= 0 THEN b.g ELSE b.g0 END AS granted_cents
FROM base b LEFT JOIN cands USING (file, line)
""")
con.execute(f"COPY s4 TO '{out_path}' (FORMAT parquet)")
print(f"duckdb_seconds={time.time() - t0:.2f}")
print("lines=", con.execute("SELECT count(*) FROM s4").fetchone()[0])
