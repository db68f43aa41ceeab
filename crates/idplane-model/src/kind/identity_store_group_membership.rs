//! The `identity_store_group_membership` kind: A user's membership of a group.

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `identity_store_group_membership` (its field names).
pub mod field {
    pub const USER_NAME: &str = "user_name";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::IdentityStoreGroupMembership,
    name: "identity_store_group_membership",
    parent: Some(Kind::IdentityStoreGroup),
    taggable: false,
    natural_key: Some(field::USER_NAME),
    outputs: &["id"],
    doc: "A user's membership of a group.",
    collection: "members",
    service: Service::IdentityStore,
    writer_scope: WriterScope::Free,
    parent_output: Some("id"),
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
    fields: &[f(field::USER_NAME, "The member's user name.").immutable()],
};
