//! Error classification of AWS SDK failures and the retry policy: one pure decision function,
//! [`RetryPolicy::decide`], used by the provider's request loop, the only place that retries.

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
            let mut class = classify(&code, Some(status));
            // Identity Store says which conflict it is: a concurrent modification is transient.
            if code == "ConflictException"
                && s.raw()
                    .body()
                    .bytes()
                    .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
                    .is_some_and(|v| v["Reason"] == "CONCURRENT_MODIFICATION")
            {
                class = ErrorClass::Transient;
            }
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

/// How much retrying an error deserves (see [`retry_kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// Never: the request is wrong, refused for good, or a real conflict.
    Never,
    /// Throttling and transient failures (5xx, timeouts, lost connections): at most
    /// [`RetryPolicy::max_attempts`] attempts.
    Attempts,
    /// Errors AWS says clear up with time: a write that has not propagated yet (sso-admin
    /// `ConflictException`), a concurrent modification, an IAM role made a moment ago. Retried
    /// until [`RetryPolicy::settle_budget`] has passed since the first attempt.
    UntilSettled,
}

/// Words of a `ConflictException` message that mean a real conflict (a taken name, a client
/// token reused with another request): retrying cannot help.
const REAL_CONFLICT: [&str; 5] = [
    "already exists",
    "duplicate",
    "client token",
    "clienttoken",
    "non-identical",
];

/// Decides how an error is retried, from its code, its service and its message.
///
/// A sso-admin or identitystore `ConflictException` is, per AWS, mostly "the previous write did
/// not have time to propagate ... a retry (with appropriate backoff logic) is the recommended
/// response", or a concurrent modification; but it also answers a taken name or a `ClientToken`
/// reused with another request. AWS documents no message text for either, so: a message naming
/// a duplicate / existing object / client token is a real conflict, never retried; any other
/// one is retried, bounded by the settle budget, so an unrecognised real conflict surfaces
/// after at most that long instead of looping. Cognito's conflicts (`AliasExistsException`,
/// `DuplicateProviderException`...) are never retried.
pub fn retry_kind(e: &ProviderError) -> RetryKind {
    let service = e.operation.split(':').next().unwrap_or("");
    match e.code.as_str() {
        "ConcurrentModificationException"
        | "InvalidSmsRoleTrustRelationshipException"
        | "InvalidSmsRoleAccessPolicyException" => RetryKind::UntilSettled,
        "ConflictException" if matches!(service, "sso" | "identitystore") => {
            let m = e.message.to_lowercase();
            if e.class != ErrorClass::Transient && REAL_CONFLICT.iter().any(|w| m.contains(w)) {
                RetryKind::Never
            } else {
                RetryKind::UntilSettled
            }
        }
        _ if e.class.is_retryable() => RetryKind::Attempts,
        _ => RetryKind::Never,
    }
}

/// Bounded exponential backoff with full jitter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Total attempts, the first one included, for throttling and transient failures.
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    /// How long errors that clear up with time are retried ([`RetryKind::UntilSettled`]):
    /// two minutes by default, as terraform-provider-aws does for Cognito's
    /// `ConcurrentModificationException` and freshly made IAM roles.
    pub settle_budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(5),
            settle_budget: Duration::from_secs(120),
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
    /// The decision after attempt number `attempt` (1-based) of one request failed with `error`,
    /// `elapsed` after the first attempt began; `jitter` is a uniform random number in `[0, 1)`
    /// (full jitter: the wait is `jitter * min(cap, base * 2^(attempt-1))`).
    pub fn decide(
        &self,
        error: &ProviderError,
        attempt: u32,
        elapsed: Duration,
        jitter: f64,
    ) -> RetryDecision {
        let exp = self
            .base
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(30)));
        let wait = exp.min(self.cap).mul_f64(jitter.clamp(0.0, 1.0));
        match retry_kind(error) {
            RetryKind::Never => RetryDecision::GiveUp,
            RetryKind::Attempts if attempt >= self.max_attempts => RetryDecision::GiveUp,
            RetryKind::Attempts => RetryDecision::Retry(wait),
            RetryKind::UntilSettled if elapsed.saturating_add(wait) > self.settle_budget => {
                RetryDecision::GiveUp
            }
            RetryKind::UntilSettled => RetryDecision::Retry(wait),
        }
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

    fn err(class: ErrorClass) -> ProviderError {
        ProviderError::new(class, "cognito-idp:CreateUserPool", "X", "m")
    }

    fn coded(op: &str, code: &str, message: &str) -> ProviderError {
        ProviderError::new(classify(code, Some(400)), op, code, message)
    }

    const NOW: Duration = Duration::ZERO;

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
            assert_eq!(
                p.decide(&err(class), 1, NOW, 0.5),
                RetryDecision::GiveUp,
                "{class:?}"
            );
        }
    }

    #[test]
    fn propagation_conflicts_are_retried_until_the_settle_budget_real_ones_never() {
        let p = RetryPolicy::default();
        let propagation = coded(
            "sso:PutApplicationGrant",
            "ConflictException",
            "Occurs when a conflict with a previous successful write is detected. This \
             generally occurs when the previous write did not have time to propagate",
        );
        assert_eq!(retry_kind(&propagation), RetryKind::UntilSettled);
        assert!(matches!(
            p.decide(&propagation, 40, Duration::from_secs(60), 0.5),
            RetryDecision::Retry(_)
        ));
        assert_eq!(
            p.decide(&propagation, 10, Duration::from_secs(119), 1.0),
            RetryDecision::GiveUp,
            "bounded by the budget"
        );
        for (op, message) in [
            (
                "sso:CreateTrustedTokenIssuer",
                "A trusted token issuer named x already exists",
            ),
            (
                "sso:CreateApplication",
                "The request uses the same client token as a previous, but non-identical request",
            ),
            ("identitystore:CreateUser", "Duplicate UserName"),
        ] {
            let e = coded(op, "ConflictException", message);
            assert_eq!(retry_kind(&e), RetryKind::Never, "{message}");
            assert_eq!(p.decide(&e, 1, NOW, 0.5), RetryDecision::GiveUp);
        }
        // Identity Store's concurrent modification (Reason CONCURRENT_MODIFICATION).
        let concurrent = ProviderError::new(
            ErrorClass::Transient,
            "identitystore:UpdateUser",
            "ConflictException",
            "Duplicate request in flight",
        );
        assert_eq!(retry_kind(&concurrent), RetryKind::UntilSettled);
        // Cognito's concurrent modification and IAM propagation: two minutes.
        for code in [
            "ConcurrentModificationException",
            "InvalidSmsRoleTrustRelationshipException",
            "InvalidSmsRoleAccessPolicyException",
        ] {
            let e = coded("cognito-idp:UpdateUserPool", code, "m");
            assert_eq!(retry_kind(&e), RetryKind::UntilSettled, "{code}");
            assert!(matches!(
                p.decide(&e, 20, Duration::from_secs(100), 0.5),
                RetryDecision::Retry(_)
            ));
        }
        // A Cognito conflict is never retried.
        let dup = coded(
            "cognito-idp:CreateIdentityProvider",
            "ConflictException",
            "m",
        );
        assert_eq!(retry_kind(&dup), RetryKind::Never);
    }

    #[test]
    fn backoff_grows_is_capped_and_bounded() {
        let p = RetryPolicy::default();
        let throttled = err(ErrorClass::Throttling);
        let transient = err(ErrorClass::Transient);
        assert_eq!(
            p.decide(&throttled, 1, NOW, 1.0),
            RetryDecision::Retry(Duration::from_millis(100))
        );
        assert_eq!(
            p.decide(&transient, 3, NOW, 1.0),
            RetryDecision::Retry(Duration::from_millis(400))
        );
        assert_eq!(
            p.decide(&throttled, 2, NOW, 0.5),
            RetryDecision::Retry(Duration::from_millis(100))
        );
        assert_eq!(
            p.decide(&throttled, 1, NOW, 0.0),
            RetryDecision::Retry(Duration::ZERO)
        );
        let big = RetryPolicy {
            max_attempts: 50,
            ..p
        };
        assert_eq!(
            big.decide(&throttled, 40, NOW, 1.0),
            RetryDecision::Retry(Duration::from_secs(5))
        );
        assert_eq!(p.decide(&throttled, 6, NOW, 0.5), RetryDecision::GiveUp);
        assert!(matches!(
            p.decide(&throttled, 5, NOW, 0.5),
            RetryDecision::Retry(_)
        ));
    }
}
