//! The harness itself: the emulator starts, accounts are isolated, the proxy passes through.

use crate::support::ctx;
use idplane_testkit::Emulator;

#[tokio::test]
async fn accounts_are_isolated_from_each_other() {
    let a = ctx().await;
    let b = ctx().await;
    assert_ne!(a.account.id(), b.account.id());
    assert_eq!(a.account.id().len(), 12);
    a.idp
        .create_user_pool()
        .pool_name("only-in-a")
        .send()
        .await
        .expect("create user pool");
    let in_a = a
        .idp
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    let in_b = b
        .idp
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = in_a.user_pools().iter().filter_map(|p| p.name()).collect();
    assert_eq!(names, vec!["only-in-a"]);
    assert!(in_b.user_pools().is_empty(), "account b sees a's pool");
    let pool_id = in_a.user_pools()[0].id().unwrap();
    let arn = a
        .idp
        .describe_user_pool()
        .user_pool_id(pool_id)
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    assert!(
        arn.contains(a.account.id()),
        "{arn} is not in account {}",
        a.account.id()
    );
}

#[tokio::test]
async fn the_proxy_counts_calls_per_operation() {
    let a = ctx().await;
    a.idp
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
    a.idp
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
    a.sso.list_instances().send().await.unwrap();
    let proxy = a.account.proxy();
    assert_eq!(proxy.calls("ListUserPools"), 2);
    assert_eq!(
        proxy.calls("AWSCognitoIdentityProviderService.ListUserPools"),
        2
    );
    assert_eq!(proxy.calls("ListInstances"), 1);
    assert_eq!(proxy.total_calls(), 3);
    assert_eq!(
        proxy.operations(),
        vec!["ListUserPools", "ListUserPools", "ListInstances"]
    );
    proxy.reset_counts();
    assert!(proxy.operations().is_empty());
    assert_eq!(proxy.total_calls(), 0);
    assert_eq!(proxy.calls("ListUserPools"), 0);
}

#[test]
fn account_env_names_the_proxy_and_the_account_key() {
    let account = Emulator::shared().account();
    let env: std::collections::BTreeMap<_, _> = account.env().into_iter().collect();
    assert_eq!(env["AWS_ENDPOINT_URL"], account.endpoint());
    assert_eq!(
        env["AWS_ACCESS_KEY_ID"],
        format!("IDPLTEST{}", account.id())
    );
    assert_eq!(env["AWS_REGION"], "us-east-1");
}

#[tokio::test]
async fn the_access_key_alone_selects_the_account() {
    // Straight to the emulator, without the proxy's header: the IDPLTEST key picks the account.
    let a = ctx().await;
    let config = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(a.account.credentials()),
        )
        .endpoint_url(Emulator::shared().endpoint())
        .build();
    let direct = aws_sdk_cognitoidentityprovider::Client::new(&config);
    direct
        .create_user_pool()
        .pool_name("direct")
        .send()
        .await
        .unwrap();
    let via_proxy = a
        .idp
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = via_proxy
        .user_pools()
        .iter()
        .filter_map(|p| p.name())
        .collect();
    assert_eq!(names, vec!["direct"]);
}

#[test]
fn the_emulator_endpoint_is_loopback_http() {
    let emulator = Emulator::shared();
    assert!(
        emulator.endpoint().starts_with("http://127.0.0.1:"),
        "{}",
        emulator.endpoint()
    );
}
