//! The processes of the policy documents, each in a module of its own with its pages and its
//! API together, named after the process: a reader finds the regioplan in [`regioplan`]. The GP
//! practice's apply-review-sign path (catalogue, applications, proposals) is the common path
//! in `pages` and `api`; a process here adds its document's own steps and uses that path for
//! its contracts.
//!
//! | module | document | what |
//! |---|---|---|
//! | [`regioplan`] | 002 O&I | the regio-organisatie's regioplan: submission, the purchaser's answer within the term, rounds |
//! | [`labs`] | 003 diagnostics and thrombosis | the lab's comparison and choice of contract, the thrombosis contract with its ceiling, production change requests |

pub mod labs;
pub mod regioplan;

use crate::route::Route;

/// Every route of every process.
pub fn routes() -> Vec<Route> {
    let mut r = regioplan::routes();
    r.extend(labs::routes());
    r
}
