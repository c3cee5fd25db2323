//! Numbers as a Dutch reader expects them: `1.234,56`, `€ 1.234,56`, `2,5 %`. One place for the
//! settlement statements, the year figures and the portal's pages.

use rust_decimal::{Decimal, RoundingStrategy};

/// A number with `dp` decimals (half away from zero), `.` between thousands and `,` before the
/// decimals.
pub fn number(d: Decimal, dp: u32) -> String {
    let r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let s = format!("{:.*}", dp as usize, r.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let sign = if r.is_sign_negative() && !r.is_zero() {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// `€ 1.234,56` (minus sign before the euro sign).
pub fn euro(d: Decimal) -> String {
    let n = number(d, 2);
    match n.strip_prefix('-') {
        Some(abs) => format!("-€ {abs}"),
        None => format!("€ {n}"),
    }
}

/// `5 %`, `2,5 %`: a ratio as a percentage, trailing zeros dropped.
pub fn percent(r: Decimal) -> String {
    let p = (r * Decimal::ONE_HUNDRED).normalize();
    format!("{} %", p.to_string().replace('.', ","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn thousands_get_a_dot_decimals_a_comma_and_halves_round_away_from_zero() {
        assert_eq!(number(d("1234567.125"), 2), "1.234.567,13");
        assert_eq!(number(d("-0.004"), 2), "0,00");
        assert_eq!(number(d("-1000"), 0), "-1.000");
        assert_eq!(number(d("999.5"), 0), "1.000");
        assert_eq!(euro(d("-17900")), "-€ 17.900,00");
        assert_eq!(euro(d("0.5")), "€ 0,50");
        assert_eq!(percent(d("0.025")), "2,5 %");
        assert_eq!(percent(d("1.1650")), "116,5 %");
    }
}
