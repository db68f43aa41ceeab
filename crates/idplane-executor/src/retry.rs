//! The executor's retry decision, as a pure function of the error and the attempt number.
//!
//! The provider already retries throttling and transient errors with backoff and jitter; this
//! second, outer layer retries what still surfaces a bounded number of times, with a longer,
//! deterministic exponential delay. Non-retryable classes (validation, access, Cognito's
//! `LimitExceededException`, conflicts, not found) are never retried.

use idplane_model::ProviderError;
use std::time::Duration;

/// The longest delay between two attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(10);

/// What to do after a failed provider call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try again after this delay.
    RetryAfter(Duration),
    /// Surface the error.
    GiveUp,
}

/// Decides whether to retry after `attempts` calls (1 = the first call failed) have failed with
/// `error`, allowing at most `max_attempts` calls, with `base` doubling per attempt (capped at
/// [`MAX_DELAY`]).
pub fn retry_decision(
    error: &ProviderError,
    attempts: u32,
    max_attempts: u32,
    base: Duration,
) -> RetryDecision {
    if !error.class.is_retryable() || attempts >= max_attempts {
        return RetryDecision::GiveUp;
    }
    let factor = 1u32 << attempts.saturating_sub(1).min(16);
    RetryDecision::RetryAfter(base.saturating_mul(factor).min(MAX_DELAY))
}

#[cfg(test)]
mod tests {
    use super::*;
    use idplane_model::ErrorClass;

    fn err(class: ErrorClass) -> ProviderError {
        ProviderError::new(class, "cognito-idp:CreateUserPool", "X", "m")
    }

    #[test]
    fn retries_only_retryable_classes_within_the_bound() {
        let base = Duration::from_millis(100);
        assert_eq!(
            retry_decision(&err(ErrorClass::Throttling), 1, 3, base),
            RetryDecision::RetryAfter(Duration::from_millis(100))
        );
        assert_eq!(
            retry_decision(&err(ErrorClass::Transient), 2, 3, base),
            RetryDecision::RetryAfter(Duration::from_millis(200))
        );
        assert_eq!(
            retry_decision(&err(ErrorClass::Transient), 3, 3, base),
            RetryDecision::GiveUp
        );
        for class in [
            ErrorClass::LimitExceeded,
            ErrorClass::Validation,
            ErrorClass::AccessDenied,
            ErrorClass::Conflict,
            ErrorClass::NotFound,
            ErrorClass::Other,
        ] {
            assert_eq!(
                retry_decision(&err(class), 1, 10, base),
                RetryDecision::GiveUp,
                "{class:?}"
            );
        }
    }

    #[test]
    fn delay_is_capped() {
        let d = retry_decision(
            &err(ErrorClass::Throttling),
            30,
            100,
            Duration::from_secs(1),
        );
        assert_eq!(d, RetryDecision::RetryAfter(MAX_DELAY));
    }
}
