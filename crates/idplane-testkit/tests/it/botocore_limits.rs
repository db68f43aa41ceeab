//! The spec's table of AWS limits (`idplane_spec::limits::LIMITS`) against the botocore service
//! models of the emulator's venv: every row's request member must have the row's shape, and the
//! shape the row's `min`, `max` and `pattern`. Fails (never skips) when the models cannot be read.

use idplane_spec::limits::{LIMITS, matches};
use serde_json::Value;
use std::collections::BTreeMap;

/// The shape name of a request member path such as `CreateUserPool.LambdaConfig.PreSignUp`,
/// `CreateResourceServer.Scopes[].ScopeName` or `CreateUserPool.UserPoolTags{v}`.
fn member_shape(model: &Value, member: &str) -> String {
    let (op, rest) = member.split_once('.').expect("Operation.Member");
    let shapes = &model["shapes"];
    let mut shape = model["operations"][op]["input"]["shape"]
        .as_str()
        .unwrap_or_else(|| panic!("no operation {op}"))
        .to_string();
    for part in rest.split('.') {
        let (name, suffixes) = match part.find(['[', '{']) {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            shape = shapes[&shape]["members"][name]["shape"]
                .as_str()
                .unwrap_or_else(|| panic!("{member}: {shape} has no member {name}"))
                .to_string();
        }
        let mut s = suffixes;
        while !s.is_empty() {
            let (step, next) = if let Some(r) = s.strip_prefix("[]") {
                ("member", r)
            } else if let Some(r) = s.strip_prefix("{v}") {
                ("value", r)
            } else if let Some(r) = s.strip_prefix("{}") {
                ("key", r)
            } else {
                panic!("{member}: cannot read `{s}`")
            };
            shape = shapes[&shape][step]["shape"]
                .as_str()
                .unwrap_or_else(|| panic!("{member}: {shape} has no {step}"))
                .to_string();
            s = next;
        }
    }
    shape
}

#[test]
fn limits_match_the_botocore_models() {
    let mut models: BTreeMap<&str, Value> = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, l) in LIMITS.iter().enumerate() {
        let model = models.entry(l.service).or_insert_with(|| {
            idplane_testkit::botocore_model(l.service)
                .unwrap_or_else(|e| panic!("the botocore models are needed: {e}"))
        });
        let shape = member_shape(model, l.member);
        if shape != l.shape {
            problems.push(format!(
                "{}: {} is shape {shape}, the table says {}",
                l.path, l.member, l.shape
            ));
            continue;
        }
        let s = &model["shapes"][&shape];
        let kind = s["type"].as_str().unwrap_or_default();
        if l.count != matches!(kind, "list" | "map") {
            problems.push(format!("{}: {shape} is a {kind}", l.path));
        }
        let (min, max) = (s["min"].as_u64(), s["max"].as_u64());
        if (min, max) != (l.min, l.max) {
            problems.push(format!(
                "{}: {shape} has min {min:?} max {max:?}, the table {:?} {:?}",
                l.path, l.min, l.max
            ));
        }
        if s["pattern"].as_str() != l.pattern {
            problems.push(format!(
                "{}: {shape} has pattern {:?}, the table {:?}",
                l.path, s["pattern"], l.pattern
            ));
        }
        // Every pattern compiles (panics otherwise).
        let _ = matches(i, "x");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn java_patterns_keep_their_meaning() {
    let by_shape = |shape: &str| {
        LIMITS
            .iter()
            .position(|l| l.shape == shape)
            .unwrap_or_else(|| panic!("{shape} in the table"))
    };
    let claim = by_shape("ClaimAttributePath");
    for ok in ["email", "sub", "custom_tenant", "a.b.c"] {
        assert!(matches(claim, ok), "{ok}");
    }
    for bad in [
        "cognito:username",
        "email2",
        "a-b",
        "a.b.c.d",
        ".email",
        "$.email",
    ] {
        assert!(!matches(claim, bad), "{bad}");
    }
    // Java's `\w` is ASCII-only.
    let tti = by_shape("TrustedTokenIssuerName");
    assert!(matches(tti, "Cognito_TTI-1+=,.@"));
    assert!(!matches(tti, "été"));
    assert!(!matches(tti, "with space"));
    let pool = by_shape("UserPoolNameType");
    assert!(matches(pool, "Blog pool_1"));
    assert!(!matches(pool, "Blog/pool"));
    let tag = by_shape("TagValue");
    assert!(matches(tag, "identity_center.applications=5B=22x=22=5D"));
    assert!(!matches(tag, "identity_center.applications[\"x\"]"));
    let url = by_shape("RedirectUrlType");
    assert!(matches(url, "https://app.example.com/cb?x=1"));
    assert!(!matches(url, "https://app.example.com/a b"));
}
