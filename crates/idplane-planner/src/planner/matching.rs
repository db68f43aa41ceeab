//! Matching a desired resource to the live object it means: pinned id, ownership tags,
//! natural key, singletons; two candidates are an error, never a guess.

use super::PlanError;
use idplane_model::{Address, Desired, DesiredResource, Kind, LiveObject, Observed, Singleton};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn owned_by(o: &LiveObject, stack: &str, address: &Address) -> bool {
    o.owner_stack() == Some(stack) && o.owner_address() == Some(address.to_string())
}

/// Whether a live object's tags say it belongs to something else than (stack, address): another
/// stack, or another address of this stack that the spec still declares. (An object tagged with
/// an address the spec no longer has may be adopted by natural key: that is a renamed address.)
pub(super) fn owned_elsewhere(o: &LiveObject, desired: &Desired, address: &Address) -> bool {
    let Some(stack) = o.owner_stack() else {
        return false;
    };
    if stack != desired.stack {
        return true;
    }
    match o.owner_address().and_then(|a| Address::parse(&a).ok()) {
        Some(a) => &a != address && desired.resources.contains_key(&a),
        None => false,
    }
}

pub(super) fn describe(o: &LiveObject) -> String {
    let mut s = format!("{} `{}`", o.kind, o.id);
    if let (Some(st), Some(ad)) = (o.owner_stack(), o.owner_address()) {
        s.push_str(&format!(" (tagged {st}/{ad})"));
    }
    s
}

/// Finds the live object a desired resource means, or none.
/// Live objects by (kind, parent id), and by (kind, parent id, natural key), in observed order.
pub(super) struct LiveIndex<'a> {
    by_parent: BTreeMap<(Kind, Option<&'a str>), Vec<usize>>,
    by_key: BTreeMap<(Kind, Option<&'a str>, &'a str), Vec<usize>>,
}

pub(super) fn index_live(observed: &Observed) -> LiveIndex<'_> {
    let mut index = LiveIndex {
        by_parent: BTreeMap::new(),
        by_key: BTreeMap::new(),
    };
    for (i, o) in observed.objects.iter().enumerate() {
        let parent = o.parent_id.as_deref();
        index.by_parent.entry((o.kind, parent)).or_default().push(i);
        if let Some(key) = o.natural_key() {
            index
                .by_key
                .entry((o.kind, parent, key))
                .or_default()
                .push(i);
        }
    }
    index
}

pub(super) fn match_live(
    r: &DesiredResource,
    desired: &Desired,
    observed: &Observed,
    index: &LiveIndex<'_>,
    parent_old_id: Option<&str>,
    used: &BTreeSet<usize>,
) -> Result<Option<usize>, PlanError> {
    let info = r.kind.info();
    let stack = desired.stack.as_str();
    let has_parent = info.parent.is_some();
    // Where siblings live: under the parent's live object, or at the top level.
    let scope: Option<Option<&str>> = if !has_parent {
        Some(None)
    } else {
        parent_old_id.map(Some)
    };
    let siblings = || -> Vec<usize> {
        scope
            .and_then(|p| index.by_parent.get(&(r.kind, p)))
            .map(|v| v.iter().copied().filter(|i| !used.contains(i)).collect())
            .unwrap_or_default()
    };
    let pick = |found: Vec<usize>| -> Result<Option<usize>, PlanError> {
        match found.len() {
            0 => Ok(None),
            1 => Ok(Some(found[0])),
            _ => Err(PlanError::Ambiguous {
                address: r.address.clone(),
                candidates: found
                    .iter()
                    .map(|i| describe(&observed.objects[*i]))
                    .collect(),
            }),
        }
    };
    if let Some(pin) = &r.pinned_id {
        // A pinned id is looked up among the parent's children, or anywhere when the parent is
        // not live (the pin is then wrong, and said so).
        let found: Vec<usize> = observed
            .objects
            .iter()
            .enumerate()
            .filter(|(i, o)| {
                o.kind == r.kind
                    && &o.id == pin
                    && !used.contains(i)
                    && (!has_parent || o.parent_id.as_deref() == parent_old_id)
            })
            .map(|(i, _)| i)
            .collect();
        return match pick(found)? {
            Some(i) => Ok(Some(i)),
            None => Err(PlanError::Invalid(format!(
                "{}: the pinned {} `{pin}` does not exist live{}",
                r.address,
                r.kind,
                if has_parent { " under its parent" } else { "" }
            ))),
        };
    }
    if info.taggable {
        let tagged: Vec<usize> = siblings()
            .into_iter()
            .filter(|i| owned_by(&observed.objects[*i], stack, &r.address))
            .collect();
        if let Some(i) = pick(tagged)? {
            return Ok(Some(i));
        }
        if !info.adopt_by_name {
            // Names are not unique: never adopt a pool by name.
            return Ok(None);
        }
    }
    if let Some(want) = r.natural_key() {
        let same_key: Vec<usize> = scope
            .and_then(|p| index.by_key.get(&(r.kind, p, want)))
            .map(|v| v.iter().copied().filter(|i| !used.contains(i)).collect())
            .unwrap_or_default();
        let found: Vec<usize> = same_key
            .iter()
            .copied()
            .filter(|i| !owned_elsewhere(&observed.objects[*i], desired, &r.address))
            .collect();
        if let Some(i) = pick(found)? {
            return Ok(Some(i));
        }
        // The only object with this name belongs to another stack: creating a second one would
        // duplicate it (or fail on AWS's uniqueness), and taking it silently would steal it.
        if let Some(other) = same_key
            .iter()
            .map(|i| &observed.objects[*i])
            .find(|o| o.owner_stack().is_some_and(|s| s != desired.stack.as_str()))
        {
            return Err(PlanError::Invalid(format!(
                "{}: the live {} named `{want}` belongs to another idplane stack ({}); pin it \
                 (`arn:` / `id:`) to take it over, or give this one another name",
                r.address,
                r.kind,
                describe(other)
            )));
        }
    }
    // Singletons under a parent: the assignment configuration, and a pool's one domain whose
    // prefix changed (a replace, not a create plus a delete at the same address).
    let singleton = match info.singleton {
        Singleton::Always => true,
        Singleton::WhenOnlyOneDeclared => {
            desired
                .resources
                .values()
                .filter(|d| d.kind == r.kind && d.parent == r.parent)
                .count()
                == 1
        }
        Singleton::No => false,
    };
    if singleton && has_parent && parent_old_id.is_some() {
        return pick(siblings());
    }
    Ok(None)
}
