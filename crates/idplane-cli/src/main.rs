//! The `idplane` command line: thin `exec` functions over the idplane library crates, output
//! rendering, exit codes (decided in [`exit`]) and logging setup.

mod cli;
mod commands;
mod exit;
mod output;
mod sp_metadata;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    output::init_logging(&args.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return exit::finish(Err(anyhow::anyhow!("cannot start the runtime: {e}"))),
    };
    let result = runtime.block_on(commands::run(args));
    exit::finish(result)
}
