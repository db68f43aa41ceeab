//! Error classification and retries through the fault proxy: hard limits are not retried,
//! throttling and 500s are, and a create whose response was lost is found, not duplicated.

use crate::{env, target};
use aws_sdk_cognitoidentityprovider as cip;
use idplane_model::{ErrorClass, Kind, Provider};
use idplane_testkit::{Fault, FaultRule};

fn pool() -> idplane_model::Target {
    target(Kind::UserPool, "user_pools.p", None, r#"{"name":"p"}"#)
}

async fn pool_count(sdk: &cip::Client) -> usize {
    sdk.list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap()
        .user_pools()
        .len()
}

#[tokio::test]
async fn limit_exceeded_is_not_retried() {
    let e = env().await;
    e.account.proxy().set_rules(vec![FaultRule::on(
        "CreateUserPool",
        Fault::Error {
            status: 400,
            error_type: "LimitExceededException".into(),
            message: "too many pools".into(),
        },
    )]);
    let err = e
        .provider
        .create(&pool())
        .await
        .expect_err("limit exceeded");
    assert_eq!(err.class, ErrorClass::LimitExceeded);
    assert_eq!(err.code, "LimitExceededException");
    assert_eq!(err.message, "too many pools");
    assert_eq!(
        err.address.as_ref().map(|a| a.to_string()).as_deref(),
        Some("user_pools.p")
    );
    assert_eq!(e.account.proxy().calls("CreateUserPool"), 1, "sent once");
}

#[tokio::test]
async fn validation_errors_surface_with_the_aws_message() {
    let e = env().await;
    let t = target(
        Kind::UserPoolClient,
        "user_pools.p.clients.c",
        Some("us-east-1_doesnotexist"),
        r#"{"name":"c"}"#,
    );
    let err = e.provider.create(&t).await.expect_err("no such pool");
    assert!(
        matches!(err.class, ErrorClass::NotFound | ErrorClass::Validation),
        "{err}"
    );
    assert_eq!(err.operation, "cognito-idp:CreateUserPoolClient");
    assert!(err.to_string().contains("user_pools.p.clients.c"), "{err}");
}

#[tokio::test]
async fn throttling_and_server_errors_are_retried() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    e.account.proxy().set_rules(vec![
        FaultRule::on("CreateUserPool", Fault::Throttle).times(2),
        FaultRule::on("DescribeUserPool", Fault::ServerError).times(2),
    ]);
    let created = e
        .provider
        .create(&pool())
        .await
        .expect("retried to success");
    assert_eq!(e.account.proxy().calls("CreateUserPool"), 3);
    assert!(e.account.proxy().calls("DescribeUserPool") >= 3);
    assert_eq!(pool_count(&sdk).await, 1);
    // Reads give up after the bounded number of attempts.
    e.account
        .proxy()
        .set_rules(vec![FaultRule::on("DescribeUserPool", Fault::ServerError)]);
    e.account.proxy().reset_counts();
    let err = e
        .provider
        .read(Kind::UserPool, None, &created.id)
        .await
        .expect_err("always 500");
    assert_eq!(err.class, ErrorClass::Transient);
    assert_eq!(e.account.proxy().calls("DescribeUserPool"), 6);
}

#[tokio::test]
async fn a_lost_create_response_is_found_not_duplicated() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    e.account.proxy().set_rules(vec![
        FaultRule::on("CreateUserPool", Fault::LoseResponse).times(1),
    ]);
    let created = e
        .provider
        .create(&pool())
        .await
        .expect("found after the lost response");
    assert_eq!(
        e.account.proxy().calls("CreateUserPool"),
        1,
        "not sent again"
    );
    assert_eq!(pool_count(&sdk).await, 1, "no duplicate");
    assert_eq!(created.owner_address().as_deref(), Some("user_pools.p"));

    // The same for a client (found by name under its pool).
    e.account.proxy().set_rules(vec![
        FaultRule::on("CreateUserPoolClient", Fault::DropConnection).times(1),
    ]);
    let ct = target(
        Kind::UserPoolClient,
        "user_pools.p.clients.c",
        Some(&created.id),
        r#"{"name":"c"}"#,
    );
    e.provider
        .create(&ct)
        .await
        .expect("created after a dropped connection");
    let clients = sdk
        .list_user_pool_clients()
        .user_pool_id(&created.id)
        .send()
        .await
        .unwrap();
    assert_eq!(clients.user_pool_clients().len(), 1);
}

#[tokio::test]
async fn a_lost_create_application_response_is_found_not_duplicated() {
    let e = env().await;
    let admin = aws_sdk_ssoadmin::Client::new(&e.sdk);
    e.account.proxy().set_rules(vec![
        FaultRule::on("CreateApplication", Fault::LoseResponse).times(1),
    ]);
    let t = target(
        Kind::Application,
        "identity_center.applications.demo",
        None,
        r#"{"name":"demo"}"#,
    );
    let app = e
        .provider
        .create(&t)
        .await
        .expect("found after the lost response");
    assert_eq!(
        app.owner_address().as_deref(),
        Some("identity_center.applications.demo")
    );
    let instance = admin.list_instances().send().await.unwrap().instances()[0]
        .instance_arn()
        .unwrap()
        .to_string();
    let apps = admin
        .list_applications()
        .instance_arn(&instance)
        .send()
        .await
        .unwrap();
    assert_eq!(apps.applications().len(), 1, "no duplicate application");
}

#[tokio::test]
async fn sso_admin_throttling_is_retried() {
    let e = env().await;
    e.account.proxy().set_rules(vec![
        FaultRule::on("ListInstances", Fault::Throttle).times(3),
    ]);
    let t = target(
        Kind::TrustedTokenIssuer,
        "identity_center.trusted_token_issuers.t",
        None,
        r#"{"name":"t","issuer_url":"https://issuer.example.com","claim_attribute_path":"email",
            "identity_store_attribute_path":"emails.value"}"#,
    );
    let tti = e
        .provider
        .create(&t)
        .await
        .expect("retried past the throttling");
    assert_eq!(e.account.proxy().calls("ListInstances"), 4);
    assert!(tti.id.starts_with("arn:"));
}

#[tokio::test]
async fn cognito_calls_are_paced_under_the_quota() {
    let e = env().await;
    let start = std::time::Instant::now();
    let reads = (0..35).map(|i| {
        let p = &e.provider;
        async move {
            p.read(Kind::UserPool, None, &format!("us-east-1_none{i}"))
                .await
        }
    });
    for r in futures::future::join_all(reads).await {
        assert!(r.expect("a missing pool reads as none").is_none());
    }
    let elapsed = start.elapsed();
    // 15 go out at once, the other 20 at 15 per second.
    assert!(
        elapsed >= std::time::Duration::from_millis(1250),
        "{elapsed:?}"
    );
    assert_eq!(e.account.proxy().calls("DescribeUserPool"), 35);
}

#[tokio::test]
async fn quota_categories_are_paced_apart_and_throttling_is_counted_in_its_category() {
    let e = env().await;
    e.account
        .proxy()
        .set_rules(vec![FaultRule::on("GetGroup", Fault::Throttle).times(1)]);
    // 7 pool reads (14 UserPoolRead calls: a pool and its MFA settings; 15/s) and 19 group
    // reads (UserPoolResourceRead, 20/s) at once: each category's burst holds them, so none
    // waits for the other's quota.
    let pools = (0..7).map(|i| {
        let p = &e.provider;
        async move {
            p.read(Kind::UserPool, None, &format!("us-east-1_none{i}"))
                .await
        }
    });
    let groups = (0..19).map(|i| {
        let p = &e.provider;
        async move {
            p.read(
                Kind::UserPoolGroup,
                Some("us-east-1_none"),
                &format!("g{i}"),
            )
            .await
        }
    });
    let (pools, groups) = futures::future::join(
        futures::future::join_all(pools),
        futures::future::join_all(groups),
    )
    .await;
    for r in pools.into_iter().chain(groups) {
        assert!(r.expect("a missing object reads as none").is_none());
    }
    let stats = e.provider.pacing_stats();
    let pool_reads = &stats["UserPoolRead"];
    let group_reads = &stats["UserPoolResourceRead"];
    assert_eq!(pool_reads.calls, 14, "{stats:?}");
    assert_eq!(group_reads.calls, 20, "one GetGroup retried: {stats:?}");
    assert_eq!(
        pool_reads.waiting_for_pacing,
        std::time::Duration::ZERO,
        "{stats:?}"
    );
    assert_eq!(group_reads.throttled, 1, "{stats:?}");
    assert_eq!(pool_reads.throttled, 0, "{stats:?}");
    assert!(
        group_reads.waiting_for_aws > std::time::Duration::ZERO,
        "{stats:?}"
    );
}

#[tokio::test]
async fn creates_under_random_faults_make_no_duplicates() {
    for seed in [7_u64, 11, 23] {
        let e = env().await;
        let sdk = cip::Client::new(&e.sdk);
        let proxy = e.account.proxy();
        proxy.seed(seed);
        proxy.set_rules(vec![
            FaultRule::always(Fault::Throttle).with_probability(0.15),
            FaultRule::always(Fault::ServerError).with_probability(0.05),
            FaultRule::on("CreateUserPool", Fault::LoseResponse).with_probability(0.5),
            FaultRule::on("CreateUserPoolClient", Fault::LoseResponse).with_probability(0.5),
            FaultRule::on("CreateGroup", Fault::LoseResponse).with_probability(0.5),
            FaultRule::on("CreateIdentityProvider", Fault::LoseResponse).with_probability(0.5),
        ]);
        let pool = e.provider.create(&pool()).await.expect("pool");
        let pid = pool.id.as_str();
        for (kind, addr, attrs) in [
            (
                Kind::UserPoolClient,
                "user_pools.p.clients.web",
                r#"{"name":"web"}"#,
            ),
            (
                Kind::UserPoolGroup,
                "user_pools.p.groups.g",
                r#"{"name":"g"}"#,
            ),
            (
                Kind::IdentityProvider,
                "user_pools.p.identity_providers.Idp",
                r#"{"name":"Idp","provider_type":"SAML","provider_details":{"MetadataFile":"<EntityDescriptor/>"}}"#,
            ),
        ] {
            e.provider
                .create(&target(kind, addr, Some(pid), attrs))
                .await
                .unwrap_or_else(|err| panic!("seed {seed}: {kind}: {err}"));
        }
        proxy.clear_rules();
        assert!(
            proxy.injected_faults() > 0,
            "seed {seed}: faults were injected"
        );
        assert_eq!(pool_count(&sdk).await, 1, "seed {seed}: one pool");
        let clients = sdk
            .list_user_pool_clients()
            .user_pool_id(pid)
            .send()
            .await
            .unwrap();
        assert_eq!(
            clients.user_pool_clients().len(),
            1,
            "seed {seed}: one client"
        );
        let groups = sdk.list_groups().user_pool_id(pid).send().await.unwrap();
        assert_eq!(groups.groups().len(), 1, "seed {seed}: one group");
        let idps = sdk
            .list_identity_providers()
            .user_pool_id(pid)
            .send()
            .await
            .unwrap();
        assert_eq!(idps.providers().len(), 1, "seed {seed}: one IdP");
    }
}

/// STS speaks the query protocol: its errors are XML (`<ErrorResponse><Error><Code>Throttling`),
/// and a throttled or failed `GetCallerIdentity` is retried like any other call.
#[tokio::test]
async fn sts_throttling_and_server_errors_are_retried() {
    let e = env().await;
    e.account.proxy().set_rules(vec![
        FaultRule::on("GetCallerIdentity", Fault::Throttle).times(1),
        FaultRule::on("GetCallerIdentity", Fault::ServerError).times(1),
    ]);
    let account = e
        .provider
        .account_id()
        .await
        .expect("retried past the throttling and the 500");
    assert_eq!(account, e.account.id());
    assert_eq!(e.account.proxy().calls("GetCallerIdentity"), 3);
}
