//! `idplane drift`: compares live state with the spec (for cron): exit 0 clean, 2 drift, 1 error.
//!
//! The comparison is the planner's `drift` (same matching, normalization and managed scope as
//! `plan`): attributes that moved away from the spec, objects missing live, and unmanaged
//! objects found inside managed scopes.

use crate::cli::{DriftArgs, Format, GlobalArgs};
use crate::context::{self, SpecInputs};
use crate::exit::Outcome;
use idplane_planner::render;

pub async fn exec(global: &GlobalArgs, args: &DriftArgs) -> anyhow::Result<Outcome> {
    if let Some(stacks) = crate::fleet::discover(&args.spec.paths)? {
        let job = crate::fleet::Job::Drift {
            format: args.format,
        };
        return crate::fleet::run(global, &args.spec, stacks, job, args.fleet.jobs).await;
    }
    let inputs = SpecInputs::from_args(&args.spec);
    let desired = context::load_spec(global, &inputs, true)?;
    let provider = context::stack_provider(global, &desired).await?;
    let observed = context::observe(&provider, &desired).await?;
    let report = idplane_planner::drift(&desired, &observed)
        .map_err(|e| anyhow::anyhow!("cannot compare: {e}"))?;
    let color = crate::output::color(global, false);
    print!(
        "{}",
        match args.format {
            Format::Text => render::drift_text(&report, color),
            Format::Json => render::drift_json(&report),
            Format::Markdown => render::drift_markdown(&report),
        }
    );
    Ok(if report.has_drift() {
        Outcome::Drift
    } else {
        Outcome::Success
    })
}
