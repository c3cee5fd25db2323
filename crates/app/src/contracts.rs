//! Contracts: the store holds them (one source of truth); the claims checker reads them as
//! `contracts.csv`. This module turns one into the other and seeds the demo contracts.

use crate::AppError;
use std::path::Path;
use zorginkoop_claims::context::{Contract, write_contracts};
use zorginkoop_claims::ident::Code;
use zorginkoop_store::{ContractRow, Store, demo_contracts};

/// A stored contract as the claims checker's contract.
pub fn to_checker_contract(r: ContractRow) -> Result<Contract, AppError> {
    let codes = r
        .prestatie_codes
        .iter()
        .map(|c| {
            Code::parse(c).ok_or_else(|| {
                AppError::BadRecord(format!(
                    "contract {}: prestatiecode {c:?} is ongeldig",
                    r.id.map_or_else(|| "(nieuw)".to_string(), |i| i.to_string())
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let provider = r
        .provider_agb
        .parse::<u32>()
        .ok()
        .filter(|_| r.provider_agb.len() == 8)
        .ok_or_else(|| {
            AppError::BadRecord(format!(
                "contract {}: AGB-code {:?} heeft geen 8 cijfers",
                r.id.map_or_else(|| "(nieuw)".to_string(), |i| i.to_string()),
                r.provider_agb
            ))
        })?;
    Ok(Contract {
        provider,
        module: r.module,
        codes,
        start: r.start,
        end: r.end,
        tariff: r.tariff_cents,
        ceiling: r.ceiling_cents,
        contract_type: r.contract_type,
    })
}

/// Opens an existing database (never creates one by accident).
pub fn open_existing(db: &Path) -> Result<Store, AppError> {
    if !db.is_file() {
        return Err(AppError::NoDatabase(db.to_path_buf()));
    }
    Store::open(db).map_err(AppError::store(db))
}

/// Opens an existing database by URL: `postgres://...` for PostgreSQL, else a SQLite file that
/// must exist.
pub fn open_existing_url(url: &str) -> Result<Store, AppError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Store::connect(url).map_err(AppError::store(url));
    }
    open_existing(Path::new(url.strip_prefix("sqlite:").unwrap_or(url)))
}

/// Writes the contracts of the database `db` (a SQLite file or a PostgreSQL URL) as
/// `contracts.csv` at `out`; returns how many. The portal's signed and administrative contracts
/// are rows of the same table: this is how they reach the claims checker.
pub fn export(db: &str, out: &Path) -> Result<usize, AppError> {
    let store = open_existing_url(db)?;
    let rows = store.contracts().map_err(AppError::store(db))?;
    let contracts = rows
        .into_iter()
        .map(to_checker_contract)
        .collect::<Result<Vec<_>, _>>()?;
    write_contracts(out, &contracts).map_err(AppError::io(out))?;
    Ok(contracts.len())
}

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeded {
    /// Ids of the contracts added now.
    pub added: Vec<i64>,
    /// Demo contracts that were there already (not added again).
    pub present: usize,
}

/// Adds the demo contracts to `store` that it does not hold yet: seeding twice adds nothing
/// the second time, and two processes seeding at once add each contract once. A contract counts
/// as present when provider, module, prestatie codes, start and contract type match a stored one.
pub fn seed_demo(store: &mut Store, db: &Path) -> Result<Seeded, AppError> {
    let (added, present) = store
        .insert_contracts_if_absent(&demo_contracts())
        .map_err(AppError::store(db))?;
    Ok(Seeded { added, present })
}

/// Opens (or creates) the database `db` and seeds the demo contracts.
pub fn seed_demo_db(db: &Path) -> Result<Seeded, AppError> {
    let mut store = Store::open(db).map_err(AppError::store(db))?;
    seed_demo(&mut store, db)
}

/// The contracts an actor may see, by id: the insurer's staff every contract, a care provider's
/// users those of their organisation's AGB code (none when it has no AGB code).
pub fn visible(
    db: &zorginkoop_store::Db,
    actor: &crate::accounts::Actor,
) -> Result<Vec<ContractRow>, AppError> {
    const SELECT: &str = "SELECT id, provider_agb, module, prestatie_codes, start_date, end_date,
            tariff_cents, ceiling_cents, contract_type FROM contracts";
    let rows = if actor.role.is_insurer() {
        db.read(|tx| tx.query(&format!("{SELECT} ORDER BY id"), &[]))?
    } else {
        let org = crate::accounts::organisation(db, actor, actor.organisation_id)?;
        let Some(agb) = org.agb else {
            return Ok(Vec::new());
        };
        db.read(|tx| {
            tx.query(
                &format!("{SELECT} WHERE provider_agb = ? ORDER BY id"),
                zorginkoop_store::args![&agb],
            )
        })?
    };
    Ok(rows
        .iter()
        .map(zorginkoop_store::contract_from_row)
        .collect::<Result<_, _>>()?)
}
