//! What a failed request means to the person running idplane: missing or expired credentials,
//! an unreachable endpoint, a missing IAM permission, each said in one or two lines with the fix.
//!
//! The SDK reports all of these as a bare "dispatch failure" or an AWS error code; the raw cause
//! (credential chain records, socket errors) is only in the error's source chain, read here.

use idplane_model::{ErrorClass, ProviderError};

/// Error codes idplane gives to failures that never reached AWS (AWS's own codes are kept as is).
pub mod code {
    /// No credential provider of the default chain had credentials.
    pub const NO_CREDENTIALS: &str = "NoCredentials";
    /// The credentials (an SSO session, a token) expired.
    pub const EXPIRED_CREDENTIALS: &str = "ExpiredCredentials";
    /// The endpoint could not be reached (DNS, refused, reset).
    pub const CONNECTION_FAILED: &str = "ConnectionFailed";
    /// Connecting or waiting for the answer took too long.
    pub const TIMEOUT: &str = "Timeout";
}

/// The messages of an error and of every error in its source chain, outermost first, without
/// repeats (wrappers often repeat their source's text).
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let text = err.to_string();
        if !text.is_empty() && !out.iter().any(|o| o.contains(&text)) {
            out.push(text);
        }
        cur = err.source();
    }
    out
}

/// A request that never got an answer from AWS, from the messages of its error chain.
pub fn dispatch_failure(
    operation: &str,
    chain: &[String],
    timeout: bool,
    io: bool,
    user: bool,
) -> ProviderError {
    let all = chain.join(": ").to_lowercase();
    let credentials = all.contains("credential") || all.contains("no providers in chain");
    let expired = all.contains("expired") || all.contains("refresh the token");
    if credentials && expired {
        return ProviderError::new(
            ErrorClass::AccessDenied,
            operation,
            code::EXPIRED_CREDENTIALS,
            "the AWS credentials expired (an SSO session or a temporary token): \
             run `aws sso login` (with your --profile), or get fresh credentials",
        );
    }
    if credentials {
        return ProviderError::new(
            ErrorClass::AccessDenied,
            operation,
            code::NO_CREDENTIALS,
            "no AWS credentials found (tried environment variables, the profile in \
             ~/.aws/config and ~/.aws/credentials, web identity, container and instance \
             metadata). Set AWS_PROFILE or --profile (run `aws sso login` for an SSO profile), \
             or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; in CI, assume a role (e.g. GitHub OIDC)",
        );
    }
    // The innermost message is the operating system's or resolver's reason.
    let reason = chain
        .last()
        .cloned()
        .unwrap_or_else(|| "no reason given".to_string());
    if timeout {
        return ProviderError::new(
            ErrorClass::Transient,
            operation,
            code::TIMEOUT,
            format!("timed out connecting to AWS ({reason})"),
        );
    }
    let class = if user {
        ErrorClass::Other
    } else {
        ErrorClass::Transient
    };
    let what = if io {
        "could not connect to AWS"
    } else {
        "could not send the request"
    };
    ProviderError::new(
        class,
        operation,
        code::CONNECTION_FAILED,
        format!("{what}: {reason}"),
    )
}

/// An error AWS answered; an access denial also names the IAM action to grant (idplane's
/// operation names are the IAM action names, e.g. `cognito-idp:DescribeUserPool`).
pub fn service_error(
    class: ErrorClass,
    operation: &str,
    code: String,
    message: String,
) -> ProviderError {
    let denied = matches!(
        code.as_str(),
        "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation"
    );
    let message = if class == ErrorClass::AccessDenied && denied {
        let aws = if message.is_empty() {
            String::new()
        } else {
            format!(" (AWS said: {message})")
        };
        format!(
            "the credentials are not allowed to call it: grant the IAM action `{operation}` \
             to the role or user{aws}; `idplane iam-policy SPEC` prints every action a stack needs"
        )
    } else if class == ErrorClass::AccessDenied
        && matches!(
            code.as_str(),
            "ExpiredTokenException" | "ExpiredToken" | "RequestExpired"
        )
    {
        format!(
            "the AWS credentials expired: run `aws sso login` (with your --profile) or get fresh \
             credentials{}",
            if message.is_empty() {
                String::new()
            } else {
                format!(" (AWS said: {message})")
            }
        )
    } else {
        message
    };
    ProviderError::new(class, operation, code, message)
}

/// A short hint for a provider error that reached the user, naming the endpoint when the
/// connection failed (the SDK's error does not carry the URL).
pub fn endpoint_hint(err: &ProviderError, endpoint: &str) -> Option<String> {
    (err.code == code::CONNECTION_FAILED || err.code == code::TIMEOUT)
        .then(|| format!("endpoint: {endpoint} (check the URL, the network or --endpoint-url)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn missing_credentials_say_what_was_tried_and_how_to_fix() {
        let e = dispatch_failure(
            "cognito-idp:ListUserPools",
            &chain(&[
                "dispatch failure",
                "other",
                "the credential provider was not enabled",
                "no providers in chain provided credentials",
            ]),
            false,
            false,
            false,
        );
        assert_eq!(e.code, code::NO_CREDENTIALS);
        assert_eq!(e.class, ErrorClass::AccessDenied);
        assert!(e.message.contains("AWS_PROFILE"), "{}", e.message);
        assert!(e.message.contains("aws sso login"), "{}", e.message);
    }

    #[test]
    fn an_expired_sso_session_says_to_log_in_again() {
        let e = dispatch_failure(
            "sso:ListInstances",
            &chain(&[
                "dispatch failure",
                "failed to load credentials: the SSO session has expired or is invalid",
            ]),
            false,
            false,
            false,
        );
        assert_eq!(e.code, code::EXPIRED_CREDENTIALS);
        assert!(e.message.contains("aws sso login"));
    }

    #[test]
    fn an_unreachable_endpoint_gives_the_operating_system_reason() {
        let e = dispatch_failure(
            "cognito-idp:ListUserPools",
            &chain(&[
                "io error",
                "client error (Connect)",
                "tcp connect error",
                "Connection refused (os error 111)",
            ]),
            false,
            true,
            false,
        );
        assert_eq!(e.code, code::CONNECTION_FAILED);
        assert_eq!(e.class, ErrorClass::Transient);
        assert!(e.message.ends_with("Connection refused (os error 111)"));
        assert_eq!(
            endpoint_hint(&e, "http://127.0.0.1:9").as_deref(),
            Some("endpoint: http://127.0.0.1:9 (check the URL, the network or --endpoint-url)")
        );
    }

    #[test]
    fn access_denied_names_the_iam_action() {
        let e = service_error(
            ErrorClass::AccessDenied,
            "sso:PutApplicationGrant",
            "AccessDeniedException".into(),
            "User: arn:aws:sts::1:assumed-role/ci is not authorized".into(),
        );
        assert!(
            e.message.contains("`sso:PutApplicationGrant`"),
            "{}",
            e.message
        );
        assert!(e.message.contains("is not authorized"));
        // Other errors keep AWS's message untouched.
        let v = service_error(
            ErrorClass::Validation,
            "cognito-idp:CreateUserPool",
            "InvalidParameterException".into(),
            "bad".into(),
        );
        assert_eq!(v.message, "bad");
    }

    #[test]
    fn the_chain_drops_repeated_texts() {
        #[derive(Debug)]
        struct E(&'static str, Option<Box<E>>);
        impl std::fmt::Display for E {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }
        }
        impl std::error::Error for E {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                self.1.as_deref().map(|e| e as _)
            }
        }
        let e = E("outer: inner", Some(Box::new(E("inner", None))));
        assert_eq!(error_chain(&e), vec!["outer: inner".to_string()]);
    }
}
