//! The `application_access_scope` kind: An access scope of an application.

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `application_access_scope` (its field names).
pub mod field {
    pub const SCOPE: &str = "scope";
    pub const AUTHORIZED_TARGETS: &str = "authorized_targets";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::ApplicationAccessScope,
    name: "application_access_scope",
    parent: Some(Kind::Application),
    taggable: false,
    natural_key: Some(field::SCOPE),
    outputs: &[],
    doc: "An access scope of an application. At most 25 per application.",
    collection: "access_scopes",
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
    documents: &[],
    spec_key: str::to_string,
    fields: &[
        f(field::SCOPE, "e.g. qbusiness:messages:access.").immutable(),
        f(
            field::AUTHORIZED_TARGETS,
            "Application ARNs allowed to use it.",
        )
        .set()
        .default("[]"),
    ],
};
