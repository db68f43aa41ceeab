//! Merging the files of a stack into one tree: named entries (pools, identity pools, variables,
//! Identity Center and Identity Store entries) are merged across files; duplicates are errors.

use crate::diag::Sources;
use crate::yaml::{Node, NodeValue, Pos};
use crate::{Input, Issue, codes};

/// Top-level keys whose values are maps of named entries merged across files.
const NAMED_COLLECTIONS: &[&str] = &["variables", "user_pools", "identity_pools"];
/// Sections whose sub-keys are merged across files.
const SECTIONS: &[(&str, &[&str])] = &[
    (
        "identity_center",
        &["trusted_token_issuers", "applications"],
    ),
    ("identity_store", &["users", "groups"]),
];

fn merge_named(
    into: &mut Vec<(String, Pos, Node)>,
    from: &[(String, Pos, Node)],
    what: &str,
    sources: &Sources,
    issues: &mut Vec<Issue>,
) {
    for (k, kp, v) in from {
        if let Some((_, first, _)) = into.iter().find(|(n, _, _)| n == k) {
            issues.push(Issue::new(
                codes::DUPLICATE_NAME,
                *kp,
                format!("duplicate {what} `{k}`"),
                Some(format!(
                    "`{k}` is already defined at {}:{}:{}; logical names must be unique in a stack",
                    sources.name(first.file),
                    first.line,
                    first.col
                )),
            ));
        } else {
            into.push((k.clone(), *kp, v.clone()));
        }
    }
}

/// Merges the files of a stack into one tree; duplicates across files are errors.
pub(crate) fn merge(inputs: &[Input], sources: &Sources, issues: &mut Vec<Issue>) -> Node {
    let mut root: Vec<(String, Pos, Node)> = Vec::new();
    let first_pos = inputs.first().map(|i| i.root.pos).unwrap_or_default();
    for input in inputs {
        for (k, kp, v) in input.root.entries() {
            let existing = root.iter_mut().find(|(n, _, _)| n == k);
            let Some((_, _, target)) = existing else {
                root.push((k.clone(), *kp, v.clone()));
                continue;
            };
            if NAMED_COLLECTIONS.contains(&k.as_str()) {
                if let (NodeValue::Map(into), NodeValue::Map(from)) = (&mut target.value, &v.value)
                {
                    merge_named(
                        into,
                        from,
                        k.trim_end_matches('s').replace('_', " ").as_str(),
                        sources,
                        issues,
                    );
                }
            } else if let Some((_, subs)) = SECTIONS.iter().find(|(s, _)| s == k) {
                let (NodeValue::Map(into), NodeValue::Map(from)) = (&mut target.value, &v.value)
                else {
                    continue;
                };
                for (sk, skp, sv) in from {
                    match into.iter_mut().find(|(n, _, _)| n == sk) {
                        None => into.push((sk.clone(), *skp, sv.clone())),
                        Some((_, _, st)) if subs.contains(&sk.as_str()) => {
                            if let (NodeValue::Map(a), NodeValue::Map(b)) =
                                (&mut st.value, &sv.value)
                            {
                                merge_named(a, b, &format!("{k}.{sk} entry"), sources, issues);
                            }
                        }
                        Some((_, _, st)) => {
                            if st.value != sv.value {
                                issues.push(Issue::new(
                                    codes::DUPLICATE_NAME,
                                    *skp,
                                    format!("`{k}.{sk}` is set differently in two files"),
                                    Some("set it in one file only".into()),
                                ));
                            }
                        }
                    }
                }
            } else if target.value != v.value {
                issues.push(Issue::new(
                    codes::DUPLICATE_NAME,
                    *kp,
                    format!("`{k}` is set differently in two files of the stack"),
                    Some(
                        "`version`, `stack`, `region` and `account` must agree across the files of a stack"
                            .into(),
                    ),
                ));
            }
        }
    }
    Node {
        pos: first_pos,
        value: NodeValue::Map(root),
    }
}
