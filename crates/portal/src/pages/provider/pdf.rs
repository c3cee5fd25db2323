//! The PDF documents of a proposal, written with `zorginkoop-pdf`: the agreement summary
//! ("samenvatting", the same rows as the page's section, and the exact text) and the signing
//! receipt (the use case's receipt text: who signed, when, from where, and the SHA-256 of the
//! signed text). Both are sent as downloads.

use super::proposals::summary_rows;
use crate::state::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use zorginkoop_app::proposals::{self, Proposal};
use zorginkoop_pdf::{Block, Document};

/// The summary's row with the text's hash (printed on a line of its own in the PDF).
pub const SHA_ROW: &str = "SHA-256 van de tekst";

fn author(state: &AppState, p: &Proposal) -> String {
    state
        .policies
        .get(&p.policy_id)
        .map(|x| x.file.policy.insurer.clone())
        .unwrap_or_else(|| "zorginkoop".into())
}

/// The agreement summary.
pub fn summary(state: &AppState, p: &Proposal) -> Document {
    let module = super::module_name(state, &p.policy_id, &p.module);
    Document {
        title: format!("Samenvatting overeenkomst: {module}"),
        author: author(state, p),
        blocks: vec![
            Block::Paragraph(format!(
                "{} en {}, voorstel {} ({}).",
                author(state, p),
                p.organisation_name,
                p.id,
                p.state.label()
            )),
            Block::Heading("Samenvatting".into()),
            Block::KeyValue(
                summary_rows(state, p)
                    .into_iter()
                    .filter(|(k, _)| k != SHA_ROW)
                    .collect(),
            ),
            Block::Heading(SHA_ROW.into()),
            Block::Monospace(p.text_sha256.clone()),
            Block::Rule,
            Block::Heading("Tekst van het voorstel".into()),
            Block::Paragraph(p.text.trim_end().to_string()),
        ],
    }
}

/// The signing receipt, once the proposal is signed.
pub fn receipt(state: &AppState, p: &Proposal) -> Option<Document> {
    let text = proposals::receipt_text(p)?;
    let (head, signed) = match text.split_once("--- getekende tekst ---") {
        Some((h, s)) => (h, Some(s)),
        None => (text.as_str(), None),
    };
    let mut rows = Vec::new();
    let mut blocks = Vec::new();
    let mut sha = None;
    for line in head.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once(": ") {
            // a hash is not wrapped: on a line of its own, in a fixed-width font
            Some((k, v)) if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) => {
                sha = Some((k.to_string(), v.to_string()))
            }
            Some((k, v)) => rows.push((k.to_string(), v.to_string())),
            None if blocks.is_empty() && rows.is_empty() => {}
            None => blocks.push(Block::Paragraph(line.to_string())),
        }
    }
    let mut all = vec![
        Block::Paragraph(format!(
            "{}: {}",
            p.organisation_name,
            super::module_name(state, &p.policy_id, &p.module)
        )),
        Block::KeyValue(rows),
    ];
    all.extend(blocks);
    if let Some((k, v)) = sha {
        all.push(Block::Heading(k));
        all.push(Block::Monospace(v));
    }
    if let Some(s) = signed {
        all.push(Block::Rule);
        all.push(Block::Heading("Getekende tekst".into()));
        all.push(Block::Paragraph(s.trim().to_string()));
    }
    Some(Document {
        title: "Ontvangstbewijs ondertekening".into(),
        author: author(state, p),
        blocks: all,
    })
}

/// A PDF as a download.
pub fn response(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
