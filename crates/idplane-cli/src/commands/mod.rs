//! One module per subcommand, each with an `exec` function; [`run`] dispatches.

use crate::cli::{Cli, Command};
use crate::exit::Outcome;

mod apply;
mod completions;
mod drift;
mod export;
mod iam_policy;
mod plan;
mod sp_metadata;
mod stacks;
mod validate;
mod verify;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let global = cli.global;
    match cli.command {
        Command::Validate(args) => validate::exec(&global, &args),
        Command::Schema => validate::schema(),
        Command::Plan(args) => plan::exec(&global, &args).await,
        Command::Apply(args) => apply::exec(&global, &args).await,
        Command::Drift(args) => drift::exec(&global, &args).await,
        Command::Verify(args) => verify::exec(&global, &args).await,
        Command::Export(args) => export::exec(&global, &args).await,
        Command::IamPolicy(args) => iam_policy::exec(&global, &args),
        Command::SpMetadata(args) => sp_metadata::exec(&global, &args).await,
        Command::Stacks(args) => stacks::exec(&args),
        Command::Completions { shell } => completions::exec(shell),
    }
}
