//! The output read back by poppler (`pdftotext`, `pdfinfo` from the Debian package
//! poppler-utils): the text comes out as written, in order, and the file has no errors.
//! Each test prints a note and passes without checking when the program is not installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use zorginkoop_pdf::{Block, Document, layout, render};

/// Whether `program` runs; prints a note when it does not.
fn available(program: &str) -> bool {
    let found = Command::new(program).arg("-v").output().is_ok();
    if !found {
        eprintln!("note: {program} not found (apt-get install poppler-utils), check skipped");
    }
    found
}

/// `doc` rendered into a file of its own in the temporary directory.
fn write(doc: &Document, name: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("zorginkoop-pdf-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, render(doc)).unwrap();
    path
}

/// Runs `program` with `args`; its standard output, asserting success and an empty stderr
/// (poppler reports syntax errors there).
fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{program} {args:?}: {stderr}");
    assert!(
        stderr.trim().is_empty(),
        "{program} {args:?} reports: {stderr}"
    );
    String::from_utf8(out.stdout).unwrap()
}

fn text_of(path: &Path) -> String {
    run("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"])
}

/// A field of `pdfinfo`'s output, such as `Pages`.
fn field<'a>(info: &'a str, name: &str) -> Option<&'a str> {
    info.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .map(str::trim)
}

#[test]
fn dutch_text_comes_out_exactly() {
    if !available("pdftotext") {
        return;
    }
    let path = write(&common::summary(), "summary");
    let text = text_of(&path);
    std::fs::remove_file(&path).unwrap();
    for expected in [
        "Samenvatting overeenkomst huisartsenzorg 2024",
        "Overeenkomst",
        "Coöperatie Huisartsen Eemland U.A.",
        "01012345",
        "€ 1.234,56 per kwartaal",
        "mevr. dr. É. van der Veën, tekenbevoegd",
        "‘Algemene voorwaarden’",
        "“Inkoopbeleid 2024”",
        "heeft ontvangen –",
        "naïeve",
        "— dat",
        "(zie artikel 3\\4).",
        "ZK-2024-0001",
        "pagina 1 van 1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

#[test]
fn characters_outside_winansi_come_out_as_question_marks() {
    if !available("pdftotext") {
        return;
    }
    let doc = Document {
        title: String::new(),
        author: String::new(),
        blocks: vec![Block::Paragraph("α ≥ 5 😀 ñ".into())],
    };
    let path = write(&doc, "substitution");
    // -raw: in its default mode pdftotext joins "?" to its neighbours, spaces or not
    let text = run(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", path.to_str().unwrap(), "-"],
    );
    std::fs::remove_file(&path).unwrap();
    assert!(text.contains("? ? 5 ? ñ"), "{text}");
}

#[test]
fn long_document_has_several_pages_in_order() {
    if !available("pdftotext") || !available("pdfinfo") {
        return;
    }
    let doc = common::long(200);
    let pages = layout(&doc).len();
    assert!(pages >= 5, "{pages}");
    let path = write(&doc, "long");
    let text = text_of(&path);
    let info = run("pdfinfo", &[path.to_str().unwrap()]);
    std::fs::remove_file(&path).unwrap();

    assert_eq!(
        field(&info, "Pages"),
        Some(pages.to_string().as_str()),
        "{info}"
    );
    assert_eq!(field(&info, "Page size"), Some("595 x 842 pts (A4)"));
    assert_eq!(field(&info, "PDF version"), Some("1.4"));
    assert_eq!(field(&info, "Title"), Some("Lange overeenkomst"));
    assert_eq!(field(&info, "Producer"), Some("zorginkoop"));

    // every paragraph once, in order; pdftotext ends each page with a form feed
    let numbers: Vec<usize> = text
        .match_indices("Alinea")
        .map(|(at, _)| text[at + 6..at + 9].parse().unwrap())
        .collect();
    assert_eq!(numbers, (1..=200).collect::<Vec<_>>());
    let per_page: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(per_page.len(), pages);
    for (i, page) in per_page.iter().enumerate() {
        assert!(
            page.contains(&format!("pagina {} van {pages}", i + 1)),
            "{page}"
        );
    }
}

#[test]
fn info_of_the_summary() {
    if !available("pdfinfo") {
        return;
    }
    let path = write(&common::summary(), "info");
    let info = run("pdfinfo", &[path.to_str().unwrap()]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        field(&info, "Title"),
        Some("Samenvatting overeenkomst huisartsenzorg 2024")
    );
    assert_eq!(
        field(&info, "Author"),
        Some("Zorgverzekeraar Noord – afdeling Zorginkoop")
    );
    assert_eq!(field(&info, "Pages"), Some("1"));
    assert_eq!(field(&info, "CreationDate"), None, "{info}");
}
