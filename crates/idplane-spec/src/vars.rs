//! Variables: declared under `variables:` (with optional defaults), set by var files and
//! `--var`, substituted as plain text wherever `${var.NAME}` appears in a string.

use crate::diag::{Sources, did_you_mean};
use crate::yaml::{self, Node, NodeValue, Pos};
use crate::{Issue, LoadOptions, codes};
use std::collections::BTreeMap;

/// A variable's value and whether it was declared.
pub(crate) struct Vars {
    values: BTreeMap<String, String>,
    declared: Vec<String>,
    /// Where each variable is declared (for the unused-variable warning).
    declared_at: BTreeMap<String, Pos>,
}

/// Gathers variable values: declared defaults, then var files in order, then `--var`.
pub(crate) fn collect(
    root: &Node,
    opts: &LoadOptions,
    sources: &mut Sources,
    issues: &mut Vec<Issue>,
) -> Vars {
    let mut values = BTreeMap::new();
    let mut declared = Vec::new();
    let mut declared_at = BTreeMap::new();
    if let Some(vars) = root.get("variables") {
        for (name, kpos, decl) in vars.entries() {
            declared.push(name.clone());
            declared_at.insert(name.clone(), *kpos);
            if !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                issues.push(Issue::new(
                    codes::BAD_VALUE,
                    *kpos,
                    format!("invalid variable name `{name}`"),
                    Some("use letters, digits, `_` and `-`".into()),
                ));
            }
            // A default of the wrong type is reported by the schema check.
            if let Some(t) = decl.get("default").and_then(scalar_text) {
                values.insert(name.clone(), t);
            }
        }
    }
    for path in &opts.var_files {
        let name = path.display().to_string();
        match idplane_model::files::read_text(path, crate::yaml::MAX_FILE_BYTES as u64) {
            Ok(text) => {
                let id = sources.add(name, text.clone());
                match yaml::parse(&text, id) {
                    Ok(node) => match &node.value {
                        NodeValue::Map(entries) => {
                            for (k, _, v) in entries {
                                match scalar_text(v) {
                                    Some(t) => {
                                        values.insert(k.clone(), t);
                                    }
                                    None => issues.push(Issue::new(
                                        codes::VAR_FILE,
                                        v.pos,
                                        format!("variable `{k}` must be a plain value (string, number or boolean)"),
                                        None,
                                    )),
                                }
                            }
                        }
                        NodeValue::Null => {}
                        _ => issues.push(Issue::new(
                            codes::VAR_FILE,
                            node.pos,
                            "a var file must be a YAML mapping `name: value`",
                            None,
                        )),
                    },
                    Err(e) => issues.push(Issue::new(
                        codes::VAR_FILE,
                        e.pos,
                        format!("invalid YAML in var file: {}", e.message),
                        None,
                    )),
                }
            }
            Err(e) => {
                let id = sources.add(name, String::new());
                issues.push(Issue::new(
                    codes::VAR_FILE,
                    Pos {
                        file: id,
                        line: 0,
                        col: 0,
                    },
                    format!("cannot read var file: {e}"),
                    None,
                ));
            }
        }
    }
    for (k, v) in &opts.vars {
        values.insert(k.clone(), v.clone());
    }
    Vars {
        values,
        declared,
        declared_at,
    }
}

fn scalar_text(n: &Node) -> Option<String> {
    match &n.value {
        NodeValue::Str(s) => Some(s.clone()),
        NodeValue::Int(i) => Some(i.to_string()),
        NodeValue::Float(f) => Some(f.to_string()),
        NodeValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Replaces `${var.NAME}` in every string of the tree (except under `variables:`).
pub(crate) fn substitute(root: &mut Node, vars: &Vars, issues: &mut Vec<Issue>) {
    let mut used = std::collections::BTreeSet::new();
    if let NodeValue::Map(entries) = &mut root.value {
        for (k, _, v) in entries.iter_mut() {
            if k != "variables" {
                walk(v, vars, &mut used, issues);
            }
        }
    }
    for (name, pos) in &vars.declared_at {
        if !used.contains(name) {
            issues.push(Issue::new(
                codes::UNUSED_VAR,
                *pos,
                format!("variable `{name}` is declared but never used"),
                Some(format!("use it as `${{var.{name}}}` or remove it")),
            ));
        }
    }
}

fn walk(
    n: &mut Node,
    vars: &Vars,
    used: &mut std::collections::BTreeSet<String>,
    issues: &mut Vec<Issue>,
) {
    match &mut n.value {
        NodeValue::Str(s) => {
            if s.contains("${var.")
                && let Some(new) = replace(s, n.pos, vars, used, issues)
            {
                *s = new;
            }
        }
        NodeValue::Seq(items) => items.iter_mut().for_each(|i| walk(i, vars, used, issues)),
        NodeValue::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, _, v)| walk(v, vars, used, issues)),
        _ => {}
    }
}

fn replace(
    s: &str,
    pos: Pos,
    vars: &Vars,
    used: &mut std::collections::BTreeSet<String>,
    issues: &mut Vec<Issue>,
) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    let mut ok = true;
    while let Some(i) = rest.find("${var.") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 6..];
        let Some(end) = after.find('}') else {
            issues.push(Issue::new(
                codes::UNKNOWN_VAR,
                pos,
                "unterminated `${var.` (missing `}`)",
                None,
            ));
            return None;
        };
        let name = &after[..end];
        used.insert(name.to_string());
        match vars.values.get(name) {
            Some(v) => out.push_str(v),
            None => {
                ok = false;
                let (msg, hint) = if vars.declared.iter().any(|d| d == name) {
                    (
                        format!("variable `{name}` has no value"),
                        Some(format!(
                            "give it a `default:` or set it with `--var {name}=VALUE` or a var file"
                        )),
                    )
                } else {
                    let hint = match did_you_mean(name, vars.declared.iter().map(String::as_str)) {
                        Some(m) => format!("did you mean `{m}`?"),
                        None => format!(
                            "declare it under `variables:` (e.g. `variables: {{{name}: {{default: ...}}}}`)"
                        ),
                    };
                    (format!("unknown variable `{name}`"), Some(hint))
                };
                issues.push(Issue::new(codes::UNKNOWN_VAR, pos, msg, hint));
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    ok.then_some(out)
}
