//! The fault and latency proxy: every fault, per operation and seeded at random, and call counts.

use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider as idp;
use aws_sdk_cognitoidentityprovider::error::SdkError;
use aws_smithy_types::retry::RetryConfig;
use idplane_testkit::{Emulator, Fault, FaultRule};

use crate::support::{code, ctx};

fn is_transport_failure<E, R>(err: &SdkError<E, R>) -> bool {
    matches!(
        err,
        SdkError::DispatchFailure(_) | SdkError::ResponseError(_) | SdkError::TimeoutError(_)
    )
}

#[tokio::test]
async fn throttling_errors_use_each_services_own_shape() {
    let c = ctx().await;
    let proxy = c.account.proxy();
    proxy.set_rules(vec![FaultRule::always(Fault::Throttle)]);
    assert_eq!(
        code(c.idp.list_user_pools().max_results(5).send().await),
        "TooManyRequestsException"
    );
    assert_eq!(
        code(c.ci.list_identity_pools().max_results(5).send().await),
        "TooManyRequestsException"
    );
    assert_eq!(
        code(c.sso.list_instances().send().await),
        "ThrottlingException"
    );
    assert_eq!(
        code(
            c.ids
                .list_users()
                .identity_store_id("d-1234567890")
                .send()
                .await
        ),
        "ThrottlingException"
    );
    let err = c.sso.list_instances().send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
    assert_eq!(proxy.injected_faults(), 5);
    assert_eq!(proxy.total_calls(), 5);
    proxy.clear_rules();
    c.sso
        .list_instances()
        .send()
        .await
        .expect("pass-through again");
}

#[tokio::test]
async fn a_rule_for_one_operation_fires_the_given_number_of_times() {
    let c = ctx().await;
    let proxy = c.account.proxy();
    proxy.set_rules(vec![
        FaultRule::on("CreateUserPool", Fault::Throttle).times(2),
    ]);
    // Other operations pass.
    c.idp.list_user_pools().max_results(5).send().await.unwrap();
    for _ in 0..2 {
        let r = c.idp.create_user_pool().pool_name("p").send().await;
        assert_eq!(code(r), "TooManyRequestsException");
    }
    c.idp
        .create_user_pool()
        .pool_name("p")
        .send()
        .await
        .expect("third try passes");
    assert_eq!(proxy.calls("CreateUserPool"), 3);
    assert_eq!(proxy.calls("ListUserPools"), 1);
    assert_eq!(proxy.injected_faults(), 2);
}

#[tokio::test]
async fn the_sdk_retries_a_throttle_and_the_proxy_counts_every_attempt() {
    let account = Emulator::shared().account();
    let config = account
        .sdk_config()
        .await
        .into_builder()
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(5)),
        )
        .build();
    let client = idp::Client::new(&config);
    account.proxy().set_rules(vec![
        FaultRule::on("ListUserPools", Fault::Throttle).times(2),
    ]);
    client
        .list_user_pools()
        .max_results(5)
        .send()
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(account.proxy().calls("ListUserPools"), 3);
}

#[tokio::test]
async fn server_errors_are_500s_with_the_services_code() {
    let c = ctx().await;
    c.account
        .proxy()
        .set_rules(vec![FaultRule::on("ListUserPools", Fault::ServerError)]);
    let err = c
        .idp
        .list_user_pools()
        .max_results(5)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(500));
    assert_eq!(code::<(), _>(Err(err)), "InternalErrorException");
    c.account
        .proxy()
        .set_rules(vec![FaultRule::on("ListInstances", Fault::ServerError)]);
    assert_eq!(
        code(c.sso.list_instances().send().await),
        "InternalServerException"
    );
}

#[tokio::test]
async fn a_dropped_connection_never_reaches_the_emulator() {
    let c = ctx().await;
    let proxy = c.account.proxy();
    proxy.set_rules(vec![
        FaultRule::on("CreateUserPool", Fault::DropConnection).times(1),
    ]);
    let err = c
        .idp
        .create_user_pool()
        .pool_name("dropped")
        .send()
        .await
        .unwrap_err();
    assert!(
        is_transport_failure(&err),
        "expected a transport failure, got {err:?}"
    );
    let pools = c
        .idp
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert!(pools.user_pools().is_empty(), "the dropped create happened");
}

#[tokio::test]
async fn a_lost_response_means_the_create_happened_but_the_caller_never_heard() {
    let c = ctx().await;
    let proxy = c.account.proxy();
    proxy.set_rules(vec![
        FaultRule::on("CreateUserPool", Fault::LoseResponse).times(1),
    ]);
    let err = c
        .idp
        .create_user_pool()
        .pool_name("ghost")
        .send()
        .await
        .unwrap_err();
    assert!(
        is_transport_failure(&err),
        "expected a transport failure, got {err:?}"
    );
    let pools = c
        .idp
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = pools.user_pools().iter().filter_map(|p| p.name()).collect();
    assert_eq!(names, vec!["ghost"]);
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let c = ctx().await;
    c.account.proxy().set_rules(vec![FaultRule::on(
        "ListUserPools",
        Fault::Latency(Duration::from_millis(300)),
    )]);
    let started = Instant::now();
    c.idp.list_user_pools().max_results(5).send().await.unwrap();
    let slow = started.elapsed();
    assert!(slow >= Duration::from_millis(300), "took only {slow:?}");
    c.account.proxy().clear_rules();
    let started = Instant::now();
    c.idp.list_user_pools().max_results(5).send().await.unwrap();
    assert!(started.elapsed() < slow);
}

#[tokio::test]
async fn custom_errors_are_answered_as_given() {
    let c = ctx().await;
    c.account.proxy().set_rules(vec![FaultRule::on(
        "AWSCognitoIdentityProviderService.CreateUserPool",
        Fault::Error {
            status: 400,
            error_type: "LimitExceededException".into(),
            message: "too many pools".into(),
        },
    )]);
    let r = c.idp.create_user_pool().pool_name("p").send().await;
    assert_eq!(code(r), "LimitExceededException");
}

async fn pattern(c: &crate::support::Ctx, seed: u64) -> Vec<bool> {
    c.account.proxy().seed(seed);
    let mut out = Vec::new();
    for _ in 0..24 {
        out.push(c.idp.list_user_pools().max_results(5).send().await.is_err());
    }
    out
}

#[tokio::test]
async fn random_faults_follow_the_seed() {
    let c = ctx().await;
    c.account.proxy().set_rules(vec![
        FaultRule::always(Fault::Throttle).with_probability(0.5),
    ]);
    let first = pattern(&c, 7).await;
    let again = pattern(&c, 7).await;
    let other = pattern(&c, 8).await;
    assert_eq!(first, again, "the same seed gives the same faults");
    assert_ne!(first, other, "another seed gives other faults");
    let failures = first.iter().filter(|f| **f).count();
    assert!(
        (1..24).contains(&failures),
        "{failures} of 24 failed at p=0.5"
    );
    assert_eq!(c.account.proxy().total_calls(), 72);
}

#[tokio::test]
async fn ignore_answers_an_empty_success_and_changes_nothing() {
    let c = ctx().await;
    let proxy = c.account.proxy();
    let pool = c
        .idp
        .create_user_pool()
        .pool_name("kept")
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    proxy.set_rules(vec![FaultRule::on("UpdateUserPool", Fault::Ignore)]);
    c.idp
        .update_user_pool()
        .user_pool_id(&pool)
        .pool_name("renamed")
        .send()
        .await
        .expect("looks like a success");
    proxy.clear_rules();
    assert_eq!(proxy.calls("UpdateUserPool"), 1);
    assert_eq!(proxy.injected_faults(), 1);
    let live = c
        .idp
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert_eq!(
        live.user_pool().unwrap().name(),
        Some("kept"),
        "nothing changed"
    );
}
