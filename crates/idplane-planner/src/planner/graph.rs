//! The dependency graph: what a resource needs first, the order desired resources are
//! decided in, and the levels of the final plan (deletes last, children before parents).

use super::{Decision, PlanError};
use idplane_model::{Action, Address, Change, Desired, DesiredResource};
use std::collections::{BTreeMap, BTreeSet};

/// Addresses a resource needs first: its parent, `depends_on` and every reference target.
pub(super) fn dependencies(r: &DesiredResource) -> BTreeSet<Address> {
    let mut deps: BTreeSet<Address> = r.depends_on.clone();
    deps.extend(r.parent.clone());
    let mut refs = Vec::new();
    for v in r.attrs.values() {
        v.references(&mut refs);
    }
    deps.extend(refs.into_iter().map(|r| r.address));
    deps.remove(&r.address);
    deps
}

/// Desired resources in dependency order (ties by address).
pub(super) fn topo_order(desired: &Desired) -> Result<Vec<&DesiredResource>, PlanError> {
    let mut deps: BTreeMap<&Address, BTreeSet<Address>> = BTreeMap::new();
    for (addr, r) in &desired.resources {
        let d = dependencies(r);
        for dep in &d {
            if !desired.resources.contains_key(dep) {
                return Err(PlanError::Invalid(format!(
                    "{addr} depends on or references `{dep}`, which the spec does not declare"
                )));
            }
        }
        deps.insert(addr, d);
    }
    let mut done: BTreeSet<Address> = BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < desired.resources.len() {
        let ready: Vec<&Address> = deps
            .iter()
            .filter(|(a, d)| !done.contains(**a) && d.iter().all(|x| done.contains(x)))
            .map(|(a, _)| *a)
            .collect();
        if ready.is_empty() {
            let stuck: Vec<String> = deps
                .keys()
                .filter(|a| !done.contains(**a))
                .map(|a| a.to_string())
                .collect();
            return Err(PlanError::Invalid(format!(
                "dependency cycle among: {}",
                stuck.join(", ")
            )));
        }
        for a in ready {
            done.insert(a.clone());
            out.push(&desired.resources[a]);
        }
    }
    Ok(out)
}

/// Levels and final order: creates/updates/replaces/no-ops first on the dependency graph, then
/// deletes, children before parents.
pub(super) fn order(decisions: BTreeMap<Address, Decision>) -> Vec<Change> {
    let present: BTreeSet<&Address> = decisions.keys().collect();
    let mut level: BTreeMap<Address, usize> = BTreeMap::new();
    // Forward phase: longest path from the roots (decisions are few; iterate to a fixpoint).
    let forward: Vec<&Address> = decisions
        .iter()
        .filter(|(_, d)| d.action != Action::Delete)
        .map(|(a, _)| a)
        .collect();
    let mut changed = true;
    for a in &forward {
        level.insert((*a).clone(), 0);
    }
    while changed {
        changed = false;
        for a in &forward {
            let d = &decisions[*a];
            let want = d
                .deps
                .iter()
                .filter_map(|dep| level.get(dep).map(|l| l + 1))
                .max()
                .unwrap_or(0);
            if want > level[*a] {
                level.insert((*a).clone(), want);
                changed = true;
            }
        }
    }
    let base = level.values().copied().max().map_or(0, |m| m + 1);
    // Delete phase: an object's delete waits for the deletes of its children.
    let deletes: Vec<&Address> = decisions
        .iter()
        .filter(|(_, d)| d.action == Action::Delete)
        .map(|(a, _)| a)
        .collect();
    let mut del_depth: BTreeMap<&Address, usize> = deletes.iter().map(|a| (*a, 0)).collect();
    changed = true;
    while changed {
        changed = false;
        for child in &deletes {
            if let Some(p) = &decisions[*child].parent
                && let Some(pd) = del_depth.get(p).copied()
            {
                let want = del_depth[*child] + 1;
                if want > pd {
                    del_depth.insert(p, want);
                    changed = true;
                }
            }
        }
    }
    let mut changes: Vec<Change> = decisions
        .iter()
        .map(|(addr, d)| {
            let (lvl, deps): (usize, Vec<Address>) = if d.action == Action::Delete {
                let children: Vec<Address> = decisions
                    .iter()
                    .filter(|(_, c)| c.action == Action::Delete && c.parent.as_ref() == Some(addr))
                    .map(|(a, _)| a.clone())
                    .collect();
                (base + del_depth[addr], children)
            } else {
                let deps = d
                    .deps
                    .iter()
                    .filter(|a| present.contains(a))
                    .cloned()
                    .collect();
                (level[addr], deps)
            };
            Change {
                address: addr.clone(),
                kind: d.kind,
                action: d.action,
                parent: d.parent.clone(),
                live_id: d.live_id.clone(),
                parent_live_id: d.parent_live_id.clone(),
                before: d.before.clone(),
                after: d.after.clone(),
                diffs: d.diffs.clone(),
                reasons: d.reasons.clone(),
                depends_on: deps,
                level: lvl,
                unmanaged: d.unmanaged,
                adopt: d.adopt || d.action == Action::Adopt,
            }
        })
        .collect();
    changes.sort_by(|a, b| (a.level, &a.address).cmp(&(b.level, &b.address)));
    changes
}
