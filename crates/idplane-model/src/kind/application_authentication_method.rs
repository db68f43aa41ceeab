//! The `application_authentication_method` kind: How callers authenticate to the application (IAM with an actor policy).

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `application_authentication_method` (its field names).
pub mod field {
    pub const METHOD_TYPE: &str = "method_type";
    pub const ACTOR_POLICY: &str = "actor_policy";
}

/// The spec's spelling of a method type as a key: `authentication_methods.iam` for `IAM`.
fn spec_key(method_type: &str) -> String {
    method_type.to_ascii_lowercase()
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::ApplicationAuthenticationMethod,
    name: "application_authentication_method",
    parent: Some(Kind::Application),
    taggable: false,
    natural_key: Some(field::METHOD_TYPE),
    outputs: &[],
    doc: "How callers authenticate to the application (IAM with an actor policy).",
    collection: "authentication_methods",
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
    documents: &[field::ACTOR_POLICY],
    spec_key,
    fields: &[
        f(field::METHOD_TYPE, "IAM.").immutable(),
        f(
            field::ACTOR_POLICY,
            "The IAM policy document, compared as data.",
        ),
    ],
};
