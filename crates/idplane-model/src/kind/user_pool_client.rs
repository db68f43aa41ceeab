//! The `user_pool_client` kind: An app client.

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `user_pool_client` (its field names).
pub mod field {
    pub const NAME: &str = "name";
    pub const GENERATE_SECRET: &str = "generate_secret";
    pub const EXPLICIT_AUTH_FLOWS: &str = "explicit_auth_flows";
    pub const ALLOWED_OAUTH_FLOWS: &str = "allowed_oauth_flows";
    pub const ALLOWED_OAUTH_SCOPES: &str = "allowed_oauth_scopes";
    pub const ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT: &str = "allowed_oauth_flows_user_pool_client";
    pub const CALLBACK_URLS: &str = "callback_urls";
    pub const LOGOUT_URLS: &str = "logout_urls";
    pub const DEFAULT_REDIRECT_URI: &str = "default_redirect_uri";
    pub const SUPPORTED_IDENTITY_PROVIDERS: &str = "supported_identity_providers";
    pub const ACCESS_TOKEN_VALIDITY: &str = "access_token_validity";
    pub const ID_TOKEN_VALIDITY: &str = "id_token_validity";
    pub const REFRESH_TOKEN_VALIDITY: &str = "refresh_token_validity";
    pub const AUTH_SESSION_VALIDITY: &str = "auth_session_validity";
    pub const READ_ATTRIBUTES: &str = "read_attributes";
    pub const WRITE_ATTRIBUTES: &str = "write_attributes";
    pub const ENABLE_TOKEN_REVOCATION: &str = "enable_token_revocation";
    pub const PREVENT_USER_EXISTENCE_ERRORS: &str = "prevent_user_existence_errors";
    pub const ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA: &str =
        "enable_propagate_additional_user_context_data";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::UserPoolClient,
    name: "user_pool_client",
    parent: Some(Kind::UserPool),
    taggable: false,
    natural_key: Some(field::NAME),
    outputs: &["id"],
    doc: "An app client. Matched by pinned id, else by name within a managed pool.",
    collection: "clients",
    service: Service::CognitoUserPools,
    writer_scope: WriterScope::Parent,
    parent_output: Some("id"),
    replace_order: ReplaceOrder::CreateThenDelete,
    adopt_by_name: true,
    singleton: Singleton::No,
    owns_all_children: false,
    deletable: true,
    moves_with_replaced_parent: false,
    settles_in_background: false,
    unique_in_cloud: false,
    keep_live_when_silent: &[],
    documents: &[],
    spec_key: str::to_string,
    fields: &[
        f(field::NAME, "ClientName."),
        f(
            field::GENERATE_SECRET,
            "Whether the client has a secret (fixed at creation).",
        )
        .immutable()
        .default("false"),
        f(field::EXPLICIT_AUTH_FLOWS, "ExplicitAuthFlows (ALLOW_*).")
            .set()
            .default(r#"["ALLOW_CUSTOM_AUTH","ALLOW_REFRESH_TOKEN_AUTH","ALLOW_USER_SRP_AUTH"]"#),
        f(
            field::ALLOWED_OAUTH_FLOWS,
            "code, implicit, client_credentials.",
        )
        .set()
        .default("[]"),
        f(
            field::ALLOWED_OAUTH_SCOPES,
            "Standard scopes and resource-server scopes.",
        )
        .set()
        .default("[]"),
        f(
            field::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT,
            "Whether OAuth flows are on for this client.",
        )
        .default("false"),
        f(field::CALLBACK_URLS, "CallbackURLs.").set().default("[]"),
        f(field::LOGOUT_URLS, "LogoutURLs.").set().default("[]"),
        f(field::DEFAULT_REDIRECT_URI, "DefaultRedirectURI."),
        f(
            field::SUPPORTED_IDENTITY_PROVIDERS,
            "COGNITO and IdP names of the pool.",
        )
        .set()
        .default("[]"),
        f(
            field::ACCESS_TOKEN_VALIDITY,
            "Seconds (AWS unit-normalized).",
        )
        .default("3600"),
        f(field::ID_TOKEN_VALIDITY, "Seconds (AWS unit-normalized).").default("3600"),
        f(
            field::REFRESH_TOKEN_VALIDITY,
            "Seconds (AWS unit-normalized).",
        )
        .default("2592000"),
        f(field::AUTH_SESSION_VALIDITY, "Minutes.").default("3"),
        f(field::READ_ATTRIBUTES, "ReadAttributes; empty = all.")
            .set()
            .default("[]"),
        f(
            field::WRITE_ATTRIBUTES,
            "WriteAttributes; empty = all writable.",
        )
        .set()
        .default("[]"),
        f(field::ENABLE_TOKEN_REVOCATION, "EnableTokenRevocation.").default("true"),
        f(field::PREVENT_USER_EXISTENCE_ERRORS, "ENABLED or LEGACY.").default(r#""LEGACY""#),
        f(
            field::ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA,
            "EnablePropagateAdditionalUserContextData.",
        )
        .default("false"),
    ],
};
