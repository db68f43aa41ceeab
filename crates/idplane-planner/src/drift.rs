//! Drift: where live state and the spec disagree, without planning anything to fix it.
//!
//! Built on [`crate::plan`] with the guards off: an update or replace is an object whose live
//! attributes moved away from the spec, a create is a missing object, a delete is an unmanaged
//! object in the managed scope.

use crate::planner::{PlanError, PlanOptions, plan_with};
use idplane_model::plan::PLAN_FORMAT_VERSION;
use idplane_model::{Action, Address, AttrDiff, Desired, Kind, Observed};
use serde::{Deserialize, Serialize};

/// How one object drifted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftStatus {
    /// Live, but some attributes differ from the spec.
    Changed,
    /// In the spec, not live.
    Missing,
    /// Live in the managed scope, not in the spec.
    Unmanaged,
}

/// One drifted object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriftEntry {
    pub address: Address,
    pub kind: Kind,
    pub status: DriftStatus,
    pub live_id: Option<String>,
    /// Attribute differences (`before` = live, `after` = spec); empty unless `changed`.
    pub diffs: Vec<AttrDiff>,
}

/// Every drifted object of a stack, by address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriftReport {
    pub format_version: u32,
    pub stack: String,
    pub region: String,
    pub entries: Vec<DriftEntry>,
    /// How many objects match the spec.
    pub in_sync: usize,
    /// Notes that are not drift: an object AWS is still setting up, or could not set up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl DriftReport {
    /// Whether anything drifted (for `--detailed-exitcode`-style exit codes).
    pub fn has_drift(&self) -> bool {
        !self.entries.is_empty()
    }
}

/// Compares live state with the spec.
///
/// # Errors
/// The matching errors of [`crate::plan`] ([`PlanError::Ambiguous`], [`PlanError::Invalid`]); never
/// [`PlanError::Refused`].
pub fn drift(desired: &Desired, observed: &Observed) -> Result<DriftReport, PlanError> {
    let p = plan_with(desired, observed, &PlanOptions::default(), false)?;
    let mut entries = Vec::new();
    let mut in_sync = 0;
    for c in p.changes {
        let status = match c.action {
            // An object not yet tagged by the stack but equal to the spec has not drifted.
            Action::NoOp | Action::Adopt => {
                in_sync += 1;
                continue;
            }
            Action::Create => DriftStatus::Missing,
            Action::Delete => DriftStatus::Unmanaged,
            Action::Update | Action::Replace(_) => DriftStatus::Changed,
        };
        entries.push(DriftEntry {
            address: c.address,
            kind: c.kind,
            status,
            live_id: c.live_id,
            diffs: c.diffs,
        });
    }
    entries.sort_by(|a, b| a.address.cmp(&b.address));
    Ok(DriftReport {
        format_version: PLAN_FORMAT_VERSION,
        stack: p.stack,
        region: p.region,
        entries,
        in_sync,
        warnings: p.warnings,
    })
}
