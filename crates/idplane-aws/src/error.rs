//! Error classification of AWS SDK failures and the retry policy (a pure decision function).

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use idplane_model::{ErrorClass, ProviderError};
use std::time::Duration;

/// Classifies an AWS error code (and HTTP status, when there was a response).
pub fn classify(code: &str, status: Option<u16>) -> ErrorClass {
    match code {
        "TooManyRequestsException"
        | "ThrottlingException"
        | "Throttling"
        | "ThrottledException"
        | "RequestLimitExceeded" => ErrorClass::Throttling,
        "ConcurrentModificationException"
        | "InternalErrorException"
        | "InternalServerException"
        | "InternalFailure"
        | "ServiceUnavailable"
        | "ServiceUnavailableException" => ErrorClass::Transient,
        "ResourceNotFoundException" | "NotFoundException" | "UserNotFoundException" => {
            ErrorClass::NotFound
        }
        "ConflictException"
        | "AlreadyExistsException"
        | "ResourceExistsException"
        | "DuplicateProviderException"
        | "UsernameExistsException"
        | "GroupExistsException"
        | "ResourceConflictException" => ErrorClass::Conflict,
        "LimitExceededException" | "ServiceQuotaExceededException" => ErrorClass::LimitExceeded,
        "InvalidParameterException"
        | "InvalidParameterValueException"
        | "ValidationException"
        | "InvalidParameterCombinationException"
        | "InvalidOAuthFlowException"
        | "ScopeDoesNotExistException"
        | "InvalidUserPoolConfigurationException"
        | "UnsupportedIdentityProviderException"
        | "SerializationException" => ErrorClass::Validation,
        "AccessDeniedException"
        | "NotAuthorizedException"
        | "UnrecognizedClientException"
        | "ExpiredTokenException"
        | "InvalidClientTokenId"
        | "InvalidSignatureException"
        | "MissingAuthenticationToken" => ErrorClass::AccessDenied,
        _ => match status {
            Some(429) => ErrorClass::Throttling,
            Some(s) if s >= 500 => ErrorClass::Transient,
            Some(404) => ErrorClass::NotFound,
            Some(409) => ErrorClass::Conflict,
            Some(401) | Some(403) => ErrorClass::AccessDenied,
            _ => ErrorClass::Other,
        },
    }
}

/// Turns an SDK error into a classified [`ProviderError`] (code and AWS message, no request data).
pub fn from_sdk<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> ProviderError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::TimeoutError(_) => ProviderError::new(
            ErrorClass::Transient,
            operation,
            "Timeout",
            "the request timed out",
        ),
        SdkError::DispatchFailure(d) => crate::explain::dispatch_failure(
            operation,
            &crate::explain::error_chain(err),
            d.is_timeout(),
            d.is_io(),
            d.is_user(),
        ),
        SdkError::ResponseError(r) => {
            let status = r.raw().status().as_u16();
            let class = if status >= 500 || status == 200 {
                // A response that could not be read (cut off, garbled) is lost: retry.
                ErrorClass::Transient
            } else {
                classify("", Some(status))
            };
            ProviderError::new(
                class,
                operation,
                "ResponseError",
                format!("unreadable response (HTTP {status})"),
            )
        }
        SdkError::ServiceError(s) => {
            let status = s.raw().status().as_u16();
            let code = s.err().code().unwrap_or("").to_string();
            let message = s.err().message().unwrap_or("").to_string();
            let class = classify(&code, Some(status));
            let code = if code.is_empty() {
                format!("HTTP {status}")
            } else {
                code
            };
            crate::explain::service_error(class, operation, code, message)
        }
        SdkError::ConstructionFailure(_) => ProviderError::new(
            ErrorClass::Validation,
            operation,
            "ConstructionFailure",
            "the request could not be built",
        ),
        _ => ProviderError::new(ErrorClass::Other, operation, "", "unknown SDK error"),
    }
}

/// A request that could not be built from the target's attributes (a missing required field).
pub fn invalid(operation: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::new(ErrorClass::Validation, operation, "", message)
}

/// Bounded exponential backoff with full jitter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Total attempts, the first one included.
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(5),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RetryDecision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Surface the error.
    GiveUp,
}

impl RetryPolicy {
    /// The decision after attempt number `attempt` (1-based) failed with `class`; `jitter` is a
    /// uniform random number in `[0, 1)` (full jitter: the wait is `jitter * min(cap, base * 2^(attempt-1))`).
    pub fn decide(&self, class: ErrorClass, attempt: u32, jitter: f64) -> RetryDecision {
        if !class.is_retryable() || attempt >= self.max_attempts {
            return RetryDecision::GiveUp;
        }
        let exp = self
            .base
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let ceiling = exp.min(self.cap);
        RetryDecision::Retry(ceiling.mul_f64(jitter.clamp(0.0, 1.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_follows_the_aws_codes() {
        let cases = [
            ("TooManyRequestsException", 400, ErrorClass::Throttling),
            ("ThrottlingException", 400, ErrorClass::Throttling),
            (
                "ConcurrentModificationException",
                400,
                ErrorClass::Transient,
            ),
            ("InternalErrorException", 500, ErrorClass::Transient),
            ("ResourceNotFoundException", 400, ErrorClass::NotFound),
            ("ConflictException", 409, ErrorClass::Conflict),
            ("DuplicateProviderException", 400, ErrorClass::Conflict),
            ("UsernameExistsException", 400, ErrorClass::Conflict),
            ("GroupExistsException", 400, ErrorClass::Conflict),
            ("LimitExceededException", 400, ErrorClass::LimitExceeded),
            ("InvalidParameterException", 400, ErrorClass::Validation),
            ("ValidationException", 400, ErrorClass::Validation),
            ("AccessDeniedException", 403, ErrorClass::AccessDenied),
            ("NotAuthorizedException", 400, ErrorClass::AccessDenied),
            ("", 503, ErrorClass::Transient),
            ("", 429, ErrorClass::Throttling),
            ("SomethingElse", 400, ErrorClass::Other),
        ];
        for (code, status, class) in cases {
            assert_eq!(classify(code, Some(status)), class, "{code} {status}");
        }
    }

    #[test]
    fn limit_exceeded_and_validation_are_never_retried() {
        let p = RetryPolicy::default();
        for class in [
            ErrorClass::LimitExceeded,
            ErrorClass::Validation,
            ErrorClass::AccessDenied,
            ErrorClass::NotFound,
            ErrorClass::Conflict,
            ErrorClass::Other,
        ] {
            assert_eq!(p.decide(class, 1, 0.5), RetryDecision::GiveUp, "{class:?}");
        }
    }

    #[test]
    fn backoff_grows_is_capped_and_bounded() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.decide(ErrorClass::Throttling, 1, 1.0),
            RetryDecision::Retry(Duration::from_millis(100))
        );
        assert_eq!(
            p.decide(ErrorClass::Transient, 3, 1.0),
            RetryDecision::Retry(Duration::from_millis(400))
        );
        assert_eq!(
            p.decide(ErrorClass::Throttling, 2, 0.5),
            RetryDecision::Retry(Duration::from_millis(100))
        );
        assert_eq!(
            p.decide(ErrorClass::Throttling, 1, 0.0),
            RetryDecision::Retry(Duration::ZERO)
        );
        let big = RetryPolicy {
            max_attempts: 50,
            ..p
        };
        assert_eq!(
            big.decide(ErrorClass::Throttling, 40, 1.0),
            RetryDecision::Retry(Duration::from_secs(5))
        );
        assert_eq!(
            p.decide(ErrorClass::Throttling, 6, 0.5),
            RetryDecision::GiveUp
        );
        assert!(matches!(
            p.decide(ErrorClass::Throttling, 5, 0.5),
            RetryDecision::Retry(_)
        ));
    }
}
