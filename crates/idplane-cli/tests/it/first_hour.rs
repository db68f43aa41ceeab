//! The errors a new user meets first (no credentials, an unreachable endpoint, a missing IAM
//! permission, no approval), as they see them: short, with the cause and the fix.

use crate::support::{Env, Run};
use idplane_testkit::{Emulator, Fault, FaultRule};
use std::collections::BTreeSet;

const TWO_IDPS: &str = "examples/two-idps-two-apps/stack.yaml";

/// The error lines of a run (everything on stderr that is not blank).
fn error_lines(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// A run with the SDK's credential chain finding nothing. Instance metadata is switched off so
/// that the chain never reaches for a network address outside this machine.
fn without_credentials() -> Env {
    Env::default()
        .with("AWS_REGION", "us-east-1")
        .with("AWS_EC2_METADATA_DISABLED", "true")
        .with("OKTA_CLIENT_SECRET", "unused")
}

#[test]
fn no_credentials_says_so_and_how_to_fix_it_in_two_lines() {
    let run = without_credentials()
        .run(&["plan", TWO_IDPS, "--endpoint-url", "http://127.0.0.1:9"])
        .expect(1);
    let lines = error_lines(&run);
    assert!(
        run.stderr.contains("no AWS credentials found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("AWS_PROFILE"), "{}", run.stderr);
    assert!(run.stderr.contains("aws sso login"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("WARN") && !run.stderr.contains("DispatchFailure"),
        "no SDK records or dumps without -v: {}",
        run.stderr
    );
    assert!(lines.len() <= 2, "short: {lines:#?}");
}

#[test]
fn an_unreachable_endpoint_names_the_url_and_the_os_reason() {
    // Nothing listens on the discard port of the loopback address.
    let run = Env::default()
        .with("AWS_REGION", "us-east-1")
        .with("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .with("AWS_SECRET_ACCESS_KEY", "not-a-secret")
        .with("OKTA_CLIENT_SECRET", "unused")
        .run(&["plan", TWO_IDPS, "--endpoint-url", "http://127.0.0.1:9"])
        .expect(1);
    let lines = error_lines(&run);
    assert!(
        run.stderr.contains("endpoint: http://127.0.0.1:9"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.to_lowercase().contains("connection refused"),
        "the OS reason: {}",
        run.stderr
    );
    assert!(lines.len() <= 2, "short: {lines:#?}");
}

#[test]
fn access_denied_names_the_iam_action_to_grant() {
    let account = Emulator::shared().account();
    let key = account.credentials().access_key_id().to_string();
    account.proxy().set_rules(vec![FaultRule::on(
        "ListUserPools",
        Fault::Error {
            status: 400,
            error_type: "AccessDeniedException".into(),
            message: "User: arn:aws:sts::111122223333:assumed-role/ci/run is not authorized to \
                      perform: cognito-idp:ListUserPools"
                .into(),
        },
    )]);
    let run = Env::aws(&account.endpoint(), &key)
        .with("OKTA_CLIENT_SECRET", "unused")
        .run(&["plan", TWO_IDPS])
        .expect(1);
    let lines = error_lines(&run);
    assert!(
        run.stderr
            .contains("grant the IAM action `cognito-idp:ListUserPools`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("idplane iam-policy"), "{}", run.stderr);
    assert!(lines.len() <= 2, "short: {lines:#?}");
    assert_eq!(account.proxy().calls("ListUserPools"), 1, "not retried");
}

#[test]
fn apply_without_approval_is_refused_before_any_aws_call() {
    let account = Emulator::shared().account();
    let key = account.credentials().access_key_id().to_string();
    let run = Env::aws(&account.endpoint(), &key)
        .with("OKTA_CLIENT_SECRET", "unused")
        .run_with_input(&["apply", TWO_IDPS], "yes\n")
        .expect(1);
    assert!(run.stderr.contains("--auto-approve"), "{}", run.stderr);
    assert_eq!(account.proxy().total_calls(), 0, "no AWS call at all");
    assert_eq!(error_lines(&run).len(), 1, "{}", run.stderr);

    // Without credentials the refusal for approval still comes first.
    let run = without_credentials()
        .run_with_input(
            &["apply", TWO_IDPS, "--endpoint-url", "http://127.0.0.1:9"],
            "",
        )
        .expect(1);
    assert!(run.stderr.contains("--auto-approve"), "{}", run.stderr);
    assert!(!run.stderr.contains("credentials"), "{}", run.stderr);
}

/// The actions of `idplane iam-policy SPEC --for PURPOSE`, by operation name (the part after the
/// service prefix, which is what the fault proxy records of a request).
fn policy_operations(ctx: &crate::e2e::Ctx, spec: &str, purpose: &str) -> BTreeSet<String> {
    let mut args = vec!["iam-policy", spec, "--for", purpose];
    if spec == crate::e2e::SEED_000 {
        args.extend(ctx.seed_vars.iter().map(String::as_str));
    }
    let run = ctx.env.run(&args).expect(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("policy JSON");
    assert_eq!(doc["Version"], "2012-10-17");
    let mut out = BTreeSet::new();
    for st in doc["Statement"].as_array().expect("statements") {
        assert_eq!(st["Effect"], "Allow");
        assert!(st["Resource"].is_string(), "{st}");
        for a in st["Action"].as_array().expect("actions") {
            let a = a.as_str().unwrap();
            if purpose == "plan" {
                assert!(
                    !idplane_aws::iam::is_write(a),
                    "a plan policy holds no write: {a}"
                );
            }
            out.insert(a.split(':').nth(1).unwrap().to_string());
        }
    }
    out
}

#[test]
fn the_iam_policy_covers_every_call_plan_and_apply_make() {
    for spec in [
        crate::e2e::SEED_000,
        TWO_IDPS,
        "examples/seed-001-identity-pool/stack.yaml",
    ] {
        let ctx = crate::e2e::Ctx::new();
        let mut args: Vec<String> = vec![spec.to_string()];
        args.extend(ctx.seed_vars.iter().cloned());
        let run = |cmd: &str, extra: &[&str]| {
            let mut a: Vec<&str> = vec![cmd];
            a.extend(args.iter().map(String::as_str));
            a.extend_from_slice(extra);
            ctx.env.run(&a)
        };
        let plan_ops = policy_operations(&ctx, spec, "plan");
        let apply_ops = policy_operations(&ctx, spec, "apply");
        assert!(plan_ops.is_subset(&apply_ops));

        ctx.account.proxy().reset_counts();
        run("plan", &[]).expect(0);
        run("apply", &["--auto-approve"]).expect(0);
        let used: BTreeSet<String> = ctx.account.proxy().call_counts().into_keys().collect();
        assert!(
            used.contains("CreateUserPool") || used.contains("CreateIdentityPool"),
            "{spec}: apply went through the proxy: {used:?}"
        );
        let missing: Vec<_> = used.difference(&apply_ops).collect();
        assert!(
            missing.is_empty(),
            "{spec}: apply called {missing:?}, not in the apply policy"
        );

        // Reading a stack that exists: plan and drift stay within the read-only policy.
        ctx.account.proxy().reset_counts();
        run("plan", &[]).expect(0);
        run("drift", &[]).expect(0);
        let used: BTreeSet<String> = ctx.account.proxy().call_counts().into_keys().collect();
        assert!(
            used.iter().any(|op| op.starts_with("Describe")),
            "{spec}: plan read objects through the proxy: {used:?}"
        );
        let missing: Vec<_> = used.difference(&plan_ops).collect();
        assert!(
            missing.is_empty(),
            "{spec}: plan called {missing:?}, not in the plan policy"
        );
    }
}

/// `IDPLANE_QUOTA` and `IDPLANE_SERIALIZED` that a CI template left empty count as unset, not
/// as bad values (the run goes on to AWS); a value that means nothing is named before any call.
#[test]
fn empty_quota_and_serialized_variables_count_as_unset() {
    let args = [
        "apply",
        TWO_IDPS,
        "--auto-approve",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ];
    let empty = without_credentials()
        .with("IDPLANE_QUOTA", "")
        .with("IDPLANE_SERIALIZED", "")
        .run(&args)
        .expect(1);
    assert!(
        !empty.stderr.contains("invalid value") && empty.stderr.contains("no AWS credentials"),
        "{}",
        empty.stderr
    );
    for (var, value, named) in [
        ("IDPLANE_SERIALIZED", "maybe", ["'maybe'", "--serialized"]),
        (
            "IDPLANE_QUOTA",
            "sso-admin=fast",
            ["`fast` is not a positive number", "--quota"],
        ),
    ] {
        let bad = without_credentials().with(var, value).run(&args).expect(1);
        assert!(
            named.iter().all(|n| bad.stderr.contains(n))
                && !bad.stderr.contains("no AWS credentials"),
            "{var}={value}: {}",
            bad.stderr
        );
    }
}
