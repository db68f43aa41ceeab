//! Generic rules on values, whatever the kind: nulls, map defaults, sets, ownership tags,
//! integers AWS returns as strings.

// Matches here are on `Value` (a catch-all keeps other values as they are), never on `Kind`.
#![allow(clippy::wildcard_enum_match_arm)]

use crate::kind::Field;
use crate::{Value, is_ownership_tag};

/// Drops `null` map entries, recursively.
pub(super) fn clean(v: Value) -> Value {
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
pub(super) fn merge_default(v: Value, field: &Field) -> Value {
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

pub(crate) fn sorted_set(v: Value) -> Value {
    match v {
        Value::List(mut l) => {
            l.sort();
            l.dedup();
            Value::List(l)
        }
        other => other,
    }
}

/// Rule 5: ownership tags are not user tags.
pub(super) fn without_ownership_tags(v: Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(
            m.into_iter()
                .filter(|(k, _)| !is_ownership_tag(k))
                .collect(),
        ),
        other => other,
    }
}

/// A string holding an integer becomes the integer (AWS returns constraints as strings).
pub(crate) fn int_like(v: Value) -> Value {
    match v {
        Value::Str(s) => match s.trim().parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Str(s),
        },
        other => other,
    }
}
