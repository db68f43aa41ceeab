//! The `identity_store_group` kind: A group of the identity store.

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `identity_store_group` (its field names).
pub mod field {
    pub const DISPLAY_NAME: &str = "display_name";
    pub const DESCRIPTION: &str = "description";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::IdentityStoreGroup,
    name: "identity_store_group",
    parent: None,
    taggable: false,
    natural_key: Some(field::DISPLAY_NAME),
    outputs: &["id"],
    doc: "A group of the identity store.",
    collection: "groups",
    service: Service::IdentityStore,
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
        f(field::DISPLAY_NAME, "DisplayName (unique per store).").immutable(),
        f(field::DESCRIPTION, "Description."),
    ],
};
