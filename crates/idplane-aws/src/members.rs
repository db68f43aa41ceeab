//! What idplane sends for every member of AWS's full-replace update requests, so that no member
//! is reset by being left out.
//!
//! AWS resets every member an `UpdateUserPool`, `UpdateUserPoolClient`, ... request leaves out
//! ("If you don't provide a value for an attribute, Amazon Cognito sets it to its default
//! value"). Each member is therefore either an identifier, managed by the spec (a kind field),
//! or carried over from the live object. A test compares these tables with the botocore service
//! models, so a member AWS adds later fails the build of the tests until someone decides here.

/// How an update request gets one of its members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sent {
    /// Names the object being updated.
    Key,
    /// From the spec: the kind field named here (the live value when the target leaves it out).
    Spec(&'static str),
    /// Copied from the live object as it is (the spec does not manage it).
    Live,
    /// The SDK version idplane builds with has no such member: it cannot be sent, and AWS resets
    /// it on every update. The text says why and what to do.
    NotInSdk(&'static str),
}

/// One full-replace update request: service (botocore's name), input shape, members.
pub struct UpdateRequest {
    pub service: &'static str,
    pub shape: &'static str,
    pub members: &'static [(&'static str, Sent)],
}

use Sent::{Key, Live, NotInSdk, Spec};

const SDK_UPGRADE: &str =
    "newer than aws-sdk-cognitoidentityprovider 1.144; upgrade the SDK and carry it over";

/// Every full-replace update idplane makes, member by member.
pub const FULL_REPLACE_UPDATES: &[UpdateRequest] = &[
    UpdateRequest {
        service: "cognito-idp",
        shape: "UpdateUserPoolRequest",
        members: &[
            ("UserPoolId", Key),
            ("PoolName", Spec("name")),
            ("Policies", Spec("password_policy")), // SignInPolicy: Live (Essentials tier and up)
            ("DeletionProtection", Spec("deletion_protection")),
            ("LambdaConfig", Spec("lambda_config")), // the members without a field: Live
            ("AutoVerifiedAttributes", Spec("auto_verified_attributes")),
            // The legacy texts follow `verification_message_template` (AWS returns both).
            (
                "SmsVerificationMessage",
                Spec("verification_message_template"),
            ),
            (
                "EmailVerificationMessage",
                Spec("verification_message_template"),
            ),
            (
                "EmailVerificationSubject",
                Spec("verification_message_template"),
            ),
            (
                "VerificationMessageTemplate",
                Spec("verification_message_template"),
            ),
            ("SmsAuthenticationMessage", Live),
            ("UserAttributeUpdateSettings", Live),
            ("MfaConfiguration", Spec("mfa_configuration")),
            ("DeviceConfiguration", Live),
            ("EmailConfiguration", Spec("email_configuration")),
            ("SmsConfiguration", Spec("sms_configuration")),
            ("UserPoolTags", Spec("tags")),
            ("AdminCreateUserConfig", Spec("admin_create_user_config")),
            ("UserPoolAddOns", Live),
            ("DcrConfiguration", NotInSdk(SDK_UPGRADE)),
            ("AccountRecoverySetting", Spec("account_recovery")),
            ("UserPoolTier", Live),
            ("KeyConfiguration", Live),
            ("IssuerConfiguration", Spec("issuer_type")),
            ("AcrConfiguration", Live),
        ],
    },
    UpdateRequest {
        service: "cognito-idp",
        shape: "UpdateUserPoolClientRequest",
        members: &[
            ("UserPoolId", Key),
            ("ClientId", Key),
            ("ClientName", Spec("name")),
            ("RefreshTokenValidity", Spec("refresh_token_validity")),
            ("AccessTokenValidity", Spec("access_token_validity")),
            ("IdTokenValidity", Spec("id_token_validity")),
            // Always seconds, for the three validities the spec gives in seconds.
            ("TokenValidityUnits", Spec("access_token_validity")),
            ("ReadAttributes", Spec("read_attributes")),
            ("WriteAttributes", Spec("write_attributes")),
            ("ExplicitAuthFlows", Spec("explicit_auth_flows")),
            (
                "SupportedIdentityProviders",
                Spec("supported_identity_providers"),
            ),
            ("CallbackURLs", Spec("callback_urls")),
            ("LogoutURLs", Spec("logout_urls")),
            ("DefaultRedirectURI", Spec("default_redirect_uri")),
            ("AllowedOAuthFlows", Spec("allowed_oauth_flows")),
            ("AllowedOAuthScopes", Spec("allowed_oauth_scopes")),
            (
                "AllowedOAuthFlowsUserPoolClient",
                Spec("allowed_oauth_flows_user_pool_client"),
            ),
            ("AnalyticsConfiguration", Live),
            (
                "PreventUserExistenceErrors",
                Spec("prevent_user_existence_errors"),
            ),
            ("EnableTokenRevocation", Spec("enable_token_revocation")),
            (
                "EnablePropagateAdditionalUserContextData",
                Spec("enable_propagate_additional_user_context_data"),
            ),
            ("AuthSessionValidity", Spec("auth_session_validity")),
            ("RefreshTokenRotation", Live),
        ],
    },
    UpdateRequest {
        service: "cognito-idp",
        shape: "UpdateIdentityProviderRequest",
        members: &[
            ("UserPoolId", Key),
            ("ProviderName", Key),
            ("ProviderDetails", Spec("provider_details")),
            ("AttributeMapping", Spec("attribute_mapping")),
            ("IdpIdentifiers", Spec("idp_identifiers")),
            ("AcrMapping", Live),
        ],
    },
    UpdateRequest {
        service: "cognito-idp",
        shape: "UpdateResourceServerRequest",
        members: &[
            ("UserPoolId", Key),
            ("Identifier", Key),
            ("Name", Spec("name")),
            ("Scopes", Spec("scopes")),
        ],
    },
    UpdateRequest {
        service: "cognito-idp",
        shape: "UpdateUserPoolDomainRequest",
        members: &[
            ("Domain", Key),
            ("UserPoolId", Key),
            ("ManagedLoginVersion", Spec("managed_login_version")),
            ("CustomDomainConfig", Spec("certificate_arn")),
            ("Routing", Live),
        ],
    },
    UpdateRequest {
        service: "cognito-identity",
        shape: "IdentityPool",
        members: &[
            ("IdentityPoolId", Key),
            ("IdentityPoolName", Spec("name")),
            (
                "AllowUnauthenticatedIdentities",
                Spec("allow_unauthenticated_identities"),
            ),
            ("AllowClassicFlow", Spec("allow_classic_flow")),
            ("SupportedLoginProviders", Spec("supported_login_providers")),
            ("DeveloperProviderName", Spec("developer_provider_name")),
            (
                "OpenIdConnectProviderARNs",
                Spec("openid_connect_provider_arns"),
            ),
            (
                "CognitoIdentityProviders",
                Spec("cognito_identity_providers"),
            ),
            ("SamlProviderARNs", Spec("saml_provider_arns")),
            ("IdentityPoolTags", Spec("tags")),
        ],
    },
];

/// The kind whose update sends `shape`.
pub fn kind_of(shape: &str) -> Option<idplane_model::Kind> {
    use idplane_model::Kind;
    Some(match shape {
        "UpdateUserPoolRequest" => Kind::UserPool,
        "UpdateUserPoolClientRequest" => Kind::UserPoolClient,
        "UpdateIdentityProviderRequest" => Kind::IdentityProvider,
        "UpdateResourceServerRequest" => Kind::ResourceServer,
        "UpdateUserPoolDomainRequest" => Kind::UserPoolDomain,
        "IdentityPool" => Kind::IdentityPool,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_members_name_fields_of_their_kind() {
        for req in FULL_REPLACE_UPDATES {
            let kind = kind_of(req.shape).expect("every shape has a kind");
            for (member, sent) in req.members {
                if let Sent::Spec(field) = sent {
                    assert!(
                        kind.info().field(field).is_some(),
                        "{}.{member}: {kind} has no field {field}",
                        req.shape
                    );
                }
            }
        }
    }
}
