//! Calculators of the district-nursing policy 2021 (document 004): the client-per-postcode
//! ratio, the payment of production above the basisbudget (table 2) and the Wijkgericht
//! Werken budget.

use super::{CalcContext, CalcError, Calculator, Checked, field, round_cents};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use zorginkoop_policy::TableValue;

/// The calculators of this domain.
pub fn calculators() -> Vec<Calculator> {
    vec![
        Calculator {
            name: "client-postcode-ratio",
            title: "Klant-werkgebied-ratio",
            summary: "Klant-werkgebied-ratio: klanten van Zilveren Kruis in het kernwerkgebied / 4-cijferige postcodegebieden waarin zorg is geleverd; minimaal 2, geldt niet bij 1 klant",
            policy: "district-nursing-2021",
            inputs: const {
                &[
                    field(
                        "clients",
                        "integer",
                        "klanten van Zilveren Kruis in het kernwerkgebied (declaraties 1 maart 2019 - 1 maart 2020)",
                    ),
                    field(
                        "postcode_areas",
                        "integer",
                        "4-cijferige postcodegebieden in het kernwerkgebied waarin zorg is geleverd",
                    ),
                ]
            },
            outputs: const {
                &[
                    field(
                        "ratio",
                        "decimal",
                        "klanten per postcodegebied (2 decimalen, ter informatie)",
                    ),
                    field("exempt", "bool", "true bij 1 klant: de ratio geldt niet"),
                    field(
                        "meets_minimum",
                        "bool",
                        "true als de ratio (exact) minimaal 2 is of de aanbieder is vrijgesteld",
                    ),
                ]
            },
            run: |ctx, v| super::json(ctx, v, client_postcode_ratio),
        },
        Calculator {
            name: "provider-category",
            title: "Categorie zorgaanbieder (tabel 1)",
            summary: "Tabel 1: categorie zorgaanbieder (regular, small, new) uit het contract 2020 en de omvang Zvw-wijkverpleging voor Zilveren Kruis-verzekerden",
            policy: "district-nursing-2021",
            inputs: const {
                &[
                    field(
                        "had_contract_2020",
                        "bool",
                        "overeenkomst Wijkverpleging met Zilveren Kruis in 2020",
                    ),
                    field(
                        "revenue",
                        "decimal",
                        "omvang 1 maart 2019 t/m 29 februari 2020 in euro (niet nodig zonder contract 2020)",
                    ),
                ]
            },
            outputs: const {
                &[
                    field(
                        "revenue_band",
                        "text",
                        "below-100000 | from-100000 (leeg zonder contract 2020)",
                    ),
                    field("category", "text", "regular | small | new"),
                    field(
                        "in_efficiency_model",
                        "bool",
                        "true als de aanbieder in het doelmatigheidsmodel valt",
                    ),
                ]
            },
            run: |ctx, v| super::json(ctx, v, provider_category),
        },
        Calculator {
            name: "overproduction-payment",
            title: "Vergoeding overproductie (tabel 2)",
            summary: "Tabel 2: vergoeding van productie boven het basisbudget naar categorie (regular, small, new) en doelmatigheidsgroep (1-5)",
            policy: "district-nursing-2021",
            inputs: const {
                &[
                    field("category", "text", "regular | small | new"),
                    field(
                        "efficiency_group",
                        "integer",
                        "doelmatigheidsgroep 1-5 (alleen bij regular)",
                    ),
                    field("basisbudget", "decimal", "basisbudget in euro"),
                    field(
                        "production",
                        "decimal",
                        "gerealiseerde productie tegen het contracttarief in euro",
                    ),
                ]
            },
            outputs: const {
                &[
                    field(
                        "overproduction",
                        "decimal",
                        "productie boven het basisbudget",
                    ),
                    field(
                        "paid_ratio",
                        "decimal",
                        "% tarief bij productie boven het basisbudget",
                    ),
                    field(
                        "max_overproduction",
                        "decimal",
                        "maximaal vergoede overproductie (leeg bij vrij volume)",
                    ),
                    field(
                        "eligible_overproduction",
                        "decimal",
                        "overproductie binnen het maximum",
                    ),
                    field(
                        "overproduction_paid",
                        "decimal",
                        "vergoeding voor overproductie (afgerond op centen)",
                    ),
                    field(
                        "total_paid",
                        "decimal",
                        "productie tot het basisbudget + vergoeding overproductie",
                    ),
                ]
            },
            run: |ctx, v| super::json(ctx, v, overproduction_payment),
        },
        Calculator {
            name: "neighbourhood-budget",
            title: "Budget Wijkgericht Werken",
            summary: "Wijkgericht Werken: maximaal budget per gemeente = inwoners van 65 jaar en ouder × vastgesteld bedrag per inwoner van 65 jaar en ouder",
            policy: "district-nursing-2021",
            inputs: const {
                &[field(
                    "inhabitants_65_plus",
                    "integer",
                    "inwoners van 65 jaar en ouder in de gemeente (niet alleen klanten)",
                )]
            },
            outputs: const {
                &[
                    field(
                        "amount_per_65_plus",
                        "decimal",
                        "vastgesteld bedrag per 65-plusser",
                    ),
                    field(
                        "budget",
                        "decimal",
                        "maximaal budget in euro (afgerond op centen)",
                    ),
                ]
            },
            run: |ctx, v| super::json(ctx, v, neighbourhood_budget),
        },
    ]
}

/// Input of [`client_postcode_ratio`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientPostcodeInput {
    pub clients: u64,
    pub postcode_areas: u64,
}

/// Output of [`client_postcode_ratio`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientPostcodeOutput {
    pub ratio: Decimal,
    pub exempt: bool,
    pub meets_minimum: bool,
}

/// "We berekenen de mate van versnippering met een klant-werkgebied-ratio. Dit is de verhouding
/// tussen het aantal klanten van Zilveren Kruis binnen ons kernwerkgebied waar u zorg aan heeft
/// geleverd en het aantal 4-cijferige postcodegebieden binnen ons kernwerkgebied waarin u zorg
/// heeft geleverd." ... "De minimale klant-werkgebied-ratio geldt niet voor zorgaanbieders met 1
/// klant binnen ons kernwerkgebied in de genoemde periode." (004, Bijlage 3)
///
/// The minimum is compared exactly (clients ≥ 2 × areas); the ratio is reported rounded to two
/// decimals. Choice: a provider without any client in the core area does not meet it (the ratio
/// does not "blijken" from the claims).
pub fn client_postcode_ratio(
    ctx: &CalcContext,
    input: ClientPostcodeInput,
) -> Result<ClientPostcodeOutput, CalcError> {
    let minimum = ctx.param("client-postcode-ratio.minimum")?;
    let exempt_max = ctx.param("client-postcode-ratio.exempt-max-clients")?;
    if input.clients > 0 && input.postcode_areas == 0 {
        return Err(CalcError::InvalidInput(
            "cliënten in het kerngebied maar geen postcodegebieden".into(),
        ));
    }
    if input.postcode_areas > input.clients {
        return Err(CalcError::InvalidInput(
            "meer postcodegebieden dan cliënten: elk meegeteld gebied heeft minstens een cliënt"
                .into(),
        ));
    }
    let clients = Decimal::from(input.clients);
    let ratio = if input.postcode_areas == 0 {
        Decimal::ZERO
    } else {
        clients / Decimal::from(input.postcode_areas)
    };
    let exempt = input.clients > 0 && clients <= exempt_max;
    let meets =
        exempt || (input.clients > 0 && clients >= minimum * Decimal::from(input.postcode_areas));
    Ok(ClientPostcodeOutput {
        ratio: ratio.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        exempt,
        meets_minimum: meets,
    })
}

/// Input of [`provider_category`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderCategoryInput {
    pub had_contract_2020: bool,
    #[serde(default)]
    pub revenue: Option<Decimal>,
}

/// Output of [`provider_category`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderCategoryOutput {
    pub revenue_band: Option<String>,
    pub category: String,
    pub in_efficiency_model: bool,
}

/// "Reguliere zorgaanbieder: Omvang groter dan of gelijk aan €100.000" / "Kleine
/// zorgaanbieder: Omvang kleiner dan €100.000" / new providers without a 2020 contract
/// (004, 4., tabel 1).
///
/// Reads table `provider-category` through the table evaluator; the revenue band is
/// `below-100000` when the revenue is below parameter `category.small-threshold`, else
/// `from-100000`.
pub fn provider_category(
    ctx: &CalcContext,
    input: ProviderCategoryInput,
) -> Result<ProviderCategoryOutput, CalcError> {
    let band = match (input.had_contract_2020, input.revenue) {
        (false, _) => None,
        (true, None) => {
            return Err(CalcError::InvalidInput(
                "een aanbieder met een overeenkomst 2020 moet zijn omzet opgeven".into(),
            ));
        }
        (true, Some(r)) if r < Decimal::ZERO => {
            return Err(CalcError::InvalidInput(
                "de omzet kan niet negatief zijn".into(),
            ));
        }
        (true, Some(r)) => Some(if r < ctx.param("category.small-threshold")? {
            "below-100000"
        } else {
            "from-100000"
        }),
    };
    let mut lookup = vec![(
        "had_contract_2020",
        TableValue::Bool(input.had_contract_2020),
    )];
    if let Some(b) = band {
        lookup.push(("revenue_band", TableValue::Text(b.into())));
    }
    let m = ctx.table("provider-category", &lookup)?;
    let row = m
        .first()
        .ok_or_else(|| CalcError::Domain("geen regel in tabel 1 voor deze aanbieder".into()))?;
    let category = row
        .output("category")
        .and_then(TableValue::as_text)
        .ok_or_else(|| CalcError::Domain("tabel 1: category is geen tekst".into()))?;
    let in_model = row
        .output("in_efficiency_model")
        .and_then(TableValue::as_bool)
        .ok_or_else(|| CalcError::Domain("tabel 1: in_efficiency_model is geen ja/nee".into()))?;
    Ok(ProviderCategoryOutput {
        revenue_band: band.map(str::to_string),
        category: category.to_string(),
        in_efficiency_model: in_model,
    })
}

/// Input of [`overproduction_payment`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverproductionInput {
    pub category: String,
    #[serde(default)]
    pub efficiency_group: Option<u8>,
    pub basisbudget: Decimal,
    pub production: Decimal,
}

/// Output of [`overproduction_payment`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverproductionOutput {
    pub overproduction: Decimal,
    pub paid_ratio: Decimal,
    pub max_overproduction: Option<Decimal>,
    pub eligible_overproduction: Decimal,
    pub overproduction_paid: Decimal,
    pub total_paid: Decimal,
}

/// "Levert een zorgaanbieder meer zorg dan is vastgesteld in het basisbudget, dan vergoeden wij
/// deze zorg afhankelijk van de groep waarin de zorgaanbieder is ingedeeld. Voor
/// zorgaanbieders in doelmatigheidsgroepen 1, 2 en 3 verlagen wij het tarief bij overproductie.
/// Bij doelmatigheidsgroepen 1 en 2 maximeren wij hoeveel overproductie betaald wordt. Zie
/// tabel 2." and for new providers "Het budget voor nieuwe zorgaanbieders is maximaal
/// €250.000. Bij mogelijke overproductie wordt u beschouwd als kleine zorgaanbieder" (004, 4.)
///
/// Reads table `overproduction` of the policy through the table evaluator. overproduction = max(0, production −
/// basisbudget); the paid volume is capped at max_overproduction_ratio × basisbudget (volume at
/// the same tariff, so the cap is in euros too); paid = eligible × paid_ratio, rounded once to
/// cents, half away from zero. A basisbudget above €250,000 for a new provider is refused.
pub fn overproduction_payment(
    ctx: &CalcContext,
    input: OverproductionInput,
) -> Result<OverproductionOutput, CalcError> {
    if input.basisbudget < Decimal::ZERO || input.production < Decimal::ZERO {
        return Err(CalcError::InvalidInput(
            "bedragen kunnen niet negatief zijn".into(),
        ));
    }
    let group = match (input.category.as_str(), input.efficiency_group) {
        ("regular", Some(g @ 1..=5)) => Some(g),
        ("regular", Some(g)) => {
            return Err(CalcError::InvalidInput(format!(
                "efficiency_group {g} is niet 1-5"
            )));
        }
        ("regular", None) => {
            return Err(CalcError::InvalidInput(
                "een reguliere aanbieder heeft een efficiency_group (1-5) nodig".into(),
            ));
        }
        ("small" | "new", _) => None,
        (other, _) => {
            return Err(CalcError::InvalidInput(format!(
                "onbekende categorie `{other}` (regular, small of new)"
            )));
        }
    };
    if input.category == "new" {
        let cap = ctx.param("new-provider.max-budget")?;
        if input.basisbudget > cap {
            return Err(CalcError::Domain(format!(
                "het budget voor nieuwe aanbieders is ten hoogste €{cap}"
            )));
        }
    }
    let mut lookup = vec![("category", TableValue::Text(input.category.clone()))];
    // small and new providers have no group: only the table's `-` cells match them
    if let Some(g) = group {
        lookup.push(("efficiency_group", TableValue::Number(Decimal::from(g))));
    }
    let m = ctx.table("overproduction", &lookup)?;
    let row = m.first().ok_or_else(|| {
        CalcError::Domain(format!(
            "geen regel in tabel 2 voor {} {}",
            input.category,
            group.map_or("-".to_string(), |g| g.to_string())
        ))
    })?;
    let ratio = |col: &str| -> Result<Option<Decimal>, CalcError> {
        match row.output(col) {
            Some(TableValue::Unlimited) => Ok(None),
            Some(TableValue::Number(d)) => Ok(Some(*d)),
            other => Err(CalcError::Domain(format!(
                "tabel 2, kolom {col}: {other:?} is geen getal"
            ))),
        }
    };
    let paid_ratio = ratio("paid_ratio")?
        .ok_or_else(|| CalcError::Domain("tabel 2: paid_ratio kan niet onbeperkt zijn".into()))?;
    let max_over = match ratio("max_overproduction_ratio")? {
        Some(r) => Some(r.mul_or(input.basisbudget, "basisbudget")?),
        None => None,
    };
    // both are not negative, so the difference cannot overflow
    let overproduction = (input.production - input.basisbudget).max(Decimal::ZERO);
    let eligible = max_over.map_or(overproduction, |m| overproduction.min(m));
    let paid = round_cents(eligible.mul_or(paid_ratio, "production")?);
    Ok(OverproductionOutput {
        overproduction,
        paid_ratio,
        max_overproduction: max_over,
        eligible_overproduction: eligible,
        overproduction_paid: paid,
        total_paid: input
            .production
            .min(input.basisbudget)
            .add_or(paid, "production")?,
    })
}

/// Input of [`neighbourhood_budget`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeighbourhoodInput {
    /// Inhabitants aged 65 and over in the municipality (all inhabitants, not only the
    /// insurer's clients).
    pub inhabitants_65_plus: u64,
}

/// Output of [`neighbourhood_budget`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeighbourhoodOutput {
    pub amount_per_65_plus: Decimal,
    pub budget: Decimal,
}

/// "We berekenen het budget Wijkgericht Werken op basis van het aantal inwoners van 65 jaar en
/// ouder in de gemeente" and the amount is "voor een inwoner van 65 jaar en ouder" (004,
/// Bijlage 4, Budget en tarief). The formula's one mention of "klanten" is read as the
/// inhabitants the amount is set for (see the policy's interpretation). The amount is an example
/// parameter; rounded once to cents, half away from zero.
pub fn neighbourhood_budget(
    ctx: &CalcContext,
    input: NeighbourhoodInput,
) -> Result<NeighbourhoodOutput, CalcError> {
    let amount = ctx.param("neighbourhood.amount-per-65-plus")?;
    Ok(NeighbourhoodOutput {
        amount_per_65_plus: amount,
        budget: round_cents(Decimal::from(input.inhabitants_65_plus) * amount),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;
    use zorginkoop_policy::Policy;

    fn policy() -> Policy {
        crate::calc::shipped_policy("district-nursing-2021")
    }

    fn ctx(p: &Policy) -> CalcContext<'_> {
        CalcContext::new(p, NaiveDate::from_ymd_opt(2021, 1, 1).unwrap())
    }

    fn ratio(p: &Policy, clients: u64, areas: u64) -> ClientPostcodeOutput {
        client_postcode_ratio(
            &ctx(p),
            ClientPostcodeInput {
                clients,
                postcode_areas: areas,
            },
        )
        .unwrap()
    }

    #[test]
    fn ratio_of_two_clients_per_postcode_area_is_the_minimum() {
        let p = policy();
        assert!(ratio(&p, 40, 20).meets_minimum); // exactly 2
        let r = ratio(&p, 39, 20); // 1.95
        assert_eq!(r.ratio, dec!(1.95));
        assert!(!r.meets_minimum);
        assert!(!ratio(&p, 0, 0).meets_minimum);
    }

    #[test]
    fn ratio_does_not_apply_with_one_client() {
        let p = policy();
        let r = ratio(&p, 1, 1);
        assert!(r.exempt && r.meets_minimum);
        assert_eq!(r.ratio, dec!(1));
    }

    fn pay(
        p: &Policy,
        cat: &str,
        group: Option<u8>,
        budget: Decimal,
        production: Decimal,
    ) -> OverproductionOutput {
        overproduction_payment(
            &ctx(p),
            OverproductionInput {
                category: cat.into(),
                efficiency_group: group,
                basisbudget: budget,
                production,
            },
        )
        .unwrap()
    }

    #[test]
    fn table_2_by_efficiency_group() {
        let p = policy();
        // group 5: 100 %, free volume: budget 1,000,000, production 1,700,000 → 700,000 paid
        let o = pay(&p, "regular", Some(5), dec!(1000000), dec!(1700000));
        assert_eq!(o.overproduction_paid, dec!(700000.00));
        assert_eq!(o.total_paid, dec!(1700000.00));
        // group 3: 95 % of 200,000 = 190,000
        assert_eq!(
            pay(&p, "regular", Some(3), dec!(1000000), dec!(1200000)).overproduction_paid,
            dec!(190000.00)
        );
        // group 2: 85 %, at most 50 % of budget: 700,000 over, capped at 500,000 × 0.85 = 425,000
        let o = pay(&p, "regular", Some(2), dec!(1000000), dec!(1700000));
        assert_eq!(o.eligible_overproduction, dec!(500000));
        assert_eq!(o.overproduction_paid, dec!(425000.00));
        // group 1: 75 % of 100,000 = 75,000
        assert_eq!(
            pay(&p, "regular", Some(1), dec!(1000000), dec!(1100000)).overproduction_paid,
            dec!(75000.00)
        );
        // small: 80 %, cap 50 %: budget 80,000, production 130,000 → 50,000 over, cap 40,000 → 32,000
        assert_eq!(
            pay(&p, "small", None, dec!(80000), dec!(130000)).overproduction_paid,
            dec!(32000.00)
        );
        // new = small on overproduction: budget 250,000, production 300,000 → 50,000 × 0.8 = 40,000
        assert_eq!(
            pay(&p, "new", None, dec!(250000), dec!(300000)).overproduction_paid,
            dec!(40000.00)
        );
        // under budget: only production paid
        let o = pay(&p, "regular", Some(1), dec!(1000000), dec!(900000));
        assert_eq!(o.overproduction, dec!(0));
        assert_eq!(o.total_paid, dec!(900000));
    }

    fn category(p: &Policy, had: bool, revenue: Option<Decimal>) -> ProviderCategoryOutput {
        provider_category(
            &ctx(p),
            ProviderCategoryInput {
                had_contract_2020: had,
                revenue,
            },
        )
        .unwrap()
    }

    #[test]
    fn table_1_categories_at_the_100000_boundary() {
        let p = policy();
        let c = category(&p, true, Some(dec!(99999.99)));
        assert_eq!(
            (c.category.as_str(), c.in_efficiency_model),
            ("small", false)
        );
        let c = category(&p, true, Some(dec!(100000)));
        assert_eq!(
            (c.category.as_str(), c.in_efficiency_model),
            ("regular", true)
        );
        let c = category(&p, false, Some(dec!(5000000)));
        assert_eq!((c.category.as_str(), c.revenue_band), ("new", None));
    }

    #[test]
    fn table_rows_used_are_logged_for_the_trace() {
        let p = policy();
        let log = crate::calc::TableLog::default();
        let c = CalcContext {
            overrides: None,
            log: Some(&log),
            ..ctx(&p)
        };
        overproduction_payment(
            &c,
            OverproductionInput {
                category: "small".into(),
                efficiency_group: None,
                basisbudget: dec!(80000),
                production: dec!(130000),
            },
        )
        .unwrap();
        let log = log.into_inner();
        assert_eq!(log.len(), 1);
        let crate::trace::Input::TableRow { table, row, cells } = &log[0] else {
            panic!("{log:?}");
        };
        // table 2, row 6 (small providers) counting from 0
        assert_eq!((&**table, *row), ("overproduction", 5));
        assert_eq!(cells["paid_ratio"], "0.8");
        assert_eq!(cells["efficiency_group"], "-");
    }

    #[test]
    fn new_provider_budget_above_250000_is_refused() {
        let p = policy();
        let r = overproduction_payment(
            &ctx(&p),
            OverproductionInput {
                category: "new".into(),
                efficiency_group: None,
                basisbudget: dec!(250000.01),
                production: dec!(0),
            },
        );
        assert!(matches!(r, Err(CalcError::Domain(_))));
        let r = overproduction_payment(
            &ctx(&p),
            OverproductionInput {
                category: "regular".into(),
                efficiency_group: None,
                basisbudget: dec!(1),
                production: dec!(0),
            },
        );
        assert!(matches!(r, Err(CalcError::InvalidInput(_))));
    }

    #[test]
    fn neighbourhood_budget_is_inhabitants_65_plus_times_amount() {
        // 12,345 inhabitants aged 65+ × €3.50 (example) = €43,207.50
        let p = policy();
        let o = neighbourhood_budget(
            &ctx(&p),
            NeighbourhoodInput {
                inhabitants_65_plus: 12_345,
            },
        )
        .unwrap();
        assert_eq!(o.budget, dec!(43207.50));
    }

    #[test]
    fn neighbourhood_budget_refuses_the_old_client_count_input() {
        // The budget is per inhabitant aged 65+, not per client: the old field name is an
        // input error, not silently accepted.
        let p = policy();
        let err = super::super::run(
            "neighbourhood-budget",
            &ctx(&p),
            serde_json::json!({ "clients_65_plus": 100 }),
        )
        .unwrap_err();
        assert!(err.to_string().contains("clients_65_plus"), "{err}");
    }

    proptest! {
        #[test]
        fn more_production_never_pays_less(
            group in 1u8..=5, budget in 0u64..10_000_000, prod in 0u64..20_000_000, extra in 0u64..1_000_000,
        ) {
            let p = policy();
            let b = Decimal::new(budget as i64, 2);
            let x = pay(&p, "regular", Some(group), b, Decimal::new(prod as i64, 2));
            let y = pay(&p, "regular", Some(group), b, Decimal::new((prod + extra) as i64, 2));
            prop_assert!(x.total_paid <= y.total_paid);
            prop_assert!(x.overproduction_paid <= x.overproduction);
            prop_assert!(x.overproduction_paid.scale() <= 2);
        }

        #[test]
        fn ratio_meets_minimum_iff_clients_at_least_twice_areas(areas in 1u64..500, clients in 2u64..2000) {
            let p = policy();
            prop_assume!(areas <= clients);
            let r = ratio(&p, clients, areas);
            prop_assert_eq!(r.meets_minimum, clients >= 2 * areas);
        }
    }
}
