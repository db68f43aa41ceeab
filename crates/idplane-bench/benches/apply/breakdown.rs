//! Where an apply's wall time goes. The executor runs the plan's levels one after the other, so
//! the wall is the sum of the levels' walls; each level lasts as long as its slowest change
//! (or its longest chain of changes on one pool, which has one writer at a time). A change's
//! time splits into provider calls (client-side pacing plus AWS) and the executor's own pauses:
//! status polls of a user pool domain being set up, and the pause before a create of a kind AWS
//! lets share a name looks for twins (at the end of its level, 750 ms after the level's last
//! create: `crates/idplane-executor/src/race.rs`).

use super::Run;
use idplane_bench::{ms, table};
use std::collections::BTreeMap;
use std::time::Duration;

/// Why a change paused, from what it did.
fn why(c: &super::ChangeTime) -> String {
    let mut reasons = Vec::new();
    if c.settle_polls > 0 {
        reasons.push(format!("settling: {} status polls", c.settle_polls));
    }
    if c.twin_recheck {
        reasons
            .push("twin look at the level's end, 750 ms after the level's last create".to_string());
    }
    if reasons.is_empty() {
        "-".to_string()
    } else {
        reasons.join("; ")
    }
}

/// The breakdown of `run`'s apply, per level, then pacing per quota category.
pub fn report(run: &Run, title: &str) -> String {
    let mut levels: BTreeMap<usize, Vec<&super::ChangeTime>> = BTreeMap::new();
    for c in &run.changes {
        levels.entry(c.level).or_default().push(c);
    }
    let mut rows = Vec::new();
    let mut previous_end = Duration::ZERO;
    let mut gaps = Duration::ZERO;
    for (level, changes) in &levels {
        let from = changes.iter().map(|c| c.start).min().unwrap_or_default();
        let to = changes.iter().map(|c| c.end).max().unwrap_or_default();
        gaps += from.saturating_sub(previous_end);
        previous_end = to;
        let mut first = true;
        let mut sorted = changes.clone();
        sorted.sort_by_key(|c| std::cmp::Reverse(c.took()));
        for c in sorted {
            rows.push(vec![
                if first {
                    level.to_string()
                } else {
                    String::new()
                },
                if first { ms(to - from) } else { String::new() },
                c.address.clone(),
                ms(c.start),
                ms(c.took()),
                format!("{} ({})", ms(c.in_provider), c.provider_calls),
                ms(c.paused()),
                why(c),
            ]);
            first = false;
        }
    }
    let paused: Duration = run.changes.iter().map(super::ChangeTime::paused).sum();
    let mut out = format!(
        "where idplane's seed-000 time goes ({title}): observe {} ms, plan {} ms, apply {} ms \
         ({} levels, run one after the other; between levels {} ms)\n\n",
        ms(run.observe),
        ms(run.plan),
        ms(run.apply),
        levels.len(),
        ms(gaps + run.apply.saturating_sub(previous_end)),
    );
    out.push_str(&table(
        &[
            "level",
            "level ms",
            "change",
            "starts at ms",
            "change ms",
            "in provider calls ms (calls)",
            "outside calls ms",
            "why (executor pauses)",
        ],
        &rows,
    ));
    out.push_str(&format!(
        "\ntime outside provider calls, all changes together: {} ms\n\n",
        ms(paused)
    ));
    let pacing: Vec<Vec<String>> = run
        .pacing
        .iter()
        .map(|(cat, s)| {
            vec![
                cat.to_string(),
                format!("{}", s.rate),
                s.calls.to_string(),
                ms(s.waiting_for_pacing),
                ms(s.waiting_for_aws),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "quota category (apply)",
            "rate /s",
            "calls",
            "waiting for pacing ms",
            "waiting for AWS ms",
        ],
        &pacing,
    ));
    out
}
