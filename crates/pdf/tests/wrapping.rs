//! Layout: widths from the AFM tables, wrapping, long words, key/value columns, page breaks.

mod common;

use zorginkoop_pdf::layout::{
    BOTTOM, FOOTER_BASELINE, Item, MARGIN, PAGE_WIDTH, Page, TEXT_WIDTH, TOP, TextLine, wrap,
    wrap_monospace,
};
use zorginkoop_pdf::metrics::{decode, encode, text_width};
use zorginkoop_pdf::{Block, Document, Font, layout};

fn lines(page: &Page) -> Vec<&TextLine> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text(t) => Some(t),
            Item::Rule { .. } => None,
        })
        .collect()
}

fn strings(lines: &[Vec<u8>]) -> Vec<String> {
    lines.iter().map(|l| decode(l)).collect()
}

#[test]
fn widths_are_the_afm_widths() {
    // Helvetica.afm: W 944, i 222, € 556, ö 556, space 278; Helvetica-Bold.afm: W 944, i 278
    assert_eq!(text_width(Font::Helvetica, 10, b"Wi"), 11_660);
    assert_eq!(text_width(Font::HelveticaBold, 10, b"Wi"), 12_220);
    assert_eq!(text_width(Font::Helvetica, 10, &encode("€ ö")), 13_900);
    // Helvetica: quotesingle 191 and grave 333 at 0x27 and 0x60 (WinAnsi, not the quotes)
    assert_eq!(text_width(Font::Helvetica, 1, b"'`"), 524);
    // Helvetica: quoteleft 222, quotedblleft 333, endash 556, emdash 1000
    assert_eq!(text_width(Font::Helvetica, 1, &encode("‘“–—")), 2_111);
    // Bold: quoteleft 278, quotedblleft 500, ë 556, ï 278
    assert_eq!(text_width(Font::HelveticaBold, 1, &encode("‘“ëï")), 1_612);
    assert_eq!(text_width(Font::Courier, 9, b"iW \x80"), 4 * 5_400);
}

#[test]
fn winansi_round_trip_and_substitution() {
    let dutch = "Coöperatie één ‘x’ “y” – — € ë ï ü é Œ ß";
    assert_eq!(decode(&encode(dutch)), dutch);
    assert_eq!(
        encode("€‘’“”–—"),
        vec![0x80, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97]
    );
    assert_eq!(decode(&encode("Ω≥ñ😀")), "??ñ?");
}

#[test]
fn words_per_line_follow_the_glyph_widths() {
    // "WWWWW" is 47.2 pt in Helvetica 10, a space 2.78 pt: nine words take 447.04 pt, ten
    // 497.02 pt, more than the 483 pt line
    let text = vec!["WWWWW"; 20].join(" ");
    let wrapped = wrap(Font::Helvetica, 10, &text, TEXT_WIDTH);
    let words: Vec<usize> = strings(&wrapped)
        .iter()
        .map(|l| l.split(' ').count())
        .collect();
    assert_eq!(words, [9, 9, 2]);
    // "iiiii" is 11.1 pt: 34 words take 469.14 pt, 35 take 483.02 pt, just too wide
    let text = vec!["iiiii"; 40].join(" ");
    let words: Vec<usize> = strings(&wrap(Font::Helvetica, 10, &text, TEXT_WIDTH))
        .iter()
        .map(|l| l.split(' ').count())
        .collect();
    assert_eq!(words, [34, 6]);
}

#[test]
fn lines_are_full_and_never_too_wide() {
    let text = common::summary()
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
        .repeat(6);
    for (font, size, max) in [
        (Font::Helvetica, 10, TEXT_WIDTH),
        (Font::HelveticaBold, 13, TEXT_WIDTH),
        (Font::Helvetica, 7, 100_000),
    ] {
        let wrapped = wrap(font, size, &text, max);
        assert!(wrapped.len() > 3);
        for (i, line) in wrapped.iter().enumerate() {
            assert!(
                text_width(font, size, line) <= max,
                "{font:?} {}",
                decode(line)
            );
            // greedy: the next line's first word would not have fitted on this one
            if let Some(next) = wrapped.get(i + 1) {
                let first = next.split(|&b| b == b' ').next().unwrap();
                let longer = [line.as_slice(), b" ", first].concat();
                assert!(text_width(font, size, &longer) > max, "{}", decode(&longer));
            }
        }
        // no word lost, none changed
        let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        let joined: Vec<String> = strings(&wrapped)
            .join(" ")
            .split(' ')
            .map(str::to_string)
            .collect();
        assert_eq!(joined, words);
    }
}

#[test]
fn long_words_are_broken() {
    let word = "Zorgverzekeringsovereenkomstvoorwaardenbepalingen".repeat(8);
    let wrapped = wrap(
        Font::Helvetica,
        10,
        &format!("kort {word} eind"),
        TEXT_WIDTH,
    );
    let wrapped = strings(&wrapped);
    assert_eq!(wrapped[0], "kort");
    assert!(wrapped.len() >= 3, "{wrapped:?}");
    let last = wrapped.last().unwrap();
    assert!(
        last.ends_with(" eind"),
        "the rest of the word shares its line: {last}"
    );
    let rebuilt = wrapped[1..].concat();
    assert_eq!(rebuilt, format!("{word} eind"));
    for line in &wrapped {
        assert!(text_width(Font::Helvetica, 10, &encode(line)) <= TEXT_WIDTH);
    }
    // all but the last piece are full: one more character would not fit
    for piece in &wrapped[1..wrapped.len() - 1] {
        assert!(text_width(Font::Helvetica, 10, &encode(&format!("{piece}Z"))) > TEXT_WIDTH);
    }
}

#[test]
fn forced_breaks_spaces_and_invisible_characters() {
    let wrapped = strings(&wrap(
        Font::Helvetica,
        10,
        "a  b\t c\n\nd\u{AD}e € 5",
        TEXT_WIDTH,
    ));
    assert_eq!(
        wrapped,
        ["a b c", "", "de €\u{A0}5"].map(|s| s.replace('\u{A0}', " "))
    );
    // a no-break space stays inside the word
    let wrapped = wrap(Font::Helvetica, 10, "€\u{A0}1.234,56", 1);
    assert_eq!(
        wrapped.len(),
        10,
        "broken only as a long word, per character"
    );
}

#[test]
fn monospace_keeps_lines_and_cuts_at_the_width() {
    // Courier 9: 5.4 pt per character, 483 / 5.4 = 89.4, so 89 characters per line
    let long = "x".repeat(200);
    let wrapped = wrap_monospace(9, &format!("a\tb\n\n  {long}"), TEXT_WIDTH);
    let wrapped = strings(&wrapped);
    assert_eq!(wrapped[0], "a   b");
    assert_eq!(wrapped[1], "");
    assert_eq!(wrapped[2].len(), 89);
    assert_eq!(wrapped[3].len(), 89);
    assert_eq!(wrapped[4].len(), 202 - 178);
    assert_eq!(wrapped.len(), 5);
}

#[test]
fn layout_stays_inside_the_margins() {
    let mut doc = common::long(200);
    doc.blocks.extend(common::summary().blocks);
    doc.blocks.push(Block::Monospace("y".repeat(500)));
    doc.blocks.push(Block::KeyValue(vec![(
        "Een heel lange sleutel die zelf moet afbreken".into(),
        "en een waarde ".repeat(40),
    )]));
    let pages = layout(&doc);
    assert!(pages.len() >= 5, "{} pages", pages.len());
    for page in &pages {
        let mut previous_y = u32::MAX;
        for line in lines(page) {
            assert!(line.x >= MARGIN);
            assert!(
                line.x + line.width() <= MARGIN + TEXT_WIDTH,
                "{}",
                line.string()
            );
            // Helvetica's ascender is 718/1000 em, its descender 207/1000 (Courier's less)
            assert!(line.y + line.size * 718 <= TOP, "{}", line.string());
            assert!(line.y >= BOTTOM + line.size * 207, "{}", line.string());
            assert!(line.y <= previous_y, "top to bottom");
            previous_y = line.y;
        }
        assert!(page.footer.y < BOTTOM && page.footer.y == FOOTER_BASELINE);
    }
}

#[test]
fn pages_follow_each_other_in_order() {
    let pages = layout(&common::long(200));
    let count = pages.len();
    assert!(count >= 5);
    let mut seen = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(
            page.footer.string(),
            format!("pagina {} van {count}", i + 1)
        );
        // footer centred
        let width = page.footer.width();
        assert!((page.footer.x * 2 + width).abs_diff(PAGE_WIDTH) <= 1);
        for line in lines(page) {
            if let Some(at) = line.string().find("Alinea") {
                seen.push(line.string()[at + 6..at + 9].parse::<usize>().unwrap());
            }
        }
        // a full page: the next paragraph's first line would not have fitted
        if i + 1 < count {
            let last = lines(page).last().unwrap().y;
            assert!(
                last < BOTTOM + 14_000 + 6_000 + 14_000,
                "page {} ends early at {last}",
                i + 1
            );
        }
    }
    assert_eq!(seen, (1..=200).collect::<Vec<_>>());
}

#[test]
fn title_then_heading_kept_with_its_text() {
    let doc = |fillers: usize| {
        let mut doc = common::long(0);
        doc.blocks = vec![Block::Paragraph("regel".into()); fillers];
        doc.blocks.push(Block::Heading("Ondertekening".into()));
        doc.blocks.push(Block::Paragraph("tekst".into()));
        doc
    };
    // the fewest single-line paragraphs before the heading that push it to page 2
    let n = (1..100).find(|&n| layout(&doc(n)).len() == 2).unwrap();
    let pages = layout(&doc(n));
    let first = lines(&pages[0]);
    assert_eq!(first.len(), 1 + n, "title and the fillers");
    // the heading alone would have fitted on page 1: the last filler's line box ends 3.5 pt
    // below its baseline (leading 14 pt), then 12 pt space and a 17 pt heading line
    let free = first.last().unwrap().y - 3_500 - BOTTOM;
    assert!(free >= 12_000 + 17_000, "{free}");
    // but it went along with its text to the next page
    let second: Vec<String> = lines(&pages[1]).iter().map(|l| l.string()).collect();
    assert_eq!(second, ["Ondertekening", "tekst"]);
    // the title is the first line of the first page, in bold 16 pt
    assert_eq!(first[0].string(), "Lange overeenkomst");
    assert_eq!((first[0].font, first[0].size), (Font::HelveticaBold, 16));
}

#[test]
fn key_values_in_two_columns() {
    let doc = Document {
        title: String::new(),
        author: String::new(),
        blocks: vec![Block::KeyValue(vec![
            ("AGB".into(), "01012345".into()),
            ("Zorgaanbieder".into(), "Coöperatie".into()),
        ])],
    };
    let page = &layout(&doc)[0];
    let l = lines(page);
    let text: Vec<String> = l.iter().map(|t| t.string()).collect();
    assert_eq!(text, ["AGB", "01012345", "Zorgaanbieder", "Coöperatie"]);
    assert_eq!(l[0].y, l[1].y);
    assert_eq!(l[2].y, l[3].y);
    assert!(l[2].y < l[0].y);
    assert_eq!(
        (l[0].font, l[1].font),
        (Font::HelveticaBold, Font::Helvetica)
    );
    // values start after the widest key (bold "Zorgaanbieder") and a 12 pt gap
    let widest = text_width(Font::HelveticaBold, 10, b"Zorgaanbieder");
    assert_eq!(l[1].x, MARGIN + widest + 12_000);
    assert_eq!(l[3].x, l[1].x);
}
