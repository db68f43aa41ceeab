//! Attribute values: plain data plus references to other resources' outputs, values unknown until
//! apply, and secrets (which never serialize or print their text).

// Matches here are on `Value` (a catch-all keeps other values as they are), never on `Kind`.
#![allow(clippy::wildcard_enum_match_arm)]

use crate::address::Address;
use crate::secret::Secret;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The attributes of a resource, by field name (see [`crate::kind::KindInfo::fields`]).
pub type Attrs = BTreeMap<String, Value>;

/// A reference to an output of another resource of the stack, such as `user_pools.blog` / `id`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference {
    pub address: Address,
    pub output: String,
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.address, self.output)
    }
}

/// An attribute value.
///
/// In JSON (plans, fixtures) plain values are plain JSON; the others are one-key objects:
/// `{"$ref": "user_pools.blog.id"}`, `{"$unknown": "user_pools.blog.id"}` and
/// `{"$sensitive": true, "$source": "env:NAME"}` (the source only: never the text, nor a digest).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    /// An output of another resource; resolved by the planner when that resource exists live,
    /// else shown as `(known after apply)` and resolved by the executor.
    Ref(Reference),
    /// A value only known after apply (the planner's rendering of an unresolved `Ref`).
    Unknown(Reference),
    /// A secret: compared by digest, shown as `(sensitive)`.
    Secret(Secret),
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this value or anything inside it is a `Ref` or `Unknown`.
    pub fn has_unresolved(&self) -> bool {
        match self {
            Value::Ref(_) | Value::Unknown(_) => true,
            Value::List(l) => l.iter().any(Value::has_unresolved),
            Value::Map(m) => m.values().any(Value::has_unresolved),
            _ => false,
        }
    }

    /// Every reference inside this value.
    pub fn references(&self, out: &mut Vec<Reference>) {
        match self {
            Value::Ref(r) | Value::Unknown(r) => out.push(r.clone()),
            Value::List(l) => l.iter().for_each(|v| v.references(out)),
            Value::Map(m) => m.values().for_each(|v| v.references(out)),
            _ => {}
        }
    }

    /// A copy with every `Ref`/`Unknown` passed through `f` (which returns the replacement).
    pub fn map_refs(&self, f: &mut impl FnMut(&Reference, bool) -> Value) -> Value {
        match self {
            Value::Ref(r) => f(r, false),
            Value::Unknown(r) => f(r, true),
            Value::List(l) => Value::List(l.iter().map(|v| v.map_refs(f)).collect()),
            Value::Map(m) => {
                Value::Map(m.iter().map(|(k, v)| (k.clone(), v.map_refs(f))).collect())
            }
            other => other.clone(),
        }
    }

    /// The JSON form (secrets as their source only).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Str(s) => J::String(s.clone()),
            Value::List(l) => J::Array(l.iter().map(Value::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            Value::Ref(r) => serde_json::json!({ "$ref": r.to_string() }),
            Value::Unknown(r) => serde_json::json!({ "$unknown": r.to_string() }),
            // No digest: whoever holds a plan file could test guesses of the secret against it.
            Value::Secret(s) => serde_json::json!({ "$sensitive": true, "$source": s.source() }),
        }
    }

    /// Reads the JSON form back. Floats become strings of their text (AWS attributes here are
    /// strings, integers and booleans). `{"$sensitive": true, "$source": s}` becomes a secret with
    /// no plaintext and no digest (call `Secret::resolve(source)` to read it again).
    pub fn from_json(j: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match j {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Str(n.to_string()),
            },
            J::String(s) => Value::Str(s.clone()),
            J::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            J::Object(o) => {
                if let Some(marker) = o.get("$sensitive") {
                    // Plans of earlier versions carried a digest here; today's carry `true`.
                    let digest = marker.as_str().unwrap_or("");
                    let source = o.get("$source").and_then(|s| s.as_str()).unwrap_or("");
                    return Value::Secret(Secret::from_digest_and_source(digest, source));
                }
                if o.len() == 1 {
                    let (k, v) = o.iter().next().expect("one entry");
                    if let Some(text) = v.as_str() {
                        let parse_ref = |t: &str| -> Option<Reference> {
                            let (addr, out) = t.rsplit_once('.')?;
                            Some(Reference {
                                address: Address::parse(addr).ok()?,
                                output: out.to_string(),
                            })
                        };
                        match k.as_str() {
                            "$ref" => {
                                if let Some(r) = parse_ref(text) {
                                    return Value::Ref(r);
                                }
                            }
                            "$unknown" => {
                                if let Some(r) = parse_ref(text) {
                                    return Value::Unknown(r);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Value::Map(
                    o.iter()
                        .map(|(k, v)| (k.clone(), Value::from_json(v)))
                        .collect(),
                )
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let j = serde_json::Value::deserialize(d)?;
        Ok(Value::from_json(&j))
    }
}

impl fmt::Display for Value {
    /// A compact one-line rendering: strings quoted, secrets as `(sensitive)`, unknowns as
    /// `(known after apply)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::List(l) => {
                f.write_str("[")?;
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
            Value::Ref(r) => write!(f, "${{{r}}}"),
            Value::Unknown(_) => f.write_str("(known after apply)"),
            Value::Secret(_) => f.write_str("(sensitive)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_refs_and_hides_secret_text() {
        let r = Reference {
            address: Address::root("user_pools", "blog"),
            output: "id".into(),
        };
        let mut m = BTreeMap::new();
        m.insert("a".to_string(), Value::Ref(r.clone()));
        m.insert("b".to_string(), Value::Unknown(r));
        m.insert(
            "c".to_string(),
            Value::Secret(Secret::from_plaintext("env:X", "hunter2")),
        );
        m.insert(
            "d".to_string(),
            Value::List(vec![Value::Int(3), "x".into()]),
        );
        let v = Value::Map(m);
        let text = serde_json::to_string(&v).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert!(text.contains("env:X"), "the source survives: {text}");
        assert_eq!(
            back.to_json(),
            v.to_json(),
            "refs survive, secrets keep their source"
        );
        assert!(
            !text.contains(&crate::secret::digest_of("hunter2")[7..]),
            "no digest in the JSON form: {text}"
        );
        match &back {
            Value::Map(m) => match &m["c"] {
                Value::Secret(s) => assert_eq!((s.source(), s.digest()), ("env:X", "")),
                other => panic!("a secret comes back as a secret: {other:?}"),
            },
            other => panic!("{other:?}"),
        }
        assert!(!format!("{v:?}").contains("hunter2"));
        assert!(!format!("{v}").contains("hunter2"));
    }
}
