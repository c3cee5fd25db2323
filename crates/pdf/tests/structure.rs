//! The file structure: header, objects at the offsets the cross-reference table gives, stream
//! lengths, page count and footers, text encoding in the content streams, determinism.

mod common;

use zorginkoop_pdf::{Block, Document, layout, render};

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// The offsets of objects 1.. from the cross-reference table that `startxref` points at.
fn xref_offsets(pdf: &[u8]) -> Vec<usize> {
    let tail = &pdf[pdf.len() - 40..];
    let at = find(tail, b"startxref\n").expect("startxref near the end") + 10;
    let rest = std::str::from_utf8(&tail[at..]).unwrap();
    let (number, eof) = rest.split_once('\n').unwrap();
    assert_eq!(eof, "%%EOF\n");
    let xref: usize = number.parse().unwrap();

    let table = std::str::from_utf8(&pdf[xref..]).unwrap();
    let mut lines = table.split('\n');
    assert_eq!(lines.next(), Some("xref"));
    let header = lines.next().unwrap();
    let size: usize = header
        .strip_prefix("0 ")
        .expect("one subsection from 0")
        .parse()
        .unwrap();
    // each entry is exactly 20 bytes: 10 digits, space, 5 digits, space, type, space, newline
    let entries = &table[table.find(header).unwrap() + header.len() + 1..][..20 * size];
    assert_eq!(&entries[..20], "0000000000 65535 f \n");
    let offsets: Vec<usize> = entries
        .as_bytes()
        .chunks(20)
        .skip(1)
        .map(|e| {
            let e = std::str::from_utf8(e).unwrap();
            assert_eq!(&e[10..], " 00000 n \n", "entry {e:?}");
            e[..10].parse().unwrap()
        })
        .collect();
    assert!(table[20 * size..].contains(&format!("trailer\n<< /Size {size} /Root 1 0 R")));
    offsets
}

#[test]
fn every_xref_offset_points_at_its_object() {
    for doc in [common::summary(), common::long(120), Document::default()] {
        let pdf = render(&doc);
        assert!(pdf.starts_with(b"%PDF-1.4\n%"));
        let offsets = xref_offsets(&pdf);
        // catalog, pages, 3 fonts, info, then page + content per page
        assert_eq!(offsets.len(), 6 + 2 * layout(&doc).len());
        for (i, &offset) in offsets.iter().enumerate() {
            let head = format!("{} 0 obj\n", i + 1);
            assert!(
                pdf[offset..].starts_with(head.as_bytes()),
                "object {} at {offset}: {:?}",
                i + 1,
                String::from_utf8_lossy(&pdf[offset..offset + 20])
            );
        }
    }
}

#[test]
fn stream_lengths_are_exact() {
    let pdf = render(&common::long(120));
    let mut streams = 0;
    let mut at = 0;
    while let Some(pos) = find(&pdf[at..], b"<< /Length ") {
        let start = at + pos + 11;
        let end = start + find(&pdf[start..], b" >>\nstream\n").unwrap();
        let length: usize = std::str::from_utf8(&pdf[start..end])
            .unwrap()
            .parse()
            .unwrap();
        let data = end + 11;
        assert_eq!(&pdf[data + length..data + length + 10], b"\nendstream");
        streams += 1;
        at = data + length;
    }
    assert_eq!(streams, layout(&common::long(120)).len());
    assert!(streams >= 3);
}

#[test]
fn page_count_matches_the_footers() {
    let pdf = render(&common::long(120));
    let at = find(&pdf, b"/Count ").unwrap() + 7;
    let digits: Vec<u8> = pdf[at..]
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    let pages: usize = std::str::from_utf8(&digits).unwrap().parse().unwrap();
    assert!(pages >= 3, "120 paragraphs make several pages, got {pages}");
    assert_eq!(count(&pdf, b"/Type /Page "), pages);
    for n in 1..=pages {
        let footer = format!("(pagina {n} van {pages}) Tj");
        assert_eq!(count(&pdf, footer.as_bytes()), 1, "{footer}");
    }
    assert_eq!(count(&pdf, b"(pagina "), pages);
}

#[test]
fn one_page_for_an_empty_document() {
    let pdf = render(&Document::default());
    assert_eq!(count(&pdf, b"/Count 1 "), 1);
    assert_eq!(count(&pdf, b"(pagina 1 van 1) Tj"), 1);
}

#[test]
fn same_document_same_bytes() {
    assert_eq!(render(&common::summary()), render(&common::summary()));
    let mut other = common::summary();
    other.author.push('.');
    assert_ne!(render(&common::summary()), render(&other));
}

#[test]
fn text_is_winansi_with_escapes() {
    let doc = Document {
        title: String::new(),
        author: String::new(),
        blocks: vec![Block::Paragraph(
            "Coöperatie (tekenbevoegd) € 5 a\\b Ω “x” – y".into(),
        )],
    };
    let pdf = render(&doc);
    // ö = 0xF6, € = 0x80, “ ” = 0x93 0x94, – = 0x96; Ω is not in WinAnsi
    let expected: &[u8] =
        b"(Co\\366peratie \\(tekenbevoegd\\) \\200 5 a\\\\b ? \\223x\\224 \\226 y) Tj";
    assert_eq!(
        count(&pdf, expected),
        1,
        "{}",
        String::from_utf8_lossy(&pdf)
    );
    // the fonts say how to read those bytes
    assert_eq!(count(&pdf, b"/Encoding /WinAnsiEncoding"), 3);
    for font in [
        "/BaseFont /Helvetica ",
        "/BaseFont /Helvetica-Bold ",
        "/BaseFont /Courier ",
    ] {
        assert_eq!(count(&pdf, font.as_bytes()), 1, "{font}");
    }
}

#[test]
fn info_has_title_author_producer_and_no_date() {
    let pdf = render(&common::summary());
    let info = String::from_utf8_lossy(&pdf);
    // "Samenvatting" in UTF-16BE after the byte order mark
    assert!(info.contains("/Title <FEFF00530061006D0065006E"), "{info}");
    // "– afdeling": en dash U+2013
    assert!(info.contains("0020201300200061006600640065006C0069006E0067"));
    assert!(info.contains("/Producer (zorginkoop)"));
    assert!(!info.contains("CreationDate"));
    assert!(info.contains("/Info 6 0 R"));
}
