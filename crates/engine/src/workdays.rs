//! Working days (werkdagen) for terms such as the district-nursing policy's "Het verwerken van
//! een aanvraag kost maximaal 5 werkdagen" (004, "Wij kopen de zorg in via een nieuwe digitale
//! contracteerprocedure"): Monday to Friday, except the Dutch public holidays.
//!
//! The holidays follow the Algemene termijnenwet (art. 3), the Dutch act for terms counted in
//! days: New Year's Day, Easter Monday, Ascension Day, Whit Monday, Christmas Day and Boxing
//! Day, King's Day (27 April; 26 April when the 27th is a Sunday) and 5 May. Easter is computed
//! (the Gregorian computus), not tabled.
//!
//! Two days on which reasonable people differ are a [`HolidayRules`] choice, with the
//! Algemene termijnenwet as the default ([`HolidayRules::TERMIJNENWET`]):
//! * **Good Friday** is not a public holiday under that act (many employers give it, most do
//!   not): default not a day off;
//! * **Liberation Day (5 May)** is in the act every year (collective agreements often give it
//!   only in lustrum years such as 2020): default a day off every year; the lustrum reading is
//!   [`Liberation::LustrumOnly`].
//!
//! A term of `n` working days from day `d` ends on the `n`-th working day after `d` (the day of
//! submission itself is not counted, as the act counts a term from the day after).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// When Liberation Day (5 May) is a day off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liberation {
    /// Every year (Algemene termijnenwet).
    EveryYear,
    /// Only in lustrum years (years divisible by 5, such as 2020 and 2025).
    LustrumOnly,
    /// Never.
    Never,
}

/// The choices on which Dutch calendars differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HolidayRules {
    pub good_friday: bool,
    pub liberation: Liberation,
}

impl HolidayRules {
    /// The Algemene termijnenwet: Good Friday is a working day, 5 May is a day off every year.
    pub const TERMIJNENWET: HolidayRules = HolidayRules {
        good_friday: false,
        liberation: Liberation::EveryYear,
    };

    /// The choice in Dutch, for pages that show how a term is counted.
    pub fn explanation(&self) -> String {
        format!(
            "Werkdagen zijn maandag tot en met vrijdag, behalve de algemeen erkende feestdagen (Algemene termijnenwet): \
             Nieuwjaarsdag, tweede paasdag, Koningsdag (27 april, 26 april als de 27e op zondag valt), {}Hemelvaartsdag, \
             tweede pinksterdag en de beide kerstdagen. Goede Vrijdag telt {}als werkdag. De dag van indienen telt niet mee.",
            match self.liberation {
                Liberation::EveryYear => "Bevrijdingsdag (5 mei, elk jaar), ",
                Liberation::LustrumOnly => "Bevrijdingsdag (5 mei, alleen in lustrumjaren), ",
                Liberation::Never => "",
            },
            if self.good_friday { "niet " } else { "" }
        )
    }
}

impl Default for HolidayRules {
    fn default() -> Self {
        HolidayRules::TERMIJNENWET
    }
}

/// Easter Sunday of `year` (Gregorian calendar; the anonymous Gregorian algorithm of Meeus,
/// Jones and Butcher). None outside chrono's range.
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The Dutch public holiday on `date`, by its Dutch name, if it is one.
pub fn holiday(date: NaiveDate, rules: HolidayRules) -> Option<&'static str> {
    let (y, m, d) = (date.year(), date.month(), date.day());
    match (m, d) {
        (1, 1) => return Some("Nieuwjaarsdag"),
        (12, 25) => return Some("eerste kerstdag"),
        (12, 26) => return Some("tweede kerstdag"),
        _ => {}
    }
    let kings_day = match NaiveDate::from_ymd_opt(y, 4, 27) {
        Some(k) if k.weekday() == Weekday::Sun => NaiveDate::from_ymd_opt(y, 4, 26),
        k => k,
    };
    if Some(date) == kings_day {
        return Some("Koningsdag");
    }
    if (m, d) == (5, 5) {
        let off = match rules.liberation {
            Liberation::EveryYear => true,
            Liberation::LustrumOnly => y % 5 == 0,
            Liberation::Never => false,
        };
        if off {
            return Some("Bevrijdingsdag");
        }
    }
    let e = easter(y)?;
    let days = (date - e).num_days();
    match days {
        -2 if rules.good_friday => Some("Goede Vrijdag"),
        1 => Some("tweede paasdag"),
        39 => Some("Hemelvaartsdag"),
        50 => Some("tweede pinksterdag"),
        _ => None,
    }
}

/// Whether `date` is a working day: Monday to Friday and not a public holiday.
pub fn is_working_day(date: NaiveDate, rules: HolidayRules) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && holiday(date, rules).is_none()
}

/// The `n`-th working day after `from` (`from` itself not counted); `from` when `n` is 0.
pub fn add_working_days(from: NaiveDate, n: u32, rules: HolidayRules) -> NaiveDate {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if is_working_day(day, rules) {
            left -= 1;
        }
    }
    day
}

/// The working days after `today` up to and including `due`: 0 on the due date itself and
/// after it (see [`overdue`]).
pub fn working_days_left(today: NaiveDate, due: NaiveDate, rules: HolidayRules) -> u32 {
    let mut n = 0;
    let mut day = today;
    while day < due {
        day += Duration::days(1);
        if is_working_day(day, rules) {
            n += 1;
        }
    }
    n
}

/// The holidays (date, name) strictly after `from` up to and including `to` that fall on a
/// weekday: the days a term skips besides weekends, for showing how it was counted.
pub fn holidays_between(
    from: NaiveDate,
    to: NaiveDate,
    rules: HolidayRules,
) -> Vec<(NaiveDate, &'static str)> {
    let mut out = Vec::new();
    let mut day = from;
    while day < to {
        day += Duration::days(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
            && let Some(name) = holiday(day, rules)
        {
            out.push((day, name));
        }
    }
    out
}

/// Past the due date (the due date itself is still in time).
pub fn overdue(today: NaiveDate, due: NaiveDate) -> bool {
    today > due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const R: HolidayRules = HolidayRules::TERMIJNENWET;

    #[test]
    fn easter_sundays_from_the_almanac() {
        // published dates, not recomputed
        assert_eq!(easter(2019), Some(d(2019, 4, 21)));
        assert_eq!(easter(2020), Some(d(2020, 4, 12)));
        assert_eq!(easter(2021), Some(d(2021, 4, 4)));
        assert_eq!(easter(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter(2038), Some(d(2038, 4, 25)));
        assert_eq!(easter(2285), Some(d(2285, 3, 22)));
    }

    #[test]
    fn the_holidays_of_2020() {
        assert_eq!(holiday(d(2020, 1, 1), R), Some("Nieuwjaarsdag"));
        assert_eq!(holiday(d(2020, 4, 10), R), None, "Goede Vrijdag: werkdag");
        assert_eq!(
            holiday(
                d(2020, 4, 10),
                HolidayRules {
                    good_friday: true,
                    ..R
                }
            ),
            Some("Goede Vrijdag")
        );
        assert_eq!(holiday(d(2020, 4, 13), R), Some("tweede paasdag"));
        assert_eq!(holiday(d(2020, 4, 27), R), Some("Koningsdag"));
        assert_eq!(holiday(d(2020, 5, 5), R), Some("Bevrijdingsdag"));
        assert_eq!(holiday(d(2020, 5, 21), R), Some("Hemelvaartsdag"));
        assert_eq!(holiday(d(2020, 6, 1), R), Some("tweede pinksterdag"));
        assert_eq!(holiday(d(2020, 12, 25), R), Some("eerste kerstdag"));
        assert_eq!(holiday(d(2020, 12, 26), R), Some("tweede kerstdag"));
        assert_eq!(holiday(d(2020, 5, 22), R), None);
    }

    #[test]
    fn kings_day_moves_to_the_26th_when_the_27th_is_a_sunday() {
        // 27 April 2025 is a Sunday
        assert_eq!(holiday(d(2025, 4, 26), R), Some("Koningsdag"));
        assert_eq!(holiday(d(2025, 4, 27), R), None);
        assert_eq!(holiday(d(2026, 4, 27), R), Some("Koningsdag"));
    }

    #[test]
    fn liberation_day_in_and_outside_lustrum_years() {
        let lustrum = HolidayRules {
            liberation: Liberation::LustrumOnly,
            ..R
        };
        assert!(!is_working_day(d(2020, 5, 5), lustrum));
        assert!(is_working_day(d(2021, 5, 5), lustrum), "a Wednesday");
        assert!(!is_working_day(d(2021, 5, 5), R));
    }

    #[test]
    fn five_working_days_across_ascension_day_2020() {
        // Monday 18 May 2020: Tue 19, Wed 20, (Thu 21 Hemelvaartsdag), Fri 22, (weekend),
        // Mon 25, Tue 26 = the fifth working day
        assert_eq!(add_working_days(d(2020, 5, 18), 5, R), d(2020, 5, 26));
        assert_eq!(
            holidays_between(d(2020, 5, 18), d(2020, 5, 26), R),
            vec![(d(2020, 5, 21), "Hemelvaartsdag")]
        );
        // from Wednesday 20 May: 22, 25, 26, 27, 28
        assert_eq!(add_working_days(d(2020, 5, 20), 5, R), d(2020, 5, 28));
        // submitted on the holiday itself: 22, 25, 26, 27, 28
        assert_eq!(add_working_days(d(2020, 5, 21), 5, R), d(2020, 5, 28));
        // without the holiday the same week: Monday 11 May 2020 -> Monday 18 May
        assert_eq!(add_working_days(d(2020, 5, 11), 5, R), d(2020, 5, 18));
    }

    #[test]
    fn terms_across_whit_monday_easter_and_the_new_year() {
        // Friday 29 May 2020: Tue 2, Wed 3, Thu 4, Fri 5, Mon 8 June (Whit Monday 1 June)
        assert_eq!(add_working_days(d(2020, 5, 29), 5, R), d(2020, 6, 8));
        // Thursday 9 April 2020: Fri 10 (Good Friday works), Tue 14, 15, 16, 17
        assert_eq!(add_working_days(d(2020, 4, 9), 5, R), d(2020, 4, 17));
        // Thursday 24 December 2020: 28, 29, 30, 31 December, 4 January 2021
        assert_eq!(add_working_days(d(2020, 12, 24), 5, R), d(2021, 1, 4));
        // on a Saturday: the term starts on Monday
        assert_eq!(add_working_days(d(2020, 10, 3), 1, R), d(2020, 10, 5));
        assert_eq!(add_working_days(d(2020, 10, 3), 0, R), d(2020, 10, 3));
    }

    #[test]
    fn days_left_and_overdue() {
        let due = d(2020, 5, 26);
        assert_eq!(working_days_left(d(2020, 5, 18), due, R), 5);
        assert_eq!(working_days_left(d(2020, 5, 20), due, R), 3);
        assert_eq!(working_days_left(d(2020, 5, 21), due, R), 3);
        assert_eq!(working_days_left(d(2020, 5, 22), due, R), 2);
        assert_eq!(working_days_left(d(2020, 5, 26), due, R), 0);
        assert!(!overdue(d(2020, 5, 26), due));
        assert!(overdue(d(2020, 5, 27), due));
        assert_eq!(working_days_left(d(2020, 5, 27), due, R), 0);
    }
}
