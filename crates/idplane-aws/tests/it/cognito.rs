//! User pools and their children: create, plain read-back, observe, update keeps other fields,
//! find, delete.

use crate::{env, j, request, target};
use aws_sdk_cognitoidentityprovider as cip;
use idplane_model::secret::digest_of;
use idplane_model::{Kind, Provider, Secret, Value};

const POOL_ATTRS: &str = r#"{
  "name": "blog",
  "password_policy": {"minimum_length": 10, "require_symbols": false},
  "lambda_config": {"pre_sign_up": "arn:aws:lambda:us-east-1:123456789012:function:pre"},
  "verification_message_template": {"default_email_option": "CONFIRM_WITH_CODE", "email_subject": "Your code"},
  "auto_verified_attributes": ["email"],
  "schema": {"custom:tenant": {"attribute_data_type": "String", "mutable": true,
             "string_constraints": {"min_length": 1, "max_length": 64}}},
  "deletion_protection": "INACTIVE",
  "tags": {"team": "blue"}
}"#;

#[tokio::test]
async fn user_pool_round_trip_update_keeps_other_fields_and_delete() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    let t = target(Kind::UserPool, "user_pools.blog", None, POOL_ATTRS);
    let created = e.provider.create(&t).await.expect("create pool");
    let id = created.id.clone();
    assert_eq!(created.outputs["id"], id);
    assert_eq!(
        created.outputs["issuer_url"],
        format!("https://cognito-idp.us-east-1.amazonaws.com/{id}")
    );

    // Plain SDK read-back.
    let pool = sdk
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let pool = pool.user_pool().unwrap();
    assert_eq!(pool.name(), Some("blog"));
    let pp = pool.policies().unwrap().password_policy().unwrap();
    assert_eq!(pp.minimum_length(), Some(10));
    assert!(!pp.require_symbols());
    assert_eq!(
        pool.lambda_config().unwrap().pre_sign_up(),
        Some("arn:aws:lambda:us-east-1:123456789012:function:pre")
    );
    let tags = pool.user_pool_tags().unwrap();
    assert_eq!(tags.get("idplane:stack").map(String::as_str), Some("it"));
    assert_eq!(
        tags.get("idplane:address").map(String::as_str),
        Some("user_pools.blog")
    );
    assert_eq!(tags.get("team").map(String::as_str), Some("blue"));
    assert!(
        pool.schema_attributes()
            .iter()
            .any(|a| a.name() == Some("custom:tenant")),
        "custom attribute created"
    );

    // Observe maps it back, ownership tags apart from user tags.
    let observed = e
        .provider
        .observe(&request(&[Kind::UserPool]))
        .await
        .unwrap();
    let o = observed
        .find(Kind::UserPool, None, &id)
        .expect("observed the pool");
    assert_eq!(o.attrs["name"], Value::str("blog"));
    assert_eq!(o.attrs["tags"], j(r#"{"team":"blue"}"#));
    assert_eq!(o.owner_address().as_deref(), Some("user_pools.blog"));
    assert_eq!(
        o.attrs["password_policy"].as_map().unwrap()["minimum_length"],
        Value::Int(10)
    );
    assert!(
        o.attrs["schema"]
            .as_map()
            .unwrap()
            .contains_key("custom:tenant")
    );

    // A pool of another stack is not observed.
    sdk.create_user_pool()
        .pool_name("other")
        .user_pool_tags("idplane:stack", "someone-else")
        .send()
        .await
        .unwrap();
    let observed = e
        .provider
        .observe(&request(&[Kind::UserPool]))
        .await
        .unwrap();
    assert_eq!(
        observed
            .objects
            .iter()
            .filter(|o| o.kind == Kind::UserPool)
            .count(),
        1
    );

    // Update one field (and add a custom attribute): everything else keeps its value.
    let upd = target(
        Kind::UserPool,
        "user_pools.blog",
        None,
        r#"{"password_policy": {"minimum_length": 12},
            "schema": {"custom:tenant": {"attribute_data_type": "String"},
                       "custom:plan": {"attribute_data_type": "String", "mutable": true}}}"#,
    );
    let updated = e
        .provider
        .update(&created, &upd)
        .await
        .expect("update pool");
    assert_eq!(
        updated.attrs["password_policy"].as_map().unwrap()["minimum_length"],
        Value::Int(12)
    );
    let pool = sdk
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let pool = pool.user_pool().unwrap();
    let pp = pool.policies().unwrap().password_policy().unwrap();
    assert_eq!(pp.minimum_length(), Some(12));
    assert!(!pp.require_symbols(), "require_symbols kept");
    assert_eq!(pool.name(), Some("blog"));
    assert_eq!(
        pool.lambda_config().and_then(|l| l.pre_sign_up()),
        Some("arn:aws:lambda:us-east-1:123456789012:function:pre"),
        "lambda trigger kept"
    );
    assert_eq!(
        pool.verification_message_template()
            .and_then(|v| v.email_subject()),
        Some("Your code")
    );
    assert_eq!(
        pool.auto_verified_attributes()
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["email"]
    );
    let tags = pool.user_pool_tags().unwrap();
    assert_eq!(tags.get("idplane:stack").map(String::as_str), Some("it"));
    assert_eq!(tags.get("team").map(String::as_str), Some("blue"));
    assert!(
        pool.schema_attributes()
            .iter()
            .any(|a| a.name() == Some("custom:plan"))
    );

    // Find after a "lost" create: by ownership tag.
    let found = e.provider.find(&t).await.unwrap().expect("found by tag");
    assert_eq!(found.id, id);

    // Delete, then delete again (already gone succeeds).
    e.provider.delete(&updated).await.expect("delete");
    let gone = sdk.describe_user_pool().user_pool_id(&id).send().await;
    assert!(gone.is_err(), "pool deleted");
    e.provider
        .delete(&updated)
        .await
        .expect("second delete is a no-op");
    assert!(
        e.provider
            .read(Kind::UserPool, None, &id)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn pool_children_round_trip() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    let pool = e
        .provider
        .create(&target(
            Kind::UserPool,
            "user_pools.app",
            None,
            r#"{"name":"app"}"#,
        ))
        .await
        .unwrap();
    let pid = pool.id.as_str();

    // Identity provider with a client secret.
    let mut idp_t = target(
        Kind::IdentityProvider,
        "user_pools.app.identity_providers.Okta",
        Some(pid),
        r#"{"name":"Okta","provider_type":"OIDC",
            "provider_details":{"client_id":"abc","authorize_scopes":"openid email",
                                "oidc_issuer":"https://issuer.example.com","attributes_request_method":"GET"},
            "attribute_mapping":{"email":"email"}}"#,
    );
    let mut details = idp_t.attrs["provider_details"].as_map().unwrap().clone();
    details.insert(
        "client_secret".into(),
        Value::Secret(Secret::from_plaintext("env:OKTA_SECRET", "s3cret-text")),
    );
    idp_t
        .attrs
        .insert("provider_details".into(), Value::Map(details));
    let idp = e.provider.create(&idp_t).await.expect("create idp");
    let d = idp.attrs["provider_details"].as_map().unwrap();
    match &d["client_secret"] {
        Value::Secret(s) => {
            assert_eq!(s.digest(), digest_of("s3cret-text"));
            assert!(s.expose().is_none(), "no secret text in a live object");
        }
        other => panic!("client_secret should be a secret, got {other}"),
    }
    // Update only the attribute mapping: the secret and client id stay.
    let upd = target(
        Kind::IdentityProvider,
        "user_pools.app.identity_providers.Okta",
        Some(pid),
        r#"{"attribute_mapping":{"email":"email","name":"name"}}"#,
    );
    e.provider.update(&idp, &upd).await.expect("update idp");
    let plain = sdk
        .describe_identity_provider()
        .user_pool_id(pid)
        .provider_name("Okta")
        .send()
        .await
        .unwrap();
    let plain = plain.identity_provider().unwrap();
    let pd = plain.provider_details().unwrap();
    assert_eq!(
        pd.get("client_secret").map(String::as_str),
        Some("s3cret-text")
    );
    assert_eq!(pd.get("client_id").map(String::as_str), Some("abc"));
    assert_eq!(plain.attribute_mapping().unwrap().len(), 2);

    // Resource server.
    let rs = e
        .provider
        .create(&target(
            Kind::ResourceServer,
            "user_pools.app.resource_servers.api",
            Some(pid),
            r#"{"identifier":"https://api.example.com","name":"api","scopes":{"read":"Read","write":"Write"}}"#,
        ))
        .await
        .expect("create resource server");
    e.provider
        .update(
            &rs,
            &target(
                Kind::ResourceServer,
                "user_pools.app.resource_servers.api",
                Some(pid),
                r#"{"name":"api v2"}"#,
            ),
        )
        .await
        .expect("update resource server");
    let plain = sdk
        .describe_resource_server()
        .user_pool_id(pid)
        .identifier("https://api.example.com")
        .send()
        .await
        .unwrap();
    let plain = plain.resource_server().unwrap();
    assert_eq!(plain.name(), Some("api v2"));
    assert_eq!(plain.scopes().len(), 2, "scopes kept");

    // Client.
    let ct = target(
        Kind::UserPoolClient,
        "user_pools.app.clients.web",
        Some(pid),
        r#"{"name":"web","allowed_oauth_flows":["code"],"allowed_oauth_scopes":["openid","email"],
            "allowed_oauth_flows_user_pool_client":true,
            "callback_urls":["https://app.example.com/cb"],"logout_urls":["https://app.example.com/bye"],
            "supported_identity_providers":["COGNITO","Okta"],"access_token_validity":7200}"#,
    );
    let client = e.provider.create(&ct).await.expect("create client");
    assert_eq!(client.attrs["access_token_validity"], Value::Int(7200));
    assert_eq!(
        e.provider.find(&ct).await.unwrap().map(|o| o.id),
        Some(client.id.clone())
    );
    e.provider
        .update(
            &client,
            &target(
                Kind::UserPoolClient,
                "user_pools.app.clients.web",
                Some(pid),
                r#"{"callback_urls":["https://app.example.com/cb2"]}"#,
            ),
        )
        .await
        .expect("update client");
    let plain = sdk
        .describe_user_pool_client()
        .user_pool_id(pid)
        .client_id(&client.id)
        .send()
        .await
        .unwrap();
    let plain = plain.user_pool_client().unwrap();
    assert_eq!(plain.callback_urls(), ["https://app.example.com/cb2"]);
    assert_eq!(
        plain.logout_urls(),
        ["https://app.example.com/bye"],
        "logout URLs kept"
    );
    assert_eq!(plain.allowed_o_auth_scopes().len(), 2, "scopes kept");
    assert_eq!(plain.allowed_o_auth_flows_user_pool_client(), Some(true));
    assert_eq!(plain.supported_identity_providers().len(), 2);

    // Group and domain.
    let group = e
        .provider
        .create(&target(
            Kind::UserPoolGroup,
            "user_pools.app.groups.admins",
            Some(pid),
            r#"{"name":"admins","description":"Admins","precedence":1}"#,
        ))
        .await
        .expect("create group");
    e.provider
        .update(
            &group,
            &target(
                Kind::UserPoolGroup,
                "user_pools.app.groups.admins",
                Some(pid),
                r#"{"description":"Administrators"}"#,
            ),
        )
        .await
        .unwrap();
    let g = sdk
        .get_group()
        .user_pool_id(pid)
        .group_name("admins")
        .send()
        .await
        .unwrap();
    assert_eq!(g.group().unwrap().description(), Some("Administrators"));
    assert_eq!(g.group().unwrap().precedence(), Some(1), "precedence kept");
    let prefix = format!("app-{}", &e.account.id()[..8]);
    let domain = e
        .provider
        .create(&target(
            Kind::UserPoolDomain,
            "user_pools.app.domain",
            Some(pid),
            &format!(r#"{{"domain":"{prefix}"}}"#),
        ))
        .await
        .expect("create domain");
    assert_eq!(
        domain.outputs["base_url"],
        format!("https://{prefix}.auth.us-east-1.amazoncognito.com")
    );

    // Observe reads every child of the owned pool; no secret text anywhere.
    let observed = e
        .provider
        .observe(&request(&[Kind::UserPool]))
        .await
        .unwrap();
    for (kind, id) in [
        (Kind::IdentityProvider, "Okta"),
        (Kind::ResourceServer, "https://api.example.com"),
        (Kind::UserPoolClient, client.id.as_str()),
        (Kind::UserPoolGroup, "admins"),
        (Kind::UserPoolDomain, prefix.as_str()),
    ] {
        assert!(
            observed.find(kind, Some(pid), id).is_some(),
            "observed {kind} {id}"
        );
    }
    let text = serde_json::to_string(&observed).unwrap();
    assert!(!text.contains("s3cret-text"));
    assert!(!format!("{observed:?}").contains("s3cret-text"));

    // Deletes.
    for o in [&domain, &group, &client, &rs, &idp] {
        e.provider
            .delete(o)
            .await
            .unwrap_or_else(|err| panic!("delete {}: {err}", o.kind));
        let mut left = e.provider.read(o.kind, Some(pid), &o.id).await.unwrap();
        if o.kind == Kind::UserPoolDomain {
            // AWS deletes a domain in the background: DELETING, then gone.
            assert_eq!(
                left.as_ref().and_then(|d| d.transition()),
                Some(idplane_model::Transition::Deleting),
                "{left:?}"
            );
            for _ in 0..50 {
                if left.is_none() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                left = e.provider.read(o.kind, Some(pid), &o.id).await.unwrap();
            }
        }
        assert!(left.is_none(), "{} deleted", o.kind);
    }
}

#[tokio::test]
async fn pinned_pool_is_observed_with_children_and_mfa_updates() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    // Made by hand, untagged (adoption by pinned id).
    let out = sdk
        .create_user_pool()
        .pool_name("legacy")
        .lambda_config(
            cip::types::LambdaConfigType::builder()
                .post_confirmation("arn:aws:lambda:us-east-1:123456789012:function:post")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let id = out.user_pool().unwrap().id().unwrap().to_string();
    sdk.create_group()
        .user_pool_id(&id)
        .group_name("readers")
        .send()
        .await
        .unwrap();

    let mut req = request(&[Kind::UserPool, Kind::UserPoolGroup]);
    assert!(
        e.provider.observe(&req).await.unwrap().objects.is_empty(),
        "not ours"
    );
    req.pinned.insert((Kind::UserPool, id.clone()));
    let observed = e.provider.observe(&req).await.unwrap();
    let pool = observed
        .find(Kind::UserPool, None, &id)
        .expect("pinned pool observed");
    assert_eq!(pool.owner_stack(), None);
    assert!(
        observed
            .find(Kind::UserPoolGroup, Some(&id), "readers")
            .is_some()
    );

    let t = target(
        Kind::UserPool,
        "user_pools.legacy",
        None,
        r#"{"mfa_configuration":"OPTIONAL","software_token_mfa":true}"#,
    );
    let updated = e.provider.update(pool, &t).await.expect("update MFA");
    assert_eq!(updated.attrs["mfa_configuration"], Value::str("OPTIONAL"));
    assert_eq!(updated.attrs["software_token_mfa"], Value::Bool(true));
    let mfa = sdk
        .get_user_pool_mfa_config()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        mfa.mfa_configuration().map(|m| m.as_str()),
        Some("OPTIONAL")
    );
    assert_eq!(
        mfa.software_token_mfa_configuration().map(|c| c.enabled()),
        Some(true)
    );
    let plain = sdk
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        plain
            .user_pool()
            .unwrap()
            .lambda_config()
            .and_then(|l| l.post_confirmation()),
        Some("arn:aws:lambda:us-east-1:123456789012:function:post"),
        "trigger kept"
    );
}

#[tokio::test]
async fn saml_idp_update_merges_provider_details() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    let pool = e
        .provider
        .create(&target(
            Kind::UserPool,
            "user_pools.s",
            None,
            r#"{"name":"s"}"#,
        ))
        .await
        .unwrap();
    let t = |attrs: &str| {
        target(
            Kind::IdentityProvider,
            "user_pools.s.identity_providers.IAMIdentityCenter",
            Some(&pool.id),
            attrs,
        )
    };
    let idp = e
        .provider
        .create(&t(r#"{"name":"IAMIdentityCenter","provider_type":"SAML",
                "provider_details":{"MetadataFile":"<EntityDescriptor/>","IDPSignout":"false"},
                "attribute_mapping":{"email":"Subject"}}"#))
        .await
        .expect("create SAML IdP");
    e.provider
        .update(&idp, &t(r#"{"provider_details":{"IDPSignout":"true"}}"#))
        .await
        .expect("update SAML IdP");
    let plain = sdk
        .describe_identity_provider()
        .user_pool_id(&pool.id)
        .provider_name("IAMIdentityCenter")
        .send()
        .await
        .unwrap();
    let plain = plain.identity_provider().unwrap();
    let d = plain.provider_details().unwrap();
    assert_eq!(d.get("IDPSignout").map(String::as_str), Some("true"));
    assert_eq!(
        d.get("MetadataFile").map(String::as_str),
        Some("<EntityDescriptor/>"),
        "kept"
    );
    assert_eq!(
        plain
            .attribute_mapping()
            .and_then(|m| m.get("email"))
            .map(String::as_str),
        Some("Subject"),
        "mapping kept"
    );
}

#[tokio::test]
async fn observe_adds_the_signing_certificate_only_when_a_saml_idp_signs_out() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    let pool = e
        .provider
        .create(&target(
            Kind::UserPool,
            "user_pools.so",
            None,
            r#"{"name":"so"}"#,
        ))
        .await
        .unwrap();
    let t = |attrs: &str| {
        target(
            Kind::IdentityProvider,
            "user_pools.so.identity_providers.Corp",
            Some(&pool.id),
            attrs,
        )
    };
    let idp = e
        .provider
        .create(&t(r#"{"name":"Corp","provider_type":"SAML",
                "provider_details":{"MetadataFile":"<EntityDescriptor/>","IDPSignout":"false"},
                "attribute_mapping":{"email":"Subject"}}"#))
        .await
        .expect("create SAML IdP");
    let kinds = [Kind::UserPool, Kind::IdentityProvider];
    let proxy = e.account.proxy();

    proxy.reset_counts();
    let observed = e.provider.observe(&request(&kinds)).await.unwrap();
    let live = observed.find(Kind::UserPool, None, &pool.id).unwrap();
    assert!(
        !live.outputs.contains_key("signing_certificate"),
        "sign-out off: {:?}",
        live.outputs
    );
    assert_eq!(proxy.calls("GetSigningCertificate"), 0, "no extra call");

    e.provider
        .update(&idp, &t(r#"{"provider_details":{"IDPSignout":"true"}}"#))
        .await
        .expect("turn IdP sign-out on");
    proxy.reset_counts();
    let observed = e.provider.observe(&request(&kinds)).await.unwrap();
    let live = observed.find(Kind::UserPool, None, &pool.id).unwrap();
    let plain = sdk
        .get_signing_certificate()
        .user_pool_id(&pool.id)
        .send()
        .await
        .expect("GetSigningCertificate");
    let cert = plain.certificate().expect("a certificate");
    assert!(!cert.is_empty());
    assert_eq!(
        live.outputs.get("signing_certificate").map(String::as_str),
        Some(cert)
    );
    assert_eq!(
        proxy.calls("GetSigningCertificate"),
        2,
        "one by observe, one here"
    );
}

#[tokio::test]
async fn list_user_pool_ids_lists_pools_made_without_idplane_across_pages() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    let mut made = Vec::new();
    // More than one ListUserPools page (the provider asks for 60 at a time).
    for i in 0..61 {
        let out = sdk
            .create_user_pool()
            .pool_name(format!("by-hand-{i}"))
            .send()
            .await
            .expect("CreateUserPool");
        made.push(out.user_pool().unwrap().id().unwrap().to_string());
    }
    e.account.proxy().reset_counts();
    let mut listed = e.provider.list_user_pool_ids().await.expect("list pools");
    listed.sort();
    made.sort();
    assert_eq!(listed, made);
    assert_eq!(e.account.proxy().calls("ListUserPools"), 2, "two pages");
}

#[tokio::test]
async fn issuer_url_follows_the_issuer_type() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    let t = target(
        Kind::UserPool,
        "user_pools.blog",
        None,
        r#"{"name":"blog","issuer_type":"UPDATED"}"#,
    );
    let created = e.provider.create(&t).await.expect("create pool");
    let id = created.id.clone();
    assert_eq!(created.attrs["issuer_type"], Value::str("UPDATED"));
    assert_eq!(
        created.outputs["issuer_url"],
        format!("https://issuer-cognito-idp.us-east-1.amazonaws.com/{id}")
    );
    // An update that does not name the issuer type keeps it (UpdateUserPool would reset it).
    let upd = target(
        Kind::UserPool,
        "user_pools.blog",
        None,
        r#"{"password_policy":{"minimum_length":12}}"#,
    );
    let updated = e.provider.update(&created, &upd).await.expect("update");
    assert_eq!(updated.attrs["issuer_type"], Value::str("UPDATED"));
    let pool = sdk
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pool.user_pool()
            .and_then(|p| p.issuer_configuration())
            .and_then(|c| c.r#type()),
        Some(&cip::types::IssuerType::Updated)
    );
    // Back to ORIGINAL: the issuer URL follows.
    let upd = target(
        Kind::UserPool,
        "user_pools.blog",
        None,
        r#"{"issuer_type":"ORIGINAL"}"#,
    );
    let updated = e.provider.update(&updated, &upd).await.expect("update");
    assert_eq!(
        updated.outputs["issuer_url"],
        format!("https://cognito-idp.us-east-1.amazonaws.com/{id}")
    );
}

#[tokio::test]
async fn pre_token_trigger_halves_stay_in_step() {
    const A: &str = "arn:aws:lambda:us-east-1:123456789012:function:a";
    const B: &str = "arn:aws:lambda:us-east-1:123456789012:function:b";
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    let t = target(
        Kind::UserPool,
        "user_pools.blog",
        None,
        &format!(
            r#"{{"name":"blog","lambda_config":{{"pre_token_generation":"{A}",
                "pre_token_generation_config":{{"lambda_arn":"{A}","lambda_version":"V2_0"}}}}}}"#
        ),
    );
    let created = e.provider.create(&t).await.expect("create pool");
    let read = |id: String| {
        let sdk = sdk.clone();
        async move {
            let out = sdk
                .describe_user_pool()
                .user_pool_id(id)
                .send()
                .await
                .unwrap();
            let l = out.user_pool().and_then(|p| p.lambda_config()).cloned();
            (
                l.as_ref()
                    .and_then(|l| l.pre_token_generation())
                    .map(str::to_string),
                l.as_ref()
                    .and_then(|l| l.pre_token_generation_config())
                    .map(|c| {
                        (
                            c.lambda_arn().to_string(),
                            c.lambda_version().as_str().to_string(),
                        )
                    }),
            )
        }
    };
    assert_eq!(
        read(created.id.clone()).await,
        (Some(A.into()), Some((A.into(), "V2_0".into())))
    );
    assert_eq!(
        created.attrs["lambda_config"],
        j(&format!(
            r#"{{"pre_token_generation":"{A}",
                "pre_token_generation_config":{{"lambda_arn":"{A}","lambda_version":"V2_0"}}}}"#
        ))
    );
    // A plain ARN (V1_0) for another function: both halves change.
    let upd = target(
        Kind::UserPool,
        "user_pools.blog",
        None,
        &format!(r#"{{"lambda_config":{{"pre_token_generation":"{B}"}}}}"#),
    );
    let updated = e.provider.update(&created, &upd).await.expect("update");
    assert_eq!(
        read(updated.id.clone()).await,
        (Some(B.into()), Some((B.into(), "V1_0".into())))
    );
    // No trigger: both halves go.
    let upd = target(
        Kind::UserPool,
        "user_pools.blog",
        None,
        r#"{"lambda_config":{}}"#,
    );
    let updated = e.provider.update(&updated, &upd).await.expect("update");
    assert_eq!(read(updated.id.clone()).await, (None, None));
}
