//! Identity pools with roles: create, plain read-back, update keeps other fields, find, delete.

use crate::{env, j, request, target};
use aws_sdk_cognitoidentity as ci;
use idplane_model::{Kind, Provider, Value};

#[tokio::test]
async fn identity_pool_round_trip() {
    let e = env().await;
    let sdk = ci::Client::new(&e.sdk);
    let t = target(
        Kind::IdentityPool,
        "identity_pools.main",
        None,
        r#"{"name":"main","allow_unauthenticated_identities":false,
            "cognito_identity_providers":[{"provider_name":"cognito-idp.us-east-1.amazonaws.com/us-east-1_abc","client_id":"client1","server_side_token_check":false}],
            "roles":{"authenticated":"arn:aws:iam::123456789012:role/auth"},
            "tags":{"team":"blue"}}"#,
    );
    let created = e.provider.create(&t).await.expect("create identity pool");
    let id = created.id.clone();
    let d = sdk
        .describe_identity_pool()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(d.identity_pool_name(), "main");
    assert_eq!(d.cognito_identity_providers().len(), 1);
    let tags = d.identity_pool_tags().unwrap();
    assert_eq!(tags.get("idplane:stack").map(String::as_str), Some("it"));
    assert_eq!(tags.get("team").map(String::as_str), Some("blue"));
    let roles = sdk
        .get_identity_pool_roles()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        roles
            .roles()
            .unwrap()
            .get("authenticated")
            .map(String::as_str),
        Some("arn:aws:iam::123456789012:role/auth")
    );

    let observed = e
        .provider
        .observe(&request(&[Kind::IdentityPool]))
        .await
        .unwrap();
    let o = observed
        .find(Kind::IdentityPool, None, &id)
        .expect("observed");
    assert_eq!(o.attrs["tags"], j(r#"{"team":"blue"}"#));
    assert_eq!(
        o.attrs["roles"],
        j(r#"{"authenticated":"arn:aws:iam::123456789012:role/auth"}"#)
    );

    let upd = target(
        Kind::IdentityPool,
        "identity_pools.main",
        None,
        r#"{"allow_classic_flow":true}"#,
    );
    let updated = e.provider.update(&created, &upd).await.expect("update");
    assert_eq!(updated.attrs["allow_classic_flow"], Value::Bool(true));
    let d = sdk
        .describe_identity_pool()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(d.allow_classic_flow(), Some(true));
    assert_eq!(d.cognito_identity_providers().len(), 1, "providers kept");
    assert_eq!(d.identity_pool_name(), "main");
    let tags = d.identity_pool_tags().unwrap();
    assert_eq!(
        tags.get("idplane:address").map(String::as_str),
        Some("identity_pools.main")
    );
    let roles = sdk
        .get_identity_pool_roles()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(roles.roles().map(|r| r.len()), Some(1), "roles kept");

    assert_eq!(
        e.provider.find(&t).await.unwrap().map(|o| o.id),
        Some(id.clone())
    );
    e.provider.delete(&updated).await.unwrap();
    assert!(
        sdk.describe_identity_pool()
            .identity_pool_id(&id)
            .send()
            .await
            .is_err()
    );
    e.provider
        .delete(&updated)
        .await
        .expect("second delete is a no-op");
}
