//! The `application_grant` kind: A grant of an application (one per grant type; PutApplicationGrant upserts).

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `application_grant` (its field names).
pub mod field {
    pub const GRANT_TYPE: &str = "grant_type";
    pub const GRANT: &str = "grant";
}

/// The spec's spelling of a grant type as a key: `grants.jwt_bearer` for
/// `urn:ietf:params:oauth:grant-type:jwt-bearer`.
fn spec_key(grant_type: &str) -> String {
    grant_type
        .rsplit(':')
        .next()
        .unwrap_or(grant_type)
        .replace('-', "_")
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::ApplicationGrant,
    name: "application_grant",
    parent: Some(Kind::Application),
    taggable: false,
    natural_key: Some(field::GRANT_TYPE),
    outputs: &[],
    doc: "A grant of an application (one per grant type; PutApplicationGrant upserts).",
    collection: "grants",
    service: Service::SsoAdmin,
    writer_scope: WriterScope::Free,
    parent_output: Some("arn"),
    replace_order: ReplaceOrder::DeleteThenCreate,
    adopt_by_name: true,
    singleton: Singleton::No,
    owns_all_children: false,
    deletable: true,
    moves_with_replaced_parent: false,
    settles_in_background: false,
    unique_in_cloud: true,
    keep_live_when_silent: &[],
    documents: &[field::GRANT],
    spec_key,
    fields: &[
        f(field::GRANT_TYPE, "One of GRANT_TYPES.").immutable(),
        f(
            field::GRANT,
            "authorization_code: {redirect_uris: [..]}; jwt-bearer: {authorized_token_issuers: \
             [{trusted_token_issuer_arn, authorized_audiences: [..]}]}; refresh_token and \
             token-exchange: {}.",
        )
        .default("{}"),
    ],
};
