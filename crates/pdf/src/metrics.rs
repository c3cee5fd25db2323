//! The three fonts, their glyph widths and the WinAnsi encoding.
//!
//! Text is laid out and written as WinAnsiEncoding bytes (Windows code page 1252): ASCII, Latin-1
//! and, in 0x80–0x9F, € ‚ „ … ‘ ’ “ ” • – — ™ Š š Ž ž Œ œ Ÿ and a few more. A character outside
//! that set becomes `?`.
//!
//! The widths of Helvetica and Helvetica-Bold are those of Adobe's AFM files for the standard 14
//! fonts (version 003.001), in 1/1000 em, indexed by WinAnsi code from 0x20; codes that WinAnsi
//! leaves undefined have width 0 and are never produced by [`encode_char`]. Courier is 600 for
//! every glyph. No kerning is applied, neither here nor in the written PDF, so a line is exactly
//! as wide as the sum of its glyph widths.

/// One of the three standard fonts the documents use (never embedded: every PDF reader has them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Font {
    Helvetica,
    HelveticaBold,
    Courier,
}

impl Font {
    /// The name of the font in the PDF (`/BaseFont`).
    pub fn base_font(self) -> &'static str {
        match self {
            Font::Helvetica => "Helvetica",
            Font::HelveticaBold => "Helvetica-Bold",
            Font::Courier => "Courier",
        }
    }

    /// The font's resource name in a page's content stream.
    pub(crate) fn resource(self) -> &'static str {
        match self {
            Font::Helvetica => "F1",
            Font::HelveticaBold => "F2",
            Font::Courier => "F3",
        }
    }

    /// The width of the glyph for WinAnsi code `code`, in 1/1000 em (0 for control codes).
    pub fn glyph_width(self, code: u8) -> u32 {
        if code < 0x20 {
            return 0;
        }
        match self {
            Font::Helvetica => u32::from(HELVETICA[usize::from(code - 0x20)]),
            Font::HelveticaBold => u32::from(HELVETICA_BOLD[usize::from(code - 0x20)]),
            Font::Courier => 600,
        }
    }
}

/// The width of WinAnsi `text` set in `font` at `size` points, in millipoints (1/1000 pt).
pub fn text_width(font: Font, size: u32, text: &[u8]) -> u32 {
    text.iter().map(|&b| font.glyph_width(b)).sum::<u32>() * size
}

/// The characters of 0x80–0x9F in WinAnsiEncoding; `None` where the code is undefined.
const HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'), // Euro
    None,
    Some('\u{201A}'), // quotesinglbase
    Some('\u{0192}'), // florin
    Some('\u{201E}'), // quotedblbase
    Some('\u{2026}'), // ellipsis
    Some('\u{2020}'), // dagger
    Some('\u{2021}'), // daggerdbl
    Some('\u{02C6}'), // circumflex
    Some('\u{2030}'), // perthousand
    Some('\u{0160}'), // Scaron
    Some('\u{2039}'), // guilsinglleft
    Some('\u{0152}'), // OE
    None,
    Some('\u{017D}'), // Zcaron
    None,
    None,
    Some('\u{2018}'), // quoteleft
    Some('\u{2019}'), // quoteright
    Some('\u{201C}'), // quotedblleft
    Some('\u{201D}'), // quotedblright
    Some('\u{2022}'), // bullet
    Some('\u{2013}'), // endash
    Some('\u{2014}'), // emdash
    Some('\u{02DC}'), // tilde
    Some('\u{2122}'), // trademark
    Some('\u{0161}'), // scaron
    Some('\u{203A}'), // guilsinglright
    Some('\u{0153}'), // oe
    None,
    Some('\u{017E}'), // zcaron
    Some('\u{0178}'), // Ydieresis
];

/// The WinAnsi code of `c`, or `b'?'` when WinAnsi has no glyph for it (control characters too).
pub fn encode_char(c: char) -> u8 {
    match c {
        ' '..='~' | '\u{A0}'..='\u{FF}' => c as u8,
        _ => HIGH
            .iter()
            .position(|&h| h == Some(c))
            .map_or(b'?', |i| 0x80 + i as u8),
    }
}

/// `text` in WinAnsi bytes (see [`encode_char`]).
pub fn encode(text: &str) -> Vec<u8> {
    text.chars().map(encode_char).collect()
}

/// The character of WinAnsi code `b` (U+FFFD for an undefined code).
pub fn decode_byte(b: u8) -> char {
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)].unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// WinAnsi `bytes` back as a string.
pub fn decode(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| decode_byte(b)).collect()
}

// Widths from the AFM files Helvetica.afm and Helvetica-Bold.afm (Adobe, version 003.001), for
// WinAnsi codes 0x20..=0xFF; 0 where WinAnsi is undefined (0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D).
// 0xA0 (no-break space) is `space`, 0xAD (soft hyphen) is `hyphen`.
#[rustfmt::skip]
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0x30
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 0x50
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 0x60
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0, // 0x70
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 0x80
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xA0
    400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xB0
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xD0
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 0xE0
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 0xF0
];
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0x30
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 0x50
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 0x60
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0, // 0x70
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 0x80
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xA0
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xB0
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xD0
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, // 0xE0
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, // 0xF0
];
