//! IAM Identity Center and the Identity Store: trusted token issuers, applications and their
//! children, users, groups, memberships and assignments.

use crate::{env, request, target};
use aws_sdk_identitystore as ids;
use aws_sdk_ssoadmin as sso;
use idplane_model::{Kind, Provider, Value};

#[tokio::test]
async fn identity_center_round_trip() {
    let e = env().await;
    let admin = sso::Client::new(&e.sdk);
    let store = ids::Client::new(&e.sdk);
    let instances = admin.list_instances().send().await.unwrap();
    let instance = instances.instances()[0].instance_arn().unwrap().to_string();
    let store_id = instances.instances()[0]
        .identity_store_id()
        .unwrap()
        .to_string();

    // Trusted token issuer.
    let tti_t = target(
        Kind::TrustedTokenIssuer,
        "identity_center.trusted_token_issuers.cognito",
        None,
        r#"{"name":"cognito","issuer_type":"OIDC_JWT",
            "issuer_url":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
            "claim_attribute_path":"email","identity_store_attribute_path":"emails.value",
            "jwks_retrieval_option":"OPEN_ID_DISCOVERY","tags":{"team":"blue"}}"#,
    );
    let tti = e.provider.create(&tti_t).await.expect("create TTI");
    assert!(tti.outputs["arn"].starts_with("arn:"));
    let d = admin
        .describe_trusted_token_issuer()
        .trusted_token_issuer_arn(&tti.id)
        .send()
        .await
        .unwrap();
    assert_eq!(d.name(), Some("cognito"));
    e.provider
        .update(
            &tti,
            &target(
                Kind::TrustedTokenIssuer,
                "identity_center.trusted_token_issuers.cognito",
                None,
                r#"{"claim_attribute_path":"sub"}"#,
            ),
        )
        .await
        .expect("update TTI");
    let d = admin
        .describe_trusted_token_issuer()
        .trusted_token_issuer_arn(&tti.id)
        .send()
        .await
        .unwrap();
    match d.trusted_token_issuer_configuration() {
        Some(sso::types::TrustedTokenIssuerConfiguration::OidcJwtConfiguration(c)) => {
            assert_eq!(c.claim_attribute_path(), "sub");
            assert_eq!(c.identity_store_attribute_path(), "emails.value", "kept");
        }
        other => panic!("unexpected configuration {other:?}"),
    }
    assert_eq!(
        e.provider.find(&tti_t).await.unwrap().map(|o| o.id),
        Some(tti.id.clone())
    );

    // Application.
    let app_t = target(
        Kind::Application,
        "identity_center.applications.demo",
        None,
        r#"{"name":"demo","description":"Demo app","status":"ENABLED",
            "portal_options":{"visibility":"ENABLED","sign_in_options":{"origin":"APPLICATION","application_url":"https://app.example.com"}}}"#,
    );
    let app = e.provider.create(&app_t).await.expect("create application");
    let arn = app.id.clone();
    let tags = admin
        .list_tags_for_resource()
        .instance_arn(&instance)
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert!(
        tags.tags()
            .iter()
            .any(|t| t.key() == "idplane:stack" && t.value() == "it")
    );
    e.provider
        .update(
            &app,
            &target(
                Kind::Application,
                "identity_center.applications.demo",
                None,
                r#"{"description":"Demo v2"}"#,
            ),
        )
        .await
        .expect("update application");
    let d = admin
        .describe_application()
        .application_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(d.description(), Some("Demo v2"));
    assert_eq!(d.name(), Some("demo"), "name kept");
    assert_eq!(
        d.portal_options()
            .and_then(|p| p.sign_in_options())
            .and_then(|s| s.application_url()),
        Some("https://app.example.com"),
        "portal options kept"
    );

    // Children.
    let child = |kind, addr: &str, attrs: &str| target(kind, addr, Some(&arn), attrs);
    let grant = e
        .provider
        .create(&child(
            Kind::ApplicationGrant,
            "identity_center.applications.demo.grants.jwt",
            &format!(
                r#"{{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer",
                   "grant":{{"authorized_token_issuers":[{{"trusted_token_issuer_arn":"{}","authorized_audiences":["client1"]}}]}}}}"#,
                tti.id
            ),
        ))
        .await
        .expect("put grant");
    let g = admin
        .get_application_grant()
        .application_arn(&arn)
        .grant_type(sso::types::GrantType::from(
            "urn:ietf:params:oauth:grant-type:jwt-bearer",
        ))
        .send()
        .await
        .unwrap();
    match g.grant() {
        Some(sso::types::Grant::JwtBearer(j)) => {
            assert_eq!(
                j.authorized_token_issuers()[0].authorized_audiences(),
                ["client1"]
            )
        }
        other => panic!("unexpected grant {other:?}"),
    }
    let scope = e
        .provider
        .create(&child(
            Kind::ApplicationAccessScope,
            "identity_center.applications.demo.access_scopes.q",
            r#"{"scope":"qbusiness:messages:access"}"#,
        ))
        .await
        .expect("put scope");
    let method = e
        .provider
        .create(&child(
            Kind::ApplicationAuthenticationMethod,
            "identity_center.applications.demo.authentication_methods.iam",
            r#"{"method_type":"IAM","actor_policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sso-oauth:CreateTokenWithIAM","Resource":"*"}]}}"#,
        ))
        .await
        .expect("put auth method");
    assert_eq!(
        method.attrs["actor_policy"].as_map().unwrap()["Version"],
        Value::str("2012-10-17")
    );
    let cfg = e
        .provider
        .create(&child(
            Kind::ApplicationAssignmentConfiguration,
            "identity_center.applications.demo.assignment_configuration",
            r#"{"assignment_required":false}"#,
        ))
        .await
        .expect("put assignment configuration");
    let plain = admin
        .get_application_assignment_configuration()
        .application_arn(&arn)
        .send()
        .await
        .unwrap();
    assert!(!plain.assignment_required());

    // Identity Store user, group, membership; assignment of the group.
    let user = e
        .provider
        .create(&target(
            Kind::IdentityStoreUser,
            "identity_store.users.alice",
            None,
            r#"{"user_name":"alice","display_name":"Alice","given_name":"Alice","family_name":"Doe","email":"alice@example.com"}"#,
        ))
        .await
        .expect("create user");
    // (Updates of users and groups are exercised in `identity_store.rs`.)
    let u = store
        .describe_user()
        .identity_store_id(&store_id)
        .user_id(&user.id)
        .send()
        .await
        .unwrap();
    assert_eq!(u.user_name(), Some("alice"));
    assert_eq!(u.display_name(), Some("Alice"));
    assert_eq!(u.name().and_then(|n| n.family_name()), Some("Doe"));
    assert_eq!(
        u.emails().first().and_then(|m| m.value()),
        Some("alice@example.com")
    );
    assert_eq!(user.attrs["email"], Value::str("alice@example.com"));
    let group = e
        .provider
        .create(&target(
            Kind::IdentityStoreGroup,
            "identity_store.groups.admins",
            None,
            r#"{"display_name":"admins","description":"Admins"}"#,
        ))
        .await
        .expect("create group");
    let membership = e
        .provider
        .create(&target(
            Kind::IdentityStoreGroupMembership,
            "identity_store.groups.admins.members.alice",
            Some(&group.id),
            r#"{"user_name":"alice"}"#,
        ))
        .await
        .expect("create membership");
    let assignment_t = child(
        Kind::ApplicationAssignment,
        "identity_center.applications.demo.assignments.admins",
        r#"{"principal_type":"GROUP","principal_name":"admins","principal":"GROUP:admins"}"#,
    );
    let assignment = e
        .provider
        .create(&assignment_t)
        .await
        .expect("create assignment");
    assert_eq!(assignment.id, "GROUP:admins");
    let plain = admin
        .list_application_assignments()
        .application_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(plain.application_assignments().len(), 1);
    assert_eq!(plain.application_assignments()[0].principal_id(), group.id);

    // Observe everything back.
    let mut req = request(&[
        Kind::TrustedTokenIssuer,
        Kind::Application,
        Kind::ApplicationGrant,
        Kind::ApplicationAssignment,
        Kind::IdentityStoreUser,
        Kind::IdentityStoreGroup,
        Kind::IdentityStoreGroupMembership,
    ]);
    req.identity_center = idplane_model::InstanceSelector::Auto;
    req.user_names.insert("alice".into());
    req.group_names.insert("admins".into());
    let observed = e.provider.observe(&req).await.expect("observe");
    assert_eq!(
        observed.identity_center.as_ref().unwrap().instance_arn,
        instance
    );
    for (kind, parent, id) in [
        (Kind::TrustedTokenIssuer, None, tti.id.as_str()),
        (Kind::Application, None, arn.as_str()),
        (
            Kind::ApplicationGrant,
            Some(arn.as_str()),
            grant.id.as_str(),
        ),
        (
            Kind::ApplicationAccessScope,
            Some(arn.as_str()),
            "qbusiness:messages:access",
        ),
        (
            Kind::ApplicationAuthenticationMethod,
            Some(arn.as_str()),
            "IAM",
        ),
        (
            Kind::ApplicationAssignmentConfiguration,
            Some(arn.as_str()),
            "assignment_configuration",
        ),
        (
            Kind::ApplicationAssignment,
            Some(arn.as_str()),
            "GROUP:admins",
        ),
        (Kind::IdentityStoreUser, None, user.id.as_str()),
        (Kind::IdentityStoreGroup, None, group.id.as_str()),
        (
            Kind::IdentityStoreGroupMembership,
            Some(group.id.as_str()),
            membership.id.as_str(),
        ),
    ] {
        assert!(
            observed.find(kind, parent, id).is_some(),
            "observed {kind} {id}"
        );
    }
    let cfg_o = observed
        .find(
            Kind::ApplicationAssignmentConfiguration,
            Some(&arn),
            "assignment_configuration",
        )
        .unwrap();
    assert_eq!(cfg_o.attrs["assignment_required"], Value::Bool(false));
    assert_eq!(
        observed
            .find(Kind::Application, None, &arn)
            .unwrap()
            .owner_stack(),
        Some("it")
    );

    // Finds by natural key.
    assert_eq!(
        e.provider.find(&assignment_t).await.unwrap().map(|o| o.id),
        Some("GROUP:admins".into())
    );

    // Deletes, children first.
    for o in [
        &assignment,
        &membership,
        &group,
        &user,
        &cfg,
        &method,
        &scope,
        &grant,
        &app,
        &tti,
    ] {
        e.provider
            .delete(o)
            .await
            .unwrap_or_else(|err| panic!("delete {}: {err}", o.kind));
    }
    assert!(
        admin
            .describe_application()
            .application_arn(&arn)
            .send()
            .await
            .is_err()
    );
    assert!(
        store
            .describe_user()
            .identity_store_id(&store_id)
            .user_id(&user.id)
            .send()
            .await
            .is_err()
    );
    e.provider
        .delete(&app)
        .await
        .expect("second delete is a no-op");
}

/// sso-admin refuses tag values outside `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`: the `idplane:address` tag
/// of a logical name with brackets, quotes, `#` or spaces is encoded into that alphabet, and reads
/// back as the address (so `find` and `observe` still match it).
#[tokio::test]
async fn ownership_tag_encodes_any_logical_name() {
    let e = env().await;
    let admin = sso::Client::new(&e.sdk);
    let instance = admin.list_instances().send().await.unwrap().instances()[0]
        .instance_arn()
        .unwrap()
        .to_string();
    let address = idplane_model::Address::root("identity_center", "applications")
        .child(["chat [beta] \"#1\" é"]);
    let mut t = target(
        Kind::Application,
        "identity_center.applications.x",
        None,
        r#"{"name":"chat-beta","status":"ENABLED"}"#,
    );
    t.address = address.clone();
    t.client_token = "it-ownership-tag-encoding".into();
    let app = e
        .provider
        .create(&t)
        .await
        .expect("created with an encoded address tag");
    let tags = admin
        .list_tags_for_resource()
        .instance_arn(&instance)
        .resource_arn(&app.id)
        .send()
        .await
        .unwrap();
    let value = tags
        .tags()
        .iter()
        .find(|t| t.key() == "idplane:address")
        .map(|t| t.value())
        .expect("address tag")
        .to_string();
    assert_ne!(value, address.to_string(), "encoded, not raw");
    assert!(
        value
            .chars()
            .all(|c| c.is_alphanumeric() || "_.:/=+-@ ".contains(c)),
        "{value}"
    );
    assert_eq!(app.owner_address(), Some(address.to_string()));
    let observed = e
        .provider
        .observe(&request(&[Kind::Application]))
        .await
        .unwrap();
    let live = observed
        .objects
        .iter()
        .find(|o| o.id == app.id)
        .expect("observed");
    assert_eq!(live.owner_address(), Some(address.to_string()));
    assert_eq!(
        e.provider.find(&t).await.unwrap().map(|o| o.id),
        Some(app.id.clone()),
        "found again by its ownership tags"
    );
}
