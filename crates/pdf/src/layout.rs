//! Layout: the blocks of a [`Document`] as positioned lines on A4 pages.
//!
//! All lengths are integer millipoints (1/1000 pt, [`PT`]), origin at the bottom left of the page
//! as in PDF, so the layout is exact and the same on every machine. Text is wrapped greedily by
//! the glyph widths of [`crate::metrics`]: a line takes words while they fit in [`TEXT_WIDTH`];
//! a word longer than a whole line is broken between two characters. A block that reaches the
//! bottom margin continues on a new page; a heading is kept with the line after it, and a
//! key/value row is kept on one page when it fits on one.
//!
//! Styles: the title 16 pt Helvetica-Bold, headings 13 pt Helvetica-Bold, paragraphs 10 pt
//! Helvetica, key/value lists 10 pt (the key bold, in a column as wide as the widest key, at most
//! 40% of the text width), monospace 9 pt Courier (lines kept as given, tabs every 4 columns),
//! footer 8 pt Helvetica, centred: `pagina N van M`.

use crate::metrics::{Font, encode_char, text_width};
use crate::{Block, Document};

/// One point in millipoints.
pub const PT: u32 = 1000;
/// A4 width.
pub const PAGE_WIDTH: u32 = 595 * PT;
/// A4 height.
pub const PAGE_HEIGHT: u32 = 842 * PT;
/// Left, right, top and bottom margin.
pub const MARGIN: u32 = 56 * PT;
/// The width of a line of text: page width less both margins (483 pt).
pub const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN;
/// The top of the text area.
pub const TOP: u32 = PAGE_HEIGHT - MARGIN;
/// No line of body text reaches below this.
pub const BOTTOM: u32 = MARGIN;
/// The baseline of the footer, in the bottom margin.
pub const FOOTER_BASELINE: u32 = 28 * PT;

const TITLE: Style = Style {
    font: Font::HelveticaBold,
    size: 16,
    leading: 20 * PT,
};
const HEADING: Style = Style {
    font: Font::HelveticaBold,
    size: 13,
    leading: 17 * PT,
};
const BODY: Style = Style {
    font: Font::Helvetica,
    size: 10,
    leading: 14 * PT,
};
const KEY: Style = Style {
    font: Font::HelveticaBold,
    ..BODY
};
const MONO: Style = Style {
    font: Font::Courier,
    size: 9,
    leading: 11 * PT,
};
const FOOTER: Style = Style {
    font: Font::Helvetica,
    size: 8,
    leading: 10 * PT,
};

/// Space after the title.
const TITLE_GAP: u32 = 8 * PT;
/// Space before a heading (not at the top of a page).
const HEADING_GAP: u32 = 12 * PT;
/// Space before any other block (not at the top of a page).
const BLOCK_GAP: u32 = 6 * PT;
/// Between the key column and the value column.
const KEY_GAP: u32 = 12 * PT;
/// Height taken by a horizontal rule, drawn in its middle.
const RULE_HEIGHT: u32 = 8 * PT;
/// Thickness of a horizontal rule.
pub const RULE_THICKNESS: u32 = PT / 2;

#[derive(Debug, Clone, Copy)]
struct Style {
    font: Font,
    size: u32,
    leading: u32,
}

/// One laid-out page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Text lines and rules of the body, top to bottom.
    pub items: Vec<Item>,
    /// `pagina N van M`.
    pub footer: TextLine,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Text(TextLine),
    /// A horizontal line from `x1` to `x2` at height `y`.
    Rule {
        x1: u32,
        x2: u32,
        y: u32,
    },
}

/// One line of text in one font, starting at (`x`, `y`) on its baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    pub font: Font,
    /// Font size in points.
    pub size: u32,
    pub x: u32,
    pub y: u32,
    /// The text in WinAnsi bytes (see [`crate::metrics::decode`]).
    pub text: Vec<u8>,
}

impl TextLine {
    /// The text as a string.
    pub fn string(&self) -> String {
        crate::metrics::decode(&self.text)
    }

    /// The width of the line in millipoints.
    pub fn width(&self) -> u32 {
        text_width(self.font, self.size, &self.text)
    }
}

/// Lays `doc` out on pages; there is always at least one page.
pub fn layout(doc: &Document) -> Vec<Page> {
    let mut flow = Flow {
        pages: Vec::new(),
        items: Vec::new(),
        cursor: TOP,
    };
    if !doc.title.trim().is_empty() {
        for line in wrap(TITLE.font, TITLE.size, &doc.title, TEXT_WIDTH) {
            flow.line(TITLE.leading, &[(TITLE, MARGIN, line)]);
        }
        flow.gap(TITLE_GAP);
    }
    for block in &doc.blocks {
        flow.block(block);
    }
    flow.finish()
}

/// Wraps `text` in lines no wider than `max` millipoints, by the widths of `font` at `size`.
///
/// Runs of spaces (and other white space but the no-break spaces) separate words and become one
/// space; `\n` ends a line (an empty line stays, as an empty line). A word wider than `max` is
/// broken between two characters. Soft hyphens and zero-width characters are dropped;
/// characters outside WinAnsi become `?`.
pub fn wrap(font: Font, size: u32, text: &str, max: u32) -> Vec<Vec<u8>> {
    let space = text_width(font, size, b" ");
    let mut lines = Vec::new();
    for hard in text.split('\n') {
        let mut cur: Vec<u8> = Vec::new();
        let mut cur_w = 0;
        for word in hard.split(is_word_break).filter(|w| !w.is_empty()) {
            let word = encode_visible(word);
            if word.is_empty() {
                continue;
            }
            let w = text_width(font, size, &word);
            if !cur.is_empty() {
                if cur_w + space + w <= max {
                    cur.push(b' ');
                    cur.extend_from_slice(&word);
                    cur_w += space + w;
                    continue;
                }
                lines.push(std::mem::take(&mut cur));
            }
            if w <= max {
                cur = word;
                cur_w = w;
                continue;
            }
            // longer than a line: as many characters per line as fit (at least one)
            cur_w = 0;
            for b in word {
                let g = font.glyph_width(b) * size;
                if !cur.is_empty() && cur_w + g > max {
                    lines.push(std::mem::take(&mut cur));
                    cur_w = 0;
                }
                cur.push(b);
                cur_w += g;
            }
        }
        lines.push(cur);
    }
    lines
}

/// Lines of monospaced text as given (tabs to the next multiple of 4 columns), each cut into
/// pieces of as many characters as fit in `max` millipoints.
pub fn wrap_monospace(size: u32, text: &str, max: u32) -> Vec<Vec<u8>> {
    let per_line = (max / (Font::Courier.glyph_width(b'x') * size)).max(1) as usize;
    let mut lines = Vec::new();
    for hard in text.lines() {
        let mut line = Vec::new();
        for c in hard.chars() {
            match c {
                '\t' => line.resize((line.len() / 4 + 1) * 4, b' '),
                c if is_invisible(c) => {}
                c => line.push(encode_char(c)),
            }
        }
        if line.is_empty() {
            lines.push(line);
        } else {
            lines.extend(line.chunks(per_line).map(<[u8]>::to_vec));
        }
    }
    lines
}

fn is_word_break(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

/// Soft hyphen and zero-width characters: nothing to draw.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn encode_visible(word: &str) -> Vec<u8> {
    word.chars()
        .filter(|&c| !is_invisible(c))
        .map(|c| match c {
            '\u{2007}' | '\u{202F}' => 0xA0, // figure and narrow no-break space
            c => encode_char(c),
        })
        .collect()
}

/// The pages filled so far and the position of the next line.
struct Flow {
    pages: Vec<Vec<Item>>,
    items: Vec<Item>,
    /// The top of the next line box.
    cursor: u32,
}

impl Flow {
    fn at_top(&self) -> bool {
        self.cursor == TOP
    }

    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.items));
        self.cursor = TOP;
    }

    /// Vertical space, dropped at the top of a page.
    fn gap(&mut self, height: u32) {
        if !self.at_top() {
            self.cursor = self.cursor.saturating_sub(height);
        }
    }

    /// A new page unless `height` fits above the bottom margin (or the page is still empty).
    fn room(&mut self, height: u32) {
        if !self.at_top() && self.cursor < BOTTOM + height {
            self.new_page();
        }
    }

    /// One line box of `leading` with text parts at the same baseline.
    fn line(&mut self, leading: u32, parts: &[(Style, u32, Vec<u8>)]) {
        self.room(leading);
        let baseline = self.cursor - leading + leading / 4;
        for (style, x, text) in parts {
            if !text.is_empty() {
                self.items.push(Item::Text(TextLine {
                    font: style.font,
                    size: style.size,
                    x: *x,
                    y: baseline,
                    text: text.clone(),
                }));
            }
        }
        self.cursor -= leading;
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(text) => {
                self.gap(HEADING_GAP);
                let lines = wrap(HEADING.font, HEADING.size, text, TEXT_WIDTH);
                // keep the heading with the first line that follows it
                let height = lines.len() as u32 * HEADING.leading + BLOCK_GAP + BODY.leading;
                if height <= TOP - BOTTOM {
                    self.room(height);
                }
                for line in lines {
                    self.line(HEADING.leading, &[(HEADING, MARGIN, line)]);
                }
            }
            Block::Paragraph(text) => {
                self.gap(BLOCK_GAP);
                for line in wrap(BODY.font, BODY.size, text, TEXT_WIDTH) {
                    self.line(BODY.leading, &[(BODY, MARGIN, line)]);
                }
            }
            Block::KeyValue(pairs) => {
                self.gap(BLOCK_GAP);
                self.key_values(pairs);
            }
            Block::Rule => {
                self.gap(BLOCK_GAP);
                self.room(RULE_HEIGHT);
                let y = self.cursor - RULE_HEIGHT / 2;
                self.items.push(Item::Rule {
                    x1: MARGIN,
                    x2: MARGIN + TEXT_WIDTH,
                    y,
                });
                self.cursor -= RULE_HEIGHT;
            }
            Block::Monospace(text) => {
                self.gap(BLOCK_GAP);
                for line in wrap_monospace(MONO.size, text, TEXT_WIDTH) {
                    self.line(MONO.leading, &[(MONO, MARGIN, line)]);
                }
            }
        }
    }

    fn key_values(&mut self, pairs: &[(String, String)]) {
        let widest_key = pairs
            .iter()
            .flat_map(|(k, _)| wrap(KEY.font, KEY.size, k, u32::MAX))
            .map(|line| text_width(KEY.font, KEY.size, &line))
            .max()
            .unwrap_or(0);
        let key_width = widest_key.min(TEXT_WIDTH * 2 / 5);
        let value_x = MARGIN + key_width + KEY_GAP;
        let value_width = TEXT_WIDTH - key_width - KEY_GAP;
        for (key, value) in pairs {
            let keys = wrap(KEY.font, KEY.size, key, key_width);
            let values = wrap(BODY.font, BODY.size, value, value_width);
            let rows = keys.len().max(values.len());
            let height = rows as u32 * BODY.leading;
            if height <= TOP - BOTTOM {
                self.room(height);
            }
            let mut keys = keys.into_iter();
            let mut values = values.into_iter();
            for _ in 0..rows {
                let k = keys.next().unwrap_or_default();
                let v = values.next().unwrap_or_default();
                self.line(BODY.leading, &[(KEY, MARGIN, k), (BODY, value_x, v)]);
            }
        }
    }

    fn finish(mut self) -> Vec<Page> {
        if !self.items.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let count = self.pages.len();
        self.pages
            .into_iter()
            .enumerate()
            .map(|(i, items)| {
                let text = crate::metrics::encode(&format!("pagina {} van {count}", i + 1));
                let width = text_width(FOOTER.font, FOOTER.size, &text);
                let footer = TextLine {
                    font: FOOTER.font,
                    size: FOOTER.size,
                    x: (PAGE_WIDTH - width) / 2,
                    y: FOOTER_BASELINE,
                    text,
                };
                Page { items, footer }
            })
            .collect()
    }
}
