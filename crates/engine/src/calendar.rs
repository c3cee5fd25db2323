//! Calendar rules: start dates of modules, the request deadline before a start date, and the
//! contracting timeline ("what is due next").

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use zorginkoop_policy::{Application, LateApplication, Milestone, OnFail, Policy, StartDates};

/// The start dates a schedule allows within `[from, to]`, in order.
pub fn start_dates(schedule: &StartDates, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let months: &[u32] = match schedule {
        StartDates::Quarterly => &[1, 4, 7, 10],
        StartDates::HalfYearly => &[1, 7],
        StartDates::Yearly => &[1],
        StartDates::Monthly => &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        StartDates::PeriodStart => return if from <= to { vec![from] } else { vec![] },
    };
    let mut out = Vec::new();
    for year in from.year()..=to.year() {
        for &m in months {
            let d = NaiveDate::from_ymd_opt(year, m, 1).expect("first of a month exists");
            if d >= from && d <= to {
                out.push(d);
            }
        }
    }
    out
}

/// The last day a request may be made for a start date: `lead_time_weeks` whole weeks before.
pub fn request_deadline(start: NaiveDate, lead_time_weeks: u32) -> NaiveDate {
    start
        .checked_sub_days(Days::new(u64::from(lead_time_weeks) * 7))
        .expect("date arithmetic stays in range")
}

/// The earliest start date in the contract period `[period_start, period_end]` for a request
/// made on `request_date`: the first allowed start date whose request deadline is on or after
/// the request date. `None` when no start date is left in the period.
pub fn earliest_start(
    app: &Application,
    request_date: NaiveDate,
    period_start: NaiveDate,
    period_end: NaiveDate,
) -> Option<NaiveDate> {
    start_dates(&app.start_dates, period_start, period_end)
        .into_iter()
        .find(|&s| request_deadline(s, app.lead_time_weeks) >= request_date)
}

/// How the application window treats a request date.
#[derive(Debug, Clone, Copy)]
pub enum Window<'a> {
    /// Before `opens`: not yet.
    BeforeOpening(NaiveDate),
    /// Within the window (or no window).
    Open,
    /// After `closes` with no late route, or a late route that refuses: not eligible.
    Closed(NaiveDate),
    /// After `closes`, and the policy's late route sends the request to individual review.
    LateReview(NaiveDate, &'a LateApplication),
}

/// Where `request_date` falls in the application window of `app`.
pub fn window(app: &Application, request_date: NaiveDate) -> Window<'_> {
    if let Some(opens) = app.opens
        && request_date < opens
    {
        return Window::BeforeOpening(opens);
    }
    match (app.closes, &app.late) {
        (Some(closes), Some(late)) if request_date > closes && late.on_fail == OnFail::Review => {
            Window::LateReview(closes, late)
        }
        (Some(closes), _) if request_date > closes => Window::Closed(closes),
        _ => Window::Open,
    }
}

/// The earliest start date for a request after the window closed, on the late route's
/// schedule (falling back to the application's own schedule and lead time).
pub fn earliest_late_start(
    app: &Application,
    late: &LateApplication,
    request_date: NaiveDate,
    period_start: NaiveDate,
    period_end: NaiveDate,
) -> Option<NaiveDate> {
    let schedule = late.start_dates.as_ref().unwrap_or(&app.start_dates);
    let lead = late.lead_time_weeks.unwrap_or(app.lead_time_weeks);
    start_dates(schedule, period_start, period_end)
        .into_iter()
        .find(|&s| request_deadline(s, lead) >= request_date)
}

/// Where a date falls in a policy's contracting timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineStatus<'a> {
    pub date: NaiveDate,
    /// Milestones before the date (windows: ended before it).
    pub past: Vec<&'a Milestone>,
    /// Windows open on the date.
    pub open: Vec<&'a Milestone>,
    /// Milestones after the date, soonest first.
    pub upcoming: Vec<&'a Milestone>,
}

impl TimelineStatus<'_> {
    /// What is due next: the soonest upcoming milestone, or the end of an open window,
    /// whichever comes first.
    pub fn next_due(&self) -> Option<(NaiveDate, &Milestone)> {
        let ends = self.open.iter().filter_map(|m| m.until.map(|u| (u, *m)));
        let starts = self.upcoming.iter().map(|m| (m.date, *m));
        ends.chain(starts).min_by_key(|(d, _)| *d)
    }
}

/// The policy's timeline seen from `date`.
pub fn timeline(policy: &Policy, date: NaiveDate) -> TimelineStatus<'_> {
    let mut all: Vec<&Milestone> = policy.file.timeline.iter().collect();
    all.sort_by_key(|m| m.date);
    let mut status = TimelineStatus {
        date,
        past: vec![],
        open: vec![],
        upcoming: vec![],
    };
    for m in all {
        let end = m.until.unwrap_or(m.date);
        if m.date > date {
            status.upcoming.push(m);
        } else if end < date || (m.until.is_none() && m.date < date) {
            status.past.push(m);
        } else {
            status.open.push(m);
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use zorginkoop_policy::Source;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn app(start_dates: StartDates) -> Application {
        Application {
            start_dates,
            lead_time_weeks: 4,
            opens: None,
            closes: None,
            late: None,
            interpretation: None,
            toelichting: None,
            source: Source {
                document: "001".into(),
                section: "s".into(),
                quote: "q".into(),
            },
        }
    }

    #[test]
    fn quarterly_start_dates_are_1_jan_apr_jul_oct() {
        assert_eq!(
            start_dates(&StartDates::Quarterly, d("2022-01-01"), d("2022-12-31")),
            vec![
                d("2022-01-01"),
                d("2022-04-01"),
                d("2022-07-01"),
                d("2022-10-01")
            ]
        );
        assert_eq!(
            start_dates(&StartDates::HalfYearly, d("2022-01-01"), d("2023-12-31")),
            vec![
                d("2022-01-01"),
                d("2022-07-01"),
                d("2023-01-01"),
                d("2023-07-01")
            ]
        );
    }

    #[test]
    fn a_request_must_be_in_at_least_four_weeks_before_the_start_date() {
        let a = app(StartDates::Quarterly);
        // 1 April 2022 minus 28 days is 4 March 2022: the last day to ask for 1 April.
        assert_eq!(request_deadline(d("2022-04-01"), 4), d("2022-03-04"));
        assert_eq!(
            earliest_start(&a, d("2022-03-04"), d("2022-01-01"), d("2023-12-31")),
            Some(d("2022-04-01"))
        );
        assert_eq!(
            earliest_start(&a, d("2022-03-05"), d("2022-01-01"), d("2023-12-31")),
            Some(d("2022-07-01"))
        );
    }

    #[test]
    fn no_start_date_is_left_after_the_last_deadline_of_the_period() {
        let a = app(StartDates::HalfYearly);
        assert_eq!(
            earliest_start(&a, d("2023-06-04"), d("2022-01-01"), d("2023-12-31")),
            None
        );
    }

    fn late(on_fail: OnFail, start_dates: Option<StartDates>) -> LateApplication {
        LateApplication {
            on_fail,
            start_dates,
            lead_time_weeks: Some(0),
            interpretation: None,
            toelichting: None,
            source: Source {
                document: "000".into(),
                section: "s".into(),
                quote: "q".into(),
            },
        }
    }

    #[test]
    fn a_request_after_closing_is_closed_unless_a_late_route_sends_it_to_review() {
        let mut a = app(StartDates::PeriodStart);
        a.opens = Some(d("2019-09-26"));
        a.closes = Some(d("2019-11-12"));
        assert!(
            matches!(window(&a, d("2019-09-25")), Window::BeforeOpening(o) if o == d("2019-09-26"))
        );
        assert!(matches!(window(&a, d("2019-11-12")), Window::Open));
        assert!(matches!(window(&a, d("2019-11-13")), Window::Closed(c) if c == d("2019-11-12")));
        a.late = Some(late(OnFail::NotEligible, None));
        assert!(matches!(window(&a, d("2019-11-13")), Window::Closed(c) if c == d("2019-11-12")));
        a.late = Some(late(OnFail::Review, Some(StartDates::Monthly)));
        assert!(matches!(
            window(&a, d("2020-03-10")),
            Window::LateReview(c, _) if c == d("2019-11-12")
        ));
    }

    #[test]
    fn a_late_request_starts_on_the_late_schedule() {
        let mut a = app(StartDates::PeriodStart);
        a.closes = Some(d("2019-11-12"));
        let l = late(OnFail::Review, Some(StartDates::Monthly));
        // A new GP asking on 10 March 2020 can start on 1 April 2020 (no lead time).
        assert_eq!(
            earliest_late_start(&a, &l, d("2020-03-10"), d("2020-01-01"), d("2021-12-31")),
            Some(d("2020-04-01"))
        );
        // Without a schedule of its own the late route keeps the application's: the period
        // start has passed, so nothing is left.
        let l = late(OnFail::Review, None);
        assert_eq!(
            earliest_late_start(&a, &l, d("2020-03-10"), d("2020-01-01"), d("2021-12-31")),
            None
        );
    }
}
