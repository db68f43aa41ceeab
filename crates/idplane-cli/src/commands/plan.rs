//! `idplane plan`: reads live state and shows what `apply` would change; `--out` saves it.

use crate::cli::{Format, GlobalArgs, PlanArgs};
use crate::context::{self, SpecInputs};
use crate::exit::Outcome;
use crate::saved_plan::SavedPlan;
use idplane_model::Plan;

/// Renders a plan in the chosen format.
pub fn render(plan: &Plan, format: Format, color: bool) -> String {
    match format {
        Format::Text => fallback::text(plan, color),
        Format::Json => fallback::json(plan),
        Format::Markdown => fallback::markdown(plan),
    }
}

/// Minimal renderers used until the planner's own land.
mod fallback {
    use idplane_model::{Action, Plan};

    fn summary(plan: &Plan) -> String {
        let s = &plan.summary;
        format!(
            "Plan: {} to add, {} to change, {} to replace, {} to destroy.\n",
            s.add, s.change, s.replace, s.destroy
        )
    }

    pub fn text(plan: &Plan, _color: bool) -> String {
        if !plan.has_changes() {
            return "No changes. Live state matches the spec.\n".into();
        }
        let mut out = String::new();
        for c in plan.changes.iter().filter(|c| c.action != Action::NoOp) {
            out.push_str(&format!(
                "{} {} ({})\n",
                c.action.symbol(),
                c.address,
                c.kind
            ));
            for d in &c.diffs {
                out.push_str(&format!("    {}: {} -> {}\n", d.path, d.before, d.after));
            }
        }
        out.push('\n');
        out.push_str(&summary(plan));
        out
    }

    pub fn json(plan: &Plan) -> String {
        let mut s = serde_json::to_string_pretty(plan).expect("plan JSON");
        s.push('\n');
        s
    }

    pub fn markdown(plan: &Plan) -> String {
        let mut out = String::from("### idplane plan\n\n");
        for c in plan.changes.iter().filter(|c| c.action != Action::NoOp) {
            out.push_str(&format!(
                "<details><summary><code>{} {}</code></summary>\n\n",
                c.action.symbol(),
                c.address
            ));
            for d in &c.diffs {
                out.push_str(&format!(
                    "- `{}`: `{}` -> `{}`\n",
                    d.path, d.before, d.after
                ));
            }
            out.push_str("\n</details>\n\n");
        }
        out.push_str(&summary(plan));
        out
    }
}

pub async fn exec(global: &GlobalArgs, args: &PlanArgs) -> anyhow::Result<Outcome> {
    let inputs = SpecInputs::from_args(&args.spec);
    let desired = context::load_spec(global, &inputs, true)?;
    let opts = context::plan_options(&args.flags)?;
    let provider = context::provider(global, Some(&desired.region)).await?;
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
