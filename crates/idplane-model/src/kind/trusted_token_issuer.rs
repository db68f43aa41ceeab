//! The `trusted_token_issuer` kind: An IAM Identity Center trusted token issuer (OIDC JWT).

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `trusted_token_issuer` (its field names).
pub mod field {
    pub const NAME: &str = "name";
    pub const ISSUER_TYPE: &str = "issuer_type";
    pub const ISSUER_URL: &str = "issuer_url";
    pub const CLAIM_ATTRIBUTE_PATH: &str = "claim_attribute_path";
    pub const IDENTITY_STORE_ATTRIBUTE_PATH: &str = "identity_store_attribute_path";
    pub const JWKS_RETRIEVAL_OPTION: &str = "jwks_retrieval_option";
    pub const TAGS: &str = "tags";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::TrustedTokenIssuer,
    name: "trusted_token_issuer",
    parent: None,
    taggable: true,
    natural_key: Some(field::NAME),
    outputs: &["arn"],
    doc: "An IAM Identity Center trusted token issuer (OIDC JWT). At most 10 per instance.",
    collection: "trusted_token_issuers",
    service: Service::SsoAdmin,
    writer_scope: WriterScope::Free,
    parent_output: None,
    replace_order: ReplaceOrder::DeleteThenCreate,
    adopt_by_name: true,
    singleton: Singleton::No,
    owns_all_children: false,
    deletable: true,
    moves_with_replaced_parent: false,
    settles_in_background: false,
    unique_in_cloud: true,
    keep_live_when_silent: &[],
    documents: &[],
    spec_key: str::to_string,
    fields: &[
        f(field::NAME, "Name (unique per instance)."),
        f(field::ISSUER_TYPE, "OIDC_JWT.")
            .immutable()
            .default(r#""OIDC_JWT""#),
        f(field::ISSUER_URL, "IssuerUrl (not updatable).").immutable(),
        f(
            field::CLAIM_ATTRIBUTE_PATH,
            "ClaimAttributePath, e.g. email.",
        ),
        f(
            field::IDENTITY_STORE_ATTRIBUTE_PATH,
            "IdentityStoreAttributePath, e.g. emails.value.",
        ),
        f(field::JWKS_RETRIEVAL_OPTION, "OPEN_ID_DISCOVERY.").default(r#""OPEN_ID_DISCOVERY""#),
        f(field::TAGS, "User tags.").default("{}"),
    ],
};
