//! Identity Store updates through the provider: `update` of a user or a group changes the fields
//! the target changes and keeps the others, as plain DescribeUser / DescribeGroup calls show.

use crate::{env, target};
use aws_sdk_identitystore as ids;
use aws_sdk_ssoadmin as sso;
use idplane_model::{Kind, Provider, Value};

async fn store_id(sdk: &aws_config::SdkConfig) -> String {
    let instances = sso::Client::new(sdk)
        .list_instances()
        .send()
        .await
        .expect("ListInstances");
    instances.instances()[0]
        .identity_store_id()
        .expect("identity store id")
        .to_string()
}

#[tokio::test]
async fn update_user_changes_the_field_and_keeps_the_others() {
    let e = env().await;
    let store = ids::Client::new(&e.sdk);
    let store_id = store_id(&e.sdk).await;
    let address = "identity_store.users.carol";
    let user = e
        .provider
        .create(&target(
            Kind::IdentityStoreUser,
            address,
            None,
            r#"{"user_name":"carol","display_name":"Carol","given_name":"Carol","family_name":"Jones","email":"carol@example.com"}"#,
        ))
        .await
        .expect("create user");

    // The whole desired object, with the display name changed.
    let updated = e
        .provider
        .update(
            &user,
            &target(
                Kind::IdentityStoreUser,
                address,
                None,
                r#"{"user_name":"carol","display_name":"Carol J.","given_name":"Carol","family_name":"Jones","email":"carol@example.com"}"#,
            ),
        )
        .await
        .expect("update display name");
    assert_eq!(updated.id, user.id);
    assert_eq!(updated.attrs["display_name"], Value::str("Carol J."));
    let u = store
        .describe_user()
        .identity_store_id(&store_id)
        .user_id(&user.id)
        .send()
        .await
        .expect("DescribeUser");
    assert_eq!(u.display_name(), Some("Carol J."));
    assert_eq!(u.user_name(), Some("carol"), "kept");
    assert_eq!(u.name().and_then(|n| n.given_name()), Some("Carol"), "kept");
    assert_eq!(
        u.name().and_then(|n| n.family_name()),
        Some("Jones"),
        "kept"
    );
    assert_eq!(
        u.emails().first().and_then(|m| m.value()),
        Some("carol@example.com"),
        "kept"
    );

    // Only the fields that change: given name and email; the rest is merged from the live user.
    let updated = e
        .provider
        .update(
            &updated,
            &target(
                Kind::IdentityStoreUser,
                address,
                None,
                r#"{"given_name":"Caroline","email":"caroline@example.com"}"#,
            ),
        )
        .await
        .expect("update given name and email");
    assert_eq!(updated.attrs["given_name"], Value::str("Caroline"));
    assert_eq!(updated.attrs["email"], Value::str("caroline@example.com"));
    assert_eq!(updated.attrs["display_name"], Value::str("Carol J."));
    let u = store
        .describe_user()
        .identity_store_id(&store_id)
        .user_id(&user.id)
        .send()
        .await
        .expect("DescribeUser");
    assert_eq!(u.name().and_then(|n| n.given_name()), Some("Caroline"));
    assert_eq!(
        u.name().and_then(|n| n.family_name()),
        Some("Jones"),
        "kept"
    );
    assert_eq!(u.display_name(), Some("Carol J."), "kept");
    assert_eq!(u.user_name(), Some("carol"), "kept");
    assert_eq!(
        u.emails().len(),
        1,
        "the email list is replaced, not appended to"
    );
    assert_eq!(u.emails()[0].value(), Some("caroline@example.com"));
    assert_eq!(u.emails()[0].r#type(), Some("work"));
    assert!(u.emails()[0].primary());

    // The user is still found by its user name and observed with the new values.
    let again = e
        .provider
        .read(Kind::IdentityStoreUser, None, &user.id)
        .await
        .expect("read")
        .expect("the user exists");
    assert_eq!(again.attrs, updated.attrs);
}

#[tokio::test]
async fn update_group_changes_the_description_and_keeps_the_name() {
    let e = env().await;
    let store = ids::Client::new(&e.sdk);
    let store_id = store_id(&e.sdk).await;
    let address = "identity_store.groups.auditors";
    let group = e
        .provider
        .create(&target(
            Kind::IdentityStoreGroup,
            address,
            None,
            r#"{"display_name":"auditors","description":"Auditors"}"#,
        ))
        .await
        .expect("create group");

    let updated = e
        .provider
        .update(
            &group,
            &target(
                Kind::IdentityStoreGroup,
                address,
                None,
                r#"{"display_name":"auditors","description":"External auditors"}"#,
            ),
        )
        .await
        .expect("update description");
    assert_eq!(updated.id, group.id);
    assert_eq!(
        updated.attrs["description"],
        Value::str("External auditors")
    );
    let g = store
        .describe_group()
        .identity_store_id(&store_id)
        .group_id(&group.id)
        .send()
        .await
        .expect("DescribeGroup");
    assert_eq!(g.description(), Some("External auditors"));
    assert_eq!(g.display_name(), Some("auditors"), "kept");

    // A target without the description keeps it (read-merge-write).
    let same = e
        .provider
        .update(
            &updated,
            &target(
                Kind::IdentityStoreGroup,
                address,
                None,
                r#"{"display_name":"auditors"}"#,
            ),
        )
        .await
        .expect("update with nothing changed");
    assert_eq!(same.attrs, updated.attrs);
    let g = store
        .describe_group()
        .identity_store_id(&store_id)
        .group_id(&group.id)
        .send()
        .await
        .unwrap();
    assert_eq!(g.description(), Some("External auditors"), "kept");
}
