//! Normalization rules of `application`: portal visibility `ENABLED` is AWS's report of
//! "never set", and an empty `portal_options` is absent (rule 12).

// Matches here are on `Value` (a catch-all keeps other values as they are), never on `Kind`.
#![allow(clippy::wildcard_enum_match_arm)]

use crate::Value;
use crate::kind::application::field;
use std::collections::BTreeMap;

pub(super) fn canon_field(name: &str, v: Value) -> Value {
    match name {
        field::PORTAL_OPTIONS => match v {
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
        _ => v,
    }
}
