//! The JSON API under `/api/v1`, with the same authorisation as the pages, and its OpenAPI
//! document at `/api/openapi.json` (generated from the code) rendered at `/api`.

use crate::routes::Route;

pub fn routes() -> Vec<Route> {
    Vec::new()
}
