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
