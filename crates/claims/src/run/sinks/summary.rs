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

/// An amount in cents as people read it in Dutch: `€ 1.234,56`.
fn eur(c: i128) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let euros = (c.abs() / 100).to_string();
    let mut grouped = String::with_capacity(euros.len() + euros.len() / 3);
    for (i, ch) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{sign}€ {grouped},{:02}", c.abs() % 100)
}

/// The Dutch word for a decision as `results.csv` writes it.
fn decision_nl(k: &str) -> &str {
    match k {
        "granted" => "toegekend",
        "reduced" => "deels toegekend",
        "rejected" => "afgewezen",
        other => other,
    }
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
        "Bestanden: {} ({} geheel afgewezen)",
        s.files.len(),
        rejected_files
    );
    for f in s.files.iter().filter(|f| f.error.is_some()).take(20) {
        let _ = writeln!(t, "  {}: {}", f.file, f.error.as_deref().unwrap_or(""));
    }
    let _ = writeln!(
        t,
        "Declaratieregels: {}  gedeclareerd {}  toegekend {}",
        s.total.lines,
        eur(s.total.claimed_cents),
        eur(s.total.granted_cents)
    );
    let _ = writeln!(
        t,
        "\n{:<16} {:>12} {:>20} {:>20}",
        "beslissing", "regels", "gedeclareerd", "toegekend"
    );
    for (k, v) in &s.by_decision {
        let _ = writeln!(
            t,
            "{:<16} {:>12} {:>20} {:>20}",
            decision_nl(k),
            v.lines,
            eur(v.claimed_cents),
            eur(v.granted_cents)
        );
    }
    let _ = writeln!(
        t,
        "\n{:<34} {:>12} {:>20}",
        "reden", "regels", "gedeclareerd"
    );
    for (k, v) in &s.by_reason {
        let _ = writeln!(t, "{:<34} {:>12} {:>20}", k, v.lines, eur(v.claimed_cents));
    }
    t
}

fn provider_table(s: &Summary) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "\n{:<10} {:<34} {:>10} {:>18} {:>18}",
        "AGB", "reden", "regels", "gedeclareerd", "toegekend"
    );
    for (p, m) in &s.by_provider {
        for (k, v) in m {
            let _ = writeln!(
                t,
                "{:<10} {:<34} {:>10} {:>18} {:>18}",
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

#[cfg(test)]
mod dutch_tests {
    use super::*;

    #[test]
    fn amounts_read_as_dutch_euros() {
        assert_eq!(eur(0), "€ 0,00");
        assert_eq!(eur(5), "€ 0,05");
        assert_eq!(eur(123_456), "€ 1.234,56");
        assert_eq!(eur(-100_000_000), "-€ 1.000.000,00");
        assert_eq!(decision_nl("reduced"), "deels toegekend");
    }
}
