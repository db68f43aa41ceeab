//! Plans: the ordered, explained changes that take live state to the desired state.

use crate::address::Address;
use crate::kind::Kind;
use crate::value::{Attrs, Value};
use serde::{Deserialize, Serialize};

/// The JSON plan format version (documented in `specs/plan-format.md`).
pub const PLAN_FORMAT_VERSION: u32 = 1;

/// How a replace proceeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplaceOrder {
    DeleteThenCreate,
    CreateThenDelete,
}

/// What happens to one resource. The set is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "order")]
pub enum Action {
    /// Live equals desired. `before` = `after` = the live attributes.
    NoOp,
    /// Not live yet. `before` = None, `after` = desired (may hold unknowns).
    Create,
    /// Changed in place. `before` = live, `after` = desired merged over live.
    Update,
    /// Live equals desired, but the object does not carry this stack's ownership tags for this
    /// address yet (matched by a pinned id or a natural key: made by hand, by a script, or by
    /// another tool). Apply adds the ownership tags and changes nothing else.
    /// `before` = `after` = the live attributes.
    Adopt,
    /// A field that cannot change in place differs: a new resource. `before` = live, `after` = desired.
    Replace(ReplaceOrder),
    /// Live but no longer wanted. `before` = live, `after` = None.
    Delete,
}

impl Action {
    /// Terraform-style symbol: `+`, `~`, `-/+` (or `+/-`), `-`, and a space for no-op.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::NoOp => " ",
            Action::Create => "+",
            Action::Update => "~",
            Action::Adopt => "&",
            Action::Replace(ReplaceOrder::DeleteThenCreate) => "-/+",
            Action::Replace(ReplaceOrder::CreateThenDelete) => "+/-",
            Action::Delete => "-",
        }
    }
}

/// Whether a difference comes from the spec changing or from live state moving away from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffOrigin {
    /// The spec asks for something live does not have yet.
    Spec,
    /// Live state moved away from what the spec (unchanged) says: someone changed it by hand.
    Drift,
    /// Cannot tell (stateless comparison without a record of the last apply).
    Unknown,
}

/// One attribute-level difference, at a dotted path inside the resource (`password_policy.minimum_length`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttrDiff {
    pub path: String,
    pub before: Value,
    pub after: Value,
    /// This difference forces a replace.
    pub forces_replace: bool,
    pub origin: DiffOrigin,
}

/// The planned change of one resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub address: Address,
    pub kind: Kind,
    pub action: Action,
    pub parent: Option<Address>,
    /// The live object's physical id (None for creates).
    pub live_id: Option<String>,
    /// The parent's physical id when known at plan time.
    pub parent_live_id: Option<String>,
    /// Normalized live attributes (None for creates). What the executor checks for staleness.
    pub before: Option<Attrs>,
    /// Normalized desired attributes (None for deletes). May hold `Value::Unknown`.
    pub after: Option<Attrs>,
    pub diffs: Vec<AttrDiff>,
    /// Human-readable reasons (why a replace, why a delete, what a guard said).
    pub reasons: Vec<String>,
    /// Addresses that must be applied first.
    pub depends_on: Vec<Address>,
    /// The parallel level (0 first); deletes come in their own levels after creates/updates.
    pub level: usize,
    /// True when the object is inside the managed scope but not in the spec (delete candidates,
    /// and what `drift` reports as unmanaged).
    pub unmanaged: bool,
    /// The live object lacks this stack's ownership tags for this address: apply adds them
    /// (always for `adopt`; after the update for an `update` of an untagged object).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub adopt: bool,
}

/// Counts for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub add: usize,
    pub change: usize,
    pub replace: usize,
    pub destroy: usize,
    pub unchanged: usize,
    /// Objects that only get this stack's ownership tags (left out of JSON when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub adopt: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A complete plan. Equal inputs give a byte-identical plan (no clock, no randomness).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub format_version: u32,
    pub stack: String,
    pub region: String,
    /// Changes in apply order (level by level, then by address); no-ops included.
    pub changes: Vec<Change>,
    pub summary: PlanSummary,
    /// Notes for the reader that do not block (e.g. an unmanaged object kept).
    pub warnings: Vec<String>,
}

impl Plan {
    /// Whether applying would change anything.
    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| c.action != Action::NoOp)
    }

    pub fn change(&self, address: &Address) -> Option<&Change> {
        self.changes.iter().find(|c| &c.address == address)
    }
}
