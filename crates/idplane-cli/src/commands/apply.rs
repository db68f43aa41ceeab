//! `idplane apply`: shows the plan, asks for confirmation, applies it with progress, then prints
//! a summary and the stack's outputs (ids, ARNs, URLs; never secrets).

use crate::cli::{ApplyArgs, Format, GlobalArgs};
use crate::context::{self, SpecInputs};
use crate::exit::{Outcome, Reported};
use crate::saved_plan::{SavedPlan, desired_digest, stale_changes};
use idplane_executor::{ApplyOptions, Event};
use idplane_model::{Address, Observed, Plan};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::Mutex;

pub async fn exec(global: &GlobalArgs, args: &ApplyArgs) -> anyhow::Result<Outcome> {
    // Refusals that need no AWS call come first: without a terminal there is nobody to ask.
    if !args.auto_approve && !crate::output::interactive() {
        eprintln!("error: {NO_APPROVAL}");
        return Err(Reported.into());
    }
    if args.plan.is_none()
        && let Some(stacks) = crate::fleet::discover(&args.spec.paths)?
    {
        if !args.auto_approve {
            anyhow::bail!(
                "applying several stacks needs --auto-approve (run `idplane plan` on them first to review)"
            );
        }
        let job = crate::fleet::Job::Apply {
            flags: &args.flags,
            parallelism: args.parallelism,
            speed: args.speed,
        };
        return crate::fleet::run(global, &args.spec, stacks, job, args.fleet.jobs).await;
    }
    // One provider for observe and apply: AWS counts both against the same quotas, so one
    // pacing does too.
    let (observed, plan, provider) = if let Some(path) = &args.plan {
        let saved = SavedPlan::read(path)?;
        let desired = context::load_spec(global, &saved.inputs, true)?;
        if desired_digest(&desired) != saved.desired_digest {
            eprintln!(
                "error: the saved plan is stale: the spec ({}) changed since it was made; run `idplane plan` again",
                saved
                    .inputs
                    .paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            return Err(Reported.into());
        }
        let provider = context::stack_provider(global, &desired).await?;
        let observed = context::observe(&provider, &desired).await?;
        let fresh = context::plan(&desired, &observed, &context::plan_options(&saved.flags)?)?;
        let moved = stale_changes(&saved.plan, &fresh);
        if !moved.is_empty() {
            eprintln!(
                "error: the saved plan is stale: live state moved since it was made; run `idplane plan` again"
            );
            for m in moved {
                eprintln!("  - {m}");
            }
            return Err(Reported.into());
        }
        // Equal to the saved plan (secrets compare by digest); this copy carries secret text.
        (observed, fresh, provider)
    } else {
        let inputs = SpecInputs::from_args(&args.spec);
        let desired = context::load_spec(global, &inputs, true)?;
        let opts = context::plan_options(&args.flags)?;
        let provider = context::stack_provider(global, &desired).await?;
        let observed = context::observe(&provider, &desired).await?;
        let plan = context::plan(&desired, &observed, &opts)?;
        (observed, plan, provider)
    };
    let color = crate::output::color(global, false);
    print!("{}", super::plan::render(&plan, Format::Text, color));
    let _ = std::io::stdout().flush();

    if !plan.has_changes() {
        print_outputs(&plan, &observed, &BTreeMap::new());
        return Ok(Outcome::Success);
    }
    if !args.auto_approve {
        eprint!("\nDo you want to apply these changes? Only `yes` is accepted: ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if answer.trim() != "yes" {
            eprintln!("Apply cancelled; nothing was changed.");
            return Err(Reported.into());
        }
    }

    let opts = ApplyOptions {
        parallelism: usize::from(args.parallelism),
        wait_for_background: !args.speed.no_wait,
        twin_checks: !args.speed.serialized,
        // Both ways here observe right before applying (a saved plan is checked against it).
        observed_just_before: args.speed.serialized,
        ..Default::default()
    };
    let progress = Progress::new(crate::output::interactive(), global.quiet);
    let report = idplane_executor::apply(&plan, &provider, &opts, &|e| progress.event(e)).await;
    progress.finish();
    for (category, s) in provider.pacing_stats() {
        tracing::info!(
            category,
            rate = s.rate,
            calls = s.calls,
            throttled = s.throttled,
            waiting_for_pacing_ms = s.waiting_for_pacing.as_millis() as u64,
            waiting_for_aws_ms = s.waiting_for_aws.as_millis() as u64,
            "AWS calls per quota category"
        );
    }

    println!(
        "\nApply {}: {} done, {} skipped (already as planned), {} failed, {} not attempted.",
        if report.is_success() {
            "complete"
        } else {
            "FAILED"
        },
        report.done.len(),
        report.skipped.len(),
        report.failed.len(),
        report.not_attempted.len()
    );
    for (address, error) in &report.failed {
        if error.starts_with(&address.to_string()) {
            eprintln!("error: {error}");
        } else {
            eprintln!("error: {address}: {error}");
        }
    }
    for address in &report.not_attempted {
        eprintln!("  not attempted: {address}");
    }
    if !report.settling.is_empty() {
        println!("Not waited for (--no-wait), AWS is still setting these up:");
        for (address, status) in &report.settling {
            println!("  {address}: {status}");
        }
        println!("`idplane plan` warns until they are ACTIVE.");
    }
    print_outputs(&plan, &observed, &report.outputs);
    if report.is_success() {
        Ok(Outcome::Success)
    } else {
        Err(Reported.into())
    }
}

/// The refusal when there is no terminal to ask for confirmation and no `--auto-approve`.
const NO_APPROVAL: &str = "refusing to apply without confirmation: no terminal to ask on. \
     Review the plan (`idplane plan`) and pass --auto-approve (e.g. in CI); nothing was read or changed.";

/// Prints the outputs of every object of the stack: live ones as observed, overlaid with what
/// this apply produced.
fn print_outputs(
    plan: &Plan,
    observed: &Observed,
    produced: &BTreeMap<Address, BTreeMap<String, String>>,
) {
    let mut all: BTreeMap<Address, BTreeMap<String, String>> = BTreeMap::new();
    for c in &plan.changes {
        if c.action == idplane_model::Action::Delete || c.unmanaged {
            continue;
        }
        if let Some(id) = &c.live_id
            && let Some(live) = observed.find(c.kind, c.parent_live_id.as_deref(), id)
            && !live.outputs.is_empty()
        {
            all.insert(c.address.clone(), live.outputs.clone());
        }
    }
    for (a, outs) in produced {
        if plan
            .change(a)
            .is_some_and(|c| c.action == idplane_model::Action::Delete)
        {
            all.remove(a);
            continue;
        }
        all.entry(a.clone()).or_default().extend(outs.clone());
    }
    all.retain(|_, o| !o.is_empty());
    if all.is_empty() {
        return;
    }
    println!("\nOutputs:");
    for (a, outs) in all {
        for (k, v) in outs {
            println!("  {a}.{k} = {v}");
        }
    }
}

/// Progress display: plain lines, or one rewritten line per level on a terminal.
struct Progress {
    terminal: bool,
    quiet: bool,
    state: Mutex<(usize, usize, usize)>,
}

/// A text progress bar `[#####-----]` of `width` cells for `done` of `total`.
fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done.min(total) * width)
        .checked_div(total)
        .unwrap_or(width);
    format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled))
}

impl Progress {
    fn new(terminal: bool, quiet: bool) -> Self {
        Progress {
            terminal,
            quiet,
            state: Mutex::new((0, 0, 0)),
        }
    }

    fn event(&self, e: Event) {
        if self.quiet {
            return;
        }
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if self.terminal {
            match &e {
                Event::LevelStarted { level, total } => {
                    if st.2 > 0 {
                        eprintln!();
                    }
                    *st = (*level, 0, *total);
                }
                Event::Succeeded { .. }
                | Event::LeftSettling { .. }
                | Event::Skipped { .. }
                | Event::Failed { .. }
                | Event::NotAttempted { .. } => st.1 += 1,
                Event::Started { .. } | Event::Waiting { .. } => {}
            }
            if let Event::Failed { address, .. } = &e {
                eprintln!("\r\x1b[2K{address}: failed");
            }
            let waiting = match &e {
                Event::Waiting {
                    live_id,
                    status,
                    waited,
                    ..
                } => format!(
                    " (waiting for `{live_id}`: {status}, {}s)",
                    waited.as_secs()
                ),
                _ => String::new(),
            };
            eprint!(
                "\r\x1b[2Klevel {} {} {}/{} changes done{waiting}",
                st.0 + 1,
                bar(st.1, st.2, 24),
                st.1,
                st.2
            );
            let _ = std::io::stderr().flush();
        } else {
            match e {
                Event::LevelStarted { level, total } => {
                    eprintln!("level {}: {total} change(s)", level + 1)
                }
                Event::Started { address, action } => {
                    eprintln!("{address}: {}...", verb(action).0)
                }
                Event::Succeeded {
                    address, action, ..
                } => eprintln!("{address}: {}", verb(action).1),
                Event::LeftSettling {
                    address, status, ..
                } => {
                    eprintln!("{address}: created; AWS reports {status} (not waited for)")
                }
                Event::Skipped { address, reason } => eprintln!("{address}: skipped ({reason})"),
                Event::Waiting {
                    address,
                    live_id,
                    status,
                    waited,
                } => eprintln!(
                    "{address}: waiting for `{live_id}`: AWS reports {status} ({}s so far)",
                    waited.as_secs()
                ),
                Event::Failed { address, .. } => eprintln!("{address}: failed"),
                Event::NotAttempted { address, because } => {
                    eprintln!("{address}: not attempted (depends on failed {because})")
                }
            }
        }
    }

    fn finish(&self) {
        if self.terminal && !self.quiet {
            eprintln!();
        }
    }
}

/// The progressive and past forms of an action, for progress lines.
fn verb(action: idplane_model::Action) -> (&'static str, &'static str) {
    use idplane_model::Action;
    match action {
        Action::Create => ("creating", "created"),
        Action::Update => ("updating", "updated"),
        Action::Adopt => ("adopting", "adopted"),
        Action::Replace(_) => ("replacing", "replaced"),
        Action::Delete => ("deleting", "deleted"),
        Action::NoOp => ("checking", "unchanged"),
    }
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn progress_bar_fills_in_proportion() {
        assert_eq!(bar(0, 4, 8), "[--------]");
        assert_eq!(bar(1, 4, 8), "[##------]");
        assert_eq!(bar(4, 4, 8), "[########]");
        assert_eq!(bar(5, 4, 8), "[########]", "never more than full");
        assert_eq!(bar(0, 0, 4), "[####]", "an empty level is complete");
    }
}
