//! `plan`: matching desired resources to live objects, classifying changes, resolving references,
//! ordering on the dependency graph and applying the safety guards.

use crate::diff::{differences, keeps_live};
use crate::normalize::normalize;
use idplane_model::plan::PLAN_FORMAT_VERSION;
use idplane_model::{
    Action, Address, AttrDiff, Attrs, Change, Desired, DesiredResource, DiffOrigin, Kind,
    LiveObject, Mode, Observed, Plan, PlanSummary, Reference, ReplaceOrder, Value,
};
use std::collections::{BTreeMap, BTreeSet};

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
    let mut decisions = decide(desired, observed)?;
    let mut warnings = Vec::new();
    plan_deletes(desired, observed, &mut decisions, &mut warnings);
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

/// Addresses a resource needs first: its parent, `depends_on` and every reference target.
fn dependencies(r: &DesiredResource) -> BTreeSet<Address> {
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
fn topo_order(desired: &Desired) -> Result<Vec<&DesiredResource>, PlanError> {
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

/// How a replace of this kind proceeds: names that are unique among siblings must be freed
/// first (delete, then create); kinds whose names need not be unique get the new object first.
pub fn replace_order(kind: Kind) -> ReplaceOrder {
    match kind {
        Kind::UserPool | Kind::IdentityPool | Kind::UserPoolClient | Kind::Application => {
            ReplaceOrder::CreateThenDelete
        }
        _ => ReplaceOrder::DeleteThenCreate,
    }
}

fn owned_by(o: &LiveObject, stack: &str, address: &Address) -> bool {
    o.owner_stack() == Some(stack) && o.owner_address() == Some(address.to_string())
}

/// Whether a live object's tags say it belongs to something else than (stack, address): another
/// stack, or another address of this stack that the spec still declares. (An object tagged with
/// an address the spec no longer has may be adopted by natural key: that is a renamed address.)
fn owned_elsewhere(o: &LiveObject, desired: &Desired, address: &Address) -> bool {
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

fn describe(o: &LiveObject) -> String {
    let mut s = format!("{} `{}`", o.kind, o.id);
    if let (Some(st), Some(ad)) = (o.owner_stack(), o.owner_address()) {
        s.push_str(&format!(" (tagged {st}/{ad})"));
    }
    s
}

/// Finds the live object a desired resource means, or none.
/// Live objects by (kind, parent id), and by (kind, parent id, natural key), in observed order.
struct LiveIndex<'a> {
    by_parent: BTreeMap<(Kind, Option<&'a str>), Vec<usize>>,
    by_key: BTreeMap<(Kind, Option<&'a str>, &'a str), Vec<usize>>,
}

fn index_live(observed: &Observed) -> LiveIndex<'_> {
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

fn match_live(
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
        if matches!(r.kind, Kind::UserPool | Kind::IdentityPool) {
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
    let singleton = match r.kind {
        Kind::ApplicationAssignmentConfiguration => true,
        Kind::UserPoolDomain => {
            desired
                .resources
                .values()
                .filter(|d| d.kind == r.kind && d.parent == r.parent)
                .count()
                == 1
        }
        _ => false,
    };
    if singleton && has_parent && parent_old_id.is_some() {
        return pick(siblings());
    }
    Ok(None)
}

fn decide(
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
            let mut d = if r.kind == Kind::UserPoolDomain {
                // The prefix is unique per region: the old domain must go before the new one.
                let mut d = base(Action::Replace(ReplaceOrder::DeleteThenCreate));
                d.before = Some(before);
                d.reasons.push(format!(
                    "its parent {p} is replaced; the domain moves to the new one"
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
            let mut d = base(Action::Replace(replace_order(r.kind)));
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
fn adopt_reason(o: &LiveObject, stack: &str, address: &Address) -> String {
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
/// [`crate::KEEP_LIVE_WHEN_SILENT`]). The OIDC endpoints AWS discovered are not copied: they
/// stay out of `after` unless the spec sets them, so an update never sends them back (AWS
/// discovers them again, from the new issuer when it changes).
fn merge_keep_live(kind: Kind, before: &Attrs, mut after: Attrs) -> Attrs {
    for (k, v) in before {
        if !after.contains_key(k) && keeps_live(kind, k, None) {
            after.insert(k.clone(), v.clone());
        }
    }
    after
}

/// A `Ref` whose target is live and kept becomes the live output; otherwise `Unknown`.
fn resolve_refs(v: &Value, decisions: &BTreeMap<Address, Decision>, observed: &Observed) -> Value {
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
fn planned_output(d: &Decision, output: &str, live: String) -> String {
    let issuer_type = |a: &Option<Attrs>| {
        a.as_ref()
            .and_then(|a| a.get("issuer_type"))
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

/// Collection names used in addresses of live children the spec does not declare.
fn collection(kind: Kind) -> &'static str {
    match kind {
        Kind::UserPoolDomain => "domain",
        Kind::IdentityProvider => "identity_providers",
        Kind::ResourceServer => "resource_servers",
        Kind::UserPoolClient => "clients",
        Kind::UserPoolGroup => "groups",
        Kind::ApplicationGrant => "grants",
        Kind::ApplicationAccessScope => "access_scopes",
        Kind::ApplicationAuthenticationMethod => "authentication_methods",
        Kind::ApplicationAssignmentConfiguration => "assignment_configuration",
        Kind::ApplicationAssignment => "assignments",
        Kind::IdentityStoreGroupMembership => "members",
        Kind::UserPool => "user_pools",
        Kind::IdentityPool => "identity_pools",
        Kind::TrustedTokenIssuer => "trusted_token_issuers",
        Kind::Application => "applications",
        Kind::IdentityStoreUser => "users",
        Kind::IdentityStoreGroup => "groups",
    }
}

/// An address for a live child nobody declared: next to its declared siblings when there are
/// some, else `<parent>.<collection>.<key>`; made unique with the live id when taken.
fn child_address(
    parent: &Address,
    o: &LiveObject,
    desired: &Desired,
    taken: &BTreeMap<Address, Decision>,
) -> Address {
    let raw = o.natural_key().unwrap_or(&o.id);
    // The spec's own spelling of these keys: `grants.jwt_bearer`, `authentication_methods.iam`.
    let key = match o.kind {
        Kind::ApplicationGrant => raw.rsplit(':').next().unwrap_or(raw).replace('-', "_"),
        Kind::ApplicationAuthenticationMethod => raw.to_ascii_lowercase(),
        _ => raw.to_string(),
    };
    let sibling_prefix = desired
        .resources
        .values()
        .find(|d| d.kind == o.kind && d.parent.as_ref() == Some(parent))
        .and_then(|d| {
            let segs = d.address.segments();
            (segs.len() > 1).then(|| Address::new(segs[..segs.len() - 1].to_vec()))
        });
    let addr = match (o.kind, sibling_prefix) {
        (Kind::UserPoolDomain, _) => parent.child(["domain"]),
        (_, Some(prefix)) => prefix.child([key.as_str()]),
        (_, None) => parent.child([collection(o.kind), key.as_str()]),
    };
    if taken.contains_key(&addr) || desired.resources.contains_key(&addr) {
        addr.child([o.id.as_str()])
    } else {
        addr
    }
}

fn delete_decision(o: &LiveObject, parent: Option<Address>, reason: String) -> Decision {
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
fn plan_deletes(
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
        let all_children =
            d.mode == Mode::Managed && matches!(d.kind, Kind::UserPool | Kind::Application);
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
        let mut addr = tagged.unwrap_or_else(|| Address::new([collection(o.kind), o.id.as_str()]));
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
            if *replaced && o.kind != Kind::UserPoolDomain {
                // Goes with the old parent.
                continue;
            }
            if o.kind == Kind::ApplicationAssignmentConfiguration {
                warnings.push(format!(
                    "{paddr}: the assignment configuration is not in the spec; it is kept (AWS has no delete for it)"
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
            if o.kind == Kind::ApplicationAssignmentConfiguration {
                continue;
            }
            let addr = child_address(paddr, o, desired, decisions);
            let reason = format!("its parent {paddr} is deleted");
            decisions.insert(addr, delete_decision(o, Some(paddr.clone()), reason));
        }
    }
}

/// Keeps the targeted changes, what lies under them and what they depend on.
fn select_targets(decisions: &mut BTreeMap<Address, Decision>, targets: &[Address]) {
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

fn guard(decisions: &BTreeMap<Address, Decision>, opts: &PlanOptions) -> Result<(), PlanError> {
    let mut reasons = Vec::new();
    for (addr, d) in decisions {
        if d.kind != Kind::UserPool {
            continue;
        }
        let verb = match d.action {
            Action::Replace(_) => "replace",
            Action::Delete => "delete",
            _ => continue,
        };
        let live_id = d.live_id.clone().unwrap_or_default();
        let protected = d
            .before
            .as_ref()
            .and_then(|b| b.get("deletion_protection"))
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

/// Levels and final order: creates/updates/replaces/no-ops first on the dependency graph, then
/// deletes, children before parents.
fn order(decisions: BTreeMap<Address, Decision>) -> Vec<Change> {
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
