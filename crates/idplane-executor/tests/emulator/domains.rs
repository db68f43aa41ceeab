//! User pool domains, which AWS sets up and deletes in the background (the emulator models
//! `CREATING` / `DELETING` with short durations), and user pools that have one: apply waits for
//! a new domain, deletes a pool's domain and waits until it is gone before deleting or
//! replacing the pool, and re-creates a prefix only once its old deletion finished.

use super::*;
use idplane_model::{DesiredResource, InstanceSelector, Kind, Mode};
use std::collections::BTreeSet;

const DOMAIN: &str = "user_pools.main.domain";
const OTHER_POOL: &str = "user_pools.other";

/// The Cognito part of the test stack (pool, client, group, resource server) plus a domain.
fn cognito_with_domain(stack: &str, prefix: &str) -> Desired {
    let mut d = desired(stack);
    d.identity_center = InstanceSelector::None;
    d.resources.retain(|a, r| {
        matches!(
            r.kind,
            Kind::UserPool | Kind::UserPoolClient | Kind::UserPoolGroup | Kind::ResourceServer
        ) && a.to_string().starts_with(POOL)
    });
    d.resources.insert(
        addr(DOMAIN),
        DesiredResource {
            address: addr(DOMAIN),
            kind: Kind::UserPoolDomain,
            parent: Some(addr(POOL)),
            pinned_id: None,
            mode: Mode::Managed,
            attrs: [("domain".to_string(), s(prefix))].into_iter().collect(),
            depends_on: BTreeSet::from([addr(POOL)]),
            source: None,
        },
    );
    d
}

fn plan_with(observed: &idplane_model::Observed, desired: &Desired, opts: &PlanOptions) -> Plan {
    idplane_planner::plan(desired, observed, opts).unwrap_or_else(|e| panic!("plan failed: {e:?}"))
}

async fn observe(provider: &dyn Provider, desired: &Desired) -> idplane_model::Observed {
    provider
        .observe(&ObserveRequest::from_desired(desired))
        .await
        .unwrap_or_else(|e| panic!("observe failed: {e}"))
}

async fn domain_status(sdk: &Sdk, domain: &str) -> Option<(String, String)> {
    let out = sdk
        .cip
        .describe_user_pool_domain()
        .domain(domain)
        .send()
        .await
        .unwrap();
    let d = out.domain_description()?;
    let pool = d.user_pool_id().filter(|p| !p.is_empty())?;
    Some((
        pool.to_string(),
        d.status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
    ))
}

fn waits(events: &[Event], address: &str, status: &str) -> usize {
    events
        .iter()
        .filter(|e| {
            matches!(e, Event::Waiting { address: a, status: st, .. }
                if a.to_string() == address && st == status)
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_domain_is_waited_for_until_active_with_progress() {
    let env = env().await;
    let desired = cognito_with_domain("dnew", "dnew-auth");
    let plan = make_plan(&env.provider, &desired).await;
    let (report, events) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert!(
        waits(&events, DOMAIN, "CREATING") >= 1,
        "progress shows the wait: {events:#?}"
    );
    let sdk = Sdk::new(&env.sdk);
    let (_, status) = domain_status(&sdk, "dnew-auth").await.expect("the domain");
    assert_eq!(
        status, "ACTIVE",
        "apply returned only once the domain was ACTIVE"
    );
    assert_eq!(report.outputs[&addr(DOMAIN)]["status"], "ACTIVE");
    assert_no_changes(&env.provider, &desired).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_domain_that_does_not_settle_in_time_fails_the_change_clearly() {
    let env = env().await;
    let desired = cognito_with_domain("dslow", "dslow-auth");
    let plan = make_plan(&env.provider, &desired).await;
    let opts = ApplyOptions {
        settle_timeout: Duration::from_millis(60),
        settle_poll: Duration::from_millis(20),
        ..opts()
    };
    let report = apply(&plan, &env.provider, &opts, &|_| {}).await;
    let failed: Vec<_> = report
        .failed
        .iter()
        .filter(|(a, _)| a == &addr(DOMAIN))
        .collect();
    assert_eq!(failed.len(), 1, "{report:#?}");
    let message = &failed[0].1;
    assert!(
        message.contains("dslow-auth")
            && message.contains("still CREATING")
            && message.contains("run `apply` again"),
        "{message}"
    );
    // Once AWS finished, a second run has nothing left to do.
    let sdk = Sdk::new(&env.sdk);
    for _ in 0..100 {
        if domain_status(&sdk, "dslow-auth")
            .await
            .is_some_and(|(_, s)| s == "ACTIVE")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_no_changes(&env.provider, &desired).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn re_creating_a_prefix_waits_for_its_old_deletion() {
    let env = env().await;
    let mut desired = cognito_with_domain("dre", "dre-auth");
    // The emulator takes this long for this pool's domains: the deletion is surely still
    // going when apply starts, whatever the machine's load.
    set(
        &mut desired,
        POOL,
        "tags",
        map(vec![("idplane-emulator:domain-ms", s("2500"))]),
    );
    converge(&env.provider, &desired).await;
    let sdk = Sdk::new(&env.sdk);
    let (pool, _) = domain_status(&sdk, "dre-auth").await.expect("the domain");
    // Someone deletes the domain by hand; AWS is still deleting it when apply runs.
    sdk.cip
        .delete_user_pool_domain()
        .user_pool_id(&pool)
        .domain("dre-auth")
        .send()
        .await
        .unwrap();
    let plan = make_plan(&env.provider, &desired).await;
    assert_eq!(
        plan.change(&addr(DOMAIN)).map(|c| c.action),
        Some(Action::Create),
        "a domain being deleted is planned as gone: {}",
        pending(&plan)
    );
    let (report, events) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert!(
        waits(&events, DOMAIN, "DELETING") >= 1,
        "waited for the old deletion: {events:#?}"
    );
    assert_eq!(
        domain_status(&sdk, "dre-auth").await,
        Some((pool, "ACTIVE".to_string()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replacing_a_pool_that_has_a_domain_converges_and_loses_nothing() {
    let env = env().await;
    let mut desired = cognito_with_domain("drepl", "drepl-auth");
    converge(&env.provider, &desired).await;
    let sdk = Sdk::new(&env.sdk);
    let old_pool = sdk.pools_named("drepl-pool").await.remove(0);

    // Sign-in aliases are fixed at creation: a new pool.
    set(
        &mut desired,
        POOL,
        "alias_attributes",
        list(&["email", "preferred_username"]),
    );
    let observed = observe(&env.provider, &desired).await;
    let opts = PlanOptions {
        allow_replace_user_pools: true,
        ..PlanOptions::default()
    };
    let plan = plan_with(&observed, &desired, &opts);
    assert!(
        matches!(
            plan.change(&addr(POOL)).map(|c| c.action),
            Some(Action::Replace(_))
        ),
        "{}",
        pending(&plan)
    );
    let (report, events) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert!(
        waits(&events, POOL, "DELETING") >= 1,
        "the old pool's domain was deleted and waited for first: {events:#?}"
    );
    assert!(
        waits(&events, DOMAIN, "CREATING") >= 1,
        "the domain on the new pool was waited for: {events:#?}"
    );

    let pools = sdk.pools_named("drepl-pool").await;
    assert_eq!(pools.len(), 1, "the old pool is gone, the new one there");
    let new_pool = pools[0].clone();
    assert_ne!(new_pool, old_pool);
    assert_eq!(
        domain_status(&sdk, "drepl-auth").await,
        Some((new_pool.clone(), "ACTIVE".to_string())),
        "the domain moved to the new pool"
    );
    assert_eq!(sdk.clients(&new_pool).await.len(), 1, "the client is there");
    assert!(
        sdk.group(&new_pool, "admins").await.is_some(),
        "the group is there"
    );
    let servers = sdk
        .cip
        .list_resource_servers()
        .user_pool_id(&new_pool)
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert_eq!(
        servers.resource_servers().len(),
        1,
        "the resource server is there"
    );
    assert_no_changes(&env.provider, &desired).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_pool_that_has_a_domain_deletes_the_domain_first() {
    let env = env().await;
    let mut desired = cognito_with_domain("ddel", "ddel-auth");
    let mut other = desired.resources[&addr(POOL)].clone();
    other.address = addr(OTHER_POOL);
    other.attrs.insert("name".into(), s("ddel-other"));
    desired.resources.insert(addr(OTHER_POOL), other);
    converge(&env.provider, &desired).await;
    let sdk = Sdk::new(&env.sdk);
    assert!(domain_status(&sdk, "ddel-auth").await.is_some());

    desired
        .resources
        .retain(|a, _| a.to_string().starts_with(OTHER_POOL));
    let observed = observe(&env.provider, &desired).await;
    let opts = PlanOptions {
        allow_delete_user_pools: true,
        allow_mass_delete: true,
        ..PlanOptions::default()
    };
    let plan = plan_with(&observed, &desired, &opts);
    assert_eq!(
        plan.change(&addr(POOL)).map(|c| c.action),
        Some(Action::Delete),
        "{}",
        pending(&plan)
    );
    let (report, events) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert!(
        waits(&events, DOMAIN, "DELETING") >= 1,
        "the domain's deletion was waited for before the pool's: {events:#?}"
    );
    assert!(
        sdk.pools_named("ddel-pool").await.is_empty(),
        "the pool is gone"
    );
    assert_eq!(
        sdk.pools_named("ddel-other").await.len(),
        1,
        "the other pool stays"
    );
    assert_eq!(
        domain_status(&sdk, "ddel-auth").await,
        None,
        "the domain is gone"
    );
    assert_no_changes(&env.provider, &desired).await;
}

/// The wait for a new domain runs beside the rest of the apply: the changes of later levels
/// (the stack's trusted token issuer, identity pool, application ...) start while AWS is still
/// setting the domain up, and the apply still returns only once the domain is ACTIVE.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_domain_settles_beside_the_rest_of_the_apply() {
    let env = env().await;
    let mut desired = desired("dside");
    let with_domain = cognito_with_domain("dside", "dside-auth");
    desired
        .resources
        .insert(addr(DOMAIN), with_domain.resources[&addr(DOMAIN)].clone());
    // Slow enough for the later levels to start while the domain is CREATING, whatever the
    // machine's load.
    set(
        &mut desired,
        POOL,
        "tags",
        map(vec![("idplane-emulator:domain-ms", s("4000"))]),
    );
    let plan = make_plan(&env.provider, &desired).await;
    let level = |a: &idplane_model::Address| plan.change(a).map_or(0, |c| c.level);
    let domain_level = level(&addr(DOMAIN));
    let (report, events) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    let settled = events
        .iter()
        .position(|e| matches!(e, Event::Succeeded { address, .. } if *address == addr(DOMAIN)))
        .expect("the domain succeeded");
    let started_meanwhile: Vec<String> = events[..settled]
        .iter()
        .filter_map(|e| match e {
            Event::Started { address, .. } if level(address) > domain_level => {
                Some(address.to_string())
            }
            _ => None,
        })
        .collect();
    assert!(
        !started_meanwhile.is_empty(),
        "changes of later levels started while the domain was CREATING: {events:#?}"
    );
    let sdk = Sdk::new(&env.sdk);
    let (_, status) = domain_status(&sdk, "dside-auth").await.expect("the domain");
    assert_eq!(
        status, "ACTIVE",
        "apply returned once the domain was ACTIVE"
    );
    assert_no_changes(&env.provider, &desired).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_waiting_a_new_domain_is_left_creating_and_plans_warn_until_it_is_active() {
    let env = env().await;
    let mut desired = cognito_with_domain("dnowait", "dnowait-auth");
    // Long enough to still be CREATING when the apply ends, whatever the machine's load.
    set(
        &mut desired,
        POOL,
        "tags",
        map(vec![("idplane-emulator:domain-ms", s("4000"))]),
    );
    let plan = make_plan(&env.provider, &desired).await;
    let events = std::sync::Mutex::new(Vec::new());
    let on_event = |e: Event| events.lock().unwrap().push(e);
    let no_wait = ApplyOptions {
        wait_for_background: false,
        ..opts()
    };
    let report = apply(&plan, &env.provider, &no_wait, &on_event).await;
    assert!(report.is_success(), "{report:#?}");
    assert_eq!(
        report.settling,
        vec![(addr(DOMAIN), "CREATING".to_string())],
        "{report:#?}"
    );
    assert!(
        report.done.iter().any(|(a, _)| *a == addr(DOMAIN)),
        "{report:#?}"
    );
    let events = events.into_inner().unwrap();
    assert!(
        events.iter().any(
            |e| matches!(e, Event::LeftSettling { address, status, .. } if *address == addr(DOMAIN) && status == "CREATING")
        ),
        "{events:#?}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::Succeeded { address, .. } if *address == addr(DOMAIN))),
        "the apply ended before the domain was ACTIVE: {events:#?}"
    );
    let sdk = Sdk::new(&env.sdk);
    let (_, status) = domain_status(&sdk, "dnowait-auth")
        .await
        .expect("the domain");
    assert_eq!(status, "CREATING");

    // The next plan changes nothing and says AWS is still setting the domain up.
    let plan = make_plan(&env.provider, &desired).await;
    assert!(!plan.has_changes(), "{}", pending(&plan));
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.starts_with(DOMAIN) && w.contains("CREATING")),
        "{:?}",
        plan.warnings
    );
    // Once ACTIVE, no more warning.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while domain_status(&sdk, "dnowait-auth")
        .await
        .expect("the domain")
        .1
        != "ACTIVE"
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the domain never became ACTIVE"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let plan = make_plan(&env.provider, &desired).await;
    assert!(!plan.has_changes(), "{}", pending(&plan));
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}
