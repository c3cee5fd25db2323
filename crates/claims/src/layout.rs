//! Vektis EI record layouts, read from the `.tsv` tables in `crates/claims/layouts/`.
//!
//! The tables are copies of `shared/formats/vektis/*.tsv` with one more column, `required`
//! (`V` for a field the standard requires, see the tables' header comment and
//! [`FieldDef::required`]), and are embedded with `include_str!`,
//! so no field position is typed by hand anywhere in this crate: parsers and writers look up a
//! field by record type and data-element code (e.g. `("04", "BED161")`) and get its 0-based
//! offset and length. A test checks that every record's fields are contiguous and add up to the
//! record length the table states.

use std::sync::OnceLock;

/// N (numeric, right-aligned, zero-padded) or AN (alphanumeric, left-aligned, space-padded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    N,
    An,
}

/// One field of a record.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// Record type, e.g. `04`.
    pub record: [u8; 2],
    /// Element id, e.g. `0403`.
    pub element: String,
    /// Data-element code, e.g. `NUM313`.
    pub code: String,
    pub ty: FieldType,
    /// 0-based start offset.
    pub start: usize,
    pub len: usize,
    pub name: String,
    /// The `required` column (`V`): the standard requires the field to be filled.
    pub required: bool,
}

/// A field position resolved from a layout, for fast access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub start: usize,
    pub len: usize,
    pub ty: FieldType,
}

impl Pos {
    /// The field's bytes in `rec` (which must be at least `start + len` long).
    #[inline]
    pub fn get<'a>(&self, rec: &'a [u8]) -> &'a [u8] {
        &rec[self.start..self.start + self.len]
    }
    /// 1-based position, as printed in the Vektis tables and in error messages.
    pub fn position(&self) -> usize {
        self.start + 1
    }
}

/// One message standard's layout (e.g. AW319).
#[derive(Debug, Clone)]
pub struct Layout {
    /// `AW319`, `AW320`, `HA304` or `HA305`.
    pub name: &'static str,
    /// COD002 message code (187, 188, 112, 113).
    pub message_code: u16,
    /// Record length without CR LF.
    pub record_len: usize,
    pub fields: Vec<FieldDef>,
}

impl Layout {
    /// Parses a layout table.
    pub fn parse(name: &'static str, message_code: u16, tsv: &str) -> Layout {
        let mut fields = Vec::new();
        let mut record_len = 0;
        for line in tsv.lines() {
            if let Some(rest) = line.strip_prefix("# record ") {
                // "# record 01 VoorloopRecord: 310 characters followed by CR LF"
                if let Some(n) = rest
                    .split(':')
                    .nth(1)
                    .and_then(|s| s.split_whitespace().next())
                    .and_then(|s| s.parse::<usize>().ok())
                {
                    record_len = n;
                }
                continue;
            }
            if line.starts_with('#') || line.starts_with("record\t") || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            assert!(
                cols.len() == 7 || cols.len() == 8,
                "{name}: bad layout line {line:?}"
            );
            let rb = cols[0].as_bytes();
            fields.push(FieldDef {
                record: [rb[0], rb[1]],
                element: cols[1].to_string(),
                code: cols[2].to_string(),
                ty: if cols[3] == "N" {
                    FieldType::N
                } else {
                    FieldType::An
                },
                start: cols[4].parse::<usize>().expect("start") - 1,
                len: cols[5].parse().expect("length"),
                name: cols[6].to_string(),
                required: cols.get(7) == Some(&"V"),
            });
        }
        Layout {
            name,
            message_code,
            record_len,
            fields,
        }
    }

    /// The field with data-element `code` in `record` (the first one, for codes that repeat).
    pub fn field(&self, record: &str, code: &str) -> &FieldDef {
        let r = record.as_bytes();
        self.fields
            .iter()
            .find(|f| f.record == [r[0], r[1]] && f.code == code)
            .unwrap_or_else(|| panic!("{}: no field {code} in record {record}", self.name))
    }

    /// The field with element id `element` (e.g. `0403`).
    pub fn element(&self, element: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.element == element)
    }

    /// Resolved position of a field.
    pub fn pos(&self, record: &str, code: &str) -> Pos {
        let f = self.field(record, code);
        Pos {
            start: f.start,
            len: f.len,
            ty: f.ty,
        }
    }

    /// The fields of one record type, in order.
    pub fn record_fields<'a>(&'a self, record: &'a str) -> impl Iterator<Item = &'a FieldDef> {
        let r = record.as_bytes();
        self.fields.iter().filter(move |f| f.record == [r[0], r[1]])
    }

    /// The element id of the field that covers 0-based byte `offset` in `record`.
    pub fn element_at(&self, record: [u8; 2], offset: usize) -> Option<&FieldDef> {
        self.fields
            .iter()
            .find(|f| f.record == record && offset >= f.start && offset < f.start + f.len)
    }
}

static AW319: OnceLock<Layout> = OnceLock::new();
static AW320: OnceLock<Layout> = OnceLock::new();
static HA304: OnceLock<Layout> = OnceLock::new();
static HA305: OnceLock<Layout> = OnceLock::new();

/// AW319 1.3: claim, district nursing (message code 187).
pub fn aw319() -> &'static Layout {
    AW319.get_or_init(|| Layout::parse("AW319", 187, include_str!("../layouts/AW319.tsv")))
}
/// AW320 1.3: return message for AW319 (message code 188).
pub fn aw320() -> &'static Layout {
    AW320.get_or_init(|| Layout::parse("AW320", 188, include_str!("../layouts/AW320.tsv")))
}
/// HA304 4.2: claim, GP care (message code 112).
pub fn ha304() -> &'static Layout {
    HA304.get_or_init(|| Layout::parse("HA304", 112, include_str!("../layouts/HA304.tsv")))
}
/// HA305 4.2: return message for HA304 (message code 113).
pub fn ha305() -> &'static Layout {
    HA305.get_or_init(|| Layout::parse("HA305", 113, include_str!("../layouts/HA305.tsv")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_is_contiguous_and_has_the_stated_length() {
        for (layout, len) in [
            (aw319(), 310),
            (aw320(), 370),
            (ha304(), 310),
            (ha305(), 380),
        ] {
            assert_eq!(layout.record_len, len, "{}", layout.name);
            for rec in ["01", "02", "03", "04", "98", "99"] {
                let mut next = 0;
                for f in layout.record_fields(rec) {
                    assert_eq!(f.start, next, "{} {rec} {}", layout.name, f.element);
                    next += f.len;
                }
                assert_eq!(next, len, "{} record {rec}", layout.name);
            }
        }
    }

    #[test]
    fn known_positions() {
        // From the tables: HA304 04 prestatiecode at 78 (1-based), 5 long; AW319 at 125.
        let p = ha304().pos("04", "COD388");
        assert_eq!((p.position(), p.len, p.ty), (78, 5, FieldType::N));
        let p = aw319().pos("04", "COD388");
        assert_eq!((p.position(), p.len, p.ty), (125, 5, FieldType::An));
        assert_eq!(aw320().pos("04", "BED166").position(), 320);
        assert_eq!(ha305().pos("04", "BED166").position(), 311);
    }
}
