//! Small builders for desired and observed state, and the seed-000 scenario in both forms.

use idplane_model::{
    Address, Attrs, Desired, DesiredResource, InstanceSelector, Kind, LiveObject, Mode, Observed,
    Value,
};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

pub const STACK: &str = "demo";
pub const POOL_ID: &str = "eu-west-1_AbCdEf123";
pub const CLIENT_ID: &str = "4tti0client0id0000000000aa";
pub const TTI_ARN: &str = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111/tti-2222";
pub const APP_ARN: &str = "arn:aws:sso::123456789012:application/ssoins-1111/apl-3333";
pub const SCOPES: [&str; 5] = [
    "qbusiness:messages:access",
    "qbusiness:messages:read_write",
    "qbusiness:conversations:access",
    "qbusiness:conversations:read_write",
    "qbusiness:qapps:access",
];

pub fn addr(text: &str) -> Address {
    Address::parse(text).expect("test addresses parse")
}

pub fn attrs(j: serde_json::Value) -> Attrs {
    match Value::from_json(&j) {
        Value::Map(m) => m,
        other => panic!("attrs must be a JSON object, got {other:?}"),
    }
}

/// `{"$ref": "address.output"}`.
pub fn r(address: &str, output: &str) -> serde_json::Value {
    json!({ "$ref": format!("{}.{output}", addr(address)) })
}

pub fn res(
    address: &str,
    kind: Kind,
    parent: Option<&str>,
    a: serde_json::Value,
) -> DesiredResource {
    DesiredResource {
        address: addr(address),
        kind,
        parent: parent.map(addr),
        pinned_id: None,
        mode: Mode::Managed,
        attrs: attrs(a),
        depends_on: BTreeSet::new(),
        source: None,
    }
}

pub trait ResExt {
    fn pin(self, id: &str) -> Self;
    fn dep(self, address: &str) -> Self;
    fn referenced(self) -> Self;
}

impl ResExt for DesiredResource {
    fn pin(mut self, id: &str) -> Self {
        self.pinned_id = Some(id.to_string());
        self
    }
    fn dep(mut self, address: &str) -> Self {
        self.depends_on.insert(addr(address));
        self
    }
    fn referenced(mut self) -> Self {
        self.mode = Mode::Referenced;
        self
    }
}

pub fn desired(resources: Vec<DesiredResource>) -> Desired {
    Desired {
        stack: STACK.into(),
        region: "eu-west-1".into(),
        accounts: Vec::new(),
        assume_role: None,
        identity_center: InstanceSelector::Auto,
        identity_center_region: None,
        resources: resources
            .into_iter()
            .map(|r| (r.address.clone(), r))
            .collect(),
    }
}

pub fn live(kind: Kind, id: &str, parent: Option<&str>, a: serde_json::Value) -> LiveObject {
    LiveObject {
        kind,
        id: id.into(),
        parent_id: parent.map(str::to_string),
        tags: BTreeMap::new(),
        attrs: attrs(a),
        outputs: BTreeMap::new(),
    }
}

pub trait LiveExt {
    fn tagged(self, stack: &str, address: &str) -> Self;
    fn out(self, key: &str, value: &str) -> Self;
}

impl LiveExt for LiveObject {
    fn tagged(mut self, stack: &str, address: &str) -> Self {
        self.tags
            .insert(idplane_model::TAG_STACK.into(), stack.into());
        self.tags
            .insert(idplane_model::TAG_ADDRESS.into(), addr(address).to_string());
        self
    }
    fn out(mut self, key: &str, value: &str) -> Self {
        self.outputs.insert(key.into(), value.into());
        self
    }
}

pub fn observed(objects: Vec<LiveObject>) -> Observed {
    let mut o = Observed {
        identity_center: Some(idplane_model::IdentityCenterInstance {
            instance_arn: "arn:aws:sso:::instance/ssoins-1111".into(),
            identity_store_id: "d-1111111111".into(),
        }),
        objects,
    };
    o.normalize_order();
    o
}

pub const POOL: &str = "user_pools.blog";
pub const DOMAIN: &str = "user_pools.blog.domain";
pub const CLIENT: &str = "user_pools.blog.clients.tti";
pub const IDP: &str = "user_pools.blog.identity_providers.IAMIdentityCenter";
pub const TTI: &str = "identity_center.trusted_token_issuers.cognito";
pub const APP: &str = "identity_center.applications.demo";

pub fn scope_addr(scope: &str) -> String {
    addr(APP).child(["access_scopes", scope]).to_string()
}

/// The seed-000 stack as the spec lowers it (the pool adopted by its pinned id).
pub fn seed000_desired() -> Vec<DesiredResource> {
    let mut v = vec![
        res(
            POOL,
            Kind::UserPool,
            None,
            json!({
                "name": "BlogTrustedTokenIssuer",
                "alias_attributes": ["email"],
                "schema": {"email": {"attribute_data_type": "String", "required": true, "mutable": true}},
                "admin_create_user_config": {"allow_admin_create_user_only": true},
            }),
        )
        .pin(POOL_ID),
        res(DOMAIN, Kind::UserPoolDomain, Some(POOL), json!({"domain": "demo-tti"})),
        res(
            CLIENT,
            Kind::UserPoolClient,
            Some(POOL),
            json!({
                "name": "TTI",
                "explicit_auth_flows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
                "allowed_oauth_flows_user_pool_client": true,
                "allowed_oauth_scopes": ["openid", "email", "profile"],
                "allowed_oauth_flows": ["code"],
                "callback_urls": ["http://localhost:8080"],
                "supported_identity_providers": ["COGNITO", "IAMIdentityCenter"],
            }),
        )
        .dep(IDP),
        res(
            IDP,
            Kind::IdentityProvider,
            Some(POOL),
            json!({
                "name": "IAMIdentityCenter",
                "provider_type": "SAML",
                "provider_details": {"MetadataURL": "https://portal.sso.eu-west-1.amazonaws.com/saml/metadata/abc"},
                "attribute_mapping": {"email": "Subject"},
            }),
        ),
        res(
            TTI,
            Kind::TrustedTokenIssuer,
            None,
            json!({
                "name": "cognito",
                "issuer_url": r(POOL, "issuer_url"),
                "claim_attribute_path": "email",
                "identity_store_attribute_path": "emails.value",
                "jwks_retrieval_option": "OPEN_ID_DISCOVERY",
            }),
        ),
        res(APP, Kind::Application, None, json!({"name": "DemoApplication"})),
        res(
            &format!("{APP}.assignment_configuration"),
            Kind::ApplicationAssignmentConfiguration,
            Some(APP),
            json!({"assignment_required": false}),
        ),
        res(
            &format!("{APP}.grants.jwt_bearer"),
            Kind::ApplicationGrant,
            Some(APP),
            json!({
                "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "grant": {"authorized_token_issuers": [{
                    "trusted_token_issuer_arn": r(TTI, "arn"),
                    "authorized_audiences": [r(CLIENT, "id")],
                }]},
            }),
        ),
        res(
            &format!("{APP}.authentication_methods.iam"),
            Kind::ApplicationAuthenticationMethod,
            Some(APP),
            json!({
                "method_type": "IAM",
                "actor_policy": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": {"AWS": "123456789012"},
                        "Action": "sso-oauth:CreateTokenWithIAM",
                        "Resource": r(APP, "arn"),
                    }],
                },
            }),
        ),
    ];
    for s in SCOPES {
        v.push(res(
            &scope_addr(s),
            Kind::ApplicationAccessScope,
            Some(APP),
            json!({"scope": s}),
        ));
    }
    v
}

fn string_attr(name: &str, required: bool, min: &str, max: &str) -> (String, serde_json::Value) {
    (
        name.to_string(),
        json!({"attribute_data_type": "String", "developer_only": false, "mutable": name != "sub",
               "required": required,
               "string_constraints": {"min_length": min, "max_length": max}}),
    )
}

/// DescribeUserPool's schema for a pool created with `--schema Name=email,Required=true,...`:
/// every standard attribute, with AWS's constraint strings.
pub fn aws_standard_schema() -> serde_json::Value {
    let mut m = serde_json::Map::new();
    let mut put = |(k, v): (String, serde_json::Value)| {
        m.insert(k, v);
    };
    put(string_attr("sub", true, "1", "2048"));
    for n in [
        "name",
        "given_name",
        "family_name",
        "middle_name",
        "nickname",
        "preferred_username",
        "profile",
        "picture",
        "website",
        "gender",
        "zoneinfo",
        "locale",
        "phone_number",
        "address",
    ] {
        put(string_attr(n, false, "0", "2048"));
    }
    put(string_attr("email", true, "0", "2048"));
    put(string_attr("birthdate", false, "10", "10"));
    for n in ["email_verified", "phone_number_verified"] {
        put((
            n.to_string(),
            json!({"attribute_data_type": "Boolean", "developer_only": false, "mutable": true, "required": false}),
        ));
    }
    put((
        "updated_at".into(),
        json!({"attribute_data_type": "Number", "developer_only": false, "mutable": true,
               "required": false, "number_constraints": {"min_value": "0"}}),
    ));
    put((
        "identities".into(),
        json!({"attribute_data_type": "String", "developer_only": false, "mutable": true,
               "required": false, "string_constraints": {}}),
    ));
    serde_json::Value::Object(m)
}

/// The live objects the seed-000 script (AWS CLI, no tags) leaves, as the provider maps them.
pub fn seed000_live() -> Vec<LiveObject> {
    let issuer = format!("https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}");
    let mut v = vec![
        live(
            Kind::UserPool,
            POOL_ID,
            None,
            json!({
                "name": "BlogTrustedTokenIssuer",
                "alias_attributes": ["email"],
                "schema": aws_standard_schema(),
                "password_policy": {"minimum_length": 8, "require_uppercase": true,
                    "require_lowercase": true, "require_numbers": true, "require_symbols": true,
                    "temporary_password_validity_days": 7},
                "mfa_configuration": "OFF",
                "admin_create_user_config": {"allow_admin_create_user_only": true,
                    "unused_account_validity_days": 7},
                "account_recovery": [{"name": "verified_phone_number", "priority": 2},
                                     {"name": "verified_email", "priority": 1}],
                "email_configuration": {"email_sending_account": "COGNITO_DEFAULT"},
                "verification_message_template": {"default_email_option": "CONFIRM_WITH_CODE"},
                "lambda_config": {},
                "deletion_protection": "INACTIVE",
                "tags": {},
                "estimated_number_of_users": 0,
                "user_pool_tier": "ESSENTIALS",
            }),
        )
        .out("id", POOL_ID)
        .out("arn", &format!("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/{POOL_ID}"))
        .out("issuer_url", &issuer)
        .out("provider_name", &format!("cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}")),
        live(
            Kind::UserPoolDomain,
            "demo-tti",
            Some(POOL_ID),
            json!({"domain": "demo-tti", "managed_login_version": 1}),
        )
        .out("domain", "demo-tti"),
        live(
            Kind::UserPoolClient,
            CLIENT_ID,
            Some(POOL_ID),
            json!({
                "name": "TTI",
                "explicit_auth_flows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                "allowed_oauth_flows": ["code"],
                "allowed_oauth_scopes": ["email", "openid", "profile"],
                "allowed_oauth_flows_user_pool_client": true,
                "callback_urls": ["http://localhost:8080"],
                "supported_identity_providers": ["IAMIdentityCenter", "COGNITO"],
                "refresh_token_validity": 2592000,
                "auth_session_validity": 3,
                "enable_token_revocation": true,
                "prevent_user_existence_errors": "LEGACY",
                "enable_propagate_additional_user_context_data": false,
            }),
        )
        .out("id", CLIENT_ID),
        live(
            Kind::IdentityProvider,
            "IAMIdentityCenter",
            Some(POOL_ID),
            json!({
                "name": "IAMIdentityCenter",
                "provider_type": "SAML",
                "provider_details": {
                    "MetadataURL": "https://portal.sso.eu-west-1.amazonaws.com/saml/metadata/abc",
                    "ActiveEncryptionCertificate": "MIICvDCCAaSgAwIBAgIIYmFuYW5h",
                    "SSORedirectBindingURI": "https://portal.sso.eu-west-1.amazonaws.com/saml/assertion/abc",
                    "IDPSignout": "false",
                },
                "attribute_mapping": {"email": "Subject"},
                "idp_identifiers": [],
            }),
        )
        .out("name", "IAMIdentityCenter"),
        live(
            Kind::TrustedTokenIssuer,
            TTI_ARN,
            None,
            json!({
                "name": "cognito", "issuer_type": "OIDC_JWT", "issuer_url": issuer,
                "claim_attribute_path": "email", "identity_store_attribute_path": "emails.value",
                "jwks_retrieval_option": "OPEN_ID_DISCOVERY", "tags": {},
            }),
        )
        .out("arn", TTI_ARN),
        live(
            Kind::Application,
            APP_ARN,
            None,
            json!({
                "name": "DemoApplication",
                "application_provider_arn": "arn:aws:sso::aws:applicationProvider/custom",
                "status": "ENABLED",
                "portal_options": {"visibility": "ENABLED", "sign_in_options": {"origin": "IDENTITY_CENTER"}},
                "tags": {},
            }),
        )
        .out("arn", APP_ARN),
        live(
            Kind::ApplicationAssignmentConfiguration,
            "assignment_configuration",
            Some(APP_ARN),
            json!({"assignment_required": false}),
        ),
        live(
            Kind::ApplicationGrant,
            "urn:ietf:params:oauth:grant-type:jwt-bearer",
            Some(APP_ARN),
            json!({
                "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "grant": {"authorized_token_issuers": [{
                    "trusted_token_issuer_arn": TTI_ARN, "authorized_audiences": [CLIENT_ID]}]},
            }),
        ),
        live(
            Kind::ApplicationAuthenticationMethod,
            "IAM",
            Some(APP_ARN),
            json!({
                "method_type": "IAM",
                "actor_policy": format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":["123456789012"]}},"Action":["sso-oauth:CreateTokenWithIAM"],"Resource":"{APP_ARN}"}}]}}"#
                ),
            }),
        ),
    ];
    for s in SCOPES {
        v.push(live(
            Kind::ApplicationAccessScope,
            s,
            Some(APP_ARN),
            json!({"scope": s, "authorized_targets": []}),
        ));
    }
    v
}

/// Replaces the live object of `kind` with `id` through `f`.
pub fn edit(objects: &mut [LiveObject], kind: Kind, id: &str, f: impl FnOnce(&mut LiveObject)) {
    let o = objects
        .iter_mut()
        .find(|o| o.kind == kind && o.id == id)
        .unwrap_or_else(|| panic!("no live {kind} `{id}` in the fixture"));
    f(o);
}

/// Replaces a desired resource's attributes through `f`.
pub fn edit_desired(
    resources: &mut [DesiredResource],
    address: &str,
    f: impl FnOnce(&mut DesiredResource),
) {
    let a = addr(address);
    let r = resources
        .iter_mut()
        .find(|r| r.address == a)
        .unwrap_or_else(|| panic!("no desired resource {a} in the fixture"));
    f(r);
}
