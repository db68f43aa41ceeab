//! Normalization rules of `identity_pool`: its Cognito providers compare as a set, with
//! AWS's default `server_side_token_check: false` filled in (rule 3).

// Matches here are on `Value` (a catch-all keeps other values as they are), never on `Kind`.
#![allow(clippy::wildcard_enum_match_arm)]

use super::sorted_set;
use crate::Value;
use crate::kind::identity_pool::field;

pub(super) fn canon_field(name: &str, v: Value) -> Value {
    match name {
        field::COGNITO_IDENTITY_PROVIDERS => match v {
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
        _ => v,
    }
}
