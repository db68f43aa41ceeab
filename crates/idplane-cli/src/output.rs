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
    use tracing_subscriber::layer::{Layer, SubscriberExt};
    use tracing_subscriber::util::SubscriberInitExt;
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(color(global, true))
        .with_target(false)
        .with_filter(filter)
        .with_filter(tracing_subscriber::filter::filter_fn(|meta| {
            !carries_payloads(meta.target(), *meta.level())
        }));
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// Whether a log record may carry request or response payloads, and so secrets (an IdP's
/// `client_secret` is a plain map entry to the SDK): the AWS SDK's and the HTTP stack's
/// trace-level records (wire bodies, decoded outputs). They are dropped whatever `RUST_LOG`
/// says; their debug records (timings, retries, endpoints) stay available.
pub fn carries_payloads(target: &str, level: tracing::Level) -> bool {
    const WIRE: [&str; 5] = ["aws_", "hyper", "h2", "rustls", "tower"];
    level == tracing::Level::TRACE && WIRE.iter().any(|p| target.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    #[test]
    fn sdk_trace_records_are_dropped_and_idplane_ones_kept() {
        assert!(carries_payloads(
            "aws_smithy_runtime::client::orchestrator",
            Level::TRACE
        ));
        assert!(carries_payloads(
            "aws_sdk_cognitoidentityprovider::operation",
            Level::TRACE
        ));
        assert!(carries_payloads("hyper_util::client", Level::TRACE));
        assert!(!carries_payloads(
            "aws_smithy_runtime::client::orchestrator",
            Level::DEBUG
        ));
        assert!(!carries_payloads("idplane_aws", Level::TRACE));
    }
}
