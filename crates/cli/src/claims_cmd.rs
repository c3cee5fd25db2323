//! `zorginkoop claims ...` and `zorginkoop contracts ...` (owned by the claims checker work).

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ClaimsCommand {}

#[derive(Subcommand)]
pub enum ContractsCommand {}

pub fn run_claims(cmd: ClaimsCommand) -> anyhow::Result<ExitCode> {
    match cmd {}
}

pub fn run_contracts(cmd: ContractsCommand) -> anyhow::Result<ExitCode> {
    match cmd {}
}
