//! The aggregations over the claims checker's `results.parquet` (schema in crates/claims
//! README), as DataFusion SQL. Amounts stay whole cents (Int64 sums), never floats.
//!
//! The same plans run on either [`Engine`]: DataFusion in this process ([`Engine::Local`], the
//! default) or, with the cargo feature `ballista`, DataFusion's distributed engine Ballista
//! (`Engine::Ballista`: its standalone mode, a scheduler and an executor in this process;
//! `Engine::BallistaRemote`: a cluster's scheduler at a URL). Either way the plans go to the
//! scheduler as protobuf and the results come back over Arrow Flight.
//!
//! "Approved" lines are those with decision `granted` or `reduced`, counted at their granted
//! amount. The insurer's labels (bijlage 6 a) need no filter here: the checker rejects a line
//! for anyone not insured with one of them (claim rule `zk-labels-insured`), so an approved
//! line is one for the labels.

use crate::SettleError;
use crate::rules::NursingRules;
use chrono::NaiveDate;
use datafusion::arrow::array::{Array, Date32Array, Int64Array, ListArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Per provider: approved amounts and lines in the reference period and the contract year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderFigures {
    pub reference_cents: i64,
    pub reference_lines: i64,
    pub year_cents: i64,
    pub year_lines: i64,
    /// Lines of the contract year the claims checker rejected because they were submitted
    /// after the claims deadline ([`crate::rules::SubmissionDeadline`]), and their claimed
    /// amount in cents: not settled.
    pub late_lines: i64,
    pub late_claimed_cents: i64,
}

/// Which period a client's care is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    Reference,
    Year,
}

/// One client of one provider in one period (bijlage 6 prestaties only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientMonths {
    pub bsn: String,
    pub cents: i64,
    /// Whole calendar months with approved care, 1-12.
    pub months: i64,
    /// The last day with approved care in the period.
    pub last_date: NaiveDate,
    /// The part of that care the efficiency model counts (chapter 4: medical child care,
    /// [`crate::cite::MODEL_EXCLUDED_PRESTATIES`], is left out of the model): amount in cents
    /// and whole calendar months with care. 0 months: the client is not in the model.
    pub model_cents: i64,
    pub model_months: i64,
    /// Care longer than 3 months by the target-group registration: a line of 1034 or 1035
    /// ([`crate::cite::LONG_CARE_PRESTATIES`]) in the period.
    pub long_care: bool,
}

/// A client of a provider with approved district nursing care in the period of the
/// client-per-postcode ratio (every prestatie of table `prestatie-codes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientPlace {
    pub bsn: String,
    /// The last day with approved care in that period (the address of that day counts).
    pub last_date: NaiveDate,
    /// The approved amount in that period, cents.
    pub cents: i64,
}

/// What the settlement needs from the claims, per provider AGB code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimFigures {
    pub providers: BTreeMap<String, ProviderFigures>,
    /// Per provider and period, the clients sorted by BSN.
    pub clients: BTreeMap<(String, Period), Vec<ClientMonths>>,
    /// Per provider, the clients of the client-per-postcode ratio's period sorted by BSN (only
    /// when asked for, see [`scan_with`]).
    pub places: BTreeMap<String, Vec<ClientPlace>>,
    /// Per provider, the clients of the reference period (every prestatie of table
    /// `prestatie-codes`) sorted by BSN, for leaving out the Zorg in de Wijk municipalities
    /// (only when asked for, with `places`).
    pub reference_places: BTreeMap<String, Vec<ClientPlace>>,
}

fn date(d: NaiveDate) -> String {
    format!("DATE '{}'", d.format("%Y-%m-%d"))
}

fn in_list(codes: &[&str]) -> String {
    codes
        .iter()
        .map(|c| format!("'{}'", c.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the DataFusion plans run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Engine {
    /// DataFusion in this process (`SessionContext::new()`).
    #[default]
    Local,
    /// Ballista, DataFusion's distributed engine, in its standalone mode: a scheduler and an
    /// executor started in this process for the scan (`SessionContext::standalone()`), talking
    /// gRPC over localhost. The same SQL as [`Engine::Local`]; only with the cargo feature
    /// `ballista`.
    #[cfg(feature = "ballista")]
    Ballista,
    /// A Ballista cluster: its scheduler at this URL (`df://host:50050`) plans, its executors
    /// run the plans (`SessionContext::remote`). The result files must be readable by every
    /// executor at the same path (a shared file system). Only with the cargo feature
    /// `ballista`.
    #[cfg(feature = "ballista")]
    BallistaRemote(String),
}

/// Stack of the thread that runs a Ballista scan and of its runtime's workers: unoptimised
/// (dev profile) DataFusion and Ballista plan and serialise plans recursively.
#[cfg(feature = "ballista")]
const BALLISTA_STACK: usize = 64 << 20;

/// Reads the claim figures from one or more Parquet files (or folders of them) with the
/// schema of `results.parquet`; `provider`, when given, limits them to one AGB code.
pub fn scan(
    rules: &NursingRules,
    results: &[PathBuf],
    provider: Option<&str>,
) -> Result<ClaimFigures, SettleError> {
    scan_with(rules, results, provider, false)
}

/// [`scan`], and with `places` the clients of the client-per-postcode ratio too.
pub fn scan_with(
    rules: &NursingRules,
    results: &[PathBuf],
    provider: Option<&str>,
    places: bool,
) -> Result<ClaimFigures, SettleError> {
    scan_on(Engine::Local, rules, results, provider, places)
}

/// [`scan_with`] on the given engine: the same plans, the same figures.
pub fn scan_on(
    engine: Engine,
    rules: &NursingRules,
    results: &[PathBuf],
    provider: Option<&str>,
    places: bool,
) -> Result<ClaimFigures, SettleError> {
    run_on(engine, results, provider, |ctx| {
        scan_async(ctx, rules, results, provider, places)
    })
}

/// Checks the arguments, then runs `f` with a session of `engine` in which `results` is not yet
/// registered: on a current-thread runtime in this thread ([`Engine::Local`]), or on a
/// thread and runtime of their own with Ballista standalone started on them (its scheduler's
/// and executor's gRPC servers and task loops), shut down afterwards without waiting for
/// those loops.
fn run_on<T, Fut>(
    engine: Engine,
    results: &[PathBuf],
    provider: Option<&str>,
    f: impl FnOnce(SessionContext) -> Fut + Send,
) -> Result<T, SettleError>
where
    T: Send,
    Fut: std::future::Future<Output = Result<T, SettleError>>,
{
    if let Some(p) = provider
        && !crate::error::is_agb(p)
    {
        return Err(SettleError::BadAgb(p.to_string()));
    }
    if results.is_empty() {
        return Err(SettleError::Query(
            "geen resultaatbestanden opgegeven".into(),
        ));
    }
    match engine {
        Engine::Local => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .map_err(|e| SettleError::Query(e.to_string()))?;
            rt.block_on(f(SessionContext::new()))
        }
        #[cfg(feature = "ballista")]
        remote @ (Engine::Ballista | Engine::BallistaRemote(_)) => std::thread::scope(|s| {
            std::thread::Builder::new()
                .name("zorginkoop-ballista".into())
                .stack_size(BALLISTA_STACK)
                .spawn_scoped(s, || {
                    use ballista::prelude::SessionContextExt;
                    let rt = tokio::runtime::Builder::new_multi_thread()
                        .worker_threads(2)
                        .thread_stack_size(BALLISTA_STACK)
                        .enable_all()
                        .build()
                        .map_err(|e| SettleError::Query(e.to_string()))?;
                    let out = rt.block_on(async {
                        let ctx = match &remote {
                            Engine::BallistaRemote(url) => {
                                reachable(url).await?;
                                SessionContext::remote(url).await.map_err(|e| {
                                    SettleError::Query(format!(
                                        "Ballista-scheduler {url} bereiken: {e}"
                                    ))
                                })?
                            }
                            _ => SessionContext::standalone().await.map_err(|e| {
                                SettleError::Query(format!("Ballista standalone starten: {e}"))
                            })?,
                        };
                        f(ctx).await
                    });
                    rt.shutdown_background();
                    out
                })
                .map_err(|e| SettleError::Query(e.to_string()))?
                .join()
                .map_err(|_| SettleError::Query("Ballista: de berekening brak af".into()))?
        }),
    }
}

/// Whether a Ballista scheduler answers at `url` (`df://host:port`, port 50050 by default, as
/// Ballista reads it): a plain TCP connection, so that an unreachable scheduler is named
/// before any query is planned.
#[cfg(feature = "ballista")]
async fn reachable(url: &str) -> Result<(), SettleError> {
    let bad = |why: String| SettleError::Query(format!("Ballista-scheduler {url}: {why}"));
    let rest = url
        .split_once("://")
        .map(|(_, r)| r)
        .ok_or_else(|| bad("geen URL (verwacht df://host:poort)".into()))?;
    let authority = rest.split('/').next().unwrap_or_default();
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (
            h,
            p.parse::<u16>()
                .map_err(|_| bad(format!("poort `{p}` is geen getal")))?,
        ),
        None => (authority, 50050),
    };
    if host.is_empty() {
        return Err(bad("geen host".into()));
    }
    tokio::net::TcpStream::connect((host, port))
        .await
        .map(|_| ())
        .map_err(|e| bad(format!("niet bereikbaar ({e})")))
}

/// One provider's approved diagnostics or thrombosis lines in one year: how many, for how
/// much, for how many patients in how many orders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LabYear {
    /// Approved lines (one line = one analysis).
    pub analyses: i64,
    /// Distinct (patient, date) pairs: one order is a patient's approved lines at the provider
    /// on one date.
    pub orders: i64,
    /// Distinct patients (BSN).
    pub patients: i64,
    /// The granted amount, cents.
    pub cents: i64,
}

/// Per provider AGB code (all its locations: the AGB code is the provider), the year settled
/// and the base year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabFigures {
    pub providers: BTreeMap<String, (LabYear, LabYear)>,
}

/// Reads the diagnostics and thrombosis figures: per provider, for the year settled and the
/// base year (2018), approved lines of the policy's prestaties, orders, patients and amount.
pub fn scan_labs(
    rules: &crate::labs_rules::LabRules,
    results: &[PathBuf],
    provider: Option<&str>,
) -> Result<LabFigures, SettleError> {
    scan_labs_on(Engine::Local, rules, results, provider)
}

/// [`scan_labs`] on the given engine: the same plan, the same figures.
pub fn scan_labs_on(
    engine: Engine,
    rules: &crate::labs_rules::LabRules,
    results: &[PathBuf],
    provider: Option<&str>,
) -> Result<LabFigures, SettleError> {
    run_on(engine, results, provider, |ctx| {
        scan_labs_async(ctx, rules, results, provider)
    })
}

async fn scan_labs_async(
    ctx: SessionContext,
    rules: &crate::labs_rules::LabRules,
    results: &[PathBuf],
    provider: Option<&str>,
) -> Result<LabFigures, SettleError> {
    let ctx = register_results(ctx, results).await?;
    let codes: Vec<&str> = rules.prestaties.iter().map(String::as_str).collect();
    let (ys, ye) = (date(rules.year.0), date(rules.year.1));
    let (bs, be) = (date(rules.base_year.0), date(rules.base_year.1));
    let only = provider
        .map(|p| format!("AND provider_agb = '{p}'"))
        .unwrap_or_default();
    // orders first (one row per provider, year, patient and date), then per provider and year
    let q = format!(
        "SELECT provider_agb, yr, COUNT(DISTINCT bsn) AS patients, COUNT(*) AS orders,
                SUM(n) AS analyses, SUM(cents) AS cents
         FROM (SELECT provider_agb, yr, bsn, start_date, COUNT(*) AS n, SUM(granted_cents) AS cents
               FROM (SELECT provider_agb, bsn, start_date, granted_cents,
                            CASE WHEN start_date BETWEEN {ys} AND {ye} THEN 1
                                 WHEN start_date BETWEEN {bs} AND {be} THEN 0 END AS yr
                     FROM results
                     WHERE decision IN ('granted', 'reduced') AND prestatie IN ({codes}) {only})
               WHERE yr IS NOT NULL
               GROUP BY provider_agb, yr, bsn, start_date)
         GROUP BY provider_agb, yr",
        codes = in_list(&codes)
    );
    let mut figures = LabFigures::default();
    for b in ctx.sql(&q).await?.collect().await? {
        let agb = strings(&b, 0)?;
        let yr = ints(&b, 1)?;
        let cols = [ints(&b, 2)?, ints(&b, 3)?, ints(&b, 4)?, ints(&b, 5)?];
        for i in 0..b.num_rows() {
            let y = LabYear {
                patients: cols[0].value(i),
                orders: cols[1].value(i),
                analyses: cols[2].value(i),
                cents: cols[3].value(i),
            };
            let e = figures
                .providers
                .entry(agb.value(i).to_string())
                .or_default();
            if yr.value(i) == 1 {
                e.0 = y;
            } else {
                e.1 = y;
            }
        }
    }
    Ok(figures)
}

/// `ctx` (a local DataFusion session or Ballista's) with the result files registered as table
/// `results`.
async fn register_results(
    ctx: SessionContext,
    results: &[PathBuf],
) -> Result<SessionContext, SettleError> {
    let mut paths = Vec::with_capacity(results.len());
    for p in results {
        let meta = std::fs::metadata(p).map_err(|source| SettleError::Io {
            file: p.clone(),
            source,
        })?;
        let abs = std::path::absolute(p).map_err(|source| SettleError::Io {
            file: p.clone(),
            source,
        })?;
        let mut s = abs.to_string_lossy().into_owned();
        if meta.is_dir() && !s.ends_with('/') {
            s.push('/');
        }
        paths.push(s);
    }
    let df = ctx
        .read_parquet(paths, ParquetReadOptions::default())
        .await?;
    ctx.register_table("results", df.into_view())?;
    Ok(ctx)
}

async fn scan_async(
    ctx: SessionContext,
    rules: &NursingRules,
    results: &[PathBuf],
    provider: Option<&str>,
    with_places: bool,
) -> Result<ClaimFigures, SettleError> {
    let ctx = register_results(ctx, results).await?;

    let all: Vec<&str> = rules.prestaties.iter().map(String::as_str).collect();
    let (rs, re) = (date(rules.reference.0), date(rules.reference.1));
    let (ys, ye) = (date(rules.year.0), date(rules.year.1));
    let only = provider
        .map(|p| format!("AND provider_agb = '{p}'"))
        .unwrap_or_default();
    let approved = "decision IN ('granted', 'reduced')";

    // revenue (reference period) and production (contract year) per provider
    let q = format!(
        "SELECT provider_agb,
                SUM(CASE WHEN in_ref THEN granted_cents ELSE 0 END) AS ref_cents,
                SUM(CASE WHEN in_ref THEN 1 ELSE 0 END) AS ref_lines,
                SUM(CASE WHEN in_year THEN granted_cents ELSE 0 END) AS year_cents,
                SUM(CASE WHEN in_year THEN 1 ELSE 0 END) AS year_lines
         FROM (SELECT provider_agb, granted_cents,
                      start_date BETWEEN {rs} AND {re} AS in_ref,
                      start_date BETWEEN {ys} AND {ye} AS in_year
               FROM results
               WHERE {approved} AND prestatie IN ({codes}) {only})
         WHERE in_ref OR in_year
         GROUP BY provider_agb",
        codes = in_list(&all)
    );
    let mut figures = ClaimFigures::default();
    for b in ctx.sql(&q).await?.collect().await? {
        let agb = strings(&b, 0)?;
        let cols = [ints(&b, 1)?, ints(&b, 2)?, ints(&b, 3)?, ints(&b, 4)?];
        for i in 0..b.num_rows() {
            figures.providers.insert(
                agb.value(i).to_string(),
                ProviderFigures {
                    reference_cents: cols[0].value(i),
                    reference_lines: cols[1].value(i),
                    year_cents: cols[2].value(i),
                    year_lines: cols[3].value(i),
                    ..Default::default()
                },
            );
        }
    }

    // lines of the contract year rejected for the claims deadline: not settled, counted
    if let Some(deadline) = &rules.deadline {
        let q = format!(
            "SELECT provider_agb, claimed_cents, reason_codes
             FROM results
             WHERE decision = 'rejected' AND prestatie IN ({codes}) {only}
               AND start_date BETWEEN {ys} AND {ye}",
            codes = in_list(&all)
        );
        for b in ctx.sql(&q).await?.collect().await? {
            let agb = strings(&b, 0)?;
            let claimed = ints(&b, 1)?;
            let reasons = b
                .column(2)
                .as_any()
                .downcast_ref::<ListArray>()
                .ok_or_else(|| SettleError::Query("kolom reason_codes is geen lijst".into()))?;
            for i in 0..b.num_rows() {
                let codes = cast(&reasons.value(i), &DataType::Utf8)
                    .map_err(|e| SettleError::Query(e.to_string()))?;
                let codes = codes
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .ok_or_else(|| SettleError::Query("reason_codes is geen tekst".into()))?;
                if codes.iter().flatten().any(|c| c == deadline.reason_code) {
                    let e = figures
                        .providers
                        .entry(agb.value(i).to_string())
                        .or_default();
                    e.late_lines += 1;
                    e.late_claimed_cents += claimed.value(i);
                }
            }
        }
    }

    // per client: amount and whole months with care (bijlage 6 b), bijlage 6 prestaties only;
    // the same without the prestaties the efficiency model leaves out, and whether the client
    // is in a target group of care longer than 3 months
    let q = format!(
        "SELECT provider_agb, period, bsn, SUM(granted_cents) AS cents,
                COUNT(DISTINCT month) AS months,
                MAX(start_date) AS last_date,
                SUM(CASE WHEN in_model THEN granted_cents ELSE 0 END) AS model_cents,
                COUNT(DISTINCT CASE WHEN in_model THEN month END) AS model_months,
                MAX(CASE WHEN prestatie IN ({long}) THEN 1 ELSE 0 END) AS long_care
         FROM (SELECT provider_agb, bsn, granted_cents, start_date, prestatie,
                      date_part('year', start_date) * 12 + date_part('month', start_date) AS month,
                      prestatie NOT IN ({excluded}) AS in_model,
                      CASE WHEN start_date BETWEEN {rs} AND {re} THEN 0
                           WHEN start_date BETWEEN {ys} AND {ye} THEN 1 END AS period
               FROM results
               WHERE {approved} AND prestatie IN ({codes}) {only})
         WHERE period IS NOT NULL
         GROUP BY provider_agb, period, bsn",
        codes = in_list(crate::cite::EFFICIENCY_PRESTATIES),
        excluded = in_list(crate::cite::MODEL_EXCLUDED_PRESTATIES),
        long = in_list(crate::cite::LONG_CARE_PRESTATIES),
    );
    for b in ctx.sql(&q).await?.collect().await? {
        let agb = strings(&b, 0)?;
        let period = ints(&b, 1)?;
        let bsn = strings(&b, 2)?;
        let cents = ints(&b, 3)?;
        let months = ints(&b, 4)?;
        let last = dates(&b, 5)?;
        let model_cents = ints(&b, 6)?;
        let model_months = ints(&b, 7)?;
        let long_care = ints(&b, 8)?;
        for i in 0..b.num_rows() {
            let p = if period.value(i) == 0 {
                Period::Reference
            } else {
                Period::Year
            };
            figures
                .clients
                .entry((agb.value(i).to_string(), p))
                .or_default()
                .push(ClientMonths {
                    bsn: bsn.value(i).to_string(),
                    cents: cents.value(i),
                    months: months.value(i),
                    last_date: day(last.value(i))?,
                    model_cents: model_cents.value(i),
                    model_months: model_months.value(i),
                    long_care: long_care.value(i) == 1,
                });
        }
    }
    for v in figures.clients.values_mut() {
        v.sort_by(|a, b| a.bsn.cmp(&b.bsn));
    }

    if with_places {
        // per client: the last day with approved care and the amount, in the ratio's period
        // (bijlage 3) and in the reference period (chapter 4, footnote 1)
        for (period, into_reference) in [(rules.ratio.period, false), (rules.reference, true)] {
            let (ps, pe) = (date(period.0), date(period.1));
            let q = format!(
                "SELECT provider_agb, bsn, MAX(start_date) AS last_date, SUM(granted_cents) AS cents
                 FROM results
                 WHERE {approved} AND prestatie IN ({codes}) {only}
                   AND start_date BETWEEN {ps} AND {pe}
                 GROUP BY provider_agb, bsn",
                codes = in_list(&all)
            );
            let into = if into_reference {
                &mut figures.reference_places
            } else {
                &mut figures.places
            };
            for b in ctx.sql(&q).await?.collect().await? {
                let agb = strings(&b, 0)?;
                let bsn = strings(&b, 1)?;
                let last = dates(&b, 2)?;
                let cents = ints(&b, 3)?;
                for i in 0..b.num_rows() {
                    into.entry(agb.value(i).to_string())
                        .or_default()
                        .push(ClientPlace {
                            bsn: bsn.value(i).to_string(),
                            last_date: day(last.value(i))?,
                            cents: cents.value(i),
                        });
                }
            }
            for v in into.values_mut() {
                v.sort_by(|a, b| a.bsn.cmp(&b.bsn));
            }
        }
    }
    Ok(figures)
}

/// Days since 1970-01-01 as a date.
fn day(days: i32) -> Result<NaiveDate, SettleError> {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(i64::from(days))))
        .ok_or_else(|| SettleError::Query(format!("datum buiten bereik: dag {days}")))
}

/// Column `i` cast to `ty` and read as `A`, without empty values (`what`: the type in Dutch).
fn column<A: Array + Clone + 'static>(
    b: &RecordBatch,
    i: usize,
    ty: &DataType,
    what: &str,
) -> Result<A, SettleError> {
    let a = cast(b.column(i), ty).map_err(|e| SettleError::Query(e.to_string()))?;
    let s = a
        .as_any()
        .downcast_ref::<A>()
        .ok_or_else(|| SettleError::Query(format!("kolom {i} is geen {what}")))?
        .clone();
    if s.null_count() > 0 {
        return Err(SettleError::Query(format!(
            "kolom {} bevat lege waarden",
            b.schema().field(i).name()
        )));
    }
    Ok(s)
}

/// Column `i` as Date32.
fn dates(b: &RecordBatch, i: usize) -> Result<Date32Array, SettleError> {
    column(b, i, &DataType::Date32, "datum")
}

/// Column `i` as Utf8 (DataFusion may hand strings out as Utf8View).
fn strings(b: &RecordBatch, i: usize) -> Result<StringArray, SettleError> {
    column(b, i, &DataType::Utf8, "tekst")
}

/// Column `i` as Int64 (sums of Int64 are Int64; counts Int64).
fn ints(b: &RecordBatch, i: usize) -> Result<Int64Array, SettleError> {
    column(b, i, &DataType::Int64, "geheel getal")
}

/// Per (provider AGB, claim year): the approved lines and their amount in cents.
pub type ClaimYears = BTreeMap<(String, i32), (i64, i64)>;

/// Per provider and claim year (the year of the service date): the approved district nursing
/// lines and their amount, for the control term (chapter 7).
pub fn scan_claim_years(
    rules: &NursingRules,
    results: &[PathBuf],
    provider: Option<&str>,
) -> Result<ClaimYears, SettleError> {
    run_on(Engine::Local, results, provider, |ctx| async move {
        let ctx = register_results(ctx, results).await?;
        let all: Vec<&str> = rules.prestaties.iter().map(String::as_str).collect();
        let only = provider
            .map(|p| format!("AND provider_agb = '{p}'"))
            .unwrap_or_default();
        let q = format!(
            "SELECT provider_agb, CAST(date_part('year', start_date) AS BIGINT) AS yr,
                    COUNT(*) AS n, SUM(granted_cents) AS cents
             FROM results
             WHERE decision IN ('granted', 'reduced') AND prestatie IN ({codes})
               AND start_date IS NOT NULL {only}
             GROUP BY provider_agb, yr",
            codes = in_list(&all)
        );
        let mut out = BTreeMap::new();
        for b in ctx.sql(&q).await?.collect().await? {
            let agb = strings(&b, 0)?;
            let (yr, n, cents) = (ints(&b, 1)?, ints(&b, 2)?, ints(&b, 3)?);
            for i in 0..b.num_rows() {
                let y = i32::try_from(yr.value(i)).map_err(|_| {
                    SettleError::Query(format!("jaar {} buiten bereik", yr.value(i)))
                })?;
                out.insert((agb.value(i).to_string(), y), (n.value(i), cents.value(i)));
            }
        }
        Ok(out)
    })
}
