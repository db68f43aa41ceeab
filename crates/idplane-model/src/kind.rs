//! Resource kinds and their field metadata: which fields exist, which force a new resource,
//! which compare as sets, which are secret, and the default AWS applies when one is left out.
//!
//! This table is the contract between the spec (which lowers YAML into these fields), the
//! provider (which maps AWS shapes to and from them) and the planner (which diffs them).
//! Field names are snake_case; nested maps use snake_case keys too, except
//! `identity_provider.provider_details`, whose keys are AWS's own (`MetadataURL`, `client_id`, ...).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Every kind of resource idplane manages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    UserPool,
    UserPoolDomain,
    IdentityProvider,
    ResourceServer,
    UserPoolClient,
    UserPoolGroup,
    IdentityPool,
    TrustedTokenIssuer,
    Application,
    ApplicationGrant,
    ApplicationAccessScope,
    ApplicationAuthenticationMethod,
    ApplicationAssignmentConfiguration,
    ApplicationAssignment,
    IdentityStoreUser,
    IdentityStoreGroup,
    IdentityStoreGroupMembership,
}

/// Metadata of one field of a kind.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    /// Changing it needs a new resource (replace).
    pub immutable: bool,
    /// A list whose order carries no meaning (compare as a set).
    pub set: bool,
    /// Holds a secret somewhere inside (compare by digest, show as `(sensitive)`).
    pub sensitive: bool,
    /// The value AWS uses when the field is left out, as JSON text; `None` = absent is `null`.
    pub default: Option<&'static str>,
    /// One line for docs and `--help`.
    pub doc: &'static str,
}

const fn f(name: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        immutable: false,
        set: false,
        sensitive: false,
        default: None,
        doc,
    }
}

impl Field {
    const fn immutable(mut self) -> Self {
        self.immutable = true;
        self
    }
    const fn set(mut self) -> Self {
        self.set = true;
        self
    }
    const fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    const fn default(mut self, json: &'static str) -> Self {
        self.default = Some(json);
        self
    }

    /// The default as a value (`Null` when there is none).
    pub fn default_value(&self) -> crate::Value {
        match self.default {
            None => crate::Value::Null,
            Some(json) => crate::Value::from_json(
                &serde_json::from_str(json).expect("field defaults are valid JSON"),
            ),
        }
    }
}

/// Metadata of a kind.
#[derive(Clone, Copy, Debug)]
pub struct KindInfo {
    pub kind: Kind,
    /// snake_case name, as in plans and addresses' docs.
    pub name: &'static str,
    /// The kind this one lives under (its live object carries the parent's physical id).
    /// `None` for top-level kinds; Identity Center kinds hang off the instance, Identity Store
    /// kinds off the store, which are not resources.
    pub parent: Option<Kind>,
    /// Whether AWS tags this kind (ownership tags `idplane:stack` / `idplane:address` go there).
    pub taggable: bool,
    /// The field whose value is unique among siblings (the natural key), if any.
    pub natural_key: Option<&'static str>,
    /// Outputs other resources may reference (`${address.output}`).
    pub outputs: &'static [&'static str],
    pub fields: &'static [Field],
    /// One line for docs.
    pub doc: &'static str,
}

impl KindInfo {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::UserPool,
        Kind::UserPoolDomain,
        Kind::IdentityProvider,
        Kind::ResourceServer,
        Kind::UserPoolClient,
        Kind::UserPoolGroup,
        Kind::IdentityPool,
        Kind::TrustedTokenIssuer,
        Kind::Application,
        Kind::ApplicationGrant,
        Kind::ApplicationAccessScope,
        Kind::ApplicationAuthenticationMethod,
        Kind::ApplicationAssignmentConfiguration,
        Kind::ApplicationAssignment,
        Kind::IdentityStoreUser,
        Kind::IdentityStoreGroup,
        Kind::IdentityStoreGroupMembership,
    ];

    pub fn info(self) -> &'static KindInfo {
        match self {
            Kind::UserPool => &USER_POOL,
            Kind::UserPoolDomain => &USER_POOL_DOMAIN,
            Kind::IdentityProvider => &IDENTITY_PROVIDER,
            Kind::ResourceServer => &RESOURCE_SERVER,
            Kind::UserPoolClient => &USER_POOL_CLIENT,
            Kind::UserPoolGroup => &USER_POOL_GROUP,
            Kind::IdentityPool => &IDENTITY_POOL,
            Kind::TrustedTokenIssuer => &TRUSTED_TOKEN_ISSUER,
            Kind::Application => &APPLICATION,
            Kind::ApplicationGrant => &APPLICATION_GRANT,
            Kind::ApplicationAccessScope => &APPLICATION_ACCESS_SCOPE,
            Kind::ApplicationAuthenticationMethod => &APPLICATION_AUTHENTICATION_METHOD,
            Kind::ApplicationAssignmentConfiguration => &APPLICATION_ASSIGNMENT_CONFIGURATION,
            Kind::ApplicationAssignment => &APPLICATION_ASSIGNMENT,
            Kind::IdentityStoreUser => &IDENTITY_STORE_USER,
            Kind::IdentityStoreGroup => &IDENTITY_STORE_GROUP,
            Kind::IdentityStoreGroupMembership => &IDENTITY_STORE_GROUP_MEMBERSHIP,
        }
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Whether AWS creates, updates and deletes objects of this kind in the background, after
    /// the call returned (a user pool domain goes through `CREATING` / `DELETING`): the
    /// executor then waits until the object is settled or gone.
    pub fn settles_in_background(self) -> bool {
        match self {
            Kind::UserPoolDomain => true,
            Kind::UserPool
            | Kind::IdentityProvider
            | Kind::ResourceServer
            | Kind::UserPoolClient
            | Kind::UserPoolGroup
            | Kind::IdentityPool
            | Kind::TrustedTokenIssuer
            | Kind::Application
            | Kind::ApplicationGrant
            | Kind::ApplicationAccessScope
            | Kind::ApplicationAuthenticationMethod
            | Kind::ApplicationAssignmentConfiguration
            | Kind::ApplicationAssignment
            | Kind::IdentityStoreUser
            | Kind::IdentityStoreGroup
            | Kind::IdentityStoreGroupMembership => false,
        }
    }

    /// Whether this kind belongs to IAM Identity Center (sso-admin) or the Identity Store.
    pub fn is_identity_center(self) -> bool {
        matches!(
            self,
            Kind::TrustedTokenIssuer
                | Kind::Application
                | Kind::ApplicationGrant
                | Kind::ApplicationAccessScope
                | Kind::ApplicationAuthenticationMethod
                | Kind::ApplicationAssignmentConfiguration
                | Kind::ApplicationAssignment
                | Kind::IdentityStoreUser
                | Kind::IdentityStoreGroup
                | Kind::IdentityStoreGroupMembership
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The grant types of `application_grant.grant_type`, as sso-admin spells them.
pub const GRANT_TYPES: [&str; 4] = [
    "authorization_code",
    "refresh_token",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:token-exchange",
];

/// The provider ARN of customer-managed OAuth applications (the only kind the API creates).
pub const CUSTOM_APPLICATION_PROVIDER: &str = "arn:aws:sso::aws:applicationProvider/custom";

static USER_POOL: KindInfo = KindInfo {
    kind: Kind::UserPool,
    name: "user_pool",
    parent: None,
    taggable: true,
    natural_key: None,
    outputs: &["id", "arn", "issuer_url", "provider_name"],
    doc: "A Cognito user pool. Names are not unique: matched by pinned id, then ownership tag.",
    fields: &[
        f("name", "PoolName."),
        f("alias_attributes", "AliasAttributes: email, phone_number, preferred_username.")
            .immutable()
            .set()
            .default("[]"),
        f("username_attributes", "UsernameAttributes: email, phone_number.")
            .immutable()
            .set()
            .default("[]"),
        f("username_case_sensitive", "UsernameConfiguration.CaseSensitive.")
            .immutable()
            .default("true"),
        f(
            "schema",
            "Map attribute name -> {attribute_data_type, required, mutable, developer_only, \
             string_constraints {min_length, max_length}, number_constraints {min_value, max_value}}; \
             custom attributes as `custom:NAME`. Standard attributes not listed keep AWS defaults. \
             Custom attributes can only be added; changing required attributes needs a new pool.",
        )
        .default("{}"),
        f("auto_verified_attributes", "AutoVerifiedAttributes.")
            .set()
            .default("[]"),
        f(
            "password_policy",
            "{minimum_length, require_uppercase, require_lowercase, require_numbers, \
             require_symbols, temporary_password_validity_days, password_history_size}.",
        )
        .default(
            r#"{"minimum_length":8,"require_uppercase":true,"require_lowercase":true,"require_numbers":true,"require_symbols":true,"temporary_password_validity_days":7}"#,
        ),
        f("mfa_configuration", "OFF, ON or OPTIONAL.").default(r#""OFF""#),
        f("software_token_mfa", "Software token (TOTP) MFA enabled.").default("false"),
        f(
            "admin_create_user_config",
            "{allow_admin_create_user_only, invite_message_template {email_subject, email_message, sms_message}}.",
        )
        // The invitation texts DescribeUserPool reports for a pool created without any; as the
        // default they are written back explicitly when the spec drops its own.
        .default(
            r#"{"allow_admin_create_user_only":false,"invite_message_template":{"email_message":"Your username is {username} and temporary password is {####}. ","email_subject":"Your temporary password","sms_message":"Your username is {username} and temporary password is {####}. "}}"#,
        ),
        f(
            "account_recovery",
            "List of {name: verified_email|verified_phone_number|admin_only, priority}.",
        ),
        f(
            "email_configuration",
            "{email_sending_account: COGNITO_DEFAULT|DEVELOPER, source_arn, from, reply_to_email_address, configuration_set}.",
        )
        .default(r#"{"email_sending_account":"COGNITO_DEFAULT"}"#),
        f(
            "sms_configuration",
            "{sns_caller_arn, external_id, sns_region}. Cannot be removed once set.",
        ),
        f(
            "verification_message_template",
            "{default_email_option: CONFIRM_WITH_CODE|CONFIRM_WITH_LINK, email_subject, email_message, \
             email_subject_by_link, email_message_by_link, sms_message}.",
        )
        // DescribeUserPool reports these texts for a pool created without any (seed 000's
        // script); as map defaults they are merged under whatever either side gives.
        .default(
            r#"{"default_email_option":"CONFIRM_WITH_CODE","email_message":"Your verification code is {####}. ","email_subject":"Your verification code","sms_message":"Your verification code is {####}. "}"#,
        ),
        f(
            "lambda_config",
            "Lambda triggers by ARN: {pre_sign_up, custom_message, post_confirmation, \
             pre_authentication, post_authentication, define_auth_challenge, \
             create_auth_challenge, verify_auth_challenge_response, pre_token_generation, \
             user_migration}, plus pre_token_generation_config {lambda_arn, lambda_version: \
             V1_0|V2_0|V3_0} (its lambda_arn always equals pre_token_generation).",
        )
        .default("{}"),
        // No default: a spec that does not mention it keeps the live value (an apply never
        // switches off protection turned on in the console); a new pool gets AWS's INACTIVE.
        f(
            "deletion_protection",
            "ACTIVE or INACTIVE; left out: the live value is kept.",
        ),
        f(
            "issuer_type",
            "IssuerConfiguration.Type: ORIGINAL or UPDATED (the issuer_url output follows it).",
        ),
        f("tags", "User tags (ownership tags are kept apart).").default("{}"),
    ],
};

static USER_POOL_DOMAIN: KindInfo = KindInfo {
    kind: Kind::UserPoolDomain,
    name: "user_pool_domain",
    parent: Some(Kind::UserPool),
    taggable: false,
    natural_key: Some("domain"),
    outputs: &["domain", "base_url", "cloudfront_domain"],
    doc: "The pool's hosted domain: a prefix (unique per region) or a custom domain.",
    fields: &[
        f("domain", "The prefix, or the full custom domain name.").immutable(),
        f(
            "certificate_arn",
            "ACM certificate ARN (custom domains only; the only updatable field).",
        ),
        f(
            "managed_login_version",
            "1 (hosted UI) or 2 (managed login).",
        )
        .default("1"),
    ],
};

static IDENTITY_PROVIDER: KindInfo = KindInfo {
    kind: Kind::IdentityProvider,
    name: "identity_provider",
    parent: Some(Kind::UserPool),
    taggable: false,
    natural_key: Some("name"),
    outputs: &["name"],
    doc: "A SAML or OIDC identity provider federated into a pool (ProviderName is its key).",
    fields: &[
        f(
            "name",
            "ProviderName; usernames become NAME_<subject>, so renaming = new IdP.",
        )
        .immutable(),
        f("provider_type", "SAML or OIDC (or a social type).").immutable(),
        f(
            "provider_details",
            "AWS's ProviderDetails map, AWS key names (MetadataURL, MetadataFile, IDPSignout, \
             EncryptedResponses, RequestSigningAlgorithm, IDPInit; client_id, client_secret, \
             authorize_scopes, oidc_issuer, attributes_request_method). Read-only keys AWS adds \
             (ActiveEncryptionCertificate, SSORedirectBindingURI, SLORedirectBindingURI, \
             authorize_url... when discovered) are ignored.",
        )
        .sensitive()
        .default("{}"),
        f("attribute_mapping", "Pool attribute -> IdP attribute.").default("{}"),
        f("idp_identifiers", "IdpIdentifiers.").set().default("[]"),
    ],
};

static RESOURCE_SERVER: KindInfo = KindInfo {
    kind: Kind::ResourceServer,
    name: "resource_server",
    parent: Some(Kind::UserPool),
    taggable: false,
    natural_key: Some("identifier"),
    outputs: &["identifier"],
    doc: "A resource server with custom scopes (`IDENTIFIER/SCOPE`).",
    fields: &[
        f("identifier", "Identifier, often a URL.").immutable(),
        f("name", "Name."),
        f("scopes", "Map scope name -> description.").default("{}"),
    ],
};

static USER_POOL_CLIENT: KindInfo = KindInfo {
    kind: Kind::UserPoolClient,
    name: "user_pool_client",
    parent: Some(Kind::UserPool),
    taggable: false,
    natural_key: Some("name"),
    outputs: &["id"],
    doc: "An app client. Matched by pinned id, else by name within a managed pool.",
    fields: &[
        f("name", "ClientName."),
        f(
            "generate_secret",
            "Whether the client has a secret (fixed at creation).",
        )
        .immutable()
        .default("false"),
        f("explicit_auth_flows", "ExplicitAuthFlows (ALLOW_*).")
            .set()
            .default(r#"["ALLOW_CUSTOM_AUTH","ALLOW_REFRESH_TOKEN_AUTH","ALLOW_USER_SRP_AUTH"]"#),
        f("allowed_oauth_flows", "code, implicit, client_credentials.")
            .set()
            .default("[]"),
        f(
            "allowed_oauth_scopes",
            "Standard scopes and resource-server scopes.",
        )
        .set()
        .default("[]"),
        f(
            "allowed_oauth_flows_user_pool_client",
            "Whether OAuth flows are on for this client.",
        )
        .default("false"),
        f("callback_urls", "CallbackURLs.").set().default("[]"),
        f("logout_urls", "LogoutURLs.").set().default("[]"),
        f("default_redirect_uri", "DefaultRedirectURI."),
        f(
            "supported_identity_providers",
            "COGNITO and IdP names of the pool.",
        )
        .set()
        .default("[]"),
        f("access_token_validity", "Seconds (AWS unit-normalized).").default("3600"),
        f("id_token_validity", "Seconds (AWS unit-normalized).").default("3600"),
        f("refresh_token_validity", "Seconds (AWS unit-normalized).").default("2592000"),
        f("auth_session_validity", "Minutes.").default("3"),
        f("read_attributes", "ReadAttributes; empty = all.")
            .set()
            .default("[]"),
        f("write_attributes", "WriteAttributes; empty = all writable.")
            .set()
            .default("[]"),
        f("enable_token_revocation", "EnableTokenRevocation.").default("true"),
        f("prevent_user_existence_errors", "ENABLED or LEGACY.").default(r#""LEGACY""#),
        f(
            "enable_propagate_additional_user_context_data",
            "EnablePropagateAdditionalUserContextData.",
        )
        .default("false"),
    ],
};

static USER_POOL_GROUP: KindInfo = KindInfo {
    kind: Kind::UserPoolGroup,
    name: "user_pool_group",
    parent: Some(Kind::UserPool),
    taggable: false,
    natural_key: Some("name"),
    outputs: &["name"],
    doc: "A group in a user pool.",
    fields: &[
        f("name", "GroupName.").immutable(),
        f("description", "Description."),
        f(
            "precedence",
            "Precedence (lower wins). UpdateGroup cannot clear it: left out, the live value is kept.",
        ),
        f(
            "role_arn",
            "IAM role ARN. UpdateGroup cannot clear it: left out, the live value is kept.",
        ),
    ],
};

static IDENTITY_POOL: KindInfo = KindInfo {
    kind: Kind::IdentityPool,
    name: "identity_pool",
    parent: None,
    taggable: true,
    natural_key: None,
    outputs: &["id"],
    doc: "A Cognito identity pool with its roles. Names are not unique: pinned id or tag.",
    fields: &[
        f("name", "IdentityPoolName."),
        f(
            "allow_unauthenticated_identities",
            "Guest access.",
        )
        .default("false"),
        f("allow_classic_flow", "Basic (classic) auth flow.").default("false"),
        f(
            "cognito_identity_providers",
            "List of {provider_name, client_id, server_side_token_check}.",
        )
        .set()
        .default("[]"),
        f("openid_connect_provider_arns", "IAM OIDC provider ARNs.")
            .set()
            .default("[]"),
        f("saml_provider_arns", "IAM SAML provider ARNs.")
            .set()
            .default("[]"),
        f("supported_login_providers", "Social providers: domain -> app id.").default("{}"),
        f("developer_provider_name", "Developer provider name (fixed once set).").immutable(),
        f("roles", "{authenticated: ARN, unauthenticated: ARN}.").default("{}"),
        f(
            "role_mappings",
            "Provider name -> {type: Token|Rules, ambiguous_role_resolution, rules: [{claim, match_type, value, role_arn}]}.",
        )
        .default("{}"),
        f("tags", "User tags.").default("{}"),
    ],
};

static TRUSTED_TOKEN_ISSUER: KindInfo = KindInfo {
    kind: Kind::TrustedTokenIssuer,
    name: "trusted_token_issuer",
    parent: None,
    taggable: true,
    natural_key: Some("name"),
    outputs: &["arn"],
    doc: "An IAM Identity Center trusted token issuer (OIDC JWT). At most 10 per instance.",
    fields: &[
        f("name", "Name (unique per instance)."),
        f("issuer_type", "OIDC_JWT.")
            .immutable()
            .default(r#""OIDC_JWT""#),
        f("issuer_url", "IssuerUrl (not updatable).").immutable(),
        f("claim_attribute_path", "ClaimAttributePath, e.g. email."),
        f(
            "identity_store_attribute_path",
            "IdentityStoreAttributePath, e.g. emails.value.",
        ),
        f("jwks_retrieval_option", "OPEN_ID_DISCOVERY.").default(r#""OPEN_ID_DISCOVERY""#),
        f("tags", "User tags.").default("{}"),
    ],
};

static APPLICATION: KindInfo = KindInfo {
    kind: Kind::Application,
    name: "application",
    parent: None,
    taggable: true,
    natural_key: Some("name"),
    outputs: &["arn"],
    doc: "A customer-managed IAM Identity Center application (OAuth), or a referenced one.",
    fields: &[
        f("name", "Name."),
        f("application_provider_arn", "Fixed at creation.")
            .immutable()
            .default(r#""arn:aws:sso::aws:applicationProvider/custom""#),
        f("description", "Description."),
        f("status", "ENABLED or DISABLED.").default(r#""ENABLED""#),
        f(
            "portal_options",
            "{visibility: ENABLED|DISABLED, sign_in_options {origin: IDENTITY_CENTER|APPLICATION, \
             application_url}}. AWS cannot update `visibility` (changing it replaces the \
             application) and reports ENABLED when it was never set.",
        ),
        f("tags", "User tags.").default("{}"),
    ],
};

static APPLICATION_GRANT: KindInfo = KindInfo {
    kind: Kind::ApplicationGrant,
    name: "application_grant",
    parent: Some(Kind::Application),
    taggable: false,
    natural_key: Some("grant_type"),
    outputs: &[],
    doc: "A grant of an application (one per grant type; PutApplicationGrant upserts).",
    fields: &[
        f("grant_type", "One of GRANT_TYPES.").immutable(),
        f(
            "grant",
            "authorization_code: {redirect_uris: [..]}; jwt-bearer: {authorized_token_issuers: \
             [{trusted_token_issuer_arn, authorized_audiences: [..]}]}; refresh_token and \
             token-exchange: {}.",
        )
        .default("{}"),
    ],
};

static APPLICATION_ACCESS_SCOPE: KindInfo = KindInfo {
    kind: Kind::ApplicationAccessScope,
    name: "application_access_scope",
    parent: Some(Kind::Application),
    taggable: false,
    natural_key: Some("scope"),
    outputs: &[],
    doc: "An access scope of an application. At most 25 per application.",
    fields: &[
        f("scope", "e.g. qbusiness:messages:access.").immutable(),
        f("authorized_targets", "Application ARNs allowed to use it.")
            .set()
            .default("[]"),
    ],
};

static APPLICATION_AUTHENTICATION_METHOD: KindInfo = KindInfo {
    kind: Kind::ApplicationAuthenticationMethod,
    name: "application_authentication_method",
    parent: Some(Kind::Application),
    taggable: false,
    natural_key: Some("method_type"),
    outputs: &[],
    doc: "How callers authenticate to the application (IAM with an actor policy).",
    fields: &[
        f("method_type", "IAM.").immutable(),
        f("actor_policy", "The IAM policy document, compared as data."),
    ],
};

static APPLICATION_ASSIGNMENT_CONFIGURATION: KindInfo = KindInfo {
    kind: Kind::ApplicationAssignmentConfiguration,
    name: "application_assignment_configuration",
    parent: Some(Kind::Application),
    taggable: false,
    natural_key: None,
    outputs: &[],
    doc: "Whether users need an assignment to use the application (singleton; AWS default true).",
    fields: &[f("assignment_required", "AssignmentRequired.").default("true")],
};

static APPLICATION_ASSIGNMENT: KindInfo = KindInfo {
    kind: Kind::ApplicationAssignment,
    name: "application_assignment",
    parent: Some(Kind::Application),
    taggable: false,
    natural_key: Some("principal"),
    outputs: &[],
    doc: "An assignment of a user (by user name) or group (by display name) to an application.",
    fields: &[
        f("principal_type", "USER or GROUP.").immutable(),
        f("principal_name", "User name or group display name.").immutable(),
        f(
            "principal",
            "The natural key `USER:name` / `GROUP:name` (derived; kept for matching).",
        )
        .immutable(),
    ],
};

static IDENTITY_STORE_USER: KindInfo = KindInfo {
    kind: Kind::IdentityStoreUser,
    name: "identity_store_user",
    parent: None,
    taggable: false,
    natural_key: Some("user_name"),
    outputs: &["id"],
    doc: "A user of the Identity Center identity store (built-in directory).",
    fields: &[
        f("user_name", "UserName (unique per store).").immutable(),
        f("display_name", "DisplayName."),
        f("given_name", "Name.GivenName."),
        f("family_name", "Name.FamilyName."),
        f("email", "The primary work email."),
    ],
};

static IDENTITY_STORE_GROUP: KindInfo = KindInfo {
    kind: Kind::IdentityStoreGroup,
    name: "identity_store_group",
    parent: None,
    taggable: false,
    natural_key: Some("display_name"),
    outputs: &["id"],
    doc: "A group of the identity store.",
    fields: &[
        f("display_name", "DisplayName (unique per store).").immutable(),
        f("description", "Description."),
    ],
};

static IDENTITY_STORE_GROUP_MEMBERSHIP: KindInfo = KindInfo {
    kind: Kind::IdentityStoreGroupMembership,
    name: "identity_store_group_membership",
    parent: Some(Kind::IdentityStoreGroup),
    taggable: false,
    natural_key: Some("user_name"),
    outputs: &["id"],
    doc: "A user's membership of a group.",
    fields: &[f("user_name", "The member's user name.").immutable()],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for kind in Kind::ALL {
            let info = kind.info();
            assert_eq!(info.kind, kind);
            for field in info.fields {
                let _ = field.default_value();
            }
            if let Some(key) = info.natural_key {
                assert!(info.field(key).is_some(), "{kind}: natural key {key}");
            }
            assert_eq!(info.taggable, info.field("tags").is_some(), "{kind}");
        }
    }
}
