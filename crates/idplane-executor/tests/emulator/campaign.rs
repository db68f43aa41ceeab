//! The fault campaign: a stack of every kind converges under the fault proxy at 10%
//! throttling, 2% server errors and 1% lost responses (every operation, reads included), with
//! nothing duplicated or missing. Here a small stack (`IDPLANE_CAMPAIGN_UNITS`, default 2 units:
//! 36 objects) and one seed (`IDPLANE_CAMPAIGN_SEEDS`, default 1); `scripts/fault-campaign.sh`
//! runs the full campaign (11 units: 207 objects, 5 seeds).

use super::*;
use idplane_testkit::{every_kind_objects, every_kind_spec};
use std::collections::BTreeMap;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn faults() -> Vec<FaultRule> {
    vec![
        FaultRule::always(Fault::Throttle).with_probability(0.10),
        FaultRule::always(Fault::ServerError).with_probability(0.02),
        FaultRule::always(Fault::LoseResponse).with_probability(0.01),
    ]
}

/// Live objects per kind, counted with plain SDK calls, for names of `stack`.
async fn census(sdk: &Sdk, stack: &str) -> BTreeMap<&'static str, usize> {
    let mut n = BTreeMap::new();
    let pools: Vec<String> = {
        let mut ids = Vec::new();
        let mut token = None;
        loop {
            let out = sdk
                .cip
                .list_user_pools()
                .max_results(60)
                .set_next_token(token)
                .send()
                .await
                .unwrap();
            ids.extend(
                out.user_pools()
                    .iter()
                    .filter(|p| {
                        p.name()
                            .is_some_and(|n| n.starts_with(&format!("{stack}-pool-")))
                    })
                    .filter_map(|p| p.id().map(str::to_string)),
            );
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        ids
    };
    n.insert("user pools", pools.len());
    let (mut clients, mut domains, mut idps, mut servers, mut groups) = (0, 0, 0, 0, 0);
    for p in &pools {
        clients += sdk.clients(p).await.len();
        let pool = sdk.pool(p).await;
        domains += usize::from(pool.domain().is_some());
        idps += sdk
            .cip
            .list_identity_providers()
            .user_pool_id(p)
            .send()
            .await
            .unwrap()
            .providers()
            .len();
        servers += sdk
            .cip
            .list_resource_servers()
            .user_pool_id(p)
            .max_results(50)
            .send()
            .await
            .unwrap()
            .resource_servers()
            .len();
        groups += sdk
            .cip
            .list_groups()
            .user_pool_id(p)
            .send()
            .await
            .unwrap()
            .groups()
            .len();
    }
    n.insert("clients", clients);
    n.insert("domains", domains);
    n.insert("identity providers", idps);
    n.insert("resource servers", servers);
    n.insert("pool groups", groups);
    let ips = sdk
        .ci
        .list_identity_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    n.insert(
        "identity pools",
        ips.identity_pools()
            .iter()
            .filter(|p| {
                p.identity_pool_name()
                    .is_some_and(|n| n.starts_with(&format!("{stack}_identities_")))
            })
            .count(),
    );
    let (instance, store) = sdk.instance().await;
    let ttis = sdk
        .sso
        .list_trusted_token_issuers()
        .instance_arn(&instance)
        .send()
        .await
        .unwrap();
    n.insert("trusted token issuers", ttis.trusted_token_issuers().len());
    let apps = sdk
        .sso
        .list_applications()
        .instance_arn(&instance)
        .send()
        .await
        .unwrap();
    let apps: Vec<String> = apps
        .applications()
        .iter()
        .filter(|a| {
            a.name()
                .is_some_and(|n| n.starts_with(&format!("{stack}-app-")))
        })
        .filter_map(|a| a.application_arn().map(str::to_string))
        .collect();
    n.insert("applications", apps.len());
    let mut assignments = 0;
    for a in &apps {
        assignments += sdk
            .sso
            .list_application_assignments()
            .application_arn(a)
            .send()
            .await
            .unwrap()
            .application_assignments()
            .len();
    }
    n.insert("assignments", assignments);
    let users = sdk
        .ids
        .list_users()
        .identity_store_id(&store)
        .send()
        .await
        .unwrap();
    n.insert("store users", users.users().len());
    let store_groups = sdk
        .ids
        .list_groups()
        .identity_store_id(&store)
        .send()
        .await
        .unwrap();
    n.insert("store groups", store_groups.groups().len());
    let mut members = 0;
    for g in store_groups.groups() {
        members += sdk
            .ids
            .list_group_memberships()
            .identity_store_id(&store)
            .group_id(g.group_id())
            .send()
            .await
            .unwrap()
            .group_memberships()
            .len();
    }
    n.insert("memberships", members);
    n
}

fn expected(units: usize) -> BTreeMap<&'static str, usize> {
    let issuers = units.min(10);
    [
        ("user pools", units),
        ("clients", units),
        ("domains", units),
        ("identity providers", units),
        ("resource servers", units),
        ("pool groups", units),
        ("identity pools", units),
        ("trusted token issuers", issuers),
        ("applications", units),
        ("assignments", 2 * units),
        ("store users", units),
        ("store groups", units),
        ("memberships", units),
    ]
    .into_iter()
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_of_every_kind_converges_under_throttling_errors_and_lost_responses() {
    let units = env_usize("IDPLANE_CAMPAIGN_UNITS", 2);
    let seeds = env_usize("IDPLANE_CAMPAIGN_SEEDS", 1);
    for seed in 0..seeds as u64 {
        let started = std::time::Instant::now();
        let env = env().await;
        let stack = format!("camp{seed}");
        let text = every_kind_spec(&stack, "us-east-1", units);
        let loaded = idplane_spec::load_str("campaign.yaml", &text, &Default::default());
        let desired = loaded.desired.expect("the campaign stack loads");
        assert_eq!(desired.resources.len(), every_kind_objects(units));
        let proxy = env.account.proxy();
        proxy.seed(seed);
        proxy.set_rules(faults());
        // Every apply converges what it can; one more picks up what a fault left undone.
        let mut applies = 0;
        loop {
            applies += 1;
            let plan = make_plan(&env.provider, &desired).await;
            if !plan.has_changes() {
                break;
            }
            assert!(
                applies <= 3,
                "seed {seed}: not converged after 3 applies:\n{}",
                pending(&plan)
            );
            let (report, _) = run(&plan, &env.provider).await;
            if !report.is_success() {
                eprintln!("seed {seed}, apply {applies}: {:?}", report.failed);
            }
        }
        let injected = proxy.injected_faults();
        let calls = proxy.total_calls();
        proxy.clear_rules();
        assert_no_changes(&env.provider, &desired).await;
        let sdk = Sdk::new(&env.sdk);
        assert_eq!(census(&sdk, &stack).await, expected(units), "seed {seed}");
        assert!(injected > 0, "faults were injected");
        eprintln!(
            "campaign seed {seed}: {} objects, {} applies, {calls} AWS calls, {injected} faults \
             injected, {:.1?}",
            desired.resources.len(),
            applies - 1,
            started.elapsed()
        );
    }
}
