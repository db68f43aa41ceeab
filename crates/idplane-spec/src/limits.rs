//! AWS's own limits on the values a spec sends (string lengths, list and map sizes, patterns),
//! as one table taken from the botocore service models, and the check that applies it.
//!
//! Each [`Limit`] ties a place in the spec to the botocore shape of the request member it becomes.
//! The test `limits_match_the_botocore_models` (in `tests/limits.rs`) reads the models of the
//! emulator's venv and fails when a row's member, shape or constraints differ from them, so the
//! table cannot drift from the API reference.
//!
//! Patterns are the models' Java regular expressions, full-match. They compile as they are with the
//! `regex` crate except for Java's ASCII-only `\w`, `\s`, `\S` and `\d`, which [`rust_pattern`]
//! rewrites to the ASCII classes `[:word:]`, `[:space:]` and `[0-9]` (the `regex` crate's are
//! Unicode). Java's `.` also stops at `\r`, `\u{85}`, `\u{2028}` and `\u{2029}`, the crate's only at
//! `\n` (used only in `SmsInviteMessageType` / `SmsVerificationMessageType`, made lenient there).
//! Lengths count UTF-16 code units, as Java does.

use crate::yaml::{Node, NodeValue, Pos};
use crate::{Issue, codes};
use regex::Regex;
use std::sync::OnceLock;

/// What a missing value defaults to (the lowering fills names from the logical name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// Nothing is sent.
    None,
    /// The logical name (the map key above) is sent.
    Key,
    /// The logical name, except for an application given by `arn` alone (nothing is sent).
    KeyUnlessReferenced,
}

/// One field of the spec and the constraints AWS puts on the request member it becomes.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Where in the spec: dotted keys; `*` = every value of a map, `{}` = every key of a map,
    /// `[]` after a key = every item of that list.
    pub path: &'static str,
    /// botocore service name (`cognito-idp`, `cognito-identity`, `sso-admin`, `identitystore`).
    pub service: &'static str,
    /// Request member: `Operation.Member...`, `[]` = list member, `{}` = map key, `{v}` = map value.
    pub member: &'static str,
    /// The botocore shape of that member.
    pub shape: &'static str,
    /// A list or map: `min` / `max` bound its number of entries; else a string's length.
    pub count: bool,
    pub min: Option<u64>,
    pub max: Option<u64>,
    /// The shape's pattern, as in the model (full match).
    pub pattern: Option<&'static str>,
    pub default: Fallback,
    /// The diagnostic code (the field's own rule when it has one, else `E059`).
    pub code: &'static str,
}

/// The limits of every spec field that reaches AWS as a constrained string, list or map.
pub const LIMITS: &[Limit] = &[
    Limit {
        path: "user_pools.*.name",
        service: "cognito-idp",
        member: "CreateUserPool.PoolName",
        shape: "UserPoolNameType",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: Some("[\\w\\s+=,.@-]+"),
        default: Fallback::Key,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.schema",
        service: "cognito-idp",
        member: "CreateUserPool.Schema",
        shape: "SchemaAttributesListType",
        count: true,
        min: Some(1),
        max: Some(50),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.invite_message.email_subject",
        service: "cognito-idp",
        member: "CreateUserPool.AdminCreateUserConfig.InviteMessageTemplate.EmailSubject",
        shape: "EmailVerificationSubjectType",
        count: false,
        min: Some(1),
        max: Some(140),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.invite_message.email_message",
        service: "cognito-idp",
        member: "CreateUserPool.AdminCreateUserConfig.InviteMessageTemplate.EmailMessage",
        shape: "EmailInviteMessageType",
        count: false,
        min: Some(6),
        max: Some(20000),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.invite_message.sms_message",
        service: "cognito-idp",
        member: "CreateUserPool.AdminCreateUserConfig.InviteMessageTemplate.SMSMessage",
        shape: "SmsInviteMessageType",
        count: false,
        min: Some(6),
        max: Some(140),
        pattern: Some("(?s).*"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.verification_message.email_subject",
        service: "cognito-idp",
        member: "CreateUserPool.VerificationMessageTemplate.EmailSubject",
        shape: "EmailVerificationSubjectType",
        count: false,
        min: Some(1),
        max: Some(140),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.verification_message.email_message",
        service: "cognito-idp",
        member: "CreateUserPool.VerificationMessageTemplate.EmailMessage",
        shape: "EmailVerificationMessageType",
        count: false,
        min: Some(6),
        max: Some(20000),
        pattern: Some(
            "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*",
        ),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.verification_message.email_subject_by_link",
        service: "cognito-idp",
        member: "CreateUserPool.VerificationMessageTemplate.EmailSubjectByLink",
        shape: "EmailVerificationSubjectByLinkType",
        count: false,
        min: Some(1),
        max: Some(140),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.verification_message.email_message_by_link",
        service: "cognito-idp",
        member: "CreateUserPool.VerificationMessageTemplate.EmailMessageByLink",
        shape: "EmailVerificationMessageByLinkType",
        count: false,
        min: Some(6),
        max: Some(20000),
        pattern: Some(
            "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{##[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*##\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*",
        ),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.verification_message.sms_message",
        service: "cognito-idp",
        member: "CreateUserPool.VerificationMessageTemplate.SmsMessage",
        shape: "SmsVerificationMessageType",
        count: false,
        min: Some(6),
        max: Some(140),
        pattern: Some(".*\\{####\\}.*"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.email.source_arn",
        service: "cognito-idp",
        member: "CreateUserPool.EmailConfiguration.SourceArn",
        shape: "ArnType",
        count: false,
        min: Some(20),
        max: Some(2048),
        pattern: Some(
            "arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?",
        ),
        default: Fallback::None,
        code: codes::BAD_ARN,
    },
    Limit {
        path: "user_pools.*.email.reply_to",
        service: "cognito-idp",
        member: "CreateUserPool.EmailConfiguration.ReplyToEmailAddress",
        shape: "EmailAddressType",
        count: false,
        min: None,
        max: None,
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+@[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.email.configuration_set",
        service: "cognito-idp",
        member: "CreateUserPool.EmailConfiguration.ConfigurationSet",
        shape: "SESConfigurationSet",
        count: false,
        min: Some(1),
        max: Some(64),
        pattern: Some("^[a-zA-Z0-9_-]+$"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.sms.sns_caller_arn",
        service: "cognito-idp",
        member: "CreateUserPool.SmsConfiguration.SnsCallerArn",
        shape: "OptionalArnType",
        count: false,
        min: Some(0),
        max: Some(2048),
        pattern: Some(
            "(arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?)?",
        ),
        default: Fallback::None,
        code: codes::BAD_ARN,
    },
    Limit {
        path: "user_pools.*.lambda_triggers.*",
        service: "cognito-idp",
        member: "CreateUserPool.LambdaConfig.PreSignUp",
        shape: "ArnType",
        count: false,
        min: Some(20),
        max: Some(2048),
        pattern: Some(
            "arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?",
        ),
        default: Fallback::None,
        code: codes::BAD_ARN,
    },
    Limit {
        path: "user_pools.*.tags.{}",
        service: "cognito-idp",
        member: "CreateUserPool.UserPoolTags{}",
        shape: "TagKeysType",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.tags.*",
        service: "cognito-idp",
        member: "CreateUserPool.UserPoolTags{v}",
        shape: "TagValueType",
        count: false,
        min: Some(0),
        max: Some(256),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.domain.prefix",
        service: "cognito-idp",
        member: "CreateUserPoolDomain.Domain",
        shape: "DomainType",
        count: false,
        min: Some(1),
        max: Some(63),
        pattern: Some("^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$"),
        default: Fallback::None,
        code: codes::DOMAIN,
    },
    Limit {
        path: "user_pools.*.identity_providers.{}",
        service: "cognito-idp",
        member: "CreateIdentityProvider.ProviderName",
        shape: "ProviderNameTypeV2",
        count: false,
        min: Some(1),
        max: Some(32),
        pattern: Some("[^_\\p{Z}][\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}][^_\\p{Z}]+"),
        default: Fallback::None,
        code: codes::IDP_NAME,
    },
    Limit {
        path: "user_pools.*.identity_providers.*.attribute_mapping.{}",
        service: "cognito-idp",
        member: "CreateIdentityProvider.AttributeMapping{}",
        shape: "AttributeMappingKeyType",
        count: false,
        min: Some(1),
        max: Some(32),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.identity_providers.*.identifiers",
        service: "cognito-idp",
        member: "CreateIdentityProvider.IdpIdentifiers",
        shape: "IdpIdentifiersListType",
        count: true,
        min: Some(0),
        max: Some(50),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.identity_providers.*.identifiers[]",
        service: "cognito-idp",
        member: "CreateIdentityProvider.IdpIdentifiers[]",
        shape: "IdpIdentifierType",
        count: false,
        min: Some(1),
        max: Some(40),
        pattern: Some("[\\w\\s+=.@-]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.resource_servers.*.identifier",
        service: "cognito-idp",
        member: "CreateResourceServer.Identifier",
        shape: "ResourceServerIdentifierType",
        count: false,
        min: Some(1),
        max: Some(256),
        pattern: Some("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.resource_servers.*.name",
        service: "cognito-idp",
        member: "CreateResourceServer.Name",
        shape: "ResourceServerNameType",
        count: false,
        min: Some(1),
        max: Some(256),
        pattern: Some("[\\w\\s+=,.@-]+"),
        default: Fallback::Key,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.resource_servers.*.scopes",
        service: "cognito-idp",
        member: "CreateResourceServer.Scopes",
        shape: "ResourceServerScopeListType",
        count: true,
        min: None,
        max: Some(100),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.resource_servers.*.scopes.{}",
        service: "cognito-idp",
        member: "CreateResourceServer.Scopes[].ScopeName",
        shape: "ResourceServerScopeNameType",
        count: false,
        min: Some(1),
        max: Some(256),
        pattern: Some("[\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.resource_servers.*.scopes.*",
        service: "cognito-idp",
        member: "CreateResourceServer.Scopes[].ScopeDescription",
        shape: "ResourceServerScopeDescriptionType",
        count: false,
        min: Some(1),
        max: Some(256),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.groups.{}",
        service: "cognito-idp",
        member: "CreateGroup.GroupName",
        shape: "GroupNameType",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.groups.*.description",
        service: "cognito-idp",
        member: "CreateGroup.Description",
        shape: "DescriptionType",
        count: false,
        min: None,
        max: Some(2048),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.groups.*.role_arn",
        service: "cognito-idp",
        member: "CreateGroup.RoleArn",
        shape: "ArnType",
        count: false,
        min: Some(20),
        max: Some(2048),
        pattern: Some(
            "arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?",
        ),
        default: Fallback::None,
        code: codes::BAD_ARN,
    },
    Limit {
        path: "user_pools.*.clients.*.name",
        service: "cognito-idp",
        member: "CreateUserPoolClient.ClientName",
        shape: "ClientNameType",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: Some("[\\w\\s+=,.@-]+"),
        default: Fallback::Key,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.clients.*.oauth.scopes",
        service: "cognito-idp",
        member: "CreateUserPoolClient.AllowedOAuthScopes",
        shape: "ScopeListType",
        count: true,
        min: None,
        max: Some(50),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.clients.*.oauth.scopes[]",
        service: "cognito-idp",
        member: "CreateUserPoolClient.AllowedOAuthScopes[]",
        shape: "ScopeType",
        count: false,
        min: Some(1),
        max: Some(256),
        pattern: Some("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.clients.*.oauth.callback_urls",
        service: "cognito-idp",
        member: "CreateUserPoolClient.CallbackURLs",
        shape: "CallbackURLsListType",
        count: true,
        min: Some(0),
        max: Some(100),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.clients.*.oauth.callback_urls[]",
        service: "cognito-idp",
        member: "CreateUserPoolClient.CallbackURLs[]",
        shape: "RedirectUrlType",
        count: false,
        min: Some(1),
        max: Some(1024),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.clients.*.oauth.logout_urls",
        service: "cognito-idp",
        member: "CreateUserPoolClient.LogoutURLs",
        shape: "LogoutURLsListType",
        count: true,
        min: Some(0),
        max: Some(100),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.clients.*.oauth.logout_urls[]",
        service: "cognito-idp",
        member: "CreateUserPoolClient.LogoutURLs[]",
        shape: "RedirectUrlType",
        count: false,
        min: Some(1),
        max: Some(1024),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "user_pools.*.clients.*.oauth.default_redirect_uri",
        service: "cognito-idp",
        member: "CreateUserPoolClient.DefaultRedirectURI",
        shape: "RedirectUrlType",
        count: false,
        min: Some(1),
        max: Some(1024),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_pools.*.name",
        service: "cognito-identity",
        member: "CreateIdentityPool.IdentityPoolName",
        shape: "IdentityPoolName",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: Some("[\\w\\s+=,.@-]+"),
        default: Fallback::Key,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_pools.*.developer_provider_name",
        service: "cognito-identity",
        member: "CreateIdentityPool.DeveloperProviderName",
        shape: "DeveloperProviderName",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: Some("[\\w._-]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_pools.*.cognito_providers[].provider_name",
        service: "cognito-identity",
        member: "CreateIdentityPool.CognitoIdentityProviders[].ProviderName",
        shape: "CognitoIdentityProviderName",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: Some("[\\w._:/-]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_pools.*.openid_connect_provider_arns[]",
        service: "cognito-identity",
        member: "CreateIdentityPool.OpenIdConnectProviderARNs[]",
        shape: "ARNString",
        count: false,
        min: Some(20),
        max: Some(2048),
        pattern: None,
        default: Fallback::None,
        code: codes::BAD_ARN,
    },
    Limit {
        path: "identity_pools.*.saml_provider_arns[]",
        service: "cognito-identity",
        member: "CreateIdentityPool.SamlProviderARNs[]",
        shape: "ARNString",
        count: false,
        min: Some(20),
        max: Some(2048),
        pattern: None,
        default: Fallback::None,
        code: codes::BAD_ARN,
    },
    Limit {
        path: "identity_pools.*.supported_login_providers",
        service: "cognito-identity",
        member: "CreateIdentityPool.SupportedLoginProviders",
        shape: "IdentityProviders",
        count: true,
        min: None,
        max: Some(10),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_pools.*.supported_login_providers.{}",
        service: "cognito-identity",
        member: "CreateIdentityPool.SupportedLoginProviders{}",
        shape: "IdentityProviderName",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_pools.*.supported_login_providers.*",
        service: "cognito-identity",
        member: "CreateIdentityPool.SupportedLoginProviders{v}",
        shape: "IdentityProviderId",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: Some("[\\w.;_/-]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_pools.*.roles.*",
        service: "cognito-identity",
        member: "SetIdentityPoolRoles.Roles{v}",
        shape: "ARNString",
        count: false,
        min: Some(20),
        max: Some(2048),
        pattern: None,
        default: Fallback::None,
        code: codes::BAD_ARN,
    },
    Limit {
        path: "identity_pools.*.role_mappings",
        service: "cognito-identity",
        member: "SetIdentityPoolRoles.RoleMappings",
        shape: "RoleMappingMap",
        count: true,
        min: None,
        max: Some(10),
        pattern: None,
        default: Fallback::None,
        code: codes::ROLE_MAPPING,
    },
    Limit {
        path: "identity_pools.*.role_mappings.{}",
        service: "cognito-identity",
        member: "SetIdentityPoolRoles.RoleMappings{}",
        shape: "IdentityProviderName",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: None,
        default: Fallback::None,
        code: codes::ROLE_MAPPING,
    },
    Limit {
        path: "identity_pools.*.role_mappings.*.rules",
        service: "cognito-identity",
        member: "SetIdentityPoolRoles.RoleMappings{v}.RulesConfiguration.Rules",
        shape: "MappingRulesList",
        count: true,
        min: Some(1),
        max: Some(400),
        pattern: None,
        default: Fallback::None,
        code: codes::ROLE_MAPPING,
    },
    Limit {
        path: "identity_pools.*.role_mappings.*.rules[].claim",
        service: "cognito-identity",
        member: "SetIdentityPoolRoles.RoleMappings{v}.RulesConfiguration.Rules[].Claim",
        shape: "ClaimName",
        count: false,
        min: Some(1),
        max: Some(64),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"),
        default: Fallback::None,
        code: codes::ROLE_MAPPING,
    },
    Limit {
        path: "identity_pools.*.role_mappings.*.rules[].value",
        service: "cognito-identity",
        member: "SetIdentityPoolRoles.RoleMappings{v}.RulesConfiguration.Rules[].Value",
        shape: "ClaimValue",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: None,
        default: Fallback::None,
        code: codes::ROLE_MAPPING,
    },
    Limit {
        path: "identity_pools.*.role_mappings.*.rules[].role_arn",
        service: "cognito-identity",
        member: "SetIdentityPoolRoles.RoleMappings{v}.RulesConfiguration.Rules[].RoleARN",
        shape: "ARNString",
        count: false,
        min: Some(20),
        max: Some(2048),
        pattern: None,
        default: Fallback::None,
        code: codes::BAD_ARN,
    },
    Limit {
        path: "identity_pools.*.tags.{}",
        service: "cognito-identity",
        member: "CreateIdentityPool.IdentityPoolTags{}",
        shape: "TagKeysType",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_pools.*.tags.*",
        service: "cognito-identity",
        member: "CreateIdentityPool.IdentityPoolTags{v}",
        shape: "TagValueType",
        count: false,
        min: Some(0),
        max: Some(256),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.trusted_token_issuers.*.name",
        service: "sso-admin",
        member: "CreateTrustedTokenIssuer.Name",
        shape: "TrustedTokenIssuerName",
        count: false,
        min: Some(1),
        max: Some(255),
        pattern: Some("[\\w+=,.@-]+"),
        default: Fallback::Key,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.trusted_token_issuers.*.oidc_jwt.issuer_url",
        service: "sso-admin",
        member: "CreateTrustedTokenIssuer.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl",
        shape: "TrustedTokenIssuerUrl",
        count: false,
        min: Some(1),
        max: Some(512),
        pattern: Some("https?:\\/\\/[-a-zA-Z0-9+&@\\/%=~_|!:,.;]*[-a-zA-Z0-9+&@\\/%=~_|]"),
        default: Fallback::None,
        code: codes::TTI_ISSUER,
    },
    Limit {
        path: "identity_center.trusted_token_issuers.*.oidc_jwt.claim_attribute_path",
        service: "sso-admin",
        member: "CreateTrustedTokenIssuer.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.ClaimAttributePath",
        shape: "ClaimAttributePath",
        count: false,
        min: Some(1),
        max: Some(255),
        pattern: Some("\\p{L}+(?:(\\.|\\_)\\p{L}+){0,2}"),
        default: Fallback::None,
        code: codes::TTI_CLAIM_PATH,
    },
    Limit {
        path: "identity_center.trusted_token_issuers.*.oidc_jwt.identity_store_attribute_path",
        service: "sso-admin",
        member: "CreateTrustedTokenIssuer.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IdentityStoreAttributePath",
        shape: "JMESPath",
        count: false,
        min: Some(1),
        max: Some(255),
        pattern: Some("\\p{L}+(?:\\.\\p{L}+){0,2}"),
        default: Fallback::None,
        code: codes::TTI_STORE_PATH,
    },
    Limit {
        path: "identity_center.trusted_token_issuers.*.tags",
        service: "sso-admin",
        member: "CreateTrustedTokenIssuer.Tags",
        shape: "TagList",
        count: true,
        min: Some(0),
        max: Some(75),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.trusted_token_issuers.*.tags.{}",
        service: "sso-admin",
        member: "CreateTrustedTokenIssuer.Tags[].Key",
        shape: "TagKey",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: Some("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.trusted_token_issuers.*.tags.*",
        service: "sso-admin",
        member: "CreateTrustedTokenIssuer.Tags[].Value",
        shape: "TagValue",
        count: false,
        min: Some(0),
        max: Some(256),
        pattern: Some("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.name",
        service: "sso-admin",
        member: "CreateApplication.Name",
        shape: "ApplicationNameType",
        count: false,
        min: Some(1),
        max: Some(100),
        pattern: Some("[\\S\\s]*"),
        default: Fallback::KeyUnlessReferenced,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.description",
        service: "sso-admin",
        member: "CreateApplication.Description",
        shape: "Description",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.portal.application_url",
        service: "sso-admin",
        member: "CreateApplication.PortalOptions.SignInOptions.ApplicationUrl",
        shape: "ApplicationUrl",
        count: false,
        min: Some(1),
        max: Some(512),
        pattern: Some("http(s)?:\\/\\/[-a-zA-Z0-9+&@#\\/%?=~_|!:,.;]*[-a-zA-Z0-9+&bb@#\\/%?=~_|]"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.tags",
        service: "sso-admin",
        member: "CreateApplication.Tags",
        shape: "TagList",
        count: true,
        min: Some(0),
        max: Some(75),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.tags.{}",
        service: "sso-admin",
        member: "CreateApplication.Tags[].Key",
        shape: "TagKey",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: Some("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.tags.*",
        service: "sso-admin",
        member: "CreateApplication.Tags[].Value",
        shape: "TagValue",
        count: false,
        min: Some(0),
        max: Some(256),
        pattern: Some("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.grants.authorization_code.redirect_uris",
        service: "sso-admin",
        member: "PutApplicationGrant.Grant.AuthorizationCode.RedirectUris",
        shape: "RedirectUris",
        count: true,
        min: Some(1),
        max: Some(10),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.grants.jwt_bearer",
        service: "sso-admin",
        member: "PutApplicationGrant.Grant.JwtBearer.AuthorizedTokenIssuers",
        shape: "AuthorizedTokenIssuers",
        count: true,
        min: Some(1),
        max: Some(10),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.grants.jwt_bearer[].audiences",
        service: "sso-admin",
        member: "PutApplicationGrant.Grant.JwtBearer.AuthorizedTokenIssuers[].AuthorizedAudiences",
        shape: "TokenIssuerAudiences",
        count: true,
        min: Some(1),
        max: Some(10),
        pattern: None,
        default: Fallback::None,
        code: codes::AUDIENCE_NOT_CLIENT,
    },
    Limit {
        path: "identity_center.applications.*.grants.jwt_bearer[].audiences[]",
        service: "sso-admin",
        member: "PutApplicationGrant.Grant.JwtBearer.AuthorizedTokenIssuers[].AuthorizedAudiences[]",
        shape: "TokenIssuerAudience",
        count: false,
        min: Some(1),
        max: Some(512),
        pattern: None,
        default: Fallback::None,
        code: codes::AUDIENCE_NOT_CLIENT,
    },
    Limit {
        path: "identity_center.applications.*.access_scopes[]",
        service: "sso-admin",
        member: "PutApplicationAccessScope.Scope",
        shape: "Scope",
        count: false,
        min: None,
        max: None,
        pattern: Some("([A-Za-z0-9_]{1,50})(:[A-Za-z0-9_]{1,50}){0,1}(:[A-Za-z0-9_]{1,50}){0,1}"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.access_scopes[].scope",
        service: "sso-admin",
        member: "PutApplicationAccessScope.Scope",
        shape: "Scope",
        count: false,
        min: None,
        max: None,
        pattern: Some("([A-Za-z0-9_]{1,50})(:[A-Za-z0-9_]{1,50}){0,1}(:[A-Za-z0-9_]{1,50}){0,1}"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.access_scopes[].authorized_targets",
        service: "sso-admin",
        member: "PutApplicationAccessScope.AuthorizedTargets",
        shape: "ScopeTargets",
        count: true,
        min: Some(1),
        max: Some(10),
        pattern: None,
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_center.applications.*.access_scopes[].authorized_targets[]",
        service: "sso-admin",
        member: "PutApplicationAccessScope.AuthorizedTargets[]",
        shape: "ScopeTarget",
        count: false,
        min: Some(1),
        max: Some(100),
        pattern: Some(
            "arn:aws(-[a-z]{1,5}){0,3}:sso::(\\d{12}:application/(sso)?ins-[a-zA-Z0-9-.]{16}/apl-[a-zA-Z0-9]{16}|:instance/(sso)?ins-[a-zA-Z0-9-.]{16})",
        ),
        default: Fallback::None,
        code: codes::BAD_ARN,
    },
    Limit {
        path: "identity_store.users.*.user_name",
        service: "identitystore",
        member: "CreateUser.UserName",
        shape: "UserName",
        count: false,
        min: Some(1),
        max: Some(128),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"),
        default: Fallback::Key,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_store.users.*.display_name",
        service: "identitystore",
        member: "CreateUser.DisplayName",
        shape: "SensitiveStringType",
        count: false,
        min: Some(1),
        max: Some(1024),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u{a0}\u{3000}]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_store.users.*.given_name",
        service: "identitystore",
        member: "CreateUser.Name.GivenName",
        shape: "SensitiveStringType",
        count: false,
        min: Some(1),
        max: Some(1024),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u{a0}\u{3000}]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_store.users.*.family_name",
        service: "identitystore",
        member: "CreateUser.Name.FamilyName",
        shape: "SensitiveStringType",
        count: false,
        min: Some(1),
        max: Some(1024),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u{a0}\u{3000}]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_store.users.*.email",
        service: "identitystore",
        member: "CreateUser.Emails[].Value",
        shape: "SensitiveStringType",
        count: false,
        min: Some(1),
        max: Some(1024),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u{a0}\u{3000}]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_store.groups.*.display_name",
        service: "identitystore",
        member: "CreateGroup.DisplayName",
        shape: "GroupDisplayName",
        count: false,
        min: Some(1),
        max: Some(1024),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u{a0}\u{3000}]+"),
        default: Fallback::Key,
        code: codes::LIMIT,
    },
    Limit {
        path: "identity_store.groups.*.description",
        service: "identitystore",
        member: "CreateGroup.Description",
        shape: "SensitiveStringType",
        count: false,
        min: Some(1),
        max: Some(1024),
        pattern: Some("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u{a0}\u{3000}]+"),
        default: Fallback::None,
        code: codes::LIMIT,
    },
];

/// A Java (botocore) pattern rewritten for the `regex` crate, anchored for a full match.
pub fn rust_pattern(java: &str) -> String {
    let mut out = String::from("^(?:");
    let mut depth = 0usize;
    let mut chars = java.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let class = match n {
                    'w' => Some("[:word:]"),
                    's' => Some("[:space:]"),
                    'd' => Some("0-9"),
                    'S' => Some("[^[:space:]]"),
                    _ => None,
                };
                match class {
                    // `\S` is a nested class in both places.
                    Some(cl) if n == 'S' => out.push_str(cl),
                    Some(cl) if depth > 0 => out.push_str(cl),
                    Some(cl) => {
                        out.push('[');
                        out.push_str(cl);
                        out.push(']');
                    }
                    None => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' => {
                depth += 1;
                out.push(c);
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push_str(")$");
    out
}

fn compiled() -> &'static Vec<Option<Regex>> {
    static RE: OnceLock<Vec<Option<Regex>>> = OnceLock::new();
    RE.get_or_init(|| {
        LIMITS
            .iter()
            .map(|l| {
                l.pattern.map(|p| {
                    Regex::new(&rust_pattern(p)).unwrap_or_else(|e| {
                        panic!("pattern of {} ({}) does not compile: {e}", l.shape, p)
                    })
                })
            })
            .collect()
    })
}

/// Whether `text` matches the pattern of `LIMITS[index]` (true without a pattern).
pub fn matches(index: usize, text: &str) -> bool {
    compiled()[index]
        .as_ref()
        .is_none_or(|re| re.is_match(text))
}

/// What a shape's pattern allows, in words, for the hint.
fn allowed(shape: &str) -> &'static str {
    match shape {
        "UserPoolNameType" | "ClientNameType" | "ResourceServerNameType" | "IdentityPoolName" => {
            "ASCII letters, digits, `_`, spaces and `+ = , . @ -`"
        }
        "TrustedTokenIssuerName" => "ASCII letters, digits and `_ + = , . @ -`, no spaces",
        "IdpIdentifierType" => "ASCII letters, digits, `_`, spaces and `+ = . @ -`",
        "DeveloperProviderName" => "ASCII letters, digits and `_ . -`",
        "CognitoIdentityProviderName" => "ASCII letters, digits and `_ . : / -`",
        "IdentityProviderId" => "ASCII letters, digits and `_ . ; / -`",
        "RedirectUrlType" | "GroupNameType" | "ClaimName" | "UserName" => {
            "letters, marks, symbols, digits and punctuation, no spaces"
        }
        "SensitiveStringType" | "GroupDisplayName" => {
            "letters, marks, symbols, digits, punctuation and spaces"
        }
        "ScopeType" | "ResourceServerIdentifierType" => {
            "printable ASCII without spaces, `\"` or `\\`"
        }
        "ResourceServerScopeNameType" => "printable ASCII without spaces, `\"`, `/` or `\\`",
        "ProviderNameTypeV2" => {
            "at least 3 characters; no spaces, and `_` only as the second character"
        }
        "ArnType" | "OptionalArnType" => "an ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`",
        "ScopeTarget" => "an Identity Center application or instance ARN",
        "DomainType" => "lowercase letters, digits and inner hyphens",
        "SESConfigurationSet" => "ASCII letters, digits, `_` and `-`",
        "EmailAddressType" => "an email address",
        "EmailVerificationSubjectType" | "EmailVerificationSubjectByLinkType" => {
            "letters, marks, symbols, digits, punctuation and spaces"
        }
        "EmailInviteMessageType" => "letters, marks, symbols, digits, punctuation and spaces",
        "EmailVerificationMessageType" | "SmsVerificationMessageType" => {
            "text containing the code placeholder `{####}`"
        }
        "EmailVerificationMessageByLinkType" => {
            "text containing the link placeholder `{##Click here##}`"
        }
        "ClaimAttributePath" => {
            "a claim name of letters only, or up to three such words joined by `.` or `_` (e.g. `email`, `sub`); no `:`, digits or `-`"
        }
        "JMESPath" => "up to three words of letters joined by `.` (e.g. `emails.value`)",
        "TrustedTokenIssuerUrl" | "ApplicationUrl" => "an http(s) URL",
        "TagKey" | "TagValue" => "letters, spaces, digits and `_ . : / = + - @`",
        "Scope" => "one to three parts of ASCII letters, digits and `_` joined by `:`",
        _ => "the characters the AWS API reference allows",
    }
}

/// A value the check looks at, with the concrete path shown in the message.
enum Found<'n> {
    Node(&'n Node, String),
    /// A map key sent as a name: under a `{}` of the table (`defaulted` false), or the logical
    /// name a missing `name` defaults to (`defaulted` true, the path is the missing key's).
    Key(&'n str, Pos, String, bool),
}

fn tokens(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in path.split('.') {
        match part.strip_suffix("[]") {
            Some(name) => {
                out.push(name);
                out.push("[]");
            }
            None => out.push(part),
        }
    }
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        format!("{path}.{key}")
    } else {
        format!("{path}[\"{key}\"]")
    }
}

fn walk<'n>(
    node: &'n Node,
    toks: &[&str],
    here: String,
    key: Option<(&'n str, Pos)>,
    default: Fallback,
    out: &mut Vec<Found<'n>>,
) {
    let Some((first, rest)) = toks.split_first() else {
        out.push(Found::Node(node, here));
        return;
    };
    match *first {
        "*" => {
            for (k, kp, v) in node.entries() {
                walk(
                    v,
                    rest,
                    join(&here, k),
                    Some((k.as_str(), *kp)),
                    default,
                    out,
                );
            }
        }
        "{}" => {
            for (k, kp, _) in node.entries() {
                out.push(Found::Key(k.as_str(), *kp, here.clone(), false));
            }
        }
        "[]" => {
            for (i, item) in node.items().iter().enumerate() {
                walk(item, rest, format!("{here}[{i}]"), key, default, out);
            }
        }
        name => match node.get(name).filter(|n| !n.is_null()) {
            Some(v) => walk(v, rest, join(&here, name), key, default, out),
            None if rest.is_empty() && matches!(node.value, NodeValue::Map(_)) => {
                let referenced = node.get("arn").is_some() && node.get("name").is_none();
                let applies = match default {
                    Fallback::None => false,
                    Fallback::Key => true,
                    Fallback::KeyUnlessReferenced => !referenced,
                };
                if applies && let Some((k, kp)) = key {
                    out.push(Found::Key(k, kp, join(&here, name), true));
                }
            }
            None => {}
        },
    }
}

fn range(l: &Limit) -> String {
    match (l.min, l.max) {
        (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => "any number of".to_string(),
    }
}

/// Checks every value the table covers; a place already reported with the same code is skipped
/// (the field's own rule said it better).
pub(crate) fn check(root: &Node, issues: &mut Vec<Issue>) {
    let mut found_issues = Vec::new();
    for (index, l) in LIMITS.iter().enumerate() {
        let mut found = Vec::new();
        walk(
            root,
            &tokens(l.path),
            String::new(),
            None,
            l.default,
            &mut found,
        );
        for f in found {
            let (text, pos, what) = match f {
                Found::Key(k, kp, path, true) => (
                    k,
                    kp,
                    format!("`{path}` (the logical name `{k}` by default)"),
                ),
                Found::Key(k, kp, path, false) => (k, kp, format!("the name `{k}` in `{path}`")),
                Found::Node(n, field) => {
                    if l.count {
                        let n_entries = match &n.value {
                            NodeValue::Seq(items) => items.len(),
                            NodeValue::Map(entries) => entries.len(),
                            _ => continue,
                        } as u64;
                        if l.min.is_some_and(|m| n_entries < m)
                            || l.max.is_some_and(|m| n_entries > m)
                        {
                            found_issues.push(Issue::new(
                                l.code,
                                n.pos,
                                format!(
                                    "`{field}` has {n_entries} entries; AWS takes {} (`{}` {})",
                                    range(l),
                                    l.service,
                                    l.shape
                                ),
                                None,
                            ));
                        }
                        continue;
                    }
                    match &n.value {
                        NodeValue::Str(t) => (t.as_str(), n.pos, format!("`{field}`")),
                        _ => continue,
                    }
                }
            };
            if l.count {
                continue;
            }
            // References are checked when they resolve; `$${` is a literal `${`.
            let unescaped = text.replace("$${", "");
            if unescaped.contains("${") {
                continue;
            }
            let text = text.replace("$${", "${");
            let len = text.encode_utf16().count() as u64;
            if l.min.is_some_and(|m| len < m) || l.max.is_some_and(|m| len > m) {
                found_issues.push(Issue::new(
                    l.code,
                    pos,
                    if len == 0 {
                        format!("{what} is empty; AWS takes {} characters", range(l))
                    } else {
                        format!("{what} has {len} characters; AWS takes {}", range(l))
                    },
                    Some(format!(
                        "`{}` `{}` allows {} characters",
                        l.service,
                        l.shape,
                        range(l)
                    )),
                ));
            } else if !matches(index, &text) {
                found_issues.push(Issue::new(
                    l.code,
                    pos,
                    format!(
                        "{what} is not accepted by AWS (`{}` {})",
                        l.service, l.shape
                    ),
                    Some(format!("AWS allows {}", allowed(l.shape))),
                ));
            }
        }
    }
    for i in found_issues {
        if !issues.iter().any(|o| o.pos == i.pos && o.code == i.code) {
            issues.push(i);
        }
    }
}
