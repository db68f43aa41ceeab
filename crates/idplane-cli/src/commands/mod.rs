//! One module per subcommand, each with an `exec` function; [`run`] dispatches.

use crate::cli::{Cli, Command};
use crate::exit::Outcome;

mod completions;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let global = cli.global;
    match cli.command {
        Command::Completions { shell } => completions::exec(shell),
        other => anyhow::bail!("`{other:?}` is not available in this build yet"),
    }
}
