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
//!    (`authorize_url`, ...) are kept here and ignored by [`crate::differences`] when the desired
//!    side does not set them.
//! 10. Identity provider `attribute_mapping`: non-SAML providers get `username: sub` (AWS adds it).
//! 11. JSON documents (`actor_policy`) are data: text is parsed, a single `Statement` object
//!     becomes a list, `Action`/`NotAction`/`Resource`/`NotResource` and principal values become
//!     sorted lists, statements are sorted.
//! 12. Application `portal_options.visibility: ENABLED` is dropped (AWS reports it when it was
//!     never set), and an empty `portal_options` is absent.

use idplane_model::{Attrs, Field, Kind, Value, is_ownership_tag};
use std::collections::BTreeMap;

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

/// Drops `null` map entries, recursively.
fn clean(v: Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, clean(v)))
                .collect(),
        ),
        Value::List(l) => Value::List(l.into_iter().map(clean).collect()),
        other => other,
    }
}

/// Merges a map default under a given map (keys the map lacks take the default's value).
fn merge_default(v: Value, field: &Field) -> Value {
    match (v, field.default_value()) {
        (Value::Map(mut m), Value::Map(d)) => {
            for (k, dv) in d {
                m.entry(k).or_insert(dv);
            }
            Value::Map(m)
        }
        (v, _) => v,
    }
}

fn sorted_set(v: Value) -> Value {
    match v {
        Value::List(mut l) => {
            l.sort();
            l.dedup();
            Value::List(l)
        }
        other => other,
    }
}

fn canon_field(kind: Kind, field: &Field, v: Value) -> Value {
    let v = if field.set { sorted_set(v) } else { v };
    match (kind, field.name) {
        (_, "tags") => match v {
            Value::Map(m) => Value::Map(
                m.into_iter()
                    .filter(|(k, _)| !is_ownership_tag(k))
                    .collect(),
            ),
            other => other,
        },
        (Kind::UserPool, "schema") => canon_schema(v),
        (Kind::Application, "portal_options") => match v {
            Value::Map(mut m) => {
                if m.get("visibility").and_then(Value::as_str) == Some("ENABLED") {
                    m.remove("visibility");
                }
                m.retain(|_, v| !v.as_map().is_some_and(BTreeMap::is_empty));
                if m.is_empty() {
                    Value::Null
                } else {
                    Value::Map(m)
                }
            }
            other => other,
        },
        (Kind::UserPool, "password_policy") => match v {
            Value::Map(m) => {
                let mut m: BTreeMap<String, Value> =
                    m.into_iter().map(|(k, v)| (k, int_like(v))).collect();
                // 0 is AWS's "no password history", the same as leaving it out (and a Lite-tier
                // pool rejects the key altogether).
                if m.get("password_history_size") == Some(&Value::Int(0)) {
                    m.remove("password_history_size");
                }
                Value::Map(m)
            }
            other => other,
        },
        (Kind::UserPool, "admin_create_user_config") => match v {
            Value::Map(mut m) => {
                m.remove("unused_account_validity_days");
                if m.get("invite_message_template")
                    .and_then(Value::as_map)
                    .is_some_and(BTreeMap::is_empty)
                {
                    m.remove("invite_message_template");
                }
                Value::Map(m)
            }
            other => other,
        },
        (Kind::UserPool, "lambda_config") => match v {
            Value::Map(mut m) => {
                // AWS keeps the two halves of the pre-token trigger equal: the config's ARN is
                // the plain trigger.
                if let Some(arn) = m
                    .get("pre_token_generation_config")
                    .and_then(Value::as_map)
                    .and_then(|c| c.get("lambda_arn"))
                    .cloned()
                {
                    m.insert("pre_token_generation".into(), arn);
                }
                let plain = m.get("pre_token_generation").cloned();
                let redundant = m
                    .get("pre_token_generation_config")
                    .and_then(Value::as_map)
                    .is_some_and(|c| {
                        c.get("lambda_arn") == plain.as_ref()
                            && c.get("lambda_version")
                                .and_then(Value::as_str)
                                .unwrap_or("V1_0")
                                == "V1_0"
                    });
                if redundant {
                    m.remove("pre_token_generation_config");
                }
                Value::Map(m)
            }
            other => other,
        },
        (Kind::UserPool, "account_recovery") => match v {
            Value::List(mut l) => {
                l.sort_by_key(|e| {
                    let m = e.as_map();
                    let prio = m
                        .and_then(|m| m.get("priority"))
                        .cloned()
                        .map(int_like)
                        .unwrap_or(Value::Null);
                    (prio, e.clone())
                });
                Value::List(
                    l.into_iter()
                        .map(|e| match e {
                            Value::Map(m) => {
                                Value::Map(m.into_iter().map(|(k, v)| (k, int_like(v))).collect())
                            }
                            other => other,
                        })
                        .collect(),
                )
            }
            other => other,
        },
        (Kind::IdentityProvider, "provider_details") => match v {
            Value::Map(m) => Value::Map(
                m.into_iter()
                    .filter(|(k, _)| !IDP_READ_ONLY_KEYS.contains(&k.as_str()))
                    .map(|(k, v)| {
                        let v = stringify(v);
                        if k == "authorize_scopes" {
                            (k, space_set(v))
                        } else {
                            (k, v)
                        }
                    })
                    .collect(),
            ),
            other => other,
        },
        (Kind::IdentityPool, "cognito_identity_providers") => match v {
            Value::List(l) => sorted_set(Value::List(
                l.into_iter()
                    .map(|e| match e {
                        Value::Map(mut m) => {
                            m.entry("server_side_token_check".to_string())
                                .or_insert(Value::Bool(false));
                            Value::Map(m)
                        }
                        other => other,
                    })
                    .collect(),
            )),
            other => other,
        },
        (Kind::ApplicationGrant, "grant") => canon_grant(v),
        (Kind::ApplicationAuthenticationMethod, "actor_policy") => canon_policy(v),
        _ => v,
    }
}

/// Read-only keys AWS adds to `provider_details` (the update call rejects them).
pub const IDP_READ_ONLY_KEYS: [&str; 3] = [
    "ActiveEncryptionCertificate",
    "SSORedirectBindingURI",
    "SLORedirectBindingURI",
];

/// OIDC endpoints AWS discovers from the issuer; ignored unless the desired side sets them.
pub const OIDC_DISCOVERED_KEYS: [&str; 5] = [
    "authorize_url",
    "token_url",
    "attributes_url",
    "jwks_uri",
    "attributes_url_add_attributes",
];

fn post_process(kind: Kind, out: &mut Attrs) {
    if kind != Kind::IdentityProvider {
        return;
    }
    let provider_type = out
        .get("provider_type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(Value::Map(details)) = out.get_mut("provider_details") {
        if details.contains_key("MetadataURL") {
            details.remove("MetadataFile");
        }
        let defaults: &[(&str, &str)] = match provider_type.as_str() {
            "SAML" => &[
                ("IDPSignout", "false"),
                ("IDPInit", "false"),
                ("EncryptedResponses", "false"),
            ],
            "OIDC" => &[("attributes_request_method", "GET")],
            _ => &[],
        };
        for (k, d) in defaults {
            details
                .entry((*k).to_string())
                .or_insert_with(|| Value::str(*d));
        }
    }
    if !provider_type.is_empty() && provider_type != "SAML" {
        let mapping = out
            .entry("attribute_mapping".to_string())
            .or_insert_with(|| Value::Map(BTreeMap::new()));
        if let Value::Map(m) = mapping {
            m.entry("username".to_string())
                .or_insert_with(|| Value::str("sub"));
        }
    }
}

/// Scalars as the strings AWS stores in `ProviderDetails`.
fn stringify(v: Value) -> Value {
    match v {
        Value::Bool(b) => Value::Str(b.to_string()),
        Value::Int(i) => Value::Str(i.to_string()),
        other => other,
    }
}

fn space_set(v: Value) -> Value {
    match v {
        Value::Str(s) => {
            let mut parts: Vec<&str> = s.split_whitespace().collect();
            parts.sort_unstable();
            parts.dedup();
            Value::Str(parts.join(" "))
        }
        other => other,
    }
}

/// A string holding an integer becomes the integer (AWS returns constraints as strings).
fn int_like(v: Value) -> Value {
    match v {
        Value::Str(s) => match s.trim().parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Str(s),
        },
        other => other,
    }
}

/// One standard attribute's AWS defaults: (name, data type, required, mutable, string min/max,
/// number min).
struct Standard {
    name: &'static str,
    data_type: &'static str,
    required: bool,
    mutable: bool,
    string: Option<(i64, i64)>,
    number_min: Option<i64>,
}

const fn std_string(name: &'static str) -> Standard {
    Standard {
        name,
        data_type: "String",
        required: false,
        mutable: true,
        string: Some((0, 2048)),
        number_min: None,
    }
}

/// The standard attributes DescribeUserPool lists for every pool, at their AWS defaults.
const STANDARD_ATTRIBUTES: [Standard; 21] = [
    Standard {
        name: "sub",
        data_type: "String",
        required: true,
        mutable: false,
        string: Some((1, 2048)),
        number_min: None,
    },
    std_string("name"),
    std_string("given_name"),
    std_string("family_name"),
    std_string("middle_name"),
    std_string("nickname"),
    std_string("preferred_username"),
    std_string("profile"),
    std_string("picture"),
    std_string("website"),
    std_string("email"),
    Standard {
        name: "email_verified",
        data_type: "Boolean",
        required: false,
        mutable: true,
        string: None,
        number_min: None,
    },
    std_string("gender"),
    Standard {
        name: "birthdate",
        data_type: "String",
        required: false,
        mutable: true,
        string: Some((10, 10)),
        number_min: None,
    },
    std_string("zoneinfo"),
    std_string("locale"),
    std_string("phone_number"),
    Standard {
        name: "phone_number_verified",
        data_type: "Boolean",
        required: false,
        mutable: true,
        string: None,
        number_min: None,
    },
    std_string("address"),
    Standard {
        name: "updated_at",
        data_type: "Number",
        required: false,
        mutable: true,
        string: None,
        number_min: Some(0),
    },
    Standard {
        name: "identities",
        data_type: "String",
        required: false,
        mutable: true,
        string: None,
        number_min: None,
    },
];

fn standard(name: &str) -> Option<&'static Standard> {
    STANDARD_ATTRIBUTES.iter().find(|s| s.name == name)
}

/// Whether `name` is one of the standard attributes of every user pool.
pub fn is_standard_attribute(name: &str) -> bool {
    standard(name).is_some()
}

fn constraints(min_key: &str, min: i64, max_key: &str, max: Option<i64>) -> Value {
    let mut m = BTreeMap::new();
    m.insert(min_key.to_string(), Value::Int(min));
    if let Some(max) = max {
        m.insert(max_key.to_string(), Value::Int(max));
    }
    Value::Map(m)
}

/// The full property map of a schema attribute at its defaults.
fn schema_defaults(name: &str, data_type: Option<&str>) -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    let (dtype, required, mutable, string, number_min) = match standard(name) {
        Some(s) => (s.data_type, s.required, s.mutable, s.string, s.number_min),
        None => {
            let dtype = data_type.unwrap_or("String");
            let string = (dtype == "String").then_some((0, 2048));
            (dtype, false, true, string, None)
        }
    };
    m.insert("attribute_data_type".into(), Value::str(dtype));
    m.insert("required".into(), Value::Bool(required));
    m.insert("mutable".into(), Value::Bool(mutable));
    m.insert("developer_only".into(), Value::Bool(false));
    if let Some((min, max)) = string {
        m.insert(
            "string_constraints".into(),
            constraints("min_length", min, "max_length", Some(max)),
        );
    }
    if let Some(min) = number_min {
        m.insert(
            "number_constraints".into(),
            constraints("min_value", min, "max_value", None),
        );
    }
    m
}

fn canon_schema(v: Value) -> Value {
    let Value::Map(attrs) = v else { return v };
    let mut out = BTreeMap::new();
    for (name, props) in attrs {
        // AWS lists developer-only custom attributes as `dev:custom:NAME`; the spec says
        // `custom:NAME` with `developer_only: true`.
        let (name, props) = match name.strip_prefix("dev:") {
            Some(rest) => {
                let props = match props {
                    Value::Map(mut m) => {
                        m.insert("developer_only".into(), Value::Bool(true));
                        Value::Map(m)
                    }
                    other => other,
                };
                (rest.to_string(), props)
            }
            None => (name, props),
        };
        let Value::Map(props) = props else {
            out.insert(name, props);
            continue;
        };
        let mut props: BTreeMap<String, Value> = props
            .into_iter()
            .filter(|(k, _)| k != "name")
            .map(|(k, v)| match v {
                Value::Map(c) => {
                    let c: BTreeMap<String, Value> =
                        c.into_iter().map(|(k, v)| (k, int_like(v))).collect();
                    (k, Value::Map(c))
                }
                other => (k, other),
            })
            .collect();
        // An empty constraints map is the same as none given.
        props.retain(|_, v| v.as_map().is_none_or(|m| !m.is_empty()));
        let dtype = props
            .get("attribute_data_type")
            .and_then(Value::as_str)
            .map(str::to_string);
        let defaults = schema_defaults(&name, dtype.as_deref());
        for (k, d) in &defaults {
            match (props.get_mut(k), d) {
                (None, d) => {
                    props.insert(k.clone(), d.clone());
                }
                (Some(Value::Map(given)), Value::Map(dm)) => {
                    for (ck, cv) in dm {
                        given.entry(ck.clone()).or_insert_with(|| cv.clone());
                    }
                }
                _ => {}
            }
        }
        if standard(&name).is_some() && props == defaults {
            continue;
        }
        out.insert(name, Value::Map(props));
    }
    Value::Map(out)
}

fn canon_grant(v: Value) -> Value {
    let Value::Map(mut m) = v else { return v };
    if let Some(uris) = m.remove("redirect_uris") {
        m.insert("redirect_uris".into(), sorted_set(uris));
    }
    if let Some(Value::List(issuers)) = m.remove("authorized_token_issuers") {
        let issuers = issuers
            .into_iter()
            .map(|i| match i {
                Value::Map(mut im) => {
                    if let Some(aud) = im.remove("authorized_audiences") {
                        im.insert("authorized_audiences".into(), sorted_set(aud));
                    }
                    Value::Map(im)
                }
                other => other,
            })
            .collect();
        m.insert(
            "authorized_token_issuers".into(),
            sorted_set(Value::List(issuers)),
        );
    }
    Value::Map(m)
}

/// Keys of a policy statement whose value may be a string or a list with the same meaning.
const POLICY_LIST_KEYS: [&str; 4] = ["Action", "NotAction", "Resource", "NotResource"];

fn as_sorted_list(v: Value) -> Value {
    match v {
        Value::List(_) => sorted_set(v),
        other => Value::List(vec![other]),
    }
}

fn canon_policy(v: Value) -> Value {
    let v = match v {
        Value::Str(text) => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(j) => Value::from_json(&j),
            Err(_) => return Value::Str(text),
        },
        other => other,
    };
    let Value::Map(mut doc) = v else { return v };
    if let Some(stmt) = doc.remove("Statement") {
        let list = match stmt {
            Value::List(l) => l,
            other => vec![other],
        };
        let list = list
            .into_iter()
            .map(|s| match s {
                Value::Map(sm) => Value::Map(
                    sm.into_iter()
                        .map(|(k, v)| {
                            if POLICY_LIST_KEYS.contains(&k.as_str()) {
                                (k, as_sorted_list(v))
                            } else if k == "Principal" || k == "NotPrincipal" {
                                let v = match v {
                                    Value::Map(pm) => Value::Map(
                                        pm.into_iter()
                                            .map(|(pk, pv)| (pk, as_sorted_list(pv)))
                                            .collect(),
                                    ),
                                    other => other,
                                };
                                (k, v)
                            } else {
                                (k, v)
                            }
                        })
                        .collect(),
                ),
                other => other,
            })
            .collect();
        doc.insert("Statement".into(), sorted_set(Value::List(list)));
    }
    Value::Map(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(json: serde_json::Value) -> Attrs {
        match Value::from_json(&json) {
            Value::Map(m) => m,
            _ => panic!("attrs must be an object"),
        }
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
