//! The two claim standards (AW319 for the GP module, HA304 for the others) and the positions of
//! their fields, resolved once from the layout tables.

use super::returns::ReturnPositions;
use crate::ident::parse_u64;
use crate::layout::{self, Layout, Pos};
use std::sync::OnceLock;

/// The two claim standards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standard {
    /// District nursing (wijkverpleging), answered with AW320.
    Aw319,
    /// GP care (huisartsenhulp), answered with HA305.
    Ha304,
}

impl Standard {
    pub fn claim_layout(self) -> &'static Layout {
        match self {
            Standard::Aw319 => layout::aw319(),
            Standard::Ha304 => layout::ha304(),
        }
    }
    pub fn return_layout(self) -> &'static Layout {
        match self {
            Standard::Aw319 => layout::aw320(),
            Standard::Ha304 => layout::ha305(),
        }
    }
    pub fn name(self) -> &'static str {
        self.claim_layout().name
    }
    pub fn return_name(self) -> &'static str {
        self.return_layout().name
    }
    /// The standard whose claim message code (COD002) is `code`.
    pub fn from_message_code(code: u64) -> Option<Standard> {
        match code {
            187 => Some(Standard::Aw319),
            112 => Some(Standard::Ha304),
            _ => None,
        }
    }
    /// Recognises a claim file from the first bytes of its 01 record.
    pub fn sniff(bytes: &[u8]) -> Option<Standard> {
        if bytes.len() < 5 || &bytes[..2] != b"01" {
            return None;
        }
        Standard::from_message_code(parse_u64(&bytes[2..5])?)
    }
    pub fn positions(self) -> &'static ClaimPositions {
        static AW: OnceLock<ClaimPositions> = OnceLock::new();
        static HA: OnceLock<ClaimPositions> = OnceLock::new();
        match self {
            Standard::Aw319 => AW.get_or_init(|| ClaimPositions::new(layout::aw319())),
            Standard::Ha304 => HA.get_or_init(|| ClaimPositions::new(layout::ha304())),
        }
    }
    pub fn return_positions(self) -> &'static ReturnPositions {
        static AW: OnceLock<ReturnPositions> = OnceLock::new();
        static HA: OnceLock<ReturnPositions> = OnceLock::new();
        match self {
            Standard::Aw319 => AW.get_or_init(|| ReturnPositions::new(Standard::Aw319)),
            Standard::Ha304 => HA.get_or_init(|| ReturnPositions::new(Standard::Ha304)),
        }
    }
}

/// Field positions of a claim standard, resolved once from the layout tables.
#[derive(Debug)]
pub struct ClaimPositions {
    pub record_len: usize,
    pub h_message: Pos,
    pub h_version: Pos,
    pub h_subversion: Pos,
    pub h_uzovi: Pos,
    pub h_provider: Pos,
    pub h_practice: Pos,
    pub h_institution: Pos,
    pub h_period_start: Pos,
    pub h_period_end: Pos,
    pub h_invoice: Pos,
    pub h_invoice_date: Pos,
    pub i_id: Pos,
    pub i_bsn: Pos,
    pub i_uzovi: Pos,
    pub i_insured_number: Pos,
    pub i_birth: Pos,
    pub i_gender: Pos,
    pub i_name: Pos,
    pub i_postcode: Pos,
    pub d_id: Pos,
    pub c_id: Pos,
    pub c_line: Pos,
    pub c_text: Pos,
    pub l_id: Pos,
    pub l_bsn: Pos,
    pub l_uzovi: Pos,
    pub l_insured_number: Pos,
    pub l_start: Pos,
    pub l_end: Pos,
    pub l_code_list: Pos,
    pub l_code: Pos,
    pub l_count: Pos,
    pub l_performer: Pos,
    pub l_tariff: Pos,
    pub l_calculated: Pos,
    pub l_dc1: Pos,
    pub l_vat: Pos,
    pub l_amount: Pos,
    pub l_dc2: Pos,
    pub l_reference: Pos,
    pub l_prev_reference: Pos,
    pub t_n02: Pos,
    pub t_n03: Pos,
    pub t_n04: Pos,
    pub t_n98: Pos,
    pub t_total_records: Pos,
    pub t_total: Pos,
    pub t_dc: Pos,
    /// Element ids for error reports: (position, element) of the line fields.
    pub layout: &'static Layout,
    /// Fields the standard requires (the `required` column) that the checker refuses empty:
    /// SOORT BERICHT, IDENTIFICATIECODE BETALING AAN, VALUTACODE (01), VOORLETTERS, INDICATIE
    /// CLIENT OVERLEDEN (02) and DOORSTUREN TOEGESTAAN (04).
    pub h_kind: Pos,
    pub h_pay_to: Pos,
    pub h_currency: Pos,
    pub i_initials: Pos,
    pub i_deceased: Pos,
    pub l_forward: Option<Pos>,
}

impl ClaimPositions {
    pub(super) fn new(l: &'static Layout) -> ClaimPositions {
        ClaimPositions {
            record_len: l.record_len,
            h_message: l.pos("01", "COD002"),
            h_version: l.pos("01", "NUM001"),
            h_subversion: l.pos("01", "NUM309"),
            h_uzovi: l.pos("01", "COD061"),
            h_provider: l.pos("01", "COD009"),
            h_practice: l.pos("01", "COD181"),
            h_institution: l.pos("01", "COD031"),
            h_period_start: l.pos("01", "DAT043"),
            h_period_end: l.pos("01", "DAT044"),
            h_invoice: l.pos("01", "NUM029"),
            h_invoice_date: l.pos("01", "DAT031"),
            i_id: l.pos("02", "NUM040"),
            i_bsn: l.pos("02", "NUM313"),
            i_uzovi: l.pos("02", "COD061"),
            i_insured_number: l.pos("02", "NUM003"),
            i_birth: l.pos("02", "DAT006"),
            i_gender: l.pos("02", "COD134"),
            i_name: l.pos("02", "NAM193"),
            i_postcode: l.pos("02", "COD083"),
            d_id: l.pos("03", "NUM040"),
            c_id: l.pos("98", "NUM040"),
            c_line: l.pos("98", "NUM109"),
            c_text: l.pos("98", "OMS016"),
            l_id: l.pos("04", "NUM040"),
            l_bsn: l.pos("04", "NUM313"),
            l_uzovi: l.pos("04", "COD061"),
            l_insured_number: l.pos("04", "NUM003"),
            l_start: l.pos("04", "DAT001"),
            l_end: l.pos("04", "DAT003"),
            l_code_list: l.pos("04", "COD367"),
            l_code: l.pos("04", "COD388"),
            l_count: l.pos("04", "ANT054"),
            l_performer: l.pos("04", "COD089"),
            l_tariff: l.pos("04", "BED160"),
            l_calculated: l.pos("04", "BED153"),
            l_dc1: l.pos("04", "COD668"),
            l_vat: l.pos("04", "NUM352"),
            l_amount: l.pos("04", "BED161"),
            l_dc2: l.pos("04", "COD665"),
            l_reference: l.pos("04", "NUM362"),
            h_kind: l.pos("01", "COD856"),
            h_pay_to: l.pos("01", "COD833"),
            h_currency: l.pos("01", "COD363"),
            i_initials: l.pos("02", "NAM025"),
            i_deceased: l.pos("02", "COD841"),
            l_forward: l
                .record_fields("04")
                .find(|f| f.name == "DOORSTUREN TOEGESTAAN")
                .map(|f| Pos {
                    start: f.start,
                    len: f.len,
                    ty: f.ty,
                }),
            l_prev_reference: l.pos("04", "NUM363"),
            t_n02: l.pos("99", "ANT085"),
            t_n03: l.pos("99", "ANT086"),
            t_n04: l.pos("99", "ANT087"),
            t_n98: l.pos("99", "ANT089"),
            t_total_records: l.pos("99", "ANT265"),
            t_total: l.pos("99", "BED025"),
            t_dc: l.pos("99", "COD043"),
            layout: l,
        }
    }

    pub(super) fn element(&self, record: &str, p: Pos) -> String {
        let r = record.as_bytes();
        self.layout
            .element_at([r[0], r[1]], p.start)
            .map(|f| f.element.clone())
            .unwrap_or_default()
    }
}
