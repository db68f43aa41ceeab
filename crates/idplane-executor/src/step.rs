//! Applying one change: re-read, compare with the plan, then create / update / replace / delete
//! through the provider, with lost-create adoption. Each provider call is made once: the
//! provider retries each AWS request itself (its single retry loop), so nothing here retries.

use crate::Event;
use crate::error::ApplyError;
use crate::resolve::{self, Outputs};
use idplane_model::{
    Action, Address, Attrs, Change, ErrorClass, Kind, LiveObject, Plan, Provider, ProviderError,
    ReplaceOrder, Target,
};
use std::collections::BTreeMap;
use std::future::Future;

/// What one change came to, when it did not fail.
#[derive(Debug)]
pub(crate) enum Done {
    /// The provider changed something.
    Applied { outputs: BTreeMap<String, String> },
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
    pub on_event: &'a (dyn Fn(Event) + Send + Sync),
}

impl Ctx<'_> {
    /// Calls the provider once (it has retried what deserved a retry), naming the address in
    /// the error.
    async fn call<T, F, Fut>(&self, address: &Address, f: F) -> Result<T, ProviderError>
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

fn with_address(e: ProviderError, address: &Address) -> ProviderError {
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
    let a = idplane_planner::normalize(kind, a);
    let b = idplane_planner::normalize(kind, b);
    idplane_planner::differences(kind, &a, &b)
}

/// Runs one change (never a no-op) with the outputs known when it starts.
pub(crate) async fn run(ctx: &Ctx<'_>, change: &Change, mut known: Outputs) -> Outcome {
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
                create(ctx, &target, None).await
            }
            Action::Update => update(ctx, change, &known).await,
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
    Ok(found.filter(|l| Some(l.id.as_str()) != exclude))
}

/// Creates `target`, unless an earlier attempt (in this run or an earlier one) already did:
/// looks first, and after a failure whose outcome is unknown (transient: the create may have
/// happened with its answer lost) looks once more. It never sends the create again.
async fn create(ctx: &Ctx<'_>, target: &Target, exclude: Option<&str>) -> Result<Done, ApplyError> {
    if let Some(live) = find(ctx, target, exclude).await? {
        return adopt(ctx, target, live).await;
    }
    match ctx.provider.create(target).await {
        Ok(live) => Ok(Done::Applied {
            outputs: live.outputs,
        }),
        Err(e) => {
            if e.class == ErrorClass::Transient
                && let Some(live) = find(ctx, target, exclude).await?
            {
                return adopt(ctx, target, live).await;
            }
            Err(ApplyError::Provider(with_address(e, &target.address)))
        }
    }
}

/// Takes over an object an earlier create made, bringing it to `target` if it differs in
/// fields that can change in place.
async fn adopt(ctx: &Ctx<'_>, target: &Target, live: LiveObject) -> Result<Done, ApplyError> {
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
        return Ok(Done::Skipped {
            reason: format!(
                "already exists as `{}` (created by an earlier attempt); adopted",
                live.id
            ),
            outputs: live.outputs,
        });
    }
    let updated = ctx
        .call(&target.address, || ctx.provider.update(&live, target))
        .await
        .map_err(ApplyError::Provider)?;
    Ok(Done::Applied {
        outputs: updated.outputs,
    })
}

async fn update(ctx: &Ctx<'_>, change: &Change, known: &Outputs) -> Result<Done, ApplyError> {
    let id = live_id(change, "update")?;
    let mut target = target(ctx, change, known)?;
    // What the spec removed is cleared live, not kept by the provider's merge.
    if let Some(before) = &change.before {
        target.attrs = idplane_planner::with_clearing(change.kind, before, &target.attrs);
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
    let updated = ctx
        .call(&change.address, || ctx.provider.update(&live, &target))
        .await
        .map_err(ApplyError::Provider)?;
    Ok(Done::Applied {
        outputs: updated.outputs,
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
        if ctx.same(change.kind, &old.attrs, &target.attrs) {
            return Ok(Done::Skipped {
                reason: "already as planned".into(),
                outputs: old.outputs.clone(),
            });
        }
        check_not_moved(change, old)?;
    }
    match order {
        ReplaceOrder::CreateThenDelete => {
            let created = create(ctx, &target, Some(id)).await?;
            if let Some(old) = &old {
                delete_live(ctx, change, old).await?;
            }
            Ok(applied(created))
        }
        ReplaceOrder::DeleteThenCreate => {
            if let Some(old) = &old {
                delete_live(ctx, change, old).await?;
            }
            Ok(applied(create(ctx, &target, None).await?))
        }
    }
}

/// A replace did something even when its create half adopted an object.
fn applied(done: Done) -> Done {
    match done {
        Done::Skipped { outputs, .. } => Done::Applied { outputs },
        d => d,
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

async fn delete_live(ctx: &Ctx<'_>, change: &Change, live: &LiveObject) -> Result<(), ApplyError> {
    ctx.call(&change.address, || ctx.provider.delete(live))
        .await
        .map_err(ApplyError::Provider)
}
