//! Writes a sample agreement summary with a signing receipt, to look at in a PDF reader:
//! `cargo run -p zorginkoop-pdf --example samenvatting -- /tmp/samenvatting.pdf`
use zorginkoop_pdf::{Block, Document, render};

fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "samenvatting.pdf".into());
    let doc = Document {
        title: "Samenvatting overeenkomst huisartsenzorg 2024".into(),
        author: "Zorgverzekeraar Noord – afdeling Zorginkoop".into(),
        blocks: vec![
            Block::Heading("Partijen".into()),
            Block::KeyValue(vec![
                ("Zorgaanbieder".into(), "Coöperatie Huisartsen Eemland U.A.".into()),
                ("AGB-code".into(), "01012345".into()),
                ("Zorgverzekeraar".into(), "Zorgverzekeraar Noord (UZOVI 0101)".into()),
                ("Looptijd".into(), "1 januari 2024 tot en met 31 december 2025".into()),
            ]),
            Block::Rule,
            Block::Heading("Afspraken".into()),
            Block::Paragraph(
                "De zorgaanbieder levert huisartsenzorg volgens de ‘Standaarden van het \
                 NHG’ en het “Inkoopbeleid huisartsenzorg 2024” – inclusief de modules \
                 POH-GGZ en ouderenzorg. Het tarief voor de module POH-GGZ bedraagt \
                 € 1.234,56 per kwartaal; de overige tarieven staan in bijlage 2."
                    .into(),
            ),
            Block::Paragraph(
                "Wijzigingen in de regelgeving — zoals een nieuwe NZa-beleidsregel — leiden \
                 niet vanzelf tot een naïeve aanpassing van deze overeenkomst: partijen \
                 overleggen eerst."
                    .into(),
            ),
            Block::Heading("Ondertekening".into()),
            Block::KeyValue(vec![
                ("Ondertekend door".into(), "mevr. dr. É. van der Veën, tekenbevoegd".into()),
                ("Datum".into(), "14 maart 2024, 10:42".into()),
            ]),
            Block::Monospace(
                "kenmerk   ZK-2024-0001\nsha256    9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                    .into(),
            ),
        ],
    };
    std::fs::write(&path, render(&doc))?;
    println!("geschreven: {path}");
    Ok(())
}
