//! `lower(export(x)) == x` for a representative live object of every kind: the live state is
//! exported to YAML, the YAML is loaded back as a spec, and each object's desired attributes
//! (references resolved to the live values they name) equal its live attributes, both
//! normalized as the planner compares them. No AWS: the live objects are written here with the
//! shapes `idplane-aws` reads (the emulator export tests cover the reading).

use idplane_model::normalize;
use idplane_model::{Address, Kind, LiveObject, Observed, Secret, Value};
use idplane_spec::export::{Selection, export};
use idplane_spec::{LoadOptions, load_str};
use serde_json::json;
use std::collections::BTreeMap;

const POOL: &str = "us-east-1_Abc123";
const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123";
const PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123";
const CLIENT: &str = "1example23456789";
const TTI: &str = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111111111111111/tti-1";
const APP: &str = "arn:aws:sso::123456789012:application/ssoins-1111111111111111/apl-1";
const STORE_USER: &str = "90676a2e-1111-2222-3333-444444444444";
const STORE_GROUP: &str = "90676a2e-5555-6666-7777-888888888888";

fn obj(kind: Kind, id: &str, parent: Option<&str>, attrs: serde_json::Value) -> LiveObject {
    let Value::Map(mut attrs) = Value::from_json(&attrs) else {
        panic!("attrs are a map")
    };
    // A secret AWS returns, as `idplane-aws` holds it (source `aws`).
    if let Some(Value::Map(details)) = attrs.get_mut("provider_details")
        && details.contains_key("client_secret")
    {
        details.insert(
            "client_secret".into(),
            Value::Secret(Secret::from_plaintext("aws", "not-a-real-secret")),
        );
    }
    LiveObject {
        kind,
        id: id.into(),
        parent_id: parent.map(str::to_string),
        tags: Default::default(),
        attrs,
        outputs: Default::default(),
    }
}

fn arn(service: &str, rest: &str) -> String {
    format!("arn:aws:{service}:us-east-1:123456789012:{rest}")
}

/// One live object per kind (two identity providers: SAML and OIDC; every grant type), each with
/// its fields away from AWS's defaults, and the address its export lowers to.
fn estate() -> Vec<(&'static str, LiveObject)> {
    let mut pool = obj(
        Kind::UserPool,
        POOL,
        None,
        json!({
            "name": "Blog Pool",
            "alias_attributes": ["email"],
            "username_case_sensitive": false,
            "schema": {
                "email": {"attribute_data_type": "String", "required": true, "mutable": true},
                "custom:tenant": {"attribute_data_type": "String", "mutable": true,
                                  "string_constraints": {"min_length": "1", "max_length": "64"}},
                "custom:level": {"attribute_data_type": "Number", "mutable": false,
                                 "number_constraints": {"min_value": "0", "max_value": "9"}}
            },
            "auto_verified_attributes": ["email"],
            "password_policy": {"minimum_length": 12, "require_uppercase": true,
                                "require_lowercase": true, "require_numbers": true,
                                "require_symbols": false, "temporary_password_validity_days": 3,
                                "password_history_size": 5},
            "mfa_configuration": "OPTIONAL",
            "software_token_mfa": true,
            "admin_create_user_config": {
                "allow_admin_create_user_only": true,
                "invite_message_template": {"email_subject": "Welcome",
                                            "email_message": "Hello {username}, code {####}",
                                            "sms_message": "Hi {username} {####}"}
            },
            "account_recovery": [{"name": "verified_email", "priority": 1},
                                 {"name": "verified_phone_number", "priority": 2}],
            "email_configuration": {"email_sending_account": "DEVELOPER",
                                    "source_arn": arn("ses", "identity/example.com"),
                                    "from": "Blog <no-reply@example.com>",
                                    "reply_to_email_address": "help@example.com"},
            "sms_configuration": {"sns_caller_arn": "arn:aws:iam::123456789012:role/sms",
                                  "external_id": "blog-sms", "sns_region": "us-east-1"},
            "verification_message_template": {"default_email_option": "CONFIRM_WITH_LINK",
                                              "email_subject_by_link": "Verify",
                                              "email_message_by_link": "Click {##here##}"},
            "lambda_config": {
                "pre_sign_up": arn("lambda", "function:pre-sign-up"),
                "pre_token_generation": arn("lambda", "function:pre-token"),
                "pre_token_generation_config": {"lambda_arn": arn("lambda", "function:pre-token"),
                                                "lambda_version": "V2_0"}
            },
            "deletion_protection": "ACTIVE",
            "issuer_type": "UPDATED",
            "tags": {"team": "identity"}
        }),
    );
    pool.outputs = BTreeMap::from([
        ("id".into(), POOL.into()),
        ("issuer_url".into(), ISSUER.into()),
        ("provider_name".into(), PROVIDER.into()),
    ]);
    let p = Some(POOL);
    vec![
        ("user_pools.blog_pool", pool),
        (
            "user_pools.blog_pool.domain",
            obj(
                Kind::UserPoolDomain,
                "blog-auth",
                p,
                json!({"domain": "blog-auth", "managed_login_version": 1}),
            ),
        ),
        (
            "user_pools.blog_pool.identity_providers.Corp",
            obj(
                Kind::IdentityProvider,
                "Corp",
                p,
                json!({"name": "Corp", "provider_type": "SAML",
                       "provider_details": {"MetadataURL": "https://corp.example.com/metadata.xml",
                                            "IDPSignout": "true", "EncryptedResponses": "true",
                                            "IDPInit": "true",
                                            "RequestSigningAlgorithm": "rsa-sha256"},
                       "attribute_mapping": {"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"},
                       "idp_identifiers": ["corp.example.com"]}),
            ),
        ),
        (
            "user_pools.blog_pool.identity_providers.Partner",
            obj(
                Kind::IdentityProvider,
                "Partner",
                p,
                json!({"name": "Partner", "provider_type": "OIDC",
                       "provider_details": {"client_id": "partner-client",
                                            "client_secret": "set by obj()",
                                            "authorize_scopes": "email openid",
                                            "oidc_issuer": "https://idp.example.com",
                                            "attributes_request_method": "POST"},
                       "attribute_mapping": {"email": "email", "username": "sub"}}),
            ),
        ),
        (
            "user_pools.blog_pool.resource_servers.api",
            obj(
                Kind::ResourceServer,
                "https://api.example.com",
                p,
                json!({"identifier": "https://api.example.com", "name": "API",
                       "scopes": {"read": "Read access", "write": "Write access"}}),
            ),
        ),
        (
            "user_pools.blog_pool.clients.tti",
            obj(
                Kind::UserPoolClient,
                CLIENT,
                p,
                json!({"name": "TTI", "generate_secret": true,
                       "explicit_auth_flows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
                       "allowed_oauth_flows_user_pool_client": true,
                       "allowed_oauth_flows": ["code"],
                       "allowed_oauth_scopes": ["openid", "email", "https://api.example.com/read"],
                       "callback_urls": ["https://app.example.com/cb"],
                       "logout_urls": ["https://app.example.com/bye"],
                       "default_redirect_uri": "https://app.example.com/cb",
                       "supported_identity_providers": ["COGNITO", "Partner"],
                       "access_token_validity": 7200, "id_token_validity": 7200,
                       "refresh_token_validity": 2_592_000, "auth_session_validity": 5,
                       "read_attributes": ["email", "custom:tenant"],
                       "write_attributes": ["email"],
                       "enable_token_revocation": false,
                       "prevent_user_existence_errors": "ENABLED",
                       "enable_propagate_additional_user_context_data": true}),
            ),
        ),
        (
            "user_pools.blog_pool.groups.admins",
            obj(
                Kind::UserPoolGroup,
                "admins",
                p,
                json!({"name": "admins", "description": "Administrators", "precedence": 1,
                       "role_arn": "arn:aws:iam::123456789012:role/admins"}),
            ),
        ),
        (
            "identity_pools.blog_identities",
            obj(
                Kind::IdentityPool,
                "us-east-1:11111111-2222-3333-4444-555555555555",
                None,
                json!({"name": "Blog Identities",
                       "allow_unauthenticated_identities": true,
                       "allow_classic_flow": true,
                       "cognito_identity_providers": [{"provider_name": PROVIDER,
                                                       "client_id": CLIENT,
                                                       "server_side_token_check": true}],
                       "openid_connect_provider_arns": ["arn:aws:iam::123456789012:oidc-provider/idp.example.com"],
                       "saml_provider_arns": ["arn:aws:iam::123456789012:saml-provider/corp"],
                       "supported_login_providers": {"accounts.google.com": "123.apps.googleusercontent.com"},
                       "developer_provider_name": "login.blog",
                       "roles": {"authenticated": "arn:aws:iam::123456789012:role/auth",
                                 "unauthenticated": "arn:aws:iam::123456789012:role/guest"},
                       "role_mappings": {"cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123:1example23456789": {
                           "type": "Rules", "ambiguous_role_resolution": "Deny",
                           "rules": [{"claim": "cognito:groups", "match_type": "Contains",
                                      "value": "admins",
                                      "role_arn": "arn:aws:iam::123456789012:role/admins"}]}},
                       "tags": {"team": "identity"}}),
            ),
        ),
        (
            "identity_center.trusted_token_issuers.cognito",
            obj(
                Kind::TrustedTokenIssuer,
                TTI,
                None,
                json!({"name": "cognito", "issuer_url": ISSUER,
                       "claim_attribute_path": "email",
                       "identity_store_attribute_path": "emails.value",
                       "jwks_retrieval_option": "OPEN_ID_DISCOVERY",
                       "tags": {"team": "identity"}}),
            ),
        ),
        (
            "identity_center.applications.demo",
            obj(
                Kind::Application,
                APP,
                None,
                json!({"name": "Demo", "description": "The demo application",
                       "status": "DISABLED",
                       "portal_options": {"visibility": "ENABLED",
                                          "sign_in_options": {"origin": "APPLICATION",
                                                              "application_url": "https://app.example.com"}},
                       "tags": {"team": "identity"}}),
            ),
        ),
        (
            "identity_center.applications.demo.assignment_configuration",
            obj(
                Kind::ApplicationAssignmentConfiguration,
                "assignment_configuration",
                Some(APP),
                json!({"assignment_required": true}),
            ),
        ),
        (
            "identity_center.applications.demo.assignments.USER:alice",
            obj(
                Kind::ApplicationAssignment,
                "USER:alice",
                Some(APP),
                json!({"principal_type": "USER", "principal_name": "alice",
                       "principal": "USER:alice"}),
            ),
        ),
        (
            "identity_center.applications.demo.assignments.GROUP:Admins",
            obj(
                Kind::ApplicationAssignment,
                "GROUP:Admins",
                Some(APP),
                json!({"principal_type": "GROUP", "principal_name": "Admins",
                       "principal": "GROUP:Admins"}),
            ),
        ),
        (
            "identity_center.applications.demo.grants.authorization_code",
            obj(
                Kind::ApplicationGrant,
                "authorization_code",
                Some(APP),
                json!({"grant_type": "authorization_code",
                       "grant": {"redirect_uris": ["https://app.example.com/cb"]}}),
            ),
        ),
        (
            "identity_center.applications.demo.grants.refresh_token",
            obj(
                Kind::ApplicationGrant,
                "refresh_token",
                Some(APP),
                json!({"grant_type": "refresh_token", "grant": {}}),
            ),
        ),
        (
            "identity_center.applications.demo.grants.token_exchange",
            obj(
                Kind::ApplicationGrant,
                "urn:ietf:params:oauth:grant-type:token-exchange",
                Some(APP),
                json!({"grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
                       "grant": {}}),
            ),
        ),
        (
            "identity_center.applications.demo.grants.jwt_bearer",
            obj(
                Kind::ApplicationGrant,
                "urn:ietf:params:oauth:grant-type:jwt-bearer",
                Some(APP),
                json!({"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                       "grant": {"authorized_token_issuers": [
                           {"trusted_token_issuer_arn": TTI, "authorized_audiences": [CLIENT]}]}}),
            ),
        ),
        (
            "identity_center.applications.demo.access_scopes.qbusiness:messages:access",
            obj(
                Kind::ApplicationAccessScope,
                "qbusiness:messages:access",
                Some(APP),
                json!({"scope": "qbusiness:messages:access", "authorized_targets": [APP]}),
            ),
        ),
        (
            "identity_center.applications.demo.authentication_methods.iam",
            obj(
                Kind::ApplicationAuthenticationMethod,
                "IAM",
                Some(APP),
                json!({"method_type": "IAM",
                       "actor_policy": {"Version": "2012-10-17",
                                        "Statement": [{"Effect": "Allow",
                                                       "Principal": {"AWS": "123456789012"},
                                                       "Action": "sso-oauth:CreateTokenWithIAM",
                                                       "Resource": "*"}]}}),
            ),
        ),
        (
            "identity_store.users.alice",
            obj(
                Kind::IdentityStoreUser,
                STORE_USER,
                None,
                json!({"user_name": "alice", "display_name": "Alice Liddell",
                       "given_name": "Alice", "family_name": "Liddell",
                       "email": "alice@example.com"}),
            ),
        ),
        (
            "identity_store.groups.Admins",
            obj(
                Kind::IdentityStoreGroup,
                STORE_GROUP,
                None,
                json!({"display_name": "Admins", "description": "People who administer"}),
            ),
        ),
        (
            "identity_store.groups.Admins.members.alice",
            obj(
                Kind::IdentityStoreGroupMembership,
                "membership-1",
                Some(STORE_GROUP),
                json!({"user_name": "alice"}),
            ),
        ),
    ]
}

/// The live text each `${address.output}` the export writes stands for.
fn outputs() -> BTreeMap<String, &'static str> {
    BTreeMap::from([
        ("user_pools.blog_pool.issuer_url".into(), ISSUER),
        ("user_pools.blog_pool.provider_name".into(), PROVIDER),
        ("user_pools.blog_pool.clients.tti.id".into(), CLIENT),
        (
            "identity_center.trusted_token_issuers.cognito.arn".into(),
            TTI,
        ),
        ("identity_center.applications.demo.arn".into(), APP),
    ])
}

/// A value with its references replaced by the live text they name and its secrets by their
/// source (export writes a reference to a secret, never the secret).
fn comparable(v: &Value, outputs: &BTreeMap<String, &'static str>) -> Value {
    match v {
        Value::Ref(r) => {
            let key = format!("{}.{}", r.address, r.output);
            Value::str(*outputs.get(&key).unwrap_or_else(|| panic!("no live {key}")))
        }
        Value::Secret(_) => Value::str("(secret)"),
        Value::List(l) => Value::List(l.iter().map(|x| comparable(x, outputs)).collect()),
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, x)| (k.clone(), comparable(x, outputs)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Exports the estate, loads the YAML back, and checks every object of `kind`.
fn round_trip(kind: Kind) {
    let estate = estate();
    let observed = Observed {
        identity_center: None,
        objects: estate.iter().map(|(_, o)| o.clone()).collect(),
    };
    let out = export(&observed, "round-trip", "us-east-1", &Selection::default());
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let loaded = load_str("exported.yaml", &out.yaml, &LoadOptions::default());
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}:{}: {} {}", d.line, d.col, d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{}\n{}", errors.join("\n"), out.yaml);
    let desired = loaded.desired.expect("the exported spec lowers");
    let outputs = outputs();
    let mut checked = 0;
    for (address, live) in estate.iter().filter(|(_, o)| o.kind == kind) {
        let address = Address::parse(address).expect("an address");
        let r = desired
            .resources
            .get(&address)
            .unwrap_or_else(|| panic!("`{address}` is not in the lowered export:\n{}", out.yaml));
        assert_eq!(r.kind, kind, "{address}");
        let lowered = comparable(&Value::Map(normalize(kind, &r.attrs)), &outputs);
        let expected = comparable(&Value::Map(normalize(kind, &live.attrs)), &outputs);
        assert_eq!(
            lowered, expected,
            "`{address}`: lower(export(x)) != x\n{}",
            out.yaml
        );
        checked += 1;
    }
    assert!(checked > 0, "the estate has no {kind}");
}

#[test]
fn the_estate_has_an_object_of_every_kind() {
    let estate = estate();
    for kind in Kind::ALL {
        assert!(
            estate.iter().any(|(_, o)| o.kind == kind),
            "add a representative {kind} to estate() and a round-trip test for it"
        );
    }
}

#[test]
fn an_exported_oidc_secret_lowers_to_an_env_reference() {
    let observed = Observed {
        identity_center: None,
        objects: estate().into_iter().map(|(_, o)| o).collect(),
    };
    let out = export(&observed, "round-trip", "us-east-1", &Selection::default());
    let loaded = load_str("exported.yaml", &out.yaml, &LoadOptions::default());
    let desired = loaded.desired.expect("the exported spec lowers");
    let idp = &desired.resources
        [&Address::parse("user_pools.blog_pool.identity_providers.Partner").unwrap()];
    let secret = idp.attrs["provider_details"].as_map().unwrap()["client_secret"].clone();
    let Value::Secret(s) = secret else {
        panic!("a secret: {secret:?}")
    };
    assert_eq!(s.source(), "env:IDPLANE_SECRET_BLOG_POOL_PARTNER");
    assert!(!out.yaml.contains("not-a-real-secret"));
}

macro_rules! round_trip_tests {
    ($($name:ident: $kind:expr;)*) => {
        $(
            #[test]
            fn $name() {
                round_trip($kind);
            }
        )*
    };
}

round_trip_tests! {
    user_pool_round_trips: Kind::UserPool;
    user_pool_domain_round_trips: Kind::UserPoolDomain;
    identity_provider_round_trips: Kind::IdentityProvider;
    resource_server_round_trips: Kind::ResourceServer;
    user_pool_client_round_trips: Kind::UserPoolClient;
    user_pool_group_round_trips: Kind::UserPoolGroup;
    identity_pool_round_trips: Kind::IdentityPool;
    trusted_token_issuer_round_trips: Kind::TrustedTokenIssuer;
    application_round_trips: Kind::Application;
    application_grant_round_trips: Kind::ApplicationGrant;
    application_access_scope_round_trips: Kind::ApplicationAccessScope;
    application_authentication_method_round_trips: Kind::ApplicationAuthenticationMethod;
    application_assignment_configuration_round_trips: Kind::ApplicationAssignmentConfiguration;
    application_assignment_round_trips: Kind::ApplicationAssignment;
    identity_store_user_round_trips: Kind::IdentityStoreUser;
    identity_store_group_round_trips: Kind::IdentityStoreGroup;
    identity_store_group_membership_round_trips: Kind::IdentityStoreGroupMembership;
}
