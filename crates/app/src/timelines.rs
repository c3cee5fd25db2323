//! A policy's contracting timeline seen from a date, and what is due next.

use chrono::NaiveDate;
use serde::Serialize;
use zorginkoop_engine::calendar::{self, TimelineStatus};
use zorginkoop_policy::{Milestone, Policy};

/// The timeline of one policy on a date.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline<'a> {
    pub policy: &'a str,
    pub status: TimelineStatus<'a>,
    pub next_due: Option<Due>,
}

/// The next thing due: a window that closes or a milestone that comes.
#[derive(Debug, Clone, Serialize)]
pub struct Due {
    pub date: NaiveDate,
    /// Days from the reference date (0 = today).
    pub days_left: i64,
    pub milestone: Milestone,
}

/// Where `date` falls in the timeline of `policy`.
pub fn timeline(policy: &Policy, date: NaiveDate) -> Timeline<'_> {
    let status = calendar::timeline(policy, date);
    let next_due = status.next_due().map(|(d, m)| Due {
        date: d,
        days_left: (d - date).num_days(),
        milestone: m.clone(),
    });
    Timeline {
        policy: policy.id(),
        status,
        next_due,
    }
}
