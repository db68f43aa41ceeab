//! What `idplane verify` asks AWS beyond observing the stack: the calling account (whom the
//! actor policy must allow), the live token exchange of trusted identity propagation (a test
//! user's Cognito ID token by the admin flow, sso-oidc `CreateTokenWithIAM` with the JWT bearer
//! grant, STS `AssumeRole` with the identity context), and, for the identity coverage, a
//! bounded read of a pool's users ([`PoolUsers`], in `user_pool/users.rs`) and which claim
//! values find an Identity Store user (in `identity_store/lookup.rs`).
//!
//! Tokens, passwords and identity contexts are [`Token`]s: their text never reaches a `Debug` or
//! `Display`, a log record or a serialized value; only the SDK request that needs one sees it.

use crate::AwsProvider;
use aws_sdk_ssooidc::operation::create_token_with_iam::CreateTokenWithIAMError;
use idplane_model::{ErrorClass, ProviderError};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The grant type of the exchange.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// The context provider of identity contexts from Identity Center (AssumeRole `ProvidedContexts`).
pub const IDENTITY_CENTER_CONTEXT_PROVIDER: &str =
    "arn:aws:iam::aws:contextProvider/IdentityCenter";

/// A secret text (a token, a password, an identity context): never shown.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(text: impl Into<String>) -> Token {
        Token(text.into())
    }

    /// The text, for the request that needs it and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(sensitive)")
    }
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("(sensitive)")
    }
}

/// What CreateTokenWithIAM returned, minus the tokens' text.
#[derive(Debug)]
pub struct Exchanged {
    /// The access scopes granted.
    pub scopes: Vec<String>,
    /// `sts:identity_context`: from `awsAdditionalDetails.identityContext`, else the ID token's
    /// claim.
    pub identity_context: Option<Token>,
    pub expires_in: i32,
    /// Whether an access token came back.
    pub access_token: bool,
}

/// The identity-enhanced session AssumeRole returned (its credentials are not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumedRole {
    pub arn: String,
    pub expiration: Option<String>,
}

/// A pool user as ListUsers returns it (no password or token is part of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolUser {
    pub username: String,
    /// Every attribute ListUsers returns (`sub`, `email`, `custom:...`).
    pub attributes: BTreeMap<String, String>,
}

/// The first users of a pool, and how many it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolUsers {
    /// DescribeUserPool's `EstimatedNumberOfUsers`.
    pub estimated: Option<u64>,
    /// At most the asked number of users, in ListUsers order.
    pub users: Vec<PoolUser>,
}

/// The `sts:identity_context` claim of a JWT (read, not verified: the token came from AWS over
/// TLS in the same call).
fn identity_context_claim(jwt: &str) -> Option<String> {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims
        .get("sts:identity_context")
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// AWS's `error_description` of a failed exchange. The SDK's error enum is non-exhaustive (and
/// its `Unhandled` variant is not to be matched): a wildcard arm is required.
#[allow(clippy::wildcard_enum_match_arm)]
fn description(e: &CreateTokenWithIAMError) -> Option<String> {
    match e {
        CreateTokenWithIAMError::AccessDeniedException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::InvalidGrantException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::InvalidClientException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::InvalidRequestException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::InvalidScopeException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::UnauthorizedClientException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::UnsupportedGrantTypeException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::AuthorizationPendingException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::ExpiredTokenException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::InternalServerException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::InvalidRequestRegionException(x) => x.error_description.clone(),
        CreateTokenWithIAMError::SlowDownException(x) => x.error_description.clone(),
        _ => None,
    }
}

impl AwsProvider {
    /// The account id of the credentials (STS GetCallerIdentity): the account that will call
    /// CreateTokenWithIAM.
    pub async fn caller_account(&self) -> Result<String, ProviderError> {
        self.account_id().await
    }

    /// The pool's SAML signing certificate (GetSigningCertificate): base64 DER.
    pub async fn pool_signing_certificate(&self, pool_id: &str) -> Result<String, ProviderError> {
        const OP: &str = "cognito-idp:GetSigningCertificate";
        let out = self
            .call(OP, || {
                self.cip
                    .get_signing_certificate()
                    .user_pool_id(pool_id)
                    .send()
            })
            .await?;
        out.certificate()
            .map(str::to_string)
            .ok_or_else(|| crate::error::invalid(OP, "no certificate in the answer"))
    }

    /// A user's ID token by the admin flow (`AdminInitiateAuth`, `ADMIN_USER_PASSWORD_AUTH`; the
    /// client must allow `ALLOW_ADMIN_USER_PASSWORD_AUTH`).
    pub async fn admin_id_token(
        &self,
        pool_id: &str,
        client_id: &str,
        user: &str,
        password: &Token,
    ) -> Result<Token, ProviderError> {
        const OP: &str = "cognito-idp:AdminInitiateAuth";
        let out = self
            .call(OP, || {
                self.cip
                    .admin_initiate_auth()
                    .user_pool_id(pool_id)
                    .client_id(client_id)
                    .auth_flow(
                        aws_sdk_cognitoidentityprovider::types::AuthFlowType::AdminUserPasswordAuth,
                    )
                    .auth_parameters("USERNAME", user)
                    .auth_parameters("PASSWORD", password.expose())
                    .send()
            })
            .await?;
        if let Some(challenge) = out.challenge_name() {
            return Err(ProviderError::new(
                ErrorClass::Validation,
                OP,
                "Challenge",
                format!(
                    "Cognito asks for the {} challenge: the test user needs a permanent password and no MFA",
                    challenge.as_str()
                ),
            ));
        }
        out.authentication_result()
            .and_then(|r| r.id_token())
            .map(Token::new)
            .ok_or_else(|| crate::error::invalid(OP, "no ID token in the answer"))
    }

    /// CreateTokenWithIAM with the JWT bearer grant: the application's ARN as client id, the
    /// Cognito ID token as assertion, signed with the caller's IAM credentials.
    pub async fn create_token_with_iam(
        &self,
        application_arn: &str,
        assertion: &Token,
    ) -> Result<Exchanged, ProviderError> {
        const OP: &str = "sso-oauth:CreateTokenWithIAM";
        let said: Mutex<Option<String>> = Mutex::new(None);
        let result = self
            .call(OP, || async {
                self.oidc
                    .create_token_with_iam()
                    .client_id(application_arn)
                    .grant_type(JWT_BEARER)
                    .assertion(assertion.expose())
                    .send()
                    .await
                    .inspect_err(|e| {
                        if let Some(d) = e.as_service_error().and_then(description) {
                            *said.lock().expect("lock") = Some(d);
                        }
                    })
            })
            .await;
        let out = match result {
            Ok(out) => out,
            Err(mut e) => {
                if e.message.is_empty()
                    && let Some(d) = said.lock().expect("lock").take()
                {
                    e.message = d;
                }
                return Err(e);
            }
        };
        let context = out
            .aws_additional_details()
            .and_then(|d| d.identity_context())
            .map(str::to_string)
            .or_else(|| out.id_token().and_then(identity_context_claim))
            .map(Token::new);
        Ok(Exchanged {
            scopes: out.scope().to_vec(),
            identity_context: context,
            expires_in: out.expires_in(),
            access_token: out.access_token().is_some_and(|t| !t.is_empty()),
        })
    }

    /// AssumeRole with the identity context as a provided context: an identity-enhanced session.
    pub async fn assume_role_with_context(
        &self,
        role_arn: &str,
        context: &Token,
    ) -> Result<AssumedRole, ProviderError> {
        const OP: &str = "sts:AssumeRole";
        let provided = aws_sdk_sts::types::ProvidedContext::builder()
            .provider_arn(IDENTITY_CENTER_CONTEXT_PROVIDER)
            .context_assertion(context.expose())
            .build();
        let out = self
            .call(OP, || {
                self.sts
                    .assume_role()
                    .role_arn(role_arn)
                    .role_session_name("idplane-verify")
                    .provided_contexts(provided.clone())
                    .send()
            })
            .await?;
        Ok(AssumedRole {
            arn: out
                .assumed_role_user()
                .map(|u| u.arn().to_string())
                .unwrap_or_default(),
            expiration: out.credentials().map(|c| c.expiration().to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_show_their_text() {
        let t = Token::new("eyJ-canary-7d1e");
        assert!(!format!("{t:?}").contains("canary"));
        assert!(!format!("{t}").contains("canary"));
        let e = Exchanged {
            scopes: vec![],
            identity_context: Some(Token::new("ctx-canary-7d1e")),
            expires_in: 1,
            access_token: true,
        };
        assert!(!format!("{e:?}").contains("canary"));
    }

    #[test]
    fn the_identity_context_claim_is_read_from_the_id_token() {
        use base64::Engine as _;
        let enc = |v: serde_json::Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
        };
        let jwt = format!(
            "{}.{}.",
            enc(serde_json::json!({"alg": "none"})),
            enc(serde_json::json!({"sts:identity_context": "ctx"}))
        );
        assert_eq!(identity_context_claim(&jwt).as_deref(), Some("ctx"));
        assert_eq!(identity_context_claim("not-a-jwt"), None);
    }
}
