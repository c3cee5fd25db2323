//! The regioplan process of document 002, through the use cases, on SQLite and PostgreSQL: the
//! regio-organisatie writes and submits its plan, the purchaser answers within the policy's
//! term ("Uiterlijk 3 weken na indiening krijgt u een reactie van ons."), gives feedback per
//! part, the RO resubmits, the plan is approved, and the O&I application has the plan's facts.
//! Every round is kept; another organisation sees nothing; a budget above the region's maximum
//! goes to review, it is not refused.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use zorginkoop_app::accounts::{self, Actor, Client};
use zorginkoop_app::regional_plan::{
    self, BudgetLine, Content, NetworkMember, PartAnswer, PlanState, Requirement, spec,
};
use zorginkoop_app::{AppError, applications, audit, policies, portal_demo};
use zorginkoop_engine::StepOutcome;
use zorginkoop_store::testing;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(10, 0, 0).unwrap().and_utc()
}

fn login(db: &zorginkoop_store::Db, email: &str) -> Actor {
    accounts::login(
        db,
        email,
        portal_demo::DEMO_PASSWORD,
        &Client {
            ip: "192.0.2.20",
            user_agent: "test",
        },
        at(day("2025-06-02")),
    )
    .unwrap()
    .actor
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A complete plan: every topic, the three minimum disciplines, the seven requirements met, a
/// budget per year.
fn complete_plan() -> Content {
    let mut c = Content::default();
    for t in spec::TOPICS {
        c.topics
            .insert(t.id.into(), format!("Onze aanpak voor {}.", t.label));
    }
    for (discipline, who) in [
        ("district_nurses", "Thuiszorg Utrecht"),
        ("physiotherapists", "Fysio Netwerk Utrecht"),
        ("pharmacists", "Apothekers Utrecht"),
    ] {
        c.network.push(NetworkMember {
            discipline: discipline.into(),
            organisation: who.into(),
            involvement: "lid van de regiotafel".into(),
        });
    }
    for p in spec::INFORMATION_SYSTEM {
        c.information_system.insert(
            p.id.into(),
            Requirement {
                meets: true,
                explanation: "KIS".into(),
            },
        );
    }
    c.budget.push(BudgetLine {
        kind: "personnel".into(),
        description: "Praktijkondersteuning en programmamanagement".into(),
        amounts: BTreeMap::from([(2026, d("1000000.00")), (2027, d("1030000.00"))]),
    });
    c.budget.push(BudgetLine {
        kind: "ict".into(),
        description: "Ketenzorg-informatiesysteem".into(),
        amounts: BTreeMap::from([(2026, d("200000.00")), (2027, d("206000.00"))]),
    });
    c.registered_insured = Some(100_000);
    c
}

fn all_parts(approved: bool) -> BTreeMap<String, PartAnswer> {
    spec::answerable_parts()
        .iter()
        .map(|p| {
            (
                p.id.to_string(),
                PartAnswer {
                    approved,
                    feedback: if approved {
                        String::new()
                    } else {
                        "graag concreter".into()
                    },
                },
            )
        })
        .collect()
}

#[test]
fn the_answer_is_due_three_weeks_after_submission() {
    // "Uiterlijk 3 weken na indiening krijgt u een reactie van ons."; a plan submitted on the
    // last day, 6 September 2025, is answered by 27 September 2025 (the policy's own reading)
    let set = policies::load_default().unwrap();
    let policy = policies::find(&set, regional_plan::POLICY).unwrap();
    assert_eq!(
        regional_plan::response_weeks(policy, day("2025-09-06")).unwrap(),
        3
    );
    assert_eq!(
        regional_plan::due_on(policy, day("2025-09-06")).unwrap(),
        day("2025-09-27")
    );
    assert_eq!(
        regional_plan::due_on(policy, day("2025-06-02")).unwrap(),
        day("2025-06-23")
    );
}

#[test]
fn the_region_maximum_is_registered_insured_times_the_amount_of_each_year() {
    // 100,000 registered insured × € 12.00 (2026) and × € 12.36 (2027), example values
    let set = policies::load_default().unwrap();
    let policy = policies::find(&set, regional_plan::POLICY).unwrap();
    let years = regional_plan::budget_years(policy, &complete_plan()).unwrap();
    assert_eq!(years.len(), 2);
    assert_eq!((years[0].year, years[0].total), (2026, d("1200000.00")));
    assert_eq!(years[0].maximum, Some(d("1200000.00")));
    assert_eq!(
        years[0].within,
        Some(true),
        "exactly at the maximum is within it"
    );
    assert!(
        years[0].example,
        "the amount per insured is an example value"
    );
    assert_eq!((years[1].year, years[1].total), (2027, d("1236000.00")));
    assert_eq!(years[1].maximum, Some(d("1236000.00")));
    assert_eq!(years[1].within, Some(true));
    // one cent more in 2026 is above the maximum
    let mut over = complete_plan();
    over.budget[1].amounts.insert(2026, d("200000.01"));
    let years = regional_plan::budget_years(policy, &over).unwrap();
    assert_eq!(years[0].within, Some(false));
}

#[test]
fn submit_answer_resubmit_approve_on_every_backend() {
    let set = policies::load_default().unwrap();
    let policy = policies::find(&set, regional_plan::POLICY).unwrap();
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, at(day("2025-06-02"))).unwrap();
        let ro = login(db, "medewerker@ro-utrecht.example");
        let purchaser = login(db, "inkoper@zorgverzekeraar.example");
        let practice = login(db, "medewerker@delinde.example");

        // only a regio-organisatie writes a regioplan
        assert!(matches!(
            regional_plan::start(db, &set, &practice, at(day("2025-06-02"))),
            Err(AppError::Forbidden(_))
        ));
        let plan = regional_plan::start(db, &set, &ro, at(day("2025-06-02"))).unwrap();
        assert_eq!(plan.state, PlanState::Draft);
        assert_eq!(
            regional_plan::start(db, &set, &ro, at(day("2025-06-02")))
                .unwrap()
                .id,
            plan.id,
            "one plan per RO"
        );
        // an empty plan is not submitted
        assert!(matches!(
            regional_plan::submit(
                db,
                &set,
                &ro,
                plan.id,
                day("2025-06-02"),
                at(day("2025-06-02"))
            ),
            Err(AppError::Invalid { .. })
        ));

        // round 1: without the pharmacists and without the GLI; the engine sees both
        let mut first = complete_plan();
        first.network.retain(|m| m.discipline != "pharmacists");
        first.topics.remove("gli");
        regional_plan::save(db, &set, &ro, plan.id, &first, at(day("2025-06-02"))).unwrap();
        let org = accounts::organisation(db, &ro, ro.organisation_id).unwrap();
        let check = regional_plan::check(policy, &org, &first, true, day("2025-06-02")).unwrap();
        assert_eq!(check.missing_disciplines, vec!["Apothekers"]);
        assert_eq!(
            check.missing_topics,
            vec!["Gecombineerde Leefstijlinterventie (GLI)"]
        );
        assert!(!check.complete());
        let step = |id: &str| {
            check
                .steps
                .iter()
                .find(|s| s.rule().id.as_ref() == id)
                .unwrap_or_else(|| panic!("step {id}"))
                .outcome
        };
        assert_eq!(step("other-disciplines"), StepOutcome::Failed);
        assert_eq!(
            step("regional-plan-topics"),
            StepOutcome::Review,
            "a missing topic sends the plan back with feedback, it is no refusal"
        );
        assert_eq!(step("budget-within-region-maximum"), StepOutcome::Passed);
        assert_eq!(step("information-system"), StepOutcome::Passed);

        let r1 = regional_plan::submit(
            db,
            &set,
            &ro,
            plan.id,
            day("2025-06-02"),
            at(day("2025-06-02")),
        )
        .unwrap();
        assert_eq!((r1.round, r1.due_on), (1, day("2025-06-23")));
        assert_eq!(r1.days_left(day("2025-06-02")), Some(21));
        assert!(!r1.overdue(day("2025-06-23")), "the last day is in time");
        assert!(r1.overdue(day("2025-06-24")));
        // a submitted plan is frozen
        assert!(matches!(
            regional_plan::save(
                db,
                &set,
                &ro,
                plan.id,
                &complete_plan(),
                at(day("2025-06-03"))
            ),
            Err(AppError::Conflict(_))
        ));
        // the RO cannot answer its own plan; another provider does not see it
        assert!(matches!(
            regional_plan::answer(
                db,
                &set,
                &ro,
                plan.id,
                &all_parts(true),
                day("2025-06-03"),
                at(day("2025-06-03"))
            ),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            regional_plan::get(db, &practice, plan.id),
            Err(AppError::NotFound(_))
        ));
        // the purchaser's queue has it, waiting
        let q = regional_plan::queue(db, &purchaser).unwrap();
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].latest.as_ref().unwrap().due_on, day("2025-06-23"));

        // feedback needs a text for each part not approved
        let mut answers = all_parts(true);
        answers.insert(
            "network".into(),
            PartAnswer {
                approved: false,
                feedback: String::new(),
            },
        );
        assert!(matches!(
            regional_plan::answer(
                db,
                &set,
                &purchaser,
                plan.id,
                &answers,
                day("2025-06-16"),
                at(day("2025-06-16"))
            ),
            Err(AppError::Invalid { .. })
        ));
        answers.insert(
            "network".into(),
            PartAnswer {
                approved: false,
                feedback: "De apothekers ontbreken.".into(),
            },
        );
        answers.insert(
            "gli".into(),
            PartAnswer {
                approved: false,
                feedback: "Benoem de GLI.".into(),
            },
        );
        let answered = regional_plan::answer(
            db,
            &set,
            &purchaser,
            plan.id,
            &answers,
            day("2025-06-16"),
            at(day("2025-06-16")),
        )
        .unwrap();
        assert_eq!(answered.outcome.as_deref(), Some("feedback"));
        assert_eq!(
            regional_plan::get(db, &ro, plan.id).unwrap().state,
            PlanState::Feedback
        );
        // answering twice is refused
        assert!(matches!(
            regional_plan::answer(
                db,
                &set,
                &purchaser,
                plan.id,
                &all_parts(true),
                day("2025-06-16"),
                at(day("2025-06-16"))
            ),
            Err(AppError::Conflict(_))
        ));

        // round 2: complete, submitted a week later: a new term from the new submission
        regional_plan::save(
            db,
            &set,
            &ro,
            plan.id,
            &complete_plan(),
            at(day("2025-06-23")),
        )
        .unwrap();
        let r2 = regional_plan::submit(
            db,
            &set,
            &ro,
            plan.id,
            day("2025-06-23"),
            at(day("2025-06-23")),
        )
        .unwrap();
        assert_eq!((r2.round, r2.due_on), (2, day("2025-07-14")));
        regional_plan::answer(
            db,
            &set,
            &purchaser,
            plan.id,
            &all_parts(true),
            day("2025-07-01"),
            at(day("2025-07-01")),
        )
        .unwrap();
        let plan_now = regional_plan::get(db, &ro, plan.id).unwrap();
        assert_eq!(plan_now.state, PlanState::Approved);
        // every round kept, in order, the first with its feedback
        let rounds = regional_plan::rounds(db, &purchaser, plan.id).unwrap();
        assert_eq!(rounds.len(), 2);
        assert_eq!(rounds[0].outcome.as_deref(), Some("feedback"));
        assert_eq!(
            rounds[0].answers["network"].feedback,
            "De apothekers ontbreken."
        );
        assert!(
            !rounds[0]
                .content
                .network
                .iter()
                .any(|m| m.discipline == "pharmacists")
        );
        assert_eq!(rounds[1].outcome.as_deref(), Some("approved"));

        // the O&I application has the plan's facts
        let apps = applications::list_for(db, &ro, ro.organisation_id).unwrap();
        let oi = apps
            .iter()
            .find(|a| a.policy_id == regional_plan::POLICY && a.module == "o-and-i")
            .expect("an O&I application");
        assert_eq!(
            oi.facts["regional_plan_with_budget_submitted"],
            serde_json::json!(true)
        );
        assert_eq!(oi.facts["registered_insured"], serde_json::json!(100_000));
        assert_eq!(
            oi.facts["regional_plan_budget"],
            serde_json::json!("1200000.00")
        );
        assert_eq!(
            oi.facts["regional_plan_topics"].as_array().unwrap().len(),
            9,
            "the nine topics of bijlage 1"
        );
        // every step is in the audit log
        let log = audit::list(db, &purchaser, 200).unwrap();
        for action in [
            "regioplan gestart",
            "regioplan ingediend",
            "regioplan teruggegeven met feedback",
            "regioplan goedgekeurd",
            "aanvraag gestart met het goedgekeurde regioplan",
        ] {
            assert!(log.iter().any(|e| e.action == action), "{action}");
        }
    }
}

#[test]
fn a_plan_document_is_bounded_and_typed_by_its_content() {
    for t in testing::databases() {
        let db = &t.db;
        let set = policies::load_default().unwrap();
        portal_demo::seed(db, at(day("2025-06-02"))).unwrap();
        let ro = login(db, "medewerker@ro-utrecht.example");
        let other = login(db, "medewerker@hetplein.example");
        let plan = regional_plan::start(db, &set, &ro, at(day("2025-06-02"))).unwrap();
        let now = at(day("2025-06-02"));
        assert!(
            regional_plan::add_document(db, &ro, plan.id, "plan.exe", b"MZ\x90\x00", now).is_err()
        );
        assert!(regional_plan::add_document(db, &ro, plan.id, "leeg.pdf", b"", now).is_err());
        let big = vec![b'a'; regional_plan::MAX_DOCUMENT_BYTES + 1];
        assert!(regional_plan::add_document(db, &ro, plan.id, "groot.txt", &big, now).is_err());
        let doc = regional_plan::add_document(
            db,
            &ro,
            plan.id,
            "C:\\plannen\\regioplan.pdf",
            b"%PDF-1.4\nregioplan",
            now,
        )
        .unwrap();
        assert_eq!(doc.file_name, "regioplan.pdf");
        assert_eq!(doc.content_type, "application/pdf");
        let (_, bytes) = regional_plan::document(db, &ro, doc.id).unwrap();
        assert_eq!(bytes, b"%PDF-1.4\nregioplan");
        assert!(matches!(
            regional_plan::document(db, &other, doc.id),
            Err(AppError::NotFound(_))
        ));
        // a plan with only its document can be submitted; the round keeps the document
        let r = regional_plan::submit(db, &set, &ro, plan.id, day("2025-06-02"), now).unwrap();
        assert_eq!(r.document.map(|d| d.id), Some(doc.id));
    }
}

#[test]
fn every_quote_of_the_plan_is_in_the_document() {
    let set = policies::load_default().unwrap();
    let text = set.texts.get(spec::DOCUMENT).expect("document 002");
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = norm(text);
    let mut parts: Vec<spec::Part> = spec::answerable_parts();
    parts.extend(spec::INFORMATION_SYSTEM.iter().copied());
    for p in parts {
        assert!(
            text.contains(&norm(p.quote)),
            "{}: {:?} is not in the document",
            p.id,
            p.quote
        );
    }
    // the topics are the fact values the policy's condition checks
    let policy = policies::find(&set, regional_plan::POLICY).unwrap();
    let decl = policy.fact("regional_plan_topics").unwrap();
    let values: Vec<&str> = spec::TOPICS
        .iter()
        .map(|t| t.id)
        .filter(|id| *id != "mission")
        .collect();
    assert_eq!(
        decl.values.iter().map(String::as_str).collect::<Vec<_>>(),
        values
    );
}

#[test]
fn the_ro_enters_its_75_plussers_and_sees_its_budget_kwetsbare_ouderen() {
    // "Het tarief wordt berekend op basis van het aantal 75-plussers. Daarbij nemen we aan dat
    // gemiddeld 28% van de 75-plussers kwetsbaar is": 1,000 → 280 frail elderly; at the example
    // tariff of € 40.00 (2026) that is € 11,200.00, at € 41.20 (2027) € 11,536.00
    use zorginkoop_app::regional_plan::year_figures;
    let set = policies::load_default().unwrap();
    let policy = policies::find(&set, regional_plan::POLICY).unwrap();
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, at(day("2025-06-02"))).unwrap();
        let ro = login(db, "medewerker@ro-utrecht.example");
        let purchaser = login(db, "inkoper@zorgverzekeraar.example");
        let practice = login(db, "medewerker@delinde.example");
        let now = at(day("2025-06-02"));
        year_figures::record(
            db,
            policy,
            &ro,
            year_figures::PERSONS_75_PLUS,
            2026,
            "900",
            now,
        )
        .unwrap();
        // a new entry for the year is the one that counts
        year_figures::record(
            db,
            policy,
            &ro,
            year_figures::PERSONS_75_PLUS,
            2026,
            "1.000",
            now,
        )
        .unwrap();
        year_figures::record(
            db,
            policy,
            &ro,
            year_figures::PERSONS_75_PLUS,
            2027,
            "1000",
            now,
        )
        .unwrap();
        let e = year_figures::record(
            db,
            policy,
            &ro,
            year_figures::PERSONS_75_PLUS,
            2028,
            "1000",
            now,
        );
        assert!(
            matches!(e, Err(AppError::Invalid { .. })),
            "2028 is outside the period: {e:?}"
        );
        let e = year_figures::record(
            db,
            policy,
            &ro,
            year_figures::PERSONS_75_PLUS,
            2026,
            "-5",
            now,
        );
        assert!(matches!(e, Err(AppError::Invalid { .. })));
        assert!(matches!(
            year_figures::record(
                db,
                policy,
                &practice,
                year_figures::PERSONS_75_PLUS,
                2026,
                "10",
                now
            ),
            Err(AppError::Forbidden(_))
        ));
        let f = year_figures::of_organisation(db, &ro, ro.organisation_id).unwrap();
        let budgets = year_figures::budgets(policy, &f).unwrap();
        assert_eq!(budgets.len(), 2);
        assert_eq!(budgets[0].rows[0].persons_75_plus, 1000);
        assert_eq!(budgets[0].rows[0].frail_elderly, d("280"));
        assert_eq!(budgets[0].rows[0].budget, d("11200.00"));
        assert_eq!(budgets[1].rows[0].budget, d("11536.00"));
        // the purchaser sees every RO's; another provider none
        let all = year_figures::all(db, &purchaser).unwrap();
        assert!(all.iter().any(|f| f.persons_75_plus.len() == 2));
        assert!(matches!(
            year_figures::of_organisation(db, &practice, ro.organisation_id),
            Err(AppError::NotFound(_))
        ));
        // the Praktijkspiegel: an error names the line and the field; good figures give a monitor
        let bad = "practice_agb,year,domain,actual,expected\n01012345,2023,msz,veel,100\n";
        let e = year_figures::record(
            db,
            policy,
            &ro,
            year_figures::KBZ_PRAKTIJKSPIEGEL,
            2026,
            bad,
            now,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("regel 2") && e.contains("actual"), "{e}");
        let good = "practice_agb,year,domain,actual,expected\n01012345,2023,msz,110,100\n";
        year_figures::record(
            db,
            policy,
            &ro,
            year_figures::KBZ_PRAKTIJKSPIEGEL,
            2026,
            good,
            now,
        )
        .unwrap();
        let f = year_figures::of_organisation(db, &purchaser, ro.organisation_id).unwrap();
        let monitors = year_figures::monitors(policy, &f).unwrap();
        assert_eq!(monitors[0].monitor_year, 2026);
        assert_eq!(
            monitors[0].years,
            vec![2023, 2024, 2025],
            "the 3 years before the monitor year"
        );
        let cell = &monitors[0].practices[0].years[0].domains[0];
        assert_eq!(cell.difference, Some(d("10")));
    }
}
