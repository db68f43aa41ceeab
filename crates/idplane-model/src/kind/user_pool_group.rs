//! The `user_pool_group` kind: A group in a user pool.

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `user_pool_group` (its field names).
pub mod field {
    pub const NAME: &str = "name";
    pub const DESCRIPTION: &str = "description";
    pub const PRECEDENCE: &str = "precedence";
    pub const ROLE_ARN: &str = "role_arn";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::UserPoolGroup,
    name: "user_pool_group",
    parent: Some(Kind::UserPool),
    taggable: false,
    natural_key: Some(field::NAME),
    outputs: &["name"],
    doc: "A group in a user pool.",
    collection: "groups",
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
    keep_live_when_silent: &[field::PRECEDENCE, field::ROLE_ARN],
    documents: &[],
    spec_key: str::to_string,
    fields: &[
        f(field::NAME, "GroupName.").immutable(),
        f(field::DESCRIPTION, "Description."),
        f(
            field::PRECEDENCE,
            "Precedence (lower wins). UpdateGroup cannot clear it: left out, the live value is kept.",
        ),
        f(
            field::ROLE_ARN,
            "IAM role ARN. UpdateGroup cannot clear it: left out, the live value is kept.",
        ),
    ],
};
