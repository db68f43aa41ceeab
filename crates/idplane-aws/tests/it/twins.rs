//! What concurrent applies of one stack rely on in the provider: `twins` lists every object of
//! a target of a kind AWS lets share a name, with AWS's creation time (or idplane's
//! `idplane:created` tag for identity pools), `discard` deletes a duplicate even with the
//! deletion protection its own create set, and AWS refuses a second object of a kind whose key
//! it keeps unique (an Identity Store membership), so no twin of it can exist.

use crate::{env, target};
use idplane_model::{ErrorClass, Kind, Provider, TAG_CREATED, Twin};

/// The twins of a target, oldest first (the order both applies agree on).
fn oldest_first(mut twins: Vec<Twin>) -> Vec<Twin> {
    twins.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    twins
}

#[tokio::test]
async fn two_pools_of_one_address_are_twins_and_the_younger_is_discarded_despite_protection() {
    let e = env().await;
    let p = &e.provider;
    let t = target(
        Kind::UserPool,
        "user_pools.race",
        None,
        r#"{"name":"race","deletion_protection":"ACTIVE"}"#,
    );
    let first = p.create(&t).await.expect("first create");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let second = p
        .create(&t)
        .await
        .expect("second create: pool names are not unique");
    assert_ne!(first.id, second.id);

    let twins = oldest_first(p.twins(&t).await.expect("twins"));
    let ids: Vec<&str> = twins.iter().map(|t| t.live.id.as_str()).collect();
    assert_eq!(ids, [first.id.as_str(), second.id.as_str()], "{twins:?}");
    assert!(
        twins.iter().all(|t| t.created_ms.is_some()),
        "CreationDate of each: {twins:?}"
    );

    // A plain delete is refused while deletion protection is on; discard switches it off first.
    let refused = p.delete(&second).await;
    assert!(refused.is_err(), "deletion protection holds: {refused:?}");
    p.discard(&second).await.expect("discard");
    assert!(
        p.read(Kind::UserPool, None, &second.id)
            .await
            .expect("read")
            .is_none(),
        "the duplicate is gone"
    );
    let left = p.twins(&t).await.expect("twins after discard");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].live.id, first.id);
}

#[tokio::test]
async fn clients_of_one_name_are_twins_ordered_by_creation_date() {
    let e = env().await;
    let p = &e.provider;
    let pool = p
        .create(&target(
            Kind::UserPool,
            "user_pools.c",
            None,
            r#"{"name":"c"}"#,
        ))
        .await
        .expect("pool");
    let t = target(
        Kind::UserPoolClient,
        "user_pools.c.clients.web",
        Some(&pool.id),
        r#"{"name":"web"}"#,
    );
    let first = p.create(&t).await.expect("first client");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let second = p.create(&t).await.expect("second client of the same name");
    let other = target(
        Kind::UserPoolClient,
        "user_pools.c.clients.api",
        Some(&pool.id),
        r#"{"name":"api"}"#,
    );
    p.create(&other).await.expect("a client of another name");

    let twins = oldest_first(p.twins(&t).await.expect("twins"));
    let ids: Vec<&str> = twins.iter().map(|t| t.live.id.as_str()).collect();
    assert_eq!(ids, [first.id.as_str(), second.id.as_str()], "{twins:?}");
    let times: Vec<i64> = twins.iter().filter_map(|t| t.created_ms).collect();
    assert_eq!(times.len(), 2, "CreationDate of each: {twins:?}");
    assert!(times[0] < times[1], "{times:?}");
}

#[tokio::test]
async fn identity_pools_are_ordered_by_the_created_tag_idplane_writes() {
    let e = env().await;
    let p = &e.provider;
    let t = target(
        Kind::IdentityPool,
        "identity_pools.race",
        None,
        r#"{"name":"race","allow_unauthenticated_identities":false,"tags":{"team":"blue"}}"#,
    );
    let first = p.create(&t).await.expect("first create");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let second = p.create(&t).await.expect("second create");
    let twins = oldest_first(p.twins(&t).await.expect("twins"));
    let ids: Vec<&str> = twins.iter().map(|t| t.live.id.as_str()).collect();
    assert_eq!(ids, [first.id.as_str(), second.id.as_str()], "{twins:?}");
    let times: Vec<i64> = twins.iter().filter_map(|t| t.created_ms).collect();
    assert_eq!(times.len(), 2, "{TAG_CREATED} on each: {twins:?}");
    assert!(times[0] < times[1], "{times:?}");
    // The tag is idplane's, not user data: the spec's tags read back as they were.
    assert_eq!(
        first.attrs["tags"],
        idplane_model::Value::from_json(&serde_json::json!({"team": "blue"}))
    );
}

#[tokio::test]
async fn a_second_membership_of_a_user_in_a_group_is_refused_as_a_conflict() {
    let e = env().await;
    let p = &e.provider;
    p.create(&target(
        Kind::IdentityStoreUser,
        "identity_store.users.dave",
        None,
        r#"{"user_name":"dave","display_name":"Dave","given_name":"Dave","family_name":"Roe","email":"dave@example.com"}"#,
    ))
    .await
    .expect("user");
    let group = p
        .create(&target(
            Kind::IdentityStoreGroup,
            "identity_store.groups.ops",
            None,
            r#"{"display_name":"ops"}"#,
        ))
        .await
        .expect("group");
    let t = target(
        Kind::IdentityStoreGroupMembership,
        "identity_store.groups.ops.members.dave",
        Some(&group.id),
        r#"{"user_name":"dave"}"#,
    );
    let member = p.create(&t).await.expect("membership");
    let again = p.create(&t).await;
    let err = again.expect_err("a second membership is refused");
    assert_eq!(err.class, ErrorClass::Conflict, "{err}");
    // Its kind is unique in the cloud: its twins are what `find` finds, the one membership.
    assert!(Kind::IdentityStoreGroupMembership.unique_in_cloud());
    let twins = p.twins(&t).await.expect("twins");
    assert_eq!(twins.len(), 1);
    assert_eq!(twins[0].live.id, member.id);
    assert_eq!(twins[0].created_ms, None);
}
