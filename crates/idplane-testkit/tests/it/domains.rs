//! cognito-idp user pool domains: set up and deleted in the background, a name taken until its
//! deletion finished, and DeleteUserPool refused while a domain is attached or deletion
//! protection is on.

use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::types::{CustomDomainConfigType, DeletionProtectionType};

use crate::support::{Ctx, code, ctx};

async fn pool(c: &Ctx, protected: bool) -> String {
    let mut b = c.idp.create_user_pool().pool_name("pool");
    if protected {
        b = b.deletion_protection(DeletionProtectionType::Active);
    }
    b.send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string()
}

/// (pool id, status) of a domain, `None` when DescribeUserPoolDomain answers an empty one.
async fn describe(c: &Ctx, domain: &str) -> Option<(String, String)> {
    let out = c
        .idp
        .describe_user_pool_domain()
        .domain(domain)
        .send()
        .await
        .unwrap();
    let d = out.domain_description()?;
    let pool = d.user_pool_id().filter(|p| !p.is_empty())?;
    Some((pool.to_string(), d.status().unwrap().as_str().to_string()))
}

/// Polls until the status differs from `from`; returns it (None = gone) and the time taken.
async fn next_status(c: &Ctx, domain: &str, from: &str) -> (Option<String>, Duration) {
    let start = Instant::now();
    loop {
        let now = describe(c, domain).await.map(|(_, s)| s);
        if now.as_deref() != Some(from) || start.elapsed() > Duration::from_secs(10) {
            return (now, start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn a_domain_is_creating_then_active_and_deleting_then_gone() {
    let c = ctx().await;
    let pool_id = pool(&c, false).await;
    let created = c
        .idp
        .create_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("life-auth")
        .managed_login_version(2)
        .send()
        .await
        .unwrap();
    assert_eq!(created.managed_login_version(), Some(2));
    assert_eq!(
        describe(&c, "life-auth").await,
        Some((pool_id.clone(), "CREATING".into()))
    );
    let (status, took) = next_status(&c, "life-auth", "CREATING").await;
    assert_eq!(status.as_deref(), Some("ACTIVE"));
    assert!(took >= Duration::from_millis(100), "{took:?}");
    let d = c
        .idp
        .describe_user_pool_domain()
        .domain("life-auth")
        .send()
        .await
        .unwrap();
    assert_eq!(
        d.domain_description().unwrap().managed_login_version(),
        Some(2),
        "kept and returned"
    );

    // A second prefix domain for the same pool is refused.
    assert_eq!(
        code(
            c.idp
                .create_user_pool_domain()
                .user_pool_id(&pool_id)
                .domain("life-other")
                .send()
                .await
        ),
        "InvalidParameterException"
    );

    c.idp
        .delete_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("life-auth")
        .send()
        .await
        .unwrap();
    assert_eq!(
        describe(&c, "life-auth").await,
        Some((pool_id.clone(), "DELETING".into()))
    );
    let pool = c
        .idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pool.user_pool().unwrap().domain(),
        Some("life-auth"),
        "still attached while deleting"
    );
    // The name is taken until the deletion finished; deleting again is refused.
    assert_eq!(
        code(
            c.idp
                .create_user_pool_domain()
                .user_pool_id(&pool_id)
                .domain("life-auth")
                .send()
                .await
        ),
        "InvalidParameterException"
    );
    assert_eq!(
        code(
            c.idp
                .delete_user_pool_domain()
                .user_pool_id(&pool_id)
                .domain("life-auth")
                .send()
                .await
        ),
        "InvalidParameterException"
    );
    let (status, _) = next_status(&c, "life-auth", "DELETING").await;
    assert_eq!(status, None, "gone");
    let pool = c
        .idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(pool.user_pool().unwrap().domain(), None);
    c.idp
        .create_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("life-auth")
        .send()
        .await
        .expect("the name is free again");
}

#[tokio::test]
async fn a_custom_domain_keeps_its_certificate_and_is_updating_after_an_update() {
    let c = ctx().await;
    let pool_id = pool(&c, false).await;
    let cert = |n: &str| {
        CustomDomainConfigType::builder()
            .certificate_arn(format!(
                "arn:aws:acm:us-east-1:123456789012:certificate/{n}"
            ))
            .build()
            .unwrap()
    };
    let created = c
        .idp
        .create_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("auth.example.com")
        .custom_domain_config(cert("one"))
        .send()
        .await
        .unwrap();
    assert!(created.cloud_front_domain().is_some());
    let (status, _) = next_status(&c, "auth.example.com", "CREATING").await;
    assert_eq!(status.as_deref(), Some("ACTIVE"));
    c.idp
        .update_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("auth.example.com")
        .custom_domain_config(cert("two"))
        .send()
        .await
        .unwrap();
    let d = c
        .idp
        .describe_user_pool_domain()
        .domain("auth.example.com")
        .send()
        .await
        .unwrap();
    let d = d.domain_description().unwrap();
    assert_eq!(d.status().unwrap().as_str(), "UPDATING");
    assert!(
        d.custom_domain_config()
            .unwrap()
            .certificate_arn()
            .ends_with("/two")
    );
    let (status, _) = next_status(&c, "auth.example.com", "UPDATING").await;
    assert_eq!(status.as_deref(), Some("ACTIVE"));
}

#[tokio::test]
async fn delete_user_pool_is_refused_with_a_domain_or_deletion_protection() {
    let c = ctx().await;
    let pool_id = pool(&c, false).await;
    c.idp
        .create_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("del-auth")
        .send()
        .await
        .unwrap();
    let err = c
        .idp
        .delete_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_parameter_exception(), "{err:?}");
    assert_eq!(
        err.meta().message(),
        Some(
            "User pool cannot be deleted. It has a domain configured that should be deleted first."
        )
    );
    c.idp
        .delete_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("del-auth")
        .send()
        .await
        .unwrap();
    // Still refused while the domain is being deleted.
    assert_eq!(
        code(c.idp.delete_user_pool().user_pool_id(&pool_id).send().await),
        "InvalidParameterException"
    );
    next_status(&c, "del-auth", "DELETING").await;
    c.idp
        .delete_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("deleted once the domain is gone");

    let protected = pool(&c, true).await;
    assert_eq!(
        code(
            c.idp
                .delete_user_pool()
                .user_pool_id(&protected)
                .send()
                .await
        ),
        "InvalidParameterException"
    );
    assert!(
        c.idp
            .describe_user_pool()
            .user_pool_id(&protected)
            .send()
            .await
            .is_ok(),
        "still there"
    );
}
