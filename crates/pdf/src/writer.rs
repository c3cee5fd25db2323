//! Serialisation: laid-out pages as PDF 1.4 objects, cross-reference table and trailer.
//!
//! Objects: 1 catalog, 2 page tree, 3–5 the fonts (Helvetica, Helvetica-Bold, Courier, standard
//! Type 1 fonts with `/WinAnsiEncoding`, not embedded), 6 the document information, then per page
//! its page object and its content stream (uncompressed). Nothing depends on the clock or on
//! hashing, so the same document gives the same bytes.

use std::fmt::Write as _;

use crate::Document;
use crate::layout::{Item, PAGE_HEIGHT, PAGE_WIDTH, Page, RULE_THICKNESS, TextLine};
use crate::metrics::Font;

const FONTS: [Font; 3] = [Font::Helvetica, Font::HelveticaBold, Font::Courier];
/// Object number of the first font; the fonts follow in the order of [`FONTS`].
const FIRST_FONT: usize = 3;
const INFO: usize = 6;
const FIRST_PAGE: usize = 7;

/// The PDF file for `doc` laid out as `pages`.
pub(crate) fn write(doc: &Document, pages: &[Page]) -> Vec<u8> {
    let mut out = Objects::new();
    out.object(1, b"<< /Type /Catalog /Pages 2 0 R >>");

    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", FIRST_PAGE + 2 * i))
        .collect();
    let tree = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    );
    out.object(2, tree.as_bytes());

    for (i, font) in FONTS.iter().enumerate() {
        let dict = format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>",
            font.base_font()
        );
        out.object(FIRST_FONT + i, dict.as_bytes());
    }

    let info = format!(
        "<< /Title {} /Author {} /Producer (zorginkoop) >>",
        text_string(&doc.title),
        text_string(&doc.author)
    );
    out.object(INFO, info.as_bytes());

    let fonts: Vec<String> = FONTS
        .iter()
        .enumerate()
        .map(|(i, f)| format!("/{} {} 0 R", f.resource(), FIRST_FONT + i))
        .collect();
    let resources = format!(
        "<< /Font << {} >> /ProcSet [/PDF /Text] >>",
        fonts.join(" ")
    );
    for (i, page) in pages.iter().enumerate() {
        let number = FIRST_PAGE + 2 * i;
        let dict = format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources {resources} /Contents {} 0 R >>",
            num(PAGE_WIDTH),
            num(PAGE_HEIGHT),
            number + 1
        );
        out.object(number, dict.as_bytes());
        out.stream(number + 1, &content(page));
    }
    out.finish(INFO)
}

/// The content stream of one page.
fn content(page: &Page) -> Vec<u8> {
    let mut s = Vec::new();
    for item in &page.items {
        match item {
            Item::Text(line) => text(&mut s, line),
            Item::Rule { x1, x2, y } => {
                let ops = format!(
                    "q {} w 0.5 G {} {y} m {} {y} l S Q\n",
                    num(RULE_THICKNESS),
                    num(*x1),
                    num(*x2),
                    y = num(*y)
                );
                s.extend_from_slice(ops.as_bytes());
            }
        }
    }
    text(&mut s, &page.footer);
    s
}

fn text(s: &mut Vec<u8>, line: &TextLine) {
    let ops = format!(
        "BT /{} {} Tf {} {} Td ",
        line.font.resource(),
        line.size,
        num(line.x),
        num(line.y)
    );
    s.extend_from_slice(ops.as_bytes());
    s.extend_from_slice(&literal(&line.text));
    s.extend_from_slice(b" Tj ET\n");
}

/// A literal string: `(`, `)` and `\` escaped, bytes outside printable ASCII as octal escapes,
/// so that the content streams are plain ASCII.
pub(crate) fn literal(bytes: &[u8]) -> Vec<u8> {
    let mut s = Vec::with_capacity(bytes.len() + 2);
    s.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => s.extend_from_slice(&[b'\\', b]),
            0x20..=0x7E => s.push(b),
            _ => s.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    s.push(b')');
    s
}

/// A text string for the document information: UTF-16BE with byte order mark, as hex.
fn text_string(text: &str) -> String {
    let mut s = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(s, "{unit:04X}");
    }
    s.push('>');
    s
}

/// Millipoints as a PDF number in points: `56`, `700.5`, `28.125`.
fn num(mpt: u32) -> String {
    let (whole, frac) = (mpt / 1000, mpt % 1000);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{frac:03}")
            .trim_end_matches('0')
            .to_string()
    }
}

/// The file being written and where each object starts.
struct Objects {
    buf: Vec<u8>,
    /// Byte offset of object `i + 1`.
    offsets: Vec<usize>,
}

impl Objects {
    fn new() -> Self {
        // the comment with bytes above 127 marks the file as binary for transfer programs
        Objects {
            buf: b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec(),
            offsets: Vec::new(),
        }
    }

    /// Object `number`, which must be the next one.
    fn object(&mut self, number: usize, body: &[u8]) {
        assert_eq!(
            number,
            self.offsets.len() + 1,
            "objects are written in order"
        );
        self.offsets.push(self.buf.len());
        self.buf
            .extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        self.buf.extend_from_slice(body);
        self.buf.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, number: usize, data: &[u8]) {
        let mut body = format!("<< /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.object(number, &body);
    }

    /// Cross-reference table (entries of exactly 20 bytes) and trailer.
    fn finish(mut self, info: usize) -> Vec<u8> {
        let xref = self.buf.len();
        let size = self.offsets.len() + 1;
        let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
        for offset in &self.offsets {
            // entries of exactly 20 bytes: the space before the newline belongs to them
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {size} /Root 1 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        );
        self.buf.extend_from_slice(table.as_bytes());
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_points() {
        assert_eq!(num(56_000), "56");
        assert_eq!(num(700_500), "700.5");
        assert_eq!(num(28_125), "28.125");
        assert_eq!(num(10), "0.01");
    }

    #[test]
    fn literal_strings_escape_delimiters_and_high_bytes() {
        assert_eq!(literal(b"a (b) c\\d"), b"(a \\(b\\) c\\\\d)".to_vec());
        assert_eq!(literal(&[0x80, b'5', 0xEB]), b"(\\2005\\353)".to_vec());
    }

    #[test]
    fn info_strings_are_utf16_with_bom() {
        assert_eq!(text_string("Coö"), "<FEFF0043006F00F6>");
        assert_eq!(text_string("€"), "<FEFF20AC>");
        assert_eq!(text_string(""), "<FEFF>");
    }
}
