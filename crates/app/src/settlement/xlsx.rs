//! A statement as an Excel workbook (xlsx, written with rust_xlsxwriter): the sheet
//! "Afrekening" with one row per line (figure, unit, calculation, passage, choice) and the total,
//! and the sheet "Spiegelinformatie" with the figures of the other providers of the run.
//!
//! Figures are written as number cells, so that a reader can compute with them. An xlsx number
//! is an IEEE double: the cell holds the decimal's nearest double (exact for euro amounts below
//! 2^53 cents), and the column "exact" beside it holds the decimal as text, as in the JSON.

use super::{MirrorSeries, StatementDetail};
use crate::AppError;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde_json::Value as Json;
use std::str::FromStr;

fn err(e: XlsxError) -> AppError {
    AppError::Invalid {
        field: "xlsx".into(),
        problem: format!("het Excel-bestand kon niet worden gemaakt: {e}"),
    }
}

/// The unit and number format of a figure kind of the statement JSON.
fn unit(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "euro" => ("euro", "#,##0.00"),
        "ratio" => ("fractie", "0.00##"),
        "hours" => ("uur", "0.00##"),
        "count" => ("aantal", "0"),
        "mean" => ("gemiddelde", "0.0000"),
        _ => ("", "@"),
    }
}

fn decimal(v: &Json) -> Option<Decimal> {
    match v {
        Json::String(s) => Decimal::from_str(s).ok(),
        Json::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    }
}

fn text<'a>(v: &'a Json, key: &str) -> &'a str {
    v.get(key).and_then(Json::as_str).unwrap_or("")
}

/// The statement (and its mirror information) as xlsx bytes.
pub fn statement_xlsx(
    detail: &StatementDetail,
    mirror: &[MirrorSeries],
) -> Result<Vec<u8>, AppError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let s = &detail.summary;
    let st = &detail.statement;
    {
        let ws: &mut Worksheet = wb.add_worksheet();
        ws.set_name("Afrekening").map_err(err)?;
        let title = format!(
            "Afrekening {} {} - zorgaanbieder {}{}",
            s.run.domain,
            s.run.year,
            s.provider_agb,
            s.provider_name
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        );
        ws.write_string_with_format(0, 0, &title, &bold)
            .map_err(err)?;
        let meta = [
            ("Categorie", s.category.clone()),
            (
                "Beleid",
                format!(
                    "{} versie {} (sha256 {})",
                    s.run.policy_id, s.run.policy_version, s.run.policy_sha256
                ),
            ),
            (
                "Afrekenrun",
                format!(
                    "{} vastgelegd op {} door {}",
                    s.run.id, s.run.recorded_at, s.run.recorded_by
                ),
            ),
            ("Invoer", s.run.inputs_note.clone()),
        ];
        let mut row = 1u32;
        for (k, v) in meta {
            ws.write_string_with_format(row, 0, k, &bold).map_err(err)?;
            ws.write_string(row, 1, &v).map_err(err)?;
            row += 1;
        }
        row += 1;
        let headers = [
            "Nr",
            "Stap",
            "Omschrijving",
            "Waarde",
            "Eenheid",
            "Exact",
            "Berekening",
            "Document",
            "Sectie",
            "Citaat",
            "Keuze",
        ];
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &bold)
                .map_err(err)?;
        }
        row += 1;
        let lines = st
            .get("lines")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, l) in lines.iter().enumerate() {
            let amount = l.get("amount").cloned().unwrap_or(Json::Null);
            let kind = text(&amount, "kind");
            let value = amount.get("value").cloned().unwrap_or(Json::Null);
            let (unit, num_format) = unit(kind);
            ws.write_number(row, 0, (i + 1) as f64).map_err(err)?;
            ws.write_string(row, 1, text(l, "step")).map_err(err)?;
            ws.write_string(row, 2, text(l, "label")).map_err(err)?;
            match (kind, decimal(&value)) {
                ("text", _) | (_, None) => {
                    ws.write_string(row, 3, value.as_str().unwrap_or(""))
                        .map_err(err)?;
                }
                (_, Some(d)) => {
                    ws.write_number_with_format(
                        row,
                        3,
                        d.to_f64().unwrap_or(0.0),
                        &Format::new().set_num_format(num_format),
                    )
                    .map_err(err)?;
                    ws.write_string(row, 5, d.to_string()).map_err(err)?;
                }
            }
            ws.write_string(row, 4, unit).map_err(err)?;
            ws.write_string_with_format(row, 6, text(l, "calculation"), &wrap)
                .map_err(err)?;
            let source = l.get("source").cloned().unwrap_or(Json::Null);
            ws.write_string(row, 7, text(&source, "document"))
                .map_err(err)?;
            ws.write_string(row, 8, text(&source, "section"))
                .map_err(err)?;
            ws.write_string_with_format(row, 9, text(&source, "quote"), &wrap)
                .map_err(err)?;
            ws.write_string_with_format(row, 10, text(l, "choice"), &wrap)
                .map_err(err)?;
            row += 1;
        }
        row += 1;
        match s.total.as_deref().and_then(|t| Decimal::from_str(t).ok()) {
            Some(t) => {
                ws.write_string_with_format(row, 2, "Afgerekend bedrag", &bold)
                    .map_err(err)?;
                ws.write_number_with_format(
                    row,
                    3,
                    t.to_f64().unwrap_or(0.0),
                    &Format::new().set_bold().set_num_format("#,##0.00"),
                )
                .map_err(err)?;
                ws.write_string(row, 4, "euro").map_err(err)?;
                ws.write_string(row, 5, t.to_string()).map_err(err)?;
            }
            None => {
                ws.write_string_with_format(row, 2, "Nog niet af te rekenen, want:", &bold)
                    .map_err(err)?;
                for m in st
                    .get("missing")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                {
                    row += 1;
                    ws.write_string(row, 2, m.as_str().unwrap_or(""))
                        .map_err(err)?;
                }
            }
        }
        for (c, w) in [5, 24, 44, 16, 9, 14, 60, 28, 36, 60, 60]
            .iter()
            .enumerate()
        {
            ws.set_column_width(c as u16, *w).map_err(err)?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Spiegelinformatie").map_err(err)?;
        ws.write_string_with_format(
            0,
            0,
            "Spiegelinformatie: de zorgaanbieders van dezelfde afrekenrun",
            &bold,
        )
        .map_err(err)?;
        let mut row = 2u32;
        if mirror.is_empty() {
            ws.write_string(row, 0, "Geen cijfers om te vergelijken.")
                .map_err(err)?;
        }
        for series in mirror {
            ws.write_string_with_format(row, 0, &series.label, &bold)
                .map_err(err)?;
            ws.write_string(row, 1, &series.unit).map_err(err)?;
            row += 1;
            for p in &series.points {
                ws.write_string(row, 0, &p.label).map_err(err)?;
                ws.write_number(row, 1, p.value.to_f64().unwrap_or(0.0))
                    .map_err(err)?;
                ws.write_string(row, 2, p.value.to_string()).map_err(err)?;
                if p.own {
                    ws.write_string_with_format(row, 3, "u", &bold)
                        .map_err(err)?;
                }
                row += 1;
            }
            ws.write_string(row, 0, "mediaan").map_err(err)?;
            ws.write_number(row, 1, series.median.to_f64().unwrap_or(0.0))
                .map_err(err)?;
            ws.write_string(row, 2, series.median.to_string())
                .map_err(err)?;
            row += 2;
        }
        ws.set_column_width(0, 48).map_err(err)?;
        ws.set_column_width(1, 16).map_err(err)?;
        ws.set_column_width(2, 16).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}
