//! A YAML document as a tree of nodes that each remember where they start (line and column).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A position in a source file (1-based line and column).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// Index of the file in [`crate::Sources`].
    pub file: usize,
    pub line: usize,
    pub col: usize,
}

/// A YAML node with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: NodeValue,
}

/// The value of a YAML node.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in source order: (key, key position, value).
    Map(Vec<(String, Pos, Node)>),
}

struct RawVisitor;

/// The value without position (its position comes from the `Spanned` wrapper).
struct Raw(NodeValue);

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw(NodeValue::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw(NodeValue::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw(NodeValue::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw(NodeValue::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw(match i64::try_from(v) {
            Ok(i) => NodeValue::Int(i),
            Err(_) => NodeValue::Str(v.to_string()),
        }))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw(NodeValue::Str(v.to_string())))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw(NodeValue::Str(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw(NodeValue::Float(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw(NodeValue::Str(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw(NodeValue::Str(v)))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw(NodeValue::Str(String::from_utf8_lossy(v).into_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(from_spanned(item));
        }
        Ok(Raw(NodeValue::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Raw>>()? {
            let key_node = from_spanned(key);
            let name = match key_node.value {
                NodeValue::Str(s) => s,
                NodeValue::Int(i) => i.to_string(),
                NodeValue::Bool(b) => b.to_string(),
                NodeValue::Float(f) => f.to_string(),
                NodeValue::Null => "null".to_string(),
                _ => {
                    return Err(de::Error::custom(
                        "a mapping key must be a plain scalar (not a list or a mapping)",
                    ));
                }
            };
            let value = from_spanned(map.next_value::<Spanned<Raw>>()?);
            entries.push((name, key_node.pos, value));
        }
        Ok(Raw(NodeValue::Map(entries)))
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

fn from_spanned(s: Spanned<Raw>) -> Node {
    Node {
        pos: Pos {
            file: 0,
            line: s.referenced.line() as usize,
            col: s.referenced.column() as usize,
        },
        value: s.value.0,
    }
}

/// Why a text could not be read as YAML.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub pos: Pos,
}

/// Budgets: generous for any real stack, small enough that alias bombs and huge inputs fail fast.
fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 48;
    budget.max_nodes = 100_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_events = 300_000;
    budget.max_total_scalar_bytes = 8 * 1024 * 1024;
    budget.max_documents = 1;
    let mut opts = serde_saphyr::Options::default();
    opts.budget = Some(budget);
    opts.alias_limits.max_total_replayed_events = 50_000;
    opts.strict_booleans = true;
    opts
}

/// Largest spec file accepted (bytes).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

fn set_file(n: &mut Node, file: usize) {
    n.pos.file = file;
    match &mut n.value {
        NodeValue::Seq(items) => items.iter_mut().for_each(|i| set_file(i, file)),
        NodeValue::Map(entries) => entries.iter_mut().for_each(|(_, kp, v)| {
            kp.file = file;
            set_file(v, file)
        }),
        _ => {}
    }
}

/// Parses one YAML document into a tree, within budgets that stop alias bombs and huge inputs.
pub fn parse(text: &str, file: usize) -> Result<Node, ParseError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ParseError {
            message: format!(
                "the file is {} bytes, more than the {} a spec file may have",
                text.len(),
                MAX_FILE_BYTES
            ),
            pos: Pos {
                file,
                line: 1,
                col: 1,
            },
        });
    }
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options()) {
        Ok(s) => {
            let mut n = from_spanned(s);
            set_file(&mut n, file);
            Ok(n)
        }
        Err(e) => {
            let pos = e
                .location()
                .map(|l| Pos {
                    file,
                    line: l.line() as usize,
                    col: l.column() as usize,
                })
                .filter(|p| p.line > 0)
                .unwrap_or(Pos {
                    file,
                    line: 1,
                    col: 1,
                });
            let mut message = e.without_snippet().to_string();
            if let Some(i) = message.find(" at line ") {
                message.truncate(i);
            }
            Err(ParseError { message, pos })
        }
    }
}

impl Node {
    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|(k, _, _)| k == key).map(|e| &e.2),
            _ => None,
        }
    }

    /// The position of `key` when this node is a mapping containing it.
    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|(k, _, _)| k == key).map(|e| e.1),
            _ => None,
        }
    }

    /// The entries when this node is a mapping (empty otherwise).
    pub fn entries(&self) -> &[(String, Pos, Node)] {
        match &self.value {
            NodeValue::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items when this node is a list (empty otherwise).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            NodeValue::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            NodeValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self.value {
            NodeValue::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, NodeValue::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_know_their_line_and_column() {
        let n = parse("a: 1\nb:\n  - x\n  - {c: \"true\", d: true}\n", 3).unwrap();
        assert_eq!(
            n.key_pos("b"),
            Some(Pos {
                file: 3,
                line: 2,
                col: 1
            })
        );
        let item = &n.get("b").unwrap().items()[1];
        assert_eq!(item.get("c").unwrap().as_str(), Some("true"));
        assert_eq!(item.get("d").unwrap().as_bool(), Some(true));
        assert_eq!(
            item.get("d").unwrap().pos,
            Pos {
                file: 3,
                line: 4,
                col: 20
            }
        );
    }

    #[test]
    fn malformed_yaml_is_an_error_with_a_position() {
        let e = parse("a: [1, 2\nb: 3\n", 0).unwrap_err();
        assert!(e.pos.line >= 1, "{e:?}");
        let e = parse("a: 1\na: 2\n", 0).unwrap_err();
        assert!(e.message.contains("duplicate"), "{e:?}");
        assert_eq!(e.pos.line, 2);
    }

    #[test]
    fn alias_bombs_stop_fast() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let t = std::time::Instant::now();
        let e = parse(&bomb, 0).unwrap_err();
        assert!(t.elapsed().as_secs() < 5, "took {:?}", t.elapsed());
        assert!(
            e.message.contains("budget") || e.message.contains("limit"),
            "{e:?}"
        );
    }

    #[test]
    fn deep_nesting_and_huge_input_are_errors() {
        let deep = "[".repeat(5000) + &"]".repeat(5000);
        assert!(parse(&deep, 0).is_err());
        let huge = "a: ".to_string() + &"x".repeat(MAX_FILE_BYTES);
        assert!(parse(&huge, 0).unwrap_err().message.contains("more than"));
    }
}
