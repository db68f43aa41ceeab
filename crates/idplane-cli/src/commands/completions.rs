//! `idplane completions SHELL`: prints a shell completion script.

use crate::cli::Cli;
use crate::exit::Outcome;
use clap::CommandFactory;

pub fn exec(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "idplane", &mut std::io::stdout());
    Ok(Outcome::Success)
}
