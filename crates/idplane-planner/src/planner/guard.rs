//! Targets (`--target`) and the safety guards (user pool replace/delete, mass delete).

use super::{Decision, PlanError, PlanOptions};
use idplane_model::kind::user_pool;
use idplane_model::{Action, Address, Kind, Mode, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Keeps the targeted changes, what lies under them and what they depend on.
pub(super) fn select_targets(decisions: &mut BTreeMap<Address, Decision>, targets: &[Address]) {
    let mut keep: BTreeSet<Address> = decisions
        .keys()
        .filter(|a| targets.iter().any(|t| a.starts_with(t)))
        .cloned()
        .collect();
    let mut stack: Vec<Address> = keep.iter().cloned().collect();
    while let Some(a) = stack.pop() {
        let Some(d) = decisions.get(&a) else { continue };
        for dep in d.deps.iter().chain(d.parent.iter()) {
            if d.action != Action::Delete && keep.insert(dep.clone()) {
                stack.push(dep.clone());
            }
        }
    }
    decisions.retain(|a, _| keep.contains(a));
}

pub(super) fn guard(
    decisions: &BTreeMap<Address, Decision>,
    opts: &PlanOptions,
) -> Result<(), PlanError> {
    let mut reasons = Vec::new();
    for (addr, d) in decisions {
        if d.kind != Kind::UserPool {
            continue;
        }
        let verb = match d.action {
            Action::Replace(_) => "replace",
            Action::Delete => "delete",
            Action::NoOp | Action::Create | Action::Update | Action::Adopt => continue,
        };
        let live_id = d.live_id.clone().unwrap_or_default();
        let protected = d
            .before
            .as_ref()
            .and_then(|b| b.get(user_pool::field::DELETION_PROTECTION))
            .and_then(Value::as_str)
            == Some("ACTIVE");
        if protected {
            reasons.push(format!(
                "{addr}: the plan would {verb} user pool `{live_id}`, whose deletion_protection is ACTIVE live; no flag overrides it: set deletion_protection to INACTIVE, apply that, then plan again"
            ));
        } else if verb == "replace" && !opts.allow_replace_user_pools {
            reasons.push(format!(
                "{addr}: the plan would replace user pool `{live_id}`, destroying all its users; add --allow-replace-user-pools to allow it"
            ));
        } else if verb == "delete" && !opts.allow_delete_user_pools {
            reasons.push(format!(
                "{addr}: the plan would delete user pool `{live_id}` and all its users; add --allow-delete-user-pools to allow it"
            ));
        }
    }
    let managed_live = decisions
        .values()
        .filter(|d| d.mode == Mode::Managed && (d.live.is_some() || d.action == Action::Delete))
        .count();
    let deletes = decisions
        .values()
        .filter(|d| d.action == Action::Delete)
        .count();
    if managed_live > 3
        && !opts.allow_mass_delete
        && (deletes as f64) > opts.max_delete_fraction * managed_live as f64
    {
        reasons.push(format!(
            "the plan would delete {deletes} of the {managed_live} managed live objects, more than {:.0}%; add --allow-mass-delete to allow it",
            opts.max_delete_fraction * 100.0
        ));
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(PlanError::Refused { reasons })
    }
}
