//! The idplane planner: a pure function from desired and observed state to an ordered, explained,
//! safe plan, and its renderers.
//!
//! No I/O, no async, no clock, no randomness: equal inputs give a byte-identical plan.

mod diff;
mod normalize;

pub use diff::{KEEP_LIVE_WHEN_SILENT, differences};
pub use normalize::{IDP_READ_ONLY_KEYS, OIDC_DISCOVERED_KEYS, is_standard_attribute, normalize};
mod planner;

pub use planner::{PlanError, PlanOptions, plan, replace_order};
mod drift;
pub mod render;

pub use drift::{DriftEntry, DriftReport, DriftStatus, drift};
