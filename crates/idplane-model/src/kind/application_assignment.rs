//! The `application_assignment` kind: An assignment of a user (by user name) or group (by display name) to an application.

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `application_assignment` (its field names).
pub mod field {
    pub const PRINCIPAL_TYPE: &str = "principal_type";
    pub const PRINCIPAL_NAME: &str = "principal_name";
    pub const PRINCIPAL: &str = "principal";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::ApplicationAssignment,
    name: "application_assignment",
    parent: Some(Kind::Application),
    taggable: false,
    natural_key: Some(field::PRINCIPAL),
    outputs: &[],
    doc: "An assignment of a user (by user name) or group (by display name) to an application.",
    collection: "assignments",
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
        f(field::PRINCIPAL_TYPE, "USER or GROUP.").immutable(),
        f(field::PRINCIPAL_NAME, "User name or group display name.").immutable(),
        f(
            field::PRINCIPAL,
            "The natural key `USER:name` / `GROUP:name` (derived; kept for matching).",
        )
        .immutable(),
    ],
};
