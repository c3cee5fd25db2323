//! How the engine's decision on a module is shown: the outcome, the answers still missing, the
//! application window and earliest start, and every step of the trace with the passage it rests
//! on. The portal shows what the engine decided; it never decides by itself.

use crate::html;
use crate::state::AppState;
use chrono::NaiveDate;
use maud::{Markup, html};
use zorginkoop_app::engine::explain::input_dutch;
use zorginkoop_app::engine::{ModuleDecision, Outcome, StepKind, StepOutcome, TraceStep};
use zorginkoop_app::policy::Policy;

/// The Dutch label of a step's outcome and its badge class.
pub fn step_label(o: StepOutcome) -> (&'static str, &'static str) {
    match o {
        StepOutcome::Passed => ("voldaan", "ok"),
        StepOutcome::Failed => ("niet voldaan", "no"),
        StepOutcome::Unknown => ("antwoord ontbreekt", "info"),
        StepOutcome::Review => ("individuele beoordeling", "review"),
        StepOutcome::Info => ("ter informatie", "info"),
    }
}

/// The trace: one item per step, with what it read, its note and its citation.
pub fn steps(state: &AppState, steps: &[TraceStep]) -> Markup {
    html! {
        ol.trace {
            @for s in steps {
                @let (label, class) = step_label(s.outcome);
                li {
                    span class={"badge " (class)} { (label) } " " (s.text().trim())
                    @if !s.inputs.is_empty() {
                        p.hint { "Gelezen: " (s.inputs.iter().map(input_dutch).collect::<Vec<_>>().join("; ")) }
                    }
                    @if let Some(n) = &s.note {
                        p.hint { (n) }
                    }
                    (html::citation(state, s.source()))
                }
            }
        }
    }
}

/// The step of the application window, when it refuses the request (closed or not yet open).
pub fn window_refusal(md: &ModuleDecision) -> Option<&TraceStep> {
    md.steps
        .iter()
        .find(|s| &*s.rule().id == "window" && s.outcome == StepOutcome::Failed)
}

/// Why the application window refuses a request on `today`, with the passage: "closed" or
/// "not yet open", the rule, the engine's note and the citation.
pub fn window_notice(state: &AppState, md: &ModuleDecision, today: NaiveDate) -> Option<Markup> {
    let step = window_refusal(md)?;
    let headline = match (md.window_opens, md.window_closes) {
        (Some(o), _) if today < o => format!(
            "De aanvraagperiode is nog niet open: aanvragen kan vanaf {}.",
            html::date_nl(o)
        ),
        (_, Some(c)) => format!(
            "De aanvraagperiode is gesloten: aanvragen kon tot en met {}.",
            html::date_nl(c)
        ),
        _ => "De aanvraagperiode is gesloten.".to_string(),
    };
    Some(html! {
        div.error.window role="note" {
            p { strong { (headline) } }
            p { (step.text()) @if let Some(n) = &step.note { " — " (n) } }
            (html::citation(state, step.source()))
        }
    })
}

/// The step a decision rests on: for "not eligible" the first step that failed, for "individual
/// review" the first step that asks for it, for "information needed" the first step missing an
/// answer, and for "eligible" the last step that was met (the last condition or the calendar).
pub fn decisive(md: &ModuleDecision) -> Option<&TraceStep> {
    let wanted = match md.outcome {
        Outcome::NotEligible => StepOutcome::Failed,
        Outcome::NeedsReview => StepOutcome::Review,
        Outcome::NeedsInformation => StepOutcome::Unknown,
        Outcome::Eligible => {
            return md
                .steps
                .iter()
                .rev()
                .find(|s| s.outcome == StepOutcome::Passed);
        }
    };
    md.steps.iter().find(|s| s.outcome == wanted)
}

/// The passage a decision rests on ([`decisive`]): the step, a link to the passage, and how many
/// other steps the explanation has. Nothing when the application window refuses the request
/// ([`window_notice`] shows that passage).
pub fn grounds(state: &AppState, md: &ModuleDecision) -> Markup {
    let step = match decisive(md) {
        Some(s) if window_refusal(md).is_none() => s,
        _ => return html! {},
    };
    let source = step.source();
    let others = md.steps.len().saturating_sub(1);
    html! {
        p.grounds {
            "Rust op: " (step.text().trim()) " ("
            a href=(html::passage_href(source)) { "lees de passage" }
            ", " (zorginkoop_app::policies::document_title(&state.policies, &source.document)) ", " (source.section) ")"
            @if others > 0 { "; de uitleg noemt nog " (others) @if others == 1 { " stap" } @else { " stappen" } }
            "."
        }
    }
}

/// The facts still missing, by label, each linking to its field when `link` (the form is on
/// the page).
pub fn missing(policy: &Policy, md: &ModuleDecision, link: bool) -> Markup {
    html! {
        @if !md.missing_facts.is_empty() {
            p { "Nog te beantwoorden (" (md.missing_facts.len()) "):" }
            ul.missing {
                @for f in &md.missing_facts {
                    @let label = policy.fact(f).map(|d| d.label).unwrap_or_else(|| f.clone());
                    li {
                        @if link { a href={"#f-" (f)} { (label) } } @else { (label) }
                    }
                }
            }
        }
    }
}

/// The steps that stand in the way (failed, up for review, or a required module not yet in
/// place), except the window, which [`window_notice`] explains.
pub fn obstacles(md: &ModuleDecision) -> Markup {
    let list: Vec<&TraceStep> = md
        .steps
        .iter()
        .filter(|s| &*s.rule().id != "window")
        .filter(|s| match s.outcome {
            StepOutcome::Failed | StepOutcome::Review => true,
            StepOutcome::Unknown => s.rule().kind == StepKind::Requires,
            _ => false,
        })
        .collect();
    html! {
        @if !list.is_empty() {
            p { "Let op:" }
            ul.obstacles {
                @for s in list {
                    @let (label, _) = step_label(s.outcome);
                    li { (s.text().trim()) " (" (label) ")" @if let Some(n) = &s.note { ": " (n) } }
                }
            }
        }
    }
}

/// The earliest start and the request deadline for a request on the decision's request date.
pub fn start_dates(md: &ModuleDecision) -> Markup {
    html! {
        @if let Some(start) = md.earliest_start {
            p {
                "Vroegste startdatum: " strong { (html::date_nl(start)) }
                @if let Some(d) = md.request_deadline {
                    " (daarvoor uiterlijk aanvragen op " (html::date_nl(d)) ")"
                }
                "."
            }
        }
    }
}

/// A module's decision in full: outcome, window, missing answers, start date and the steps
/// (collapsed under "Uitleg per stap").
pub fn full(
    state: &AppState,
    policy: &Policy,
    md: &ModuleDecision,
    today: NaiveDate,
    link_missing: bool,
) -> Markup {
    html! {
        p { "Beslissing: " (html::outcome_badge(md.outcome)) }
        @if let Some(w) = window_notice(state, md, today) { (w) }
        (missing(policy, md, link_missing))
        (obstacles(md))
        (start_dates(md))
        details.explanation {
            summary { "Uitleg per stap, met de bron" }
            (steps(state, &md.steps))
        }
    }
}
