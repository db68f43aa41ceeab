//! The account guard (`account` in the spec): credentials of another account are refused before
//! any AWS call but STS `GetCallerIdentity`, by `plan`, `apply` and `drift`.

use crate::offline::tempdir;
use crate::support::Env;
use idplane_testkit::Emulator;

fn spec(account: &str) -> String {
    let path = tempdir().join("stack.yaml");
    std::fs::write(
        &path,
        format!(
            "version: 1\nstack: guarded\nregion: us-east-1\naccount: {account}\n\
             user_pools:\n  main:\n    name: guarded-pool\n"
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn credentials_of_another_account_are_refused_before_any_other_call() {
    let account = Emulator::shared().account();
    let key = account.credentials().access_key_id().to_string();
    let env = Env::aws(&account.endpoint(), &key);
    assert_ne!(account.id(), "999999999999");
    let wrong = spec("\"999999999999\"");

    for args in [
        vec!["plan", wrong.as_str()],
        vec!["apply", wrong.as_str(), "--auto-approve"],
        vec!["drift", wrong.as_str()],
    ] {
        account.proxy().reset_counts();
        let run = env.run(&args).expect(1);
        assert!(
            run.stderr.contains(&format!(
                "credentials belong to account {}, but stack `guarded` belongs to account 999999999999",
                account.id()
            )),
            "{args:?}: {}",
            run.stderr
        );
        let calls = account.proxy().call_counts();
        assert_eq!(
            calls.keys().map(String::as_str).collect::<Vec<_>>(),
            vec!["GetCallerIdentity"],
            "{args:?}: only STS was asked: {calls:?}"
        );
    }
    // Nothing was created by the refused apply.
    account.proxy().reset_counts();
    let right = spec(&format!("[\"111111111111\", \"{}\"]", account.id()));
    let run = env.run(&["plan", &right, "--detailed-exitcode"]).expect(2);
    assert!(
        run.stdout.contains("user_pools.main (user_pool): create"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("guarded-pool"), "{}", run.stdout);
    assert!(
        account.proxy().calls("GetCallerIdentity") >= 1,
        "the allowed account was checked too"
    );
}

#[test]
fn an_account_that_is_not_twelve_digits_is_refused_by_validate() {
    let bad = spec("\"12345\"");
    let run = Env::default().run(&["validate", &bad]).expect(1);
    assert!(run.stderr.contains("E060"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`12345` is not an AWS account id"),
        "{}",
        run.stderr
    );
}

/// A spec with `assume_role` (and the account guard on the role's account).
fn spec_with_role(account: &str, role: &str) -> String {
    let path = tempdir().join("stack.yaml");
    std::fs::write(
        &path,
        format!(
            "version: 1\nstack: assumed\nregion: us-east-1\naccount: \"{account}\"\n\
             assume_role:\n  arn: arn:aws:iam::{account}:role/{role}\n  external_id: ci-ext-1\n  \
             session_name: idplane-ci\n  duration: 900\n\
             user_pools:\n  main:\n    name: assumed-pool\n"
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn every_call_is_made_as_the_assumed_role() {
    let account = Emulator::shared().account();
    let key = account.credentials().access_key_id().to_string();
    let env = Env::aws(&account.endpoint(), &key);
    let spec = spec_with_role(account.id(), "idplane-deployer");

    account.proxy().reset_counts();
    let run = env.run(&["plan", &spec, "-v"]).expect(0);
    assert_eq!(
        account.proxy().calls("AssumeRole"),
        1,
        "one session for the run"
    );
    // STS answers GetCallerIdentity with the assumed role's session: the role and the
    // session name reached AWS.
    assert!(
        run.stderr
            .contains("assumed-role/idplane-deployer/idplane-ci"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("user_pools.main (user_pool): create"),
        "{}",
        run.stdout
    );

    // --assume-role names another role; the spec's session name still applies.
    let run = env
        .run(&[
            "plan",
            &spec,
            "-v",
            "--assume-role",
            &format!("arn:aws:iam::{}:role/break-glass", account.id()),
        ])
        .expect(0);
    assert!(
        run.stderr.contains("assumed-role/break-glass/idplane-ci"),
        "{}",
        run.stderr
    );

    // A role that cannot be assumed stops the run before anything is read.
    account.proxy().reset_counts();
    account
        .proxy()
        .set_rules(vec![idplane_testkit::FaultRule::on(
            "AssumeRole",
            idplane_testkit::Fault::Error {
                status: 403,
                error_type: "AccessDenied".into(),
                message: "User is not authorized to perform: sts:AssumeRole".into(),
            },
        )]);
    let run = env.run(&["plan", &spec]).expect(1);
    account.proxy().clear_rules();
    assert!(
        run.stderr.contains("cannot assume the role"),
        "{}",
        run.stderr
    );
    assert_eq!(
        account.proxy().calls("ListUserPools"),
        0,
        "nothing was read"
    );
}

#[test]
fn an_assume_role_that_aws_would_refuse_is_refused_by_validate() {
    let path = tempdir().join("stack.yaml");
    std::fs::write(
        &path,
        "version: 1\nstack: s\nregion: us-east-1\nassume_role:\n  arn: arn:aws:iam::123:user/x\n  \
         session_name: \"a b\"\n  duration: 60\nuser_pools:\n  main:\n    name: p\n",
    )
    .unwrap();
    let run = Env::default()
        .run(&["validate", path.to_str().unwrap()])
        .expect(1);
    assert!(
        run.stderr.contains("is not an IAM role ARN"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`session_name` must be"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`duration` 60 is outside"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("E061").count(), 3, "{}", run.stderr);
}
