//! Two applies of one stack at the same time: after a create of a kind whose name the cloud
//! does not keep unique, look for a twin the other apply created, keep the oldest (both applies
//! agree on it), and delete this run's own if it is the younger. Kinds the cloud keeps unique
//! fail the second create instead: that run takes over what the other made.
//!
//! The look happens once, at least [`RECHECK`] after the create was answered, and for a plain
//! create at the end of its level: every create of the level is then settled from one fresh list
//! per collection ([`settle_level`]), instead of two lists per create. Nothing depends on an
//! object of the same level (levels are longest paths on the dependency graph), so no child is
//! made on an object before it is known to be kept.

use crate::error::ApplyError;
use crate::step::{Ctx, Done, adopt};
use futures::stream::{self, StreamExt};
use idplane_model::{LiveObject, Target, Transition, Twin};
use std::time::Duration;
use tokio::time::Instant;

/// How long to wait for a twin's creation time to be recorded; after that (its creator was
/// killed between the create and the tag) it counts as the oldest.
const UNSTAMPED_WAIT: Duration = Duration::from_secs(10);

/// How long after its create was answered an object is looked at for twins. AWS stamps the
/// creation time before the object shows in lists: a twin stamped earlier than this run's
/// object may show only later (its create was still in flight). A look this long after the
/// create sees it.
const RECHECK: Duration = Duration::from_millis(750);

/// A create whose object is kept only once no older twin shows (see [`settle_level`]).
#[derive(Debug)]
pub(crate) struct TwinCheck {
    pub target: Target,
    pub mine: LiveObject,
    /// When the create was answered.
    pub at: Instant,
}

impl TwinCheck {
    pub(crate) fn new(target: &Target, mine: &LiveObject) -> Self {
        TwinCheck {
            target: target.clone(),
            mine: mine.clone(),
            at: Instant::now(),
        }
    }
}

/// The end of a level: settles every create of the level against its twins, at least
/// [`RECHECK`] after the last of them, from fresh lists the looks share (one per collection).
/// For each: `None` to keep this run's object, or what the change came to after yielding to an
/// older twin (adopted; this run's object deleted).
pub(crate) async fn settle_level<K: Send>(
    ctx: &Ctx<'_>,
    checks: Vec<(K, TwinCheck)>,
) -> Vec<(K, Result<Option<Done>, ApplyError>)> {
    let Some(last) = checks.iter().map(|(_, c)| c.at).max() else {
        return Vec::new();
    };
    tokio::time::sleep_until(last + RECHECK).await;
    // Lists kept so far may predate the creates: the looks below read AWS again, once per
    // collection.
    ctx.provider.level_started();
    stream::iter(checks)
        .map(|(key, c)| async move {
            let r = yield_to_oldest(ctx, &c.target, &c.mine, None).await;
            (key, r)
        })
        .buffer_unordered(ctx.opts.parallelism.max(1))
        .collect()
        .await
}

/// Right after `mine` was created for `target` in a replace (`exclude` is the object being
/// replaced): `None` to keep it, or what this change came to after yielding to an older twin.
pub(crate) async fn keep_oldest(
    ctx: &Ctx<'_>,
    target: &Target,
    mine: &LiveObject,
    exclude: Option<&str>,
) -> Result<Option<Done>, ApplyError> {
    tokio::time::sleep(RECHECK).await;
    ctx.provider.level_started();
    yield_to_oldest(ctx, target, mine, exclude).await
}

/// Looks for the twins of `mine` once; when an older one shows, deletes `mine` and adopts it.
async fn yield_to_oldest(
    ctx: &Ctx<'_>,
    target: &Target,
    mine: &LiveObject,
    exclude: Option<&str>,
) -> Result<Option<Done>, ApplyError> {
    let Some(oldest) = oldest_twin(ctx, target, mine, exclude).await? else {
        return Ok(None);
    };
    if oldest.live.id == mine.id {
        return Ok(None);
    }
    tracing::info!(
        address = %target.address,
        kept = %oldest.live.id,
        deleted = %mine.id,
        "a concurrent apply created this object first: keeping it, deleting this run's duplicate"
    );
    ctx.call(&target.address, || ctx.provider.discard(mine))
        .await
        .map_err(ApplyError::Provider)?;
    let reason = format!(
        "created first by a concurrent apply; the duplicate `{}` this run made is deleted",
        mine.id
    );
    adopt(ctx, target, oldest.live, &reason).await.map(Some)
}

/// The oldest twin of `target` (this run's `mine` included), or `None` when there is nothing to
/// compare with (the list does not show `mine` yet: eventually consistent reads).
async fn oldest_twin(
    ctx: &Ctx<'_>,
    target: &Target,
    mine: &LiveObject,
    exclude: Option<&str>,
) -> Result<Option<Twin>, ApplyError> {
    // A twin whose creation time is not recorded yet (identity pools: the other apply tags it
    // right after its create) is waited for, bounded: then both applies compare the same times.
    let deadline = tokio::time::Instant::now() + UNSTAMPED_WAIT;
    let twins = loop {
        let twins = ctx
            .call(&target.address, || ctx.provider.twins(target))
            .await
            .map_err(ApplyError::Provider)?;
        let unstamped = twins
            .iter()
            .any(|t| t.created_ms.is_none() && Some(t.live.id.as_str()) != exclude);
        if !unstamped || twins.len() < 2 || tokio::time::Instant::now() >= deadline {
            break twins;
        }
        tokio::time::sleep(ctx.opts.settle_poll.max(Duration::from_millis(50))).await;
        // Look again in AWS, not in the lists kept for the level.
        ctx.provider.level_started();
    };
    let candidates: Vec<Twin> = twins
        .into_iter()
        .filter(|t| Some(t.live.id.as_str()) != exclude)
        .filter(|t| t.live.transition() != Some(Transition::Deleting))
        .collect();
    if !candidates.iter().any(|t| t.live.id == mine.id) {
        return Ok(None);
    }
    Ok(candidates
        .into_iter()
        .min_by(|a, b| a.order_key().cmp(&b.order_key())))
}
