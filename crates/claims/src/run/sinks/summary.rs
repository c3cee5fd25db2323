//! The summary sink: tallies per decision, reason and provider, and the file reports; at the
//! end `summary.json` (with the rules), `summary.txt` and `rules.json`.

use super::{Part, ResultBatch, ResultSink};
use crate::checker::Checker;
use crate::row::Row;
use crate::run::{RunError, Summary, io};
use std::path::{Path, PathBuf};

/// Collects the [`Summary`] of a run and writes it at the end.
pub struct SummaryTallies<'a> {
    checker: &'a Checker,
    out: PathBuf,
    names: Vec<String>,
    pub(crate) summary: Summary,
}

impl<'a> SummaryTallies<'a> {
    pub fn new(checker: &'a Checker, out_dir: &Path) -> SummaryTallies<'a> {
        SummaryTallies {
            checker,
            out: out_dir.to_path_buf(),
            names: checker.reasons.iter().map(|r| r.code.clone()).collect(),
            summary: Summary::default(),
        }
    }

    /// The summary so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }
}

impl ResultSink for SummaryTallies<'_> {
    fn write(&mut self, batch: &ResultBatch<'_>) -> Result<(), RunError> {
        for row in batch.rows() {
            tally(&mut self.summary, row, &self.names);
        }
        if let Part::File(f) = &batch.part {
            self.summary.files.push(f.report.clone());
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), RunError> {
        write_summary(self.checker, &self.out, &self.summary)
    }
}

fn tally(s: &mut Summary, row: &Row, names: &[String]) {
    let o = &row.outcome;
    s.total.add(row.claimed, o.granted);
    s.by_decision
        .entry(o.decision.as_str().to_string())
        .or_default()
        .add(row.claimed, o.granted);
    let prov = s.by_provider.entry(row.provider).or_default();
    if o.reasons().is_empty() {
        prov.entry("-".into())
            .or_default()
            .add(row.claimed, o.granted);
    }
    for r in o.reasons() {
        let name = &names[r.reason as usize];
        s.by_reason
            .entry(name.clone())
            .or_default()
            .add(row.claimed, o.granted);
        prov.entry(name.clone())
            .or_default()
            .add(row.claimed, o.granted);
    }
}

fn write_summary(checker: &Checker, out: &Path, s: &Summary) -> Result<(), RunError> {
    let p = out.join("summary.json");
    let reasons: Vec<serde_json::Value> = checker
        .rules
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "reason_code": r.reason_code, "rule": r.id, "policy": r.policy,
                "return_code": format!("{:04}", r.return_code), "source": r.source,
            })
        })
        .collect();
    let json = serde_json::json!({ "summary": s, "rules": reasons });
    std::fs::write(&p, serde_json::to_vec_pretty(&json).unwrap()).map_err(io(&p))?;
    let p = out.join("summary.txt");
    std::fs::write(&p, summary_text(s)).map_err(io(&p))?;
    let p = out.join("rules.json");
    std::fs::write(&p, serde_json::to_vec_pretty(&checker.rules).unwrap()).map_err(io(&p))?;
    Ok(())
}

fn eur(c: i128) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

/// The readable summary table (totals, per decision, per reason, per provider and reason).
pub fn summary_text(s: &Summary) -> String {
    let mut t = summary_head(s);
    t.push_str(&provider_table(s));
    t
}

/// The summary without the per-provider table (for the terminal).
pub fn summary_head(s: &Summary) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let rejected_files = s.files.iter().filter(|f| f.status == "rejected").count();
    let _ = writeln!(
        t,
        "Files: {} ({} rejected as a whole)",
        s.files.len(),
        rejected_files
    );
    for f in s.files.iter().filter(|f| f.error.is_some()).take(20) {
        let _ = writeln!(t, "  {}: {}", f.file, f.error.as_deref().unwrap_or(""));
    }
    let _ = writeln!(
        t,
        "Lines: {}  claimed EUR {}  granted EUR {}",
        s.total.lines,
        eur(s.total.claimed_cents),
        eur(s.total.granted_cents)
    );
    let _ = writeln!(
        t,
        "\n{:<10} {:>12} {:>16} {:>16}",
        "decision", "lines", "claimed EUR", "granted EUR"
    );
    for (k, v) in &s.by_decision {
        let _ = writeln!(
            t,
            "{:<10} {:>12} {:>16} {:>16}",
            k,
            v.lines,
            eur(v.claimed_cents),
            eur(v.granted_cents)
        );
    }
    let _ = writeln!(
        t,
        "\n{:<34} {:>12} {:>16}",
        "reason", "lines", "claimed EUR"
    );
    for (k, v) in &s.by_reason {
        let _ = writeln!(t, "{:<34} {:>12} {:>16}", k, v.lines, eur(v.claimed_cents));
    }
    t
}

fn provider_table(s: &Summary) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "\n{:<10} {:<34} {:>10} {:>14} {:>14}",
        "provider", "reason", "lines", "claimed EUR", "granted EUR"
    );
    for (p, m) in &s.by_provider {
        for (k, v) in m {
            let _ = writeln!(
                t,
                "{:<10} {:<34} {:>10} {:>14} {:>14}",
                format!("{p:08}"),
                k,
                v.lines,
                eur(v.claimed_cents),
                eur(v.granted_cents)
            );
        }
    }
    t
}
