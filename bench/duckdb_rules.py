#!/usr/bin/env python3
"""The claims checker's rules in DuckDB SQL, over the same Vektis files and context.

Usage: duckdb_rules.py CLAIMS_DIR CONTEXT_DIR RULES_JSON OUT_PARQUET

Field positions come from crates/claims/layouts/*.tsv (the same tables the Rust code embeds);
which rule applies to which line comes from the checker's rules.json (the resolved policy
rules). Everything per line -- parsing the fixed-width records, trailer totals, the BSN
11-check, insured on date, contract matching, tariffs, care chains, postcodes, ages, claimants,
claim windows, lapsed codes, duplicates, once-per-period, revenue ceilings -- runs in SQL.
Writes one row per claim line: file, line, decision, granted_cents.

Rules are scoped per policy as the checker scopes them (crates/claims/src/scope.rs): a line
meets the rules of one policy, the one (of rules.json's `policies`, each rule naming its own
by `policy_index`) whose domain is the domain of the line's prestatie code (the first policy
naming the code decides) and whose period covers the service date; a code of a claim-window
rule that no period covers goes to the policy whose period includes the year before. Per
line, the generic kinds (insured-on-date, requires-contract, max-tariff, duplicate) come from
the policy's first rule of that kind covering the code (narrower applies_to first), else the
built-in one; every other rule of the policy covering the code is checked. A line without a
policy meets the built-in rules only. Revenue ceilings are per contract, not per line.
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

# per contract, the modules it counts for: its own, and those of the codes it names explicitly
con.execute("""
CREATE TABLE contract_modules AS
SELECT DISTINCT provider, module, start, "end" FROM (
  SELECT provider_agb AS provider, module, start, "end" FROM contracts0
  UNION ALL
  SELECT c.provider, mc.module, c.start, c."end" FROM contracts c JOIN module_codes mc ON mc.code = c.code WHERE c.explicit)
""")


# --- rule metadata: which policy governs a line, and which rules of it apply to the code
def codes_of(r):
    return sorted({canon_code(c) for c in r["codes"]})


def in_list(col, values):
    return f"{col} IN ({', '.join(repr(v) for v in values)})" if values else "false"


def applies(r, col="l.code"):
    if r["applies_all"]:
        return "true"
    return in_list(col, codes_of(r))


def valid_code(c):
    # what the checker's Code::parse accepts: at most 8 bytes once trimmed and canonical
    c = canon_code(c)
    return c if c and len(c.encode("utf-8")) <= 8 else None


P = rules["policies"]
domains, code_domain, domain_policies = [], {}, []
for pi, p in enumerate(P):
    if p["domain"] not in domains:
        domains.append(p["domain"])
        domain_policies.append([])
    di = domains.index(p["domain"])
    domain_policies[di].append((p["start"], p["end"], pi))
    for c in p["codes"]:
        c = valid_code(c)
        if c is not None:
            code_domain.setdefault(c, di)  # the first policy naming a code decides its domain
for v in domain_policies:
    v.sort()
window_codes = {canon_code(c) for r in R if r["kind"] == "claim-window" for c in r["codes"]}


def policy_expr(code="l.code", d="l.d"):
    """SQL: the index of the policy that governs a line (NULL: none, built-in rules only)."""
    whens = []
    for di, pols in enumerate(domain_policies):
        codes = sorted(c for c, x in code_domain.items() if x == di)
        if not codes:
            continue
        inner = [f"WHEN {d} BETWEEN DATE '{a}' AND DATE '{b}' THEN {pi}" for a, b, pi in pols]
        wc = sorted(c for c in codes if c in window_codes)
        if wc:
            # a claim-window code no period covers: the policy whose period includes the year before
            inner += [f"WHEN {in_list(code, wc)} AND year({d}) - 1 BETWEEN {a[:4]} AND {b[:4]} THEN {pi}"
                      for a, b, pi in pols]
        whens.append(f"WHEN {in_list(code, codes)} THEN CASE {' '.join(inner)} END")
    return f"CASE {' '.join(whens)} END" if whens else "NULL::INTEGER"


builtin = [i for i, r in enumerate(R) if r.get("policy_index") is None]


def scope_list(pi):
    """The rule indexes a line of policy `pi` (None: no policy) meets: the policy's own rules,
    narrower applies_to first, then the built-in ones."""
    own = [i for i, r in enumerate(R) if pi is not None and r.get("policy_index") == pi]
    own.sort(key=lambda i: R[i]["applies_all"])
    return own + builtin


def first_applying(kind):
    """SQL: the index of the rule of `kind` that a line meets (its policy's first applying rule
    of that kind, else the built-in one), NULL when none."""
    def case(pi):
        idx = [i for i in scope_list(pi) if R[i]["kind"] == kind]
        if not idx:
            return "NULL"
        return "CASE " + " ".join(f"WHEN {applies(R[i])} THEN {i}" for i in idx) + " END"
    per = [f"WHEN {pi} THEN {case(pi)}" for pi in range(len(P))]
    return f"CASE l.pol {' '.join(per)} ELSE {case(None)} END" if per else case(None)


def own(r):
    """SQL: the line's policy is the rule's and the rule covers its code."""
    return f"(l.pol = {r['policy_index']} AND {applies(r)})"


contract_rule = first_applying("requires-contract")
tariff_rule = first_applying("max-tariff")
insured_rule = first_applying("insured-on-date")
# no-contract codes, rate and required module of each requires-contract rule
nc_cases, rate_cases, module_cases = [], [], []
for i, r in enumerate(R):
    if r["kind"] != "requires-contract":
        continue
    ncs = set()
    for c in r.get("no_contract_codes", []):
        ncs |= set(module_codes.get(c, [canon_code(c)]))
    nc_cases.append(f"WHEN {i} THEN " + in_list("l.code", sorted(ncs)))
    rate = r.get("no_contract_rate", [])
    if rate:
        expr = str(rate[0][1])
        for frm, bp in rate:
            expr = f"CASE WHEN l.d >= DATE '{frm if frm > '0001' else '0001-01-01'}' THEN {bp} ELSE {expr} END"
    else:
        expr = "10000"
    rate_cases.append(f"WHEN {i} THEN {expr}")
    if r.get("module"):
        module_cases.append(f"WHEN {i} THEN {r['module']!r}")
nc_expr = "CASE cr " + " ".join(nc_cases) + " ELSE false END" if nc_cases else "false"
rate_expr = "CASE cr " + " ".join(rate_cases) + " ELSE 10000 END" if rate_cases else "10000"
cr_module = "CASE cr " + " ".join(module_cases) + " END" if module_cases else "NULL::VARCHAR"

# insured on the date with one of the labels of the line's insured-on-date rule
label_sets = {i: sorted(r["labels"]) for i, r in enumerate(R) if r["kind"] == "insured-on-date"}
if len({tuple(v) for v in label_sets.values()}) <= 1:
    labels_ok = in_list("p.uzovi", next(iter(label_sets.values()), []))
else:
    labels_ok = "CASE ir " + " ".join(f"WHEN {i} THEN {in_list('p.uzovi', v)}" for i, v in label_sets.items()) + " END"
context_fail = [f"(ir IS NOT NULL AND NOT EXISTS (SELECT 1 FROM insured p WHERE p.bsn = l.bsn AND {labels_ok} AND p.from <= l.d AND (p.to IS NULL OR l.d <= p.to)))"]
# a contract of the rule's module (or an explicit agreement on one of its codes) required as well
if module_cases:
    context_fail.append(f"(cr_module IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contract_modules m WHERE m.provider = l.provider AND m.module = cr_module AND m.start <= l.d AND (m.\"end\" IS NULL OR l.d <= m.\"end\")))")


def enrolled(r):
    chains = in_list("upper(e.chain)", sorted({c.upper() for c in r["chains"]}))
    return f"EXISTS (SELECT 1 FROM chains e WHERE e.bsn = l.bsn AND {chains} AND e.from <= l.d AND (e.to IS NULL OR l.d <= e.to))"


line_fail = []
once_rules = []
postcode_codes = set()
for i, r in enumerate(R):
    k = r["kind"]
    if r.get("policy_index") is None:
        continue
    a = own(r)
    if k == "not-in-care-chain":
        line_fail.append(f"({a} AND {enrolled(r)})")
    elif k == "in-care-chain":
        line_fail.append(f"({a} AND NOT {enrolled(r)})")
    elif k == "postcode-only":
        pcs = ", ".join(str(x) for x in r["postcodes"]) or "NULL"
        line_fail.append(f"({a} AND NOT coalesce(pc4 IN ({pcs}), false))")
        postcode_codes |= set(codes_of(r)) if not r["applies_all"] else {"*"}
    elif k == "min-age":
        line_fail.append(f"({a} AND birth IS NOT NULL AND (year(l.d) - year(birth) - CASE WHEN (month(l.d), day(l.d)) < (month(birth), day(birth)) THEN 1 ELSE 0 END) < {r['age']})")
    elif k == "requires-agreement":
        line_fail.append(f"({a} AND NOT coalesce(m_explicit, false))")
    elif k == "claimant-kind":
        pre = ", ".join(str(x) for x in r["agb_prefixes"])
        line_fail.append(f"({a} AND (l.provider // 1000000) NOT IN ({pre}))")
    elif k == "claim-window":
        line_fail.append(f"({a} AND quarter(l.d) <> {r['quarter']})")
    elif k == "lapsed":
        line_fail.append(f"({a} AND l.d >= DATE '{r['from']}')")
    elif k == "once-per-period":
        once_rules.append((i, r))
# the postcode of the register period covering the service date (one period per address)
if "*" in postcode_codes:
    pc_lines = "true"
else:
    pc_lines = in_list("l.code", sorted(postcode_codes))

bsn_ok = "(" + " + ".join(f"{9 - j} * CAST(substr(bsn_txt, {j + 1}, 1) AS INTEGER)" for j in range(8)) + " - CAST(substr(bsn_txt, 9, 1) AS INTEGER)) % 11 = 0 AND l.bsn > 0"

con.execute(f"CREATE TABLE lp AS SELECT l.*, {policy_expr()} AS pol FROM l")
con.execute(f"""
CREATE TABLE s1 AS
WITH person AS (
  SELECT bsn, arg_min(birth_date, rn) AS birth FROM insured GROUP BY bsn
), living AS (
  SELECT l.file, l.line, arg_min(try_cast(substr(p.postcode, 1, 4) AS INTEGER), p.rn) AS pc4
  FROM lp l JOIN insured p ON p.bsn = l.bsn AND p.from <= l.d AND (p.to IS NULL OR l.d <= p.to)
  WHERE {pc_lines} GROUP BY l.file, l.line
), cand AS (
  SELECT l.file, l.line, count(c.cidx) AS n_cand,
         coalesce(min(c.cidx) FILTER (c.explicit AND c.start <= l.d AND (c."end" IS NULL OR l.d <= c."end")),
                  min(c.cidx) FILTER (c.start <= l.d AND (c."end" IS NULL OR l.d <= c."end"))) AS m_cidx
  FROM lp l LEFT JOIN contracts c ON c.provider = l.provider AND c.code = l.code
  GROUP BY l.file, l.line
), j0 AS (
  SELECT l.*, cand.n_cand, cand.m_cidx, c.explicit AS m_explicit, c.tariff_cents AS c_tariff,
         person.birth, coalesce(living.pc4, 0) AS pc4, {contract_rule} AS cr, {tariff_rule} AS tr,
         {insured_rule} AS ir
  FROM lp l JOIN cand USING (file, line)
  LEFT JOIN (SELECT DISTINCT cidx, provider, code, explicit, tariff_cents FROM contracts) c
         ON c.cidx = cand.m_cidx AND c.provider = l.provider AND c.code = l.code
  LEFT JOIN person ON person.bsn = l.bsn
  LEFT JOIN living USING (file, line)
), j AS (
  SELECT *, {cr_module} AS cr_module FROM j0
)
SELECT l.*,
  NOT l.file_ok
  OR l.bsn IS NULL OR l.d IS NULL OR l.amount IS NULL OR l.cnt IS NULL OR l.tariff IS NULL OR NOT ({bsn_ok})
  OR l.d < l.period_start OR l.d > l.period_end
  {''.join(' OR ' + f for f in context_fail)}
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
    scoped = f"(pol = {r['policy_index']} AND {applies(r, 'code')})"
    nxt = f"s3_{n}"
    con.execute(f"""
    CREATE TABLE {nxt} AS SELECT * EXCLUDE (k), coalesce(k > 1, false) AS once_{n} FROM (
      SELECT *, CASE WHEN {alive} AND {scoped} THEN row_number() OVER (PARTITION BY ({alive} AND {scoped}), bsn, {per} ORDER BY file_idx, line) END AS k FROM {cur})
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
