//! Small helpers to build and read `Value` maps, merge live and target attributes, and convert
//! JSON-like documents.

use aws_smithy_types::{Document, Number};
use idplane_model::{Attrs, Value};
use std::collections::{BTreeMap, HashMap};

/// A builder of a `Value::Map` (or of `Attrs`) that leaves out absent entries.
#[derive(Default)]
pub struct Obj(pub BTreeMap<String, Value>);

impl Obj {
    pub fn new() -> Self {
        Obj::default()
    }
    pub fn v(mut self, k: &str, v: Value) -> Self {
        if !v.is_null() {
            self.0.insert(k.to_string(), v);
        }
        self
    }
    pub fn s<S: AsRef<str>>(self, k: &str, v: Option<S>) -> Self {
        let v = v.map(|s| Value::str(s.as_ref())).unwrap_or(Value::Null);
        self.v(k, v)
    }
    pub fn b(self, k: &str, v: Option<bool>) -> Self {
        self.v(k, v.map(Value::Bool).unwrap_or(Value::Null))
    }
    pub fn i(self, k: &str, v: Option<i64>) -> Self {
        self.v(k, v.map(Value::Int).unwrap_or(Value::Null))
    }
    pub fn list<S: AsRef<str>>(self, k: &str, v: &[S]) -> Self {
        self.v(k, strs(v))
    }
    pub fn map(self) -> Value {
        if self.0.is_empty() {
            Value::Null
        } else {
            Value::Map(self.0)
        }
    }
    pub fn attrs(self) -> Attrs {
        self.0
    }
}

pub fn strs<S: AsRef<str>>(v: &[S]) -> Value {
    Value::List(v.iter().map(|s| Value::str(s.as_ref())).collect())
}

pub fn str_map<'a>(m: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
    Value::Map(
        m.into_iter()
            .map(|(k, v)| (k.clone(), Value::str(v)))
            .collect(),
    )
}

/// A string field (strings, or integers and booleans written as text).
pub fn get_str(m: &BTreeMap<String, Value>, k: &str) -> Option<String> {
    match m.get(k)? {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Secret(s) => s.expose().map(str::to_string),
        Value::Null | Value::List(_) | Value::Map(_) | Value::Ref(_) | Value::Unknown(_) => None,
    }
}

pub fn get_bool(m: &BTreeMap<String, Value>, k: &str) -> Option<bool> {
    match m.get(k)? {
        Value::Bool(b) => Some(*b),
        Value::Str(s) => s.parse().ok(),
        Value::Null
        | Value::Int(_)
        | Value::List(_)
        | Value::Map(_)
        | Value::Ref(_)
        | Value::Unknown(_)
        | Value::Secret(_) => None,
    }
}

pub fn get_int(m: &BTreeMap<String, Value>, k: &str) -> Option<i64> {
    match m.get(k)? {
        Value::Int(i) => Some(*i),
        Value::Str(s) => s.parse().ok(),
        Value::Null
        | Value::Bool(_)
        | Value::List(_)
        | Value::Map(_)
        | Value::Ref(_)
        | Value::Unknown(_)
        | Value::Secret(_) => None,
    }
}

pub fn get_i32(m: &BTreeMap<String, Value>, k: &str) -> Option<i32> {
    get_int(m, k).and_then(|i| i32::try_from(i).ok())
}

pub fn get_strs(m: &BTreeMap<String, Value>, k: &str) -> Option<Vec<String>> {
    m.get(k)?.as_list().map(|l| {
        l.iter()
            .filter_map(|v| match v {
                Value::Str(s) => Some(s.clone()),
                Value::Int(i) => Some(i.to_string()),
                Value::Null
                | Value::Bool(_)
                | Value::List(_)
                | Value::Map(_)
                | Value::Ref(_)
                | Value::Unknown(_)
                | Value::Secret(_) => None,
            })
            .collect()
    })
}

pub fn get_map<'a>(m: &'a BTreeMap<String, Value>, k: &str) -> Option<&'a BTreeMap<String, Value>> {
    m.get(k)?.as_map()
}

/// A map of strings as a `HashMap` (for SDK inputs).
pub fn get_str_map(m: &BTreeMap<String, Value>, k: &str) -> Option<HashMap<String, String>> {
    get_map(m, k).map(|mm| {
        mm.keys()
            .filter_map(|k| get_str(mm, k).map(|s| (k.clone(), s)))
            .collect()
    })
}

/// Parses a number written as text into an `Int` when it is one, else keeps the text.
pub fn num_text(s: Option<&str>) -> Value {
    match s {
        None => Value::Null,
        Some(t) => t
            .parse::<i64>()
            .map(Value::Int)
            .unwrap_or_else(|_| Value::str(t)),
    }
}

/// An AWS timestamp in milliseconds since the epoch (the order of concurrent creates).
pub fn millis(d: Option<&aws_smithy_types::DateTime>) -> Option<i64> {
    d.and_then(|d| d.to_millis().ok())
}

/// Merges `target` over `live`: maps merge key by key (a `Null` in the target removes the key),
/// anything else is replaced by the target.
pub fn deep_merge(live: &Value, target: &Value) -> Value {
    match (live, target) {
        (Value::Map(l), Value::Map(t)) => {
            let mut out = l.clone();
            for (k, tv) in t {
                if tv.is_null() {
                    out.remove(k);
                } else {
                    let merged = match l.get(k) {
                        Some(lv) => deep_merge(lv, tv),
                        None => tv.clone(),
                    };
                    out.insert(k.clone(), merged);
                }
            }
            Value::Map(out)
        }
        _ => target.clone(),
    }
}

/// Merges target attributes over live ones: fields named in `replace` are taken whole from the
/// target (without its `null` entries), other map fields are deep-merged, fields the target
/// leaves out keep their live value. A `null` in the target, a field's or a map key's, clears it.
pub fn merge_attrs(live: &Attrs, target: &Attrs, replace: &[&str]) -> Attrs {
    let mut out = live.clone();
    for (k, tv) in target {
        if replace.contains(&k.as_str()) {
            out.insert(k.clone(), drop_nulls(tv));
        } else {
            let merged = match live.get(k) {
                Some(lv) => deep_merge(lv, tv),
                None => tv.clone(),
            };
            out.insert(k.clone(), merged);
        }
    }
    out
}

/// `v` without its `null` map entries, recursively.
fn drop_nulls(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), drop_nulls(v)))
                .collect(),
        ),
        Value::Null
        | Value::Bool(_)
        | Value::Int(_)
        | Value::Str(_)
        | Value::List(_)
        | Value::Ref(_)
        | Value::Unknown(_)
        | Value::Secret(_) => v.clone(),
    }
}

pub fn doc_to_value(d: &Document) -> Value {
    match d {
        Document::Object(o) => Value::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), doc_to_value(v)))
                .collect(),
        ),
        Document::Array(a) => Value::List(a.iter().map(doc_to_value).collect()),
        Document::Number(Number::PosInt(i)) => i64::try_from(*i)
            .map(Value::Int)
            .unwrap_or_else(|_| Value::str(i.to_string())),
        Document::Number(Number::NegInt(i)) => Value::Int(*i),
        Document::Number(Number::Float(f)) => Value::str(f.to_string()),
        Document::String(s) => Value::str(s),
        Document::Bool(b) => Value::Bool(*b),
        Document::Null => Value::Null,
    }
}

pub fn value_to_doc(v: &Value) -> Document {
    match v {
        Value::Map(m) => Document::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), value_to_doc(v)))
                .collect(),
        ),
        Value::List(l) => Document::Array(l.iter().map(value_to_doc).collect()),
        Value::Int(i) if *i >= 0 => Document::Number(Number::PosInt(*i as u64)),
        Value::Int(i) => Document::Number(Number::NegInt(*i)),
        Value::Str(s) => Document::String(s.clone()),
        Value::Bool(b) => Document::Bool(*b),
        Value::Secret(s) => Document::String(s.expose().unwrap_or_default().to_string()),
        Value::Null | Value::Ref(_) | Value::Unknown(_) => Document::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Value {
        Value::from_json(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn deep_merge_keeps_live_keys_the_target_does_not_mention() {
        let live = j(r#"{"a":1,"b":{"c":2,"d":3},"e":[1]}"#);
        let target = j(r#"{"b":{"c":5,"d":null},"e":[2],"f":"x"}"#);
        assert_eq!(
            deep_merge(&live, &target),
            j(r#"{"a":1,"b":{"c":5},"e":[2],"f":"x"}"#)
        );
    }

    #[test]
    fn merge_attrs_replaces_listed_fields_whole() {
        let live = j(r#"{"name":"a","tags":{"x":"1","y":"2"},"pp":{"m":8,"u":true}}"#);
        let target = j(r#"{"tags":{"x":"3"},"pp":{"m":12}}"#);
        let merged = merge_attrs(live.as_map().unwrap(), target.as_map().unwrap(), &["tags"]);
        assert_eq!(
            Value::Map(merged),
            j(r#"{"name":"a","tags":{"x":"3"},"pp":{"m":12,"u":true}}"#)
        );
    }

    #[test]
    fn nulls_in_the_target_clear_fields_and_keys() {
        let live = j(r#"{"d":"x","acu":{"a":true,"tpl":{"s":"1"}},"tags":{"x":"1"}}"#);
        let target = j(r#"{"d":null,"acu":{"tpl":null},"tags":{"x":null,"y":"2"}}"#);
        let merged = merge_attrs(live.as_map().unwrap(), target.as_map().unwrap(), &["tags"]);
        assert_eq!(
            Value::Map(merged),
            j(r#"{"d":null,"acu":{"a":true},"tags":{"y":"2"}}"#)
        );
    }

    #[test]
    fn documents_round_trip() {
        let v =
            j(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","N":-3,"P":7,"B":true}]}"#);
        assert_eq!(doc_to_value(&value_to_doc(&v)), v);
    }

    #[test]
    fn getters_accept_numbers_written_as_text() {
        let m = j(r#"{"a":"12","b":"true","c":["x",3]}"#);
        let m = m.as_map().unwrap();
        assert_eq!(get_int(m, "a"), Some(12));
        assert_eq!(get_bool(m, "b"), Some(true));
        assert_eq!(
            get_strs(m, "c"),
            Some(vec!["x".to_string(), "3".to_string()])
        );
        assert_eq!(num_text(Some("2048")), Value::Int(2048));
        assert_eq!(num_text(Some("x")), Value::str("x"));
    }
}
