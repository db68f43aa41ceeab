//! Structural checks of a YAML tree against the JSON Schema generated from the spec types:
//! unknown keys (with "did you mean"), wrong types, missing keys and invalid enum values, every
//! one of them reported, none stopping the others.

use crate::diag::did_you_mean;
use crate::yaml::{Node, NodeValue};
use crate::{Issue, codes};
use serde_json::Value as J;

/// Definitions the structural check leaves to the lowering (which gives better messages).
const LEFT_TO_LOWERING: &[&str] = &["#/$defs/SecretRef"];

pub(crate) struct Checker<'s> {
    root: &'s J,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn kind_of(n: &Node) -> &'static str {
    match n.value {
        NodeValue::Null => "nothing (null)",
        NodeValue::Bool(_) => "a boolean",
        NodeValue::Int(_) => "an integer",
        NodeValue::Float(_) => "a number",
        NodeValue::Str(_) => "a string",
        NodeValue::Seq(_) => "a list",
        NodeValue::Map(_) => "a mapping",
    }
}

fn type_matches(n: &Node, ty: &str) -> bool {
    matches!(
        (&n.value, ty),
        (NodeValue::Null, "null")
            | (NodeValue::Bool(_), "boolean")
            | (NodeValue::Int(_), "integer" | "number")
            | (NodeValue::Float(_), "number")
            | (NodeValue::Str(_), "string")
            | (NodeValue::Seq(_), "array")
            | (NodeValue::Map(_), "object")
    )
}

fn type_name(ty: &str) -> &str {
    match ty {
        "null" => "nothing",
        "boolean" => "a boolean (true/false)",
        "integer" => "an integer",
        "number" => "a number",
        "string" => "a string",
        "array" => "a list",
        "object" => "a mapping",
        other => other,
    }
}

impl<'s> Checker<'s> {
    pub(crate) fn new(root: &'s J) -> Self {
        Checker { root }
    }

    fn resolve(&self, schema: &'s J) -> &'s J {
        let mut s = schema;
        for _ in 0..16 {
            match s.get("$ref").and_then(J::as_str) {
                Some(r) => {
                    let name = r.trim_start_matches("#/$defs/");
                    match self.root.get("$defs").and_then(|d| d.get(name)) {
                        Some(def) => s = def,
                        None => return s,
                    }
                }
                None => return s,
            }
        }
        s
    }

    /// The JSON types a schema accepts (after `$ref`s and through `anyOf`).
    fn types(&self, schema: &'s J) -> Vec<&'s str> {
        let s = self.resolve(schema);
        let mut out = Vec::new();
        match s.get("type") {
            Some(J::String(t)) => out.push(t.as_str()),
            Some(J::Array(ts)) => out.extend(ts.iter().filter_map(J::as_str)),
            _ => {}
        }
        if s.get("enum").is_some() && out.is_empty() {
            out.push("string");
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(J::Array(branches)) = s.get(key) {
                for b in branches {
                    out.extend(self.types(b));
                }
            }
        }
        out
    }

    /// Checks `node` against `schema`; `path` is the dotted path of the node (empty at the root).
    pub(crate) fn check(&self, node: &Node, schema: &'s J, path: &str, out: &mut Vec<Issue>) {
        let what = &if path.is_empty() {
            "the stack".to_string()
        } else {
            format!("`{path}`")
        };
        if let Some(r) = schema.get("$ref").and_then(J::as_str)
            && LEFT_TO_LOWERING.contains(&r)
        {
            return;
        }
        let s = self.resolve(schema);
        if s == &J::Bool(true) || s.as_object().is_some_and(|o| o.is_empty()) {
            return;
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(J::Array(branches)) = s.get(key) {
                let left_to_lowering = branches.iter().any(|b| {
                    b.get("$ref")
                        .and_then(J::as_str)
                        .is_some_and(|r| LEFT_TO_LOWERING.contains(&r))
                });
                if left_to_lowering {
                    return;
                }
                let fitting: Vec<&J> = branches
                    .iter()
                    .filter(|b| self.types(b).iter().any(|t| type_matches(node, t)))
                    .collect();
                if fitting.is_empty() {
                    self.type_error(node, &self.types(s), what, out);
                    return;
                }
                let mut first_errors = None;
                for b in &fitting {
                    let mut errs = Vec::new();
                    self.check(node, b, path, &mut errs);
                    if errs.is_empty() {
                        return;
                    }
                    first_errors.get_or_insert(errs);
                }
                out.extend(first_errors.unwrap_or_default());
                return;
            }
        }
        let types = self.types(s);
        if !types.is_empty() && !types.iter().any(|t| type_matches(node, t)) {
            self.type_error(node, &types, what, out);
            return;
        }
        if let Some(J::Array(allowed)) = s.get("enum") {
            let ok = allowed.iter().any(|a| match (&node.value, a) {
                (NodeValue::Str(v), J::String(a)) => v == a,
                (NodeValue::Null, J::Null) => true,
                _ => false,
            });
            if !ok {
                let names: Vec<&str> = allowed.iter().filter_map(J::as_str).collect();
                let found = match &node.value {
                    NodeValue::Str(v) => format!("`{v}`"),
                    _ => kind_of(node).to_string(),
                };
                let hint = match &node.value {
                    NodeValue::Str(v) => did_you_mean(v, names.iter().copied())
                        .map(|m| format!("did you mean `{m}`? (one of: {})", names.join(", "))),
                    _ => None,
                }
                .unwrap_or_else(|| format!("use one of: {}", names.join(", ")));
                out.push(Issue::new(
                    codes::BAD_VALUE,
                    node.pos,
                    format!("invalid value {found} for {what}"),
                    Some(hint),
                ));
            }
            return;
        }
        if let NodeValue::Int(i) = node.value {
            if let Some(min) = s.get("minimum").and_then(J::as_i64)
                && i < min
            {
                out.push(Issue::new(
                    codes::BAD_VALUE,
                    node.pos,
                    format!("{what} must be at least {min}, found {i}"),
                    None,
                ));
            }
            if s.get("format").and_then(J::as_str) == Some("uint32") && i > i64::from(u32::MAX) {
                out.push(Issue::new(
                    codes::BAD_VALUE,
                    node.pos,
                    format!("{what} is too large ({i})"),
                    None,
                ));
            }
        }
        match &node.value {
            NodeValue::Map(entries) => {
                let props = s.get("properties").and_then(J::as_object);
                let additional = s.get("additionalProperties");
                for (key, kpos, value) in entries {
                    if let Some(p) = props.and_then(|p| p.get(key)) {
                        self.check(value, p, &join(path, key), out);
                    } else {
                        match additional {
                            Some(J::Bool(false)) => {
                                let names: Vec<&str> = props
                                    .map(|p| p.keys().map(String::as_str).collect())
                                    .unwrap_or_default();
                                let hint = match did_you_mean(key, names.iter().copied()) {
                                    Some(m) => format!("did you mean `{m}`?"),
                                    None => format!("known keys here: {}", names.join(", ")),
                                };
                                out.push(Issue::new(
                                    codes::UNKNOWN_KEY,
                                    *kpos,
                                    format!("unknown key `{key}` in {what}"),
                                    Some(hint),
                                ));
                            }
                            Some(schema) if schema.is_object() => {
                                self.check(value, schema, &join(path, key), out);
                            }
                            _ => {}
                        }
                    }
                }
                if let Some(J::Array(required)) = s.get("required") {
                    for r in required.iter().filter_map(J::as_str) {
                        if !entries.iter().any(|(k, _, _)| k == r) {
                            out.push(Issue::new(
                                codes::MISSING_KEY,
                                node.pos,
                                format!("missing required key `{r}` in {what}"),
                                Some(format!("add `{r}:` to this mapping")),
                            ));
                        }
                    }
                }
            }
            NodeValue::Seq(items) => {
                if let Some(item_schema) = s.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item, item_schema, &format!("{path}[{i}]"), out);
                    }
                }
            }
            _ => {}
        }
    }

    fn type_error(&self, node: &Node, types: &[&str], what: &str, out: &mut Vec<Issue>) {
        let mut wanted: Vec<&str> = types
            .iter()
            .filter(|t| **t != "null")
            .map(|t| type_name(t))
            .collect();
        wanted.dedup();
        let hint = match (&node.value, wanted.first()) {
            (NodeValue::Str(_), Some(&"a list")) => {
                Some("write a YAML list: `[a, b]` or one `- item` per line".to_string())
            }
            (NodeValue::Str(s), Some(&"a boolean (true/false)"))
                if ["yes", "no", "on", "off", "True", "False"].contains(&s.as_str()) =>
            {
                Some("YAML 1.2 booleans are `true` and `false` only".to_string())
            }
            (NodeValue::Null, _) => Some("a key with nothing after the colon is null".to_string()),
            (NodeValue::Str(_), Some(&"an integer")) => {
                Some("write the number without quotes".to_string())
            }
            _ => None,
        };
        out.push(Issue::new(
            codes::WRONG_TYPE,
            node.pos,
            format!(
                "{what} must be {}, found {}",
                wanted.join(" or "),
                kind_of(node)
            ),
            hint,
        ));
    }
}
