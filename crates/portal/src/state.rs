//! The state every handler shares: the database, the loaded policies and the clock.

use chrono::{DateTime, NaiveDate, Utc};
use std::sync::Arc;
use zorginkoop_app::AppError;
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
}

impl AppState {
    pub fn new(db: Db, policies: PolicySet, clock: Clock) -> AppState {
        AppState {
            db,
            policies: Arc::new(policies),
            clock,
            secure_cookies: false,
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
