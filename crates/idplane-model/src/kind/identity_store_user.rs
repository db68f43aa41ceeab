//! The `identity_store_user` kind: A user of the Identity Center identity store (built-in directory).

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `identity_store_user` (its field names).
pub mod field {
    pub const USER_NAME: &str = "user_name";
    pub const DISPLAY_NAME: &str = "display_name";
    pub const GIVEN_NAME: &str = "given_name";
    pub const FAMILY_NAME: &str = "family_name";
    pub const EMAIL: &str = "email";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::IdentityStoreUser,
    name: "identity_store_user",
    parent: None,
    taggable: false,
    natural_key: Some(field::USER_NAME),
    outputs: &["id"],
    doc: "A user of the Identity Center identity store (built-in directory).",
    collection: "users",
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
        f(field::USER_NAME, "UserName (unique per store).").immutable(),
        f(field::DISPLAY_NAME, "DisplayName."),
        f(field::GIVEN_NAME, "Name.GivenName."),
        f(field::FAMILY_NAME, "Name.FamilyName."),
        f(field::EMAIL, "The primary work email."),
    ],
};
