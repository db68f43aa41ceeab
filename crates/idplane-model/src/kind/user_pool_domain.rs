//! The `user_pool_domain` kind: The pool's hosted domain: a prefix (unique per region) or a custom domain.

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `user_pool_domain` (its field names).
pub mod field {
    pub const DOMAIN: &str = "domain";
    pub const CERTIFICATE_ARN: &str = "certificate_arn";
    pub const MANAGED_LOGIN_VERSION: &str = "managed_login_version";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::UserPoolDomain,
    name: "user_pool_domain",
    parent: Some(Kind::UserPool),
    taggable: false,
    natural_key: Some(field::DOMAIN),
    outputs: &["domain", "base_url", "cloudfront_domain"],
    doc: "The pool's hosted domain: a prefix (unique per region) or a custom domain.",
    collection: "domain",
    service: Service::CognitoUserPools,
    writer_scope: WriterScope::Parent,
    parent_output: Some("id"),
    replace_order: ReplaceOrder::DeleteThenCreate,
    adopt_by_name: true,
    singleton: Singleton::WhenOnlyOneDeclared,
    owns_all_children: false,
    deletable: true,
    moves_with_replaced_parent: true,
    settles_in_background: true,
    unique_in_cloud: true,
    keep_live_when_silent: &[],
    documents: &[],
    spec_key: str::to_string,
    fields: &[
        f(field::DOMAIN, "The prefix, or the full custom domain name.").immutable(),
        f(
            field::CERTIFICATE_ARN,
            "ACM certificate ARN (custom domains only; the only updatable field).",
        ),
        f(
            field::MANAGED_LOGIN_VERSION,
            "1 (hosted UI) or 2 (managed login).",
        )
        .default("1"),
    ],
};
