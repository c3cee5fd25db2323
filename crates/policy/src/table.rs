//! Validated decision tables: typed columns, typed cells, ranges.
//!
//! A [`DecisionTable`](crate::DecisionTable) as written in a file becomes a [`Table`] when the
//! policy loads: every cell is checked against its column's type, ranges are parsed, and a
//! problem names the table, the row and the column. The evaluator (matching a row) lives in
//! `zorginkoop-engine` (`table.rs`).

use crate::check::parse_decimal;
use crate::model::{ColumnType, DecisionTable, HitPolicy, Source};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// A typed value in a table: an input to match or an output cell.
#[derive(Debug, Clone, PartialEq)]
pub enum TableValue {
    Bool(bool),
    Number(Decimal),
    Text(String),
    /// A numeric output without limit (`"unlimited"`).
    Unlimited,
}

impl TableValue {
    pub fn as_decimal(&self) -> Option<Decimal> {
        match self {
            TableValue::Number(d) => Some(*d),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            TableValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            TableValue::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for TableValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableValue::Bool(true) => f.write_str("ja"),
            TableValue::Bool(false) => f.write_str("nee"),
            TableValue::Number(d) => write!(f, "{}", d.normalize()),
            TableValue::Text(s) => f.write_str(s),
            TableValue::Unlimited => f.write_str("onbeperkt"),
        }
    }
}

/// JSON: booleans as booleans, decimals as strings (exact), text as text, `"unlimited"`.
impl Serialize for TableValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            TableValue::Bool(b) => s.serialize_bool(*b),
            TableValue::Number(d) => s.serialize_str(&d.normalize().to_string()),
            TableValue::Text(t) => s.serialize_str(t),
            TableValue::Unlimited => s.serialize_str("unlimited"),
        }
    }
}

/// One bound of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    pub value: Decimal,
    pub inclusive: bool,
}

/// An input cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// `"-"`: matches any value (also a missing one).
    Any,
    /// Matches an equal value.
    Is(TableValue),
    /// Matches a number within the bounds (`None` = unbounded).
    Range {
        min: Option<Bound>,
        max: Option<Bound>,
    },
}

impl Cell {
    /// Whether a value matches this cell.
    pub fn matches(&self, v: &TableValue) -> bool {
        match self {
            Cell::Any => true,
            Cell::Is(want) => match (want, v) {
                (TableValue::Number(a), TableValue::Number(b)) => a == b,
                _ => want == v,
            },
            Cell::Range { min, max } => {
                let Some(x) = v.as_decimal() else {
                    return false;
                };
                min.is_none_or(|b| {
                    if b.inclusive {
                        x >= b.value
                    } else {
                        x > b.value
                    }
                }) && max.is_none_or(|b| {
                    if b.inclusive {
                        x <= b.value
                    } else {
                        x < b.value
                    }
                })
            }
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Any => f.write_str("-"),
            Cell::Is(v) => write!(f, "{v}"),
            Cell::Range { min, max } => match (min, max) {
                (Some(a), Some(b)) => write!(
                    f,
                    "{}{}, {}{}",
                    if a.inclusive { '[' } else { '(' },
                    a.value.normalize(),
                    b.value.normalize(),
                    if b.inclusive { ']' } else { ')' }
                ),
                (Some(a), None) => {
                    write!(
                        f,
                        "{} {}",
                        if a.inclusive { ">=" } else { ">" },
                        a.value.normalize()
                    )
                }
                (None, Some(b)) => {
                    write!(
                        f,
                        "{} {}",
                        if b.inclusive { "<=" } else { "<" },
                        b.value.normalize()
                    )
                }
                (None, None) => f.write_str("-"),
            },
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Is(v) => v.serialize(s),
            other => s.serialize_str(&other.to_string()),
        }
    }
}

/// A column: name and type.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: Arc<str>,
    pub ty: ColumnType,
}

/// One row: the input cells and output values, in column order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub inputs: Vec<Cell>,
    pub outputs: Vec<TableValue>,
}

/// A validated decision table.
#[derive(Debug, Clone)]
pub struct Table {
    pub id: Arc<str>,
    pub title: Arc<str>,
    pub hit: HitPolicy,
    pub inputs: Vec<Column>,
    pub outputs: Vec<Column>,
    pub rows: Vec<Row>,
    /// The rows are example values (see [`DecisionTable::example`](crate::DecisionTable)).
    pub example: bool,
    pub source: Arc<Source>,
}

impl Table {
    /// Validates a table as written in a file. Each problem is `(item, problem)`, the item
    /// naming the table, row (1-based) and column.
    pub fn compile(t: &DecisionTable) -> Result<Table, Vec<(String, String)>> {
        let mut errs = Vec::new();
        let item = format!("tabel `{}`", t.id);
        let column = |name: &String, errs: &mut Vec<(String, String)>| -> Option<Column> {
            match t.columns.get(name) {
                Some(ty) => Some(Column {
                    name: name.as_str().into(),
                    ty: *ty,
                }),
                None => {
                    errs.push((
                        format!("{item}, kolom `{name}`"),
                        "heeft geen type in `columns` (text, number, integer, bool, money, ratio)"
                            .into(),
                    ));
                    None
                }
            }
        };
        let inputs: Vec<Column> = t
            .inputs
            .iter()
            .filter_map(|c| column(c, &mut errs))
            .collect();
        let outputs: Vec<Column> = t
            .outputs
            .iter()
            .filter_map(|c| column(c, &mut errs))
            .collect();
        for name in t.columns.keys() {
            if !t.inputs.contains(name) && !t.outputs.contains(name) {
                errs.push((
                    format!("{item}, kolom `{name}`"),
                    "heeft een type in `columns` maar is geen invoer en geen uitvoer".into(),
                ));
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        let mut rows = Vec::new();
        for (i, raw) in t.rows.iter().enumerate() {
            let at = |col: &str| format!("{item}, regel {}, kolom `{col}`", i + 1);
            for key in raw.keys() {
                if !t.inputs.contains(key) && !t.outputs.contains(key) {
                    errs.push((at(key), "onbekende kolom".into()));
                }
            }
            let mut row = Row {
                inputs: Vec::new(),
                outputs: Vec::new(),
            };
            for c in &inputs {
                match raw.get(&*c.name) {
                    None => errs.push((
                        at(&c.name),
                        "cel ontbreekt (gebruik \"-\" voor elke waarde)".into(),
                    )),
                    Some(v) => match input_cell(v, c.ty) {
                        Ok(cell) => row.inputs.push(cell),
                        Err(p) => errs.push((at(&c.name), p)),
                    },
                }
            }
            for c in &outputs {
                match raw.get(&*c.name) {
                    None => errs.push((at(&c.name), "cel ontbreekt".into())),
                    Some(v) => match output_value(v, c.ty) {
                        Ok(v) => row.outputs.push(v),
                        Err(p) => errs.push((at(&c.name), p)),
                    },
                }
            }
            rows.push(row);
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(Table {
            id: t.id.as_str().into(),
            title: t.title.as_str().into(),
            hit: t.hit,
            inputs,
            outputs,
            rows,
            example: t.example,
            source: Arc::new(t.source.clone()),
        })
    }

    /// Index of an input column.
    pub fn input_index(&self, name: &str) -> Option<usize> {
        self.inputs.iter().position(|c| &*c.name == name)
    }

    /// Index of an output column.
    pub fn output_index(&self, name: &str) -> Option<usize> {
        self.outputs.iter().position(|c| &*c.name == name)
    }
}

/// Converts a value given for a column (a table input or a cell) to the column's type.
pub fn typed_value(v: &serde_json::Value, ty: ColumnType) -> Result<TableValue, String> {
    match (ty, v) {
        (ColumnType::Bool, serde_json::Value::Bool(b)) => Ok(TableValue::Bool(*b)),
        (ColumnType::Bool, _) => Err(format!("{v} is geen true/false")),
        (ColumnType::Text, serde_json::Value::String(s)) => Ok(TableValue::Text(s.clone())),
        (ColumnType::Text, _) => Err(format!("{v} is geen tekst")),
        (_, serde_json::Value::Number(n)) => numeric(&n.to_string(), ty),
        (_, serde_json::Value::String(s)) => numeric(s.trim(), ty),
        _ => Err(format!("{v} is geen {}", ty.as_str())),
    }
}

fn numeric(s: &str, ty: ColumnType) -> Result<TableValue, String> {
    let d = parse_decimal(s).map_err(|_| format!("{s:?} is geen {}", ty.as_str()))?;
    if ty == ColumnType::Integer && !d.fract().is_zero() {
        return Err(format!("{s:?} is geen geheel getal"));
    }
    Ok(TableValue::Number(d))
}

fn input_cell(v: &serde_json::Value, ty: ColumnType) -> Result<Cell, String> {
    let Some(s) = v.as_str().map(str::trim) else {
        return typed_value(v, ty).map(Cell::Is);
    };
    if s == "-" {
        return Ok(Cell::Any);
    }
    if ty.is_numeric()
        && let Some(cell) = range(s, ty)?
    {
        return Ok(cell);
    }
    typed_value(v, ty).map(Cell::Is)
}

/// Parses `">= x"`, `"> x"`, `"<= x"`, `"< x"` and `"[a, b)"` (brackets: inclusive,
/// parentheses: exclusive). `Ok(None)` when `s` is not written as a range.
fn range(s: &str, ty: ColumnType) -> Result<Option<Cell>, String> {
    let num = |x: &str| -> Result<Decimal, String> {
        match numeric(x.trim(), ty)? {
            TableValue::Number(d) => Ok(d),
            _ => unreachable!("numeric gives numbers"),
        }
    };
    for (op, min, inclusive) in [
        (">=", true, true),
        ("<=", false, true),
        (">", true, false),
        ("<", false, false),
    ] {
        if let Some(rest) = s.strip_prefix(op) {
            let b = Some(Bound {
                value: num(rest)?,
                inclusive,
            });
            return Ok(Some(if min {
                Cell::Range { min: b, max: None }
            } else {
                Cell::Range { min: None, max: b }
            }));
        }
    }
    let open = s.starts_with('[') || s.starts_with('(');
    let close = s.ends_with(']') || s.ends_with(')');
    if !(open && close) {
        return Ok(None);
    }
    let inner = &s[1..s.len() - 1];
    let Some((a, b)) = inner.split_once(',') else {
        return Err(format!("bereik {s:?} heeft twee grenzen nodig: \"[a, b)\""));
    };
    let (a, b) = (num(a)?, num(b)?);
    if a > b {
        return Err(format!("bereik {s:?}: ondergrens boven bovengrens"));
    }
    Ok(Some(Cell::Range {
        min: Some(Bound {
            value: a,
            inclusive: s.starts_with('['),
        }),
        max: Some(Bound {
            value: b,
            inclusive: s.ends_with(']'),
        }),
    }))
}

fn output_value(v: &serde_json::Value, ty: ColumnType) -> Result<TableValue, String> {
    if ty.is_numeric() && v.as_str().map(str::trim) == Some("unlimited") {
        return Ok(TableValue::Unlimited);
    }
    typed_value(v, ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Result<Table, Vec<(String, String)>> {
        let t: DecisionTable = toml::from_str(text).unwrap();
        Table::compile(&t)
    }

    const HEAD: &str = r#"
id = "t"
title = "T"
inputs = ["revenue", "kind"]
outputs = ["share"]
columns = { revenue = "money", kind = "text", share = "ratio" }
source = { document = "d.txt", section = "S", quote = "a long enough quote" }
"#;

    #[test]
    fn cells_are_typed_and_ranges_parsed() {
        let t = table(&format!(
            "{HEAD}rows = [ {{ revenue = \"< 100000\", kind = \"-\", share = \"0.5\" }}, {{ revenue = \"[100000, 200000)\", kind = \"x\", share = \"unlimited\" }} ]"
        ))
        .unwrap();
        assert_eq!(t.rows[0].inputs[0].to_string(), "< 100000");
        assert_eq!(t.rows[0].inputs[1], Cell::Any);
        assert_eq!(t.rows[1].inputs[0].to_string(), "[100000, 200000)");
        assert_eq!(t.rows[1].outputs[0], TableValue::Unlimited);
        let r = &t.rows[1].inputs[0];
        assert!(r.matches(&TableValue::Number(Decimal::new(100000, 0))));
        assert!(!r.matches(&TableValue::Number(Decimal::new(200000, 0))));
    }

    #[test]
    fn a_bad_cell_names_table_row_and_column() {
        let errs = table(&format!(
            "{HEAD}rows = [ {{ revenue = \"-\", kind = \"-\", share = \"0.5\" }}, {{ revenue = \"veel\", kind = true, share = \"0.5\", extra = 1 }} ]"
        ))
        .unwrap_err();
        let items: Vec<&str> = errs.iter().map(|(i, _)| i.as_str()).collect();
        assert!(
            items.contains(&"tabel `t`, regel 2, kolom `revenue`"),
            "{errs:?}"
        );
        assert!(
            items.contains(&"tabel `t`, regel 2, kolom `kind`"),
            "{errs:?}"
        );
        assert!(
            items.contains(&"tabel `t`, regel 2, kolom `extra`"),
            "{errs:?}"
        );
        assert_eq!(errs.len(), 3, "{errs:?}");
    }

    #[test]
    fn every_column_needs_a_type() {
        let text = HEAD.replace(", share = \"ratio\"", "");
        let errs = table(&format!("{text}rows = []")).unwrap_err();
        assert_eq!(errs[0].0, "tabel `t`, kolom `share`");
    }
}
