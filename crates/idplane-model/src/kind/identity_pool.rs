//! The `identity_pool` kind: A Cognito identity pool with its roles.

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `identity_pool` (its field names).
pub mod field {
    pub const NAME: &str = "name";
    pub const ALLOW_UNAUTHENTICATED_IDENTITIES: &str = "allow_unauthenticated_identities";
    pub const ALLOW_CLASSIC_FLOW: &str = "allow_classic_flow";
    pub const COGNITO_IDENTITY_PROVIDERS: &str = "cognito_identity_providers";
    pub const OPENID_CONNECT_PROVIDER_ARNS: &str = "openid_connect_provider_arns";
    pub const SAML_PROVIDER_ARNS: &str = "saml_provider_arns";
    pub const SUPPORTED_LOGIN_PROVIDERS: &str = "supported_login_providers";
    pub const DEVELOPER_PROVIDER_NAME: &str = "developer_provider_name";
    pub const ROLES: &str = "roles";
    pub const ROLE_MAPPINGS: &str = "role_mappings";
    pub const TAGS: &str = "tags";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::IdentityPool,
    name: "identity_pool",
    parent: None,
    taggable: true,
    natural_key: None,
    outputs: &["id"],
    doc: "A Cognito identity pool with its roles. Names are not unique: pinned id or tag.",
    collection: "identity_pools",
    service: Service::CognitoIdentityPools,
    writer_scope: WriterScope::Itself,
    parent_output: None,
    replace_order: ReplaceOrder::CreateThenDelete,
    adopt_by_name: false,
    singleton: Singleton::No,
    owns_all_children: false,
    deletable: true,
    moves_with_replaced_parent: false,
    settles_in_background: false,
    unique_in_cloud: false,
    keep_live_when_silent: &[field::DEVELOPER_PROVIDER_NAME],
    documents: &[],
    spec_key: str::to_string,
    fields: &[
        f(field::NAME, "IdentityPoolName."),
        f(
            field::ALLOW_UNAUTHENTICATED_IDENTITIES,
            "Guest access.",
        )
        .default("false"),
        f(field::ALLOW_CLASSIC_FLOW, "Basic (classic) auth flow.").default("false"),
        f(
            field::COGNITO_IDENTITY_PROVIDERS,
            "List of {provider_name, client_id, server_side_token_check}.",
        )
        .set()
        .default("[]"),
        f(field::OPENID_CONNECT_PROVIDER_ARNS, "IAM OIDC provider ARNs.")
            .set()
            .default("[]"),
        f(field::SAML_PROVIDER_ARNS, "IAM SAML provider ARNs.")
            .set()
            .default("[]"),
        f(field::SUPPORTED_LOGIN_PROVIDERS, "Social providers: domain -> app id.").default("{}"),
        f(field::DEVELOPER_PROVIDER_NAME, "Developer provider name (fixed once set).").immutable(),
        f(field::ROLES, "{authenticated: ARN, unauthenticated: ARN}.").default("{}"),
        f(
            field::ROLE_MAPPINGS,
            "Provider name -> {type: Token|Rules, ambiguous_role_resolution, rules: [{claim, match_type, value, role_arn}]}.",
        )
        .default("{}"),
        f(field::TAGS, "User tags.").default("{}"),
    ],
};
