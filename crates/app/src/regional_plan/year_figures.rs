//! The regio-organisatie's year figures in the portal: it enters the number of 75-plussers of a
//! year ("Vervolgens vult u in het Zorginkoopportaal van VECOZO het aantal 75-plussers, zodat we
//! het budget kunnen bepalen.", 002 bijlage 3; here the portal takes that place) and sees its budget
//! Kwetsbare ouderen ([`crate::frail_elderly`], the engine's parameters of that year); it uploads
//! the Praktijkspiegel figures of its practices and sees the KBZ monitor
//! ([`crate::kbz_monitor`]). The purchaser sees both for every RO. Entries are kept: a new entry
//! for a year is the one that counts, the earlier ones stay (with who and when).

use super::{POLICY, require_ro};
use crate::AppError;
use crate::accounts::{self, Actor, Role};
use crate::audit::{self, AuditEntry};
use crate::frail_elderly::{self, FrailElderlyYear, RoCount};
use crate::kbz_monitor::{self, KbzMonitor};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use zorginkoop_policy::Policy;
use zorginkoop_store::{Db, args};

/// The kinds of year figures.
pub const PERSONS_75_PLUS: &str = "persons-75-plus";
pub const KBZ_PRAKTIJKSPIEGEL: &str = "kbz-praktijkspiegel";

/// The largest Praktijkspiegel upload (characters).
pub const MAX_CSV: usize = 512 * 1024;

/// One entry as it counts now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub year: i32,
    pub content: String,
    pub entered_by: String,
    pub entered_at: String,
}

/// An RO's year figures: the latest entry per kind and year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub agb: Option<String>,
    /// Year -> the number of 75-plussers entered.
    pub persons_75_plus: BTreeMap<i32, Entry>,
    /// Monitor year -> the Praktijkspiegel CSV.
    pub praktijkspiegel: BTreeMap<i32, Entry>,
}

/// Records a year figure of the actor's RO: `persons-75-plus` (a whole number of 0 or more) or
/// `kbz-praktijkspiegel` (the CSV `practice_agb,year,domain,actual,expected`, checked whole:
/// errors name the line and the field). The year must be one of the policy's period.
pub fn record(
    db: &Db,
    policy: &Policy,
    actor: &Actor,
    kind: &str,
    year: i32,
    content: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let org = accounts::organisation(db, actor, actor.organisation_id)?;
    require_ro(actor, &org, "jaarcijfers opgeven")?;
    let agb = org.agb.clone().unwrap_or_default();
    let content = content.trim();
    match kind {
        PERSONS_75_PLUS => {
            let n = content.replace(['.', ' '], "");
            let persons = n.parse::<u32>().map_err(|_| AppError::Invalid {
                field: format!("aantal 75-plussers {year}"),
                problem: format!("`{content}` is geen geheel aantal van 0 of meer"),
            })?;
            // the year and the parameters must fit: computing the budget checks both
            frail_elderly::frail_elderly_year(
                policy,
                year,
                &[RoCount {
                    ro_agb: agb,
                    persons_75_plus: persons,
                }],
            )?;
            store(db, actor, kind, year, &persons.to_string(), now)
        }
        KBZ_PRAKTIJKSPIEGEL => {
            if content.len() > MAX_CSV {
                return Err(AppError::Invalid {
                    field: "Praktijkspiegel".into(),
                    problem: format!("hoogstens {} kB", MAX_CSV / 1024),
                });
            }
            let name = format!("praktijkspiegel-{year}.csv");
            let figures = kbz_monitor::parse_figures(Path::new(&name), content)?;
            kbz_monitor::kbz_monitor(policy, year, &figures)?;
            store(db, actor, kind, year, content, now)
        }
        other => Err(AppError::Invalid {
            field: "soort jaarcijfer".into(),
            problem: format!("{other:?} is geen jaarcijfer (75-plussers of Praktijkspiegel)"),
        }),
    }
}

fn store(
    db: &Db,
    actor: &Actor,
    kind: &str,
    year: i32,
    content: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    db.write(|tx| {
        let id = tx.insert(
            "INSERT INTO ro_year_figures (organisation_id, kind, year, content, entered_by, entered_at)
             VALUES (?, ?, ?, ?, ?, ?)",
            args![actor.organisation_id, kind, i64::from(year), content, actor.user_id, now.to_rfc3339()],
        )?;
        let shown = if kind == PERSONS_75_PLUS {
            serde_json::json!({"kind": kind, "year": year, "persons_75_plus": content})
        } else {
            serde_json::json!({"kind": kind, "year": year, "lines": content.lines().count()})
        };
        audit::append(
            tx,
            &AuditEntry::new(actor, "jaarcijfers opgegeven", "ro_year_figures", Some(id), now)
                .change(None, Some(shown)),
        )?;
        Ok(())
    })
}

/// The year figures of one RO (its own, or any for the insurer's staff).
pub fn of_organisation(db: &Db, actor: &Actor, organisation_id: i64) -> Result<Figures, AppError> {
    actor.check_sees(organisation_id, "jaarcijfers")?;
    let org = accounts::organisation(db, actor, organisation_id)?;
    let rows = db.read(|tx| {
        tx.query(
            "SELECT f.kind, f.year, f.content, u.name, f.entered_at
               FROM ro_year_figures f JOIN users u ON u.id = f.entered_by
              WHERE f.organisation_id = ? ORDER BY f.id",
            args![organisation_id],
        )
    })?;
    let mut f = Figures {
        organisation_id,
        organisation_name: org.name.clone(),
        agb: org.agb.clone(),
        ..Figures::default()
    };
    for r in &rows {
        let year = i32::try_from(r.int("year")?)
            .map_err(|_| AppError::BadRecord("jaarcijfers: jaar".into()))?;
        let entry = Entry {
            year,
            content: r.text("content")?,
            entered_by: r.text("name")?,
            entered_at: r.text("entered_at")?,
        };
        // later rows replace earlier ones: the latest entry counts
        match r.text("kind")?.as_str() {
            PERSONS_75_PLUS => f.persons_75_plus.insert(year, entry),
            _ => f.praktijkspiegel.insert(year, entry),
        };
    }
    Ok(f)
}

/// The year figures of every regio-organisatie (the insurer's staff).
pub fn all(db: &Db, actor: &Actor) -> Result<Vec<Figures>, AppError> {
    actor.require(
        &[Role::Purchaser, Role::Auditor, Role::Admin],
        "de jaarcijfers van alle regio-organisaties zien",
    )?;
    let ids = db.read(|tx| {
        tx.query(
            "SELECT id FROM organisations WHERE kind = 'regio-organisatie' ORDER BY name",
            &[],
        )
    })?;
    ids.iter()
        .map(|r| of_organisation(db, actor, r.int("id")?))
        .collect()
}

/// The budget Kwetsbare ouderen of each year with a count.
pub fn budgets(policy: &Policy, f: &Figures) -> Result<Vec<FrailElderlyYear>, AppError> {
    f.persons_75_plus
        .values()
        .map(|e| {
            let persons = e.content.parse::<u32>().map_err(|_| {
                AppError::BadRecord(format!("jaarcijfers: {:?} is geen aantal", e.content))
            })?;
            frail_elderly::frail_elderly_year(
                policy,
                e.year,
                &[RoCount {
                    ro_agb: f.agb.clone().unwrap_or_default(),
                    persons_75_plus: persons,
                }],
            )
        })
        .collect()
}

/// The KBZ monitor of each monitor year with figures.
pub fn monitors(policy: &Policy, f: &Figures) -> Result<Vec<KbzMonitor>, AppError> {
    f.praktijkspiegel
        .values()
        .map(|e| {
            let name = format!("praktijkspiegel-{}.csv", e.year);
            let figures = kbz_monitor::parse_figures(Path::new(&name), &e.content)?;
            kbz_monitor::kbz_monitor(policy, e.year, &figures)
        })
        .collect()
}

/// The policy the year figures belong to.
pub fn policy(set: &zorginkoop_policy::PolicySet) -> Result<&Policy, AppError> {
    crate::policies::find(set, POLICY)
}
