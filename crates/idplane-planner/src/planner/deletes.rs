//! Deletes: every live object in the managed scope that the spec lacks, and its address.

use super::Decision;
use idplane_model::normalize;
use idplane_model::{Action, Address, Desired, Kind, LiveObject, Mode, Observed, Singleton};
use std::collections::{BTreeMap, BTreeSet};

/// An address for a live child nobody declared: next to its declared siblings when there are
/// some, else `<parent>.<collection>.<key>`; made unique with the live id when taken.
pub(super) fn child_address(
    parent: &Address,
    o: &LiveObject,
    desired: &Desired,
    taken: &BTreeMap<Address, Decision>,
) -> Address {
    let info = o.kind.info();
    let raw = o.natural_key().unwrap_or(&o.id);
    // The spec's own spelling of these keys: `grants.jwt_bearer`, `authentication_methods.iam`.
    let key = (info.spec_key)(raw);
    let sibling_prefix = desired
        .resources
        .values()
        .find(|d| d.kind == o.kind && d.parent.as_ref() == Some(parent))
        .and_then(|d| {
            let segs = d.address.segments();
            (segs.len() > 1).then(|| Address::new(segs[..segs.len() - 1].to_vec()))
        });
    let addr = match (info.singleton, sibling_prefix) {
        // One per parent: `<parent>.domain`, `<parent>.assignment_configuration`.
        (Singleton::Always | Singleton::WhenOnlyOneDeclared, _) => parent.child([info.collection]),
        (Singleton::No, Some(prefix)) => prefix.child([key.as_str()]),
        (Singleton::No, None) => parent.child([info.collection, key.as_str()]),
    };
    if taken.contains_key(&addr) || desired.resources.contains_key(&addr) {
        addr.child([o.id.as_str()])
    } else {
        addr
    }
}

pub(super) fn delete_decision(o: &LiveObject, parent: Option<Address>, reason: String) -> Decision {
    let before = normalize(o.kind, &o.attrs);
    Decision {
        action: Action::Delete,
        live: None,
        live_id: Some(o.id.clone()),
        parent_live_id: o.parent_id.clone(),
        before: Some(before),
        after: None,
        diffs: Vec::new(),
        reasons: vec![reason],
        deps: BTreeSet::new(),
        unmanaged: true,
        adopt: false,
        kind: o.kind,
        parent,
        mode: Mode::Managed,
    }
}

/// Adds a delete for every live object in the managed scope that the spec lacks.
pub(super) fn plan_deletes(
    desired: &Desired,
    observed: &Observed,
    decisions: &mut BTreeMap<Address, Decision>,
    warnings: &mut Vec<String>,
) {
    let used: BTreeSet<usize> = decisions.values().filter_map(|d| d.live).collect();
    // Live parents the spec declares: (kind, id) -> (address, replaced, all child kinds in scope).
    let mut parents: BTreeMap<(Kind, String), (Address, bool, bool)> = BTreeMap::new();
    for (addr, d) in decisions.iter() {
        let Some(i) = d.live else { continue };
        let o = &observed.objects[i];
        let all_children = d.mode == Mode::Managed && d.kind.info().owns_all_children;
        let replaced = matches!(d.action, Action::Replace(_));
        parents.insert(
            (o.kind, o.id.clone()),
            (addr.clone(), replaced, all_children),
        );
    }
    // Child kinds the spec declares under each parent address.
    let mut declared: BTreeSet<(Address, Kind)> = BTreeSet::new();
    for r in desired.resources.values() {
        if let Some(p) = &r.parent {
            declared.insert((p.clone(), r.kind));
        }
    }
    // Tagged top-level objects of this stack that the spec lacks.
    let mut deleted_parents: BTreeMap<(Kind, String), Address> = BTreeMap::new();
    for (i, o) in observed.objects.iter().enumerate() {
        if used.contains(&i) || !o.kind.info().taggable || o.owner_stack() != Some(&desired.stack) {
            continue;
        }
        let tagged = o.owner_address().and_then(|a| Address::parse(&a).ok());
        let mut addr =
            tagged.unwrap_or_else(|| Address::new([o.kind.info().collection, o.id.as_str()]));
        if decisions.contains_key(&addr) {
            addr = addr.child([o.id.as_str()]);
        }
        let reason = format!(
            "tagged with stack `{}` but no longer in the spec",
            desired.stack
        );
        decisions.insert(addr.clone(), delete_decision(o, None, reason));
        deleted_parents.insert((o.kind, o.id.clone()), addr);
    }
    // Children of declared live parents, and of deleted parents.
    for (i, o) in observed.objects.iter().enumerate() {
        if used.contains(&i) {
            continue;
        }
        let Some(parent_kind) = o.kind.info().parent else {
            continue;
        };
        let Some(pid) = &o.parent_id else { continue };
        let key = (parent_kind, pid.clone());
        if let Some((paddr, replaced, all_children)) = parents.get(&key) {
            let in_scope = *all_children || declared.contains(&(paddr.clone(), o.kind));
            if !in_scope {
                continue;
            }
            if *replaced && !o.kind.info().moves_with_replaced_parent {
                // Goes with the old parent.
                continue;
            }
            if !o.kind.info().deletable {
                warnings.push(format!(
                    "{paddr}: the {} is not in the spec; it is kept (AWS has no delete for it)",
                    o.kind.info().collection.replace('_', " ")
                ));
                continue;
            }
            let addr = child_address(paddr, o, desired, decisions);
            let reason = if *all_children {
                format!("not in the spec, under {paddr} which this stack manages")
            } else {
                format!(
                    "not in the spec, which declares the {} objects under {paddr}",
                    o.kind
                )
            };
            decisions.insert(addr, delete_decision(o, Some(paddr.clone()), reason));
        } else if let Some(paddr) = deleted_parents.get(&key) {
            if !o.kind.info().deletable {
                continue;
            }
            let addr = child_address(paddr, o, desired, decisions);
            let reason = format!("its parent {paddr} is deleted");
            decisions.insert(addr, delete_decision(o, Some(paddr.clone()), reason));
        }
    }
}
