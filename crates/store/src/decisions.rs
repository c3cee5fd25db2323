//! The `decisions` table: every decision the engine made, with its receipt and trace.

use crate::{Store, StoreError, args};

/// One module's decision as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub decided_at: String,
    pub provider_name: String,
    pub provider_agb: Option<String>,
    pub provider_kind: String,
    pub policy_id: String,
    pub policy_version: String,
    pub policy_sha256: String,
    pub engine_version: String,
    pub reference_date: String,
    pub module: String,
    pub outcome: String,
    pub earliest_start: Option<String>,
    pub trace_json: String,
}

impl Store {
    /// Records decisions in one transaction; returns how many were written.
    pub fn record_decisions(&mut self, rows: &[DecisionRow]) -> Result<usize, StoreError> {
        self.db.write(|tx| {
            for r in rows {
                tx.execute(
                    "INSERT INTO decisions (decided_at, provider_name, provider_agb, provider_kind, policy_id,
                       policy_version, policy_sha256, engine_version, reference_date, module, outcome,
                       earliest_start, trace_json)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    args![
                        &r.decided_at,
                        &r.provider_name,
                        r.provider_agb.as_deref(),
                        &r.provider_kind,
                        &r.policy_id,
                        &r.policy_version,
                        &r.policy_sha256,
                        &r.engine_version,
                        &r.reference_date,
                        &r.module,
                        &r.outcome,
                        r.earliest_start.as_deref(),
                        &r.trace_json,
                    ],
                )?;
            }
            Ok(rows.len())
        })
    }

    /// Count of stored decisions per outcome, in a stable order.
    pub fn decision_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        self.db.read(|tx| {
            tx.query(
                "SELECT outcome, COUNT(*) AS n FROM decisions GROUP BY outcome ORDER BY outcome",
                &[],
            )?
            .iter()
            .map(|r| Ok((r.text("outcome")?, r.int("n")?)))
            .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(outcome: &str) -> DecisionRow {
        DecisionRow {
            decided_at: "2026-11-23T06:00:00Z".into(),
            provider_name: "Praktijk".into(),
            provider_agb: Some("01012345".into()),
            provider_kind: "practice".into(),
            policy_id: "gp-2022-2023".into(),
            policy_version: "2.1".into(),
            policy_sha256: "a".repeat(64),
            engine_version: "0.1.0".into(),
            reference_date: "2022-01-01".into(),
            module: "poh-ggz".into(),
            outcome: outcome.into(),
            earliest_start: Some("2022-04-01".into()),
            trace_json: "[]".into(),
        }
    }

    #[test]
    fn decisions_are_kept_with_their_receipt() {
        let mut s = Store::in_memory().unwrap();
        s.record_decisions(&[row("eligible"), row("eligible"), row("needs-review")])
            .unwrap();
        assert_eq!(
            s.decision_counts().unwrap(),
            vec![("eligible".to_string(), 2), ("needs-review".to_string(), 1)]
        );
    }

    #[test]
    fn an_unknown_outcome_or_a_short_hash_is_refused() {
        let mut s = Store::in_memory().unwrap();
        assert!(s.record_decisions(&[row("maybe")]).is_err());
        let mut bad = row("eligible");
        bad.policy_sha256 = "abc".into();
        assert!(s.record_decisions(&[bad]).is_err());
        assert!(
            s.decision_counts().unwrap().is_empty(),
            "nothing half-written"
        );
    }
}
