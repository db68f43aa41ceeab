//! Two applies of one stack at the same time: after a create of a kind whose name the cloud
//! does not keep unique, look for a twin the other apply created, keep the oldest (both applies
//! agree on it), and delete this run's own if it is the younger. Kinds the cloud keeps unique
//! fail the second create instead: that run takes over what the other made.

use crate::error::ApplyError;
use crate::step::{Ctx, Done, adopt};
use idplane_model::{LiveObject, Target, Transition, Twin};
use std::time::Duration;

/// How long to wait for a twin's creation time to be recorded; after that (its creator was
/// killed between the create and the tag) it counts as the oldest.
const UNSTAMPED_WAIT: Duration = Duration::from_secs(10);

/// The pause before a run that kept its own object looks for twins once more.
const RECHECK: Duration = Duration::from_millis(750);

/// After `mine` was created for `target`: `None` to keep it, or what this change came to after
/// yielding to an older twin (adopted; `mine` deleted). `exclude` is the object being replaced.
pub(crate) async fn keep_oldest(
    ctx: &Ctx<'_>,
    target: &Target,
    mine: &LiveObject,
    exclude: Option<&str>,
) -> Result<Option<Done>, ApplyError> {
    if target.kind.unique_in_cloud() {
        return Ok(None);
    }
    let Some(oldest) = oldest_twin(ctx, target, mine, exclude).await? else {
        return Ok(None);
    };
    // Kept, for now: a twin the other apply created at about the same time may be stamped
    // earlier and become visible only later (AWS takes the time before the object shows in
    // lists). Look once more after a pause; this run's object has no child yet.
    let oldest = if oldest.live.id == mine.id {
        tokio::time::sleep(RECHECK).await;
        match oldest_twin(ctx, target, mine, exclude).await? {
            Some(o) if o.live.id != mine.id => o,
            _ => return Ok(None),
        }
    } else {
        oldest
    };
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
    adopt(ctx, target, oldest.live.clone(), &reason)
        .await
        .map(Some)
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
