//! The `resource_server` kind: A resource server with custom scopes (`IDENTIFIER/SCOPE`).

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `resource_server` (its field names).
pub mod field {
    pub const IDENTIFIER: &str = "identifier";
    pub const NAME: &str = "name";
    pub const SCOPES: &str = "scopes";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::ResourceServer,
    name: "resource_server",
    parent: Some(Kind::UserPool),
    taggable: false,
    natural_key: Some(field::IDENTIFIER),
    outputs: &["identifier"],
    doc: "A resource server with custom scopes (`IDENTIFIER/SCOPE`).",
    collection: "resource_servers",
    service: Service::CognitoUserPools,
    writer_scope: WriterScope::Parent,
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
    fields: &[
        f(field::IDENTIFIER, "Identifier, often a URL.").immutable(),
        f(field::NAME, "Name."),
        f(field::SCOPES, "Map scope name -> description.").default("{}"),
    ],
};
