//! The state every handler shares: the database, the loaded policies and the clock.

use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use zorginkoop_app::AppError;
use zorginkoop_app::engine::ModuleDecision;
use zorginkoop_app::policy::PolicySet;
use zorginkoop_app::store::Db;

/// What "today" is for the portal: the real date, or a fixed date (the demo acts on a day on
/// which the GP 2022-2023 application window is open; tests pin the date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    /// Today is this date; the time of day is the real one.
    Fixed(NaiveDate),
}

/// Shared by every request. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub policies: Arc<PolicySet>,
    pub clock: Clock,
    /// Set the `Secure` flag on cookies (behind HTTPS).
    pub secure_cookies: bool,
    /// The catalogue's decisions, by everything they depend on.
    pub decisions: Arc<DecisionCache>,
    /// The demo's own day per organisation (organisation id -> date), so that every process can
    /// be walked through inside its own application window: only with a fixed clock (the demo,
    /// tests); empty in production.
    pub organisation_days: Arc<HashMap<i64, NaiveDate>>,
}

impl AppState {
    pub fn new(db: Db, policies: PolicySet, clock: Clock) -> AppState {
        AppState {
            db,
            policies: Arc::new(policies),
            clock,
            secure_cookies: false,
            decisions: Arc::default(),
            organisation_days: Arc::default(),
        }
    }

    /// Gives organisations a day of their own under a fixed clock (the demo: each process inside
    /// its own window). Ignored with the system clock.
    pub fn with_organisation_days(mut self, days: HashMap<i64, NaiveDate>) -> AppState {
        self.organisation_days = Arc::new(days);
        self
    }

    /// Today for one organisation's affairs: its own demo day when it has one (fixed clock
    /// only), else [`AppState::today`]. Pages about an organisation's application, plan or
    /// proposal use the organisation's day, for the provider and the purchaser alike.
    pub fn today_for(&self, organisation_id: i64) -> NaiveDate {
        match self.clock {
            Clock::Fixed(_) => self
                .organisation_days
                .get(&organisation_id)
                .copied()
                .unwrap_or_else(|| self.today()),
            Clock::System => self.today(),
        }
    }

    /// The moment of a change to one organisation's affairs: [`AppState::today_for`] with the
    /// real time of day.
    pub fn now_for(&self, organisation_id: i64) -> DateTime<Utc> {
        let real = Utc::now();
        match self.clock {
            Clock::System => real,
            Clock::Fixed(_) => self
                .today_for(organisation_id)
                .and_time(real.time())
                .and_utc(),
        }
    }

    /// Today's date, per the clock.
    pub fn today(&self) -> NaiveDate {
        match self.clock {
            Clock::System => Utc::now().date_naive(),
            Clock::Fixed(d) => d,
        }
    }

    /// The moment of a change, for the audit log: today's date (per the clock) with the real
    /// time of day.
    pub fn now(&self) -> DateTime<Utc> {
        let real = Utc::now();
        match self.clock {
            Clock::System => real,
            Clock::Fixed(d) => d.and_time(real.time()).and_utc(),
        }
    }

    /// Runs blocking work (database, engine) off the async threads.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || f(&state))
            .await
            .map_err(|e| AppError::BadRecord(format!("interne fout: {e}")))?
    }
}

/// Module decisions kept for reuse. A decision is a pure function of the policy, the case and
/// the date (the engine has no other input), so the key names all of them in full
/// ([`DecisionCache::key`]): a change of the answers, the contracts, the organisation, the
/// policy file or the date is a different key and is decided anew at once. Bounded: when it
/// holds [`DecisionCache::CAPACITY`] decisions it starts again empty.
#[derive(Default)]
pub struct DecisionCache {
    map: Mutex<HashMap<String, Arc<ModuleDecision>>>,
}

impl DecisionCache {
    /// The most decisions kept.
    pub const CAPACITY: usize = 4096;

    /// The key of a decision: every input of the case the engine decides (policy id and the
    /// SHA-256 of its file; the provider's name, AGB and kind; the module; the request date;
    /// the contracted modules; the answers) as one text, each part ending in a separator no part
    /// can hold unescaped (the answers as JSON, the other parts without control characters or as
    /// JSON strings).
    pub fn key(parts: &[&str], facts: &impl serde::Serialize) -> String {
        let mut key = String::with_capacity(256);
        for p in parts {
            // JSON strings: a part cannot end early or run into the next
            key.push_str(&serde_json::to_string(p).expect("a string serialises"));
            key.push('\u{1f}');
        }
        key.push_str(&serde_json::to_string(facts).expect("answers serialise"));
        key
    }

    /// The decision under `key`, deciding it with `decide` when it is not kept.
    pub fn get_or_decide(
        &self,
        key: String,
        decide: impl FnOnce() -> Result<ModuleDecision, AppError>,
    ) -> Result<Arc<ModuleDecision>, AppError> {
        if let Some(d) = self.lock().get(&key) {
            return Ok(d.clone());
        }
        let d = Arc::new(decide()?);
        let mut map = self.lock();
        if map.len() >= Self::CAPACITY {
            map.clear();
        }
        map.insert(key, d.clone());
        Ok(d)
    }

    /// How many decisions are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<ModuleDecision>>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}
