//! AWS's own limits on the values a spec sends (string lengths, list and map sizes, patterns),
//! as tables taken from the botocore service models (one file per service, `limits/<service>.rs`,
//! joined into [`LIMITS`]), and the check that applies them.
//!
//! Each [`Limit`] ties a place in the spec to the botocore shape of the request member it becomes.
//! The test `limits_match_the_botocore_models` (`idplane-testkit`, `tests/it/botocore_limits.rs`)
//! reads the models of the emulator's venv and fails when a row's member, shape or constraints
//! differ from them, so the tables cannot drift from the API reference.
//!
//! Patterns are the models' Java regular expressions, full-match. They compile as they are with the
//! `regex` crate except for Java's ASCII-only `\w`, `\s`, `\S` and `\d`, which [`rust_pattern`]
//! rewrites to the ASCII classes `[:word:]`, `[:space:]` and `[0-9]` (the `regex` crate's are
//! Unicode). Java's `.` also stops at `\r`, `\u{85}`, `\u{2028}` and `\u{2029}`, the crate's only at
//! `\n` (used only in `SmsInviteMessageType` / `SmsVerificationMessageType`, made lenient there).
//! Lengths count UTF-16 code units, as Java does.

use crate::yaml::{Node, NodeValue, Pos};
use crate::{Issue, codes};
use regex::Regex;
use std::sync::OnceLock;

mod cognito_identity;
mod cognito_idp;
mod identity_store;
mod sso_admin;

/// What a missing value defaults to (the lowering fills names from the logical name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// Nothing is sent.
    None,
    /// The logical name (the map key above) is sent.
    Key,
    /// The logical name, except for an application given by `arn` alone (nothing is sent).
    KeyUnlessReferenced,
}

/// The ownership tags idplane adds to every taggable object (`idplane:stack`, `idplane:address`):
/// they count toward AWS's limit on the number of tags.
const OWNERSHIP_TAGS: u64 = 2;

/// One field of the spec and the constraints AWS puts on the request member it becomes.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Where in the spec: dotted keys; `*` = every value of a map, `{}` = every key of a map,
    /// `[]` after a key = every item of that list.
    pub path: &'static str,
    /// botocore service name (`cognito-idp`, `cognito-identity`, `sso-admin`, `identitystore`).
    pub service: &'static str,
    /// Request member: `Operation.Member...`, `[]` = list member, `{}` = map key, `{v}` = map value.
    pub member: &'static str,
    /// The botocore shape of that member.
    pub shape: &'static str,
    /// A list or map: `min` / `max` bound its number of entries; else a string's length.
    pub count: bool,
    pub min: Option<u64>,
    pub max: Option<u64>,
    /// The shape's pattern, as in the model (full match).
    pub pattern: Option<&'static str>,
    pub default: Fallback,
    /// The diagnostic code (the field's own rule when it has one, else `E059`).
    pub code: &'static str,
}

/// Where no limit applies: a placeholder for building [`LIMITS`] at compile time.
const NO_LIMIT: Limit = Limit {
    path: "",
    service: "",
    member: "",
    shape: "",
    count: false,
    min: None,
    max: None,
    pattern: None,
    default: Fallback::None,
    code: codes::LIMIT,
};

/// The tables of each service, in the order [`LIMITS`] lists them.
const SERVICES: &[&[Limit]] = &[
    cognito_idp::LIMITS,
    cognito_identity::LIMITS,
    sso_admin::LIMITS,
    identity_store::LIMITS,
];

const COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < SERVICES.len() {
        n += SERVICES[i].len();
        i += 1;
    }
    n
};

/// The service tables one after another, at compile time.
const fn concat() -> [Limit; COUNT] {
    let mut out = [NO_LIMIT; COUNT];
    let mut k = 0;
    let mut i = 0;
    while i < SERVICES.len() {
        let mut j = 0;
        while j < SERVICES[i].len() {
            out[k] = SERVICES[i][j];
            k += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

const ALL: [Limit; COUNT] = concat();

/// The limits of every spec field that reaches AWS as a constrained string, list or map (one
/// file per service: `limits/<service>.rs`).
pub const LIMITS: &[Limit] = &ALL;

/// A Java (botocore) pattern rewritten for the `regex` crate, anchored for a full match.
pub fn rust_pattern(java: &str) -> String {
    let mut out = String::from("^(?:");
    let mut depth = 0usize;
    let mut chars = java.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let class = match n {
                    'w' => Some("[:word:]"),
                    's' => Some("[:space:]"),
                    'd' => Some("0-9"),
                    'S' => Some("[^[:space:]]"),
                    _ => None,
                };
                match class {
                    // `\S` is a nested class in both places.
                    Some(cl) if n == 'S' => out.push_str(cl),
                    Some(cl) if depth > 0 => out.push_str(cl),
                    Some(cl) => {
                        out.push('[');
                        out.push_str(cl);
                        out.push(']');
                    }
                    None => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' => {
                depth += 1;
                out.push(c);
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push_str(")$");
    out
}

fn compiled() -> &'static Vec<Option<Regex>> {
    static RE: OnceLock<Vec<Option<Regex>>> = OnceLock::new();
    RE.get_or_init(|| {
        LIMITS
            .iter()
            .map(|l| {
                l.pattern.map(|p| {
                    Regex::new(&rust_pattern(p)).unwrap_or_else(|e| {
                        panic!("pattern of {} ({}) does not compile: {e}", l.shape, p)
                    })
                })
            })
            .collect()
    })
}

/// Whether `text` matches the pattern of `LIMITS[index]` (true without a pattern).
pub fn matches(index: usize, text: &str) -> bool {
    compiled()[index]
        .as_ref()
        .is_none_or(|re| re.is_match(text))
}

/// What a shape's pattern allows, in words, for the hint.
fn allowed(shape: &str) -> &'static str {
    match shape {
        "UserPoolNameType" | "ClientNameType" | "ResourceServerNameType" | "IdentityPoolName" => {
            "ASCII letters, digits, `_`, spaces and `+ = , . @ -`"
        }
        "TrustedTokenIssuerName" => "ASCII letters, digits and `_ + = , . @ -`, no spaces",
        "IdpIdentifierType" => "ASCII letters, digits, `_`, spaces and `+ = . @ -`",
        "DeveloperProviderName" => "ASCII letters, digits and `_ . -`",
        "CognitoIdentityProviderName" => "ASCII letters, digits and `_ . : / -`",
        "IdentityProviderId" => "ASCII letters, digits and `_ . ; / -`",
        "RedirectUrlType" | "GroupNameType" | "ClaimName" | "UserName" => {
            "letters, marks, symbols, digits and punctuation, no spaces"
        }
        "SensitiveStringType" | "GroupDisplayName" => {
            "letters, marks, symbols, digits, punctuation and spaces"
        }
        "ScopeType" | "ResourceServerIdentifierType" => {
            "printable ASCII without spaces, `\"` or `\\`"
        }
        "ResourceServerScopeNameType" => "printable ASCII without spaces, `\"`, `/` or `\\`",
        "ProviderNameTypeV2" => {
            "at least 3 characters; no spaces, and `_` only as the second character"
        }
        "ArnType" | "OptionalArnType" => "an ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`",
        "ScopeTarget" => "an Identity Center application or instance ARN",
        "DomainType" => "lowercase letters, digits and inner hyphens",
        "SESConfigurationSet" => "ASCII letters, digits, `_` and `-`",
        "EmailAddressType" => "an email address",
        "EmailVerificationSubjectType" | "EmailVerificationSubjectByLinkType" => {
            "letters, marks, symbols, digits, punctuation and spaces"
        }
        "EmailInviteMessageType" => "letters, marks, symbols, digits, punctuation and spaces",
        "EmailVerificationMessageType" | "SmsVerificationMessageType" => {
            "text containing the code placeholder `{####}`"
        }
        "EmailVerificationMessageByLinkType" => {
            "text containing the link placeholder `{##Click here##}`"
        }
        "ClaimAttributePath" => {
            "a claim name of letters only, or up to three such words joined by `.` or `_` (e.g. `email`, `sub`); no `:`, digits or `-`"
        }
        "JMESPath" => "up to three words of letters joined by `.` (e.g. `emails.value`)",
        "TrustedTokenIssuerUrl" | "ApplicationUrl" => "an http(s) URL",
        "TagKey" | "TagValue" => "letters, spaces, digits and `_ . : / = + - @`",
        "Scope" => "one to three parts of ASCII letters, digits and `_` joined by `:`",
        _ => "the characters the AWS API reference allows",
    }
}

/// A value the check looks at, with the concrete path shown in the message.
enum Found<'n> {
    Node(&'n Node, String),
    /// A map key sent as a name: under a `{}` of the table (`defaulted` false), or the logical
    /// name a missing `name` defaults to (`defaulted` true, the path is the missing key's).
    Key(&'n str, Pos, String, bool),
}

fn tokens(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in path.split('.') {
        match part.strip_suffix("[]") {
            Some(name) => {
                out.push(name);
                out.push("[]");
            }
            None => out.push(part),
        }
    }
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        format!("{path}.{key}")
    } else {
        format!("{path}[\"{key}\"]")
    }
}

fn walk<'n>(
    node: &'n Node,
    toks: &[&str],
    here: String,
    key: Option<(&'n str, Pos)>,
    default: Fallback,
    out: &mut Vec<Found<'n>>,
) {
    let Some((first, rest)) = toks.split_first() else {
        out.push(Found::Node(node, here));
        return;
    };
    match *first {
        "*" => {
            for (k, kp, v) in node.entries() {
                walk(
                    v,
                    rest,
                    join(&here, k),
                    Some((k.as_str(), *kp)),
                    default,
                    out,
                );
            }
        }
        "{}" => {
            for (k, kp, _) in node.entries() {
                out.push(Found::Key(k.as_str(), *kp, here.clone(), false));
            }
        }
        "[]" => {
            for (i, item) in node.items().iter().enumerate() {
                walk(item, rest, format!("{here}[{i}]"), key, default, out);
            }
        }
        name => match node.get(name).filter(|n| !n.is_null()) {
            Some(v) => walk(v, rest, join(&here, name), key, default, out),
            None if rest.is_empty() && matches!(node.value, NodeValue::Map(_)) => {
                let referenced = node.get("arn").is_some() && node.get("name").is_none();
                let applies = match default {
                    Fallback::None => false,
                    Fallback::Key => true,
                    Fallback::KeyUnlessReferenced => !referenced,
                };
                if applies && let Some((k, kp)) = key {
                    out.push(Found::Key(k, kp, join(&here, name), true));
                }
            }
            None => {}
        },
    }
}

fn range(l: &Limit) -> String {
    match (l.min, l.max) {
        (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => "any number of".to_string(),
    }
}

/// Checks every value the table covers; a place already reported with the same code is skipped
/// (the field's own rule said it better).
pub(crate) fn check(root: &Node, issues: &mut Vec<Issue>) {
    let mut found_issues = Vec::new();
    for (index, l) in LIMITS.iter().enumerate() {
        let mut found = Vec::new();
        walk(
            root,
            &tokens(l.path),
            String::new(),
            None,
            l.default,
            &mut found,
        );
        for f in found {
            let (text, pos, what) = match f {
                Found::Key(k, kp, path, true) => (
                    k,
                    kp,
                    format!("`{path}` (the logical name `{k}` by default)"),
                ),
                Found::Key(k, kp, path, false) => (k, kp, format!("the name `{k}` in `{path}`")),
                Found::Node(n, field) => {
                    if l.count {
                        let n_entries = match &n.value {
                            NodeValue::Seq(items) => items.len(),
                            NodeValue::Map(entries) => entries.len(),
                            _ => continue,
                        } as u64;
                        // A tag list also carries idplane's two ownership tags.
                        let added = if l.path.ends_with(".tags") {
                            OWNERSHIP_TAGS
                        } else {
                            0
                        };
                        if l.min.is_some_and(|m| n_entries < m)
                            || l.max.is_some_and(|m| n_entries + added > m)
                        {
                            let ours = if added > 0 {
                                format!(" (and idplane adds its {added} ownership tags)")
                            } else {
                                String::new()
                            };
                            found_issues.push(Issue::new(
                                l.code,
                                n.pos,
                                format!(
                                    "`{field}` has {n_entries} entries{ours}; AWS takes {} (`{}` {})",
                                    range(l),
                                    l.service,
                                    l.shape
                                ),
                                None,
                            ));
                        }
                        continue;
                    }
                    match &n.value {
                        NodeValue::Str(t) => (t.as_str(), n.pos, format!("`{field}`")),
                        _ => continue,
                    }
                }
            };
            if l.count {
                continue;
            }
            // References are checked when they resolve; `$${` is a literal `${`.
            let unescaped = text.replace("$${", "");
            if unescaped.contains("${") {
                continue;
            }
            let text = text.replace("$${", "${");
            let len = text.encode_utf16().count() as u64;
            if l.min.is_some_and(|m| len < m) || l.max.is_some_and(|m| len > m) {
                found_issues.push(Issue::new(
                    l.code,
                    pos,
                    if len == 0 {
                        format!("{what} is empty; AWS takes {} characters", range(l))
                    } else {
                        format!("{what} has {len} characters; AWS takes {}", range(l))
                    },
                    Some(format!(
                        "`{}` `{}` allows {} characters",
                        l.service,
                        l.shape,
                        range(l)
                    )),
                ));
            } else if !matches(index, &text) {
                found_issues.push(Issue::new(
                    l.code,
                    pos,
                    format!(
                        "{what} is not accepted by AWS (`{}` {})",
                        l.service, l.shape
                    ),
                    Some(format!("AWS allows {}", allowed(l.shape))),
                ));
            }
        }
    }
    for i in found_issues {
        if !issues.iter().any(|o| o.pos == i.pos && o.code == i.code) {
            issues.push(i);
        }
    }
}
