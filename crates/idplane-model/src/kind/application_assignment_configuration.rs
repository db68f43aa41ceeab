//! The `application_assignment_configuration` kind: Whether users need an assignment to use the application (singleton; AWS default true).

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `application_assignment_configuration` (its field names).
pub mod field {
    pub const ASSIGNMENT_REQUIRED: &str = "assignment_required";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::ApplicationAssignmentConfiguration,
    name: "application_assignment_configuration",
    parent: Some(Kind::Application),
    taggable: false,
    natural_key: None,
    outputs: &[],
    doc: "Whether users need an assignment to use the application (singleton; AWS default true).",
    collection: "assignment_configuration",
    service: Service::SsoAdmin,
    writer_scope: WriterScope::Free,
    parent_output: Some("arn"),
    replace_order: ReplaceOrder::DeleteThenCreate,
    adopt_by_name: true,
    singleton: Singleton::Always,
    owns_all_children: false,
    deletable: false,
    moves_with_replaced_parent: false,
    settles_in_background: false,
    unique_in_cloud: true,
    keep_live_when_silent: &[],
    documents: &[],
    spec_key: str::to_string,
    fields: &[f(field::ASSIGNMENT_REQUIRED, "AssignmentRequired.").default("true")],
};
