//! Apply and converge tests against the local AWS emulator over HTTP (moto plus idplane's
//! extension, started by `idplane-testkit`), through the real AWS provider. Results are checked
//! with plain AWS SDK calls, not with idplane's own reader.
//!
//! Each test takes its own isolated account. They FAIL when the emulator cannot start.

mod adoption;
mod calls;
mod campaign;
mod concurrent;
mod convergence;
mod domains;
mod examples;
mod stack;

use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_ssoadmin as sso;
use idplane_aws::AwsProvider;
use idplane_executor::{ApplyOptions, ApplyReport, Event, apply};
use idplane_model::{Action, Desired, ObserveRequest, Plan, Provider, Value};
use idplane_planner::PlanOptions;
use idplane_testkit::{Emulator, Fault, FaultRule};
use stack::*;
use std::time::Duration;

struct Env {
    account: idplane_testkit::Account,
    sdk: aws_config::SdkConfig,
    provider: AwsProvider,
}

async fn env() -> Env {
    let account = Emulator::shared().account();
    let sdk = account.sdk_config().await;
    let provider = AwsProvider::from_sdk_config(&sdk);
    Env {
        account,
        sdk,
        provider,
    }
}

fn opts() -> ApplyOptions {
    ApplyOptions {
        parallelism: 4,
        settle_timeout: Duration::from_secs(30),
        settle_poll: Duration::from_millis(50),
        ..ApplyOptions::default()
    }
}

async fn make_plan(provider: &dyn Provider, desired: &Desired) -> Plan {
    let observed = provider
        .observe(&ObserveRequest::from_desired(desired))
        .await
        .unwrap_or_else(|e| panic!("observe failed: {e}"));
    idplane_planner::plan(desired, &observed, &PlanOptions::default())
        .unwrap_or_else(|e| panic!("plan failed: {e:?}"))
}

async fn run(plan: &Plan, provider: &dyn Provider) -> (ApplyReport, Vec<Event>) {
    let events = std::sync::Mutex::new(Vec::new());
    let on_event = |e: Event| events.lock().unwrap().push(e);
    let report = apply(plan, provider, &opts(), &on_event).await;
    (report, events.into_inner().unwrap())
}

/// The changes of a plan, one line each with the attribute paths (for assertion messages).
fn pending(plan: &Plan) -> String {
    plan.changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| {
            let diffs: Vec<String> = c
                .diffs
                .iter()
                .map(|d| format!("{}: {} -> {}", d.path, d.before, d.after))
                .collect();
            format!("{} {:?} [{}]", c.address, c.action, diffs.join("; "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// observe -> plan -> apply, asserting success; returns the report.
async fn converge(provider: &dyn Provider, desired: &Desired) -> ApplyReport {
    let plan = make_plan(provider, desired).await;
    let (report, _) = run(&plan, provider).await;
    assert!(report.is_success(), "apply failed: {report:#?}");
    report
}

async fn assert_no_changes(provider: &dyn Provider, desired: &Desired) {
    let plan = make_plan(provider, desired).await;
    assert!(
        !plan.has_changes(),
        "plan after apply is not empty:\n{}",
        pending(&plan)
    );
}

/// Plain SDK helpers.
struct Sdk {
    cip: cip::Client,
    ci: aws_sdk_cognitoidentity::Client,
    sso: sso::Client,
    ids: aws_sdk_identitystore::Client,
}

impl Sdk {
    fn new(c: &aws_config::SdkConfig) -> Sdk {
        Sdk {
            cip: cip::Client::new(c),
            ci: aws_sdk_cognitoidentity::Client::new(c),
            sso: sso::Client::new(c),
            ids: aws_sdk_identitystore::Client::new(c),
        }
    }

    /// Ids of the user pools named `name`.
    async fn pools_named(&self, name: &str) -> Vec<String> {
        let out = self
            .cip
            .list_user_pools()
            .max_results(60)
            .send()
            .await
            .unwrap();
        out.user_pools()
            .iter()
            .filter(|p| p.name() == Some(name))
            .filter_map(|p| p.id().map(str::to_string))
            .collect()
    }

    async fn pool(&self, id: &str) -> cip::types::UserPoolType {
        self.cip
            .describe_user_pool()
            .user_pool_id(id)
            .send()
            .await
            .unwrap()
            .user_pool()
            .unwrap()
            .clone()
    }

    async fn clients(&self, pool: &str) -> Vec<cip::types::UserPoolClientType> {
        let list = self
            .cip
            .list_user_pool_clients()
            .user_pool_id(pool)
            .max_results(60)
            .send()
            .await
            .unwrap();
        let mut out = vec![];
        for c in list.user_pool_clients() {
            let d = self
                .cip
                .describe_user_pool_client()
                .user_pool_id(pool)
                .client_id(c.client_id().unwrap())
                .send()
                .await
                .unwrap();
            out.push(d.user_pool_client().unwrap().clone());
        }
        out
    }

    async fn group(&self, pool: &str, name: &str) -> Option<cip::types::GroupType> {
        match self
            .cip
            .get_group()
            .user_pool_id(pool)
            .group_name(name)
            .send()
            .await
        {
            Ok(g) => g.group().cloned(),
            Err(e) => {
                let e = e.into_service_error();
                assert!(e.is_resource_not_found_exception(), "{e:?}");
                None
            }
        }
    }

    async fn identity_pools_named(&self, name: &str) -> Vec<String> {
        let out = self
            .ci
            .list_identity_pools()
            .max_results(60)
            .send()
            .await
            .unwrap();
        out.identity_pools()
            .iter()
            .filter(|p| p.identity_pool_name() == Some(name))
            .filter_map(|p| p.identity_pool_id().map(str::to_string))
            .collect()
    }

    async fn instance(&self) -> (String, String) {
        let out = self.sso.list_instances().send().await.unwrap();
        let i = &out.instances()[0];
        (
            i.instance_arn().unwrap().to_string(),
            i.identity_store_id().unwrap().to_string(),
        )
    }

    /// (ARN, issuer URL) of the trusted token issuers named `name`.
    async fn ttis_named(&self, name: &str) -> Vec<(String, String)> {
        let (instance, _) = self.instance().await;
        let list = self
            .sso
            .list_trusted_token_issuers()
            .instance_arn(&instance)
            .send()
            .await
            .unwrap();
        let mut out = vec![];
        for t in list.trusted_token_issuers() {
            if t.name() != Some(name) {
                continue;
            }
            let arn = t.trusted_token_issuer_arn().unwrap();
            let d = self
                .sso
                .describe_trusted_token_issuer()
                .trusted_token_issuer_arn(arn)
                .send()
                .await
                .unwrap();
            let url = match d.trusted_token_issuer_configuration() {
                Some(sso::types::TrustedTokenIssuerConfiguration::OidcJwtConfiguration(c)) => {
                    c.issuer_url().to_string()
                }
                other => panic!("unexpected configuration {other:?}"),
            };
            out.push((arn.to_string(), url));
        }
        out
    }

    async fn apps_named(&self, name: &str) -> Vec<String> {
        let (instance, _) = self.instance().await;
        let list = self
            .sso
            .list_applications()
            .instance_arn(&instance)
            .send()
            .await
            .unwrap();
        list.applications()
            .iter()
            .filter(|a| a.name() == Some(name))
            .filter_map(|a| a.application_arn().map(str::to_string))
            .collect()
    }

    async fn store_groups_named(&self, name: &str) -> usize {
        self.store_groups(name).await.len()
    }

    /// The Identity Store groups named `name`.
    async fn store_groups(&self, name: &str) -> Vec<aws_sdk_identitystore::types::Group> {
        let (_, store) = self.instance().await;
        let list = self
            .ids
            .list_groups()
            .identity_store_id(&store)
            .send()
            .await
            .unwrap();
        list.groups()
            .iter()
            .filter(|g| g.display_name() == Some(name))
            .cloned()
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_to_an_empty_account_converges_and_matches_plain_sdk_reads() {
    let env = env().await;
    let desired = desired("conv");
    let plan = make_plan(&env.provider, &desired).await;
    assert_eq!(
        plan.changes
            .iter()
            .filter(|c| c.action == Action::Create)
            .count(),
        desired.resources.len(),
        "an empty account: everything is a create\n{}",
        pending(&plan)
    );
    let (report, events) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert_eq!(report.done.len(), desired.resources.len());
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::LevelStarted { level: 0, .. }))
    );
    assert_no_changes(&env.provider, &desired).await;

    let sdk = Sdk::new(&env.sdk);
    let pools = sdk.pools_named("conv-pool").await;
    assert_eq!(pools.len(), 1, "exactly one pool");
    let pool_id = &pools[0];
    assert_eq!(report.outputs[&addr(POOL)]["id"], *pool_id);
    let pool = sdk.pool(pool_id).await;
    assert_eq!(
        pool.alias_attributes(),
        &[cip::types::AliasAttributeType::Email]
    );
    assert_eq!(
        pool.admin_create_user_config()
            .map(|c| c.allow_admin_create_user_only()),
        Some(true)
    );
    let clients = sdk.clients(pool_id).await;
    assert_eq!(clients.len(), 1);
    let client = &clients[0];
    assert_eq!(client.client_name(), Some("web"));
    assert_eq!(
        client.callback_urls(),
        &["https://app.example.com/callback".to_string()]
    );
    assert_eq!(
        client.allowed_o_auth_flows(),
        &[cip::types::OAuthFlowType::Code]
    );
    let client_id = client.client_id().unwrap().to_string();
    let group = sdk.group(pool_id, "admins").await.expect("group");
    assert_eq!(group.description(), Some("Administrators"));
    assert_eq!(group.precedence(), Some(1));

    let ids = sdk.identity_pools_named("conv_identities").await;
    assert_eq!(ids.len(), 1);
    let ip = sdk
        .ci
        .describe_identity_pool()
        .identity_pool_id(&ids[0])
        .send()
        .await
        .unwrap();
    let providers = ip.cognito_identity_providers();
    assert_eq!(providers.len(), 1);
    assert_eq!(providers[0].client_id(), Some(client_id.as_str()));
    assert_eq!(
        providers[0].provider_name(),
        Some(format!("cognito-idp.us-east-1.amazonaws.com/{pool_id}").as_str())
    );

    // The (known after apply) issuer URL reached the trusted token issuer.
    let ttis = sdk.ttis_named("conv-cognito").await;
    assert_eq!(ttis.len(), 1);
    assert_eq!(
        ttis[0].1,
        format!("https://cognito-idp.us-east-1.amazonaws.com/{pool_id}")
    );
    let apps = sdk.apps_named("conv-app").await;
    assert_eq!(apps.len(), 1);
    let grant = sdk
        .sso
        .get_application_grant()
        .application_arn(&apps[0])
        .grant_type(sso::types::GrantType::from(
            "urn:ietf:params:oauth:grant-type:jwt-bearer",
        ))
        .send()
        .await
        .unwrap();
    let Some(sso::types::Grant::JwtBearer(jwt)) = grant.grant() else {
        panic!("a jwt-bearer grant: {grant:?}")
    };
    let issuers = jwt.authorized_token_issuers();
    assert_eq!(issuers.len(), 1);
    assert_eq!(
        issuers[0].trusted_token_issuer_arn(),
        Some(ttis[0].0.as_str())
    );
    assert_eq!(
        issuers[0].authorized_audiences(),
        std::slice::from_ref(&client_id)
    );
    let config = sdk
        .sso
        .get_application_assignment_configuration()
        .application_arn(&apps[0])
        .send()
        .await
        .unwrap();
    assert!(!config.assignment_required());
    assert_eq!(sdk.store_groups_named("conv-eng").await, 1);

    // A second apply of the same (now executed) plan changes nothing and duplicates nothing.
    let (again, _) = run(&plan, &env.provider).await;
    assert!(again.is_success(), "{again:#?}");
    assert!(again.done.is_empty(), "{again:#?}");
    assert_eq!(sdk.pools_named("conv-pool").await.len(), 1);
    assert_eq!(sdk.apps_named("conv-app").await.len(), 1);
    let _ = &env.account;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_of_one_field_per_kind_keeps_every_other_field() {
    let env = env().await;
    let mut desired = desired("upd");
    converge(&env.provider, &desired).await;
    let sdk = Sdk::new(&env.sdk);
    let pool_id = sdk.pools_named("upd-pool").await.remove(0);

    set(
        &mut desired,
        POOL,
        "password_policy",
        map(vec![("minimum_length", Value::Int(12))]),
    );
    set(
        &mut desired,
        CLIENT,
        "callback_urls",
        list(&["https://app.example.com/new-callback"]),
    );
    set(&mut desired, GROUP, "description", s("The administrators"));
    set(
        &mut desired,
        IDENTITY_POOL,
        "allow_classic_flow",
        Value::Bool(true),
    );
    set(&mut desired, TTI, "claim_attribute_path", s("sub"));
    set(&mut desired, APP, "description", s("Changed"));
    let plan = make_plan(&env.provider, &desired).await;
    let mut updated: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| format!("{} {:?}", c.address, c.action))
        .collect();
    updated.sort();
    let mut want: Vec<String> = [POOL, CLIENT, GROUP, IDENTITY_POOL, TTI, APP]
        .iter()
        .map(|a| format!("{a} Update"))
        .collect();
    want.sort();
    assert_eq!(updated, want, "{}", pending(&plan));
    let (report, _) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert_no_changes(&env.provider, &desired).await;

    let pool = sdk.pool(&pool_id).await;
    let policy = pool.policies().unwrap().password_policy().unwrap();
    assert_eq!(policy.minimum_length(), Some(12));
    assert_eq!(
        pool.alias_attributes(),
        &[cip::types::AliasAttributeType::Email],
        "kept"
    );
    assert_eq!(
        pool.auto_verified_attributes(),
        &[cip::types::VerifiedAttributeType::Email],
        "kept"
    );
    assert_eq!(
        pool.admin_create_user_config()
            .map(|c| c.allow_admin_create_user_only()),
        Some(true),
        "kept"
    );
    let client = sdk.clients(&pool_id).await.remove(0);
    assert_eq!(
        client.callback_urls(),
        &["https://app.example.com/new-callback".to_string()]
    );
    assert_eq!(
        client.logout_urls(),
        &["https://app.example.com/logout".to_string()],
        "kept"
    );
    assert_eq!(
        client.allowed_o_auth_flows(),
        &[cip::types::OAuthFlowType::Code],
        "kept"
    );
    let mut scopes = client.allowed_o_auth_scopes().to_vec();
    scopes.sort();
    assert_eq!(scopes, vec!["email", "openid", "profile"], "kept");
    assert_eq!(
        client.allowed_o_auth_flows_user_pool_client(),
        Some(true),
        "kept"
    );
    let group = sdk.group(&pool_id, "admins").await.unwrap();
    assert_eq!(group.description(), Some("The administrators"));
    assert_eq!(group.precedence(), Some(1), "kept");
    let ids = sdk.identity_pools_named("upd_identities").await;
    let ip = sdk
        .ci
        .describe_identity_pool()
        .identity_pool_id(&ids[0])
        .send()
        .await
        .unwrap();
    assert_eq!(ip.allow_classic_flow(), Some(true));
    assert_eq!(ip.cognito_identity_providers().len(), 1, "kept");
    assert_eq!(
        ip.cognito_identity_providers()[0].client_id(),
        client.client_id(),
        "kept"
    );
    let (tti_arn, url) = sdk.ttis_named("upd-cognito").await.remove(0);
    assert_eq!(
        url,
        format!("https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"),
        "kept"
    );
    let d = sdk
        .sso
        .describe_trusted_token_issuer()
        .trusted_token_issuer_arn(&tti_arn)
        .send()
        .await
        .unwrap();
    let Some(sso::types::TrustedTokenIssuerConfiguration::OidcJwtConfiguration(c)) =
        d.trusted_token_issuer_configuration()
    else {
        panic!("oidc config")
    };
    assert_eq!(c.claim_attribute_path(), "sub");
    assert_eq!(c.identity_store_attribute_path(), "emails.value", "kept");

    // The same plan applied again: every change is already done, so all are skipped.
    let (again, events) = run(&plan, &env.provider).await;
    assert!(again.is_success(), "{again:#?}");
    assert_eq!(again.skipped.len(), 6, "{again:#?}");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Skipped { reason, .. } if reason.contains("already"))),
        "{events:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_made_stale_by_a_hand_change_is_refused_with_what_moved() {
    let env = env().await;
    let mut desired = desired("stale");
    converge(&env.provider, &desired).await;
    let sdk = Sdk::new(&env.sdk);
    let pool_id = sdk.pools_named("stale-pool").await.remove(0);

    set(&mut desired, GROUP, "description", s("Planned description"));
    let plan = make_plan(&env.provider, &desired).await;
    // Someone changes the group by hand between plan and apply.
    sdk.cip
        .update_group()
        .user_pool_id(&pool_id)
        .group_name("admins")
        .description("Administrators")
        .precedence(9)
        .send()
        .await
        .unwrap();
    let (report, _) = run(&plan, &env.provider).await;
    assert_eq!(report.stale, vec![addr(GROUP)], "{report:#?}");
    let msg = &report.failed[0].1;
    assert!(msg.contains("precedence"), "{msg}");
    let group = sdk.group(&pool_id, "admins").await.unwrap();
    assert_eq!(
        group.description(),
        Some("Administrators"),
        "nothing written"
    );
    assert_eq!(group.precedence(), Some(9));
}

/// A create whose lookup finds an object made in the meantime (by hand, here an Identity Store
/// group of the same name, which AWS keeps unique) takes it over and brings it to the spec:
/// the object is read in full, the update merges onto that read, and nothing is duplicated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_object_made_between_plan_and_apply_is_taken_over_and_brought_to_the_spec() {
    let env = env().await;
    let text = "version: 1\nstack: taken\nregion: us-east-1\nidentity_center:\n  instance: auto\n\
                identity_store:\n  groups:\n    g: { display_name: taken-group, description: As the spec says }\n";
    let loaded = idplane_spec::load_str("taken.yaml", text, &idplane_spec::LoadOptions::default());
    let diags = idplane_spec::render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    let desired = loaded
        .desired
        .unwrap_or_else(|| panic!("the stack loads:\n{diags}"));
    let plan = make_plan(&env.provider, &desired).await;
    let sdk = Sdk::new(&env.sdk);
    let (_, store) = sdk.instance().await;
    sdk.ids
        .create_group()
        .identity_store_id(&store)
        .display_name("taken-group")
        .description("Made by hand")
        .send()
        .await
        .unwrap();
    let (report, _) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    let named = sdk.store_groups("taken-group").await;
    assert_eq!(named.len(), 1, "taken over, not duplicated: {named:?}");
    assert_eq!(named[0].description(), Some("As the spec says"));
    assert_no_changes(&env.provider, &desired).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_object_dropped_from_the_spec_is_deleted_and_unmanaged_ones_are_left_alone() {
    let env = env().await;
    let mut desired = desired("del");
    converge(&env.provider, &desired).await;
    let sdk = Sdk::new(&env.sdk);
    let pool_id = sdk.pools_named("del-pool").await.remove(0);
    // A pool made by hand, outside the stack, with the same name.
    let foreign = sdk
        .cip
        .create_user_pool()
        .pool_name("del-pool")
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();

    desired.resources.remove(&addr(GROUP));
    let plan = make_plan(&env.provider, &desired).await;
    let changes: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| (c.address.clone(), c.action))
        .collect();
    assert_eq!(
        changes,
        vec![(addr(GROUP), Action::Delete)],
        "{}",
        pending(&plan)
    );
    let (report, _) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert!(sdk.group(&pool_id, "admins").await.is_none());
    let mut pools = sdk.pools_named("del-pool").await;
    pools.sort();
    let mut want = vec![pool_id.clone(), foreign];
    want.sort();
    assert_eq!(pools, want, "the hand-made pool is untouched");
    assert_no_changes(&env.provider, &desired).await;
}

/// Applies under random throttling, 500s, dropped connections and lost responses with a fixed
/// seed, re-planning and re-applying as an operator would, until the plan is empty; then checks
/// with plain SDK calls that nothing is duplicated and nothing is missing.
async fn converge_under_faults(seed: u64) {
    let env = env().await;
    let stack = format!("chaos{seed}");
    let desired = desired(&stack);
    let proxy = env.account.proxy();
    proxy.seed(seed);
    proxy.set_rules(vec![
        FaultRule::always(Fault::Throttle).with_probability(0.10),
        FaultRule::always(Fault::ServerError).with_probability(0.05),
        FaultRule::always(Fault::DropConnection).with_probability(0.03),
        FaultRule::always(Fault::LoseResponse).with_probability(0.08),
    ]);
    let mut converged = false;
    let mut rounds = 0;
    for _ in 0..10 {
        rounds += 1;
        let observed = match env
            .provider
            .observe(&ObserveRequest::from_desired(&desired))
            .await
        {
            Ok(o) => o,
            Err(_) => continue,
        };
        let plan = idplane_planner::plan(&desired, &observed, &PlanOptions::default())
            .unwrap_or_else(|e| panic!("seed {seed}: plan failed (a duplicate?): {e:?}"));
        if !plan.has_changes() {
            converged = true;
            break;
        }
        let _ = run(&plan, &env.provider).await;
    }
    let injected = proxy.injected_faults();
    proxy.clear_rules();
    assert!(converged, "seed {seed}: no convergence in {rounds} rounds");
    assert!(injected > 0, "seed {seed}: the proxy injected faults");
    assert_no_changes(&env.provider, &desired).await;

    assert_one_of_each(&Sdk::new(&env.sdk), &stack, &format!("seed {seed}")).await;
    eprintln!("seed {seed}: converged in {rounds} rounds with {injected} injected faults");
}

/// Exactly one of each object of `desired(stack)` lives in AWS: nothing duplicated or missing.
async fn assert_one_of_each(sdk: &Sdk, stack: &str, what: &str) {
    let pools = sdk.pools_named(&format!("{stack}-pool")).await;
    assert_eq!(pools.len(), 1, "{what}: one pool");
    assert_eq!(sdk.clients(&pools[0]).await.len(), 1, "{what}: one client");
    assert!(
        sdk.group(&pools[0], "admins").await.is_some(),
        "{what}: the group"
    );
    assert_eq!(
        sdk.identity_pools_named(&format!("{stack}_identities"))
            .await
            .len(),
        1,
        "{what}: one identity pool"
    );
    assert_eq!(
        sdk.ttis_named(&format!("{stack}-cognito")).await.len(),
        1,
        "{what}: one trusted token issuer"
    );
    assert_eq!(
        sdk.apps_named(&format!("{stack}-app")).await.len(),
        1,
        "{what}: one application"
    );
    assert_eq!(
        sdk.store_groups_named(&format!("{stack}-eng")).await,
        1,
        "{what}: one store group"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converges_under_faults_seed_1() {
    converge_under_faults(1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converges_under_faults_seed_2() {
    converge_under_faults(2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converges_under_faults_seed_3() {
    converge_under_faults(3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_create_responses_are_found_again_not_duplicated() {
    lost_creates_are_found("lost", &opts()).await;
}

/// With no lookup before a create (`--serialized`, observed just before), a create whose
/// response was lost is still looked for after the failure, and found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_create_responses_are_found_again_without_a_lookup_before_the_creates() {
    let opts = ApplyOptions {
        twin_checks: false,
        observed_just_before: true,
        ..opts()
    };
    lost_creates_are_found("lost2", &opts).await;
}

async fn lost_creates_are_found(stack: &str, opts: &ApplyOptions) {
    let env = env().await;
    let desired = desired(stack);
    let proxy = env.account.proxy();
    let creates = [
        "CreateUserPool",
        "CreateUserPoolClient",
        "CreateIdentityPool",
        "CreateTrustedTokenIssuer",
        "CreateApplication",
        "CreateGroup",
    ];
    proxy.set_rules(
        creates
            .iter()
            .map(|op| FaultRule::on(op, Fault::LoseResponse).times(1))
            .collect(),
    );
    let plan = make_plan(&env.provider, &desired).await;
    proxy.reset_counts();
    let report = apply(&plan, &env.provider, opts, &|_| {}).await;
    let injected = proxy.injected_faults();
    let calls: Vec<(String, u64)> = creates
        .iter()
        .map(|op| (op.to_string(), proxy.calls(op)))
        .collect();
    proxy.clear_rules();
    assert!(report.is_success(), "one apply suffices: {report:#?}");
    assert!(
        injected >= 6,
        "every create lost its first response ({injected})"
    );
    assert_no_changes(&env.provider, &desired).await;
    assert_one_of_each(&Sdk::new(&env.sdk), stack, "no duplicate").await;
    for (op, n) in calls {
        // Cognito creates take no idempotency token: the lost one must not be sent again.
        if op == "CreateUserPool" || op == "CreateUserPoolClient" || op == "CreateIdentityPool" {
            assert_eq!(n, 1, "{op} sent once, then found");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_made_by_the_seed_script_are_adopted_and_only_what_differs_is_written() {
    let env = env().await;
    let sdk = Sdk::new(&env.sdk);
    // As seed 000's script makes them.
    let pool_id = sdk
        .cip
        .create_user_pool()
        .pool_name("BlogTrustedTokenIssuer")
        .alias_attributes(cip::types::AliasAttributeType::Email)
        .schema(
            cip::types::SchemaAttributeType::builder()
                .name("email")
                .required(true)
                .mutable(true)
                .attribute_data_type(cip::types::AttributeDataType::String)
                .build(),
        )
        .admin_create_user_config(
            cip::types::AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    sdk.cip
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("TTI")
        .explicit_auth_flows(cip::types::ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .explicit_auth_flows(cip::types::ExplicitAuthFlowsType::AllowUserSrpAuth)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .allowed_o_auth_scopes("profile")
        .allowed_o_auth_flows(cip::types::OAuthFlowType::Code)
        .callback_urls("http://localhost:8080")
        .send()
        .await
        .unwrap();

    let mut desired = Desired {
        stack: "adopt".into(),
        region: "us-east-1".into(),
        accounts: Vec::new(),
        assume_role: None,
        identity_center: idplane_model::InstanceSelector::None,
        identity_center_region: None,
        resources: Default::default(),
    };
    let pool = idplane_model::DesiredResource {
        address: addr("user_pools.blog"),
        kind: idplane_model::Kind::UserPool,
        parent: None,
        pinned_id: Some(pool_id.clone()),
        mode: idplane_model::Mode::Managed,
        attrs: [
            ("name", s("BlogTrustedTokenIssuer")),
            ("alias_attributes", list(&["email"])),
            (
                "schema",
                map(vec![(
                    "email",
                    map(vec![
                        ("attribute_data_type", s("String")),
                        ("required", Value::Bool(true)),
                        ("mutable", Value::Bool(true)),
                    ]),
                )]),
            ),
            (
                "admin_create_user_config",
                map(vec![("allow_admin_create_user_only", Value::Bool(true))]),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
        depends_on: Default::default(),
        source: None,
    };
    let client = idplane_model::DesiredResource {
        address: addr("user_pools.blog.clients.tti"),
        kind: idplane_model::Kind::UserPoolClient,
        parent: Some(addr("user_pools.blog")),
        pinned_id: None,
        mode: idplane_model::Mode::Managed,
        attrs: [
            ("name", s("TTI")),
            (
                "explicit_auth_flows",
                list(&["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]),
            ),
            ("allowed_oauth_flows_user_pool_client", Value::Bool(true)),
            (
                "allowed_oauth_scopes",
                list(&["openid", "email", "profile"]),
            ),
            ("allowed_oauth_flows", list(&["code"])),
            ("callback_urls", list(&["http://localhost:8080"])),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
        depends_on: [addr("user_pools.blog")].into_iter().collect(),
        source: None,
    };
    desired.resources.insert(pool.address.clone(), pool);
    desired.resources.insert(client.address.clone(), client);

    // The first plan only adopts the untagged pool (the client has no tags); one apply
    // tags it and writes nothing else; then the plan is empty.
    let plan = make_plan(&env.provider, &desired).await;
    let changed: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| (c.address.to_string(), c.action))
        .collect();
    assert_eq!(
        changed,
        vec![("user_pools.blog".to_string(), Action::Adopt)],
        "adoption only adds the ownership tags:\n{}",
        pending(&plan)
    );
    let proxy = env.account.proxy();
    proxy.reset_counts();
    let (report, _) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert_eq!(proxy.calls("TagResource"), 1);
    assert_eq!(proxy.calls("UpdateUserPool"), 0, "adopting writes no field");
    let tags = sdk
        .pool(&pool_id)
        .await
        .user_pool_tags()
        .cloned()
        .unwrap_or_default();
    assert_eq!(tags.get("idplane:stack").map(String::as_str), Some("adopt"));
    assert_eq!(
        tags.get("idplane:address").map(String::as_str),
        Some("user_pools.blog")
    );
    assert_no_changes(&env.provider, &desired).await;

    set(
        &mut desired,
        "user_pools.blog.clients.tti",
        "callback_urls",
        list(&["http://localhost:8080", "https://app.example.com/cb"]),
    );
    let plan = make_plan(&env.provider, &desired).await;
    let changes: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| (c.address.to_string(), c.action))
        .collect();
    assert_eq!(
        changes,
        vec![("user_pools.blog.clients.tti".to_string(), Action::Update)],
        "{}",
        pending(&plan)
    );
    proxy.reset_counts();
    let (report, _) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert_eq!(proxy.calls("UpdateUserPoolClient"), 1);
    assert_eq!(proxy.calls("UpdateUserPool"), 0, "the pool is not written");
    assert_no_changes(&env.provider, &desired).await;

    let c = sdk.clients(&pool_id).await.remove(0);
    let mut urls = c.callback_urls().to_vec();
    urls.sort();
    assert_eq!(
        urls,
        vec!["http://localhost:8080", "https://app.example.com/cb"]
    );
    let mut flows: Vec<String> = c
        .explicit_auth_flows()
        .iter()
        .map(|f| f.as_str().to_string())
        .collect();
    flows.sort();
    assert_eq!(
        flows,
        vec!["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
        "kept"
    );
    assert_eq!(
        c.allowed_o_auth_flows(),
        &[cip::types::OAuthFlowType::Code],
        "kept"
    );
    let pool = sdk.pool(&pool_id).await;
    assert_eq!(
        pool.alias_attributes(),
        &[cip::types::AliasAttributeType::Email],
        "kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replacing_a_client_rewires_what_refers_to_its_id() {
    let env = env().await;
    let mut desired = desired("repl");
    converge(&env.provider, &desired).await;
    let sdk = Sdk::new(&env.sdk);
    let pool_id = sdk.pools_named("repl-pool").await.remove(0);
    let old_client = sdk.clients(&pool_id).await.remove(0);
    let old_id = old_client.client_id().unwrap().to_string();

    // generate_secret is fixed at creation: a new client, and the identity pool and the grant
    // that name the old client id must follow.
    set(&mut desired, CLIENT, "generate_secret", Value::Bool(true));
    let plan = make_plan(&env.provider, &desired).await;
    let client_change = plan.change(&addr(CLIENT)).expect("client change");
    assert!(
        matches!(client_change.action, Action::Replace(_)),
        "{}",
        pending(&plan)
    );
    let (report, _) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert_no_changes(&env.provider, &desired).await;

    let clients = sdk.clients(&pool_id).await;
    assert_eq!(
        clients.len(),
        1,
        "the old client is gone, the new one there"
    );
    let new_id = clients[0].client_id().unwrap().to_string();
    assert_ne!(new_id, old_id);
    assert!(
        clients[0].client_secret().is_some(),
        "the new client has a secret"
    );
    assert_eq!(report.outputs[&addr(CLIENT)]["id"], new_id);
    let ids = sdk.identity_pools_named("repl_identities").await;
    let ip = sdk
        .ci
        .describe_identity_pool()
        .identity_pool_id(&ids[0])
        .send()
        .await
        .unwrap();
    assert_eq!(
        ip.cognito_identity_providers()[0].client_id(),
        Some(new_id.as_str()),
        "the identity pool trusts the new client"
    );
    let app = sdk.apps_named("repl-app").await.remove(0);
    let grant = sdk
        .sso
        .get_application_grant()
        .application_arn(&app)
        .grant_type(sso::types::GrantType::from(
            "urn:ietf:params:oauth:grant-type:jwt-bearer",
        ))
        .send()
        .await
        .unwrap();
    let Some(sso::types::Grant::JwtBearer(jwt)) = grant.grant() else {
        panic!("a jwt-bearer grant: {grant:?}")
    };
    assert_eq!(
        jwt.authorized_token_issuers()[0].authorized_audiences(),
        std::slice::from_ref(&new_id),
        "the grant names the new client"
    );
}

/// One retry owner: under sustained throttling one create sends `max_attempts` requests, not
/// the product of three nested loops (6 x 6 x 3 = 108 before).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_create_under_sustained_throttling_sends_a_bounded_number_of_requests() {
    let env = env().await;
    let provider =
        AwsProvider::from_sdk_config(&env.sdk).with_retry_policy(idplane_aws::RetryPolicy {
            base: Duration::from_millis(2),
            cap: Duration::from_millis(10),
            ..Default::default()
        });
    let desired = desired("throttled");
    let plan = make_plan(&provider, &desired).await;
    let proxy = env.account.proxy();
    proxy.set_rules(vec![FaultRule::on("CreateUserPool", Fault::Throttle)]);
    proxy.reset_counts();
    let (report, _) = run(&plan, &provider).await;
    proxy.clear_rules();
    assert!(!report.is_success());
    assert_eq!(
        proxy.calls("CreateUserPool"),
        idplane_aws::RetryPolicy::default().max_attempts as u64,
        "{:?}",
        proxy.call_counts()
    );
}

/// A ClientToken is never replayed for a new create: after the application was deleted by
/// hand, the next apply creates a new one (a replayed token may return the deleted one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_deleted_by_hand_is_created_again() {
    let env = env().await;
    let sdk = Sdk::new(&env.sdk);
    let desired = desired("again");
    converge(&env.provider, &desired).await;
    let apps = sdk.apps_named("again-app").await;
    assert_eq!(apps.len(), 1);
    sdk.sso
        .delete_application()
        .application_arn(&apps[0])
        .send()
        .await
        .unwrap();
    converge(&env.provider, &desired).await;
    let again = sdk.apps_named("again-app").await;
    assert_eq!(again.len(), 1, "created again");
    assert_ne!(again, apps, "a new application, not the deleted one");
    assert_no_changes(&env.provider, &desired).await;
}
