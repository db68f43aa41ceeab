//! The `application` kind: A customer-managed IAM Identity Center application (OAuth), or a referenced one.

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `application` (its field names).
pub mod field {
    pub const NAME: &str = "name";
    pub const APPLICATION_PROVIDER_ARN: &str = "application_provider_arn";
    pub const DESCRIPTION: &str = "description";
    pub const STATUS: &str = "status";
    pub const PORTAL_OPTIONS: &str = "portal_options";
    pub const TAGS: &str = "tags";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::Application,
    name: "application",
    parent: None,
    taggable: true,
    natural_key: Some(field::NAME),
    outputs: &["arn"],
    doc: "A customer-managed IAM Identity Center application (OAuth), or a referenced one.",
    collection: "applications",
    service: Service::SsoAdmin,
    writer_scope: WriterScope::Free,
    parent_output: None,
    replace_order: ReplaceOrder::CreateThenDelete,
    adopt_by_name: true,
    singleton: Singleton::No,
    owns_all_children: true,
    deletable: true,
    moves_with_replaced_parent: false,
    settles_in_background: false,
    unique_in_cloud: false,
    // `description` cannot be cleared: UpdateApplication takes 1-128 characters, and leaves it
    // unchanged when left out.
    keep_live_when_silent: &[field::PORTAL_OPTIONS, field::DESCRIPTION],
    documents: &[],
    spec_key: str::to_string,
    fields: &[
        f(field::NAME, "Name."),
        f(field::APPLICATION_PROVIDER_ARN, "Fixed at creation.")
            .immutable()
            .default(r#""arn:aws:sso::aws:applicationProvider/custom""#),
        f(field::DESCRIPTION, "Description."),
        f(field::STATUS, "ENABLED or DISABLED.").default(r#""ENABLED""#),
        f(
            field::PORTAL_OPTIONS,
            "{visibility: ENABLED|DISABLED, sign_in_options {origin: IDENTITY_CENTER|APPLICATION, \
             application_url}}. AWS cannot update `visibility` (changing it replaces the \
             application) and reports ENABLED when it was never set.",
        ),
        f(field::TAGS, "User tags.").default("{}"),
    ],
};
