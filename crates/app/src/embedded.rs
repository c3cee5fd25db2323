//! The files built into the library (by `build.rs`, from the repository's `policies/`,
//! `policies/texts/` and `examples/` at compile time): the fallback that lets an installed
//! binary work in any folder. Each table is `(file name, contents)`, sorted by file name.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// How messages name an embedded file: `(ingebouwd) gp-2022-2023.toml`.
pub fn label(file: &str) -> String {
    format!("{LABEL} {file}")
}

/// What messages call the embedded set as a whole.
pub const LABEL: &str = "(ingebouwd)";
