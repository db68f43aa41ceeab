//! The `idplane` command line: thin `exec` functions over the idplane library crates, output
//! rendering, exit codes (decided in [`exit`]) and logging setup.

mod cli;
mod commands;
mod context;
mod exit;
mod fleet;
mod output;
mod saved_plan;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // Help and version go to stdout with exit 0; usage errors exit 1, never 2 (which
            // means "changes" or "drift" to scripts).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
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
