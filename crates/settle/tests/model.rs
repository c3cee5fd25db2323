//! The efficiency model (document 004, chapter 4) and the client-per-postcode ratio (bijlage
//! 3), worked by hand.
//!
//! Policy values used (policies/district-nursing-2021.toml): outliers 2.5 % at each end, at
//! least 1; a death within 2 months; group boundaries 1.10, 1.05, 1.00, 0.95 (example values);
//! ratio minimum 2, not applied with 1 client; Zorg in de Wijk: Amsterdam 1000-1109 among
//! others.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use zorginkoop_claims::context::{InsuredPeriod, Postcode, Sex};
use zorginkoop_settle::model::{self, Client, estimate, ols, outliers_per_end, trim};
use zorginkoop_settle::ratio::ratio_for;
use zorginkoop_settle::scan::{ClientMonths, ClientPlace};
use zorginkoop_settle::statement::Amount;
use zorginkoop_settle::{NursingRules, Register};

fn rules() -> NursingRules {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/district-nursing-2021.toml");
    let policy = zorginkoop_policy::Policy::load(&path).unwrap();
    NursingRules::from_policy(&policy).unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

/// A valid BSN (11-check) for a small number.
fn bsn(n: u32) -> String {
    (100_000_000u32 + n * 1000..)
        .find(|&b| zorginkoop_claims::ident::bsn_valid(b))
        .unwrap()
        .to_string()
}

fn person(bsn: &str, birth: NaiveDate, postcode: &str) -> InsuredPeriod {
    InsuredPeriod {
        bsn: bsn.parse().unwrap(),
        uzovi: 3311,
        birth_date: birth,
        postcode: Postcode::new(postcode).unwrap(),
        from: day(2000, 1, 1),
        to: None,
        sex: Some(Sex::Male),
        death_date: None,
    }
}

/// y = 2, 3, 5 at x = 1, 2, 3: x̄ = 2, ȳ = 10/3, Sxy = (-1)(2 - 10/3) + (1)(5 - 10/3) = 3,
/// Sxx = 2, so the slope is 3 / 2 = 1.5 and the constant 10/3 - 2 × 1.5 = 1/3 = 0.333333 (6
/// decimals). A third column that is 7 everywhere cannot be estimated: left out.
#[test]
fn least_squares_on_three_points_solved_by_hand() {
    let xs: Vec<Vec<Decimal>> = [1, 2, 3]
        .iter()
        .map(|&x| vec![Decimal::ONE, Decimal::from(x), Decimal::from(7)])
        .collect();
    let ys = [d("2"), d("3"), d("5")];
    let b = ols(&xs, &ys).unwrap();
    assert_eq!(b, vec![Some(d("0.333333")), Some(d("1.5")), None]);
}

/// "De 2,5% cliënten (minimaal 1) met de hoogste en 2,5% cliënten met de laagste gemiddelde
/// zorgkosten per maand van een zorgaanbieder worden niet meegenomen in de analyse."
/// 40 clients: 2.5 % of 40 = 1 at each end; 80: 2; 39: 0.975, rounded down 0, at least 1.
#[test]
fn a_provider_with_40_clients_loses_exactly_one_at_each_end() {
    let r = rules();
    assert_eq!(outliers_per_end(&r.model, 40), 1);
    assert_eq!(outliers_per_end(&r.model, 80), 2);
    assert_eq!(outliers_per_end(&r.model, 39), 1);
    // costs 1..=40 euro a month, given in a scrambled order
    let clients: Vec<Client> = (1..=40)
        .map(|i| (i * 17) % 41)
        .map(|c| Client {
            bsn: format!("{c:09}"),
            cost_per_month: Decimal::from(c),
            x: [Decimal::ONE; 8],
        })
        .collect();
    let (kept, low, high) = trim(&r.model, &clients);
    assert_eq!((low, high, kept.len()), (1, 1, 38));
    assert_eq!(kept.first().unwrap().cost_per_month, d("2"));
    assert_eq!(kept.last().unwrap().cost_per_month, d("39"));
    // two clients: one out at each end, nobody left to compare
    let (kept, low, high) = trim(&r.model, &clients[..2]);
    assert_eq!((kept.len(), low, high), (0, 1, 1));
}

/// "Of een cliënt is overleden na een zorgperiode bepalen we door te kijken naar overlijden
/// binnen 2 maanden na de laatst afgesloten zorgperiode." Last care 31 October 2019: a death on
/// 31 December 2019 counts, on 1 January 2020 not. Age 85 on the last day of care falls in the
/// band 85+.
#[test]
fn death_within_two_months_after_the_last_care() {
    let r = rules();
    let b = bsn(1);
    let mut p = person(&b, day(1934, 10, 31), "2000AB");
    p.sex = Some(Sex::Female);
    let scores = BTreeMap::from([(2000u16, d("1.07"))]);
    let c = ClientMonths {
        bsn: b.clone(),
        cents: 30_000,
        months: 3,
        last_date: day(2019, 10, 31),
        model_cents: 30_000,
        model_months: 3,
        long_care: true,
    };
    for (death, counts) in [(day(2019, 12, 31), true), (day(2020, 1, 1), false)] {
        p.death_date = Some(death);
        let reg = Register::new(vec![p.clone()], scores.clone());
        let row = model::client(&r.model, &reg, &c).unwrap().unwrap();
        assert_eq!(row.cost_per_month, d("100.00"));
        // constant, 65-74, 75-84, 85+, female, longer than 3 months, died, score
        let died = if counts { Decimal::ONE } else { Decimal::ZERO };
        assert_eq!(
            row.x,
            [
                Decimal::ONE,
                Decimal::ZERO,
                Decimal::ZERO,
                Decimal::ONE,
                Decimal::ONE,
                Decimal::ONE,
                died,
                d("1.07")
            ]
        );
    }
    // not in the register, or no score for the postcode: left out
    let reg = Register::new(vec![], scores.clone());
    assert!(model::client(&r.model, &reg, &c).unwrap().is_none());
    let reg = Register::new(vec![person(&b, day(1950, 1, 1), "3000AB")], scores);
    assert!(model::client(&r.model, &reg, &c).unwrap().is_none());
}

/// "Dit doen we door rekening te houden met de cliëntkenmerken leeftijd, geslacht, zorgduur
/// afgeleid van de doelgroepenregistratie, ..." and "Voor medische kindzorgaanbieders gelden
/// afwijkende afspraken. Deze zorg is uitgesloten van het doelmatigheidsmodel."
///
/// Two regular providers of five clients each, all under 65, male, alive, in postcode 2000
/// (score 1.00): only the constant and the care duration differ (1 = a line of target group
/// 1034 or 1035, "langer dan 3 maanden"; the number of months with care is no characteristic,
/// so it varies freely below). One client at each end is left out per provider (5 × 2.5 %
/// rounded down is 0, at least 1). Provider A also has a client with only medical child care
/// (1038): not in the model, not among its clients.
///
/// Kept, (longer than 3 months, cost per month): A (0, 100), (0, 200), (1, 300); B (0, 150),
/// (1, 350), (1, 400). With a constant and one indicator, least squares gives the mean of each
/// group: not longer 100, 200, 150 → 150 (the constant); longer 300, 350, 400 → 350, so the
/// duration's coefficient is 350 - 150 = 200. Expected A: 150 + 150 + 350 = 650, actual 600:
/// 600 / 650 = 0.923076… → 0.9231 < 0.95: group 5 (the most efficient); means 200.00 against
/// 216.67. Expected B: 150 + 350 + 350 = 850, actual 900: 900 / 850 = 1.058823… → 1.0588,
/// at least 1.05 and below 1.10: group 2. Ranked: B 1, A 2.
#[test]
fn two_providers_fitted_on_the_target_group_duration_compared_and_grouped_by_hand() {
    let r = rules();
    let mut people = Vec::new();
    let mut clients: BTreeMap<String, Vec<ClientMonths>> = BTreeMap::new();
    // (longer than 3 months, months with care, cost per month in euro)
    let data = [
        (
            "00000011",
            [
                (false, 1, 10),
                (false, 3, 100),
                (false, 2, 200),
                (true, 1, 300),
                (true, 4, 1_000),
            ],
        ),
        (
            "00000012",
            [
                (false, 1, 5),
                (false, 2, 150),
                (true, 1, 350),
                (true, 6, 400),
                (false, 1, 2_000),
            ],
        ),
    ];
    let mut n = 0;
    for (agb, rows) in data {
        for (long_care, months, euro) in rows {
            n += 1;
            let b = bsn(n);
            people.push(person(&b, day(1980, 1, 1), "2000AB"));
            let cents = euro * 100 * months;
            clients
                .entry(agb.to_string())
                .or_default()
                .push(ClientMonths {
                    bsn: b,
                    cents,
                    months,
                    last_date: day(2019, 12, 1),
                    model_cents: cents,
                    model_months: months,
                    long_care,
                });
        }
    }
    // a client of A with only medical child care (1038): EUR 9,000 in one month, outside the model
    n += 1;
    let child = bsn(n);
    people.push(person(&child, day(2015, 1, 1), "2000AB"));
    clients.get_mut("00000011").unwrap().push(ClientMonths {
        bsn: child,
        cents: 900_000,
        months: 1,
        last_date: day(2019, 12, 1),
        model_cents: 0,
        model_months: 0,
        long_care: false,
    });
    let reg = Register::new(people, BTreeMap::from([(2000u16, d("1.00"))]));
    let slices: BTreeMap<String, &[ClientMonths]> = clients
        .iter()
        .map(|(a, v)| (a.clone(), v.as_slice()))
        .collect();
    let regular: BTreeSet<String> = clients.keys().cloned().collect();
    let e = estimate(&r.model, &reg, &slices, &regular).unwrap();
    let fit = e.fit.as_ref().unwrap();
    assert_eq!(fit.clients, 6);
    assert_eq!(
        fit.coefficients[5].0,
        "zorgduur langer dan 3 maanden (doelgroep 1034 of 1035)"
    );
    let coef: Vec<Option<Decimal>> = fit.coefficients.iter().map(|c| c.1).collect();
    assert_eq!(
        coef,
        vec![
            Some(d("150")),
            None,
            None,
            None,
            None,
            Some(d("200")),
            None,
            None
        ]
    );
    let a = &e.providers["00000011"];
    // five clients in the model: the child-care-only client is not one of them
    assert_eq!(a.clients, 5);
    assert_eq!((a.outliers_low, a.outliers_high, a.included), (1, 1, 3));
    assert_eq!((a.actual, a.expected), (d("200.00"), d("216.67")));
    assert_eq!(
        (a.ratio, a.group, a.rank),
        (Some(d("0.9231")), Some(5), Some(2))
    );
    let b = &e.providers["00000012"];
    assert_eq!(
        (b.ratio, b.group, b.rank),
        (Some(d("1.0588")), Some(2), Some(1))
    );
}

/// Groups 1-3 get a cut, so group 1 is the least efficient: the boundaries are lower bounds of
/// the ratio of actual to expected cost.
#[test]
fn group_boundaries_are_lower_bounds_from_group_1_down() {
    let m = rules().model;
    for (ratio, group) in [
        ("1.10", 1),
        ("1.0999", 2),
        ("1.05", 2),
        ("1.00", 3),
        ("0.9999", 4),
        ("0.95", 4),
        ("0.9499", 5),
    ] {
        assert_eq!(m.group(d(ratio)), group, "{ratio}");
    }
}

fn places(n: u32, first: u32) -> Vec<ClientPlace> {
    (first..first + n)
        .map(|i| ClientPlace {
            bsn: bsn(i),
            last_date: day(2019, 9, 1),
            cents: 10_000,
        })
        .collect()
}

/// "het aantal klanten van Zilveren Kruis binnen ons kernwerkgebied waar u zorg aan heeft
/// geleverd" over "het aantal 4-cijferige postcodegebieden binnen ons kernwerkgebied": 7
/// clients in 4 postcode areas (2000 ×2, 2001 ×2, 2002 ×2, 2003 ×1) is 1,75, below 2. An eighth
/// client in Amsterdam (1011) is left out: "Gemeenten waar wij wijkverpleging via Zorg in de
/// Wijk inkopen, nemen wij niet mee."
#[test]
fn seven_clients_over_four_postcodes_is_1_75_below_2() {
    let r = rules();
    let clients = places(8, 1);
    let postcodes = [
        "2000AA", "2000AB", "2001AA", "2001ZZ", "2002AA", "2002AB", "2003AA", "1011AB",
    ];
    let people: Vec<InsuredPeriod> = clients
        .iter()
        .zip(postcodes)
        .map(|(c, p)| person(&c.bsn, day(1940, 1, 1), p))
        .collect();
    let reg = Register::new(people, BTreeMap::new());
    let rep = ratio_for(&r, "00000021", &clients, &reg);
    let count = |step: &str| match rep.lines.iter().find(|l| l.step == step).unwrap().amount {
        Amount::Count(n) => n,
        ref o => panic!("{step}: {o:?}"),
    };
    assert_eq!(count("ratio_clients_all"), 8);
    assert_eq!(count("ratio_clients_zorg_in_de_wijk"), 1);
    assert_eq!(count("ratio_clients"), 7);
    assert_eq!(count("ratio_postcodes"), 4);
    assert_eq!(rep.ratio, Some(d("1.75")));
    assert_eq!((rep.applies, rep.meets), (true, Some(false)));
    let text = rep.to_text();
    assert!(text.contains("7 / 4 = 1,75"), "{text}");
    assert!(text.contains("1,75 < 2,00"), "{text}");
    assert!(text.contains("Amsterdam 1"), "{text}");
    assert!(text.contains("Uitkomst: voldoet niet"), "{text}");
    for l in &rep.lines {
        assert!(!l.source.quote.is_empty(), "{}", l.step);
    }
    // 8 clients in the same 4 areas: exactly 2, meets it
    let mut more = clients[..7].to_vec();
    more.extend(places(1, 50));
    let mut people: Vec<InsuredPeriod> = more
        .iter()
        .zip(postcodes)
        .map(|(c, p)| person(&c.bsn, day(1940, 1, 1), p))
        .collect();
    people[7] = person(&more[7].bsn, day(1940, 1, 1), "2003AB");
    let rep = ratio_for(
        &r,
        "00000021",
        &more,
        &Register::new(people, BTreeMap::new()),
    );
    assert_eq!((rep.ratio, rep.meets), (Some(d("2.00")), Some(true)));
}

/// "De minimale klant-werkgebied-ratio geldt niet voor zorgaanbieders met 1 klant binnen ons
/// kernwerkgebied in de genoemde periode." One client in one area: 1 / 1 = 1, below 2, but
/// exempt.
#[test]
fn one_client_is_exempt() {
    let r = rules();
    let clients = places(1, 1);
    let reg = Register::new(
        vec![person(&clients[0].bsn, day(1940, 1, 1), "2000AA")],
        BTreeMap::new(),
    );
    let rep = ratio_for(&r, "00000022", &clients, &reg);
    assert_eq!(rep.ratio, Some(d("1.00")));
    assert_eq!((rep.applies, rep.meets), (false, Some(true)));
    assert!(rep.to_text().contains("geldt niet"));
}
