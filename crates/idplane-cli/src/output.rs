//! Terminal facts and logging setup: colour decisions, whether a human is at the keyboard,
//! and the tracing subscriber writing to stderr.

use crate::cli::GlobalArgs;
use std::io::IsTerminal;

/// Whether to colour output written to stdout or stderr.
pub fn color(global: &GlobalArgs, to_stderr: bool) -> bool {
    if global.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if to_stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    }
}

/// Whether someone can answer a prompt (stdin and stderr are terminals).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Installs the stderr logger: `RUST_LOG` when set, else from `-v`/`-q`.
pub fn init_logging(global: &GlobalArgs) {
    use tracing_subscriber::EnvFilter;
    let default = match (global.quiet, global.verbose) {
        (true, _) => "error",
        // The SDK's own records (credential-chain attempts, raw responses) only with -v: its
        // failures reach the user as one explained error instead.
        (false, 0) => "error,idplane=warn",
        (false, 1) => "info,idplane=debug",
        (false, _) => "debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color(global, true))
        .with_target(false)
        .try_init();
}
