//! Normalization rules of `identity_provider`: `provider_details` as AWS stores them, its
//! read-only and discovered keys, and the defaults AWS adds per provider type (rules 9, 10).

// Matches here are on `Value` (a catch-all keeps other values as they are), never on `Kind`.
#![allow(clippy::wildcard_enum_match_arm)]

use crate::kind::identity_provider::field;
use crate::{Attrs, Value};
use std::collections::BTreeMap;

pub(super) fn canon_field(name: &str, v: Value) -> Value {
    match name {
        field::PROVIDER_DETAILS => match v {
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

pub(super) fn post_process(out: &mut Attrs) {
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
