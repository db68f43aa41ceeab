//! Resource kinds and their field metadata: which fields exist, which force a new resource,
//! which compare as sets, which are secret, and the default AWS applies when one is left out.
//!
//! This table is the contract between the spec (which lowers YAML into these fields), the
//! provider (which maps AWS shapes to and from them) and the planner (which diffs them).
//! Field names are snake_case; nested maps use snake_case keys too, except
//! `identity_provider.provider_details`, whose keys are AWS's own (`MetadataURL`, `client_id`, ...).
//!
//! One file per kind (`kind/<kind>.rs`) holds that kind's [`KindInfo`]: its field table, the
//! names of its attribute keys as constants (`kind::user_pool::field::SCHEMA`), and its answer to
//! every per-kind policy question the planner and executor ask (collection name, service, writer
//! scope, parent output, replace order, matching, keep-live fields, documents). Code elsewhere
//! reads these answers instead of matching on [`Kind`]; where it must match, the match is
//! exhaustive (no wildcard arm), so a new kind's to-do list is the compiler's error list.

use crate::plan::ReplaceOrder;
use crate::value::Attrs;
use serde::{Deserialize, Serialize};
use std::fmt;

pub mod application;
pub mod application_access_scope;
pub mod application_assignment;
pub mod application_assignment_configuration;
pub mod application_authentication_method;
pub mod application_grant;
pub mod identity_pool;
pub mod identity_provider;
pub mod identity_store_group;
pub mod identity_store_group_membership;
pub mod identity_store_user;
pub mod resource_server;
pub mod trusted_token_issuer;
pub mod user_pool;
pub mod user_pool_client;
pub mod user_pool_domain;
pub mod user_pool_group;

/// Every kind of resource idplane manages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    UserPool,
    UserPoolDomain,
    IdentityProvider,
    ResourceServer,
    UserPoolClient,
    UserPoolGroup,
    IdentityPool,
    TrustedTokenIssuer,
    Application,
    ApplicationGrant,
    ApplicationAccessScope,
    ApplicationAuthenticationMethod,
    ApplicationAssignmentConfiguration,
    ApplicationAssignment,
    IdentityStoreUser,
    IdentityStoreGroup,
    IdentityStoreGroupMembership,
}

/// Metadata of one field of a kind.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    /// Changing it needs a new resource (replace).
    pub immutable: bool,
    /// A list whose order carries no meaning (compare as a set).
    pub set: bool,
    /// Holds a secret somewhere inside (compare by digest, show as `(sensitive)`).
    pub sensitive: bool,
    /// The value AWS uses when the field is left out, as JSON text; `None` = absent is `null`.
    pub default: Option<&'static str>,
    /// One line for docs and `--help`.
    pub doc: &'static str,
}

const fn f(name: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        immutable: false,
        set: false,
        sensitive: false,
        default: None,
        doc,
    }
}

impl Field {
    const fn immutable(mut self) -> Self {
        self.immutable = true;
        self
    }
    const fn set(mut self) -> Self {
        self.set = true;
        self
    }
    const fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    const fn default(mut self, json: &'static str) -> Self {
        self.default = Some(json);
        self
    }

    /// The default as a value (`Null` when there is none).
    pub fn default_value(&self) -> crate::Value {
        match self.default {
            None => crate::Value::Null,
            Some(json) => crate::Value::from_json(
                &serde_json::from_str(json).expect("field defaults are valid JSON"),
            ),
        }
    }
}

/// Metadata of a kind.
#[derive(Clone, Copy, Debug)]
pub struct KindInfo {
    pub kind: Kind,
    /// snake_case name, as in plans and addresses' docs.
    pub name: &'static str,
    /// The kind this one lives under (its live object carries the parent's physical id).
    /// `None` for top-level kinds; Identity Center kinds hang off the instance, Identity Store
    /// kinds off the store, which are not resources.
    pub parent: Option<Kind>,
    /// Whether AWS tags this kind (ownership tags `idplane:stack` / `idplane:address` go there).
    pub taggable: bool,
    /// The field whose value is unique among siblings (the natural key), if any.
    pub natural_key: Option<&'static str>,
    /// Outputs other resources may reference (`${address.output}`).
    pub outputs: &'static [&'static str],
    pub fields: &'static [Field],
    /// One line for docs.
    pub doc: &'static str,
    /// The spec's collection name for objects of this kind (`clients`, `trusted_token_issuers`;
    /// `domain` and `assignment_configuration` for singletons): the address segment of a live
    /// object the spec does not declare.
    pub collection: &'static str,
    /// The AWS service that owns the kind.
    pub service: Service,
    /// Which writes must not overlap with a write of this kind (one writer per pool).
    pub writer_scope: WriterScope,
    /// The output of the parent that is this kind's parent id (`id` of a pool or group, `arn`
    /// of an application); `None` exactly when `parent` is `None`.
    pub parent_output: Option<&'static str>,
    /// How a replace proceeds: names unique among siblings must be freed first
    /// (delete, then create); kinds whose names need not be unique get the new object first.
    pub replace_order: ReplaceOrder,
    /// Whether a desired resource may be matched to a live object by its natural key once the
    /// ownership tags found none (pools: never, names are not unique).
    pub adopt_by_name: bool,
    /// Whether the kind is one object per parent, matched without a key.
    pub singleton: Singleton,
    /// Whether a managed object of this kind owns every live child (all of them are in the
    /// managed scope, not only the kinds the spec declares under it).
    pub owns_all_children: bool,
    /// Whether AWS can delete it (the assignment configuration has no delete API: it is kept).
    pub deletable: bool,
    /// Whether, when its parent is replaced, the object moves to the new parent (deleted then
    /// created: its name is unique, e.g. a domain prefix) instead of being created anew while
    /// the old one goes with the old parent.
    pub moves_with_replaced_parent: bool,
    /// Whether AWS creates, updates and deletes it in the background, after the call returned
    /// (a user pool domain goes through `CREATING` / `DELETING`): the executor then waits.
    pub settles_in_background: bool,
    /// Whether AWS itself refuses a second object with this kind's key (name, identifier,
    /// domain, grant type, ...) under one parent, so a concurrent create fails instead of
    /// making a twin. User pools, app clients, identity pools and applications can share a
    /// name: two applies of one stack at once settle their twins by keeping the oldest.
    pub unique_in_cloud: bool,
    /// Fields where a spec that says nothing means "whatever AWS has" rather than the AWS
    /// default: AWS fills them itself (`account_recovery`, `portal_options`), they cannot be
    /// removed once set (`sms_configuration`, `developer_provider_name`; a group's `precedence`
    /// and `role_arn`, which UpdateGroup can change but not clear), the spec may leave them to
    /// the console (`issuer_type`), or switching them off behind the owner's back would be
    /// unsafe (`deletion_protection` turned on in the console).
    pub keep_live_when_silent: &'static [&'static str],
    /// Fields compared as one value even when they are maps (JSON documents, grants).
    pub documents: &'static [&'static str],
    /// The spec's spelling of a natural key as an address segment (`grants.jwt_bearer`).
    pub spec_key: fn(&str) -> String,
}

/// The AWS service (and SDK client) a kind belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// Cognito user pools (`cognito-idp`).
    CognitoUserPools,
    /// Cognito identity pools (`cognito-identity`).
    CognitoIdentityPools,
    /// IAM Identity Center (`sso-admin`).
    SsoAdmin,
    /// The Identity Center identity store (`identitystore`).
    IdentityStore,
}

/// Which changes may not run at the same time as a change of this kind: Cognito answers
/// concurrent writes to one pool with `ConcurrentModificationException`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriterScope {
    /// No restriction.
    Free,
    /// One writer at a time for the object itself (a user pool, an identity pool).
    Itself,
    /// One writer at a time for its parent and everything under it (a user pool's children).
    Parent,
}

/// Whether a kind is one object per parent, matched without a natural key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Singleton {
    /// Matched by pinned id, tags or natural key only.
    No,
    /// Always one per parent (the assignment configuration).
    Always,
    /// One per parent when the spec declares one under it: a pool's domain whose prefix
    /// changed is a replace, not a create plus a delete at the same address.
    WhenOnlyOneDeclared,
}

impl KindInfo {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Whether `name` is one of the kind's fields.
    pub fn declares(&self, name: &str) -> bool {
        self.field(name).is_some()
    }

    /// The keys of `attrs` that are not fields of the kind (sorted).
    pub fn undeclared<'a>(&self, attrs: &'a Attrs) -> Vec<&'a str> {
        attrs
            .keys()
            .map(String::as_str)
            .filter(|k| !self.declares(k))
            .collect()
    }

    /// Whether the spec's silence on `field` keeps the live value (see
    /// [`KindInfo::keep_live_when_silent`]).
    pub fn keeps_live_when_silent(&self, field: &str) -> bool {
        self.keep_live_when_silent.contains(&field)
    }

    /// Whether `field` is compared as one value (see [`KindInfo::documents`]).
    pub fn is_document(&self, field: &str) -> bool {
        self.documents.contains(&field)
    }
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::UserPool,
        Kind::UserPoolDomain,
        Kind::IdentityProvider,
        Kind::ResourceServer,
        Kind::UserPoolClient,
        Kind::UserPoolGroup,
        Kind::IdentityPool,
        Kind::TrustedTokenIssuer,
        Kind::Application,
        Kind::ApplicationGrant,
        Kind::ApplicationAccessScope,
        Kind::ApplicationAuthenticationMethod,
        Kind::ApplicationAssignmentConfiguration,
        Kind::ApplicationAssignment,
        Kind::IdentityStoreUser,
        Kind::IdentityStoreGroup,
        Kind::IdentityStoreGroupMembership,
    ];

    pub fn info(self) -> &'static KindInfo {
        match self {
            Kind::UserPool => &user_pool::INFO,
            Kind::UserPoolDomain => &user_pool_domain::INFO,
            Kind::IdentityProvider => &identity_provider::INFO,
            Kind::ResourceServer => &resource_server::INFO,
            Kind::UserPoolClient => &user_pool_client::INFO,
            Kind::UserPoolGroup => &user_pool_group::INFO,
            Kind::IdentityPool => &identity_pool::INFO,
            Kind::TrustedTokenIssuer => &trusted_token_issuer::INFO,
            Kind::Application => &application::INFO,
            Kind::ApplicationGrant => &application_grant::INFO,
            Kind::ApplicationAccessScope => &application_access_scope::INFO,
            Kind::ApplicationAuthenticationMethod => &application_authentication_method::INFO,
            Kind::ApplicationAssignmentConfiguration => &application_assignment_configuration::INFO,
            Kind::ApplicationAssignment => &application_assignment::INFO,
            Kind::IdentityStoreUser => &identity_store_user::INFO,
            Kind::IdentityStoreGroup => &identity_store_group::INFO,
            Kind::IdentityStoreGroupMembership => &identity_store_group_membership::INFO,
        }
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Whether AWS creates, updates and deletes objects of this kind in the background, after
    /// the call returned (a user pool domain goes through `CREATING` / `DELETING`): the
    /// executor then waits until the object is settled or gone.
    pub fn settles_in_background(self) -> bool {
        self.info().settles_in_background
    }

    /// Whether AWS refuses a second object with this kind's key under one parent (see
    /// [`KindInfo::unique_in_cloud`]).
    pub fn unique_in_cloud(self) -> bool {
        self.info().unique_in_cloud
    }

    /// Whether this kind belongs to IAM Identity Center (sso-admin) or the Identity Store.
    pub fn is_identity_center(self) -> bool {
        match self.info().service {
            Service::SsoAdmin | Service::IdentityStore => true,
            Service::CognitoUserPools | Service::CognitoIdentityPools => false,
        }
    }

    /// The position of the kind in [`Kind::ALL`] (an exhaustive match: a new variant does not
    /// compile until it has one, and a const assertion checks `ALL` against it).
    pub const fn index(self) -> usize {
        match self {
            Kind::UserPool => 0,
            Kind::UserPoolDomain => 1,
            Kind::IdentityProvider => 2,
            Kind::ResourceServer => 3,
            Kind::UserPoolClient => 4,
            Kind::UserPoolGroup => 5,
            Kind::IdentityPool => 6,
            Kind::TrustedTokenIssuer => 7,
            Kind::Application => 8,
            Kind::ApplicationGrant => 9,
            Kind::ApplicationAccessScope => 10,
            Kind::ApplicationAuthenticationMethod => 11,
            Kind::ApplicationAssignmentConfiguration => 12,
            Kind::ApplicationAssignment => 13,
            Kind::IdentityStoreUser => 14,
            Kind::IdentityStoreGroup => 15,
            Kind::IdentityStoreGroupMembership => 16,
        }
    }
}

// `Kind::ALL` lists each kind once, at its `index()`. (That it lists every variant is checked
// by the test `all_lists_every_variant`, against the variant list serde's derive generates.)
const _: () = {
    let mut i = 0;
    while i < Kind::ALL.len() {
        assert!(
            Kind::ALL[i].index() == i,
            "Kind::ALL is out of step with Kind::index"
        );
        i += 1;
    }
};

/// Panics (in debug builds) when `attrs` holds a key that is not a field of `kind`: every
/// attribute key that crosses a crate boundary is a declared field of its kind.
#[track_caller]
pub fn debug_assert_declared(kind: Kind, attrs: &Attrs) {
    if cfg!(debug_assertions) {
        let undeclared = kind.info().undeclared(attrs);
        assert!(
            undeclared.is_empty(),
            "{kind}: attribute keys that are not fields of the kind: {undeclared:?}"
        );
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The grant types of `application_grant.grant_type`, as sso-admin spells them.
pub const GRANT_TYPES: [&str; 4] = [
    "authorization_code",
    "refresh_token",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:token-exchange",
];

/// The provider ARN of customer-managed OAuth applications (the only kind the API creates).
pub const CUSTOM_APPLICATION_PROVIDER: &str = "arn:aws:sso::aws:applicationProvider/custom";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for kind in Kind::ALL {
            let info = kind.info();
            assert_eq!(info.kind, kind);
            for field in info.fields {
                let _ = field.default_value();
            }
            if let Some(key) = info.natural_key {
                assert!(info.field(key).is_some(), "{kind}: natural key {key}");
            }
            assert_eq!(info.taggable, info.field("tags").is_some(), "{kind}");
            assert_eq!(
                info.parent.is_some(),
                info.parent_output.is_some(),
                "{kind}"
            );
            if let (Some(parent), Some(output)) = (info.parent, info.parent_output) {
                assert!(
                    parent.info().outputs.contains(&output),
                    "{kind}: parent output {output}"
                );
            }
            for name in info.keep_live_when_silent.iter().chain(info.documents) {
                assert!(info.declares(name), "{kind}: {name} is not a field");
            }
            if info.writer_scope == WriterScope::Parent {
                assert!(info.parent.is_some(), "{kind}: writer scope Parent");
            }
            if info.singleton != Singleton::No {
                assert!(info.parent.is_some(), "{kind}: singleton without parent");
            }
            assert!(!info.collection.is_empty(), "{kind}");
            // A name AWS keeps unique must be freed before a replacement takes it; a kind
            // whose name AWS does not keep unique gets the new object first.
            assert_eq!(
                info.unique_in_cloud,
                info.replace_order == ReplaceOrder::DeleteThenCreate,
                "{kind}: unique_in_cloud and replace_order disagree"
            );
        }
    }

    /// The variant names serde's derive lists for `Kind` (the `VARIANTS` it hands to
    /// `deserialize_enum`): the compiler's own list of variants.
    fn serde_variants() -> &'static [&'static str] {
        use serde::de::{self, Deserializer, Visitor};
        struct Grab<'a>(&'a mut Option<&'static [&'static str]>);
        impl<'de> Deserializer<'de> for Grab<'_> {
            type Error = de::value::Error;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
                Err(de::Error::custom("only enums"))
            }
            fn deserialize_enum<V: Visitor<'de>>(
                self,
                _: &'static str,
                variants: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Self::Error> {
                *self.0 = Some(variants);
                Err(de::Error::custom("grabbed"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
                struct identifier ignored_any
            }
        }
        let mut got = None;
        let _ = Kind::deserialize(Grab(&mut got));
        got.expect("Kind deserializes as an enum")
    }

    #[test]
    fn all_lists_every_variant() {
        let variants = serde_variants();
        let all: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(all, variants, "Kind::ALL must list every variant, in order");
        for (i, kind) in Kind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), i);
            assert_eq!(kind.info().kind, kind);
        }
    }

    #[test]
    fn field_constants_are_the_field_names() {
        assert_eq!(user_pool::field::SCHEMA, "schema");
        assert!(
            USER_POOL_INFO_DECLARES
                .iter()
                .all(|f| Kind::UserPool.info().declares(f))
        );
        let undeclared: Attrs = [("nope".to_string(), crate::Value::Null)].into();
        assert_eq!(Kind::UserPool.info().undeclared(&undeclared), vec!["nope"]);
    }

    const USER_POOL_INFO_DECLARES: [&str; 3] = [
        user_pool::field::NAME,
        user_pool::field::LAMBDA_CONFIG,
        user_pool::field::TAGS,
    ];

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "not fields of the kind")]
    fn undeclared_keys_panic_in_debug_builds() {
        let attrs: Attrs = [("colour".to_string(), crate::Value::str("red"))].into();
        debug_assert_declared(Kind::UserPoolGroup, &attrs);
    }
}
