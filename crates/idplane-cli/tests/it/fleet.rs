//! Several stacks in one run (`idplane plan examples/`): one section per stack, one combined
//! summary, the worst exit code; and `idplane stacks` for CI matrices. Against the emulator.

use crate::e2e::Ctx;
use crate::support::Env;

/// `idplane CMD examples/ ARGS...` with seed 000's variable (the other stacks ignore it).
fn fleet(ctx: &Ctx, cmd: &str, rest: &[&str]) -> crate::support::Run {
    let mut args = vec![cmd, "examples/"];
    args.extend(ctx.seed_vars.iter().map(String::as_str));
    args.extend_from_slice(rest);
    ctx.env.run(&args)
}

fn results(doc: &serde_json::Value) -> Vec<(String, String)> {
    doc["stacks"]
        .as_array()
        .expect("stacks")
        .iter()
        .map(|s| {
            (
                s["path"]
                    .as_str()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_string(),
                s["result"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const EXAMPLES: [&str; 4] = [
    "examples/seed-000-cognito-tti",
    "examples/seed-001-identity-pool",
    "examples/seed-002-shibboleth-saml",
    "examples/two-idps-two-apps",
];

fn all(result: &str) -> Vec<(String, String)> {
    EXAMPLES
        .iter()
        .map(|p| (p.to_string(), result.to_string()))
        .collect()
}

#[test]
fn every_example_is_planned_applied_and_checked_for_drift_in_one_run() {
    let ctx = Ctx::new();

    let run = fleet(
        &ctx,
        "plan",
        &["--format", "json", "--detailed-exitcode", "--jobs", "2"],
    )
    .expect(2);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("fleet JSON");
    assert_eq!(doc["format_version"], 1);
    assert_eq!(results(&doc), all("changes"), "{}", run.stdout);
    for s in doc["stacks"].as_array().unwrap() {
        let changes = s["output"]["changes"]
            .as_array()
            .expect("each stack's own plan JSON");
        assert!(!changes.is_empty(), "{s}");
        assert_eq!(s["exit_code"], 2);
    }
    assert_eq!(doc["summary"]["changes"], 4);

    let run = fleet(&ctx, "apply", &["--auto-approve"]).expect(0);
    assert!(
        run.stdout.contains("Summary: 4 stacks, apply: 4 applied"),
        "{}",
        run.stdout
    );
    for p in EXAMPLES {
        assert!(
            run.stdout.contains(&format!("=== {p} (applied) ===")),
            "{}",
            run.stdout
        );
    }

    let run = fleet(&ctx, "drift", &["--format", "markdown"]).expect(0);
    assert!(
        run.stdout.contains("4 stacks, drift: 4 clean"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("## `examples/two-idps-two-apps` (clean)"),
        "{}",
        run.stdout
    );

    // verify runs per stack too: each stack's own report, the worst exit code.
    let run = fleet(&ctx, "verify", &["--format", "json", "--warn-days", "30"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("fleet JSON");
    assert_eq!(doc["command"], "verify");
    let res = results(&doc);
    assert_eq!(res.len(), 4, "{}", run.stdout);
    for (path, result) in &res {
        assert!(
            result == "holds" || result == "broken",
            "{path}: {result}\n{}",
            run.stdout
        );
    }
    for s in doc["stacks"].as_array().unwrap() {
        assert!(s["output"].is_object(), "each stack's verify JSON: {s}");
    }
    let broken = res.iter().any(|(_, r)| r == "broken");
    assert_eq!(run.code, if broken { 2 } else { 0 }, "{}", run.stdout);
    let refused = fleet(&ctx, "verify", &["--exchange", "--id-token", "t.jwt"]).expect(1);
    assert!(
        refused.stderr.contains("--exchange checks one stack"),
        "{}",
        refused.stderr
    );
    // --sample reaches each stack's verify: with 0, no stack reads its pools' users.
    let off = fleet(&ctx, "verify", &["--format", "json", "--sample", "0"]);
    let doc: serde_json::Value = serde_json::from_str(&off.stdout).expect("fleet JSON");
    let coverage: Vec<serde_json::Value> = doc["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["output"]["findings"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|f| f["link"] == "identity.coverage")
        .collect();
    assert!(!coverage.is_empty(), "{}", off.stdout);
    for f in &coverage {
        assert_eq!(f["status"], "skipped", "{f}");
        assert!(f["actual"].as_str().unwrap().contains("--sample 0"), "{f}");
    }

    // Not detailed: changes do not set the exit code, an error does (the worst wins).
    let run = fleet(&ctx, "plan", &["--detailed-exitcode"]).expect(0);
    assert!(
        run.stdout.contains("Summary: 4 stacks, plan: 4 no changes"),
        "{}",
        run.stdout
    );
    let run = ctx
        .env
        .run(&["plan", "examples/", "--detailed-exitcode"])
        .expect(1);
    assert!(
        run.stdout
            .contains("=== examples/seed-000-cognito-tti (error) ==="),
        "seed 000 without its variable fails alone: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("plan: 1 error, 3 no changes"),
        "{}",
        run.stdout
    );
}

#[test]
fn several_stacks_are_refused_where_one_stack_is_meant() {
    let run = Env::default()
        .run(&["plan", "examples/", "--out", "plan.json"])
        .expect(1);
    assert!(
        run.stderr.contains("--out saves the plan of one stack"),
        "{}",
        run.stderr
    );
}

#[test]
fn stacks_lists_every_example_for_a_ci_matrix() {
    let run = Env::default()
        .run(&["stacks", "examples", "--format", "json"])
        .expect(0);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let paths: Vec<&str> = rows.iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        EXAMPLES.to_vec(),
        "examples/ci holds no stack and is not listed"
    );
    let two = rows
        .iter()
        .find(|r| r["stack"] == "partners")
        .expect("two-idps stack");
    assert_eq!(two["region"], "eu-west-1");
    assert_eq!(two["accounts"], serde_json::json!([]));
}
