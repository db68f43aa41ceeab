//! Observe reads independent collections side by side: user pools with each other, each pool's
//! collections together, Cognito beside Identity Center, applications with each other; at most
//! four pools and four applications at once, with the same AWS calls and the same result as
//! without delays. Concurrency is counted by the account's proxy (requests held by a latency
//! rule that were in flight together), not measured with a clock.

use crate::{env, request, target};
use futures::future::try_join_all;
use idplane_model::{Kind, Provider};
use idplane_testkit::{Fault, FaultRule};
use std::time::Duration;

/// One more than the pools (and applications) observe reads at once.
const PARENTS: usize = 5;
/// Pools and applications observe reads at once (`PARENTS_AT_ONCE` in `idplane-aws`).
const AT_ONCE: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn observe_reads_pools_applications_and_services_side_by_side_with_the_same_calls() {
    let e = env().await;
    let p = &e.provider;
    let pools = try_join_all((0..PARENTS).map(|i| async move {
        p.create(&target(
            Kind::UserPool,
            &format!("user_pools.p{i}"),
            None,
            &format!(r#"{{"name":"side-{i}","deletion_protection":"INACTIVE"}}"#),
        ))
        .await
    }))
    .await
    .expect("create pools");
    let apps = try_join_all((0..PARENTS).map(|i| async move {
        p.create(&target(
            Kind::Application,
            &format!("identity_center.applications.a{i}"),
            None,
            &format!(
                r#"{{"name":"side-{i}","status":"ENABLED",
                    "portal_options":{{"visibility":"ENABLED","sign_in_options":{{"origin":"APPLICATION","application_url":"https://app.example.com"}}}}}}"#
            ),
        ))
        .await
    }))
    .await
    .expect("create applications");
    for (i, pool) in pools.iter().enumerate() {
        let child = |kind, what: &str, attrs: &str| {
            target(
                kind,
                &format!("user_pools.p{i}.{what}"),
                Some(&pool.id),
                attrs,
            )
        };
        p.create(&child(
            Kind::UserPoolClient,
            "clients.web",
            r#"{"name":"web","supported_identity_providers":["COGNITO"]}"#,
        ))
        .await
        .expect("create client");
        p.create(&child(
            Kind::UserPoolGroup,
            "groups.admins",
            r#"{"name":"admins","description":"Admins"}"#,
        ))
        .await
        .expect("create group");
    }
    for (i, app) in apps.iter().enumerate() {
        let child = |kind, what: &str, attrs: &str| {
            target(
                kind,
                &format!("identity_center.applications.a{i}.{what}"),
                Some(&app.id),
                attrs,
            )
        };
        p.create(&child(
            Kind::ApplicationGrant,
            "grants.authorization_code",
            r#"{"grant_type":"authorization_code","grant":{"redirect_uris":["https://app.example.com/cb"]}}"#,
        ))
        .await
        .expect("put grant");
        p.create(&child(
            Kind::ApplicationAccessScope,
            "access_scopes.q",
            r#"{"scope":"qbusiness:messages:access","authorized_targets":[]}"#,
        ))
        .await
        .expect("put access scope");
    }
    let req = request(&[
        Kind::UserPool,
        Kind::UserPoolDomain,
        Kind::IdentityProvider,
        Kind::ResourceServer,
        Kind::UserPoolClient,
        Kind::UserPoolGroup,
        Kind::TrustedTokenIssuer,
        Kind::Application,
        Kind::ApplicationGrant,
        Kind::ApplicationAccessScope,
        Kind::ApplicationAuthenticationMethod,
        Kind::ApplicationAssignmentConfiguration,
        Kind::ApplicationAssignment,
    ]);
    let proxy = e.account.proxy();

    // Without delays: what observe reads, and with which calls.
    proxy.reset_counts();
    let quick = p.observe(&req).await.expect("observe");
    let mut quick_calls = proxy.call_counts();
    // The account id is asked once per provider (cached after the first observe).
    assert_eq!(quick_calls.remove("GetCallerIdentity"), Some(1));
    let n = |op: &str| quick_calls.get(op).copied().unwrap_or(0);
    let count = |kind| quick.objects.iter().filter(|o| o.kind == kind).count();
    for kind in [
        Kind::UserPool,
        Kind::UserPoolClient,
        Kind::UserPoolGroup,
        Kind::Application,
        Kind::ApplicationGrant,
        Kind::ApplicationAccessScope,
        Kind::ApplicationAssignmentConfiguration,
    ] {
        assert_eq!(count(kind), PARENTS, "{kind}: {quick:#?}");
    }
    // One read per pool, per collection of a pool, per object; the same per application.
    for op in [
        "DescribeUserPool",
        "GetUserPoolMfaConfig",
        "ListIdentityProviders",
        "ListResourceServers",
        "ListUserPoolClients",
        "DescribeUserPoolClient",
        "ListGroups",
        "ListApplicationGrants",
        "ListApplicationAccessScopes",
        "ListApplicationAuthenticationMethods",
        "GetApplicationAssignmentConfiguration",
        "ListApplicationAssignments",
    ] {
        assert_eq!(n(op), PARENTS as u64, "{op}: {quick_calls:?}");
    }
    assert_eq!(n("ListUserPools"), 1, "{quick_calls:?}");
    assert_eq!(n("ListApplications"), 1, "{quick_calls:?}");

    // The proxy holds every list of a pool's clients or groups and of an application's grants
    // or access scopes for 2 s: reads that run side by side are held together.
    let hold = Duration::from_secs(2);
    proxy.set_rules(
        [
            "ListUserPoolClients",
            "ListGroups",
            "ListApplicationGrants",
            "ListApplicationAccessScopes",
        ]
        .into_iter()
        .map(|op| FaultRule::on(op, Fault::Latency(hold)))
        .collect(),
    );
    proxy.reset_counts();
    let slow = p.observe(&req).await.expect("observe with held lists");
    proxy.clear_rules();
    assert_eq!(slow, quick, "the same result, in the same order");
    assert_eq!(proxy.call_counts(), quick_calls, "the same calls");
    let peak = |ops: &[&str]| proxy.peak_in_flight(ops);
    assert_eq!(
        peak(&["ListUserPoolClients"]),
        AT_ONCE,
        "{AT_ONCE} of the {PARENTS} pools are read at once (1: one after the other)"
    );
    assert_eq!(
        peak(&["ListApplicationGrants"]),
        AT_ONCE,
        "{AT_ONCE} of the {PARENTS} applications are read at once (1: one after the other)"
    );
    assert_eq!(
        peak(&["ListUserPoolClients", "ListGroups"]),
        2 * AT_ONCE,
        "a pool's clients and groups are listed side by side"
    );
    assert_eq!(
        peak(&["ListApplicationGrants", "ListApplicationAccessScopes"]),
        2 * AT_ONCE,
        "an application's grants and access scopes are listed side by side"
    );
    assert_eq!(
        peak(&["ListUserPoolClients", "ListApplicationGrants"]),
        2 * AT_ONCE,
        "Cognito and Identity Center are read side by side"
    );
}

/// Applications are listed by account: the account id (STS) is asked beside the Identity
/// Center instance, not after it, and only once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_id_is_asked_beside_the_instance() {
    let e = env().await;
    let proxy = e.account.proxy();
    let hold = Duration::from_millis(500);
    proxy.set_rules(
        ["GetCallerIdentity", "ListInstances"]
            .into_iter()
            .map(|op| FaultRule::on(op, Fault::Latency(hold)))
            .collect(),
    );
    proxy.reset_counts();
    let observed = e
        .provider
        .observe(&request(&[Kind::Application, Kind::ApplicationAccessScope]))
        .await
        .expect("observe");
    proxy.clear_rules();
    assert!(observed.identity_center.is_some(), "{observed:?}");
    assert_eq!(proxy.calls("GetCallerIdentity"), 1);
    assert_eq!(proxy.calls("ListInstances"), 1);
    assert_eq!(proxy.calls("ListApplications"), 1);
    assert_eq!(
        proxy.peak_in_flight(&["GetCallerIdentity", "ListInstances"]),
        2,
        "asked side by side (1: one after the other)"
    );
}

/// A read made of two calls on one object (a pool and its MFA settings; an application or a
/// trusted token issuer and its tags) makes them side by side: a create's read-back costs one
/// round trip, not two. A read of an object that is gone still says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_of_two_calls_makes_them_side_by_side() {
    let e = env().await;
    let p = &e.provider;
    let made = try_join_all(
        [
            (
                Kind::UserPool,
                "user_pools.p",
                r#"{"name":"pair","deletion_protection":"INACTIVE"}"#,
            ),
            (
                Kind::Application,
                "identity_center.applications.a",
                r#"{"name":"pair","status":"ENABLED",
                    "portal_options":{"visibility":"ENABLED","sign_in_options":{"origin":"APPLICATION","application_url":"https://app.example.com"}}}"#,
            ),
            (
                Kind::TrustedTokenIssuer,
                "identity_center.trusted_token_issuers.t",
                r#"{"name":"pair","issuer_type":"OIDC_JWT",
                    "issuer_url":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pair",
                    "claim_attribute_path":"email","identity_store_attribute_path":"emails.value",
                    "jwks_retrieval_option":"OPEN_ID_DISCOVERY"}"#,
            ),
        ]
        .map(|(kind, address, attrs)| async move {
            p.create(&target(kind, address, None, attrs)).await
        }),
    )
    .await
    .expect("create a pool, an application and a trusted token issuer");
    let [pool, app, tti] = <[_; 3]>::try_from(made).expect("three objects");
    let proxy = e.account.proxy();
    let hold = Duration::from_millis(400);
    for (object, pair) in [
        (&pool, ["DescribeUserPool", "GetUserPoolMfaConfig"]),
        (&app, ["DescribeApplication", "ListTagsForResource"]),
        (&tti, ["DescribeTrustedTokenIssuer", "ListTagsForResource"]),
    ] {
        proxy.set_rules(
            pair.iter()
                .map(|op| FaultRule::on(op, Fault::Latency(hold)))
                .collect(),
        );
        proxy.reset_counts();
        let read = p
            .read(object.kind, None, &object.id)
            .await
            .expect("read")
            .expect("found");
        proxy.clear_rules();
        assert_eq!(read.id, object.id);
        assert_eq!(
            read.owner_stack(),
            object.owner_stack(),
            "{:?}",
            object.kind
        );
        for op in pair {
            assert_eq!(proxy.calls(op), 1, "{op}");
        }
        assert_eq!(
            proxy.peak_in_flight(&pair),
            2,
            "{pair:?} side by side (1: one after the other)"
        );
    }
    // Gone: not found, whatever the second call answers.
    for gone in [&app, &tti] {
        p.delete(gone).await.expect("delete");
        let read = p.read(gone.kind, None, &gone.id).await.expect("read");
        assert_eq!(read, None, "{:?}", gone.kind);
    }
}
