//! `idplane plan`: reads live state and shows what `apply` would change; `--out` saves it.

use crate::cli::{Format, GlobalArgs, PlanArgs};
use crate::context::{self, SpecInputs};
use crate::exit::Outcome;
use crate::saved_plan::SavedPlan;
use idplane_model::Plan;

/// Renders a plan in the chosen format.
pub fn render(plan: &Plan, format: Format, color: bool) -> String {
    match format {
        Format::Text => idplane_planner::render::text(plan, color),
        Format::Json => idplane_planner::render::json(plan),
        Format::Markdown => idplane_planner::render::markdown(plan),
    }
}

pub async fn exec(global: &GlobalArgs, args: &PlanArgs) -> anyhow::Result<Outcome> {
    if let Some(stacks) = crate::fleet::discover(&args.spec.paths)? {
        if args.out.is_some() {
            anyhow::bail!(
                "--out saves the plan of one stack; run `idplane plan STACK_DIR --out FILE` per stack"
            );
        }
        let job = crate::fleet::Job::Plan {
            flags: &args.flags,
            format: args.format,
            detailed_exitcode: args.detailed_exitcode,
        };
        return crate::fleet::run(global, &args.spec, stacks, job, args.fleet.jobs).await;
    }
    let inputs = SpecInputs::from_args(&args.spec);
    let desired = context::load_spec(global, &inputs, true)?;
    let opts = context::plan_options(&args.flags)?;
    let provider = context::stack_provider(global, &desired).await?;
    let observed = context::observe(&provider, &desired).await?;
    let plan = context::plan(&desired, &observed, &opts)?;
    print!(
        "{}",
        render(&plan, args.format, crate::output::color(global, false))
    );
    if let Some(out) = &args.out {
        SavedPlan::new(inputs, args.flags.clone(), &desired, plan.clone()).write(out)?;
        eprintln!(
            "Saved the plan to {}. Apply it with: idplane apply --plan {}",
            out.display(),
            out.display()
        );
    }
    Ok(if args.detailed_exitcode && plan.has_changes() {
        Outcome::Changes
    } else {
        Outcome::Success
    })
}
