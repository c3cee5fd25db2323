//! The API's request and response types, as the OpenAPI document describes them. Engine types
//! (a case, a decision, a receipt) are free-form objects here: their shape is
//! `zorginkoop.decision/2`, described in `crates/engine/DECISION-JSON.md`.
//!
//! The doc comments of these types become the descriptions in the OpenAPI document and on the
//! `/api` page, which users read: they are in Dutch.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use zorginkoop_app::applications::{Application, Message};
use zorginkoop_app::attachments::Attachment;
use zorginkoop_app::audit::AuditRecord;
use zorginkoop_app::proposals::{Proposal, TariffTerm};
use zorginkoop_app::store::ContractRow;

/// Een fout: de melding en de HTTP-status.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    /// Wat er misging.
    pub fout: String,
    pub status: u16,
}

/// Een organisatie, kort.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: i64,
    pub name: String,
    /// Een soort zorgaanbieder uit het beleid (`practice`, `zorggroep`, ...) of `insurer`.
    pub kind: String,
}

/// De ingelogde gebruiker.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// `provider-user`, `provider-signer`, `purchaser`, `auditor` of `admin`.
    pub role: String,
    /// De rol in het Nederlands.
    pub role_label: String,
    pub organisation: OrganisationRef,
    /// Ingelogd met een API-token (anders met de sessiecookie).
    pub via_token: bool,
}

/// Een beleidsdocument zoals geladen.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyInfo {
    pub id: String,
    pub title: String,
    pub version: String,
    pub domain: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// De bestandsnaam van het brondocument.
    pub document: String,
    /// Het aantal modules.
    pub modules: usize,
    /// SHA-256 van het beleidsbestand (de ontvangstbewijzen noemen haar).
    pub sha256: String,
}

/// Welk beleid en welke peildatum (beide optioneel).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PolicyDate {
    /// Beleid-id; standaard het `policy` van de aanvraag (decide) of het eigen beleid van de rekentool (calc).
    pub policy: Option<String>,
    /// Peildatum `JJJJ-MM-DD`; standaard de `request_date` van de aanvraag, anders vandaag
    /// (decide), of het begin van de beleidsperiode (calc).
    pub date: Option<NaiveDate>,
}

/// De gestuurde situatie, met de beslissing.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecideAnswer {
    /// De aanvraag zoals gestuurd (zoals in `examples/*.json`).
    #[schema(value_type = Object)]
    pub case: serde_json::Value,
    /// De beslissing in de vorm `zorginkoop.decision/2`: het ontvangstbewijs (beleid, versie,
    /// SHA-256, engine, data) en per module de uitkomst, de vroegste start, de ontbrekende
    /// feiten en de redenering (`steps`, elk met de passage waarop ze rust). Zie
    /// crates/engine/DECISION-JSON.md.
    #[schema(value_type = Object)]
    pub decision: serde_json::Value,
}

/// Een invoer- of uitvoerveld van een rekentool.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldInfo {
    pub name: String,
    /// `decimal`, `integer`, `bool`, `text`, `date`, `list` of `object`.
    #[serde(rename = "type")]
    pub ty: String,
    pub doc: String,
    /// De delen van een lijst of object (een leeg `name` bij een lijst van losse waarden);
    /// ontbreekt bij de andere typen.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub items: Vec<FieldInfo>,
}

/// Een rekentool.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalculatorInfo {
    pub name: String,
    /// De naam voor mensen (de titel van haar pagina).
    pub title: String,
    pub summary: String,
    /// Het beleid waarvan ze de parameters gebruikt, tenzij anders gevraagd.
    pub policy: String,
    pub inputs: Vec<FieldInfo>,
    pub outputs: Vec<FieldInfo>,
}

/// De gestuurde invoer, met de uitkomst en het ontvangstbewijs.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalcAnswer {
    pub calculator: String,
    /// De invoer zoals gestuurd.
    #[schema(value_type = Object)]
    pub input: serde_json::Value,
    /// De uitkomst, per uitvoerveld van de rekentool (decimalen als exacte tekst).
    #[schema(value_type = Object)]
    pub output: serde_json::Value,
    /// Welk beleid (id, versie, SHA-256), welke engine en welke datum: het ontvangstbewijs van
    /// crates/engine/DECISION-JSON.md.
    #[schema(value_type = Object)]
    pub receipt: serde_json::Value,
}

/// Filters voor de lijst van aanvragen.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationFilter {
    /// Alleen die van deze organisatie (een zorgaanbieder ziet alleen de eigen).
    pub organisation: Option<i64>,
    /// Alleen in deze status: `draft`, `submitted`, `under-review`, `information-requested`,
    /// `granted`, `refused`.
    pub state: Option<String>,
    /// De werkvoorraad van de zorginkoper (ingediend, in behandeling, informatie gevraagd), oudste eerst.
    pub queue: Option<bool>,
}

/// Een aanvraag, kort.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationSummary {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub policy_id: String,
    pub module: String,
    /// `draft`, `submitted`, `under-review`, `information-requested`, `granted` of `refused`.
    pub state: String,
    /// De status in het Nederlands.
    pub state_label: String,
    pub submitted_at: Option<String>,
    pub request_date: Option<NaiveDate>,
    pub earliest_start: Option<NaiveDate>,
    pub updated_at: String,
}

impl From<&Application> for ApplicationSummary {
    fn from(a: &Application) -> Self {
        ApplicationSummary {
            id: a.id,
            organisation_id: a.organisation_id,
            organisation_name: a.organisation_name.clone(),
            policy_id: a.policy_id.clone(),
            module: a.module.clone(),
            state: a.state.as_str().into(),
            state_label: a.state.label().into(),
            submitted_at: a.submitted_at.clone(),
            request_date: a.request_date,
            earliest_start: a.earliest_start,
            updated_at: a.updated_at.clone(),
        }
    }
}

/// Een bericht bij een aanvraag.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: i64,
    pub author: String,
    pub author_role: String,
    pub body: String,
    pub created_at: String,
}

impl From<Message> for MessageView {
    fn from(m: Message) -> Self {
        MessageView {
            id: m.id,
            author: m.author,
            author_role: m.author_role,
            body: m.body,
            created_at: m.created_at,
        }
    }
}

/// Een aanvraag volledig: de antwoorden, de beslissing bij indienen, de live beslissing zolang
/// ze nog kan veranderen, en de berichten.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDetail {
    #[serde(flatten)]
    pub summary: ApplicationSummary,
    /// De antwoorden tot nu toe: feitnaam met waarde.
    #[schema(value_type = Object)]
    pub facts: BTreeMap<String, serde_json::Value>,
    /// Waarom afgewezen, of welke informatie gevraagd is.
    pub reason: Option<String>,
    pub created_at: String,
    /// De beslissing bij indienen (`zorginkoop.decision/2`, met ontvangstbewijs en redenering;
    /// zie crates/engine/DECISION-JSON.md).
    #[schema(value_type = Option<Object>)]
    pub decision: Option<serde_json::Value>,
    /// Zolang de antwoorden kunnen veranderen: de beslissing over de module nu (een
    /// ModuleDecision van crates/engine/DECISION-JSON.md: uitkomst, ontbrekende feiten, redenering).
    #[schema(value_type = Option<Object>)]
    pub live_decision: Option<serde_json::Value>,
    pub messages: Vec<MessageView>,
    /// De bijlagen bij de berichten (zonder inhoud: haal die op met GET /api/v1/attachments/{id}).
    pub attachments: Vec<AttachmentView>,
}

/// Een bijlage, zonder inhoud.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub application_id: i64,
    pub author: String,
    pub file_name: String,
    /// `application/pdf`, `image/png`, `image/jpeg` of `text/plain` (bepaald aan de inhoud).
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: String,
}

impl From<Attachment> for AttachmentView {
    fn from(a: Attachment) -> Self {
        AttachmentView {
            id: a.id,
            application_id: a.application_id,
            author: a.author,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256,
            created_at: a.created_at,
        }
    }
}

/// De bestandsnaam van een bijlage.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentName {
    /// De bestandsnaam (standaard `bijlage`).
    pub name: Option<String>,
}

/// Een aanvraag starten voor een module uit de catalogus (of de open aanvraag krijgen).
#[derive(Debug, Deserialize, ToSchema)]
pub struct StartApplication {
    /// Beleid-id, bijvoorbeeld `gp-2022-2023`.
    pub policy: String,
    /// Module-id in dat beleid, bijvoorbeeld `basiszorg`.
    pub module: String,
}

/// Answers to save: fact name to value (true/false, a number, a text); `null` removes an
/// answer. Answers not named stay as they are. (Described in the handler's request body.)
#[derive(Debug, Deserialize)]
pub struct Answers(pub BTreeMap<String, Option<serde_json::Value>>);

/// Wat de zorginkoper besluit.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewAction {
    /// In behandeling nemen.
    #[serde(alias = "in-behandeling")]
    Start,
    #[serde(alias = "toekennen")]
    Grant,
    /// De zorgaanbieder om informatie vragen (`text` is de vraag).
    #[serde(alias = "informatie")]
    RequestInformation,
    /// Afwijzen (`text` is de reden die de zorgaanbieder leest).
    #[serde(alias = "afwijzen")]
    Refuse,
}

/// Een stap van de zorginkoper op een ingediende aanvraag: `start`, `grant`,
/// `request-information` of `refuse`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewRequest {
    pub action: ReviewAction,
    /// De vraag (request-information) of de reden (refuse).
    pub text: Option<String>,
}

/// Een bericht voor een aanvraag.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMessage {
    pub body: String,
}

/// Het geplaatste bericht.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Filter voor voorstellen (de zorgverzekeraar ziet die van elke organisatie).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationFilter {
    /// Alleen die van deze organisatie.
    pub organisation: Option<i64>,
}

/// Een tarief van een voorstel: de waarde uit het beleid naast de voorgestelde.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermView {
    pub parameter: String,
    pub label: String,
    /// `eur`, `ratio`, `hours`, ...
    pub unit: String,
    /// De waarde uit het beleid op de startdatum (exacte decimale tekst).
    pub policy_value: Option<String>,
    pub proposed_value: String,
}

impl From<&TariffTerm> for TermView {
    fn from(t: &TariffTerm) -> Self {
        TermView {
            parameter: t.parameter.clone(),
            label: t.label.clone(),
            unit: t.unit.clone(),
            policy_value: t.policy_value.clone(),
            proposed_value: t.proposed_value.clone(),
        }
    }
}

/// Een voorstel of contract, kort.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalSummary {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub application_id: Option<i64>,
    pub policy_id: String,
    pub module: String,
    /// `proposed`, `accepted`, `refused` of `administrative`.
    pub state: String,
    pub state_label: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// Het hoofdtarief in centen.
    pub tariff_cents: i64,
    pub ceiling_cents: Option<i64>,
    pub proposed_at: String,
    pub contract_id: Option<i64>,
    /// Of het contract vandaag loopt (`actief`, `getekend, start later`, `beëindigd`); afwezig
    /// als er geen contract is.
    pub contract_status: Option<String>,
}

impl ProposalSummary {
    pub fn of(p: &Proposal, today: NaiveDate) -> Self {
        ProposalSummary {
            id: p.id,
            organisation_id: p.organisation_id,
            organisation_name: p.organisation_name.clone(),
            application_id: p.application_id,
            policy_id: p.policy_id.clone(),
            module: p.module.clone(),
            state: p.state.as_str().into(),
            state_label: p.state.label().into(),
            start: p.start,
            end: p.end,
            tariff_cents: p.tariff_cents,
            ceiling_cents: p.ceiling_cents,
            proposed_at: p.proposed_at.clone(),
            contract_id: p.contract_id,
            contract_status: p.contract_status(today).map(String::from),
        }
    }
}

/// Een voorstel volledig: de exacte tekst die de tekenbevoegde leest en haar SHA-256, de
/// tarieven, en wie wanneer en vanaf waar antwoordde.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalDetail {
    #[serde(flatten)]
    pub summary: ProposalSummary,
    pub terms: Vec<TermView>,
    /// De exacte tekst.
    pub text: String,
    /// Stuur deze mee bij accepteren of weigeren: ze bewijst welke tekst gelezen is.
    pub text_sha256: String,
    pub proposed_by: String,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
    pub answered_ip: Option<String>,
    pub answered_user_agent: Option<String>,
    pub refusal_reason: Option<String>,
    /// Na ondertekening: het ontvangstbewijs (de tekst, wie, wanneer, vanaf waar, de SHA-256).
    pub receipt: Option<String>,
}

impl ProposalDetail {
    pub fn of(p: &Proposal, today: NaiveDate) -> Self {
        ProposalDetail {
            summary: ProposalSummary::of(p, today),
            terms: p.terms.iter().map(TermView::from).collect(),
            text: p.text.clone(),
            text_sha256: p.text_sha256.clone(),
            proposed_by: p.proposed_by.clone(),
            answered_by: p.answered_by.clone(),
            answered_at: p.answered_at.clone(),
            answered_ip: p.answered_ip.clone(),
            answered_user_agent: p.answered_user_agent.clone(),
            refusal_reason: p.refusal_reason.clone(),
            receipt: zorginkoop_app::proposals::receipt_text(p),
        }
    }
}

/// Het antwoord van de tekenbevoegde: `accept` of `refuse`.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    #[serde(alias = "ondertekenen")]
    Accept,
    #[serde(alias = "weigeren")]
    Refuse,
}

/// Een voorstel accepteren of weigeren (alleen de tekenbevoegde van de organisatie).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerRequest {
    pub answer: Answer,
    /// De `text_sha256` van het voorstel zoals gelezen: het antwoord geldt alleen voor die tekst.
    pub text_sha256: String,
    /// Waarom geweigerd (verplicht bij weigeren).
    pub reason: Option<String>,
}

/// Een contract zoals de declaratiecontrole het leest.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractView {
    pub id: Option<i64>,
    /// 8 cijfers, voorloopnullen behouden.
    pub provider_agb: String,
    pub module: String,
    /// Uitdrukkelijk afgesproken prestatiecodes (leeg: elke code van de module).
    pub prestatie_codes: Vec<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub tariff_cents: i64,
    pub ceiling_cents: Option<i64>,
    pub contract_type: String,
}

impl From<ContractRow> for ContractView {
    fn from(c: ContractRow) -> Self {
        ContractView {
            id: c.id,
            provider_agb: c.provider_agb,
            module: c.module,
            prestatie_codes: c.prestatie_codes,
            start: c.start,
            end: c.end,
            tariff_cents: c.tariff_cents,
            ceiling_cents: c.ceiling_cents,
            contract_type: c.contract_type,
        }
    }
}

/// Hoeveel regels van het auditlog.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Hoogstens zoveel, nieuwste eerst (standaard 100, hoogstens 1000).
    pub limit: Option<i64>,
}

/// Een regel van het auditlog: wie, wanneer, wat, de toestand ervoor en erna, het
/// ontvangstbewijs van het beleid.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: String,
    pub user: Option<String>,
    pub organisation: Option<String>,
    pub organisation_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub receipt: Option<serde_json::Value>,
    pub ip: Option<String>,
}

fn json_text(t: Option<String>) -> Option<serde_json::Value> {
    t.map(|t| serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t)))
}

impl From<AuditRecord> for AuditEntryView {
    fn from(r: AuditRecord) -> Self {
        AuditEntryView {
            id: r.id,
            at: r.at,
            user: r.user,
            organisation: r.organisation,
            organisation_id: r.organisation_id,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            before: json_text(r.before),
            after: json_text(r.after),
            receipt: json_text(r.receipt),
            ip: r.ip,
        }
    }
}

/// Een contractvoorstel van de zorginkoper voor een toegekende aanvraag: de tarieven komen uit
/// het beleid op de startdatum; `tariffs` vervangt er enkele.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProposeRequest {
    pub start: NaiveDate,
    /// Laatste dag (afwezig: onbepaalde tijd).
    pub end: Option<NaiveDate>,
    /// Omzetplafond in euro als tekst (`"12500,00"`), optioneel.
    pub ceiling: Option<String>,
    /// Tariefparameter-id met de voorgestelde waarde (exacte decimale tekst of een getal).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub tariffs: BTreeMap<String, serde_json::Value>,
}

/// Een elders gemaakte afspraak, vastgelegd als administratief contract (geen ondertekening;
/// na vastleggen niet meer te wijzigen).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AdministrativeRequest {
    /// Het organisatie-id van de zorgaanbieder.
    pub organisation: i64,
    /// Beleid-id, bijvoorbeeld `gp-2022-2023`.
    pub policy: String,
    /// Module-id in dat beleid.
    pub module: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// Omzetplafond in euro als tekst, optioneel.
    pub ceiling: Option<String>,
    /// Tariefparameter-id met de afgesproken waarde.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub tariffs: BTreeMap<String, serde_json::Value>,
}

/// Een afrekening zoals vastgelegd door een afrekenrun (`zorginkoop settle ... --db`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SettlementView {
    pub id: i64,
    pub run_id: i64,
    /// `wijkverpleging`, ...
    pub domain: String,
    pub year: i64,
    /// Of dit de nieuwste run van dit domein en jaar is.
    pub current: bool,
    pub provider_agb: String,
    pub provider_name: Option<String>,
    pub category: String,
    /// Het afgerekende bedrag in euro, als decimale tekst (exact); null zolang er iets ontbreekt.
    pub total: Option<String>,
    pub policy_id: String,
    pub policy_version: String,
    pub policy_sha256: String,
    pub recorded_at: String,
}

impl From<zorginkoop_app::settlement::StatementSummary> for SettlementView {
    fn from(s: zorginkoop_app::settlement::StatementSummary) -> Self {
        SettlementView {
            id: s.id,
            run_id: s.run.id,
            domain: s.run.domain,
            year: s.run.year,
            current: s.run.current,
            provider_agb: s.provider_agb,
            provider_name: s.provider_name,
            category: s.category,
            total: s.total,
            policy_id: s.run.policy_id,
            policy_version: s.run.policy_version,
            policy_sha256: s.run.policy_sha256,
            recorded_at: s.run.recorded_at,
        }
    }
}

/// Een cijfer van de spiegelinformatie over de zorgaanbieders van dezelfde afrekenrun; voor een
/// zorgaanbieder staan de anderen er zonder naam of code in ("aanbieder 1", ...).
#[derive(Debug, Serialize, ToSchema)]
pub struct MirrorSeriesView {
    pub step: String,
    pub label: String,
    pub unit: String,
    /// Als decimale tekst.
    pub median: String,
    pub points: Vec<MirrorPointView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MirrorPointView {
    pub label: String,
    pub own: bool,
    /// Als decimale tekst.
    pub value: String,
}

impl From<zorginkoop_app::settlement::MirrorSeries> for MirrorSeriesView {
    fn from(m: zorginkoop_app::settlement::MirrorSeries) -> Self {
        MirrorSeriesView {
            step: m.step,
            label: m.label,
            unit: m.unit,
            median: m.median.to_string(),
            points: m
                .points
                .into_iter()
                .map(|p| MirrorPointView {
                    label: p.label,
                    own: p.own,
                    value: p.value.to_string(),
                })
                .collect(),
        }
    }
}

/// Een afrekening met haar regels (de vorm die `statement.schema` noemt, bijvoorbeeld
/// zorginkoop.settlement.district-nursing/1) en de spiegelinformatie.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettlementDetailView {
    pub settlement: SettlementView,
    #[schema(value_type = Object)]
    pub statement: serde_json::Value,
    pub mirror: Vec<MirrorSeriesView>,
}
