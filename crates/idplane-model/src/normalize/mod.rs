//! Canonical forms of attributes, so that two spellings of the same meaning compare equal.
//!
//! [`normalize`] is applied to both sides (desired and live) before they are diffed. Each rule
//! below is a decision, written down so that the spec, the provider and the executor agree:
//!
//! 1. Only the kind's fields are kept (see [`Kind::info`]); anything else a provider returns is
//!    read-only or computed and dropped. `null` and absent are the same thing, and so is `""` in
//!    a field without a default.
//! 2. A field left out takes the kind's AWS default; a map default is merged under the given map
//!    (a spec that sets `password_policy.minimum_length` only keeps the other defaults).
//! 3. Set fields are sorted and deduplicated. Nested sets too (grant audiences, redirect URIs,
//!    identity-pool providers, OIDC `authorize_scopes`).
//! 4. Map entries whose value is `null` are dropped (absent).
//! 5. Ownership tags (`idplane:stack`, `idplane:address`) never appear in `tags`.
//! 6. User pool `schema`: every attribute gets its full set of properties (standard attributes
//!    from AWS's table of standard attributes, custom ones with `String`, mutable, not required,
//!    constraints 0..2048 for strings), numeric strings in constraints become integers, and a
//!    standard attribute exactly at its AWS default is dropped; `dev:custom:NAME` (how AWS lists
//!    developer-only attributes) becomes `custom:NAME` with `developer_only: true`. So a live pool that lists all 20
//!    standard attributes and a spec that lists only `email` compare equal.
//! 7. `password_policy.password_history_size: 0` (AWS's "off") is dropped, as if absent;
//!    `admin_create_user_config.unused_account_validity_days` (deprecated, read-only echo of the
//!    temporary password validity) is dropped; `lambda_config.pre_token_generation` is the
//!    `lambda_arn` of `pre_token_generation_config` when that is set (AWS keeps them equal), and a
//!    `pre_token_generation_config` equal to the plain trigger at `V1_0` is dropped (a plain
//!    trigger is `V1_0`).
//! 8. `account_recovery` is ordered by priority (its order carries no other meaning).
//! 9. Identity provider `provider_details`: values are strings as AWS stores them (`true` ->
//!    `"true"`); read-only keys AWS adds (`ActiveEncryptionCertificate`, `SSORedirectBindingURI`,
//!    `SLORedirectBindingURI`) are dropped; `MetadataFile` is dropped when `MetadataURL` is set
//!    (AWS downloads the file from the URL); SAML gets `IDPSignout`/`IDPInit`/
//!    `EncryptedResponses` = `"false"` and OIDC `attributes_request_method` = `"GET"` when absent;
//!    OIDC `authorize_scopes` is a sorted space-separated set. The OIDC endpoints AWS discovers
//!    (`authorize_url`, ...) are kept here and ignored by [`crate::diff::differences`] when the desired
//!    side does not set them.
//! 10. Identity provider `attribute_mapping`: non-SAML providers get `username: sub` (AWS adds it).
//! 11. JSON documents (`actor_policy`) are data: text is parsed, a single `Statement` object
//!     becomes a list, `Action`/`NotAction`/`Resource`/`NotResource` and principal values become
//!     sorted lists, statements are sorted.
//! 12. Application `portal_options.visibility: ENABLED` is dropped (AWS reports it when it was
//!     never set), and an empty `portal_options` is absent.

//!
//! The rules of one kind live in its own file (`user_pool.rs`, `identity_provider.rs`, ...),
//! reached from [`normalize`] by an exhaustive `match` on the kind.

mod application;
mod documents;
mod identity_pool;
mod identity_provider;
mod user_pool;
mod values;

pub use identity_provider::{IDP_READ_ONLY_KEYS, OIDC_DISCOVERED_KEYS};
pub use user_pool::{STANDARD_ATTRIBUTES, StandardAttribute, is_standard_attribute};

use crate::kind::Field;
use crate::{Attrs, Kind, Value};
use values::{clean, merge_default, without_ownership_tags};
pub(crate) use values::{int_like, sorted_set};

/// Desired or live attributes in canonical form (see the module docs for every rule).
pub fn normalize(kind: Kind, attrs: &Attrs) -> Attrs {
    let info = kind.info();
    let mut out = Attrs::new();
    for field in info.fields {
        // An empty string in a field without a default is the same as leaving it out (AWS
        // returns `""` for some unset descriptions and URIs).
        let given = attrs
            .get(field.name)
            .filter(|v| !v.is_null())
            .filter(|v| field.default.is_some() || v.as_str() != Some(""))
            .cloned();
        let value = match given {
            Some(v) => merge_default(clean(v), field),
            None => field.default_value(),
        };
        let value = canon_field(kind, field, value);
        if !value.is_null() {
            out.insert(field.name.to_string(), value);
        }
    }
    post_process(kind, &mut out);
    out
}

fn canon_field(kind: Kind, field: &Field, v: Value) -> Value {
    let v = if field.set { sorted_set(v) } else { v };
    if field.name == "tags" {
        return without_ownership_tags(v);
    }
    match kind {
        Kind::UserPool => user_pool::canon_field(field.name, v),
        Kind::IdentityProvider => identity_provider::canon_field(field.name, v),
        Kind::IdentityPool => identity_pool::canon_field(field.name, v),
        Kind::Application => application::canon_field(field.name, v),
        Kind::ApplicationGrant => documents::canon_grant_field(field.name, v),
        Kind::ApplicationAuthenticationMethod => documents::canon_method_field(field.name, v),
        Kind::UserPoolDomain
        | Kind::ResourceServer
        | Kind::UserPoolClient
        | Kind::UserPoolGroup
        | Kind::TrustedTokenIssuer
        | Kind::ApplicationAccessScope
        | Kind::ApplicationAssignmentConfiguration
        | Kind::ApplicationAssignment
        | Kind::IdentityStoreUser
        | Kind::IdentityStoreGroup
        | Kind::IdentityStoreGroupMembership => v,
    }
}

/// Rules that look at more than one field of the object.
fn post_process(kind: Kind, out: &mut Attrs) {
    match kind {
        Kind::IdentityProvider => identity_provider::post_process(out),
        Kind::UserPool
        | Kind::UserPoolDomain
        | Kind::ResourceServer
        | Kind::UserPoolClient
        | Kind::UserPoolGroup
        | Kind::IdentityPool
        | Kind::TrustedTokenIssuer
        | Kind::Application
        | Kind::ApplicationGrant
        | Kind::ApplicationAccessScope
        | Kind::ApplicationAuthenticationMethod
        | Kind::ApplicationAssignmentConfiguration
        | Kind::ApplicationAssignment
        | Kind::IdentityStoreUser
        | Kind::IdentityStoreGroup
        | Kind::IdentityStoreGroupMembership => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn attrs(json: serde_json::Value) -> Attrs {
        let Value::Map(m) = Value::from_json(&json) else {
            panic!("attrs must be an object")
        };
        m
    }

    #[test]
    fn defaults_fill_and_sets_sort() {
        let a = normalize(
            Kind::UserPoolClient,
            &attrs(serde_json::json!({"name": "c", "callback_urls": ["b", "a", "b"]})),
        );
        assert_eq!(
            a["callback_urls"],
            Value::List(vec!["a".into(), "b".into()])
        );
        assert_eq!(a["access_token_validity"], Value::Int(3600));
        assert!(!a.contains_key("default_redirect_uri"));
    }

    #[test]
    fn schema_standard_defaults_drop_and_strings_become_ints() {
        let live = attrs(serde_json::json!({"schema": {
            "email": {"attribute_data_type": "String", "required": true, "mutable": true,
                      "developer_only": false,
                      "string_constraints": {"min_length": "0", "max_length": "2048"}},
            "name": {"attribute_data_type": "String", "required": false, "mutable": true,
                     "developer_only": false,
                     "string_constraints": {"min_length": "0", "max_length": "2048"}},
            "identities": {"attribute_data_type": "String", "required": false, "mutable": true,
                           "developer_only": false, "string_constraints": {}},
        }}));
        let spec = attrs(serde_json::json!({"schema": {
            "email": {"attribute_data_type": "String", "required": true, "mutable": true}
        }}));
        assert_eq!(
            normalize(Kind::UserPool, &live),
            normalize(Kind::UserPool, &spec)
        );
        let n = normalize(Kind::UserPool, &spec);
        assert_eq!(n["schema"].as_map().unwrap().len(), 1);
    }

    #[test]
    fn developer_only_custom_attributes_match_their_spec_name() {
        let live = attrs(serde_json::json!({"schema": {
            "dev:custom:secret": {"attribute_data_type": "String", "mutable": true,
                                  "required": false, "developer_only": true,
                                  "string_constraints": {}},
        }}));
        let spec = attrs(serde_json::json!({"schema": {
            "custom:secret": {"attribute_data_type": "String", "developer_only": true}
        }}));
        assert_eq!(
            normalize(Kind::UserPool, &live),
            normalize(Kind::UserPool, &spec)
        );
    }

    #[test]
    fn policy_text_and_data_compare_equal() {
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sso-oauth:CreateTokenWithIAM","Principal":{"AWS":"123"},"Resource":"*"}}"#;
        let data = serde_json::json!({"Statement": [{"Principal": {"AWS": ["123"]},
            "Action": ["sso-oauth:CreateTokenWithIAM"], "Effect": "Allow", "Resource": ["*"]}],
            "Version": "2012-10-17"});
        let a = normalize(
            Kind::ApplicationAuthenticationMethod,
            &attrs(serde_json::json!({"method_type": "IAM", "actor_policy": text})),
        );
        let b = normalize(
            Kind::ApplicationAuthenticationMethod,
            &attrs(serde_json::json!({"method_type": "IAM", "actor_policy": data})),
        );
        assert_eq!(a, b);
    }

    #[test]
    fn ownership_tags_leave_tags() {
        let a = normalize(
            Kind::TrustedTokenIssuer,
            &attrs(serde_json::json!({"tags": {"idplane:stack": "s", "team": "x"}})),
        );
        assert_eq!(
            a["tags"],
            Value::Map(BTreeMap::from([("team".to_string(), Value::str("x"))]))
        );
    }

    #[test]
    fn normalize_is_idempotent_for_idp() {
        let a = normalize(
            Kind::IdentityProvider,
            &attrs(serde_json::json!({"name": "G", "provider_type": "OIDC",
                "provider_details": {"authorize_scopes": "profile openid email openid",
                                     "client_id": "x", "ActiveEncryptionCertificate": "c"}})),
        );
        assert_eq!(normalize(Kind::IdentityProvider, &a), a);
        let d = a["provider_details"].as_map().unwrap();
        assert_eq!(d["authorize_scopes"], Value::str("email openid profile"));
        assert!(!d.contains_key("ActiveEncryptionCertificate"));
        assert_eq!(
            a["attribute_mapping"].as_map().unwrap()["username"],
            Value::str("sub")
        );
    }
}
