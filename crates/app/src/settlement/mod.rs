//! Settlement statements as recorded: a settlement run (`zorginkoop settle ... --db`) stores,
//! per provider, the statement a person can follow line by line; the portal and the API show
//! them, with mirror information against the other providers of the same run.
//!
//! The computation itself (DataFusion over the claim results) is `zorginkoop-settle`'s, called
//! by the CLI; this module only records and shows what it produced, so that the portal does not
//! link DataFusion. A statement is kept as its versioned JSON (`schema` names the shape) and read
//! back as JSON: this module needs no settlement types.
//!
//! Money decisions are all or nothing and never twice: a run is recorded in one transaction with
//! its audit row; the database refuses changes and removals of recorded runs and statements
//! (triggers); recording the same inputs again gives the run recorded before. A new computation
//! (other claims, other terms, another policy version) is a new run, and the newest run of a
//! domain and year is the current one; earlier runs stay readable.
//!
//! Who sees what: the insurer's staff see every statement; a provider's users only the
//! statements of their organisation's AGB code, and in the mirror information the other
//! providers without name or code.

pub mod xlsx;

use crate::AppError;
use crate::accounts::{Actor, sha256_hex};
use crate::audit::{self, AuditEntry};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::str::FromStr;
use zorginkoop_store::{Db, Row, args};

/// The domain of district nursing settlements.
pub const DOMAIN_NURSING: &str = "wijkverpleging";

/// The domain of diagnostics (laboratories) and thrombosis settlements.
pub const DOMAIN_LABS: &str = "eerstelijnsdiagnostiek";

/// One provider's statement of a run to record.
#[derive(Debug, Clone)]
pub struct NewStatement {
    /// 8 digits.
    pub provider_agb: String,
    /// The category in Dutch ("reguliere zorgaanbieder").
    pub category: String,
    /// The amount settled; `None` while something is missing.
    pub total: Option<Decimal>,
    /// The statement as its versioned JSON.
    pub json: Json,
}

/// A settlement run to record.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub domain: String,
    pub year: i32,
    pub policy_id: String,
    pub policy_version: String,
    pub policy_sha256: String,
    /// SHA-256 over everything the run read (see [`inputs_sha256`]).
    pub inputs_sha256: String,
    /// Which inputs, in Dutch, for the reader ("results.parquet (12.345 bytes), terms.csv").
    pub inputs_note: String,
    pub statements: Vec<NewStatement>,
}

/// The SHA-256 of a run's inputs: each named part (a file's name and its bytes, the policy's
/// hash, the options) in order, length-prefixed so that no two lists give the same bytes.
pub fn inputs_sha256(parts: &[(&str, &[u8])]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (name, bytes) in parts {
        h.update((name.len() as u64).to_be_bytes());
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    }
    format!("{:x}", h.finalize())
}

/// The SHA-256 (hex) and length of a file, read in pieces (result files can be large).
pub fn file_sha256(path: &std::path::Path) -> Result<(String, u64), AppError> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path).map_err(AppError::io(path))?;
    let mut h = Sha256::new();
    let len = std::io::copy(&mut f, &mut h).map_err(AppError::io(path))?;
    Ok((format!("{:x}", h.finalize()), len))
}

/// What recording a run did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Recorded {
    pub run_id: i64,
    /// False when the same inputs were recorded before: nothing was written.
    pub new: bool,
    pub statements: usize,
}

/// Records a run with its statements, all or nothing, with its audit row. The same domain, year
/// and inputs recorded before give that run back and write nothing.
pub fn record_run(
    db: &Db,
    run: &NewRun,
    recorded_by: &str,
    at: DateTime<Utc>,
) -> Result<Recorded, AppError> {
    if run.inputs_sha256.len() != 64 {
        return Err(AppError::Invalid {
            field: "inputs_sha256".into(),
            problem: "verwacht 64 hexadecimale tekens".into(),
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    for s in &run.statements {
        if s.provider_agb.len() != 8 || !s.provider_agb.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::Invalid {
                field: "provider_agb".into(),
                problem: format!("`{}` is geen AGB-code van 8 cijfers", s.provider_agb),
            });
        }
        if !seen.insert(&s.provider_agb) {
            return Err(AppError::Invalid {
                field: "provider_agb".into(),
                problem: format!("zorgaanbieder {} staat twee keer in de run", s.provider_agb),
            });
        }
    }
    let existing = |db: &Db| -> Result<Option<Recorded>, AppError> {
        let row = db.read(|tx| {
            tx.query_one(
                "SELECT r.id, (SELECT count(*) FROM settlement_statements s WHERE s.run_id = r.id) AS n
                   FROM settlement_runs r WHERE r.domain = ? AND r.year = ? AND r.inputs_sha256 = ?",
                args![&run.domain, i64::from(run.year), &run.inputs_sha256],
            )
        })?;
        row.map(|r| {
            Ok(Recorded {
                run_id: r.int("id")?,
                new: false,
                statements: r.int("n")? as usize,
            })
        })
        .transpose()
    };
    if let Some(r) = existing(db)? {
        return Ok(r);
    }
    let total: Option<Decimal> = run
        .statements
        .iter()
        .try_fold(Decimal::ZERO, |acc, s| acc.checked_add(s.total?));
    let written = db.write(|tx| {
        let run_id = tx.insert(
            "INSERT INTO settlement_runs (domain, year, policy_id, policy_version, policy_sha256,
               inputs_sha256, inputs_note, recorded_by, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            args![
                &run.domain,
                i64::from(run.year),
                &run.policy_id,
                &run.policy_version,
                &run.policy_sha256,
                &run.inputs_sha256,
                &run.inputs_note,
                recorded_by,
                at.to_rfc3339()
            ],
        )?;
        for s in &run.statements {
            tx.insert(
                "INSERT INTO settlement_statements (run_id, provider_agb, category, total, statement_json)
                 VALUES (?, ?, ?, ?, ?)",
                args![
                    run_id,
                    &s.provider_agb,
                    &s.category,
                    s.total.map(|t| t.to_string()),
                    s.json.to_string()
                ],
            )?;
        }
        audit::append(
            tx,
            &AuditEntry {
                at,
                user_id: None,
                organisation_id: None,
                action: format!("afrekening {} {} vastgelegd", run.domain, run.year),
                object_type: "settlement_run".into(),
                object_id: Some(run_id),
                before: None,
                after: Some(serde_json::json!({
                    "domein": run.domain,
                    "jaar": run.year,
                    "afrekeningen": run.statements.len(),
                    "totaal": total.map(|t| t.to_string()),
                    "invoer": run.inputs_note,
                    "invoer_sha256": run.inputs_sha256,
                    "vastgelegd_door": recorded_by,
                })),
                receipt: Some(serde_json::json!({
                    "policy": run.policy_id,
                    "version": run.policy_version,
                    "sha256": run.policy_sha256,
                })),
                ip: None,
            },
        )?;
        Ok::<_, AppError>(run_id)
    });
    match written {
        Ok(run_id) => Ok(Recorded {
            run_id,
            new: true,
            statements: run.statements.len(),
        }),
        // the same inputs recorded at the same moment by another process: its run counts
        Err(e) => existing(db)?.ok_or(e),
    }
}

/// A recorded run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunInfo {
    pub id: i64,
    pub domain: String,
    pub year: i64,
    pub policy_id: String,
    pub policy_version: String,
    pub policy_sha256: String,
    pub inputs_sha256: String,
    pub inputs_note: String,
    pub recorded_by: String,
    pub recorded_at: String,
    /// Whether this is the newest run of its domain and year.
    pub current: bool,
}

impl RunInfo {
    fn from_row(r: &Row) -> Result<RunInfo, zorginkoop_store::StoreError> {
        Ok(RunInfo {
            id: r.int("id")?,
            domain: r.text("domain")?,
            year: r.int("year")?,
            policy_id: r.text("policy_id")?,
            policy_version: r.text("policy_version")?,
            policy_sha256: r.text("policy_sha256")?,
            inputs_sha256: r.text("inputs_sha256")?,
            inputs_note: r.text("inputs_note")?,
            recorded_by: r.text("recorded_by")?,
            recorded_at: r.text("recorded_at")?,
            current: r.int("current")? == 1,
        })
    }
}

const RUN_COLUMNS: &str = "r.id, r.domain, r.year, r.policy_id, r.policy_version, r.policy_sha256,
    r.inputs_sha256, r.inputs_note, r.recorded_by, r.recorded_at,
    CASE WHEN r.id = (SELECT max(r2.id) FROM settlement_runs r2
                       WHERE r2.domain = r.domain AND r2.year = r.year) THEN 1 ELSE 0 END AS current";

/// A statement as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatementSummary {
    pub id: i64,
    pub run: RunInfo,
    pub provider_agb: String,
    /// The organisation in the portal with this AGB code, when there is one.
    pub provider_name: Option<String>,
    pub category: String,
    /// Euro as a decimal string; `None` while the statement is incomplete.
    pub total: Option<String>,
}

/// The AGB code of the actor's organisation (`None` for the insurer or a provider without one).
fn own_agb(db: &Db, actor: &Actor) -> Result<Option<String>, AppError> {
    let row = db.read(|tx| {
        tx.query_one(
            "SELECT agb FROM organisations WHERE id = ?",
            args![actor.organisation_id],
        )
    })?;
    Ok(row.map(|r| r.opt_text("agb")).transpose()?.flatten())
}

/// The runs the actor may see, newest first: all for the insurer's staff; for a provider the
/// runs that hold a statement of its own.
pub fn runs(db: &Db, actor: &Actor) -> Result<Vec<RunInfo>, AppError> {
    let rows = if actor.role.is_insurer() {
        db.read(|tx| {
            tx.query(
                &format!("SELECT {RUN_COLUMNS} FROM settlement_runs r ORDER BY r.id DESC"),
                &[],
            )
        })?
    } else {
        let Some(agb) = own_agb(db, actor)? else {
            return Ok(Vec::new());
        };
        db.read(|tx| {
            tx.query(
                &format!(
                    "SELECT {RUN_COLUMNS} FROM settlement_runs r
                      WHERE EXISTS (SELECT 1 FROM settlement_statements s WHERE s.run_id = r.id AND s.provider_agb = ?)
                      ORDER BY r.id DESC"
                ),
                args![agb],
            )
        })?
    };
    Ok(rows
        .iter()
        .map(RunInfo::from_row)
        .collect::<Result<_, _>>()?)
}

/// The statements the actor may see: of the current runs (or of run `run`), all providers for
/// the insurer's staff, the own organisation's for a provider (of every run when `run` is None).
pub fn statements(
    db: &Db,
    actor: &Actor,
    run: Option<i64>,
) -> Result<Vec<StatementSummary>, AppError> {
    let runs: BTreeMap<i64, RunInfo> = self::runs(db, actor)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let base = "SELECT s.id, s.run_id, s.provider_agb, s.category, s.total, o.name AS provider_name
                  FROM settlement_statements s LEFT JOIN organisations o ON o.agb = s.provider_agb";
    let rows = if actor.role.is_insurer() {
        match run {
            Some(r) => db.read(|tx| {
                tx.query(
                    &format!("{base} WHERE s.run_id = ? ORDER BY s.provider_agb"),
                    args![r],
                )
            })?,
            None => {
                let current: Vec<i64> = runs.values().filter(|r| r.current).map(|r| r.id).collect();
                let mut rows = Vec::new();
                for r in current.iter().rev() {
                    rows.extend(db.read(|tx| {
                        tx.query(
                            &format!("{base} WHERE s.run_id = ? ORDER BY s.provider_agb"),
                            args![*r],
                        )
                    })?);
                }
                rows
            }
        }
    } else {
        let Some(agb) = own_agb(db, actor)? else {
            return Ok(Vec::new());
        };
        db.read(|tx| {
            tx.query(
                &format!(
                    "{base} WHERE s.provider_agb = ? AND (? = 0 OR s.run_id = ?) ORDER BY s.run_id DESC"
                ),
                args![agb, run.unwrap_or(0), run.unwrap_or(0)],
            )
        })?
    };
    rows.iter()
        .map(|r| {
            let run_id = r.int("run_id")?;
            let run = runs
                .get(&run_id)
                .cloned()
                .ok_or_else(|| AppError::NotFound(format!("afrekenrun {run_id}")))?;
            Ok(StatementSummary {
                id: r.int("id")?,
                run,
                provider_agb: r.text("provider_agb")?,
                provider_name: r.opt_text("provider_name")?,
                category: r.text("category")?,
                total: r.opt_text("total")?,
            })
        })
        .collect()
}

/// A statement with its JSON.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StatementDetail {
    #[serde(flatten)]
    pub summary: StatementSummary,
    pub statement: Json,
}

/// One statement, when the actor may see it (another provider's answers as a missing one).
pub fn statement(db: &Db, actor: &Actor, id: i64) -> Result<StatementDetail, AppError> {
    let missing = || AppError::NotFound(format!("afrekening {id}"));
    let row = db
        .read(|tx| {
            tx.query_one(
                &format!(
                    "SELECT s.id AS statement_id, s.provider_agb, s.category, s.total, s.statement_json,
                            o.name AS provider_name, {RUN_COLUMNS}
                       FROM settlement_statements s JOIN settlement_runs r ON r.id = s.run_id
                       LEFT JOIN organisations o ON o.agb = s.provider_agb
                      WHERE s.id = ?"
                ),
                args![id],
            )
        })?
        .ok_or_else(missing)?;
    let agb = row.text("provider_agb")?;
    if !actor.role.is_insurer() && own_agb(db, actor)?.as_deref() != Some(agb.as_str()) {
        return Err(missing());
    }
    let run = RunInfo::from_row(&row)?;
    let statement: Json =
        serde_json::from_str(&row.text("statement_json")?).map_err(|e| AppError::Invalid {
            field: "statement_json".into(),
            problem: e.to_string(),
        })?;
    Ok(StatementDetail {
        summary: StatementSummary {
            id: row.int("statement_id")?,
            run,
            provider_agb: agb,
            provider_name: row.opt_text("provider_name")?,
            category: row.text("category")?,
            total: row.opt_text("total")?,
        },
        statement,
    })
}

/// A figure the mirror information compares between the providers of a run: a statement step
/// and how to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MirrorMetric {
    /// The statement step the figure is taken from.
    pub step: &'static str,
    /// What it is, in Dutch.
    pub label: &'static str,
    /// The unit shown after the figure.
    pub unit: &'static str,
}

/// The district nursing figures of the mirror information (issue 14 part 6): hours per client
/// per month, the efficiency group and ratio, the client-per-postcode ratio, and the production.
pub const NURSING_MIRROR: &[MirrorMetric] = &[
    MirrorMetric {
        step: "hours_year",
        label: "Uren per cliënt per maand",
        unit: "uur",
    },
    MirrorMetric {
        step: "efficiency_ratio",
        label: "Werkelijke ten opzichte van verwachte kosten per cliëntmaand",
        unit: "",
    },
    MirrorMetric {
        step: "efficiency_group",
        label: "Doelmatigheidsgroep",
        unit: "",
    },
    MirrorMetric {
        step: "client_postcode_ratio",
        label: "Klant-werkgebied-ratio",
        unit: "klanten per postcodegebied",
    },
    MirrorMetric {
        step: "production",
        label: "Productie in het jaar",
        unit: "euro",
    },
];

/// The diagnostics figures of the mirror information (issue 14 part 6): orders per patient,
/// analyses per order (one order: a patient's approved lines at the provider on one date) and
/// the production.
pub const LABS_MIRROR: &[MirrorMetric] = &[
    MirrorMetric {
        step: "orders_per_patient",
        label: "Gemiddeld aantal orders per patiënt",
        unit: "orders per patiënt",
    },
    MirrorMetric {
        step: "analyses_per_order",
        label: "Gemiddeld aantal analyses per order",
        unit: "analyses per order",
    },
    MirrorMetric {
        step: "production",
        label: "Productie in het jaar",
        unit: "euro",
    },
];

/// The figures of the mirror information for the runs of a domain: [`LABS_MIRROR`] for
/// [`DOMAIN_LABS`], [`NURSING_MIRROR`] for district nursing (and any other domain).
pub fn mirror_metrics(domain: &str) -> &'static [MirrorMetric] {
    match domain {
        DOMAIN_LABS => LABS_MIRROR,
        _ => NURSING_MIRROR,
    }
}

/// The mirror information of statement `id` with the figures of its run's domain (see
/// [`mirror_metrics`]).
pub fn mirror_of_domain(db: &Db, actor: &Actor, id: i64) -> Result<Vec<MirrorSeries>, AppError> {
    let own = statement(db, actor, id)?;
    mirror(db, actor, id, mirror_metrics(&own.summary.run.domain))
}

/// One provider's figure in the mirror information.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MirrorPoint {
    /// The provider's AGB code and name for the insurer's staff and for the provider itself;
    /// for a provider, the others are "aanbieder 1", "aanbieder 2", ... (in the order of the
    /// figure, so that the label tells nothing of who it is).
    pub label: String,
    pub own: bool,
    pub value: Decimal,
}

/// A figure compared over the providers of a run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MirrorSeries {
    pub step: String,
    pub label: String,
    pub unit: String,
    /// Sorted by value, lowest first.
    pub points: Vec<MirrorPoint>,
    /// The median over the providers.
    pub median: Decimal,
}

/// The figure of `step` in a statement's JSON, when it is numeric.
pub fn figure(statement: &Json, step: &str) -> Option<Decimal> {
    let line = statement
        .get("lines")?
        .as_array()?
        .iter()
        .find(|l| l.get("step").and_then(Json::as_str) == Some(step))?;
    let value = line.get("amount")?.get("value")?;
    match value {
        Json::String(s) => Decimal::from_str(s).ok(),
        Json::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    }
}

/// The mirror information of statement `id`: each figure of `metrics` over the providers of its
/// run (the peers: the same domain and year), the own provider marked. Figures that fewer than
/// two providers have are left out.
pub fn mirror(
    db: &Db,
    actor: &Actor,
    id: i64,
    metrics: &[MirrorMetric],
) -> Result<Vec<MirrorSeries>, AppError> {
    let own = statement(db, actor, id)?;
    let run_id = own.summary.run.id;
    let rows = db.read(|tx| {
        tx.query(
            "SELECT s.provider_agb, s.statement_json, o.name AS provider_name
               FROM settlement_statements s LEFT JOIN organisations o ON o.agb = s.provider_agb
              WHERE s.run_id = ? ORDER BY s.provider_agb",
            args![run_id],
        )
    })?;
    let mut peers = Vec::with_capacity(rows.len());
    for r in &rows {
        let json: Json = serde_json::from_str(&r.text("statement_json")?).unwrap_or(Json::Null);
        peers.push((r.text("provider_agb")?, r.opt_text("provider_name")?, json));
    }
    let insurer = actor.role.is_insurer();
    let mut out = Vec::new();
    for m in metrics {
        let mut points: Vec<(Decimal, &str, Option<&str>)> = peers
            .iter()
            .filter_map(|(agb, name, json)| {
                figure(json, m.step).map(|v| (v, agb.as_str(), name.as_deref()))
            })
            .collect();
        if points.len() < 2 {
            continue;
        }
        points.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        let n = points.len();
        let median = if n % 2 == 1 {
            points[n / 2].0
        } else {
            (points[n / 2 - 1].0 + points[n / 2].0) / Decimal::TWO
        };
        let mut other = 0;
        let points = points
            .into_iter()
            .map(|(value, agb, name)| {
                let is_own = agb == own.summary.provider_agb;
                let label = if insurer || is_own {
                    match name {
                        Some(n) => format!("{agb} {n}"),
                        None => agb.to_string(),
                    }
                } else {
                    other += 1;
                    format!("aanbieder {other}")
                };
                MirrorPoint {
                    label,
                    own: is_own,
                    value,
                }
            })
            .collect();
        out.push(MirrorSeries {
            step: m.step.into(),
            label: m.label.into(),
            unit: m.unit.into(),
            points,
            median,
        });
    }
    Ok(out)
}

/// A short fingerprint of a statement's JSON (for a download's name and the audit log).
pub fn statement_sha256(statement: &Json) -> String {
    sha256_hex(&statement.to_string())
}
