//! Documents shared by the tests.
#![allow(dead_code)]

use zorginkoop_pdf::{Block, Document};

/// An agreement summary as the contracting portal would make it.
pub fn summary() -> Document {
    Document {
        title: "Samenvatting overeenkomst huisartsenzorg 2024".into(),
        author: "Zorgverzekeraar Noord – afdeling Zorginkoop".into(),
        blocks: vec![
            Block::Heading("Overeenkomst".into()),
            Block::KeyValue(vec![
                (
                    "Zorgaanbieder".into(),
                    "Coöperatie Huisartsen Eemland U.A.".into(),
                ),
                ("AGB-code".into(), "01012345".into()),
                ("Tarief".into(), "€ 1.234,56 per kwartaal".into()),
                (
                    "Ondertekenaar".into(),
                    "mevr. dr. É. van der Veën, tekenbevoegd".into(),
                ),
            ]),
            Block::Rule,
            Block::Paragraph(
                "De zorgaanbieder verklaart dat hij de ‘Algemene voorwaarden’ en het \
                 “Inkoopbeleid 2024” heeft ontvangen – en dat de naïeve aanname — dat \
                 alles bij het oude blijft — niet geldt (zie artikel 3\\4)."
                    .into(),
            ),
            Block::Monospace("kenmerk   ZK-2024-0001\nsha256    9f86d081884c7d65".into()),
        ],
    }
}

/// `n` numbered paragraphs of some length, so that the document runs over several pages.
pub fn long(n: usize) -> Document {
    Document {
        title: "Lange overeenkomst".into(),
        author: "test".into(),
        blocks: (1..=n)
            .map(|i| {
                Block::Paragraph(format!(
                    "Alinea{i:03} van de overeenkomst: de partijen komen overeen dat de zorg \
                     doelmatig en van goede kwaliteit wordt verleend, en dat de declaraties \
                     volgens de geldende regels worden ingediend."
                ))
            })
            .collect(),
    }
}
