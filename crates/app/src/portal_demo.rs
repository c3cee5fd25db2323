//! The portal's demo data: the insurer with two purchasers, an auditor and an admin, and a care
//! provider of every kind the policies know (a GP practice, a group practice, a zorggroep, a
//! regio-organisatie in Utrecht, an existing and a new district-nursing provider, a lab and a
//! thrombosis service), each with a user and a signer (tekenbevoegd). Everyone logs in with
//! [`DEMO_PASSWORD`]. Seeding is idempotent: a database that has organisations is left alone.

use crate::AppError;
use crate::accounts::{NewOrganisation, NewUser, Role, create_organisation, create_user};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use zorginkoop_store::{Db, args};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-wachtwoord";

/// The date the demo portal acts on by default: a GP practice applying on this day can start on
/// 1 January 2022, the first day of the GP 2022-2023 policy (4 weeks' lead time).
pub fn demo_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 11, 1).expect("valid date")
}

/// The demo day of the organisations whose process has an application window of its own, so
/// that each can be walked through in the demo (the portal shows the day on every page): AGB
/// code, date, and why that day.
pub const DEMO_DAYS: &[(&str, (i32, u32, u32), &str)] = &[
    (
        "53012345",
        (2025, 6, 2),
        "O&I 2026-2027: het regioplan kan worden ingediend van 1 april tot en met 6 september 2025",
    ),
    (
        "75001234",
        (2020, 10, 1),
        "wijkverpleging 2021, bestaande zorgaanbieders: het portaal is open van 23 september tot en met 6 november 2020",
    ),
    (
        "75009876",
        (2020, 5, 18),
        "wijkverpleging 2021, nieuwe zorgaanbieders: aanmelden van 1 april tot en met 31 mei 2020; de 5 werkdagen lopen over Hemelvaartsdag (21 mei 2020)",
    ),
    (
        "50001234",
        (2019, 10, 1),
        "eerstelijnsdiagnostiek 2020: aanvragen tot en met 31 december 2019",
    ),
    (
        "50009999",
        (2019, 10, 1),
        "trombosezorg 2020: aanvragen tot en met 31 december 2019",
    ),
];

/// The demo days ([`DEMO_DAYS`]) by organisation id, for the organisations of this database
/// that have one (the portal's `AppState::with_organisation_days`).
pub fn organisation_days(db: &Db) -> Result<HashMap<i64, NaiveDate>, AppError> {
    db.read(|tx| {
        let mut days = HashMap::new();
        for (agb, (y, m, d), _) in DEMO_DAYS {
            if let Some(r) =
                tx.query_one("SELECT id FROM organisations WHERE agb = ?", args![*agb])?
            {
                let day = NaiveDate::from_ymd_opt(*y, *m, *d)
                    .ok_or_else(|| AppError::BadRecord(format!("demodatum {y}-{m}-{d}")))?;
                days.insert(r.int("id")?, day);
            }
        }
        Ok(days)
    })
}

/// A demo account as printed for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: String,
}

struct Org {
    name: &'static str,
    agb: Option<&'static str>,
    kvk: Option<&'static str>,
    kind: &'static str,
    region: Option<&'static str>,
    users: &'static [(&'static str, &'static str, Role)],
}

const ORGS: &[Org] = &[
    Org {
        name: "Zilveren Kruis (zorginkoop)",
        agb: None,
        kvk: Some("30209137"),
        kind: "insurer",
        region: None,
        users: &[
            (
                "inkoper@zorgverzekeraar.example",
                "Ingrid Inkoper",
                Role::Purchaser,
            ),
            (
                "inkoper2@zorgverzekeraar.example",
                "Karim Koper",
                Role::Purchaser,
            ),
            (
                "auditor@zorgverzekeraar.example",
                "Anouk Auditor",
                Role::Auditor,
            ),
            ("beheer@zorgverzekeraar.example", "Bart Beheer", Role::Admin),
        ],
    },
    Org {
        name: "Huisartsenpraktijk De Linde",
        agb: Some("01012345"),
        kvk: Some("12345678"),
        kind: "practice",
        region: Some("Utrecht"),
        users: &[
            (
                "medewerker@delinde.example",
                "Mila Medewerker",
                Role::ProviderUser,
            ),
            (
                "huisarts@delinde.example",
                "Dr. Hanna de Linde",
                Role::ProviderSigner,
            ),
        ],
    },
    Org {
        name: "Groepspraktijk Het Plein",
        agb: Some("01056789"),
        kvk: Some("22334455"),
        kind: "group-practice",
        region: Some("Utrecht"),
        users: &[
            (
                "medewerker@hetplein.example",
                "Pim Plein",
                Role::ProviderUser,
            ),
            (
                "huisarts@hetplein.example",
                "Dr. Sara Plein",
                Role::ProviderSigner,
            ),
        ],
    },
    Org {
        name: "Zorggroep Waterland",
        agb: Some("53045678"),
        kvk: Some("33445566"),
        kind: "zorggroep",
        region: Some("Waterland"),
        users: &[
            (
                "medewerker@waterland.example",
                "Wim Water",
                Role::ProviderUser,
            ),
            (
                "directeur@waterland.example",
                "Dirk Directeur",
                Role::ProviderSigner,
            ),
        ],
    },
    Org {
        name: "Regio-organisatie Utrecht Stad",
        agb: Some("53012345"),
        kvk: Some("44556677"),
        kind: "regio-organisatie",
        region: Some("Utrecht"),
        users: &[
            (
                "medewerker@ro-utrecht.example",
                "Romy Regio",
                Role::ProviderUser,
            ),
            (
                "bestuurder@ro-utrecht.example",
                "Bas Bestuur",
                Role::ProviderSigner,
            ),
        ],
    },
    Org {
        name: "Thuiszorg De Wijk",
        agb: Some("75001234"),
        kvk: Some("55667788"),
        kind: "district-nursing",
        region: Some("Utrecht"),
        users: &[
            ("planner@dewijk.example", "Wendy Wijk", Role::ProviderUser),
            (
                "directeur@dewijk.example",
                "Daan de Wijk",
                Role::ProviderSigner,
            ),
        ],
    },
    Org {
        name: "Wijkzorg Nieuw B.V.",
        agb: Some("75009876"),
        kvk: Some("66778899"),
        kind: "district-nursing",
        region: Some("Utrecht"),
        users: &[
            (
                "planner@wijkzorgnieuw.example",
                "Noor Nieuw",
                Role::ProviderUser,
            ),
            (
                "directeur@wijkzorgnieuw.example",
                "Niels Nieuw",
                Role::ProviderSigner,
            ),
        ],
    },
    Org {
        name: "Huisartsenlaboratorium Midden",
        agb: Some("50001234"),
        kvk: Some("77889900"),
        kind: "laboratory",
        region: Some("Utrecht"),
        users: &[
            ("analist@labmidden.example", "Lotte Lab", Role::ProviderUser),
            (
                "directeur@labmidden.example",
                "Luuk Lab",
                Role::ProviderSigner,
            ),
        ],
    },
    Org {
        name: "Trombosedienst Midden-Nederland",
        agb: Some("50009999"),
        kvk: Some("88990011"),
        kind: "thrombosis-service",
        region: Some("Utrecht"),
        users: &[
            (
                "medewerker@trombose.example",
                "Tim Trombose",
                Role::ProviderUser,
            ),
            (
                "directeur@trombose.example",
                "Tess Trombose",
                Role::ProviderSigner,
            ),
        ],
    },
];

/// Every demo account (also when the database was seeded before).
pub fn accounts() -> Vec<DemoAccount> {
    ORGS.iter()
        .flat_map(|o| {
            o.users.iter().map(|(email, name, role)| DemoAccount {
                email: email.to_string(),
                name: name.to_string(),
                role: *role,
                organisation: o.name.to_string(),
            })
        })
        .collect()
}

/// Seeds the demo organisations and users unless the database has organisations already.
/// Returns whether it seeded.
pub fn seed(db: &Db, now: DateTime<Utc>) -> Result<bool, AppError> {
    db.write(|tx| {
        let n = tx
            .query_one("SELECT count(*) AS n FROM organisations", &[])?
            .map(|r| r.int("n"))
            .transpose()?
            .unwrap_or(0);
        if n > 0 {
            return Ok(false);
        }
        for o in ORGS {
            let id = create_organisation(
                tx,
                &NewOrganisation {
                    name: o.name,
                    agb: o.agb,
                    kvk: o.kvk,
                    kind: o.kind,
                    region: o.region,
                },
                now,
            )?;
            for (email, name, role) in o.users {
                create_user(
                    tx,
                    &NewUser {
                        organisation_id: id,
                        email,
                        name,
                        role: *role,
                        password: DEMO_PASSWORD,
                    },
                    now,
                )?;
            }
        }
        Ok(true)
    })
}
