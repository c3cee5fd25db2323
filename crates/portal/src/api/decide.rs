//! Deciding a case and running a calculator, in the style of OpenFisca's `/calculate`: send the
//! situation (a case as in `examples/*.json`, or a calculator's input), get it back with the
//! result, the trace and the receipt. Nothing is stored: these are what-ifs. Only the policies
//! the portal loaded are used (never a file named in the request).

use super::schema::{ApiError, CalcAnswer, CalculatorInfo, DecideAnswer, FieldInfo, PolicyDate};
use super::{ApiJson, ApiResult, ok, query, run};
use crate::auth::CurrentUser;
use crate::error::PortalError;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, Query, State, rejection::QueryRejection};
use axum::routing::{get, post};
use serde::Serialize;
use serde::de::IgnoredAny;
use std::collections::BTreeMap;
use zorginkoop_app::calculators::{self, CalcRequest};
use zorginkoop_app::decisions::{self, DecideRequest};
use zorginkoop_app::engine::Decision;
use zorginkoop_app::engine::calc::{CalcError, Field};
use zorginkoop_app::{AppError, policies};

pub const DECIDE: &str = "een aanvraag laten beslissen: de situatie terug met per module de uitkomst, de redenering en het ontvangstbewijs";
pub const CALCULATORS: &str = "de rekentools met hun invoer en uitvoer";
pub const CALC: &str =
    "een rekentool laten rekenen: de invoer terug met de uitkomst en het ontvangstbewijs";

pub fn routes() -> Vec<Route> {
    vec![
        Route::new("POST", "/api/v1/decide", Access::User, DECIDE, post(decide)),
        Route::new("GET", "/api/v1/calc", Access::User, CALCULATORS, get(list)),
        Route::new(
            "POST",
            "/api/v1/calc/{name}",
            Access::User,
            CALC,
            post(calc),
        ),
    ]
}

#[utoipa::path(post, path = "/api/v1/decide", tag = "beslissen", summary = DECIDE,
    description = "Stuur een aanvraag (zoals in examples/*.json: policy, provider, request_date, \
        facts, contracted, modules) en krijg haar terug met de beslissing in de vorm \
        zorginkoop.decision/2 (crates/engine/DECISION-JSON.md). Er wordt niets opgeslagen.",
    params(PolicyDate),
    request_body(content = Object, description = "De aanvraag (case), zoals in examples/*.json.",
        example = json!({
            "policy": "gp-2022-2023",
            "provider": {"name": "Huisartsenpraktijk Voorbeeld", "agb": "01099999", "kind": "practice"},
            "request_date": "2021-11-01",
            "contracted": [],
            "facts": {"gp_big_registered": true, "contracts_full_scope": true},
            "modules": ["basiszorg"]
        })),
    responses((status = 200, body = DecideAnswer),
        (status = 401, body = ApiError),
        (status = 404, description = "onbekend beleid", body = ApiError),
        (status = 422, description = "geen geldige aanvraag (elk probleem genoemd)", body = ApiError)))]
pub async fn decide(
    State(state): State<AppState>,
    q: Result<Query<PolicyDate>, QueryRejection>,
    req: ApiJson<IgnoredAny>,
) -> ApiResult {
    let q = query(q)?;
    let today = state.today();
    let situation = req.raw;
    // on this thread: deciding is pure (no database, no files) and takes tens of microseconds,
    // less than handing it to a blocking thread and back
    let case = decisions::parse_case_in("aanvraag", &situation).map_err(PortalError::api)?;
    let r = DecideRequest {
        name: "aanvraag",
        case: &case,
        policy: q.policy.as_deref(),
        date: q.date,
        today,
    };
    let decision = decisions::decide_in_set(&state.policies, &r).map_err(PortalError::api)?;
    // written straight from the decision (the same JSON as [`DecideAnswer`], without building a
    // `serde_json::Value` of the whole trace first)
    super::ok_sized(
        &DecideReply {
            case: &situation,
            decision: &decision,
        },
        DECIDE_ANSWER_BYTES,
    )
}

/// Room for a decide answer from the start (the example practice's is 85 kB), so that writing it
/// does not copy it over and over while it grows.
const DECIDE_ANSWER_BYTES: usize = 96 * 1024;

/// [`DecideAnswer`] as written: the decision serialised as it is.
#[derive(Serialize)]
struct DecideReply<'a> {
    case: &'a serde_json::Value,
    decision: &'a Decision,
}

fn fields(f: &[Field]) -> Vec<FieldInfo> {
    f.iter()
        .map(|f| FieldInfo {
            name: f.name.into(),
            ty: f.ty.into(),
            doc: f.doc.into(),
            items: fields(f.items),
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/calc", tag = "beslissen", summary = CALCULATORS,
    responses((status = 200, body = Vec<CalculatorInfo>), (status = 401, body = ApiError)))]
pub async fn list(_user: CurrentUser) -> ApiResult {
    let all: Vec<CalculatorInfo> = calculators::list()
        .into_iter()
        .map(|c| CalculatorInfo {
            name: c.name.into(),
            title: c.title.into(),
            summary: c.summary.into(),
            policy: c.policy.into(),
            inputs: fields(c.inputs),
            outputs: fields(c.outputs),
        })
        .collect();
    ok(&all)
}

#[utoipa::path(post, path = "/api/v1/calc/{name}", tag = "beslissen", summary = CALC,
    description = "Stuur de invoer van een rekentool (zie GET /api/v1/calc voor de velden) en \
        krijg haar terug met de uitkomst en het ontvangstbewijs (welk beleid, welke versie, welke \
        datum). Bedragen zijn exacte decimale tekst.",
    params(("name" = String, Path, description = "de naam van de rekentool, bijvoorbeeld poh-ggz-hours"),
        PolicyDate),
    request_body(content = Object, description = "De invoer van de rekentool."),
    responses((status = 200, body = CalcAnswer),
        (status = 401, body = ApiError),
        (status = 404, description = "onbekende rekentool of onbekend beleid", body = ApiError),
        (status = 422, description = "ongeldige invoer (het veld genoemd)", body = ApiError)))]
pub async fn calc(
    State(state): State<AppState>,
    Path(name): Path<String>,
    q: Result<Query<PolicyDate>, QueryRejection>,
    req: ApiJson<serde_json::Value>,
) -> ApiResult {
    let q = query(q)?;
    let calculator = calculators::find(&name).map_err(|e| match e {
        AppError::Calc {
            error: CalcError::Unknown(_),
            ..
        } => PortalError::api(AppError::NotFound(format!("rekentool {name}"))),
        e => PortalError::api(e),
    })?;
    let input = req.raw;
    let body = req.body;
    let result = run(&state, move |s| {
        let policy = policies::find(
            &s.policies,
            q.policy.as_deref().unwrap_or(calculator.policy),
        )?;
        calculators::run_with(
            policy,
            CalcRequest {
                name: calculator.name,
                input: body,
                policy: None,
                date: q.date,
                parameters: BTreeMap::new(),
            },
        )
    })
    .await?;
    ok(&CalcAnswer {
        calculator: result.calculator,
        input,
        output: result.output,
        receipt: serde_json::to_value(&result.receipt).expect("a receipt serialises"),
    })
}
