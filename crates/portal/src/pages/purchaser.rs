//! The insurer's side: the queue of applications, review beside the engine's trace, proposals,
//! administrative contracts, the overview per provider and the audit log.

use crate::routes::Route;

pub fn routes() -> Vec<Route> {
    Vec::new()
}
