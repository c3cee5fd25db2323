//! The processes of the policy documents, each in a module of its own with its pages and its
//! API together, named after the process: a reader finds the regioplan in [`regioplan`]. The GP
//! practice's apply-review-sign path (catalogue, applications, proposals) is the common path
//! in `pages` and `api`; a process here adds its document's own steps and uses that path for
//! its contracts.
//!
//! | module | document | what |
//! |---|---|---|
//! | [`nursing`] | 004 wijkverpleging | existing providers (bijlage 1 and 2, budget proposal), new providers (bijlage 3), Wijkgericht Werken, the availability function; the 5-working-day term |
//! | [`regioplan`] | 002 O&I | the regio-organisatie's regioplan: submission, the purchaser's answer within the term, rounds |
//! | [`labs`] | 003 diagnostics and thrombosis | the lab's comparison and choice of contract, the thrombosis contract with its ceiling, production change requests |

pub mod labs;
pub mod nursing;
pub mod regioplan;

use crate::route::Route;

/// Every route of every process.
pub fn routes() -> Vec<Route> {
    let mut r = regioplan::routes();
    r.extend(labs::routes());
    r.extend(nursing::routes());
    r
}
