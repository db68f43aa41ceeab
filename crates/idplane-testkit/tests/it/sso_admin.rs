//! sso-admin operations the extension adds: trusted token issuers, applications, grants, access
//! scopes, authentication methods, assignment configuration, application assignments, tags.

use aws_sdk_ssoadmin::types::{
    ApplicationStatus, AuthenticationMethod, AuthenticationMethodType, AuthorizationCodeGrant,
    AuthorizedTokenIssuer, Grant, GrantType, IamAuthenticationMethod, JwtBearerGrant,
    OidcJwtConfiguration, OidcJwtUpdateConfiguration, PrincipalType, RefreshTokenGrant, Tag,
    TokenExchangeGrant, TrustedTokenIssuerConfiguration, TrustedTokenIssuerType,
    TrustedTokenIssuerUpdateConfiguration,
};
use aws_smithy_types::Document;

use crate::support::{Ctx, code, ctx};

const CUSTOM: &str = "arn:aws:sso::aws:applicationProvider/custom";

fn oidc(issuer: &str) -> TrustedTokenIssuerConfiguration {
    TrustedTokenIssuerConfiguration::OidcJwtConfiguration(
        OidcJwtConfiguration::builder()
            .issuer_url(issuer)
            .claim_attribute_path("email")
            .identity_store_attribute_path("emails.value")
            .jwks_retrieval_option("OPEN_ID_DISCOVERY".into())
            .build()
            .unwrap(),
    )
}

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

async fn create_tti(c: &Ctx, instance: &str, name: &str) -> String {
    c.sso
        .create_trusted_token_issuer()
        .instance_arn(instance)
        .name(name)
        .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
        .trusted_token_issuer_configuration(oidc(
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
        ))
        .send()
        .await
        .expect("CreateTrustedTokenIssuer")
        .trusted_token_issuer_arn()
        .unwrap()
        .to_string()
}

async fn create_app(c: &Ctx, instance: &str, name: &str) -> String {
    c.sso
        .create_application()
        .instance_arn(instance)
        .application_provider_arn(CUSTOM)
        .name(name)
        .send()
        .await
        .expect("CreateApplication")
        .application_arn()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn trusted_token_issuer_lifecycle() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let arn = c
        .sso
        .create_trusted_token_issuer()
        .instance_arn(&instance)
        .name("cognito")
        .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
        .trusted_token_issuer_configuration(oidc("https://issuer.example.com/pool"))
        .tags(tag("idplane:stack", "demo"))
        .send()
        .await
        .unwrap()
        .trusted_token_issuer_arn()
        .unwrap()
        .to_string();
    assert!(
        arn.contains(&format!(":{}:trustedTokenIssuer/ssoins-", c.account.id())),
        "{arn}"
    );

    // A second TTI with the same name in the instance is a conflict.
    let dup = c
        .sso
        .create_trusted_token_issuer()
        .instance_arn(&instance)
        .name("cognito")
        .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
        .trusted_token_issuer_configuration(oidc("https://other.example.com"))
        .send()
        .await;
    assert_eq!(code(dup), "ConflictException");

    // Update: name and claim path change, the issuer URL cannot and stays.
    c.sso
        .update_trusted_token_issuer()
        .trusted_token_issuer_arn(&arn)
        .name("cognito-renamed")
        .trusted_token_issuer_configuration(
            TrustedTokenIssuerUpdateConfiguration::OidcJwtConfiguration(
                OidcJwtUpdateConfiguration::builder()
                    .claim_attribute_path("sub")
                    .build(),
            ),
        )
        .send()
        .await
        .unwrap();
    let described = c
        .sso
        .describe_trusted_token_issuer()
        .trusted_token_issuer_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(described.name(), Some("cognito-renamed"));
    assert_eq!(
        described.trusted_token_issuer_type(),
        Some(&TrustedTokenIssuerType::OidcJwt)
    );
    let TrustedTokenIssuerConfiguration::OidcJwtConfiguration(cfg) =
        described.trusted_token_issuer_configuration().unwrap()
    else {
        panic!("not OIDC")
    };
    assert_eq!(cfg.issuer_url(), "https://issuer.example.com/pool");
    assert_eq!(cfg.claim_attribute_path(), "sub");
    assert_eq!(cfg.identity_store_attribute_path(), "emails.value");

    let tags = c
        .sso
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags(), &[tag("idplane:stack", "demo")]);

    c.sso
        .delete_trusted_token_issuer()
        .trusted_token_issuer_arn(&arn)
        .send()
        .await
        .unwrap();
    let gone = c
        .sso
        .describe_trusted_token_issuer()
        .trusted_token_issuer_arn(&arn)
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
    let again = c
        .sso
        .delete_trusted_token_issuer()
        .trusted_token_issuer_arn(&arn)
        .send()
        .await;
    assert_eq!(code(again), "ResourceNotFoundException");
}

#[tokio::test]
async fn trusted_token_issuer_client_token_is_idempotent() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let create = |name: &str| {
        c.sso
            .create_trusted_token_issuer()
            .instance_arn(&instance)
            .name(name)
            .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
            .trusted_token_issuer_configuration(oidc("https://issuer.example.com"))
            .client_token("same-token")
            .send()
    };
    let first = create("idem").await.unwrap();
    let retried = create("idem").await.unwrap();
    assert_eq!(
        first.trusted_token_issuer_arn(),
        retried.trusted_token_issuer_arn()
    );
    assert_eq!(code(create("different").await), "ConflictException");
    let listed = c
        .sso
        .list_trusted_token_issuers()
        .instance_arn(&instance)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.trusted_token_issuers().len(), 1);
}

#[tokio::test]
async fn at_most_ten_trusted_token_issuers_and_list_pages() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let mut created = Vec::new();
    for i in 0..10 {
        created.push(create_tti(&c, &instance, &format!("tti-{i}")).await);
    }
    let eleventh = c
        .sso
        .create_trusted_token_issuer()
        .instance_arn(&instance)
        .name("tti-10")
        .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
        .trusted_token_issuer_configuration(oidc("https://x.example.com"))
        .send()
        .await;
    assert_eq!(code(eleventh), "ServiceQuotaExceededException");

    let mut seen = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let page = c
            .sso
            .list_trusted_token_issuers()
            .instance_arn(&instance)
            .max_results(3)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        pages += 1;
        assert!(page.trusted_token_issuers().len() <= 3);
        seen.extend(
            page.trusted_token_issuers()
                .iter()
                .map(|t| t.trusted_token_issuer_arn().unwrap().to_string()),
        );
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(seen, created);

    let bad = c
        .sso
        .list_trusted_token_issuers()
        .instance_arn(&instance)
        .next_token("not-a-token")
        .send()
        .await;
    assert_eq!(code(bad), "ValidationException");
}

#[tokio::test]
async fn application_lifecycle_and_provider_rule() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let saml = c
        .sso
        .create_application()
        .instance_arn(&instance)
        .application_provider_arn("arn:aws:sso::aws:applicationProvider/catalog/SAML")
        .name("saml")
        .send()
        .await;
    assert_eq!(code(saml), "ValidationException");

    let created = c
        .sso
        .create_application()
        .instance_arn(&instance)
        .application_provider_arn(CUSTOM)
        .name("chat")
        .description("first")
        .client_token("token-1")
        .tags(tag("team", "id"))
        .send()
        .await
        .unwrap();
    let arn = created.application_arn().unwrap().to_string();
    assert_eq!(created.instance_arn(), Some(instance.as_str()));
    assert!(
        created
            .identity_store_arn()
            .unwrap()
            .starts_with("arn:aws:identitystore::")
    );

    // Same client token, same request: the same application, not a second one.
    let retried = c
        .sso
        .create_application()
        .instance_arn(&instance)
        .application_provider_arn(CUSTOM)
        .name("chat")
        .description("first")
        .client_token("token-1")
        .tags(tag("team", "id"))
        .send()
        .await
        .unwrap();
    assert_eq!(retried.application_arn(), Some(arn.as_str()));
    // Same token, another request: refused.
    let mismatch = c
        .sso
        .create_application()
        .instance_arn(&instance)
        .application_provider_arn(CUSTOM)
        .name("other")
        .client_token("token-1")
        .send()
        .await;
    assert_eq!(code(mismatch), "ConflictException");

    let d = c
        .sso
        .describe_application()
        .application_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(d.name(), Some("chat"));
    assert_eq!(d.status(), Some(&ApplicationStatus::Enabled));
    assert_eq!(d.application_provider_arn(), Some(CUSTOM));
    assert_eq!(d.application_account(), Some(c.account.id()));

    c.sso
        .update_application()
        .application_arn(&arn)
        .description("second")
        .status(ApplicationStatus::Disabled)
        .send()
        .await
        .unwrap();
    let d = c
        .sso
        .describe_application()
        .application_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        d.name(),
        Some("chat"),
        "UpdateApplication keeps what it is not given"
    );
    assert_eq!(d.description(), Some("second"));
    assert_eq!(d.status(), Some(&ApplicationStatus::Disabled));

    let second = create_app(&c, &instance, "two").await;
    let third = create_app(&c, &instance, "three").await;
    let p1 = c
        .sso
        .list_applications()
        .instance_arn(&instance)
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(p1.applications().len(), 2);
    let p2 = c
        .sso
        .list_applications()
        .instance_arn(&instance)
        .max_results(2)
        .next_token(p1.next_token().expect("a second page"))
        .send()
        .await
        .unwrap();
    assert_eq!(p2.next_token(), None);
    let all: Vec<_> = p1
        .applications()
        .iter()
        .chain(p2.applications())
        .map(|a| a.application_arn().unwrap().to_string())
        .collect();
    assert_eq!(all, vec![arn.clone(), second, third]);

    c.sso
        .delete_application()
        .application_arn(&arn)
        .send()
        .await
        .unwrap();
    let gone = c
        .sso
        .describe_application()
        .application_arn(&arn)
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
}

#[tokio::test]
async fn grants_of_all_four_types() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let tti = create_tti(&c, &instance, "issuer").await;
    let app = create_app(&c, &instance, "grants").await;
    let jwt = Grant::JwtBearer(
        JwtBearerGrant::builder()
            .authorized_token_issuers(
                AuthorizedTokenIssuer::builder()
                    .trusted_token_issuer_arn(&tti)
                    .authorized_audiences("client-id")
                    .build(),
            )
            .build(),
    );
    let code_grant = Grant::AuthorizationCode(
        AuthorizationCodeGrant::builder()
            .redirect_uris("https://app.example.com/cb")
            .build(),
    );
    let grants = [
        (GrantType::JwtBearer, jwt.clone()),
        (GrantType::AuthorizationCode, code_grant),
        (
            GrantType::RefreshToken,
            Grant::RefreshToken(RefreshTokenGrant::builder().build()),
        ),
        (
            GrantType::TokenExchange,
            Grant::TokenExchange(TokenExchangeGrant::builder().build()),
        ),
    ];
    for (kind, grant) in &grants {
        c.sso
            .put_application_grant()
            .application_arn(&app)
            .grant_type(kind.clone())
            .grant(grant.clone())
            .send()
            .await
            .unwrap();
    }
    for (kind, grant) in &grants {
        let got = c
            .sso
            .get_application_grant()
            .application_arn(&app)
            .grant_type(kind.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(got.grant(), Some(grant), "{kind:?}");
    }
    let listed = c
        .sso
        .list_application_grants()
        .application_arn(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.grants().len(), 4);

    // A grant body that does not match its type is refused.
    let wrong = c
        .sso
        .put_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::AuthorizationCode)
        .grant(jwt)
        .send()
        .await;
    assert_eq!(code(wrong), "ValidationException");

    // Put is an upsert.
    let replaced = Grant::AuthorizationCode(
        AuthorizationCodeGrant::builder()
            .redirect_uris("https://new.example.com/cb")
            .build(),
    );
    c.sso
        .put_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::AuthorizationCode)
        .grant(replaced.clone())
        .send()
        .await
        .unwrap();
    let got = c
        .sso
        .get_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::AuthorizationCode)
        .send()
        .await
        .unwrap();
    assert_eq!(got.grant(), Some(&replaced));

    c.sso
        .delete_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await
        .unwrap();
    let gone = c
        .sso
        .get_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
    let listed = c
        .sso
        .list_application_grants()
        .application_arn(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.grants().len(), 3);

    let deleted = create_app(&c, &instance, "deleted").await;
    c.sso
        .delete_application()
        .application_arn(&deleted)
        .send()
        .await
        .unwrap();
    let missing_app = c
        .sso
        .list_application_grants()
        .application_arn(&deleted)
        .send()
        .await;
    assert_eq!(code(missing_app), "ResourceNotFoundException");
}

#[tokio::test]
async fn access_scopes_at_most_twenty_five_and_pages() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let app = create_app(&c, &instance, "scopes").await;
    for i in 0..25 {
        c.sso
            .put_application_access_scope()
            .application_arn(&app)
            .scope(format!("svc:thing{i}:access"))
            .send()
            .await
            .unwrap();
    }
    // Putting an existing scope again is an update, not a 26th scope.
    c.sso
        .put_application_access_scope()
        .application_arn(&app)
        .scope("svc:thing0:access")
        .authorized_targets(&app)
        .send()
        .await
        .unwrap();
    let over = c
        .sso
        .put_application_access_scope()
        .application_arn(&app)
        .scope("svc:extra")
        .send()
        .await;
    assert_eq!(code(over), "ServiceQuotaExceededException");

    let mut total = 0;
    let mut pages = 0;
    let mut token = None;
    loop {
        let page = c
            .sso
            .list_application_access_scopes()
            .application_arn(&app)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        pages += 1;
        total += page.scopes().len();
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!((total, pages), (25, 3));

    let got = c
        .sso
        .get_application_access_scope()
        .application_arn(&app)
        .scope("svc:thing0:access")
        .send()
        .await
        .unwrap();
    assert_eq!(got.authorized_targets(), std::slice::from_ref(&app));
    c.sso
        .delete_application_access_scope()
        .application_arn(&app)
        .scope("svc:thing0:access")
        .send()
        .await
        .unwrap();
    let gone = c
        .sso
        .get_application_access_scope()
        .application_arn(&app)
        .scope("svc:thing0:access")
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
}

#[tokio::test]
async fn authentication_methods_and_assignment_configuration() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let app = create_app(&c, &instance, "auth").await;

    let required = c
        .sso
        .get_application_assignment_configuration()
        .application_arn(&app)
        .send()
        .await
        .unwrap();
    assert!(
        required.assignment_required(),
        "AssignmentRequired defaults to true"
    );
    c.sso
        .put_application_assignment_configuration()
        .application_arn(&app)
        .assignment_required(false)
        .send()
        .await
        .unwrap();
    let required = c
        .sso
        .get_application_assignment_configuration()
        .application_arn(&app)
        .send()
        .await
        .unwrap();
    assert!(!required.assignment_required());

    let policy = Document::Object(
        [
            ("Version".to_string(), Document::String("2012-10-17".into())),
            (
                "Statement".to_string(),
                Document::Array(vec![Document::Object(
                    [
                        ("Effect".to_string(), Document::String("Allow".into())),
                        (
                            "Action".to_string(),
                            Document::String("sso-oauth:CreateTokenWithIAM".into()),
                        ),
                        ("Resource".to_string(), Document::String("*".into())),
                    ]
                    .into_iter()
                    .collect(),
                )]),
            ),
        ]
        .into_iter()
        .collect(),
    );
    let method = AuthenticationMethod::Iam(
        IamAuthenticationMethod::builder()
            .actor_policy(policy)
            .build()
            .unwrap(),
    );
    c.sso
        .put_application_authentication_method()
        .application_arn(&app)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .authentication_method(method.clone())
        .send()
        .await
        .unwrap();
    let got = c
        .sso
        .get_application_authentication_method()
        .application_arn(&app)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .send()
        .await
        .unwrap();
    assert_eq!(got.authentication_method(), Some(&method));
    let listed = c
        .sso
        .list_application_authentication_methods()
        .application_arn(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.authentication_methods().len(), 1);
    c.sso
        .delete_application_authentication_method()
        .application_arn(&app)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .send()
        .await
        .unwrap();
    let gone = c
        .sso
        .get_application_authentication_method()
        .application_arn(&app)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
}

#[tokio::test]
async fn application_assignments() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let app = create_app(&c, &instance, "assigned").await;
    let other = create_app(&c, &instance, "other").await;
    for (kind, id) in [
        (PrincipalType::User, "u-1"),
        (PrincipalType::Group, "g-1"),
        (PrincipalType::User, "u-2"),
    ] {
        c.sso
            .create_application_assignment()
            .application_arn(&app)
            .principal_type(kind)
            .principal_id(id)
            .send()
            .await
            .unwrap();
    }
    c.sso
        .create_application_assignment()
        .application_arn(&other)
        .principal_type(PrincipalType::User)
        .principal_id("u-1")
        .send()
        .await
        .unwrap();
    let d = c
        .sso
        .describe_application_assignment()
        .application_arn(&app)
        .principal_type(PrincipalType::Group)
        .principal_id("g-1")
        .send()
        .await
        .unwrap();
    assert_eq!(d.principal_id(), Some("g-1"));
    assert_eq!(d.application_arn(), Some(app.as_str()));

    let p1 = c
        .sso
        .list_application_assignments()
        .application_arn(&app)
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(p1.application_assignments().len(), 2);
    let p2 = c
        .sso
        .list_application_assignments()
        .application_arn(&app)
        .max_results(2)
        .next_token(p1.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(p2.application_assignments().len(), 1);
    assert_eq!(p2.next_token(), None);

    let for_user = c
        .sso
        .list_application_assignments_for_principal()
        .instance_arn(&instance)
        .principal_type(PrincipalType::User)
        .principal_id("u-1")
        .send()
        .await
        .unwrap();
    let apps: Vec<_> = for_user
        .application_assignments()
        .iter()
        .filter_map(|a| a.application_arn())
        .collect();
    assert_eq!(apps, vec![app.as_str(), other.as_str()]);

    c.sso
        .delete_application_assignment()
        .application_arn(&app)
        .principal_type(PrincipalType::Group)
        .principal_id("g-1")
        .send()
        .await
        .unwrap();
    let gone = c
        .sso
        .describe_application_assignment()
        .application_arn(&app)
        .principal_type(PrincipalType::Group)
        .principal_id("g-1")
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
}

#[tokio::test]
async fn tags_on_applications() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let app = create_app(&c, &instance, "tagged").await;
    c.sso
        .tag_resource()
        .resource_arn(&app)
        .tags(tag("idplane:stack", "s"))
        .tags(tag("idplane:address", "application.chat"))
        .send()
        .await
        .unwrap();
    c.sso
        .untag_resource()
        .resource_arn(&app)
        .tag_keys("idplane:address")
        .send()
        .await
        .unwrap();
    let tags = c
        .sso
        .list_tags_for_resource()
        .resource_arn(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags(), &[tag("idplane:stack", "s")]);

    c.sso
        .delete_application()
        .application_arn(&app)
        .send()
        .await
        .unwrap();
    let gone = c
        .sso
        .list_tags_for_resource()
        .resource_arn(&app)
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
}

#[tokio::test]
async fn tag_keys_and_values_must_match_the_tag_pattern() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let app = create_app(&c, &instance, "tag-pattern").await;
    for bad in ["applications[\"x\"]", "a#b", "\"q\"", "x,y"] {
        let r = c
            .sso
            .tag_resource()
            .resource_arn(&app)
            .tags(tag("idplane:address", bad))
            .send()
            .await;
        assert_eq!(code(r), "ValidationException", "value {bad:?}");
    }
    let r = c
        .sso
        .tag_resource()
        .resource_arn(&app)
        .tags(tag("team[1]", "blue"))
        .send()
        .await;
    assert_eq!(code(r), "ValidationException", "key");
    let r = c
        .sso
        .create_trusted_token_issuer()
        .instance_arn(&instance)
        .name("tagged")
        .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
        .trusted_token_issuer_configuration(oidc("https://issuer.example.com"))
        .tags(tag(
            "idplane:address",
            "identity_center.trusted_token_issuers[\"a b\"]",
        ))
        .send()
        .await;
    assert_eq!(code(r), "ValidationException", "on create");
    // Letters of any script, spaces, digits and `_ . : / = + - @` are fine.
    c.sso
        .tag_resource()
        .resource_arn(&app)
        .tags(tag(
            "idplane:address",
            "identity_center.applications=5B=22é x=22=5D",
        ))
        .tags(tag("owner", "team-a@example.com +1 / x:y"))
        .send()
        .await
        .expect("in the tag alphabet");
}

#[tokio::test]
async fn claim_and_store_paths_and_issuer_names_follow_their_patterns() {
    let c = ctx().await;
    let instance = c.instance_arn().await;
    let config = |claim: &str, store: &str| {
        TrustedTokenIssuerConfiguration::OidcJwtConfiguration(
            OidcJwtConfiguration::builder()
                .issuer_url("https://issuer.example.com")
                .claim_attribute_path(claim)
                .identity_store_attribute_path(store)
                .jwks_retrieval_option("OPEN_ID_DISCOVERY".into())
                .build()
                .unwrap(),
        )
    };
    let create = |name: &str, cfg| {
        c.sso
            .create_trusted_token_issuer()
            .instance_arn(&instance)
            .name(name)
            .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
            .trusted_token_issuer_configuration(cfg)
            .send()
    };
    for claim in ["cognito:username", "email2", "a-b", "a.b.c.d"] {
        let r = create("paths", config(claim, "emails.value")).await;
        assert_eq!(code(r), "ValidationException", "claim {claim:?}");
    }
    let r = create("paths", config("email", "emails[0].value")).await;
    assert_eq!(code(r), "ValidationException", "store path");
    for name in ["with space", "été"] {
        let r = create(name, config("email", "emails.value")).await;
        assert_eq!(code(r), "ValidationException", "name {name:?}");
    }
    create("ok_name-1", config("custom_tenant_id", "externalIds.id"))
        .await
        .expect("letters joined by `_` and a valid name");
    let tti = create_tti(&c, &instance, "update-paths").await;
    let r = c
        .sso
        .update_trusted_token_issuer()
        .trusted_token_issuer_arn(&tti)
        .trusted_token_issuer_configuration(
            TrustedTokenIssuerUpdateConfiguration::OidcJwtConfiguration(
                OidcJwtUpdateConfiguration::builder()
                    .claim_attribute_path("cognito:username")
                    .build(),
            ),
        )
        .send()
        .await;
    assert_eq!(code(r), "ValidationException", "on update");
}
