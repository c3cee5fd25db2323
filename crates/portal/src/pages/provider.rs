//! The care provider's side: dashboard, catalogue with live decisions, what-if calculators,
//! applications, proposals and contracts.

use crate::routes::Route;

pub fn routes() -> Vec<Route> {
    Vec::new()
}
