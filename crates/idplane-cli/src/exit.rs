//! Exit codes, decided in one place: 0 success / nothing to do, 2 changes, drift or a broken
//! link found (when asked for), 1 any error.

use std::process::ExitCode;

/// What a command found, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done; nothing to report through the exit code.
    Success,
    /// `plan --detailed-exitcode` found changes.
    Changes,
    /// `drift` found live state away from the spec.
    Drift,
    /// `verify` found a broken link of the trusted identity propagation chain.
    Broken,
}

/// An error whose message was already printed (diagnostics, a refused plan): exit 1 quietly.
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("error already reported")
    }
}

impl std::error::Error for Reported {}

/// The process exit code of a command's result.
pub fn code(result: &anyhow::Result<Outcome>) -> u8 {
    match result {
        Ok(Outcome::Success) => 0,
        Ok(Outcome::Changes) | Ok(Outcome::Drift) | Ok(Outcome::Broken) => 2,
        Err(_) => 1,
    }
}

/// Prints the error (unless already reported) and returns the exit code.
pub fn finish(result: anyhow::Result<Outcome>) -> ExitCode {
    if let Err(e) = &result
        && e.downcast_ref::<Reported>().is_none()
    {
        eprintln!("error: {e:#}");
        if let Some(hint) = crate::context::endpoint_hint(e) {
            eprintln!("  {hint}");
        }
    }
    ExitCode::from(code(&result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_terraform_habits() {
        assert_eq!(code(&Ok(Outcome::Success)), 0);
        assert_eq!(code(&Ok(Outcome::Changes)), 2);
        assert_eq!(code(&Ok(Outcome::Drift)), 2);
        assert_eq!(code(&Ok(Outcome::Broken)), 2);
        assert_eq!(code(&Err(anyhow::anyhow!("x"))), 1);
        assert_eq!(code(&Err(Reported.into())), 1);
    }
}
