//! Every example stack (`examples/*/stack.yaml`, default variables except where an account must
//! differ): observe -> plan -> apply to an empty account -> plan again is empty, and the result
//! read back with plain SDK calls matches what the stack declares (one object per declared
//! resource, none duplicated).

use crate::{Env, Sdk, env, make_plan, pending, run};
use idplane_model::{Action, Desired, Kind, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The OIDC client secret `two-idps-two-apps` reads from the environment.
const OKTA_SECRET_ENV: &str = "OKTA_CLIENT_SECRET";
const OKTA_SECRET: &str = "executor-test-okta-secret-5d1e";

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
        .join("stack.yaml")
}

fn load(name: &str, vars: &[(&str, String)]) -> Desired {
    if name == "two-idps-two-apps" {
        // SAFETY: every test that sets it writes the same value; no test removes it.
        unsafe { std::env::set_var(OKTA_SECRET_ENV, OKTA_SECRET) };
    }
    let opts = idplane_spec::LoadOptions {
        vars: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
        var_files: vec![],
        resolve_secrets: true,
    };
    let loaded = idplane_spec::load(&[example(name)], &opts);
    let text = idplane_spec::render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    loaded
        .desired
        .unwrap_or_else(|| panic!("example {name} does not load:\n{text}"))
}

/// A stand-in for the console-made SAML application seed 000 references by ARN: a SAML
/// provider's application, as the console makes it (no grants, scopes or methods to list).
async fn saml_application_stand_in(env: &Env, sdk: &Sdk) -> String {
    let (instance, _) = sdk.instance().await;
    env.account.set_console_mode(true);
    let arn = sdk
        .sso
        .create_application()
        .instance_arn(instance)
        .name("DemoSAMLApplication")
        .application_provider_arn("arn:aws:sso::aws:applicationProvider/catalog/saml")
        .send()
        .await
        .unwrap()
        .application_arn()
        .unwrap()
        .to_string();
    env.account.set_console_mode(false);
    arn
}

fn attr(
    d: &Desired,
    kind: Kind,
) -> impl Iterator<Item = (&idplane_model::Address, &idplane_model::Attrs)> {
    d.resources
        .values()
        .filter(move |r| r.kind == kind && r.mode == idplane_model::Mode::Managed)
        .map(|r| (&r.address, &r.attrs))
}

fn str_attr<'a>(a: &'a idplane_model::Attrs, key: &str) -> &'a str {
    a.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("`{key}` in {a:?}"))
}

/// Applies the example to an empty account and checks the result.
async fn check(name: &str, extra_vars: impl FnOnce(&Env) -> Vec<(&'static str, String)>) {
    check_with(name, extra_vars, false).await;
}

/// [`check`], with the emulator's sso-admin propagation conflicts on when `propagation`: every
/// write on an application or trusted token issuer within a short window after its create
/// answers `ConflictException`, as AWS does.
async fn check_with(
    name: &str,
    extra_vars: impl FnOnce(&Env) -> Vec<(&'static str, String)>,
    propagation: bool,
) {
    let env = env().await;
    let sdk = Sdk::new(&env.sdk);
    let mut vars = extra_vars(&env);
    if name == "seed-000-cognito-tti" {
        vars.push((
            "saml_application_arn",
            saml_application_stand_in(&env, &sdk).await,
        ));
    }
    if propagation {
        env.account
            .set_propagation_conflicts(Some(std::time::Duration::from_millis(300)));
    }
    let desired = load(name, &vars);
    let plan = make_plan(&env.provider, &desired).await;
    let managed = desired
        .resources
        .values()
        .filter(|r| r.mode == idplane_model::Mode::Managed)
        .count();
    // An empty account: every managed resource is a create, except the children of a
    // referenced (console-made) application, which exist already and may be updates.
    assert_eq!(
        plan.changes
            .iter()
            .filter(|c| matches!(c.action, Action::Create | Action::Update))
            .count(),
        managed,
        "{name}\n{}",
        pending(&plan)
    );
    assert!(
        plan.changes.iter().all(|c| c.action != Action::Update
            || c.parent
                .as_ref()
                .is_some_and(|p| desired.resources[p].mode == idplane_model::Mode::Referenced)),
        "{name}: only children of referenced applications are updates\n{}",
        pending(&plan)
    );
    let (report, _) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{name}: {report:#?}");
    let again = make_plan(&env.provider, &desired).await;
    assert!(
        !again.has_changes(),
        "{name}: plan after apply is not empty:\n{}",
        pending(&again)
    );

    // Plain SDK reads: one object per declared resource, with its name.
    for (address, a) in attr(&desired, Kind::UserPool) {
        let pools = sdk.pools_named(str_attr(a, "name")).await;
        assert_eq!(pools.len(), 1, "{name}: {address}");
        let pool = &pools[0];
        let under = |kind: Kind| {
            desired
                .resources
                .values()
                .filter(move |r| r.kind == kind && r.parent.as_ref() == Some(address))
                .count()
        };
        let clients = sdk.clients(pool).await;
        assert_eq!(
            clients.len(),
            under(Kind::UserPoolClient),
            "{name}: clients of {address}"
        );
        let declared = desired
            .resources
            .values()
            .filter(|r| r.kind == Kind::UserPoolClient && r.parent.as_ref() == Some(address));
        for r in declared {
            let want_name = str_attr(&r.attrs, "name");
            let client = clients
                .iter()
                .find(|x| x.client_name() == Some(want_name))
                .unwrap_or_else(|| panic!("{name}: client {want_name} of {address}"));
            let mut got = client.callback_urls().to_vec();
            got.sort();
            let mut want: Vec<String> = match r.attrs.get("callback_urls") {
                Some(Value::List(urls)) => urls
                    .iter()
                    .filter_map(|u| u.as_str().map(str::to_string))
                    .collect(),
                _ => vec![],
            };
            want.sort();
            assert_eq!(got, want, "{name}: callback URLs of {}", r.address);
        }
        let idps = sdk
            .cip
            .list_identity_providers()
            .user_pool_id(pool)
            .max_results(60)
            .send()
            .await
            .unwrap();
        assert_eq!(
            idps.providers().len(),
            under(Kind::IdentityProvider),
            "{name}: IdPs of {address}"
        );
        let groups = sdk
            .cip
            .list_groups()
            .user_pool_id(pool)
            .send()
            .await
            .unwrap();
        assert_eq!(
            groups.groups().len(),
            under(Kind::UserPoolGroup),
            "{name}: groups of {address}"
        );
        let servers = sdk
            .cip
            .list_resource_servers()
            .user_pool_id(pool)
            .max_results(50)
            .send()
            .await
            .unwrap();
        assert_eq!(
            servers.resource_servers().len(),
            under(Kind::ResourceServer),
            "{name}: resource servers of {address}"
        );
        let described = sdk.pool(pool).await;
        if under(Kind::UserPoolDomain) == 1 {
            assert!(
                described.domain().is_some(),
                "{name}: the domain of {address}"
            );
        }
    }
    for (address, a) in attr(&desired, Kind::IdentityPool) {
        assert_eq!(
            sdk.identity_pools_named(str_attr(a, "name")).await.len(),
            1,
            "{name}: {address}"
        );
    }
    for (address, a) in attr(&desired, Kind::TrustedTokenIssuer) {
        assert_eq!(
            sdk.ttis_named(str_attr(a, "name")).await.len(),
            1,
            "{name}: {address}"
        );
    }
    for (address, a) in attr(&desired, Kind::Application) {
        assert_eq!(
            sdk.apps_named(str_attr(a, "name")).await.len(),
            1,
            "{name}: {address}"
        );
    }
    for (address, a) in attr(&desired, Kind::IdentityStoreGroup) {
        assert_eq!(
            sdk.store_groups_named(str_attr(a, "display_name")).await,
            1,
            "{name}: {address}"
        );
    }
}

/// A domain prefix no other test account uses (prefixes are unique per region).
fn prefix(env: &Env, base: &str) -> Vec<(&'static str, String)> {
    vec![("domain_prefix", format!("{base}-{}", env.account.id()))]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_seed_000_cognito_tti() {
    check("seed-000-cognito-tti", |e| prefix(e, "tti")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_seed_001_identity_pool() {
    check("seed-001-identity-pool", |e| prefix(e, "ids")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_seed_002_shibboleth_saml() {
    check("seed-002-shibboleth-saml", |e| prefix(e, "campus")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_two_idps_two_apps() {
    check("two-idps-two-apps", |e| prefix(e, "partners")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_applies_with_propagation_conflicts_after_creates() {
    for (name, base) in [
        ("seed-000-cognito-tti", "ptti"),
        ("seed-001-identity-pool", "pids"),
        ("seed-002-shibboleth-saml", "pcampus"),
        ("two-idps-two-apps", "ppartners"),
    ] {
        check_with(name, |e| prefix(e, base), true).await;
    }
}

/// Every example directory has a test above (a new example without one fails here).
#[test]
fn every_example_is_covered() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the examples directory")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("stack.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "seed-000-cognito-tti",
            "seed-001-identity-pool",
            "seed-002-shibboleth-saml",
            "two-idps-two-apps"
        ]
    );
}
