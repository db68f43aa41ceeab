//! A desired state built in Rust (independent of the spec language): a user pool with a
//! client, a group and a resource server, an identity pool trusting the client, and the Identity
//! Center side of seed 000 (trusted token issuer, application with a jwt-bearer grant naming the
//! client, a scope, an IAM authentication method and its assignment configuration), plus an
//! Identity Store group.

use idplane_model::{
    Address, Attrs, Desired, DesiredResource, InstanceSelector, Kind, Mode, Reference, Value,
};
use std::collections::{BTreeMap, BTreeSet};

pub const POOL: &str = "user_pools.main";
pub const CLIENT: &str = "user_pools.main.clients.web";
pub const GROUP: &str = "user_pools.main.groups.admins";
pub const SERVER: &str = "user_pools.main.resource_servers.api";
pub const IDENTITY_POOL: &str = "identity_pools.main";
pub const TTI: &str = "identity_center.trusted_token_issuers.cognito";
pub const APP: &str = "identity_center.applications.app";
pub const GRANT: &str = "identity_center.applications.app.grants.jwt_bearer";
pub const SCOPE: &str = "identity_center.applications.app.access_scopes.messages";
pub const METHOD: &str = "identity_center.applications.app.authentication_methods.iam";
pub const ASSIGNMENT_CONFIG: &str = "identity_center.applications.app.assignment_configuration";
pub const STORE_GROUP: &str = "identity_store.groups.eng";

pub fn addr(s: &str) -> Address {
    Address::parse(s).expect("a valid address")
}

pub fn s(v: &str) -> Value {
    Value::str(v)
}

pub fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

pub fn map(pairs: Vec<(&str, Value)>) -> Value {
    Value::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

pub fn reference(address: &str, output: &str) -> Value {
    Value::Ref(Reference {
        address: addr(address),
        output: output.into(),
    })
}

fn resource(
    address: &str,
    kind: Kind,
    parent: Option<&str>,
    attrs: Vec<(&str, Value)>,
) -> DesiredResource {
    let attrs: Attrs = attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let mut depends_on: BTreeSet<Address> = parent.map(addr).into_iter().collect();
    let mut refs = Vec::new();
    for v in attrs.values() {
        v.references(&mut refs);
    }
    depends_on.extend(refs.into_iter().map(|r| r.address));
    DesiredResource {
        address: addr(address),
        kind,
        parent: parent.map(addr),
        pinned_id: None,
        mode: Mode::Managed,
        attrs,
        depends_on,
        source: None,
    }
}

/// The stack named `stack` (pool names carry it, since names are not unique).
pub fn desired(stack: &str) -> Desired {
    let resources = vec![
        resource(
            POOL,
            Kind::UserPool,
            None,
            vec![
                ("name", s(&format!("{stack}-pool"))),
                ("alias_attributes", list(&["email"])),
                ("auto_verified_attributes", list(&["email"])),
                (
                    "admin_create_user_config",
                    map(vec![("allow_admin_create_user_only", Value::Bool(true))]),
                ),
                ("mfa_configuration", s("OFF")),
            ],
        ),
        resource(
            CLIENT,
            Kind::UserPoolClient,
            Some(POOL),
            vec![
                ("name", s("web")),
                ("allowed_oauth_flows", list(&["code"])),
                (
                    "allowed_oauth_scopes",
                    list(&["email", "openid", "profile"]),
                ),
                ("allowed_oauth_flows_user_pool_client", Value::Bool(true)),
                ("callback_urls", list(&["https://app.example.com/callback"])),
                ("logout_urls", list(&["https://app.example.com/logout"])),
                ("supported_identity_providers", list(&["COGNITO"])),
            ],
        ),
        resource(
            GROUP,
            Kind::UserPoolGroup,
            Some(POOL),
            vec![
                ("name", s("admins")),
                ("description", s("Administrators")),
                ("precedence", Value::Int(1)),
            ],
        ),
        resource(
            SERVER,
            Kind::ResourceServer,
            Some(POOL),
            vec![
                ("identifier", s("https://api.example.com")),
                ("name", s("api")),
                ("scopes", map(vec![("read", s("Read things"))])),
            ],
        ),
        resource(
            IDENTITY_POOL,
            Kind::IdentityPool,
            None,
            vec![
                ("name", s(&format!("{stack}_identities"))),
                (
                    "cognito_identity_providers",
                    Value::List(vec![map(vec![
                        ("provider_name", reference(POOL, "provider_name")),
                        ("client_id", reference(CLIENT, "id")),
                        ("server_side_token_check", Value::Bool(false)),
                    ])]),
                ),
            ],
        ),
        resource(
            TTI,
            Kind::TrustedTokenIssuer,
            None,
            vec![
                ("name", s(&format!("{stack}-cognito"))),
                ("issuer_url", reference(POOL, "issuer_url")),
                ("claim_attribute_path", s("email")),
                ("identity_store_attribute_path", s("emails.value")),
            ],
        ),
        resource(
            APP,
            Kind::Application,
            None,
            vec![
                ("name", s(&format!("{stack}-app"))),
                ("description", s("Token exchange for the web client")),
            ],
        ),
        resource(
            GRANT,
            Kind::ApplicationGrant,
            Some(APP),
            vec![
                (
                    "grant_type",
                    s("urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ),
                (
                    "grant",
                    map(vec![(
                        "authorized_token_issuers",
                        Value::List(vec![map(vec![
                            ("trusted_token_issuer_arn", reference(TTI, "arn")),
                            (
                                "authorized_audiences",
                                Value::List(vec![reference(CLIENT, "id")]),
                            ),
                        ])]),
                    )]),
                ),
            ],
        ),
        resource(
            SCOPE,
            Kind::ApplicationAccessScope,
            Some(APP),
            vec![
                ("scope", s("qbusiness:messages:access")),
                (
                    "authorized_targets",
                    Value::List(vec![reference(APP, "arn")]),
                ),
            ],
        ),
        resource(
            METHOD,
            Kind::ApplicationAuthenticationMethod,
            Some(APP),
            vec![
                ("method_type", s("IAM")),
                (
                    "actor_policy",
                    map(vec![
                        ("Version", s("2012-10-17")),
                        (
                            "Statement",
                            Value::List(vec![map(vec![
                                ("Effect", s("Allow")),
                                (
                                    "Principal",
                                    map(vec![("AWS", s("arn:aws:iam::123456789012:root"))]),
                                ),
                                ("Action", s("sso-oauth:CreateTokenWithIAM")),
                                ("Resource", s("*")),
                            ])]),
                        ),
                    ]),
                ),
            ],
        ),
        resource(
            ASSIGNMENT_CONFIG,
            Kind::ApplicationAssignmentConfiguration,
            Some(APP),
            vec![("assignment_required", Value::Bool(false))],
        ),
        resource(
            STORE_GROUP,
            Kind::IdentityStoreGroup,
            None,
            vec![
                ("display_name", s(&format!("{stack}-eng"))),
                ("description", s("Engineering")),
            ],
        ),
    ];
    Desired {
        stack: stack.to_string(),
        region: "us-east-1".into(),
        accounts: Vec::new(),
        assume_role: None,
        identity_center: InstanceSelector::Auto,
        identity_center_region: None,
        resources: resources
            .into_iter()
            .map(|r| (r.address.clone(), r))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// Sets one attribute of one resource.
pub fn set(d: &mut Desired, address: &str, key: &str, v: Value) {
    d.resources
        .get_mut(&addr(address))
        .expect("resource in the stack")
        .attrs
        .insert(key.to_string(), v);
}
