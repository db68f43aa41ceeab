//! `plan`: matching desired resources to live objects, classifying changes, resolving references,
//! ordering on the dependency graph and applying the safety guards.

use idplane_model::plan::PLAN_FORMAT_VERSION;
use idplane_model::{
    Action, Address, AttrDiff, Attrs, Desired, Kind, Mode, OUTPUT_STATUS, Observed, Plan,
    PlanSummary, Transition,
};
use std::collections::{BTreeMap, BTreeSet};

mod decide;
mod deletes;
mod graph;
mod guard;
mod matching;

use decide::decide;
use deletes::plan_deletes;
use graph::order;
use guard::{guard, select_targets};

/// Options of [`plan`]. `Default` is the safe setting: no pool replaced or deleted, deletes of
/// more than 30% of the managed objects refused, every resource planned.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanOptions {
    /// Allow a plan that replaces a user pool (which destroys its users).
    pub allow_replace_user_pools: bool,
    /// Allow a plan that deletes a user pool.
    pub allow_delete_user_pools: bool,
    /// Largest share of the managed live objects a plan may delete (when there are more than 3).
    pub max_delete_fraction: f64,
    /// Allow deleting more than `max_delete_fraction`.
    pub allow_mass_delete: bool,
    /// Empty = all. Else these addresses, what lies under them, and what they depend on.
    pub targets: Vec<Address>,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            allow_replace_user_pools: false,
            allow_delete_user_pools: false,
            max_delete_fraction: 0.3,
            allow_mass_delete: false,
            targets: Vec::new(),
        }
    }
}

/// Why no plan could be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// A guard refused the plan; each reason names the flag that would allow it.
    #[error("plan refused:\n  - {}", reasons.join("\n  - "))]
    Refused { reasons: Vec<String> },
    /// More than one live object could be the one the spec means.
    #[error("{address}: more than one live object matches ({}); pin the id in the spec", candidates.join(", "))]
    Ambiguous {
        address: Address,
        candidates: Vec<String>,
    },
    /// The inputs contradict themselves (a missing referenced resource, a dependency cycle...).
    #[error("{0}")]
    Invalid(String),
}

/// The decision for one desired resource, before ordering.
struct Decision {
    action: Action,
    live: Option<usize>,
    live_id: Option<String>,
    parent_live_id: Option<String>,
    before: Option<Attrs>,
    after: Option<Attrs>,
    diffs: Vec<AttrDiff>,
    reasons: Vec<String>,
    deps: BTreeSet<Address>,
    unmanaged: bool,
    /// The live object lacks this stack's ownership tags for this address (taggable kinds).
    adopt: bool,
    kind: Kind,
    parent: Option<Address>,
    mode: Mode,
}

/// Warns of the objects the plan keeps that AWS is still setting up in the background (a user
/// pool domain an apply with `--no-wait` left `CREATING`) or could not set up (`FAILED`).
fn background_warnings(
    decisions: &BTreeMap<Address, Decision>,
    observed: &Observed,
    warnings: &mut Vec<String>,
) {
    for (address, d) in decisions {
        let Some(live) = d.live.map(|i| &observed.objects[i]) else {
            continue;
        };
        if matches!(d.action, Action::Delete | Action::Replace(_)) {
            continue;
        }
        let status = live.outputs.get(OUTPUT_STATUS).map(String::as_str);
        match (status, live.transition()) {
            (Some("FAILED"), _) => warnings.push(format!(
                "{address}: AWS reports FAILED for `{}`: it could not set it up (for a custom \
                 domain, check its certificate); delete it in AWS and apply again to create it anew",
                live.id
            )),
            (_, Some(t @ (Transition::Creating | Transition::Updating))) => {
                warnings.push(format!(
                    "{address}: AWS is still setting up `{}` ({t}); it is usable once ACTIVE",
                    live.id
                ))
            }
            (_, Some(Transition::Deleting) | None) => {}
        }
    }
}

/// Plans the changes that take `observed` to `desired`.
///
/// # Errors
/// [`PlanError::Ambiguous`] when two live objects match one desired resource,
/// [`PlanError::Invalid`] for a missing referenced or pinned object, an unknown parent or
/// reference, or a dependency cycle, and [`PlanError::Refused`] when a guard says no.
pub fn plan(desired: &Desired, observed: &Observed, opts: &PlanOptions) -> Result<Plan, PlanError> {
    plan_with(desired, observed, opts, true)
}

/// [`plan`], with the guards optional (drift reports; never for apply).
pub(crate) fn plan_with(
    desired: &Desired,
    observed: &Observed,
    opts: &PlanOptions,
    guarded: bool,
) -> Result<Plan, PlanError> {
    // Every attribute key the spec hands over is a declared field of its kind (normalize would
    // drop a stray one silently, and the spec's intent with it). Live objects are checked where
    // the provider builds them (`LiveObject::new`, `Observed::push`); normalize still drops
    // read-only keys a provider passes on (rule 1).
    debug_assert!(
        desired.undeclared_keys().is_empty(),
        "desired attributes that are not fields of their kind: {:?}",
        desired.undeclared_keys()
    );
    let mut decisions = decide(desired, observed)?;
    let mut warnings = Vec::new();
    plan_deletes(desired, observed, &mut decisions, &mut warnings);
    background_warnings(&decisions, observed, &mut warnings);
    if !opts.targets.is_empty() {
        select_targets(&mut decisions, &opts.targets);
    }
    if guarded {
        guard(&decisions, opts)?;
    }
    let changes = order(decisions);
    let mut summary = PlanSummary::default();
    for c in &changes {
        match c.action {
            Action::NoOp => summary.unchanged += 1,
            Action::Create => summary.add += 1,
            Action::Update => summary.change += 1,
            Action::Adopt => summary.adopt += 1,
            Action::Replace(_) => summary.replace += 1,
            Action::Delete => summary.destroy += 1,
        }
    }
    Ok(Plan {
        format_version: PLAN_FORMAT_VERSION,
        stack: desired.stack.clone(),
        region: desired.region.clone(),
        changes,
        summary,
        warnings,
    })
}
