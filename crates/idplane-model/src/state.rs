//! Desired state (lowered from the spec) and observed state (read from AWS).

use crate::address::Address;
use crate::kind::Kind;
use crate::value::{Attrs, Value};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Where in the spec a resource was declared.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceSpan {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

/// How the stack relates to a desired resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Created, updated and deleted by idplane.
    #[default]
    Managed,
    /// Must already exist (given by pinned id); never created, updated or deleted. Its outputs
    /// can be referenced and its children (e.g. a SAML application's assignments) managed.
    Referenced,
}

/// Which IAM Identity Center instance the stack uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum InstanceSelector {
    /// The stack has no Identity Center part.
    #[default]
    None,
    /// The account's only instance.
    Auto,
    /// This instance ARN.
    Arn(String),
}

/// One resource the spec wants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DesiredResource {
    pub address: Address,
    pub kind: Kind,
    /// The resource this one lives under (a pool for a client, an application for a grant).
    pub parent: Option<Address>,
    /// A physical id pinned in the spec (adoption, or referenced resources).
    pub pinned_id: Option<String>,
    pub mode: Mode,
    /// The fields of the kind (see `Kind::info().fields`); fields left out of the spec are
    /// absent here (the planner fills AWS defaults on both sides).
    pub attrs: Attrs,
    /// Other resources that must exist first (parent, references, IdPs a client lists...).
    pub depends_on: BTreeSet<Address>,
    pub source: Option<SourceSpan>,
}

impl DesiredResource {
    /// A managed resource of `kind` at `address`, top-level, with no pin, dependency or source.
    /// Every key of `attrs` must be a field of the kind (checked in debug builds).
    #[track_caller]
    pub fn new(address: Address, kind: Kind, attrs: Attrs) -> Self {
        crate::kind::debug_assert_declared(kind, &attrs);
        DesiredResource {
            address,
            kind,
            parent: None,
            pinned_id: None,
            mode: Mode::Managed,
            attrs,
            depends_on: BTreeSet::new(),
            source: None,
        }
    }

    /// The natural key value, when the kind has one and it is known.
    pub fn natural_key(&self) -> Option<&str> {
        let key = self.kind.info().natural_key?;
        self.attrs.get(key)?.as_str()
    }
}

/// Everything the spec wants, after variables and references are resolved to `Value::Ref`s.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Desired {
    pub stack: String,
    pub region: String,
    /// The accounts the stack may be applied to (`account` in the spec); empty = any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    /// The role to assume on top of the usual credentials (`assume_role` in the spec).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assume_role: Option<AssumeRole>,
    pub identity_center: InstanceSelector,
    /// The region of IAM Identity Center and its Identity Store (its home region), when the
    /// spec names one other than `region`.
    #[serde(default)]
    pub identity_center_region: Option<String>,
    pub resources: BTreeMap<Address, DesiredResource>,
}

impl Desired {
    /// Adds a resource under its address (replacing one there). Every key of its attributes
    /// must be a field of its kind (checked in debug builds).
    #[track_caller]
    pub fn insert(&mut self, r: DesiredResource) -> Option<DesiredResource> {
        crate::kind::debug_assert_declared(r.kind, &r.attrs);
        self.resources.insert(r.address.clone(), r)
    }

    /// Every resource with attribute keys that are not fields of its kind, with those keys.
    pub fn undeclared_keys(&self) -> Vec<(&Address, Vec<&str>)> {
        self.resources
            .values()
            .map(|r| (&r.address, r.kind.info().undeclared(&r.attrs)))
            .filter(|(_, keys)| !keys.is_empty())
            .collect()
    }
}

/// An IAM role every AWS call of the stack is made as (STS `AssumeRole` on top of the
/// credentials the environment holds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssumeRole {
    pub arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_name: Option<String>,
    /// Session length in seconds (900 to 43,200; AWS's default is 3,600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
}

/// The IAM Identity Center instance the stack uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityCenterInstance {
    pub instance_arn: String,
    pub identity_store_id: String,
}

/// One live object as the provider read it, normalized to the kind's fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveObject {
    pub kind: Kind,
    /// Physical id: pool id, client id, domain, IdP name, resource-server identifier, group
    /// name, identity-pool id, TTI ARN, application ARN, grant type, scope, method type,
    /// `assignment_configuration`, `USER:name`, user id, group id, membership id.
    pub id: String,
    /// The parent's physical id (pool id, application ARN, group id), if the kind has a parent.
    pub parent_id: Option<String>,
    /// All tags, ownership tags included (taggable kinds only).
    pub tags: BTreeMap<String, String>,
    /// Field values; `tags` there holds the user tags only. Secrets carry a digest only.
    pub attrs: Attrs,
    /// Output values (`id`, `arn`, `issuer_url`, ...).
    pub outputs: BTreeMap<String, String>,
}

impl LiveObject {
    /// A live object without tags or outputs. Every key of `attrs` must be a field of the kind
    /// (checked in debug builds).
    #[track_caller]
    pub fn new(kind: Kind, id: impl Into<String>, parent_id: Option<String>, attrs: Attrs) -> Self {
        crate::kind::debug_assert_declared(kind, &attrs);
        LiveObject {
            kind,
            id: id.into(),
            parent_id,
            tags: BTreeMap::new(),
            attrs,
            outputs: BTreeMap::new(),
        }
    }

    pub fn natural_key(&self) -> Option<&str> {
        let key = self.kind.info().natural_key?;
        self.attrs.get(key).and_then(Value::as_str)
    }

    /// The stack named by the ownership tag, if any.
    pub fn owner_stack(&self) -> Option<&str> {
        self.tags.get(crate::TAG_STACK).map(String::as_str)
    }

    /// The logical address named by the ownership tag, if any (decoded from the tag alphabet,
    /// see [`crate::ownership`]).
    pub fn owner_address(&self) -> Option<String> {
        self.tags
            .get(crate::TAG_ADDRESS)
            .map(|v| crate::decode_address_tag(v))
    }

    /// What the cloud is still doing to this object in the background, from its `status`
    /// output ([`OUTPUT_STATUS`]): `None` once it is settled (or for kinds without one).
    pub fn transition(&self) -> Option<Transition> {
        match self.outputs.get(OUTPUT_STATUS).map(String::as_str) {
            Some("CREATING") => Some(Transition::Creating),
            Some("UPDATING") => Some(Transition::Updating),
            Some("DELETING") => Some(Transition::Deleting),
            _ => None,
        }
    }
}

/// The output holding the status of an object AWS sets up in the background (a user pool
/// domain's `CREATING`, `UPDATING`, `DELETING`, `ACTIVE`, `FAILED`).
pub const OUTPUT_STATUS: &str = "status";

/// A change the cloud is still making to a live object after the call that asked for it
/// returned (see [`Kind::settles_in_background`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    Creating,
    Updating,
    Deleting,
}

impl Transition {
    /// The AWS status text (`CREATING`, `UPDATING`, `DELETING`).
    pub fn as_str(self) -> &'static str {
        match self {
            Transition::Creating => "CREATING",
            Transition::Updating => "UPDATING",
            Transition::Deleting => "DELETING",
        }
    }
}

impl std::fmt::Display for Transition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the provider read from AWS for one stack.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Observed {
    pub identity_center: Option<IdentityCenterInstance>,
    /// Live objects, sorted by (kind, parent_id, id). Children are included for every pool and
    /// application the stack could own (tagged with the stack, pinned, or named by the spec).
    pub objects: Vec<LiveObject>,
}

impl Observed {
    /// Adds a live object. Every key of its attributes must be a field of its kind (checked in
    /// debug builds).
    #[track_caller]
    pub fn push(&mut self, o: LiveObject) {
        crate::kind::debug_assert_declared(o.kind, &o.attrs);
        self.objects.push(o);
    }

    /// Every object with attribute keys that are not fields of its kind: (kind, id, keys).
    pub fn undeclared_keys(&self) -> Vec<(Kind, &str, Vec<&str>)> {
        self.objects
            .iter()
            .map(|o| (o.kind, o.id.as_str(), o.kind.info().undeclared(&o.attrs)))
            .filter(|(_, _, keys)| !keys.is_empty())
            .collect()
    }

    /// Sorts objects into their canonical order.
    pub fn normalize_order(&mut self) {
        self.objects
            .sort_by(|a, b| (a.kind, &a.parent_id, &a.id).cmp(&(b.kind, &b.parent_id, &b.id)));
    }

    pub fn find(&self, kind: Kind, parent_id: Option<&str>, id: &str) -> Option<&LiveObject> {
        self.objects
            .iter()
            .find(|o| o.kind == kind && o.parent_id.as_deref() == parent_id && o.id == id)
    }

    pub fn children_of<'a>(
        &'a self,
        kind: Kind,
        parent_id: &'a str,
    ) -> impl Iterator<Item = &'a LiveObject> + 'a {
        self.objects
            .iter()
            .filter(move |o| o.kind == kind && o.parent_id.as_deref() == Some(parent_id))
    }
}
