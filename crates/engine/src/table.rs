//! The decision-table evaluator: one way to match rows of a policy's `[[tables]]`.
//!
//! A table (validated on load into a [`Table`]) has typed input columns whose cells are a value,
//! a range or `-` (any), and a hit policy: `first` returns the first matching row, `collect`
//! every matching row. Calculators call [`evaluate`]; the matched rows are recorded as
//! [`Input::TableRow`](crate::trace::Input::TableRow) in the trace of the step that used them.

use crate::trace::Input;
use std::collections::BTreeMap;
use zorginkoop_policy::{Cell, ColumnType, HitPolicy, Table, TableValue};

/// Why a table could not be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    #[error("tabel `{table}` heeft geen invoerkolom `{column}`")]
    UnknownColumn { table: String, column: String },
    #[error("tabel `{table}`, kolom `{column}`: {value} is geen {ty}")]
    WrongType {
        table: String,
        column: String,
        value: String,
        ty: &'static str,
    },
}

/// The rows a table returned for some inputs (for `first`: at most one).
#[derive(Debug, Clone)]
pub struct Matches<'t> {
    pub table: &'t Table,
    /// Indexes into `table.rows`, in file order.
    pub rows: Vec<usize>,
}

/// One matched row.
#[derive(Debug, Clone, Copy)]
pub struct MatchedRow<'t> {
    pub table: &'t Table,
    pub index: usize,
}

impl<'t> MatchedRow<'t> {
    /// The value of an output column in this row.
    pub fn output(&self, column: &str) -> Option<&'t TableValue> {
        let i = self.table.output_index(column)?;
        self.table.rows[self.index].outputs.get(i)
    }

    /// The row as a trace input: every cell by column.
    pub fn to_input(&self) -> Input {
        let row = &self.table.rows[self.index];
        let mut cells = BTreeMap::new();
        for (c, cell) in self.table.inputs.iter().zip(&row.inputs) {
            cells.insert(
                c.name.to_string(),
                serde_json::to_value(cell).unwrap_or(serde_json::Value::Null),
            );
        }
        for (c, v) in self.table.outputs.iter().zip(&row.outputs) {
            cells.insert(
                c.name.to_string(),
                serde_json::to_value(v).unwrap_or(serde_json::Value::Null),
            );
        }
        Input::TableRow {
            table: self.table.id.clone(),
            row: self.index,
            cells,
        }
    }
}

impl<'t> Matches<'t> {
    /// The first matching row, if any.
    pub fn first(&self) -> Option<MatchedRow<'t>> {
        self.rows.first().map(|&index| MatchedRow {
            table: self.table,
            index,
        })
    }

    /// Every matching row.
    pub fn iter(&self) -> impl Iterator<Item = MatchedRow<'t>> + '_ {
        self.rows.iter().map(|&index| MatchedRow {
            table: self.table,
            index,
        })
    }
}

/// Evaluates `table` for the given input values (by column name, each of its column's type).
/// An input without a value matches only `-` cells. The result follows the table's hit policy.
pub fn evaluate<'t>(
    table: &'t Table,
    inputs: &[(&str, TableValue)],
) -> Result<Matches<'t>, TableError> {
    let mut values: Vec<Option<&TableValue>> = vec![None; table.inputs.len()];
    for (name, v) in inputs {
        let i = table
            .input_index(name)
            .ok_or_else(|| TableError::UnknownColumn {
                table: table.id.to_string(),
                column: name.to_string(),
            })?;
        let ty = table.inputs[i].ty;
        let fits = match v {
            TableValue::Bool(_) => ty == ColumnType::Bool,
            TableValue::Text(_) => ty == ColumnType::Text,
            TableValue::Number(d) => {
                ty.is_numeric() && (ty != ColumnType::Integer || d.fract().is_zero())
            }
            TableValue::Unlimited => false,
        };
        if !fits {
            return Err(TableError::WrongType {
                table: table.id.to_string(),
                column: name.to_string(),
                value: v.to_string(),
                ty: ty.as_str(),
            });
        }
        values[i] = Some(v);
    }
    let mut rows = Vec::new();
    for (ri, row) in table.rows.iter().enumerate() {
        let hit = row.inputs.iter().zip(&values).all(|(cell, v)| match v {
            Some(v) => cell.matches(v),
            None => *cell == Cell::Any,
        });
        if hit {
            rows.push(ri);
            if table.hit == HitPolicy::First {
                break;
            }
        }
    }
    Ok(Matches { table, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use zorginkoop_policy::DecisionTable;

    fn table(hit: &str) -> Table {
        let text = format!(
            r#"
id = "bands"
title = "Bands"
hit = "{hit}"
inputs = ["revenue", "kind"]
outputs = ["band"]
columns = {{ revenue = "money", kind = "text", band = "text" }}
rows = [
  {{ revenue = "< 100000", kind = "-", band = "small" }},
  {{ revenue = "[100000, 500000)", kind = "-", band = "medium" }},
  {{ revenue = ">= 500000", kind = "-", band = "large" }},
  {{ revenue = "-", kind = "special", band = "special" }},
]
source = {{ document = "d.txt", section = "S", quote = "a long enough quote" }}
"#
        );
        let t: DecisionTable = toml::from_str(&text).unwrap();
        Table::compile(&t).unwrap()
    }

    fn money(n: i64) -> TableValue {
        TableValue::Number(Decimal::new(n, 0))
    }

    fn bands(t: &Table, revenue: i64, kind: &str) -> Vec<String> {
        evaluate(
            t,
            &[
                ("revenue", money(revenue)),
                ("kind", TableValue::Text(kind.into())),
            ],
        )
        .unwrap()
        .iter()
        .map(|r| r.output("band").unwrap().to_string())
        .collect()
    }

    #[test]
    fn first_hit_takes_the_first_matching_row_and_range_bounds_hold() {
        let t = table("first");
        assert_eq!(bands(&t, 99_999, "x"), ["small"]);
        assert_eq!(bands(&t, 100_000, "x"), ["medium"]);
        assert_eq!(bands(&t, 499_999, "x"), ["medium"]);
        assert_eq!(bands(&t, 500_000, "x"), ["large"]);
        // the special row also matches, but comes later
        assert_eq!(bands(&t, 500_000, "special"), ["large"]);
    }

    #[test]
    fn collect_returns_every_matching_row_in_file_order() {
        let t = table("collect");
        assert_eq!(bands(&t, 10, "special"), ["small", "special"]);
        assert_eq!(bands(&t, 10, "x"), ["small"]);
    }

    #[test]
    fn any_matches_everything_and_no_match_is_empty() {
        let t = table("first");
        let m = evaluate(
            &t,
            &[
                ("revenue", money(-5)),
                ("kind", TableValue::Text("x".into())),
            ],
        )
        .unwrap();
        assert_eq!(m.rows, [0]); // "< 100000" includes negatives
        let no = evaluate(&t, &[("revenue", TableValue::Text("veel".into()))]);
        assert!(matches!(no, Err(TableError::WrongType { .. })), "{no:?}");
        // a table where nothing matches
        let mut t = table("first");
        t.rows.truncate(1);
        let m = evaluate(
            &t,
            &[
                ("revenue", money(200_000)),
                ("kind", TableValue::Text("x".into())),
            ],
        )
        .unwrap();
        assert!(m.first().is_none());
    }

    #[test]
    fn inputs_are_checked_by_name() {
        let t = table("first");
        let e = evaluate(&t, &[("omzet", money(1))]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "tabel `bands` heeft geen invoerkolom `omzet`"
        );
        // without a revenue only the `-` revenue cell can match
        let m = evaluate(&t, &[("kind", TableValue::Text("special".into()))]).unwrap();
        assert_eq!(m.rows, [3]);
        let m = evaluate(&t, &[("kind", TableValue::Text("x".into()))]).unwrap();
        assert!(m.rows.is_empty());
    }

    #[test]
    fn a_matched_row_becomes_a_trace_input_with_its_cells() {
        let t = table("first");
        let m = evaluate(
            &t,
            &[
                ("revenue", money(150_000)),
                ("kind", TableValue::Text("x".into())),
            ],
        )
        .unwrap();
        let Input::TableRow { table, row, cells } = m.first().unwrap().to_input() else {
            panic!("not a table row");
        };
        assert_eq!((&*table, row), ("bands", 1));
        assert_eq!(cells["revenue"], "[100000, 500000)");
        assert_eq!(cells["kind"], "-");
        assert_eq!(cells["band"], "medium");
    }
}
