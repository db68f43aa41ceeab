//! Two applies of one stack at the same time (two CI jobs racing) on an empty account, for a
//! stack of every kind: both succeed, nothing is duplicated, a plan afterwards is empty, and the
//! later one reports what it found already done. AWS keeps no name of a user pool, app client,
//! identity pool or application unique, so both applies create one; the race is settled after
//! the create (the oldest is kept). The second apply goes through its own proxy in front of the
//! account's, which delays its creates in some rounds so that the two interleave differently.

use super::*;
use idplane_testkit::FaultProxy;
use std::collections::BTreeMap;

const CREATES: &[&str] = &[
    "CreateUserPool",
    "CreateUserPoolClient",
    "CreateUserPoolDomain",
    "CreateIdentityProvider",
    "CreateResourceServer",
    "CreateGroup",
    "CreateIdentityPool",
    "CreateTrustedTokenIssuer",
    "CreateApplication",
    "CreateUser",
    "CreateGroupMembership",
    "CreateApplicationAssignment",
];

fn every_kind(stack: &str) -> Desired {
    let text = idplane_testkit::every_kind_spec(stack, "us-east-1", 1);
    let loaded = idplane_spec::load_str("race.yaml", &text, &idplane_spec::LoadOptions::default());
    let diags = idplane_spec::render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    loaded
        .desired
        .unwrap_or_else(|| panic!("the every-kind stack loads:\n{diags}\n{text}"))
}

async fn count_all(sdk: &Sdk, stack: &str) -> BTreeMap<&'static str, usize> {
    let mut n = BTreeMap::new();
    let pools = sdk.pools_named(&format!("{stack}-pool-0")).await;
    n.insert("user pools", pools.len());
    let mut clients = 0;
    for p in &pools {
        clients += sdk.clients(p).await.len();
    }
    n.insert("clients", clients);
    n.insert(
        "identity pools",
        sdk.identity_pools_named(&format!("{stack}_identities_0"))
            .await
            .len(),
    );
    n.insert(
        "trusted token issuers",
        sdk.ttis_named(&format!("{stack}-issuer-0")).await.len(),
    );
    n.insert(
        "applications",
        sdk.apps_named(&format!("{stack}-app-0")).await.len(),
    );
    n.insert(
        "store groups",
        sdk.store_groups_named(&format!("{stack}-group-0")).await,
    );
    let (_, store) = sdk.instance().await;
    let users = sdk
        .ids
        .list_users()
        .identity_store_id(&store)
        .send()
        .await
        .unwrap();
    n.insert("store users", users.users().len());
    let mut members = 0;
    let groups = sdk
        .ids
        .list_groups()
        .identity_store_id(&store)
        .send()
        .await
        .unwrap();
    for g in groups.groups() {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_applies_at_once_converge_with_nothing_duplicated() {
    // Both start together; in most rounds the second apply's creates are delayed (10 ms to
    // 1 s) so that it looks before the first creates and creates after the first has already
    // settled its own, or in the middle of it.
    for (round, delay_ms) in [0u64, 40, 150, 400, 0, 10, 1000].into_iter().enumerate() {
        let env = env().await;
        let stack = format!("race{round}");
        let desired = every_kind(&stack);
        let other = FaultProxy::start(&env.account.endpoint(), vec![]).expect("a second proxy");
        if delay_ms > 0 {
            other.set_rules(
                CREATES
                    .iter()
                    .map(|op| FaultRule::on(op, Fault::Latency(Duration::from_millis(delay_ms))))
                    .collect(),
            );
        }
        let other_sdk = env
            .sdk
            .clone()
            .into_builder()
            .endpoint_url(other.url())
            .build();
        let first = &env.provider;
        let second = AwsProvider::from_sdk_config(&other_sdk);
        // Both plan against the empty account before either applies: everything is a create.
        let plan_a = make_plan(first, &desired).await;
        let plan_b = make_plan(&second, &desired).await;
        assert_eq!(
            plan_b
                .changes
                .iter()
                .filter(|c| c.action == Action::Create)
                .count(),
            desired.resources.len()
        );
        let ((report_a, events_a), (report_b, events_b)) =
            tokio::join!(run(&plan_a, first), run(&plan_b, &second));
        assert!(report_a.is_success(), "round {round}, first: {report_a:#?}");
        assert!(
            report_b.is_success(),
            "round {round}, second: {report_b:#?}"
        );

        // Converged: one plan is empty (two objects for one entry would fail it as ambiguous).
        assert_no_changes(first, &desired).await;
        let sdk = Sdk::new(&env.sdk);
        let counts = count_all(&sdk, &stack).await;
        for (what, n) in &counts {
            assert_eq!(*n, 1, "round {round}: one {what}: {counts:?}");
        }

        // What one found already done (made by the other) is reported, not silently skipped.
        let found: Vec<String> = events_a
            .iter()
            .chain(events_b.iter())
            .filter_map(|e| match e {
                Event::Skipped { address, reason } if reason.contains("already exists as") => {
                    Some(format!("{address}: {reason}"))
                }
                _ => None,
            })
            .collect();
        assert!(
            !found.is_empty(),
            "round {round}: the later apply reports what it found done\n{events_a:#?}\n{events_b:#?}"
        );
    }
}
