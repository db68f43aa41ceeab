//! The idplane planner: a pure function from desired and observed state to an ordered, explained,
//! safe plan, and its renderers.
//!
//! No I/O, no async, no clock, no randomness: equal inputs give a byte-identical plan.
//!
//! # Entry points
//! - [`plan`] (`Desired` + `Observed` + [`PlanOptions`] -> `Plan`), used by `idplane plan/apply`;
//! - [`drift`] (-> [`DriftReport`]), used by `idplane drift`;
//! - [`normalize`] + [`differences`] (re-exported from `idplane-model`, where they live: the
//!   executor uses them from there to check a plan is not stale);
//! - [`render`]: text, JSON and Markdown for plans and drift reports.
//!
//! # Decisions (each one tested in `tests/it`)
//! - **Matching** a desired resource to a live object, in order: its pinned id; the ownership
//!   tags (`idplane:stack` = the stack, `idplane:address` = the address) for taggable kinds; the
//!   unique natural key among the live children of the matched parent (or among top-level
//!   objects for trusted token issuers, applications and identity-store users and groups),
//!   skipping objects tagged for another stack or for another address the spec still declares.
//!   User pools and identity pools are never matched by name (names are not unique). A pool's
//!   only domain and an application's assignment configuration match as singletons. Two
//!   candidates are [`PlanError::Ambiguous`].
//! - **Managed scope** (what may be deleted): taggable objects tagged with the stack; every child
//!   of a matched managed user pool or application; children of other matched parents (a
//!   referenced application, an identity-store group) only of the kinds the spec declares under
//!   them; the children of a deleted pool or application. Never: identity-store users and
//!   groups, the assignment configuration (no delete API; a warning says so), anything else.
//! - **Classification**: no differences = no-op; a difference on an immutable field, or a user
//!   pool schema change other than adding a custom attribute = replace, else update. Replace
//!   order: create-then-delete for kinds whose names need not be unique (user pool, identity
//!   pool, app client, application), delete-then-create for the others (`KindInfo::replace_order`).
//!   Children of a replaced parent are created in the new parent (the old ones go with the old
//!   parent), except a pool's domain, which is replaced delete-then-create (its prefix is unique).
//!   `Mode::Referenced` resources are always no-ops and must exist.
//! - **Unknowns**: a reference to a resource that is live and neither created nor replaced
//!   resolves to its live output; otherwise it becomes `Value::Unknown`. An unknown value on an
//!   immutable field forces a replace (a TTI whose pool is replaced is replaced too).
//! - **Guards** ([`PlanError::Refused`], every reason naming its flag): replacing or deleting a
//!   user pool needs `--allow-replace-user-pools` / `--allow-delete-user-pools`; a live pool with
//!   `deletion_protection: ACTIVE` is never replaced or deleted, whatever the flags; deleting more
//!   than `max_delete_fraction` of the managed live objects (counted when there are more than 3)
//!   needs `--allow-mass-delete`.
//! - **Targets**: the targeted addresses, everything under them, and (transitively) what they
//!   depend on.
//! - **Order**: creates, updates, replaces and no-ops in levels on the dependency graph
//!   (`depends_on`, parent, references); then deletes in their own levels, children first.
//!   Changes are sorted by (level, address).

// No `match` on `Kind` (or on another enum of ours) has a catch-all arm: a new kind is a compile
// error wherever the planner must decide something for it.
#![deny(clippy::wildcard_enum_match_arm)]

mod drift;
mod planner;
pub mod render;

pub use drift::{DriftEntry, DriftReport, DriftStatus, drift};
pub use planner::{PlanError, PlanOptions, plan};
// `normalize` and `differences` are vocabulary and live in `idplane-model`; re-exported here for
// the crates that still import them from the planner.
pub use idplane_model::diff::{differences, with_clearing};
pub use idplane_model::normalize::{
    IDP_READ_ONLY_KEYS, OIDC_DISCOVERED_KEYS, is_standard_attribute, normalize,
};
