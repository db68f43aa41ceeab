//! Applying one change: re-read, compare with the plan, then create / update / replace / delete
//! through the provider, with lost-create adoption. Each provider call is made once: the
//! provider retries each AWS request itself (its single retry loop), so nothing here retries.

use crate::Event;
use crate::error::ApplyError;
use crate::resolve::{self, Outputs};
use idplane_model::{
    Action, Address, Attrs, Change, ErrorClass, Kind, LiveObject, OUTPUT_STATUS, Plan, Provider,
    ProviderError, ReplaceOrder, Target, Transition,
};
use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

/// What one change came to, when it did not fail.
#[derive(Debug)]
pub(crate) enum Done {
    /// The provider changed something.
    Applied { outputs: BTreeMap<String, String> },
    /// This run's own create made the object (not found, not adopted): nothing of an earlier
    /// run can be under it.
    Made { outputs: BTreeMap<String, String> },
    /// Created an object of a kind whose name the cloud does not keep unique: it stands once
    /// the level's look for twins of a concurrent apply keeps it ([`crate::race::settle_level`]).
    Created {
        outputs: BTreeMap<String, String>,
        check: Box<crate::race::TwinCheck>,
    },
    /// Created an object AWS sets up in the background (a user pool domain): done once it has
    /// settled ([`finish_settling`]), which the executor waits for beside the rest of the apply.
    Settling {
        target: Box<Target>,
        live: Box<LiveObject>,
    },
    /// Written, not read back yet: a kind the provider [reads back by
    /// list](idplane_model::Provider::reads_back_by_list), read back with the other writes to
    /// its parent's collection once none is left in the level ([`crate::readback`]).
    Unread { target: Box<Target>, id: String },
    /// Nothing to do: live already as planned, already gone, or adopted after a lost create.
    Skipped {
        reason: String,
        outputs: BTreeMap<String, String>,
    },
}

/// The result of one change plus outputs of unchanged resources it had to read.
pub(crate) struct Outcome {
    pub address: Address,
    pub result: Result<Done, ApplyError>,
    pub discovered: Outputs,
}

/// What a step needs from the run.
pub(crate) struct Ctx<'a> {
    pub plan: &'a Plan,
    pub provider: &'a dyn Provider,
    pub opts: &'a crate::ApplyOptions,
    pub on_event: &'a (dyn Fn(Event) + Send + Sync),
}

impl Ctx<'_> {
    /// Calls the provider once (it has retried what deserved a retry), naming the address in
    /// the error.
    pub(crate) async fn call<T, F, Fut>(&self, address: &Address, f: F) -> Result<T, ProviderError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        f().await.map_err(|e| with_address(e, address))
    }

    fn same(&self, kind: Kind, a: &Attrs, b: &Attrs) -> bool {
        differences(kind, a, b).is_empty()
    }
}

pub(crate) fn with_address(e: ProviderError, address: &Address) -> ProviderError {
    if e.address.is_some() {
        e
    } else {
        e.at(address)
    }
}

/// Attribute paths that differ between two attribute sets, both normalized first.
pub(crate) fn differences(kind: Kind, a: &Attrs, b: &Attrs) -> Vec<String> {
    diffs(kind, a, b).into_iter().map(|d| d.path).collect()
}

fn diffs(kind: Kind, a: &Attrs, b: &Attrs) -> Vec<idplane_model::AttrDiff> {
    let a = idplane_model::normalize(kind, a);
    let b = idplane_model::normalize(kind, b);
    idplane_model::differences(kind, &a, &b)
}

/// Runs one change (never a no-op) with the outputs known when it starts. `fresh_parent`: the
/// change's parent was created by this run (not adopted), so no earlier run can have made the
/// object: a create does not look for it first; nor when the plan's observe has just looked
/// ([`crate::ApplyOptions::observed_just_before`]).
pub(crate) async fn run(
    ctx: &Ctx<'_>,
    change: &Change,
    mut known: Outputs,
    fresh_parent: bool,
) -> Outcome {
    let address = change.address.clone();
    (ctx.on_event)(Event::Started {
        address: address.clone(),
        action: change.action,
    });
    let mut discovered = Outputs::new();
    let result = async {
        if let Some(after) = &change.after {
            discover(ctx, change, after, &mut known, &mut discovered).await?;
        }
        match change.action {
            Action::Create => {
                let target = target(ctx, change, &known)?;
                let first = if fresh_parent || ctx.opts.observed_just_before {
                    Lookup::AfterFailureOnly
                } else {
                    Lookup::First
                };
                create(ctx, &target, None, first, Deferral::Allowed).await
            }
            Action::Update => update(ctx, change, &known).await,
            Action::Adopt => take_ownership(ctx, change, &known).await,
            Action::Replace(order) => replace(ctx, change, order, &known).await,
            Action::Delete => delete(ctx, change).await,
            Action::NoOp => Ok(Done::Skipped {
                reason: "no change planned".into(),
                outputs: BTreeMap::new(),
            }),
        }
    }
    .await;
    Outcome {
        address,
        result,
        discovered,
    }
}

/// Reads the outputs of unchanged resources `after` refers to but this run has not produced
/// (the planner normally resolves those itself; this covers a plan that left one unknown).
async fn discover(
    ctx: &Ctx<'_>,
    change: &Change,
    after: &Attrs,
    known: &mut Outputs,
    discovered: &mut Outputs,
) -> Result<(), ApplyError> {
    for r in resolve::missing_references(after, known) {
        let Some(other) = ctx.plan.change(&r.address) else {
            continue;
        };
        if other.action != Action::NoOp {
            continue;
        }
        let Some(id) = &other.live_id else { continue };
        let live = ctx
            .call(&change.address, || {
                ctx.provider
                    .read(other.kind, other.parent_live_id.as_deref(), id)
            })
            .await
            .map_err(ApplyError::Provider)?;
        if let Some(live) = live {
            known.insert(r.address.clone(), live.outputs.clone());
            discovered.insert(r.address.clone(), live.outputs);
        }
    }
    Ok(())
}

/// The fully resolved object `after` describes.
fn target(ctx: &Ctx<'_>, change: &Change, known: &Outputs) -> Result<Target, ApplyError> {
    let empty = Attrs::new();
    let after = change.after.as_ref().unwrap_or(&empty);
    let attrs = resolve::resolve_references(&change.address, after, known)?;
    let attrs = resolve::resolve_secrets(&change.address, &attrs)?;
    let parent_id = resolve::parent_id(change, known)?;
    let client_token = resolve::client_token(
        &ctx.plan.stack,
        &change.address,
        &attrs,
        &resolve::create_nonce(),
    );
    Ok(Target {
        address: change.address.clone(),
        kind: change.kind,
        parent_id,
        attrs,
        stack: ctx.plan.stack.clone(),
        client_token,
    })
}

fn live_id<'c>(change: &'c Change, action: &'static str) -> Result<&'c str, ApplyError> {
    change
        .live_id
        .as_deref()
        .ok_or_else(|| ApplyError::MissingLiveId {
            address: change.address.clone(),
            action,
        })
}

async fn read(ctx: &Ctx<'_>, change: &Change, id: &str) -> Result<Option<LiveObject>, ApplyError> {
    ctx.call(&change.address, || {
        ctx.provider
            .read(change.kind, change.parent_live_id.as_deref(), id)
    })
    .await
    .map_err(ApplyError::Provider)
}

/// Stale-plan check: the live object must still be what the plan was made against.
fn check_not_moved(change: &Change, live: &LiveObject) -> Result<(), ApplyError> {
    let Some(before) = &change.before else {
        return Ok(());
    };
    let moved = differences(change.kind, before, &live.attrs);
    if moved.is_empty() {
        Ok(())
    } else {
        Err(ApplyError::Stale {
            address: change.address.clone(),
            what_moved: moved,
        })
    }
}

/// A lookup for an object a create may already have made; `exclude` is the id of an object
/// being replaced (it carries the same ownership tags and natural key).
async fn find(
    ctx: &Ctx<'_>,
    target: &Target,
    exclude: Option<&str>,
) -> Result<Option<LiveObject>, ApplyError> {
    let found = ctx
        .call(&target.address, || ctx.provider.find(target))
        .await
        .map_err(ApplyError::Provider)?;
    match found.filter(|l| Some(l.id.as_str()) != exclude) {
        // Being deleted (by hand, or by an earlier run): not an object to adopt; its name is
        // free once it is gone.
        Some(l) if l.transition() == Some(Transition::Deleting) => {
            wait(ctx, &target.address, &l, Until::Gone).await?;
            Ok(None)
        }
        found => Ok(found),
    }
}

/// Creates `target`, unless an earlier attempt (in this run or an earlier one) already did:
/// looks first, and after a failure whose outcome is unknown (transient: the create may have
/// happened with its answer lost) looks once more. It never sends the create again. A
/// concurrent apply of the same stack is met here too: a create the cloud refuses because the
/// other apply made the object first takes that object over, and a twin of a kind the cloud
/// lets share a name is settled by [`crate::race`]: at the end of the level
/// ([`Deferral::Allowed`], the change comes back [`Done::Created`]) or before this returns.
async fn create(
    ctx: &Ctx<'_>,
    target: &Target,
    exclude: Option<&str>,
    lookup: Lookup,
    deferral: Deferral,
) -> Result<Done, ApplyError> {
    if lookup == Lookup::First
        && let Some(live) = find(ctx, target, exclude).await?
    {
        return adopt(ctx, target, live, EARLIER_ATTEMPT).await;
    }
    wait_for_old_name(ctx, target).await?;
    if deferral == Deferral::Allowed && ctx.provider.reads_back_by_list(target.kind) {
        return match ctx.provider.write_unread(None, target).await {
            Ok(id) => Ok(Done::Unread {
                target: Box::new(target.clone()),
                id,
            }),
            Err(e) => create_failed(ctx, target, exclude, e).await,
        };
    }
    match ctx.provider.create(target).await {
        Ok(live) => {
            // No twin to look for: AWS refuses a second object of this name, or the caller
            // vouches that no other apply runs (`--serialized`).
            let deferred = if target.kind.unique_in_cloud() || !ctx.opts.twin_checks {
                None
            } else {
                match deferral {
                    Deferral::Allowed => Some(crate::race::TwinCheck::new(target, &live)),
                    Deferral::Inline => {
                        if let Some(done) =
                            crate::race::keep_oldest(ctx, target, &live, exclude).await?
                        {
                            return Ok(done);
                        }
                        None
                    }
                }
            };
            if deferral == Deferral::Allowed
                && deferred.is_none()
                && live.kind.settles_in_background()
                && live.transition().is_some()
            {
                return Ok(Done::Settling {
                    target: Box::new(target.clone()),
                    live: Box::new(live),
                });
            }
            let live = settle(ctx, &target.address, live).await?;
            check_converged(&target.address, &target.attrs, &live)?;
            Ok(match deferred {
                Some(check) => Done::Created {
                    outputs: live.outputs,
                    check: Box::new(check),
                },
                None => Done::Made {
                    outputs: live.outputs,
                },
            })
        }
        Err(e) => create_failed(ctx, target, exclude, e).await,
    }
}

/// A create the provider answered with `e`: the object is looked for when the create may have
/// happened (its answer lost) or a concurrent apply may have made it, and taken over if found.
async fn create_failed(
    ctx: &Ctx<'_>,
    target: &Target,
    exclude: Option<&str>,
    e: ProviderError,
) -> Result<Done, ApplyError> {
    if e.class == ErrorClass::Transient
        && let Some(live) = find(ctx, target, exclude).await?
    {
        return adopt(ctx, target, live, EARLIER_ATTEMPT).await;
    }
    // Refused, maybe because a concurrent apply made it in the meantime (a taken name
    // answers a conflict, or a validation error for a domain).
    if target.kind.unique_in_cloud()
        && matches!(e.class, ErrorClass::Conflict | ErrorClass::Validation)
        && let Some(live) = find(ctx, target, exclude).await?
    {
        return adopt(ctx, target, live, CONCURRENT_APPLY).await;
    }
    Err(ApplyError::Provider(with_address(e, &target.address)))
}

/// Whether a create looks for an object an earlier attempt made before it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Before the create (an earlier run's create may have had its answer lost), and again
    /// after a failure whose outcome is unknown.
    First,
    /// Only after a failure whose outcome is unknown: the parent is this run's own new object,
    /// so no earlier run made anything under it. A concurrent apply that took that parent over
    /// may make the object too: a kind AWS keeps unique then refuses this create (the object is
    /// looked for and taken over), and a kind it does not is settled with its twins.
    AfterFailureOnly,
}

/// What a create may leave for later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Deferral {
    /// A plain create: the look for a concurrent apply's twins waits for the end of the level
    /// (with the level's other looks, from shared lists), and the wait for what AWS sets up in
    /// the background (a user pool domain) runs beside the rest of the apply; dependents wait
    /// for both.
    Allowed,
    /// Before the change returns (a replace: the old object goes right after).
    Inline,
}

const EARLIER_ATTEMPT: &str = "created by an earlier attempt or a concurrent apply";
const CONCURRENT_APPLY: &str = "created by a concurrent apply in the meantime";

/// Takes over an object an earlier create made, bringing it to `target` if it differs in
/// fields that can change in place; `why` says who made it (for the report).
pub(crate) async fn adopt(
    ctx: &Ctx<'_>,
    target: &Target,
    live: LiveObject,
    why: &str,
) -> Result<Done, ApplyError> {
    let found = diffs(target.kind, &live.attrs, &target.attrs);
    let fixed: Vec<String> = found
        .iter()
        .filter(|d| d.forces_replace)
        .map(|d| d.path.clone())
        .collect();
    if !fixed.is_empty() {
        return Err(ApplyError::Occupied {
            address: target.address.clone(),
            live_id: live.id,
            what_differs: fixed,
        });
    }
    if found.is_empty() {
        let live = settle(ctx, &target.address, live).await?;
        return Ok(Done::Skipped {
            reason: format!("already exists as `{}` ({why}); adopted", live.id),
            outputs: live.outputs,
        });
    }
    // The object found may come from a list (the level's shared lookups, a twin look), which
    // for some kinds holds fewer fields than a read: the update merges onto a full read.
    let found_id = live.id.clone();
    let Some(live) = ctx
        .call(&target.address, || {
            ctx.provider
                .read(target.kind, live.parent_id.as_deref(), &found_id)
        })
        .await
        .map_err(ApplyError::Provider)?
    else {
        return Err(ApplyError::Vanished {
            address: target.address.clone(),
            live_id: found_id,
        });
    };
    let live = settle(ctx, &target.address, live).await?;
    let updated = ctx
        .call(&target.address, || ctx.provider.update(&live, target))
        .await
        .map_err(ApplyError::Provider)?;
    let updated = settle(ctx, &target.address, updated).await?;
    check_converged(&target.address, &target.attrs, &updated)?;
    Ok(Done::Applied {
        outputs: updated.outputs,
    })
}

async fn update(ctx: &Ctx<'_>, change: &Change, known: &Outputs) -> Result<Done, ApplyError> {
    let id = live_id(change, "update")?;
    let mut target = target(ctx, change, known)?;
    // What the spec removed is cleared live, not kept by the provider's merge.
    if let Some(before) = &change.before {
        target.attrs = idplane_model::with_clearing(change.kind, before, &target.attrs);
    }
    let Some(live) = read(ctx, change, id).await? else {
        return Err(ApplyError::Vanished {
            address: change.address.clone(),
            live_id: id.to_string(),
        });
    };
    if ctx.same(change.kind, &live.attrs, &target.attrs) {
        return Ok(Done::Skipped {
            reason: "already as planned".into(),
            outputs: live.outputs,
        });
    }
    check_not_moved(change, &live)?;
    let live = settle(ctx, &change.address, live).await?;
    if !change.adopt && ctx.provider.reads_back_by_list(change.kind) {
        let id = ctx
            .call(&change.address, || {
                ctx.provider.write_unread(Some(&live), &target)
            })
            .await
            .map_err(ApplyError::Provider)?;
        return Ok(Done::Unread {
            target: Box::new(target),
            id,
        });
    }
    let updated = ctx
        .call(&change.address, || ctx.provider.update(&live, &target))
        .await
        .map_err(ApplyError::Provider)?;
    let mut updated = settle(ctx, &change.address, updated).await?;
    check_converged(&change.address, &target.attrs, &updated)?;
    if change.adopt && !owned(ctx, change, &updated) {
        updated = ctx
            .call(&change.address, || ctx.provider.adopt(&updated, &target))
            .await
            .map_err(ApplyError::Provider)?;
    }
    Ok(Done::Applied {
        outputs: updated.outputs,
    })
}

/// Whether a live object carries this plan's ownership tags for the change's address.
fn owned(ctx: &Ctx<'_>, change: &Change, live: &LiveObject) -> bool {
    live.owner_stack() == Some(ctx.plan.stack.as_str())
        && live.owner_address() == Some(change.address.to_string())
}

/// `adopt`: re-reads the object, checks it did not move since the plan, and adds the ownership
/// tags (nothing else is written).
async fn take_ownership(
    ctx: &Ctx<'_>,
    change: &Change,
    known: &Outputs,
) -> Result<Done, ApplyError> {
    let id = live_id(change, "adopt")?;
    let target = target(ctx, change, known)?;
    let Some(live) = read(ctx, change, id).await? else {
        return Err(ApplyError::Vanished {
            address: change.address.clone(),
            live_id: id.to_string(),
        });
    };
    check_not_moved(change, &live)?;
    if owned(ctx, change, &live) {
        return Ok(Done::Skipped {
            reason: "already tagged by this stack".into(),
            outputs: live.outputs,
        });
    }
    let adopted = ctx
        .call(&change.address, || ctx.provider.adopt(&live, &target))
        .await
        .map_err(ApplyError::Provider)?;
    Ok(Done::Applied {
        outputs: adopted.outputs,
    })
}

async fn replace(
    ctx: &Ctx<'_>,
    change: &Change,
    order: ReplaceOrder,
    known: &Outputs,
) -> Result<Done, ApplyError> {
    let id = live_id(change, "replace")?;
    let target = target(ctx, change, known)?;
    let old = read(ctx, change, id).await?;
    if let Some(old) = &old {
        // A child whose parent is replaced moves: the same fields under the old parent are
        // not the object planned.
        if old.parent_id == target.parent_id && ctx.same(change.kind, &old.attrs, &target.attrs) {
            return Ok(Done::Skipped {
                reason: "already as planned".into(),
                outputs: old.outputs.clone(),
            });
        }
        check_not_moved(change, old)?;
    }
    match order {
        ReplaceOrder::CreateThenDelete => {
            let created = create(ctx, &target, Some(id), Lookup::First, Deferral::Inline).await?;
            if let Some(old) = &old {
                delete_live(ctx, change, old).await?;
            }
            Ok(applied(created))
        }
        ReplaceOrder::DeleteThenCreate => {
            if let Some(old) = &old {
                delete_live(ctx, change, old).await?;
            }
            Ok(applied(
                create(ctx, &target, None, Lookup::First, Deferral::Inline).await?,
            ))
        }
    }
}

/// A replace did something even when its create half adopted an object.
fn applied(done: Done) -> Done {
    match done {
        Done::Skipped { outputs, .. } | Done::Made { outputs } | Done::Applied { outputs } => {
            Done::Applied { outputs }
        }
        // Not from a replace's create (it settles everything before it returns).
        d @ (Done::Created { .. } | Done::Settling { .. } | Done::Unread { .. }) => d,
    }
}

async fn delete(ctx: &Ctx<'_>, change: &Change) -> Result<Done, ApplyError> {
    let id = live_id(change, "delete")?;
    let Some(live) = read(ctx, change, id).await? else {
        return Ok(Done::Skipped {
            reason: "already deleted".into(),
            outputs: BTreeMap::new(),
        });
    };
    check_not_moved(change, &live)?;
    delete_live(ctx, change, &live).await?;
    Ok(Done::Applied {
        outputs: BTreeMap::new(),
    })
}

/// Deletes `live`: first what must go before it (a pool's domain), then the object itself,
/// waiting each time until an object deleted in the background is gone.
async fn delete_live(ctx: &Ctx<'_>, change: &Change, live: &LiveObject) -> Result<(), ApplyError> {
    let first = ctx
        .call(&change.address, || ctx.provider.delete_first(live))
        .await
        .map_err(ApplyError::Provider)?;
    for dependent in &first {
        delete_and_wait(ctx, &change.address, dependent).await?;
    }
    delete_and_wait(ctx, &change.address, live).await
}

async fn delete_and_wait(
    ctx: &Ctx<'_>,
    address: &Address,
    live: &LiveObject,
) -> Result<(), ApplyError> {
    ctx.call(address, || ctx.provider.delete(live))
        .await
        .map_err(ApplyError::Provider)?;
    if live.kind.settles_in_background() {
        wait(ctx, address, live, Until::Gone).await?;
    }
    Ok(())
}

/// The change fails when the object as read back after a create or update differs from what
/// was asked (normalized as the planner does, so AWS defaults and set order are no difference).
pub(crate) fn check_converged(
    address: &Address,
    want: &Attrs,
    live: &LiveObject,
) -> Result<(), ApplyError> {
    let fields = differences(live.kind, &live.attrs, want);
    if fields.is_empty() {
        return Ok(());
    }
    tracing::error!(address = %address, live_id = %live.id, fields = ?fields, "live state does not match the plan after the change");
    Err(ApplyError::NotConverged {
        address: address.clone(),
        live_id: live.id.clone(),
        fields,
    })
}

/// Before creating an object of a kind whose deletion runs in the background: an object of
/// the same name still being deleted (the old domain of a replaced pool, a deletion of an
/// earlier run) holds the name until it is gone, so wait for that.
async fn wait_for_old_name(ctx: &Ctx<'_>, target: &Target) -> Result<(), ApplyError> {
    if !target.kind.settles_in_background() {
        return Ok(());
    }
    let Some(name) = target
        .kind
        .info()
        .natural_key
        .and_then(|k| target.attrs.get(k))
        .and_then(|v| v.as_str())
    else {
        return Ok(());
    };
    let old = ctx
        .call(&target.address, || {
            ctx.provider.read(target.kind, None, name)
        })
        .await
        .map_err(ApplyError::Provider)?;
    match old {
        Some(old) if old.transition() == Some(Transition::Deleting) => {
            wait(ctx, &target.address, &old, Until::Gone)
                .await
                .map(|_| ())
        }
        _ => Ok(()),
    }
}

/// Waits until `live` (an object AWS is still setting up) is settled; returns it as read last.
/// The rest of a create that came back [`Done::Settling`]: waits until AWS has set the object
/// up, then checks it converged.
pub(crate) async fn finish_settling(
    ctx: &Ctx<'_>,
    target: &Target,
    live: LiveObject,
) -> Result<Done, ApplyError> {
    let live = settle(ctx, &target.address, live).await?;
    check_converged(&target.address, &target.attrs, &live)?;
    Ok(Done::Made {
        outputs: live.outputs,
    })
}

async fn settle(
    ctx: &Ctx<'_>,
    address: &Address,
    live: LiveObject,
) -> Result<LiveObject, ApplyError> {
    if !live.kind.settles_in_background() {
        return Ok(live);
    }
    if live.transition().is_none() {
        check_not_failed(address, &live)?;
        return Ok(live);
    }
    match wait(ctx, address, &live, Until::Settled).await? {
        Some(o) => Ok(o),
        None => Err(ApplyError::Vanished {
            address: address.clone(),
            live_id: live.id.clone(),
        }),
    }
}

fn check_not_failed(address: &Address, live: &LiveObject) -> Result<(), ApplyError> {
    match live.outputs.get(OUTPUT_STATUS).map(String::as_str) {
        Some(status @ "FAILED") => Err(ApplyError::SettleFailed {
            address: address.clone(),
            live_id: live.id.clone(),
            status: status.to_string(),
        }),
        _ => Ok(()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Until {
    /// No transition left (`ACTIVE`).
    Settled,
    /// `read` finds it no more.
    Gone,
}

/// Reads `live` again, with growing pauses (from [`ApplyOptions::settle_poll`] up to
/// [`crate::MAX_SETTLE_POLL`]), until `until` holds or [`ApplyOptions::settle_timeout`] has
/// passed; sends [`Event::Waiting`] before each pause. Returns the object as read last
/// (`None` once gone).
async fn wait(
    ctx: &Ctx<'_>,
    address: &Address,
    live: &LiveObject,
    until: Until,
) -> Result<Option<LiveObject>, ApplyError> {
    let started = tokio::time::Instant::now();
    let timeout = ctx.opts.settle_timeout;
    let mut pause = ctx.opts.settle_poll.max(Duration::from_millis(1));
    let mut status = status_of(live, until);
    loop {
        let waited = started.elapsed();
        if waited >= timeout {
            tracing::error!(address = %address, live_id = %live.id, status = %status, "gave up waiting");
            return Err(ApplyError::NotSettled {
                address: address.clone(),
                live_id: live.id.clone(),
                status,
                waited,
            });
        }
        (ctx.on_event)(Event::Waiting {
            address: address.clone(),
            live_id: live.id.clone(),
            status: status.clone(),
            waited,
        });
        tracing::info!(address = %address, live_id = %live.id, status = %status, waited_ms = waited.as_millis() as u64, "waiting for AWS to finish");
        tokio::time::sleep(pause.min(timeout - waited)).await;
        pause = (pause * 2).min(crate::MAX_SETTLE_POLL);
        let now = ctx
            .call(address, || {
                ctx.provider
                    .read(live.kind, live.parent_id.as_deref(), &live.id)
            })
            .await
            .map_err(ApplyError::Provider)?;
        match (now, until) {
            (None, Until::Gone) => return Ok(None),
            (None, Until::Settled) => return Ok(None),
            (Some(o), Until::Settled) if o.transition().is_none() => {
                check_not_failed(address, &o)?;
                return Ok(Some(o));
            }
            (Some(o), _) => status = status_of(&o, until),
        }
    }
}

/// What to show while waiting: the transition AWS reports, else its status.
fn status_of(live: &LiveObject, until: Until) -> String {
    match (live.transition(), until) {
        (Some(t), _) => t.to_string(),
        (None, Until::Gone) => Transition::Deleting.to_string(),
        (None, Until::Settled) => live.outputs.get(OUTPUT_STATUS).cloned().unwrap_or_default(),
    }
}
