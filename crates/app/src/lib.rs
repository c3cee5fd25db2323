//! # zorginkoop-app
//!
//! The use cases of zorginkoop as a library over plain data types: **the one API boundary that
//! every front end calls** (the `zorginkoop` CLI today, the portal and settlement next), as
//! rust-analyzer's `ide` crate is for its front ends.
//!
//! A front end parses its input (arguments, a form, a JSON body), calls one function here and
//! presents the result (text, HTML, JSON). It holds no policy logic of its own: which policy a
//! case is decided under, which reference date counts, how a decision is recorded with its
//! receipt and trace, how stored contracts become the claims checker's contracts, what the
//! demo contains: all of that lives here, once.
//!
//! | module | use cases |
//! |---|---|
//! | [`policies`] | find and load the policy files (a folder, or the set built into the binary); list, validate, diff; find one by id or path |
//! | [`decisions`] | decide a case (and record it with receipt and trace in a store) |
//! | [`calculators`] | list the calculators (rekentools), run one with its receipt |
//! | [`timelines`] | a policy's timeline on a date and what is due next |
//! | [`claims`] | check claim files, generate synthetic files |
//! | [`contracts`] | export the stored contracts for the claims checker, seed demo contracts |
//! | [`demo`] | the product on its embedded default: demo contracts and example decisions |
//! | [`accounts`] | the portal's organisations, users, roles, sessions, API tokens; who may see what |
//! | [`applications`] | a provider's application for a module: draft, live decision, submit, review, thread |
//! | [`proposals`] | contract proposals, the signer's answer with its receipt, administrative contracts |
//! | [`regional_plan`] | the regio-organisatie's regioplan (002): submit, the purchaser's answer within the term, rounds, the O&I application from the approved plan |
//! | [`labs`] | labs and thrombosis (003): the comparison of the regular and the preferred contract on the lab's figures, the choice, the thrombosis contract with its ceiling, requests to expand or move production |
//! | [`nursing`] | district nursing (004): bijlage 1/2/3 questionnaires, the disproportionality escape to review, the budget proposal (category, basisbudget, table 2), Wijkgericht Werken and the regional availability function, the 5-working-day term, signing |
//! | [`portal_demo`] | the portal's demo organisations and accounts |
//! | [`attachments`] | files in an application's thread: bounded in size, type by content |
//! | [`audit`] | the append-only audit log, written in the same transaction as each change |
//! | [`settlement`] | settlement statements as recorded by a settlement run: who sees which, mirror information, xlsx |
//!
//! Errors are [`AppError`]s with Dutch messages that a front end can show as they are.
//!
//! Deliberately absent: I/O formats of a front end (argument parsing, terminal colours, HTML),
//! the clock (every function that needs "today" takes it as an argument), and policy logic
//! (that is the engine's; this crate only composes the engine, the claims checker and the store).

pub mod accounts;
pub mod applications;
pub mod attachments;
pub mod audit;
pub mod calculators;
pub mod claims;
pub mod contracts;
pub mod decisions;
pub mod demo;
mod embedded;
mod error;
pub mod frail_elderly;
pub mod kbz_monitor;
pub mod labs;
pub mod nursing;
pub mod policies;
pub mod portal_demo;
pub mod proposals;
pub mod regional_plan;
pub mod settlement;
pub mod timelines;
pub mod year_figures;

pub use error::AppError;

/// Re-exported so that front ends name the model types through the one boundary.
pub use zorginkoop_engine as engine;
pub use zorginkoop_policy as policy;
pub use zorginkoop_store as store;
