//! # zorginkoop-pdf
//!
//! Writes small, text-only PDF 1.4 documents, such as the agreement summary ("samenvatting")
//! and the signing receipt of the contracting portal, with the standard library alone.
//!
//! ```
//! use zorginkoop_pdf::{Block, Document, render};
//!
//! let doc = Document {
//!     title: "Samenvatting overeenkomst".into(),
//!     author: "Zorgverzekeraar".into(),
//!     blocks: vec![
//!         Block::Heading("Partijen".into()),
//!         Block::KeyValue(vec![("Zorgaanbieder".into(), "Coöperatie De Linde U.A.".into())]),
//!         Block::Rule,
//!         Block::Paragraph("Tarief: € 1.234,56 per jaar.".into()),
//!     ],
//! };
//! let pdf = render(&doc);
//! assert!(pdf.starts_with(b"%PDF-1.4"));
//! ```
//!
//! What a document gets:
//! * A4 pages (595 × 842 pt), margins of 56 pt; the title at the top of the first page, then the
//!   blocks; a footer `pagina N van M` on every page; page breaks where a page is full
//!   (see [`mod@layout`] for the styles and rules);
//! * text wrapped by the real widths of the glyphs (Adobe's AFM metrics of Helvetica and
//!   Helvetica-Bold, Courier 600/1000 em), words longer than a line broken;
//! * the standard fonts Helvetica, Helvetica-Bold and Courier in WinAnsiEncoding, which covers
//!   Dutch and the rest of Western Europe: é ë ï ö ü, €, ‘ ’ “ ”, – —;
//! * document information with Title, Author and Producer `zorginkoop`, and no creation date:
//!   the output is deterministic, the same document gives the same bytes.
//!
//! Limits, on purpose:
//! * text only: no images, tables, colours, links, outlines or forms;
//! * no embedded fonts, so the file relies on the reader's standard 14 fonts (every PDF reader
//!   has them) and is not PDF/A;
//! * characters outside WinAnsi (Greek, Cyrillic, CJK, emoji, ‑ and ≥ …) are printed as `?`;
//! * no kerning, no hyphenation, no justification: lines are left aligned;
//! * streams are not compressed (a summary of a few pages stays a few tens of kilobytes).
//!
//! Modules: [`metrics`] (fonts, widths, encoding), [`mod@layout`] (blocks to positioned lines and
//! pages), `writer` (pages to PDF objects, cross-reference table and trailer).

pub mod layout;
pub mod metrics;
mod writer;

pub use layout::layout;
pub use metrics::Font;

/// A document to render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Printed at the top of the first page (unless empty) and stored as the PDF's title.
    pub title: String,
    /// Stored as the PDF's author; not printed.
    pub author: String,
    pub blocks: Vec<Block>,
}

/// A piece of the document, laid out top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A section heading, bold; kept on the same page as the line after it.
    Heading(String),
    /// Running text, wrapped; `\n` forces a line break.
    Paragraph(String),
    /// Rows of a key (bold, left column) and its value (wrapped in the right column).
    KeyValue(Vec<(String, String)>),
    /// A horizontal line across the text width.
    Rule,
    /// Preformatted text in Courier: lines kept as given, cut where longer than the text width.
    Monospace(String),
}

/// The PDF file for `doc`.
pub fn render(doc: &Document) -> Vec<u8> {
    writer::write(doc, &layout(doc))
}
