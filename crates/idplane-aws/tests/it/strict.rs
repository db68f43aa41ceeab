//! AWS behaviours the emulator models strictly (issue #9, Identity Center side): propagation
//! conflicts after a create, one retry owner with a bound on requests, instance status,
//! portal options, access-scope targets, identity-pool tags and referenced SAML applications.

use crate::{env, j, request, target};
use aws_sdk_cognitoidentity as ci;
use aws_sdk_ssoadmin as sso;
use idplane_model::{ErrorClass, InstanceSelector, Kind, Provider, Value};
use idplane_testkit::{Fault, FaultRule};
use std::time::Duration;

fn app(name: &str) -> idplane_model::Target {
    target(
        Kind::Application,
        &format!("identity_center.applications.{name}"),
        None,
        &format!(r#"{{"name":"{name}"}}"#),
    )
}

fn scope(app: &str, targets: &str) -> idplane_model::Target {
    target(
        Kind::ApplicationAccessScope,
        "identity_center.applications.a.access_scopes.read",
        Some(app),
        &format!(r#"{{"scope":"s3:read","authorized_targets":{targets}}}"#),
    )
}

async fn instance(admin: &sso::Client) -> String {
    admin.list_instances().send().await.unwrap().instances()[0]
        .instance_arn()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn sustained_throttling_sends_a_bounded_number_of_requests() {
    let e = env().await;
    e.account
        .proxy()
        .set_rules(vec![FaultRule::on("CreateUserPool", Fault::Throttle)]);
    let pool = target(Kind::UserPool, "user_pools.p", None, r#"{"name":"p"}"#);
    let err = e
        .provider
        .create(&pool)
        .await
        .expect_err("always throttled");
    assert_eq!(err.class, ErrorClass::Throttling);
    assert_eq!(
        e.account.proxy().calls("CreateUserPool"),
        6,
        "max_attempts requests, one retry loop (nested loops sent 36)"
    );
}

#[tokio::test]
async fn writes_right_after_a_create_are_retried_until_propagated() {
    let e = env().await;
    e.account
        .set_propagation_conflicts(Some(Duration::from_millis(400)));
    let a = e.provider.create(&app("a")).await.expect("create app");
    let tti = e
        .provider
        .create(&target(
            Kind::TrustedTokenIssuer,
            "identity_center.trusted_token_issuers.t",
            None,
            r#"{"name":"t","issuer_type":"OIDC_JWT",
                "issuer_url":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
                "claim_attribute_path":"email","identity_store_attribute_path":"emails.value"}"#,
        ))
        .await
        .expect("create TTI");
    let grant = target(
        Kind::ApplicationGrant,
        "identity_center.applications.a.grants.jwt",
        Some(&a.id),
        &format!(
            r#"{{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer",
                "grant":{{"authorized_token_issuers":[{{"trusted_token_issuer_arn":"{}",
                "authorized_audiences":["client"]}}]}}}}"#,
            tti.id
        ),
    );
    e.provider
        .create(&grant)
        .await
        .expect("retried until propagated");
    assert!(
        e.account.proxy().calls("PutApplicationGrant") > 1,
        "the first writes conflicted"
    );
    let config = target(
        Kind::ApplicationAssignmentConfiguration,
        "identity_center.applications.a.assignment_configuration",
        Some(&a.id),
        r#"{"assignment_required":false}"#,
    );
    e.provider.create(&config).await.expect("settled by now");
}

#[tokio::test]
async fn a_real_conflict_is_not_retried() {
    let e = env().await;
    let tti = |address: &str| {
        target(
            Kind::TrustedTokenIssuer,
            address,
            None,
            r#"{"name":"same","issuer_type":"OIDC_JWT",
                "issuer_url":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
                "claim_attribute_path":"email","identity_store_attribute_path":"emails.value"}"#,
        )
    };
    e.provider
        .create(&tti("identity_center.trusted_token_issuers.one"))
        .await
        .unwrap();
    e.account.proxy().reset_counts();
    let err = e
        .provider
        .create(&tti("identity_center.trusted_token_issuers.two"))
        .await
        .expect_err("the name is taken");
    assert_eq!(err.class, ErrorClass::Conflict);
    assert_eq!(e.account.proxy().calls("CreateTrustedTokenIssuer"), 1);
}

#[tokio::test]
async fn identity_store_concurrent_modification_is_retried() {
    let e = env().await;
    e.account.proxy().set_rules(vec![
        FaultRule::on(
            "CreateGroup",
            Fault::Error {
                status: 400,
                error_type: "ConflictException".into(),
                message: "The requested resource was being concurrently modified by another \
                          request."
                    .into(),
            },
        )
        .times(2),
    ]);
    let group = target(
        Kind::IdentityStoreGroup,
        "identity_store.groups.eng",
        None,
        r#"{"display_name":"eng"}"#,
    );
    e.provider.create(&group).await.expect("retried");
    assert_eq!(e.account.proxy().calls("CreateGroup"), 3);
}

#[tokio::test]
async fn instances_that_are_not_active_are_ignored() {
    let e = env().await;
    let admin = sso::Client::new(&e.sdk);
    e.account.set_instance_transitions(
        Some(Duration::from_millis(300)),
        Some(Duration::from_secs(60)),
    );
    let old = instance(&admin).await;
    admin
        .delete_instance()
        .instance_arn(&old)
        .send()
        .await
        .unwrap();
    let new = admin
        .create_instance()
        .name("new")
        .send()
        .await
        .unwrap()
        .instance_arn()
        .unwrap()
        .to_string();
    let mut req = request(&[Kind::TrustedTokenIssuer]);
    req.identity_center = InstanceSelector::Auto;
    let err = e
        .provider
        .observe(&req)
        .await
        .expect_err("no ACTIVE instance yet");
    assert!(err.message.contains("no ACTIVE"), "{err}");
    assert!(err.message.contains("DELETE_IN_PROGRESS"), "{err}");
    assert!(
        err.message.contains("in us-east-1") && err.message.contains("home region"),
        "says which region was asked and that Identity Center has one: {err}"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let observed = e.provider.observe(&req).await.expect("one ACTIVE instance");
    assert_eq!(
        observed.identity_center.map(|i| i.instance_arn),
        Some(new),
        "the ACTIVE one, not the one being deleted"
    );
}

#[tokio::test]
async fn portal_visibility_enabled_is_the_default_and_updates_send_no_empty_portal_options() {
    let e = env().await;
    let admin = sso::Client::new(&e.sdk);
    let a = e.provider.create(&app("a")).await.unwrap();
    let desired = app("a").attrs;
    let live = idplane_model::normalize::normalize(Kind::Application, &a.attrs);
    let want = idplane_model::normalize::normalize(Kind::Application, &desired);
    assert_eq!(
        idplane_model::diff::differences(Kind::Application, &live, &want),
        vec![],
        "AWS's ENABLED when unset is not a diff"
    );
    let updated = e
        .provider
        .update(
            &a,
            &target(
                Kind::Application,
                "identity_center.applications.a",
                None,
                r#"{"description":"v2"}"#,
            ),
        )
        .await
        .expect("no empty PortalOptions sent");
    assert_eq!(updated.attrs["description"], Value::str("v2"));
    let d = admin
        .describe_application()
        .application_arn(&a.id)
        .send()
        .await
        .unwrap();
    assert_eq!(d.description(), Some("v2"));
    // A visibility change cannot be made in place: the plan replaces the application.
    let mut hidden = desired.clone();
    hidden.insert("portal_options".into(), j(r#"{"visibility":"DISABLED"}"#));
    let diffs = idplane_model::diff::differences(
        Kind::Application,
        &live,
        &idplane_model::normalize::normalize(Kind::Application, &hidden),
    );
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    assert!(diffs[0].path.starts_with("portal_options"), "{diffs:?}");
    assert!(diffs[0].forces_replace, "{diffs:?}");
}

#[tokio::test]
async fn clearing_the_targets_of_an_access_scope_clears_them() {
    let e = env().await;
    let admin = sso::Client::new(&e.sdk);
    let a = e.provider.create(&app("a")).await.unwrap();
    let with = e
        .provider
        .create(&scope(&a.id, &format!(r#"["{}"]"#, a.id)))
        .await
        .unwrap();
    let without = e
        .provider
        .update(&with, &scope(&a.id, "[]"))
        .await
        .expect("update");
    let got = admin
        .get_application_access_scope()
        .application_arn(&a.id)
        .scope("s3:read")
        .send()
        .await
        .unwrap();
    assert!(got.authorized_targets().is_empty(), "{got:?}");
    assert_eq!(without.attrs["authorized_targets"], j("[]"));
}

#[tokio::test]
async fn identity_pool_tags_change_through_tag_resource() {
    let e = env().await;
    let client = ci::Client::new(&e.sdk);
    let t = |tags: &str| {
        target(
            Kind::IdentityPool,
            "identity_pools.ids",
            None,
            &format!(r#"{{"name":"ids","allow_unauthenticated_identities":false,"tags":{tags}}}"#),
        )
    };
    let pool = e.provider.create(&t(r#"{"team":"blue"}"#)).await.unwrap();
    e.provider
        .update(&pool, &t(r#"{"cost":"42"}"#))
        .await
        .expect("update");
    let d = client
        .describe_identity_pool()
        .identity_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    let tags = d.identity_pool_tags().cloned().unwrap_or_default();
    assert_eq!(tags.get("cost").map(String::as_str), Some("42"));
    assert!(!tags.contains_key("team"), "removed: {tags:?}");
    assert_eq!(
        tags.get("idplane:stack").map(String::as_str),
        Some("it"),
        "ownership kept"
    );
}

#[tokio::test]
async fn a_referenced_saml_application_is_read_only_for_what_the_spec_manages() {
    let e = env().await;
    let admin = sso::Client::new(&e.sdk);
    let inst = instance(&admin).await;
    e.account.set_console_mode(true);
    let saml = admin
        .create_application()
        .instance_arn(&inst)
        .name("DemoSAMLApplication")
        .application_provider_arn("arn:aws:sso::aws:applicationProvider/catalog/saml")
        .send()
        .await
        .unwrap()
        .application_arn()
        .unwrap()
        .to_string();
    e.account.set_console_mode(false);
    let mut req = request(&[
        Kind::Application,
        Kind::ApplicationGrant,
        Kind::ApplicationAssignmentConfiguration,
    ]);
    req.pinned.insert((Kind::Application, saml.clone()));
    req.referenced_applications.insert(
        saml.clone(),
        [Kind::ApplicationAssignmentConfiguration].into(),
    );
    e.account.proxy().reset_counts();
    let observed = e.provider.observe(&req).await.expect("observe");
    assert_eq!(e.account.proxy().calls("ListApplicationGrants"), 0);
    assert_eq!(e.account.proxy().calls("ListApplicationAccessScopes"), 0);
    assert_eq!(
        e.account
            .proxy()
            .calls("ListApplicationAuthenticationMethods"),
        0
    );
    assert!(observed.objects.iter().any(|o| {
        o.kind == Kind::ApplicationAssignmentConfiguration && o.parent_id.as_deref() == Some(&saml)
    }));
    // Never changed, so its ownership tags decide nothing: not read.
    assert_eq!(e.account.proxy().calls("ListTagsForResource"), 0);
    // Unless an application the spec manages has its name: its tags then say whose it is.
    req.names
        .insert((Kind::Application, "DemoSAMLApplication".into()));
    e.account.proxy().reset_counts();
    e.provider.observe(&req).await.expect("observe");
    assert_eq!(e.account.proxy().calls("ListTagsForResource"), 1);
}

#[tokio::test]
async fn another_accounts_application_on_the_instance_does_not_fail_the_observe() {
    let e = env().await;
    let admin = sso::Client::new(&e.sdk);
    let inst = instance(&admin).await;
    e.account.set_console_mode(true);
    e.account
        .proxy()
        .set_header("x-idplane-application-account", Some("999988887777"))
        .unwrap();
    let foreign = admin
        .create_application()
        .instance_arn(&inst)
        .name("Theirs")
        .application_provider_arn("arn:aws:sso::aws:applicationProvider/custom")
        .send()
        .await
        .unwrap()
        .application_arn()
        .unwrap()
        .to_string();
    e.account
        .proxy()
        .set_header("x-idplane-application-account", None)
        .unwrap();
    e.account.set_console_mode(false);
    let mine = e.provider.create(&app("mine")).await.unwrap();
    let observed = e
        .provider
        .observe(&request(&[Kind::Application]))
        .await
        .expect("observe");
    let ids: Vec<&str> = observed
        .objects
        .iter()
        .filter(|o| o.kind == Kind::Application)
        .map(|o| o.id.as_str())
        .collect();
    assert!(ids.contains(&mine.id.as_str()), "{ids:?}");
    assert!(
        !ids.contains(&foreign.as_str()),
        "filtered by account: {ids:?}"
    );
}
