//! The reads behind `idplane verify`'s identity coverage against the emulator: a pool's first N
//! users with their attributes (ListUsers paged by 60 at most, bounded), and which claim values
//! find an Identity Store user (GetUserId per value, or one listing of the store).

use crate::env;
use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_identitystore as ids;
use std::collections::BTreeSet;

async fn pool_with_users(sdk: &aws_config::SdkConfig, n: usize) -> String {
    let c = cip::Client::new(sdk);
    let pool = c
        .create_user_pool()
        .pool_name("coverage")
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool()
        .and_then(|p| p.id())
        .expect("pool id")
        .to_string();
    for i in 0..n {
        c.admin_create_user()
            .user_pool_id(&pool)
            .username(format!("user{i:02}"))
            .user_attributes(
                cip::types::AttributeType::builder()
                    .name("email")
                    .value(format!("user{i:02}@example.com"))
                    .build()
                    .unwrap(),
            )
            .message_action(cip::types::MessageActionType::Suppress)
            .send()
            .await
            .expect("AdminCreateUser");
    }
    pool
}

#[tokio::test]
async fn pool_users_reads_at_most_max_users_paging_by_60() {
    let e = env().await;
    let pool = pool_with_users(&e.sdk, 65).await;
    let proxy = e.account.proxy();
    proxy.reset_counts();
    let read = e.provider.pool_users(&pool, 62).await.expect("pool users");
    assert_eq!(read.estimated, Some(65));
    assert_eq!(read.users.len(), 62);
    assert_eq!(proxy.calls("ListUsers"), 2, "60, then 2");
    let u = &read.users[0];
    assert!(u.username.starts_with("user"), "{u:?}");
    assert_eq!(
        u.attributes.get("email"),
        Some(&format!("{}@example.com", u.username))
    );
    assert!(u.attributes.contains_key("sub"), "{u:?}");
    let names: BTreeSet<&str> = read.users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names.len(), 62, "no user twice");

    proxy.reset_counts();
    let all = e.provider.pool_users(&pool, 100).await.expect("pool users");
    assert_eq!(all.users.len(), 65);
    assert_eq!(proxy.calls("ListUsers"), 2, "60, then the last 5");

    proxy.reset_counts();
    let none = e.provider.pool_users(&pool, 0).await.expect("pool users");
    assert!(none.users.is_empty());
    assert_eq!(none.estimated, Some(65));
    assert_eq!(proxy.calls("ListUsers"), 0);
}

async fn store_users(e: &crate::Env, names: &[&str]) {
    let store = aws_sdk_ssoadmin::Client::new(&e.sdk)
        .list_instances()
        .send()
        .await
        .expect("ListInstances")
        .instances()[0]
        .identity_store_id()
        .expect("identity store id")
        .to_string();
    let c = ids::Client::new(&e.sdk);
    for name in names {
        c.create_user()
            .identity_store_id(&store)
            .user_name(*name)
            .display_name(*name)
            .name(
                ids::types::Name::builder()
                    .given_name(*name)
                    .family_name("T")
                    .build(),
            )
            .emails(
                ids::types::Email::builder()
                    .value(format!("{name}@example.com"))
                    .primary(true)
                    .build(),
            )
            .send()
            .await
            .expect("CreateUser");
    }
}

fn set(values: &[&str]) -> BTreeSet<String> {
    values.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn a_few_values_are_looked_up_by_get_user_id() {
    let e = env().await;
    store_users(&e, &["ann", "ben", "cy"]).await;
    let proxy = e.account.proxy();
    proxy.reset_counts();
    let found = e
        .provider
        .identity_store_matches(
            "emails.value",
            &set(&["ann@example.com", "zed@example.com"]),
        )
        .await
        .expect("lookup");
    assert_eq!(found, set(&["ann@example.com"]));
    assert_eq!(proxy.calls("GetUserId"), 2);
    assert_eq!(proxy.calls("ListUsers"), 0);
    let found = e
        .provider
        .identity_store_matches("userName", &set(&["ben", "ann@example.com"]))
        .await
        .expect("lookup");
    assert_eq!(found, set(&["ben"]));
}

#[tokio::test]
async fn many_values_against_a_small_store_are_matched_by_one_listing() {
    let e = env().await;
    store_users(&e, &["ann", "ben", "cy"]).await;
    let values: BTreeSet<String> = ["ann", "ben", "cy", "d", "e", "f", "g", "h"]
        .iter()
        .map(|n| format!("{n}@example.com"))
        .collect();
    let proxy = e.account.proxy();
    proxy.reset_counts();
    let found = e
        .provider
        .identity_store_matches("emails.value", &values)
        .await
        .expect("lookup");
    assert_eq!(
        found,
        set(&["ann@example.com", "ben@example.com", "cy@example.com"])
    );
    assert_eq!(proxy.calls("ListUsers"), 1, "the store fits one page");
    assert_eq!(proxy.calls("GetUserId"), 0);
    // External ids are only found by listing (GetUserId would need their issuer); the
    // emulator's users have none.
    proxy.reset_counts();
    let found = e
        .provider
        .identity_store_matches("externalIds.value", &set(&["ann"]))
        .await
        .expect("lookup");
    assert!(found.is_empty());
    assert_eq!(proxy.calls("ListUsers"), 1);
    assert_eq!(proxy.calls("GetUserId"), 0);
}
