//! The idplane executor: applies a plan through a Provider with bounded parallelism, staleness checks and idempotent retries.
//!
//! [`apply`] walks the plan level by level. Within a level, changes whose dependencies are done
//! run concurrently, at most [`ApplyOptions::parallelism`] at a time and at most one at a time
//! per user pool (the pool and all its children) and per identity pool, because Cognito answers
//! concurrent writes to one pool with `ConcurrentModificationException`. A free slot goes first
//! to a change other changes wait for, then to the AWS service with the fewest changes in
//! flight (each service is paced to its own quotas). A change nothing waits for that leaves no
//! look for twins to its level's end may outlast its level and run beside the next one,
//! unless the next level deletes or replaces (deletes are ordered by their levels alone); the
//! apply ends only when everything has.
//!
//! # Guarantees
//! - Only what the plan says is done. Before each change the target is read again: already as
//!   planned → skipped; moved since the plan → the change fails as stale, naming what moved.
//! - A create first looks for the object (a create of an earlier run whose response was lost),
//!   and looks again after a failure whose outcome is unknown, so re-runs make no duplicates.
//!   The provider may serve the first lookups of one level from one list per collection
//!   ([`Provider::level_started`]); never a lookup after an unknown outcome. Under a parent
//!   this run created itself (not found, not adopted) there is no first lookup: no earlier
//!   run can have made anything there; nor when the caller observed just before applying and
//!   vouches that nothing else writes the stack meanwhile
//!   ([`ApplyOptions::observed_just_before`]).
//! - Creates of kinds AWS lets share a name are settled against a concurrent apply's twins at
//!   the end of their level (`race.rs`), from lists the level's looks share.
//!   [`ApplyOptions::twin_checks`] off (`--serialized`, the caller vouches that applies of
//!   the stack never overlap) skips these looks.
//! - Each provider call is made once: the provider owns retries (one loop per AWS request, one
//!   decision function), so retries never nest.
//! - A failed change stops its dependents (reported as not attempted, naming the failed change);
//!   independent changes go on. The [`ApplyReport`] lists what was done, skipped, failed and
//!   not attempted.
//! - Objects AWS sets up in the background (user pool domains) are waited for, with paced reads
//!   and a bounded time ([`ApplyOptions::settle_timeout`]), after a create, update or delete;
//!   a create waits for an earlier deletion of the same name first; a deletion first deletes
//!   what must go before it ([`Provider::delete_first`], a pool's domain). After a plain create
//!   the wait runs beside the rest of the apply (it holds no writer and no level back); its
//!   dependents wait for it, and the apply ends only when it is over, unless
//!   [`ApplyOptions::wait_for_background`] is off (`--no-wait`): then what no later change
//!   needs is left `CREATING` and listed in [`ApplyReport::settling`].
//! - After a create or update the object as read back must match the plan (normalized as the
//!   planner does); when AWS silently left fields out, the change fails naming them. Objects of
//!   a kind the provider [reads back by list](Provider::reads_back_by_list) (an application's
//!   access scopes) are written unread and read back with one list per parent once no write
//!   to that parent is left in the level (`readback.rs`); waiting for it holds no slot, and it
//!   is waited for with `--no-wait` too.
//! - No secret text appears in an event, an error or a log line.
//!
//! Per-kind behaviour (writer scope, parent output, background settling) is read from
//! [`idplane_model::KindInfo`]; no `match` on a kind here has a wildcard arm.

// No `match` has a catch-all arm over an enum of ours (kinds, actions): a new variant is a
// compile error where it needs handling. `Value` rewrites opt out where they keep the rest as is.
#![deny(clippy::wildcard_enum_match_arm)]

mod error;
mod race;
mod readback;
pub mod resolve;
mod step;

pub use error::ApplyError;

use futures::FutureExt;
use futures::future::{self, Either};
use futures::stream::{FuturesUnordered, StreamExt};
use idplane_model::{
    Action, Address, Change, Kind, LiveObject, OUTPUT_STATUS, Plan, Provider, Service, WriterScope,
};
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use step::{Ctx, Done, Outcome};

/// How to apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Changes in flight at once (at least 1).
    pub parallelism: usize,
    /// How long to wait for an object AWS creates, updates or deletes in the background (a
    /// user pool domain) before failing the change.
    pub settle_timeout: Duration,
    /// Delay before the first status read of such an object; doubles per read, up to
    /// [`MAX_SETTLE_POLL`].
    pub settle_poll: Duration,
    /// Wait until an object AWS creates in the background (a user pool domain) is set up
    /// before the apply ends. When `false` (`--no-wait`), the apply still waits for it where a
    /// later change of the apply needs it; otherwise it ends with the object still `CREATING`
    /// ([`ApplyReport::settling`]).
    pub wait_for_background: bool,
    /// Look for a concurrent apply's twin after each create of a kind whose name AWS does not
    /// keep unique ([`crate::race`]). `false` (`--serialized`) when the caller vouches that no
    /// other apply of the stack runs at the same time.
    pub twin_checks: bool,
    /// The plan was made from live state read just before this apply, and nothing but this
    /// apply writes the stack's objects until it ends (the CLI's `--serialized`: it observes
    /// right before applying, a saved plan included). A create then does not first look for an
    /// object an earlier run made (that observe just looked); after a failure whose outcome is
    /// unknown it still looks. `false` for a plan that may be stale (applied again, or made
    /// before another apply ran): each create looks first.
    pub observed_just_before: bool,
}

/// The longest pause between two status reads of an object settling in the background.
pub const MAX_SETTLE_POLL: Duration = Duration::from_secs(20);

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            parallelism: 4,
            // A prefix domain takes about a minute, a custom domain up to an hour.
            settle_timeout: Duration::from_secs(75 * 60),
            // Reads at 1, 3, 7, 15, 31, 51, 71 s...: a domain AWS sets up in seconds is seen
            // soon, one taking a minute costs one read more than starting at 2 s.
            settle_poll: Duration::from_secs(1),
            wait_for_background: true,
            twin_checks: true,
            observed_just_before: false,
        }
    }
}

/// Progress of an apply, for the CLI's display and logs. Never holds a secret.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A level of the plan begins; `total` = the changes (no-ops excluded) in it.
    LevelStarted { level: usize, total: usize },
    /// A change begins.
    Started { address: Address, action: Action },
    /// A change needed nothing (already as planned, already gone, or adopted).
    Skipped { address: Address, reason: String },
    /// A change was applied; `outputs` of the resulting object.
    Succeeded {
        address: Address,
        action: Action,
        outputs: BTreeMap<String, String>,
    },
    /// A change waits for `live_id` (the object itself, or one that must go first) that AWS
    /// is still creating, updating or deleting in the background; sent before each pause.
    Waiting {
        address: Address,
        live_id: String,
        /// What AWS reports (`CREATING`, `UPDATING`, `DELETING`).
        status: String,
        /// Time waited so far.
        waited: Duration,
    },
    /// A create was applied but AWS is still setting its object up, and the apply ends without
    /// waiting for it ([`ApplyOptions::wait_for_background`] off); sent instead of `Succeeded`.
    LeftSettling {
        address: Address,
        live_id: String,
        /// What AWS reports (`CREATING`).
        status: String,
        outputs: BTreeMap<String, String>,
    },
    /// A change failed.
    Failed { address: Address, error: String },
    /// A change was not attempted because `because` failed.
    NotAttempted { address: Address, because: Address },
}

/// What an apply did. Every list is in plan order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApplyReport {
    /// Changes applied.
    pub done: Vec<(Address, Action)>,
    /// Changes that needed nothing.
    pub skipped: Vec<Address>,
    /// Changes that failed, with the error.
    pub failed: Vec<(Address, String)>,
    /// Changes not attempted because a change they depend on failed.
    pub not_attempted: Vec<Address>,
    /// Outputs of the objects created, updated or found, by address.
    pub outputs: BTreeMap<Address, BTreeMap<String, String>>,
    /// Failed changes whose failure says the plan is stale (a subset of `failed`).
    pub stale: Vec<Address>,
    /// Creates applied (in `done`) whose object AWS was still setting up when the apply ended
    /// without waiting for it, with the status AWS reported.
    pub settling: Vec<(Address, String)>,
}

impl ApplyReport {
    /// Whether every change was applied or needed nothing.
    pub fn is_success(&self) -> bool {
        self.failed.is_empty() && self.not_attempted.is_empty()
    }
}

/// Whether a change went through or is blocked (by the failed change named).
enum Status {
    Ok,
    Blocked(Address),
}

enum Readiness {
    Ready,
    Wait(Address),
    Blocked(Address),
}

/// The key under which at most one change runs at a time: the user pool (for a pool and its
/// children) or the identity pool (see [`KindInfo::writer_scope`](idplane_model::KindInfo)).
fn writer_key(change: &Change) -> Option<String> {
    match change.kind.info().writer_scope {
        WriterScope::Itself => Some(change.address.to_string()),
        WriterScope::Parent => change
            .parent
            .as_ref()
            .map(Address::to_string)
            .or_else(|| change.parent_live_id.as_ref().map(|id| format!("id:{id}"))),
        WriterScope::Free => None,
    }
}

/// The AWS service a change's calls go to, as an index into the executor's count of changes
/// in flight per service.
fn service_slot(change: &Change) -> usize {
    match change.kind.info().service {
        Service::CognitoUserPools => 0,
        Service::CognitoIdentityPools => 1,
        Service::SsoAdmin => 2,
        Service::IdentityStore => 3,
    }
}

type StepFuture<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;
/// A create whose twins are looked for at the level's end, with its outputs.
type Created<'a> = (&'a Change, BTreeMap<String, String>);
type SettleFuture<'a> =
    Pin<Box<dyn Future<Output = (&'a Change, Result<Done, ApplyError>)> + Send + 'a>>;

/// Applies `plan` through `provider`, reporting progress to `on_event`.
///
/// # Errors
/// None as such: every failure is per change, in the returned report (and its `Failed` event).
pub async fn apply(
    plan: &Plan,
    provider: &dyn Provider,
    opts: &ApplyOptions,
    on_event: &(dyn Fn(Event) + Send + Sync),
) -> ApplyReport {
    let ctx = Ctx {
        plan,
        provider,
        opts,
        on_event,
    };
    let position: BTreeMap<&Address, usize> = plan
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.address, i))
        .collect();
    let changes: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect();
    let level_of: BTreeMap<&Address, usize> =
        changes.iter().map(|c| (&c.address, c.level)).collect();
    let levels: BTreeSet<usize> = changes.iter().map(|c| c.level).collect();
    let parallelism = opts.parallelism.max(1);

    let mut report = ApplyReport::default();
    let mut status: BTreeMap<Address, Status> = BTreeMap::new();
    // Objects this run created (not adopted, kept after the look for twins): nothing of an
    // earlier run can be under them.
    let mut fresh: BTreeSet<Address> = BTreeSet::new();
    // Objects AWS sets up in the background, waited for across levels; `unsettled` holds the
    // object as created until its wait ends.
    let mut settling: FuturesUnordered<SettleFuture<'_>> = FuturesUnordered::new();
    let mut unsettled: BTreeMap<&Address, (&Change, LiveObject)> = BTreeMap::new();
    // Writes of kinds read back by list (`readback`): answered and waiting for their
    // collection's list, by collection; then reading it back (beside the rest of the apply,
    // holding no slot); `reading_back` holds the addresses of both.
    let mut unread: BTreeMap<readback::Key, Vec<readback::Unread<'_>>> = BTreeMap::new();
    let mut reading: FuturesUnordered<SettleFuture<'_>> = FuturesUnordered::new();
    let mut reading_back: BTreeSet<&Address> = BTreeSet::new();

    let readiness = |c: &Change, status: &BTreeMap<Address, Status>| -> Readiness {
        let parent = match c.action {
            Action::Delete => None,
            Action::NoOp | Action::Create | Action::Update | Action::Adopt | Action::Replace(_) => {
                c.parent.as_ref()
            }
        };
        for dep in c.depends_on.iter().chain(parent) {
            match level_of.get(dep) {
                // Not changed by this plan (no-op or absent): nothing to wait for.
                None => continue,
                // The planner ordered it after this change (e.g. a parent deleted after its
                // children): the levels decide.
                Some(&l) if l > c.level => continue,
                Some(_) => {}
            }
            match status.get(dep) {
                Some(Status::Ok) => {}
                Some(Status::Blocked(root)) => return Readiness::Blocked(root.clone()),
                None => return Readiness::Wait(dep.clone()),
            }
        }
        Readiness::Ready
    };

    // A change nothing in the plan waits for (no dependent, no child) that leaves no look for
    // twins to its level's end may outlast its level: the level closes without it and it goes
    // on beside the next one, so a level's slow leaves (an application's scopes, grants and
    // settings, paced by Identity Center's quota) do not hold back the next level's changes
    // (the clients of a pool, paced by Cognito's). Only into a level that creates, updates or
    // adopts: deletes and replaces are ordered by their levels alone, so every change before
    // them ends first.
    let waited_for: BTreeSet<&Address> = changes
        .iter()
        .flat_map(|c| c.depends_on.iter().chain(c.parent.iter()))
        .collect();
    let carryable = |c: &Change| -> bool {
        let no_twin_look = match c.action {
            Action::Update | Action::Adopt => true,
            Action::Create => c.kind.unique_in_cloud() || !opts.twin_checks,
            Action::NoOp | Action::Delete | Action::Replace(_) => false,
        };
        no_twin_look && !waited_for.contains(&c.address)
    };
    let forward_only = |level: usize| {
        changes
            .iter()
            .filter(|c| c.level == level)
            .all(|c| match c.action {
                Action::Create | Action::Update | Action::Adopt | Action::NoOp => true,
                Action::Delete | Action::Replace(_) => false,
            })
    };
    let levels: Vec<usize> = levels.into_iter().collect();
    let mut running: FuturesUnordered<StepFuture<'_>> = FuturesUnordered::new();
    // The addresses of the changes in `running`.
    let mut in_flight: BTreeSet<&Address> = BTreeSet::new();
    let mut busy: BTreeSet<String> = BTreeSet::new();
    // Changes in flight per service (`service_slot`).
    let mut per_service = [0usize; 4];
    // Changes not started yet: the level's, and those an earlier level left.
    let mut pending: Vec<&Change> = Vec::new();
    // Creates settled against twins at the level's end, with their outputs.
    let mut checks: Vec<(Created<'_>, race::TwinCheck)> = Vec::new();

    // Reports what a change came to (`record` on this apply's tallies).
    macro_rules! record {
        ($change:expr, $result:expr) => {
            record(
                &mut report,
                &mut status,
                &mut fresh,
                on_event,
                $change,
                $result,
            )
        };
    }
    // What a change or an object settling in the background came to.
    macro_rules! handle {
        ($next:expr) => {
            match $next {
                Either::Right((change, result)) => {
                    unsettled.remove(&change.address);
                    reading_back.remove(&change.address);
                    record!(change, result);
                }
                Either::Left(outcome) => {
                    let outcome: Outcome = outcome;
                    let change = plan
                        .change(&outcome.address)
                        .expect("outcomes are of plan changes");
                    in_flight.remove(&change.address);
                    per_service[service_slot(change)] -= 1;
                    if let Some(k) = writer_key(change) {
                        busy.remove(&k);
                    }
                    for (a, o) in outcome.discovered {
                        report.outputs.entry(a).or_insert(o);
                    }
                    match outcome.result {
                        // Kept once the level's look for twins keeps it (nothing of this level
                        // depends on it).
                        Ok(Done::Created { outputs, check }) => {
                            checks.push(((change, outputs), *check))
                        }
                        // Waited for beside the rest of the apply; dependents wait for it.
                        Ok(Done::Settling { target, live }) => {
                            unsettled.insert(&change.address, (change, (*live).clone()));
                            let ctx = &ctx;
                            settling.push(Box::pin(async move {
                                (change, step::finish_settling(ctx, &target, *live).await)
                            }));
                        }
                        // Read back with its collection (`release!`).
                        Ok(Done::Unread { target, id }) => {
                            reading_back.insert(&change.address);
                            unread.entry(readback::key(change)).or_default().push(
                                readback::Unread {
                                    change,
                                    target: *target,
                                    id,
                                },
                            );
                        }
                        result => record!(change, result),
                    }
                }
            }
        };
    }
    // Starts the read-back of every collection none of whose changes is pending or running:
    // one list each, shared by its writes.
    macro_rules! release {
        () => {
            // The collections with a change still pending or running (none looked for while
            // nothing waits to be read back: this runs once per finished change).
            let busy: BTreeSet<(Kind, Option<&Address>)> = if unread.is_empty() {
                BTreeSet::new()
            } else {
                pending
                    .iter()
                    .copied()
                    .chain(in_flight.iter().filter_map(|a| plan.change(a)))
                    .map(|c| (c.kind, c.parent.as_ref()))
                    .collect()
            };
            let done: Vec<readback::Key> = unread
                .keys()
                .filter(|(kind, parent)| !busy.contains(&(*kind, parent.as_ref())))
                .cloned()
                .collect();
            for k in done {
                let list = readback::SharedList::default();
                for u in unread.remove(&k).unwrap_or_default() {
                    let (ctx, list) = (&ctx, list.clone());
                    reading.push(Box::pin(
                        async move { readback::read_back(ctx, list, u).await },
                    ));
                }
            }
        };
    }

    for (index, &level) in levels.iter().enumerate() {
        let own: Vec<&Change> = changes
            .iter()
            .copied()
            .filter(|c| c.level == level)
            .collect();
        provider.level_started();
        on_event(Event::LevelStarted {
            level,
            total: own.len(),
        });
        pending.extend(own);
        let may_carry = levels
            .get(index + 1)
            .is_some_and(|&next| forward_only(next));
        // What must end before the level does.
        let must_end = |c: &Change| !may_carry || (c.level == level && !carryable(c));
        loop {
            // What can never run now: a change it depends on failed.
            let mut i = 0;
            while i < pending.len() {
                let c = pending[i];
                if let Readiness::Blocked(root) = readiness(c, &status) {
                    pending.remove(i);
                    on_event(Event::NotAttempted {
                        address: c.address.clone(),
                        because: root.clone(),
                    });
                    report.not_attempted.push(c.address.clone());
                    status.insert(c.address.clone(), Status::Blocked(root));
                } else {
                    i += 1;
                }
            }
            release!();
            // Once only what may outlast the level is left, the level ends: what is left then
            // competes for free slots with the next level's changes (which others may wait for).
            let open = pending.iter().any(|c| must_end(c))
                || in_flight
                    .iter()
                    .chain(reading_back.iter())
                    .any(|a| must_end(plan.change(a).expect("in-flight changes are of the plan")));
            if !open {
                break;
            }
            // Free slots go first to what other changes wait for, then to the service with the
            // fewest changes in flight: each service is paced to its own quotas, so changes
            // queued on one service's pacing must not hold every slot while another idles.
            while running.len() < parallelism {
                let best = pending
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| {
                        matches!(readiness(c, &status), Readiness::Ready)
                            && writer_key(c).is_none_or(|k| !busy.contains(&k))
                    })
                    .min_by_key(|(i, c)| {
                        (
                            !waited_for.contains(&c.address),
                            per_service[service_slot(c)],
                            *i,
                        )
                    })
                    .map(|(i, _)| i);
                let Some(i) = best else { break };
                let c = pending.remove(i);
                if let Some(k) = writer_key(c) {
                    busy.insert(k);
                }
                in_flight.insert(&c.address);
                per_service[service_slot(c)] += 1;
                let known = report.outputs.clone();
                let fresh_parent = c.parent.as_ref().is_some_and(|p| fresh.contains(p));
                let ctx = &ctx;
                running.push(Box::pin(async move {
                    step::run(ctx, c, known, fresh_parent).await
                }));
            }
            // The next change to finish, a read-back done, or an object AWS finished setting
            // up (read-backs and settling objects run beside the changes).
            let idle = reading.is_empty() && settling.is_empty();
            let mut background = futures::stream::select(reading.by_ref(), settling.by_ref());
            let next = if running.is_empty() {
                // Nothing runs: what is left may wait on a read-back or an object AWS is
                // setting up.
                match background.next().await {
                    Some(settled) => Either::Right(settled),
                    None => {
                        // What is left waits on a change this level cannot finish (a cycle, or
                        // a dependency ordered later).
                        for c in pending.drain(..) {
                            let waiting_for = match readiness(c, &status) {
                                Readiness::Wait(dep) => dep,
                                Readiness::Ready | Readiness::Blocked(_) => c.address.clone(),
                            };
                            let err = ApplyError::Ordering {
                                address: c.address.clone(),
                                waiting_for,
                            };
                            fail(&mut report, &mut status, on_event, &c.address, &err);
                        }
                        break;
                    }
                }
            } else if idle {
                Either::Left(running.next().await.expect("a change runs"))
            } else {
                match future::select(running.next(), background.next()).await {
                    Either::Left((outcome, _)) => Either::Left(outcome.expect("a change runs")),
                    Either::Right((settled, _)) => {
                        Either::Right(settled.expect("an object settles or is read back"))
                    }
                }
            };
            drop(background);
            handle!(next);
        }
        // The level's look for twins; what it left running, and the read-backs, go on
        // meanwhile.
        let settle = race::settle_level(&ctx, std::mem::take(&mut checks));
        let mut settle = std::pin::pin!(settle);
        let kept = loop {
            if running.is_empty() && reading.is_empty() {
                break settle.await;
            }
            let either = async {
                if reading.is_empty() {
                    Either::Left(running.next().await.expect("a change runs"))
                } else if running.is_empty() {
                    Either::Right(reading.next().await.expect("a read-back runs"))
                } else {
                    match future::select(running.next(), reading.next()).await {
                        Either::Left((outcome, _)) => Either::Left(outcome.expect("a change runs")),
                        Either::Right((read, _)) => Either::Right(read.expect("a read-back runs")),
                    }
                }
            };
            match future::select(settle.as_mut(), std::pin::pin!(either)).await {
                Either::Left((kept, _)) => break kept,
                Either::Right((next, _)) => {
                    handle!(next);
                    release!();
                }
            }
        };
        for ((change, outputs), kept) in kept {
            let result = kept.map(|yielded| yielded.unwrap_or(Done::Made { outputs }));
            record!(change, result);
        }
    }
    debug_assert!(
        pending.is_empty() && running.is_empty(),
        "the last level ends everything"
    );
    // What is still to be read back, whatever `--no-wait` says: a change is done only once
    // read back.
    release!();
    while let Some((change, result)) = reading.next().await {
        reading_back.remove(&change.address);
        record!(change, result);
    }
    debug_assert!(unread.is_empty(), "every collection was read back");
    // Nothing later in the apply needs what is still settling: waited for, unless told not to
    // (then what already settled is still reported as such).
    loop {
        let next = if opts.wait_for_background {
            settling.next().await
        } else {
            settling.next().now_or_never().flatten()
        };
        let Some((change, result)) = next else { break };
        unsettled.remove(&change.address);
        record!(change, result);
    }
    drop(settling);
    for (change, live) in unsettled.into_values() {
        let status = live
            .outputs
            .get(OUTPUT_STATUS)
            .cloned()
            .unwrap_or_else(|| "CREATING".into());
        tracing::info!(address = %change.address, live_id = %live.id, status = %status, "not waiting for AWS to finish setting it up (--no-wait)");
        on_event(Event::LeftSettling {
            address: change.address.clone(),
            live_id: live.id.clone(),
            status: status.clone(),
            outputs: live.outputs.clone(),
        });
        report.done.push((change.address.clone(), change.action));
        report.settling.push((change.address.clone(), status));
        if !live.outputs.is_empty() {
            report.outputs.insert(change.address.clone(), live.outputs);
        }
    }
    provider.apply_finished();
    let pos = |a: &Address| position.get(a).copied().unwrap_or(usize::MAX);
    report.done.sort_by_key(|(a, _)| pos(a));
    report.skipped.sort_by_key(pos);
    report.failed.sort_by_key(|(a, _)| pos(a));
    report.not_attempted.sort_by_key(pos);
    report.stale.sort_by_key(pos);
    report.settling.sort_by_key(|(a, _)| pos(a));
    report
}

/// Reports what a change came to.
fn record(
    report: &mut ApplyReport,
    status: &mut BTreeMap<Address, Status>,
    fresh: &mut BTreeSet<Address>,
    on_event: &(dyn Fn(Event) + Send + Sync),
    change: &Change,
    result: Result<Done, ApplyError>,
) {
    let mut succeeded = |outputs: BTreeMap<String, String>| {
        report.done.push((change.address.clone(), change.action));
        on_event(Event::Succeeded {
            address: change.address.clone(),
            action: change.action,
            outputs: outputs.clone(),
        });
        outputs
    };
    let outputs = match result {
        Ok(Done::Applied { outputs }) => succeeded(outputs),
        Ok(Done::Made { outputs }) => {
            if change.action == Action::Create {
                fresh.insert(change.address.clone());
            }
            succeeded(outputs)
        }
        // Settled by the caller; reported as applied when it comes here.
        Ok(Done::Created { outputs, .. }) => succeeded(outputs),
        Ok(Done::Settling { live, .. }) => succeeded(live.outputs),
        // `handle!` reads these back before they come here (with their collection).
        Ok(Done::Unread { .. }) => succeeded(BTreeMap::new()),
        Ok(Done::Skipped { reason, outputs }) => {
            on_event(Event::Skipped {
                address: change.address.clone(),
                reason,
            });
            report.skipped.push(change.address.clone());
            outputs
        }
        Err(err) => return fail(report, status, on_event, &change.address, &err),
    };
    if !outputs.is_empty() {
        report.outputs.insert(change.address.clone(), outputs);
    }
    status.insert(change.address.clone(), Status::Ok);
}

fn fail(
    report: &mut ApplyReport,
    status: &mut BTreeMap<Address, Status>,
    on_event: &(dyn Fn(Event) + Send + Sync),
    address: &Address,
    err: &ApplyError,
) {
    let text = err.to_string();
    tracing::error!(address = %address, error = %text, "change failed");
    on_event(Event::Failed {
        address: address.clone(),
        error: text.clone(),
    });
    report.failed.push((address.clone(), text));
    if err.is_stale() {
        report.stale.push(address.clone());
    }
    status.insert(address.clone(), Status::Blocked(address.clone()));
}
