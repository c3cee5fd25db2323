//! Attachments in an application's thread: upload (multipart form with the CSRF token, at most
//! 4 MiB, PDF/PNG/JPEG/text decided by the content) and download (as an attachment, never shown
//! inline, with the stored type). Who may see the application may add and read its attachments.

use crate::auth::{CurrentUser, same_token};
use crate::error::PortalError;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use zorginkoop_app::AppError;
use zorginkoop_app::attachments;

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "POST",
            "/aanvragen/{id}/bijlagen",
            Access::User,
            "een bijlage toevoegen aan de berichten van een aanvraag",
            post(upload).layer(DefaultBodyLimit::max(attachments::MAX_BYTES + 64 * 1024)),
        ),
        Route::new(
            "GET",
            "/bijlagen/{id}",
            Access::User,
            "een bijlage downloaden",
            get(download),
        ),
    ]
}

/// Reads an upload form (multipart: the CSRF token and one file in the field `bestand`, at most
/// `max_bytes`), checks the CSRF token (the field, or the `X-CSRF-Token` header) and returns the
/// file's name (or `default_name`) and bytes. Problems name `label`, the form's field.
pub async fn read_upload(
    mut form: Multipart,
    headers: &HeaderMap,
    user: &CurrentUser,
    label: &str,
    default_name: &str,
    max_bytes: usize,
) -> Result<(String, Vec<u8>), PortalError> {
    let invalid = |problem: String| {
        PortalError::page(AppError::Invalid {
            field: label.to_string(),
            problem,
        })
    };
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| invalid(format!("het formulier is onleesbaar of te groot: {e}")))?
    {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("bestand") => {
                let name = field.file_name().unwrap_or(default_name).to_string();
                let bytes = field.bytes().await.map_err(|_| {
                    invalid(format!(
                        "het bestand is te groot (hoogstens {} kB)",
                        max_bytes / 1024
                    ))
                })?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let sent = if csrf.is_empty() {
        headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    } else {
        csrf
    };
    if !same_token(&sent, &user.csrf) {
        return Err(PortalError::page(AppError::Forbidden(
            "het formulier is verlopen of niet van deze site (CSRF-controle); laad de pagina opnieuw".into(),
        )));
    }
    file.ok_or_else(|| invalid("kies een bestand".into()))
}

async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<Response, PortalError> {
    let (name, bytes) = read_upload(
        form,
        &headers,
        &user,
        "bijlage",
        "bijlage",
        attachments::MAX_BYTES,
    )
    .await?;
    let now = state.now();
    let actor = user.actor.clone();
    state
        .run(move |s| attachments::add(&s.db, &actor, id, &name, &bytes, now))
        .await?;
    let back = if user.actor.role.is_insurer() {
        format!("/inkoop/aanvragen/{id}#berichten")
    } else {
        format!("/aanvragen/{id}#berichten")
    };
    Ok(Redirect::to(&back).into_response())
}

async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    let actor = user.actor.clone();
    let (a, bytes) = state
        .run(move |s| attachments::get(&s.db, &actor, id))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, a.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", a.file_name),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The attachments of an application's thread, and (when `can_upload`) the upload form.
pub fn section(
    user: &CurrentUser,
    application_id: i64,
    list: &[attachments::Attachment],
    can_upload: bool,
) -> maud::Markup {
    maud::html! {
        section aria-labelledby="bijlagen" {
            h3 id="bijlagen" { "Bijlagen" }
            @if list.is_empty() {
                p { "Geen bijlagen." }
            } @else {
                ul {
                    @for a in list {
                        li {
                            a href={"/bijlagen/" (a.id)} { (a.file_name) }
                            " (" (a.size_bytes / 1024 + 1) " kB, " (a.author) ", "
                            (crate::html::timestamp_nl(&a.created_at)) ")"
                        }
                    }
                }
            }
            @if can_upload {
                form method="post" action={"/aanvragen/" (application_id) "/bijlagen"} enctype="multipart/form-data" {
                    (crate::html::csrf_field(user))
                    label for="bestand" { "Bestand toevoegen" }
                    input id="bestand" name="bestand" type="file" accept=".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain" required aria-describedby="bestand-hint";
                    p.hint id="bestand-hint" { "PDF, PNG, JPEG of platte tekst, hoogstens " (attachments::MAX_BYTES / 1024 / 1024) " MB." }
                    p { button type="submit" { "Bijlage toevoegen" } }
                }
            }
        }
    }
}
