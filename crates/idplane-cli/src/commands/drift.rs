//! `idplane drift`: compares live state with the spec (for cron): exit 0 clean, 2 drift, 1 error.
//!
//! The comparison is the planner's (same matching, normalization and managed scope as `plan`),
//! run with every guard lifted since nothing is applied; each object the plan would touch is
//! reported: attributes that moved away from the spec, objects missing live, and unmanaged
//! objects found inside managed scopes.

use crate::cli::{DriftArgs, Format, GlobalArgs};
use crate::context::{self, SpecInputs};
use crate::exit::Outcome;
use idplane_model::{Action, Change, Plan, Value};
use serde_json::json;

pub async fn exec(global: &GlobalArgs, args: &DriftArgs) -> anyhow::Result<Outcome> {
    let inputs = SpecInputs::from_args(&args.spec);
    let desired = context::load_spec(global, &inputs, true)?;
    let provider = context::provider(global, Some(&desired.region)).await?;
    let observed = context::observe(&provider, &desired).await?;
    let opts = idplane_planner::PlanOptions {
        allow_replace_user_pools: true,
        allow_delete_user_pools: true,
        allow_mass_delete: true,
        ..Default::default()
    };
    let plan = context::plan(&desired, &observed, &opts)?;
    let color = crate::output::color(global, false);
    print!(
        "{}",
        match args.format {
            Format::Text => text(&plan, color),
            Format::Json => json(&plan),
            Format::Markdown => markdown(&plan),
        }
    );
    Ok(if drifted(&plan).next().is_some() {
        Outcome::Drift
    } else {
        Outcome::Success
    })
}

/// The changes that count as drift (everything but no-ops).
fn drifted(plan: &Plan) -> impl Iterator<Item = &Change> {
    plan.changes.iter().filter(|c| c.action != Action::NoOp)
}

/// How an object departs from the spec.
fn status(c: &Change) -> &'static str {
    match c.action {
        Action::Create => "missing",
        Action::Delete if c.unmanaged => "unmanaged",
        Action::Delete => "not in spec",
        Action::Replace(_) => "drifted (needs a new resource)",
        Action::Update => "drifted",
        Action::NoOp => "in sync",
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::Null => "(absent)".into(),
        other => other.to_string(),
    }
}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Secret(_) => json!("(sensitive)"),
        Value::List(l) => serde_json::Value::Array(l.iter().map(json_value).collect()),
        Value::Map(m) => {
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), json_value(v))).collect())
        }
        other => other.to_json(),
    }
}

/// Terminal report.
pub fn text(plan: &Plan, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let changes: Vec<&Change> = drifted(plan).collect();
    if changes.is_empty() {
        return format!(
            "No drift: live state of stack `{}` matches the spec ({} objects checked).\n",
            plan.stack,
            plan.changes.len()
        );
    }
    let mut out = format!(
        "Drift in stack `{}`: {} of {} objects differ from the spec.\n\n",
        plan.stack,
        changes.len(),
        plan.changes.len()
    );
    for c in changes {
        let mark = match c.action {
            Action::Create => paint("32", "+"),
            Action::Delete => paint("31", "-"),
            _ => paint("33", "~"),
        };
        out.push_str(&format!(
            "{mark} {} ({}): {}\n",
            c.address,
            c.kind,
            status(c)
        ));
        for d in &c.diffs {
            out.push_str(&format!(
                "    {}: spec {}, live {}\n",
                d.path,
                shown(&d.after),
                shown(&d.before)
            ));
        }
    }
    out.push_str("\nRun `idplane apply` to bring live state back to the spec.\n");
    out
}

/// Machine-readable report (`format_version` 1).
pub fn json(plan: &Plan) -> String {
    let objects: Vec<serde_json::Value> = drifted(plan)
        .map(|c| {
            json!({
                "address": c.address.to_string(),
                "kind": c.kind.name(),
                "status": status(c),
                "live_id": c.live_id,
                "unmanaged": c.unmanaged,
                "attributes": c.diffs.iter().map(|d| json!({
                    "path": d.path,
                    "spec": json_value(&d.after),
                    "live": json_value(&d.before),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let report = json!({
        "format_version": 1,
        "stack": plan.stack,
        "region": plan.region,
        "drift": !objects.is_empty(),
        "checked": plan.changes.len(),
        "objects": objects,
    });
    let mut s = serde_json::to_string_pretty(&report).expect("JSON");
    s.push('\n');
    s
}

/// Report for issues and pull-request comments.
pub fn markdown(plan: &Plan) -> String {
    let changes: Vec<&Change> = drifted(plan).collect();
    if changes.is_empty() {
        return format!(
            "### idplane drift: `{}` is clean\n\nLive state matches the spec ({} objects checked).\n",
            plan.stack,
            plan.changes.len()
        );
    }
    let mut out = format!(
        "### idplane drift: `{}` has drifted\n\n{} of {} objects differ from the spec.\n\n",
        plan.stack,
        changes.len(),
        plan.changes.len()
    );
    for c in changes {
        out.push_str(&format!(
            "<details><summary><code>{}</code> ({}): {}</summary>\n\n",
            c.address,
            c.kind,
            status(c)
        ));
        if !c.diffs.is_empty() {
            out.push_str("| attribute | spec | live |\n|---|---|---|\n");
            for d in &c.diffs {
                out.push_str(&format!(
                    "| `{}` | `{}` | `{}` |\n",
                    d.path,
                    shown(&d.after).replace('|', "\\|"),
                    shown(&d.before).replace('|', "\\|")
                ));
            }
            out.push('\n');
        }
        out.push_str("</details>\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use idplane_model::{Address, AttrDiff, DiffOrigin, Kind, PlanSummary, Secret};

    fn change(address: &str, kind: Kind, action: Action, unmanaged: bool) -> Change {
        Change {
            address: Address::parse(address).unwrap(),
            kind,
            action,
            parent: None,
            live_id: Some("id-1".into()),
            parent_live_id: None,
            before: None,
            after: None,
            diffs: vec![],
            reasons: vec![],
            depends_on: vec![],
            level: 0,
            unmanaged,
        }
    }

    fn plan(changes: Vec<Change>) -> Plan {
        Plan {
            format_version: 1,
            stack: "blog".into(),
            region: "us-east-1".into(),
            changes,
            summary: PlanSummary::default(),
            warnings: vec![],
        }
    }

    fn drifted_plan() -> Plan {
        let mut client = change(
            "user_pools.blog.clients.tti",
            Kind::UserPoolClient,
            Action::Update,
            false,
        );
        client.diffs.push(AttrDiff {
            path: "callback_urls".into(),
            before: Value::List(vec!["https://a".into(), "https://b".into()]),
            after: Value::List(vec!["https://a".into()]),
            forces_replace: false,
            origin: DiffOrigin::Unknown,
        });
        client.diffs.push(AttrDiff {
            path: "provider_details.client_secret".into(),
            before: Value::Secret(Secret::from_plaintext("aws", "live-secret")),
            after: Value::Secret(Secret::from_plaintext("env:X", "spec-secret")),
            forces_replace: false,
            origin: DiffOrigin::Unknown,
        });
        plan(vec![
            change("user_pools.blog", Kind::UserPool, Action::NoOp, false),
            client,
            change(
                "user_pools.blog.groups.extra",
                Kind::UserPoolGroup,
                Action::Delete,
                true,
            ),
        ])
    }

    #[test]
    fn clean_plans_report_no_drift() {
        let p = plan(vec![change(
            "user_pools.blog",
            Kind::UserPool,
            Action::NoOp,
            false,
        )]);
        assert!(text(&p, false).starts_with("No drift"));
        let j: serde_json::Value = serde_json::from_str(&json(&p)).unwrap();
        assert_eq!(j["drift"], false);
        assert!(markdown(&p).contains("is clean"));
    }

    #[test]
    fn drift_lists_attributes_and_unmanaged_objects() {
        let p = drifted_plan();
        let t = text(&p, false);
        assert!(t.contains("2 of 3 objects differ"), "{t}");
        assert!(
            t.contains(r#"callback_urls: spec ["https://a"], live ["https://a", "https://b"]"#),
            "{t}"
        );
        assert!(
            t.contains("user_pools.blog.groups.extra (user_pool_group): unmanaged"),
            "{t}"
        );
        let j: serde_json::Value = serde_json::from_str(&json(&p)).unwrap();
        assert_eq!(j["drift"], true);
        assert_eq!(j["objects"][0]["attributes"][0]["live"][1], "https://b");
        assert_eq!(j["objects"][1]["status"], "unmanaged");
        let m = markdown(&p);
        assert!(
            m.contains("<details><summary><code>user_pools.blog.clients.tti</code>"),
            "{m}"
        );
    }

    #[test]
    fn secrets_never_show() {
        let p = drifted_plan();
        for out in [text(&p, true), json(&p), markdown(&p)] {
            assert!(
                !out.contains("live-secret") && !out.contains("spec-secret"),
                "{out}"
            );
            assert!(out.contains("(sensitive)"), "{out}");
        }
    }
}
