//! Normalization of the fields compared as whole documents: application grants (nested sets)
//! and IAM policy documents (`actor_policy`, rule 11).

// Matches here are on `Value` (a catch-all keeps other values as they are), never on `Kind`.
#![allow(clippy::wildcard_enum_match_arm)]

use super::sorted_set;
use crate::Value;
use crate::kind::{application_authentication_method, application_grant};

pub(super) fn canon_grant_field(name: &str, v: Value) -> Value {
    match name {
        application_grant::field::GRANT => canon_grant(v),
        _ => v,
    }
}

pub(super) fn canon_method_field(name: &str, v: Value) -> Value {
    match name {
        application_authentication_method::field::ACTOR_POLICY => canon_policy(v),
        _ => v,
    }
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
