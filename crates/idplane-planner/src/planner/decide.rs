//! Deciding each desired resource: no-op, create, update, adopt or replace, with its
//! attribute differences, the live values kept when the spec is silent, and references resolved
//! to live outputs where they are known.

use super::graph::{dependencies, topo_order};
use super::matching::{index_live, match_live, owned_by};
use super::{Decision, PlanError};
use idplane_model::diff::{differences, keeps_live};
use idplane_model::kind::user_pool;
use idplane_model::normalize;
use idplane_model::{
    Action, Address, Attrs, Desired, DiffOrigin, Kind, LiveObject, Mode, Observed, Reference,
    ReplaceOrder, Value,
};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn decide(
    desired: &Desired,
    observed: &Observed,
) -> Result<BTreeMap<Address, Decision>, PlanError> {
    let order = topo_order(desired)?;
    let mut decisions: BTreeMap<Address, Decision> = BTreeMap::new();
    let mut used: BTreeSet<usize> = BTreeSet::new();
    let index = index_live(observed);
    for r in order {
        let parent = r.parent.as_ref().map(|p| &decisions[p]);
        let parent_old_id = parent.and_then(|p| p.live.map(|i| observed.objects[i].id.clone()));
        let parent_replaced = parent.is_some_and(|p| matches!(p.action, Action::Replace(_)));
        let parent_live_id = if parent_replaced {
            None
        } else {
            parent_old_id.clone()
        };
        let live = match_live(
            r,
            desired,
            observed,
            &index,
            parent_old_id.as_deref(),
            &used,
        )?;
        if let Some(i) = live {
            used.insert(i);
        }
        let deps = dependencies(r);
        let base = |action| Decision {
            action,
            live,
            live_id: live.map(|i| observed.objects[i].id.clone()),
            parent_live_id: parent_live_id.clone(),
            before: None,
            after: None,
            diffs: Vec::new(),
            reasons: Vec::new(),
            deps: deps.clone(),
            unmanaged: false,
            adopt: false,
            kind: r.kind,
            parent: r.parent.clone(),
            mode: r.mode,
        };
        if r.mode == Mode::Referenced {
            let Some(i) = live else {
                return Err(PlanError::Invalid(format!(
                    "{}: the referenced {} does not exist live (give its id with `id:`)",
                    r.address, r.kind
                )));
            };
            let before = normalize(r.kind, &observed.objects[i].attrs);
            let mut d = base(Action::NoOp);
            d.after = Some(before.clone());
            d.before = Some(before);
            d.reasons
                .push("referenced: never created, updated or deleted".into());
            decisions.insert(r.address.clone(), d);
            continue;
        }
        let resolved: Attrs = r
            .attrs
            .iter()
            .map(|(k, v)| (k.clone(), resolve_refs(v, &decisions, observed)))
            .collect();
        let after = normalize(r.kind, &resolved);
        let Some(i) = live else {
            let mut d = base(Action::Create);
            d.after = Some(after);
            decisions.insert(r.address.clone(), d);
            continue;
        };
        let obj = &observed.objects[i];
        let before = normalize(r.kind, &obj.attrs);
        if parent_replaced {
            let p = r.parent.as_ref().expect("a replaced parent exists");
            let info = r.kind.info();
            let mut d = if info.moves_with_replaced_parent {
                // The name is unique (a domain prefix, per region): the old object must go
                // before the new one.
                let mut d = base(Action::Replace(ReplaceOrder::DeleteThenCreate));
                d.before = Some(before);
                d.reasons.push(format!(
                    "its parent {p} is replaced; the {} moves to the new one",
                    info.collection
                ));
                d
            } else {
                let mut d = base(Action::Create);
                d.live = None;
                d.live_id = None;
                d.reasons.push(format!(
                    "its parent {p} is replaced; the old {} `{}` goes with the old parent",
                    r.kind, obj.id
                ));
                d
            };
            d.after = Some(after);
            decisions.insert(r.address.clone(), d);
            continue;
        }
        let mut diffs = differences(r.kind, &before, &after);
        let tagged_here = owned_by(obj, &desired.stack, &r.address);
        for diff in &mut diffs {
            let field = diff.path.split('.').next().unwrap_or("");
            diff.origin = if diff.after.has_unresolved() {
                DiffOrigin::Spec
            } else if tagged_here && r.attrs.get(field).is_none_or(Value::is_null) {
                DiffOrigin::Drift
            } else {
                DiffOrigin::Unknown
            };
        }
        let merged = merge_keep_live(r.kind, &before, after);
        // Matched by a pinned id or a natural key, without this stack's ownership tags for this
        // address: adopting it means adding them (nothing else when nothing else differs).
        let adopt = r.kind.info().taggable && !tagged_here;
        let mut d = if diffs.is_empty() && adopt {
            let mut d = base(Action::Adopt);
            d.after = Some(before.clone());
            d.reasons
                .push(adopt_reason(obj, &desired.stack, &r.address));
            d
        } else if diffs.is_empty() {
            let mut d = base(Action::NoOp);
            d.after = Some(before.clone());
            d
        } else if diffs.iter().any(|d| d.forces_replace) {
            let mut d = base(Action::Replace(r.kind.info().replace_order));
            let forcing: Vec<&str> = diffs
                .iter()
                .filter(|d| d.forces_replace)
                .map(|d| d.path.as_str())
                .collect();
            d.reasons.push(format!(
                "cannot change in place: {} (forces a new {})",
                forcing.join(", "),
                r.kind
            ));
            if r.kind == Kind::UserPool {
                d.reasons.push(format!(
                    "the old pool `{}` is deleted once the new one exists: its users are lost",
                    obj.id
                ));
            }
            d.after = Some(merged);
            d
        } else {
            let mut d = base(Action::Update);
            d.after = Some(merged);
            d
        };
        if adopt && d.action == Action::Update {
            d.adopt = true;
            d.reasons
                .push(adopt_reason(obj, &desired.stack, &r.address));
        }
        d.before = Some(before);
        d.diffs = diffs;
        decisions.insert(r.address.clone(), d);
    }
    Ok(decisions)
}

/// Why an object is adopted: which ownership tags apply adds (or rewrites).
pub(super) fn adopt_reason(o: &LiveObject, stack: &str, address: &Address) -> String {
    let tags = format!(
        "{}={stack}, {}={address}",
        idplane_model::TAG_STACK,
        idplane_model::TAG_ADDRESS
    );
    match (o.owner_stack(), o.owner_address()) {
        (Some(s), Some(a)) => {
            format!("adopted: tagged {s}/{a} live; apply rewrites the ownership tags to {tags}")
        }
        _ => format!(
            "adopted: {} `{}` has no ownership tags; apply adds {tags} and changes nothing else",
            o.kind, o.id
        ),
    }
}

/// `after` plus the live values of fields the spec leaves to live (see
/// `KindInfo::keep_live_when_silent`). The OIDC endpoints AWS discovered are not copied: they
/// stay out of `after` unless the spec sets them, so an update never sends them back (AWS
/// discovers them again, from the new issuer when it changes).
pub(super) fn merge_keep_live(kind: Kind, before: &Attrs, mut after: Attrs) -> Attrs {
    for (k, v) in before {
        if !after.contains_key(k) && keeps_live(kind, k, None) {
            after.insert(k.clone(), v.clone());
        }
    }
    after
}

/// A `Ref` whose target is live and kept becomes the live output; otherwise `Unknown`.
pub(super) fn resolve_refs(
    v: &Value,
    decisions: &BTreeMap<Address, Decision>,
    observed: &Observed,
) -> Value {
    v.map_refs(&mut |r: &Reference, _| {
        let known = decisions.get(&r.address).and_then(|d| {
            if matches!(d.action, Action::Create | Action::Replace(_)) {
                return None;
            }
            let o = &observed.objects[d.live?];
            let live = o.outputs.get(&r.output).cloned()?;
            Some(planned_output(d, &r.output, live))
        });
        match known {
            Some(text) => Value::Str(text),
            None => Value::Unknown(r.clone()),
        }
    })
}

/// The value an output of a kept object will have after its update: a user pool whose issuer
/// type changes issues from the other host (`issuer-cognito-idp.` for `UPDATED`, `cognito-idp.`
/// for `ORIGINAL`); every other output stays the live one.
pub(super) fn planned_output(d: &Decision, output: &str, live: String) -> String {
    let issuer_type = |a: &Option<Attrs>| {
        a.as_ref()
            .and_then(|a| a.get(user_pool::field::ISSUER_TYPE))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    if d.kind != Kind::UserPool || output != "issuer_url" {
        return live;
    }
    let after = issuer_type(&d.after);
    if after == issuer_type(&d.before) {
        return live;
    }
    const ORIGINAL: &str = "https://cognito-idp.";
    const UPDATED: &str = "https://issuer-cognito-idp.";
    match after.as_deref() {
        Some("UPDATED") => match live.strip_prefix(ORIGINAL) {
            Some(rest) => format!("{UPDATED}{rest}"),
            None => live,
        },
        Some("ORIGINAL") => match live.strip_prefix(UPDATED) {
            Some(rest) => format!("{ORIGINAL}{rest}"),
            None => live,
        },
        _ => live,
    }
}
