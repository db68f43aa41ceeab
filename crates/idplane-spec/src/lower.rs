//! Lowering of the merged YAML tree to the model's desired state, and the semantic rules that
//! need the whole stack (references, cycles, cross-resource checks).

use crate::diag::{Sources, did_you_mean};
use crate::yaml::{Node, NodeValue, Pos};
use crate::{Issue, LoadOptions, codes};
use idplane_model::{
    Address, Desired, DesiredResource, InstanceSelector, Kind, Mode, Reference, Secret, SourceSpan,
    Value,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A use of a reference: which resource, which target, where.
struct RefUse {
    from: Address,
    r: Reference,
    pos: Pos,
}

const STANDARD_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];
const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];
const AUTH_FLOWS: &[&str] = &[
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];
const STORE_PATHS: &[&str] = &["emails.value", "userName", "externalIds.id"];

/// Facts about a pool the client rules need.
#[derive(Default)]
struct PoolFacts {
    idps: BTreeSet<String>,
    /// `IDENTIFIER/SCOPE` -> resource server address.
    scopes: BTreeMap<String, Address>,
    /// `custom:NAME` attributes of the pool's schema.
    custom_attributes: BTreeSet<String>,
}

pub(crate) struct Lower<'a> {
    issues: &'a mut Vec<Issue>,
    res: BTreeMap<Address, DesiredResource>,
    refs: Vec<RefUse>,
    sources: &'a Sources,
    dirs: &'a [Option<PathBuf>],
    opts: &'a LoadOptions,
    /// TTI logical name -> (pool named by its issuer URL reference, position).
    tti_pool: BTreeMap<String, Option<String>>,
    /// TTI logical name -> its literal (not referenced) issuer URL.
    tti_url: BTreeMap<String, String>,
    /// (audience reference, issuer reference, position) of JWT bearer grants.
    audiences: Vec<(Reference, Option<Reference>, Pos)>,
    /// (literal audience, issuer reference, position) of JWT bearer grants.
    literal_audiences: Vec<(String, Option<Reference>, Pos)>,
    /// (provider reference, client reference, position) of identity pool providers.
    ip_providers: Vec<(Option<Reference>, Option<Reference>, Pos)>,
    /// user_name -> address; display_name -> address.
    store_users: BTreeMap<String, Address>,
    store_groups: BTreeMap<String, Address>,
    /// (from, kind "USER"/"GROUP", name)
    principal_deps: Vec<(Address, &'static str, String)>,
}

fn s(n: Option<&Node>) -> Option<&str> {
    n.and_then(Node::as_str)
}

fn strs(n: Option<&Node>) -> Vec<(&str, Pos)> {
    n.map(|n| {
        n.items()
            .iter()
            .filter_map(|i| i.as_str().map(|s| (s, i.pos)))
            .collect()
    })
    .unwrap_or_default()
}

fn is_ref(text: &str) -> bool {
    text.starts_with("${") && text.ends_with('}')
}

fn valid_arn(text: &str) -> bool {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && matches!(parts[1], "aws" | "aws-cn" | "aws-us-gov")
        && !parts[2].is_empty()
        && !parts[5].is_empty()
}

impl<'a> Lower<'a> {
    fn issue(
        &mut self,
        code: &'static str,
        pos: Pos,
        msg: impl Into<String>,
        hint: Option<String>,
    ) {
        self.issues.push(Issue::new(code, pos, msg, hint));
    }

    fn span(&self, pos: Pos) -> SourceSpan {
        SourceSpan {
            file: self.sources.name(pos.file).to_string(),
            line: pos.line,
            col: pos.col,
        }
    }

    /// Converts a string, turning a whole-string `${address.output}` into a reference.
    fn string(&mut self, from: &Address, text: &str, pos: Pos) -> Value {
        // `${var.` left in a string was reported as an unknown variable already.
        if !text.contains("${") || text.contains("${var.") {
            return Value::str(text);
        }
        // `$${` writes a literal `${`; IAM policy variables such as `${aws:username}` pass as is.
        if text.contains("$${") {
            return Value::str(text.replace("$${", "${"));
        }
        if text.contains("${aws:")
            || text.contains("${saml:")
            || text.contains("${cognito-identity.amazonaws.com:")
        {
            return Value::str(text);
        }
        let inner = text
            .strip_prefix("${")
            .and_then(|t| t.strip_suffix('}'))
            .filter(|t| !t.contains("${") && !t.contains('}'));
        let Some(inner) = inner else {
            self.issue(
                codes::PARTIAL_REF,
                pos,
                format!("a reference must be the whole string: `{text}`"),
                Some("write the reference alone, e.g. `\"${user_pools.blog.issuer_url}\"`; `${var.NAME}` may appear anywhere".into()),
            );
            return Value::str(text);
        };
        let parsed = inner
            .rsplit_once('.')
            .and_then(|(a, o)| Address::parse(a).ok().map(|a| (a, o.to_string())));
        match parsed {
            Some((address, output)) if !output.is_empty() => {
                let r = Reference { address, output };
                self.refs.push(RefUse {
                    from: from.clone(),
                    r: r.clone(),
                    pos,
                });
                Value::Ref(r)
            }
            _ => {
                self.issue(
                    codes::PARTIAL_REF,
                    pos,
                    format!("malformed reference `{text}`"),
                    Some(
                        "a reference names a resource and an output: `${user_pools.NAME.id}`"
                            .into(),
                    ),
                );
                Value::str(text)
            }
        }
    }

    /// Converts a YAML node into a value (references inside strings resolved).
    fn val(&mut self, from: &Address, n: &Node) -> Value {
        match &n.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::Int(*i),
            NodeValue::Float(f) => Value::Str(f.to_string()),
            NodeValue::Str(t) => self.string(from, t, n.pos),
            NodeValue::Seq(items) => Value::List(items.iter().map(|i| self.val(from, i)).collect()),
            NodeValue::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, _, v)| (k.clone(), self.val(from, v)))
                    .collect(),
            ),
        }
    }

    fn opt_val(&mut self, from: &Address, n: Option<&Node>) -> Option<Value> {
        n.filter(|n| !n.is_null()).map(|n| self.val(from, n))
    }

    /// Copies the listed keys of a mapping node (renamed `yaml -> field`) into a map value.
    fn sub_map(
        &mut self,
        from: &Address,
        n: Option<&Node>,
        keys: &[(&str, &str)],
    ) -> Option<Value> {
        let n = n?;
        let mut m = BTreeMap::new();
        for (yk, fk) in keys {
            if let Some(v) = self.opt_val(from, n.get(yk)) {
                m.insert(fk.to_string(), v);
            }
        }
        Some(Value::Map(m))
    }

    fn add(&mut self, r: DesiredResource) {
        self.res.insert(r.address.clone(), r);
    }

    fn resource(
        &self,
        address: Address,
        kind: Kind,
        parent: Option<&Address>,
        pos: Pos,
    ) -> DesiredResource {
        let mut depends_on = BTreeSet::new();
        if let Some(p) = parent {
            depends_on.insert(p.clone());
        }
        DesiredResource {
            address,
            kind,
            parent: parent.cloned(),
            pinned_id: None,
            mode: Mode::Managed,
            attrs: BTreeMap::new(),
            depends_on,
            source: Some(self.span(pos)),
        }
    }

    fn check_arn(&mut self, n: Option<&Node>, service: &str, what: &str) {
        let Some(n) = n else { return };
        let Some(t) = n.as_str() else { return };
        if is_ref(t) {
            return;
        }
        if !valid_arn(t) || t.split(':').nth(2) != Some(service) {
            self.issue(
                codes::BAD_ARN,
                n.pos,
                format!("`{t}` is not a valid {what} ARN"),
                Some(format!("expected `arn:aws:{service}:...`")),
            );
        }
    }

    /// Checks a URL: absolute, https (plain http only to a loopback host), with a host, and for
    /// redirect URLs (`redirect`: callback, logout and redirect URIs, which may also use an app
    /// scheme such as `myapp://cb`) without a fragment. Lengths and counts are in the limits table.
    fn check_url(&mut self, text: &str, pos: Pos, what: &str, redirect: bool) {
        // A reference is checked when it resolves; `$${` writes a literal `${`, checked as such.
        if text.replace("$${", "").contains("${") {
            return;
        }
        let text = &text.replace("$${", "${");
        let lower = text.to_ascii_lowercase();
        let Some((scheme, rest)) = lower.split_once("://") else {
            self.issue(
                codes::INSECURE_URL,
                pos,
                format!("{what} `{text}` is not an absolute https URL"),
                Some("write the full URL, e.g. `https://app.example.com/callback`".into()),
            );
            return;
        };
        if scheme == "https" || scheme == "http" {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let host = if host_port.starts_with('[') {
                host_port.split_once(']').map_or(host_port, |(h, _)| h)
            } else {
                host_port.split(':').next().unwrap_or_default()
            };
            let host = host.trim_start_matches('[');
            if host.is_empty() || text.contains(char::is_whitespace) {
                self.issue(
                    codes::INSECURE_URL,
                    pos,
                    format!("{what} `{text}` has no host"),
                    Some("write the full URL, e.g. `https://app.example.com/callback`".into()),
                );
                return;
            }
            if scheme == "http" && !["localhost", "127.0.0.1", "::1"].contains(&host) {
                self.issue(
                    codes::INSECURE_URL,
                    pos,
                    format!("{what} `{text}` is not https"),
                    Some("AWS accepts plain http only for http://localhost, http://127.0.0.1 and http://[::1]; use https://".into()),
                );
                return;
            }
        } else {
            let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
            if !(redirect && scheme_ok && !text.contains(char::is_whitespace)) {
                self.issue(
                    codes::INSECURE_URL,
                    pos,
                    format!("{what} `{text}` is not an absolute https URL"),
                    Some("write the full URL, e.g. `https://app.example.com/callback`".into()),
                );
                return;
            }
        }
        if redirect && text.contains('#') {
            self.issue(
                codes::INSECURE_URL,
                pos,
                format!("{what} `{text}` has a fragment (`#...`)"),
                Some("a redirect URI may not include a fragment (OAuth 2.0, RFC 6749 3.1.2); remove the `#` part".into()),
            );
        }
    }

    fn duplicates(&mut self, items: &[(&str, Pos)], what: &str) {
        let mut seen = BTreeSet::new();
        for (t, p) in items {
            if !seen.insert(*t) {
                self.issue(
                    codes::DUPLICATE_ITEM,
                    *p,
                    format!("{what} `{t}` is listed twice"),
                    Some("remove the repeated entry".into()),
                );
            }
        }
    }

    fn secret(&mut self, n: &Node) -> Option<Value> {
        let source = match &n.value {
            NodeValue::Str(_) => {
                self.issue(
                    codes::INLINE_SECRET,
                    n.pos,
                    "a secret may not be written inline",
                    Some("reference it: `client_secret: {env: NAME}` or `client_secret: {file: path}`".into()),
                );
                return None;
            }
            NodeValue::Map(entries) if entries.len() == 1 => {
                let (k, _, v) = &entries[0];
                match (k.as_str(), v.as_str()) {
                    ("env", Some(name)) if !name.is_empty() => format!("env:{name}"),
                    ("file", Some(path)) if !path.is_empty() => format!("file:{path}"),
                    _ => String::new(),
                }
            }
            _ => String::new(),
        };
        if source.is_empty() {
            self.issue(
                codes::INLINE_SECRET,
                n.pos,
                "a secret must be `{env: NAME}` or `{file: path}`",
                Some("e.g. `client_secret: {env: OKTA_CLIENT_SECRET}`".into()),
            );
            return None;
        }
        match Secret::resolve(&source) {
            Ok(secret) => Some(Value::Secret(secret)),
            Err(e) => {
                if self.opts.resolve_secrets {
                    self.issue(
                        codes::SECRET_UNREADABLE,
                        n.pos,
                        format!("cannot read secret: {e}"),
                        Some(
                            "set the variable or create the file before running plan or apply"
                                .into(),
                        ),
                    );
                    None
                } else {
                    self.issue(
                        codes::SECRET_NOT_SET,
                        n.pos,
                        format!("secret not readable now: {e}"),
                        Some("plan and apply will need it".into()),
                    );
                    Some(Value::Secret(Secret::from_digest_and_source("", source)))
                }
            }
        }
    }

    fn duration(
        &mut self,
        n: Option<&Node>,
        min: i64,
        max: i64,
        unit: i64,
        what: &str,
    ) -> Option<Value> {
        let n = n?;
        let secs = match &n.value {
            NodeValue::Int(i) => Some(*i),
            NodeValue::Str(t) => parse_duration(t),
            _ => return None,
        };
        let Some(secs) = secs else {
            self.issue(
                codes::DURATION,
                n.pos,
                format!("cannot read {what} as a duration"),
                Some("write seconds as a number, or text such as `90s`, `60m`, `1h`, `30d`".into()),
            );
            return None;
        };
        if secs < min || secs > max || secs % unit != 0 {
            self.issue(
                codes::DURATION,
                n.pos,
                format!(
                    "{what} must be between {} and {}{}",
                    human(min),
                    human(max),
                    if unit > 1 { " in whole minutes" } else { "" }
                ),
                None,
            );
            return None;
        }
        Some(Value::Int(secs / unit))
    }
}

fn parse_duration(t: &str) -> Option<i64> {
    let t = t.trim();
    let (num, mult) = match t.char_indices().last()? {
        (i, 's') => (&t[..i], 1),
        (i, 'm') => (&t[..i], 60),
        (i, 'h') => (&t[..i], 3600),
        (i, 'd') => (&t[..i], 86400),
        _ => (t, 1),
    };
    num.trim().parse::<i64>().ok()?.checked_mul(mult)
}

fn human(secs: i64) -> String {
    if secs % 86400 == 0 {
        format!("{}d", secs / 86400)
    } else if secs % 3600 == 0 {
        format!("{}h", secs / 3600)
    } else if secs % 60 == 0 {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}

fn bool_str(b: bool) -> Value {
    Value::str(if b { "true" } else { "false" })
}

/// Lowers the merged tree into the desired state and runs the semantic rules.
pub(crate) fn lower(
    root: &Node,
    any_input: bool,
    dirs: &[Option<PathBuf>],
    sources: &Sources,
    opts: &LoadOptions,
    issues: &mut Vec<Issue>,
) -> Option<Desired> {
    if !any_input {
        return None;
    }
    let mut l = Lower {
        issues,
        res: BTreeMap::new(),
        refs: Vec::new(),
        sources,
        dirs,
        opts,
        tti_pool: BTreeMap::new(),
        tti_url: BTreeMap::new(),
        audiences: Vec::new(),
        literal_audiences: Vec::new(),
        ip_providers: Vec::new(),
        store_users: BTreeMap::new(),
        store_groups: BTreeMap::new(),
        principal_deps: Vec::new(),
    };
    let (stack, region) = l.header(root);
    let accounts = l.accounts(root);
    let assume_role = l.assume_role(root, &stack);
    for (name, _, n) in root
        .get("user_pools")
        .map(Node::entries)
        .unwrap_or_default()
    {
        l.user_pool(name, n);
    }
    if let Some(store) = root.get("identity_store") {
        l.identity_store(store);
    }
    for (name, _, n) in root
        .get("identity_pools")
        .map(Node::entries)
        .unwrap_or_default()
    {
        l.identity_pool(name, n);
    }
    let mut identity_center = InstanceSelector::None;
    if let Some(ic) = root.get("identity_center") {
        identity_center = l.identity_center(ic);
    }
    if identity_center == InstanceSelector::None && root.get("identity_store").is_some() {
        identity_center = InstanceSelector::Auto;
    }
    l.principals();
    l.check_refs();
    l.cross_checks();
    l.check_natural_keys();
    l.check_ownership_tags();
    l.cycles();
    if l.res.is_empty() && root.entries().iter().any(|(k, _, _)| k == "stack") {
        let pos = root.pos;
        l.issue(
            codes::EMPTY_STACK,
            pos,
            "the stack defines no resource",
            Some(
                "add `user_pools`, `identity_pools`, `identity_center` or `identity_store`".into(),
            ),
        );
    }
    Some(Desired {
        stack,
        region,
        accounts,
        assume_role,
        identity_center,
        resources: l.res,
    })
}

/// An STS role session name: 2 to 64 of `[\w+=,.@-]`.
fn valid_session_name(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

impl Lower<'_> {
    fn header(&mut self, root: &Node) -> (String, String) {
        match root.get("version") {
            Some(v) if v.is_null() => self.issue(
                codes::VERSION,
                v.pos,
                "`version` is empty",
                Some("write `version: 1`".into()),
            ),
            None => self.issue(
                codes::VERSION,
                root.pos,
                "missing `version`",
                Some("start the stack with `version: 1`".into()),
            ),
            Some(v) if v.as_int() != Some(1) && matches!(v.value, NodeValue::Int(_)) => self.issue(
                codes::VERSION,
                v.pos,
                "unsupported spec version",
                Some("this idplane understands `version: 1`".into()),
            ),
            _ => {}
        }
        let stack = s(root.get("stack")).unwrap_or_default().to_string();
        match root.get("stack") {
            None => self.issue(
                codes::STACK_HEADER,
                root.pos,
                "missing `stack` (the stack name)",
                Some("add `stack: my-stack`; ownership tags carry it".into()),
            ),
            Some(n) if n.is_null() => self.issue(
                codes::STACK_HEADER,
                n.pos,
                "`stack` is empty",
                Some("add `stack: my-stack`; ownership tags carry it".into()),
            ),
            Some(n) => {
                if let Some(t) = n.as_str()
                    && (t.is_empty()
                        || t.len() > 64
                        || !t
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                {
                    self.issue(
                        codes::STACK_HEADER,
                        n.pos,
                        format!("invalid stack name `{t}`"),
                        Some("use 1 to 64 letters, digits, `-` and `_`".into()),
                    );
                }
            }
        }
        let region = s(root.get("region")).unwrap_or_default().to_string();
        match root.get("region") {
            None => self.issue(
                codes::STACK_HEADER,
                root.pos,
                "missing `region`",
                Some("add `region: us-east-1` (the region of the Cognito resources)".into()),
            ),
            Some(n) if n.is_null() => self.issue(
                codes::STACK_HEADER,
                n.pos,
                "`region` is empty",
                Some("add `region: us-east-1` (the region of the Cognito resources)".into()),
            ),
            Some(n) => {
                if let Some(t) = n.as_str() {
                    let parts: Vec<&str> = t.split('-').collect();
                    let ok = parts.len() >= 3
                        && parts[0].len() == 2
                        && parts[0].chars().all(|c| c.is_ascii_lowercase())
                        && parts.last().is_some_and(|p| p.parse::<u8>().is_ok())
                        && parts[1..parts.len() - 1]
                            .iter()
                            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()));
                    if !ok {
                        self.issue(
                            codes::STACK_HEADER,
                            n.pos,
                            format!("`{t}` is not an AWS region"),
                            Some("e.g. `us-east-1`, `eu-west-3`".into()),
                        );
                    }
                }
            }
        }
        (stack, region)
    }

    /// The `account` guard: one id or a list, each 12 digits.
    fn accounts(&mut self, root: &Node) -> Vec<String> {
        let Some(n) = root.get("account") else {
            return Vec::new();
        };
        let items: Vec<&Node> = match &n.value {
            NodeValue::Seq(items) => items.iter().collect(),
            _ => vec![n],
        };
        if items.is_empty() {
            self.issue(
                codes::ACCOUNT,
                n.pos,
                "`account` lists no account",
                Some(
                    "name the account id, e.g. `account: \"123456789012\"`, or remove the key"
                        .into(),
                ),
            );
        }
        let mut out = Vec::new();
        for item in items {
            match item.as_str() {
                Some(t) if t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()) => {
                    out.push(t.to_string())
                }
                Some(t) => self.issue(
                    codes::ACCOUNT,
                    item.pos,
                    format!("`{t}` is not an AWS account id"),
                    Some(
                        "an account id is 12 digits, written as a string: `\"123456789012\"`"
                            .into(),
                    ),
                ),
                // Wrong types are reported by the schema check.
                None => {}
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// `assume_role`: the ARN, external id, session name and duration AWS accepts.
    fn assume_role(&mut self, root: &Node, stack: &str) -> Option<idplane_model::AssumeRole> {
        let n = root.get("assume_role")?;
        let arn_node = n.get("arn")?;
        let arn = arn_node.as_str()?.to_string();
        let role_ok = arn
            .strip_prefix("arn:")
            .and_then(|r| r.split_once(":iam::"))
            .and_then(|(partition, rest)| {
                let (account, name) = rest.split_once(":role/")?;
                Some(
                    partition.starts_with("aws")
                        && account.len() == 12
                        && account.bytes().all(|b| b.is_ascii_digit())
                        && !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c)),
                )
            })
            .unwrap_or(false);
        if !role_ok {
            self.issue(
                codes::ASSUME_ROLE,
                arn_node.pos,
                format!("`{arn}` is not an IAM role ARN"),
                Some("e.g. `arn:aws:iam::123456789012:role/idplane-deployer`".into()),
            );
        }
        let text = |k: &str| n.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let external_id = text("external_id");
        if let (Some(id), Some(node)) = (&external_id, n.get("external_id"))
            && (id.len() < 2
                || id.len() > 1224
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@:/_-".contains(c)))
        {
            self.issue(
                codes::ASSUME_ROLE,
                node.pos,
                "`external_id` must be 2 to 1224 letters, digits or `+=,.@:/_-`",
                None,
            );
        }
        let session_name = text("session_name");
        if let (Some(name), Some(node)) = (&session_name, n.get("session_name"))
            && !valid_session_name(name)
        {
            self.issue(
                codes::ASSUME_ROLE,
                node.pos,
                "`session_name` must be 2 to 64 letters, digits or `+=,.@_-`",
                None,
            );
        }
        let duration = n.get("duration").and_then(|v| v.as_int());
        if let (Some(d), Some(node)) = (duration, n.get("duration"))
            && !(900..=43_200).contains(&d)
        {
            self.issue(
                codes::ASSUME_ROLE,
                node.pos,
                format!("`duration` {d} is outside 900 to 43200 seconds"),
                Some("AWS allows 15 minutes to 12 hours (and the role's maximum)".into()),
            );
        }
        let default_name: String = format!("idplane-{stack}").chars().take(64).collect();
        Some(idplane_model::AssumeRole {
            arn,
            external_id,
            session_name: session_name
                .or_else(|| valid_session_name(&default_name).then_some(default_name)),
            duration_seconds: duration.and_then(|d| u32::try_from(d).ok()),
        })
    }

    fn user_pool(&mut self, key: &str, n: &Node) {
        let addr = Address::root("user_pools", key);
        let mut r = self.resource(addr.clone(), Kind::UserPool, None, n.pos);
        r.pinned_id = s(n.get("id")).map(str::to_string);
        let a = &mut BTreeMap::new();
        a.insert(
            "name".into(),
            self.opt_val(&addr, n.get("name"))
                .unwrap_or_else(|| Value::str(key)),
        );
        let mut schema_required = Vec::new();
        if let Some(si) = n.get("sign_in") {
            let alias = strs(si.get("alias_attributes"));
            let username = strs(si.get("username_attributes"));
            for (v, p) in &alias {
                if !["email", "phone_number", "preferred_username"].contains(v) {
                    self.issue(
                        codes::BAD_VALUE,
                        *p,
                        format!("`{v}` cannot be an alias attribute"),
                        Some("use email, phone_number or preferred_username".into()),
                    );
                }
            }
            for (v, p) in &username {
                if !["email", "phone_number"].contains(v) {
                    self.issue(
                        codes::BAD_VALUE,
                        *p,
                        format!("`{v}` cannot be a username attribute"),
                        Some("use email or phone_number".into()),
                    );
                }
            }
            self.duplicates(&alias, "alias attribute");
            if !alias.is_empty() && !username.is_empty() {
                let pos = si.key_pos("username_attributes").unwrap_or(si.pos);
                self.issue(
                    codes::ALIAS_AND_USERNAME,
                    pos,
                    "`alias_attributes` and `username_attributes` cannot both be set",
                    Some("choose one: aliases keep a user name and add sign-in aliases; username attributes replace the user name".into()),
                );
            }
            if let Some(v) = self.opt_val(&addr, si.get("alias_attributes")) {
                a.insert("alias_attributes".into(), v);
            }
            if let Some(v) = self.opt_val(&addr, si.get("username_attributes")) {
                a.insert("username_attributes".into(), v);
            }
            if let Some(v) = self.opt_val(&addr, si.get("case_sensitive")) {
                a.insert("username_case_sensitive".into(), v);
            }
        }
        if let Some(sc) = n.get("schema") {
            let mut m = BTreeMap::new();
            let mut customs = 0;
            for (name, kp, attr) in sc.entries() {
                let custom = name.strip_prefix("custom:");
                if let Some(c) = custom {
                    customs += 1;
                    if c.is_empty()
                        || c.len() > 20
                        || !c
                            .chars()
                            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
                    {
                        self.issue(
                            codes::SCHEMA_ATTRIBUTE,
                            *kp,
                            format!("invalid custom attribute name `{name}`"),
                            Some("custom names have 1 to 20 letters, digits, `_` or `-` after `custom:`".into()),
                        );
                    }
                    if attr.get("required").and_then(Node::as_bool) == Some(true) {
                        self.issue(
                            codes::SCHEMA_ATTRIBUTE,
                            attr.key_pos("required").unwrap_or(*kp),
                            format!("custom attribute `{name}` cannot be required"),
                            Some("Cognito allows `required` on standard attributes only".into()),
                        );
                    }
                } else if !STANDARD_ATTRIBUTES.contains(&name.as_str()) {
                    let hint = match did_you_mean(name, STANDARD_ATTRIBUTES.iter().copied()) {
                        Some(m) => format!(
                            "did you mean `{m}`? custom attributes are written `custom:{name}`"
                        ),
                        None => format!("custom attributes are written `custom:{name}`"),
                    };
                    self.issue(
                        codes::SCHEMA_ATTRIBUTE,
                        *kp,
                        format!("`{name}` is not a standard attribute"),
                        Some(hint),
                    );
                }
                if attr.get("required").and_then(Node::as_bool) == Some(true) {
                    schema_required.push(name.clone());
                }
                let mut am = BTreeMap::new();
                for (yk, fk) in [
                    ("type", "attribute_data_type"),
                    ("required", "required"),
                    ("mutable", "mutable"),
                    ("developer_only", "developer_only"),
                ] {
                    if let Some(v) = self.opt_val(&addr, attr.get(yk)) {
                        am.insert(fk.to_string(), v);
                    }
                }
                if let Some(Value::Map(sm)) = self.sub_map(
                    &addr,
                    Some(attr),
                    &[("min_length", "min_length"), ("max_length", "max_length")],
                ) && !sm.is_empty()
                {
                    am.insert("string_constraints".into(), Value::Map(sm));
                }
                if let Some(Value::Map(nm)) = self.sub_map(
                    &addr,
                    Some(attr),
                    &[("min_value", "min_value"), ("max_value", "max_value")],
                ) && !nm.is_empty()
                {
                    am.insert("number_constraints".into(), Value::Map(nm));
                }
                m.insert(name.clone(), Value::Map(am));
            }
            if customs > 50 {
                self.issue(
                    codes::SCHEMA_ATTRIBUTE,
                    sc.pos,
                    format!("{customs} custom attributes; a pool has at most 50"),
                    None,
                );
            }
            a.insert("schema".into(), Value::Map(m));
        }
        if let Some(v) = self.opt_val(&addr, n.get("auto_verified_attributes")) {
            for (t, p) in strs(n.get("auto_verified_attributes")) {
                if !["email", "phone_number"].contains(&t) {
                    self.issue(
                        codes::BAD_VALUE,
                        p,
                        format!("`{t}` cannot be auto-verified"),
                        Some("use email or phone_number".into()),
                    );
                }
            }
            a.insert("auto_verified_attributes".into(), v);
        }
        if let Some(pp) = n.get("password_policy") {
            for (k, lo, hi) in [
                ("minimum_length", 6, 99),
                ("temporary_password_validity_days", 0, 365),
                ("password_history_size", 0, 24),
            ] {
                if let Some(v) = pp.get(k)
                    && let Some(i) = v.as_int()
                    && !(lo..=hi).contains(&i)
                {
                    self.issue(
                        codes::PASSWORD_POLICY,
                        v.pos,
                        format!("`{k}` must be between {lo} and {hi}, found {i}"),
                        None,
                    );
                }
            }
            let keys: Vec<(&str, &str)> = [
                "minimum_length",
                "require_uppercase",
                "require_lowercase",
                "require_numbers",
                "require_symbols",
                "temporary_password_validity_days",
                "password_history_size",
            ]
            .iter()
            .map(|k| (*k, *k))
            .collect();
            if let Some(v) = self.sub_map(&addr, Some(pp), &keys) {
                a.insert("password_policy".into(), v);
            }
        }
        if let Some(mfa) = n.get("mfa") {
            let mode = s(mfa.get("configuration"));
            let totp = mfa
                .get("software_token")
                .and_then(Node::as_bool)
                .unwrap_or(false);
            if matches!(mode, Some("ON") | Some("OPTIONAL")) && !totp && n.get("sms").is_none() {
                self.issue(
                    codes::MFA,
                    mfa.get("configuration").map(|c| c.pos).unwrap_or(mfa.pos),
                    format!("MFA `{}` needs a second factor", mode.unwrap_or_default()),
                    Some("set `software_token: true` or configure `sms`".into()),
                );
            }
            if let Some(v) = self.opt_val(&addr, mfa.get("configuration")) {
                a.insert("mfa_configuration".into(), v);
            }
            if let Some(v) = self.opt_val(&addr, mfa.get("software_token")) {
                a.insert("software_token_mfa".into(), v);
            }
        }
        if n.get("admin_create_user_only").is_some() || n.get("invite_message").is_some() {
            let mut m = BTreeMap::new();
            if let Some(v) = self.opt_val(&addr, n.get("admin_create_user_only")) {
                m.insert("allow_admin_create_user_only".to_string(), v);
            }
            if let Some(v) = self.sub_map(
                &addr,
                n.get("invite_message"),
                &[
                    ("email_subject", "email_subject"),
                    ("email_message", "email_message"),
                    ("sms_message", "sms_message"),
                ],
            ) {
                m.insert("invite_message_template".to_string(), v);
            }
            a.insert("admin_create_user_config".into(), Value::Map(m));
        }
        if let Some(ar) = n.get("account_recovery") {
            let mut list = Vec::new();
            let mut seen = Vec::new();
            for (i, item) in ar.items().iter().enumerate() {
                let mut m = BTreeMap::new();
                if let Some(name) = s(item.get("name")) {
                    if seen.contains(&name) {
                        self.issue(
                            codes::DUPLICATE_ITEM,
                            item.pos,
                            format!("recovery mechanism `{name}` is listed twice"),
                            None,
                        );
                    }
                    seen.push(name);
                    m.insert("name".to_string(), Value::str(name));
                }
                let prio = item
                    .get("priority")
                    .and_then(Node::as_int)
                    .unwrap_or(i as i64 + 1);
                m.insert("priority".to_string(), Value::Int(prio));
                list.push(Value::Map(m));
            }
            a.insert("account_recovery".into(), Value::List(list));
        }
        if let Some(email) = n.get("email") {
            if s(email.get("sending_account")) == Some("DEVELOPER")
                && email.get("source_arn").is_none()
            {
                self.issue(
                    codes::EMAIL_CONFIG,
                    email.pos,
                    "`sending_account: DEVELOPER` needs `source_arn` (a verified SES identity)",
                    None,
                );
            }
            self.check_arn(email.get("source_arn"), "ses", "SES identity");
            if let Some(v) = self.sub_map(
                &addr,
                Some(email),
                &[
                    ("sending_account", "email_sending_account"),
                    ("source_arn", "source_arn"),
                    ("from", "from"),
                    ("reply_to", "reply_to_email_address"),
                    ("configuration_set", "configuration_set"),
                ],
            ) {
                a.insert("email_configuration".into(), v);
            }
        }
        if let Some(sms) = n.get("sms") {
            self.check_arn(sms.get("sns_caller_arn"), "iam", "IAM role");
            if let Some(v) = self.sub_map(
                &addr,
                Some(sms),
                &[
                    ("sns_caller_arn", "sns_caller_arn"),
                    ("external_id", "external_id"),
                    ("sns_region", "sns_region"),
                ],
            ) {
                a.insert("sms_configuration".into(), v);
            }
        }
        if let Some(vm) = n.get("verification_message") {
            let keys = [
                "default_email_option",
                "email_subject",
                "email_message",
                "email_subject_by_link",
                "email_message_by_link",
                "sms_message",
            ];
            let keys: Vec<(&str, &str)> = keys.iter().map(|k| (*k, *k)).collect();
            if let Some(v) = self.sub_map(&addr, Some(vm), &keys) {
                a.insert("verification_message_template".into(), v);
            }
        }
        if let Some(lt) = n.get("lambda_triggers") {
            let mut keys = Vec::new();
            let mut versioned = None;
            for (k, _, v) in lt.entries() {
                if k == "pre_token_generation" && v.get("arn").is_some() {
                    // `{arn, version}`: both halves of the trigger, kept in step.
                    self.check_arn(v.get("arn"), "lambda", "Lambda function");
                    versioned = self.opt_val(&addr, v.get("arn")).map(|arn| {
                        let version = v
                            .get("version")
                            .and_then(Node::as_str)
                            .unwrap_or("V1_0")
                            .to_string();
                        (arn, version)
                    });
                    continue;
                }
                self.check_arn(lt.get(k), "lambda", "Lambda function");
                keys.push((k.as_str(), k.as_str()));
            }
            if let Some(mut v) = self.sub_map(&addr, Some(lt), &keys) {
                if let (Value::Map(m), Some((arn, version))) = (&mut v, versioned) {
                    m.insert("pre_token_generation".into(), arn.clone());
                    m.insert(
                        "pre_token_generation_config".into(),
                        Value::Map(BTreeMap::from([
                            ("lambda_arn".to_string(), arn),
                            ("lambda_version".to_string(), Value::str(version)),
                        ])),
                    );
                }
                a.insert("lambda_config".into(), v);
            }
        }
        if let Some(v) = self.opt_val(&addr, n.get("issuer_type")) {
            a.insert("issuer_type".into(), v);
        }
        if let Some(b) = n.get("deletion_protection").and_then(Node::as_bool) {
            a.insert(
                "deletion_protection".into(),
                Value::str(if b { "ACTIVE" } else { "INACTIVE" }),
            );
        }
        if let Some(v) = self.opt_val(&addr, n.get("tags")) {
            a.insert("tags".into(), v);
        }
        r.attrs = std::mem::take(a);
        self.add(r);

        let mut facts = PoolFacts::default();
        for (name, _, _) in n.get("schema").map(Node::entries).unwrap_or_default() {
            if name.starts_with("custom:") {
                facts.custom_attributes.insert(name.clone());
            }
        }
        if let Some(d) = n.get("domain") {
            self.domain(&addr, d);
        }
        for (pname, kp, idp) in n
            .get("identity_providers")
            .map(Node::entries)
            .unwrap_or_default()
        {
            facts.idps.insert(pname.clone());
            self.identity_provider(&addr, pname, *kp, idp, &schema_required);
        }
        for (rname, _, rs) in n
            .get("resource_servers")
            .map(Node::entries)
            .unwrap_or_default()
        {
            let raddr = addr.child(["resource_servers", rname.as_str()]);
            let mut r = self.resource(raddr.clone(), Kind::ResourceServer, Some(&addr), rs.pos);
            if let Some(v) = self.opt_val(&raddr, rs.get("identifier")) {
                r.attrs.insert("identifier".into(), v);
            }
            r.attrs.insert(
                "name".into(),
                self.opt_val(&raddr, rs.get("name"))
                    .unwrap_or_else(|| Value::str(rname)),
            );
            if let Some(v) = self.opt_val(&raddr, rs.get("scopes")) {
                r.attrs.insert("scopes".into(), v);
            }
            if let Some(id) = s(rs.get("identifier")) {
                for (scope, _, _) in rs.get("scopes").map(Node::entries).unwrap_or_default() {
                    facts.scopes.insert(format!("{id}/{scope}"), raddr.clone());
                }
            }
            self.add(r);
        }
        for (gname, _, g) in n.get("groups").map(Node::entries).unwrap_or_default() {
            let gaddr = addr.child(["groups", gname.as_str()]);
            let mut r = self.resource(gaddr.clone(), Kind::UserPoolGroup, Some(&addr), g.pos);
            r.attrs.insert("name".into(), Value::str(gname));
            for k in ["description", "precedence", "role_arn"] {
                if let Some(v) = self.opt_val(&gaddr, g.get(k)) {
                    r.attrs.insert(k.into(), v);
                }
            }
            self.check_arn(g.get("role_arn"), "iam", "IAM role");
            self.add(r);
        }
        for (cname, _, c) in n.get("clients").map(Node::entries).unwrap_or_default() {
            self.client(&addr, cname, c, &facts);
        }
    }

    fn domain(&mut self, pool: &Address, d: &Node) {
        let addr = pool.child(["domain"]);
        let mut r = self.resource(addr.clone(), Kind::UserPoolDomain, Some(pool), d.pos);
        let prefix = d.get("prefix");
        let custom = d.get("custom_domain");
        match (prefix, custom) {
            (Some(_), Some(c)) => self.issue(
                codes::DOMAIN,
                c.pos,
                "a domain has either `prefix` or `custom_domain`, not both",
                None,
            ),
            (None, None) => self.issue(
                codes::DOMAIN,
                d.pos,
                "a domain needs `prefix` or `custom_domain`",
                Some("e.g. `domain: {prefix: \"${var.domain_prefix}\"}`".into()),
            ),
            (Some(p), None) => {
                if let Some(t) = p.as_str().filter(|t| !t.contains("${")) {
                    let bad_chars = t.is_empty()
                        || t.len() > 63
                        || t.starts_with('-')
                        || t.ends_with('-')
                        || !t
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if bad_chars {
                        self.issue(
                            codes::DOMAIN,
                            p.pos,
                            format!("invalid domain prefix `{t}`"),
                            Some("use 1 to 63 lowercase letters, digits and inner hyphens".into()),
                        );
                    } else if ["aws", "amazon", "cognito"].iter().any(|w| t.contains(w)) {
                        self.issue(
                            codes::DOMAIN,
                            p.pos,
                            format!("domain prefix `{t}` contains a reserved word"),
                            Some(
                                "Cognito rejects prefixes containing `aws`, `amazon` or `cognito`"
                                    .into(),
                            ),
                        );
                    }
                }
                if let Some(c) = d.get("certificate_arn") {
                    self.issue(
                        codes::DOMAIN,
                        c.pos,
                        "`certificate_arn` applies to a `custom_domain` only",
                        None,
                    );
                }
            }
            (None, Some(_)) => {
                if d.get("certificate_arn").is_none() {
                    self.issue(
                        codes::DOMAIN,
                        d.pos,
                        "a custom domain needs `certificate_arn` (an ACM certificate in us-east-1)",
                        None,
                    );
                }
                self.check_arn(d.get("certificate_arn"), "acm", "ACM certificate");
            }
        }
        if let Some(v) = self.opt_val(&addr, prefix.or(custom)) {
            r.attrs.insert("domain".into(), v);
        }
        if let Some(v) = self.opt_val(&addr, d.get("certificate_arn")) {
            r.attrs.insert("certificate_arn".into(), v);
        }
        if let Some(mv) = d.get("managed_login_version") {
            if let Some(i) = mv.as_int()
                && !(1..=2).contains(&i)
            {
                self.issue(
                    codes::BAD_VALUE,
                    mv.pos,
                    "`managed_login_version` is 1 or 2",
                    None,
                );
            }
            if mv.as_int() == Some(2) {
                self.issue(
                    codes::DOMAIN,
                    mv.pos,
                    "`managed_login_version: 2` is not supported yet: with managed login, \
                     Cognito shows a client no login pages until a branding style exists \
                     (CreateManagedLoginBranding), and idplane does not manage branding styles",
                    Some(
                        "use `managed_login_version: 1` (the classic hosted UI), or leave the \
                         domain's version to the console and omit the key"
                            .into(),
                    ),
                );
            }
            if let Some(v) = self.opt_val(&addr, Some(mv)) {
                r.attrs.insert("managed_login_version".into(), v);
            }
        }
        self.add(r);
    }

    fn identity_provider(
        &mut self,
        pool: &Address,
        name: &str,
        kp: Pos,
        n: &Node,
        required: &[String],
    ) {
        let addr = pool.child(["identity_providers", name]);
        let mut r = self.resource(addr.clone(), Kind::IdentityProvider, Some(pool), n.pos);
        if name.is_empty()
            || name.chars().count() > 32
            || name.eq_ignore_ascii_case("cognito")
            || name.starts_with('_')
            || name.contains(char::is_whitespace)
        {
            self.issue(
                codes::IDP_NAME,
                kp,
                format!("invalid identity provider name `{name}`"),
                Some(
                    "1 to 32 characters, no spaces, not starting with `_`, and not `COGNITO`"
                        .into(),
                ),
            );
        }
        r.attrs.insert("name".into(), Value::str(name));
        let mut details = BTreeMap::new();
        match (n.get("saml"), n.get("oidc")) {
            (Some(_), Some(o)) => self.issue(
                codes::IDP_PROTOCOL,
                o.pos,
                format!("identity provider `{name}` has both `saml` and `oidc`"),
                Some("one provider speaks one protocol; declare two providers".into()),
            ),
            (None, None) => self.issue(
                codes::IDP_PROTOCOL,
                n.pos,
                format!("identity provider `{name}` needs `saml` or `oidc`"),
                None,
            ),
            (Some(saml), None) => {
                r.attrs.insert("provider_type".into(), Value::str("SAML"));
                let url = saml.get("metadata_url");
                let file = saml.get("metadata_file");
                match (url, file) {
                    (Some(_), Some(f)) => self.issue(
                        codes::SAML_METADATA,
                        f.pos,
                        "a SAML provider takes `metadata_url` or `metadata_file`, not both",
                        Some(
                            "keep the URL when the IdP publishes one: Cognito refreshes it".into(),
                        ),
                    ),
                    (None, None) => self.issue(
                        codes::SAML_METADATA,
                        saml.pos,
                        "a SAML provider needs `metadata_url` or `metadata_file`",
                        None,
                    ),
                    _ => {}
                }
                if let Some(u) = url {
                    if let Some(t) = u.as_str() {
                        self.check_url(t, u.pos, "metadata URL", false);
                    }
                    if let Some(v) = self.opt_val(&addr, Some(u)) {
                        details.insert("MetadataURL".to_string(), v);
                    }
                }
                if let Some(f) = file
                    && let Some(path) = f.as_str()
                {
                    let base = self.dirs.get(f.pos.file).cloned().flatten();
                    let full = match base {
                        Some(b) if !std::path::Path::new(path).is_absolute() => b.join(path),
                        _ => PathBuf::from(path),
                    };
                    match idplane_model::files::read_text(
                        &full,
                        idplane_model::files::MAX_METADATA_BYTES,
                    ) {
                        Ok(xml) if xml.contains("EntityDescriptor") => {
                            details.insert("MetadataFile".to_string(), Value::str(xml));
                        }
                        Ok(_) => self.issue(
                            codes::METADATA_FILE,
                            f.pos,
                            format!("`{path}` is not SAML metadata (no EntityDescriptor)"),
                            None,
                        ),
                        Err(e) => self.issue(
                            codes::METADATA_FILE,
                            f.pos,
                            format!("cannot read metadata file `{path}`: {e}"),
                            Some("the path is relative to the spec file's directory".into()),
                        ),
                    }
                }
                for (yk, ak) in [
                    ("idp_signout", "IDPSignout"),
                    ("encrypted_responses", "EncryptedResponses"),
                    ("idp_init", "IDPInit"),
                ] {
                    if let Some(b) = saml.get(yk).and_then(Node::as_bool) {
                        details.insert(ak.to_string(), bool_str(b));
                    }
                }
                if let Some(alg) = saml.get("request_signing_algorithm") {
                    if let Some(t) = alg.as_str()
                        && t != "rsa-sha256"
                    {
                        self.issue(
                            codes::BAD_VALUE,
                            alg.pos,
                            format!("unsupported request signing algorithm `{t}`"),
                            Some("Cognito supports `rsa-sha256`".into()),
                        );
                    }
                    if let Some(v) = self.opt_val(&addr, Some(alg)) {
                        details.insert("RequestSigningAlgorithm".to_string(), v);
                    }
                }
            }
            (None, Some(oidc)) => {
                r.attrs.insert("provider_type".into(), Value::str("OIDC"));
                if let Some(i) = oidc.get("issuer") {
                    if let Some(t) = i.as_str() {
                        self.check_url(t, i.pos, "OIDC issuer", false);
                    }
                    if let Some(v) = self.opt_val(&addr, Some(i)) {
                        details.insert("oidc_issuer".to_string(), v);
                    }
                }
                if let Some(v) = self.opt_val(&addr, oidc.get("client_id")) {
                    details.insert("client_id".to_string(), v);
                }
                if let Some(sec) = oidc.get("client_secret")
                    && let Some(v) = self.secret(sec)
                {
                    details.insert("client_secret".to_string(), v);
                }
                let scopes = strs(oidc.get("scopes"));
                match oidc.get("scopes") {
                    Some(sn) if !scopes.iter().any(|(t, _)| *t == "openid") => self.issue(
                        codes::OIDC_SCOPES,
                        sn.pos,
                        "OIDC scopes must include `openid`",
                        Some("e.g. `scopes: [openid, email, profile]`".into()),
                    ),
                    None => self.issue(
                        codes::OIDC_SCOPES,
                        oidc.pos,
                        "an OIDC provider needs `scopes` (with `openid`)",
                        Some("e.g. `scopes: [openid, email, profile]`".into()),
                    ),
                    _ => {}
                }
                self.duplicates(&scopes, "scope");
                if !scopes.is_empty() {
                    let joined: Vec<&str> = scopes.iter().map(|(t, _)| *t).collect();
                    details.insert("authorize_scopes".to_string(), Value::str(joined.join(" ")));
                }
                if let Some(v) = self.opt_val(&addr, oidc.get("attributes_request_method")) {
                    details.insert("attributes_request_method".to_string(), v);
                }
            }
        }
        r.attrs
            .insert("provider_details".into(), Value::Map(details));
        let mapped: Vec<&str> = n
            .get("attribute_mapping")
            .map(|m| m.entries().iter().map(|(k, _, _)| k.as_str()).collect())
            .unwrap_or_default();
        for req in required {
            if !mapped.contains(&req.as_str()) {
                self.issue(
                    codes::UNMAPPED_REQUIRED,
                    n.get("attribute_mapping").map(|m| m.pos).unwrap_or(kp),
                    format!("required pool attribute `{req}` is not mapped from identity provider `{name}`"),
                    Some(format!("add `attribute_mapping: {{{req}: <IdP attribute>}}`, or federated sign-in fails")),
                );
            }
        }
        if let Some(v) = self.opt_val(&addr, n.get("attribute_mapping")) {
            r.attrs.insert("attribute_mapping".into(), v);
        }
        if let Some(v) = self.opt_val(&addr, n.get("identifiers")) {
            r.attrs.insert("idp_identifiers".into(), v);
        }
        self.add(r);
    }

    fn client(&mut self, pool: &Address, cname: &str, c: &Node, facts: &PoolFacts) {
        let addr = pool.child(["clients", cname]);
        let mut r = self.resource(addr.clone(), Kind::UserPoolClient, Some(pool), c.pos);
        r.pinned_id = s(c.get("id")).map(str::to_string);
        r.attrs.insert(
            "name".into(),
            self.opt_val(&addr, c.get("name"))
                .unwrap_or_else(|| Value::str(cname)),
        );
        if let Some(v) = self.opt_val(&addr, c.get("generate_secret")) {
            r.attrs.insert("generate_secret".into(), v);
        }
        if let Some(af) = c.get("auth_flows") {
            let mut flows = Vec::new();
            for (t, p) in strs(Some(af)) {
                let full = if t.starts_with("ALLOW_") {
                    t.to_string()
                } else {
                    format!("ALLOW_{}_AUTH", t.to_ascii_uppercase())
                };
                if AUTH_FLOWS.contains(&full.as_str()) {
                    flows.push(Value::str(full));
                } else {
                    let shorts: Vec<String> = AUTH_FLOWS
                        .iter()
                        .map(|f| {
                            f.trim_start_matches("ALLOW_")
                                .trim_end_matches("_AUTH")
                                .to_ascii_lowercase()
                        })
                        .collect();
                    let hint = did_you_mean(
                        t,
                        shorts
                            .iter()
                            .map(String::as_str)
                            .chain(AUTH_FLOWS.iter().copied()),
                    )
                    .map(|m| format!("did you mean `{m}`?"))
                    .unwrap_or_else(|| format!("use one of: {}", shorts.join(", ")));
                    self.issue(
                        codes::BAD_VALUE,
                        p,
                        format!("unknown auth flow `{t}`"),
                        Some(hint),
                    );
                }
            }
            self.duplicates(&strs(Some(af)), "auth flow");
            r.attrs
                .insert("explicit_auth_flows".into(), Value::List(flows));
        }
        let secret = c
            .get("generate_secret")
            .and_then(Node::as_bool)
            .unwrap_or(false);
        if let Some(o) = c.get("oauth") {
            let flows = strs(o.get("flows"));
            for (f, p) in &flows {
                if !["code", "implicit", "client_credentials"].contains(f) {
                    let hint = did_you_mean(f, ["code", "implicit", "client_credentials"])
                        .map(|m| format!("did you mean `{m}`?"))
                        .unwrap_or_else(|| "use code, implicit or client_credentials".into());
                    self.issue(
                        codes::BAD_VALUE,
                        *p,
                        format!("unknown OAuth flow `{f}`"),
                        Some(hint),
                    );
                }
            }
            self.duplicates(&flows, "OAuth flow");
            let has = |x: &str| flows.iter().any(|(f, _)| *f == x);
            let callbacks = strs(o.get("callback_urls"));
            if (has("code") || has("implicit")) && callbacks.is_empty() {
                let which = if has("code") { "code" } else { "implicit" };
                self.issue(
                    codes::FLOW_WITHOUT_CALLBACK,
                    o.get("flows").map(|f| f.pos).unwrap_or(o.pos),
                    format!("the `{which}` flow needs `callback_urls`"),
                    Some("add `callback_urls: [\"https://app.example.com/callback\"]`".into()),
                );
            }
            if has("client_credentials") {
                if has("code") || has("implicit") {
                    self.issue(
                        codes::CLIENT_CREDENTIALS,
                        o.get("flows").map(|f| f.pos).unwrap_or(o.pos),
                        "`client_credentials` cannot be combined with `code` or `implicit`",
                        Some("use a separate client for machine-to-machine access".into()),
                    );
                }
                if !secret {
                    self.issue(
                        codes::CLIENT_CREDENTIALS,
                        o.get("flows").map(|f| f.pos).unwrap_or(o.pos),
                        "`client_credentials` needs `generate_secret: true`",
                        None,
                    );
                }
            }
            for (u, p) in &callbacks {
                self.check_url(u, *p, "callback URL", true);
            }
            self.duplicates(&callbacks, "callback URL");
            for (u, p) in strs(o.get("logout_urls")) {
                self.check_url(u, p, "logout URL", true);
            }
            if let Some(d) = o.get("default_redirect_uri")
                && let Some(t) = d.as_str()
                && !callbacks.iter().any(|(u, _)| *u == t)
            {
                self.issue(
                    codes::DEFAULT_REDIRECT,
                    d.pos,
                    format!("default redirect URI `{t}` is not one of the callback URLs"),
                    Some("add it to `callback_urls`".into()),
                );
            }
            let scopes = strs(o.get("scopes"));
            self.duplicates(&scopes, "scope");
            let has_openid = scopes.iter().any(|(t, _)| *t == "openid");
            for (t, p) in &scopes {
                if STANDARD_SCOPES.contains(t) {
                    if ["email", "phone", "profile"].contains(t) && !has_openid {
                        self.issue(
                            codes::OPENID_REQUIRED,
                            *p,
                            format!("scope `{t}` needs `openid` in the same list"),
                            None,
                        );
                    }
                } else if let Some(rs) = facts.scopes.get(*t) {
                    r.depends_on.insert(rs.clone());
                } else {
                    let candidates = STANDARD_SCOPES
                        .iter()
                        .copied()
                        .chain(facts.scopes.keys().map(String::as_str));
                    let hint = match did_you_mean(t, candidates) {
                        Some(m) => format!("did you mean `{m}`?"),
                        None => "use a standard scope (openid, email, phone, profile, aws.cognito.signin.user.admin) or `IDENTIFIER/SCOPE` of a resource server of this pool".into(),
                    };
                    self.issue(
                        codes::UNKNOWN_SCOPE,
                        *p,
                        format!("scope `{t}` is neither standard nor defined by a resource server of `{pool}`"),
                        Some(hint),
                    );
                }
            }
            if let Some(v) = self.opt_val(&addr, o.get("flows")) {
                r.attrs.insert("allowed_oauth_flows".into(), v);
            }
            if let Some(v) = self.opt_val(&addr, o.get("scopes")) {
                r.attrs.insert("allowed_oauth_scopes".into(), v);
            }
            if let Some(v) = self.opt_val(&addr, o.get("callback_urls")) {
                r.attrs.insert("callback_urls".into(), v);
            }
            if let Some(v) = self.opt_val(&addr, o.get("logout_urls")) {
                r.attrs.insert("logout_urls".into(), v);
            }
            if let Some(v) = self.opt_val(&addr, o.get("default_redirect_uri")) {
                r.attrs.insert("default_redirect_uri".into(), v);
            }
            r.attrs.insert(
                "allowed_oauth_flows_user_pool_client".into(),
                Value::Bool(!flows.is_empty()),
            );
        }
        if let Some(idps) = c.get("identity_providers") {
            let list = strs(Some(idps));
            self.duplicates(&list, "identity provider");
            for (t, p) in &list {
                if *t == "COGNITO" {
                    continue;
                }
                if facts.idps.contains(*t) {
                    r.depends_on.insert(pool.child(["identity_providers", *t]));
                } else {
                    let hint = match did_you_mean(
                        t,
                        facts.idps.iter().map(String::as_str).chain(["COGNITO"]),
                    ) {
                        Some(m) => format!("did you mean `{m}`?"),
                        None if facts.idps.is_empty() => format!(
                            "`{pool}` has no identity_providers; use `COGNITO` for the pool's own users"
                        ),
                        None => format!(
                            "the pool's providers are: COGNITO, {}",
                            facts.idps.iter().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    self.issue(
                        codes::UNKNOWN_IDP,
                        *p,
                        format!("client `{cname}` names identity provider `{t}`, which `{pool}` does not have"),
                        Some(hint),
                    );
                }
            }
            if let Some(v) = self.opt_val(&addr, Some(idps)) {
                r.attrs.insert("supported_identity_providers".into(), v);
            }
        }
        if let Some(tv) = c.get("token_validity") {
            for (yk, fk, lo, hi, unit) in [
                ("access", "access_token_validity", 300, 86_400, 1),
                ("id", "id_token_validity", 300, 86_400, 1),
                ("refresh", "refresh_token_validity", 3_600, 315_360_000, 1),
                ("auth_session", "auth_session_validity", 180, 900, 60),
            ] {
                if let Some(v) =
                    self.duration(tv.get(yk), lo, hi, unit, &format!("`{yk}` token validity"))
                {
                    r.attrs.insert(fk.into(), v);
                }
            }
        }
        for k in ["read_attributes", "write_attributes"] {
            for (t, p) in strs(c.get(k)) {
                let known = STANDARD_ATTRIBUTES.contains(&t) || facts.custom_attributes.contains(t);
                if !known {
                    let candidates = STANDARD_ATTRIBUTES
                        .iter()
                        .copied()
                        .chain(facts.custom_attributes.iter().map(String::as_str));
                    let hint = match did_you_mean(t, candidates) {
                        Some(m) => format!("did you mean `{m}`?"),
                        None => "use a standard attribute or a `custom:NAME` of the pool's schema"
                            .into(),
                    };
                    self.issue(
                        codes::UNKNOWN_ATTRIBUTE,
                        p,
                        format!("`{t}` in `{k}` is not an attribute of `{pool}`"),
                        Some(hint),
                    );
                }
            }
            if k == "write_attributes" {
                for (t, p) in strs(c.get(k)) {
                    if ["sub", "email_verified", "phone_number_verified"].contains(&t) {
                        self.issue(
                            codes::UNKNOWN_ATTRIBUTE,
                            p,
                            format!("`{t}` cannot be written by an app client"),
                            None,
                        );
                    }
                }
            }
            if let Some(v) = self.opt_val(&addr, c.get(k)) {
                r.attrs.insert(k.into(), v);
            }
        }
        if let Some(v) = self.opt_val(&addr, c.get("token_revocation")) {
            r.attrs.insert("enable_token_revocation".into(), v);
        }
        if let Some(b) = c
            .get("prevent_user_existence_errors")
            .and_then(Node::as_bool)
        {
            r.attrs.insert(
                "prevent_user_existence_errors".into(),
                Value::str(if b { "ENABLED" } else { "LEGACY" }),
            );
        }
        if let Some(v) = self.opt_val(&addr, c.get("propagate_additional_user_context_data")) {
            r.attrs
                .insert("enable_propagate_additional_user_context_data".into(), v);
        }
        self.add(r);
    }

    fn identity_pool(&mut self, key: &str, n: &Node) {
        let addr = Address::root("identity_pools", key);
        let mut r = self.resource(addr.clone(), Kind::IdentityPool, None, n.pos);
        r.pinned_id = s(n.get("id")).map(str::to_string);
        r.attrs.insert(
            "name".into(),
            self.opt_val(&addr, n.get("name"))
                .unwrap_or_else(|| Value::str(key)),
        );
        if let Some(v) = self.opt_val(&addr, n.get("allow_unauthenticated")) {
            r.attrs.insert("allow_unauthenticated_identities".into(), v);
        }
        if let Some(v) = self.opt_val(&addr, n.get("allow_classic_flow")) {
            r.attrs.insert("allow_classic_flow".into(), v);
        }
        if let Some(cps) = n.get("cognito_providers") {
            let mut list = Vec::new();
            for cp in cps.items() {
                let mut m = BTreeMap::new();
                let pn = self.opt_val(&addr, cp.get("provider_name"));
                let ci = self.opt_val(&addr, cp.get("client_id"));
                let pref = match &pn {
                    Some(Value::Ref(r)) => Some(r.clone()),
                    _ => None,
                };
                let cref = match &ci {
                    Some(Value::Ref(r)) => Some(r.clone()),
                    _ => None,
                };
                if let Some(p) = &pref
                    && p.output != "provider_name"
                {
                    let pos = cp.get("provider_name").map(|x| x.pos).unwrap_or(cp.pos);
                    self.issue(
                        codes::CROSS_POOL_CLIENT,
                        pos,
                        format!(
                            "`provider_name` references `{}`, not a pool's `provider_name`",
                            p
                        ),
                        Some(format!("write `${{{}.provider_name}}`", p.address)),
                    );
                }
                self.ip_providers.push((
                    pref,
                    cref,
                    cp.get("client_id").map(|x| x.pos).unwrap_or(cp.pos),
                ));
                if let Some(v) = pn {
                    m.insert("provider_name".to_string(), v);
                }
                if let Some(v) = ci {
                    m.insert("client_id".to_string(), v);
                }
                if let Some(v) = self.opt_val(&addr, cp.get("server_side_token_check")) {
                    m.insert("server_side_token_check".to_string(), v);
                }
                list.push(Value::Map(m));
            }
            r.attrs
                .insert("cognito_identity_providers".into(), Value::List(list));
        }
        for k in [
            "openid_connect_provider_arns",
            "saml_provider_arns",
            "supported_login_providers",
            "developer_provider_name",
            "tags",
        ] {
            if let Some(v) = self.opt_val(&addr, n.get(k)) {
                r.attrs.insert(k.into(), v);
            }
        }
        for (t, p) in strs(n.get("openid_connect_provider_arns"))
            .into_iter()
            .chain(strs(n.get("saml_provider_arns")))
        {
            if !is_ref(t) && (!valid_arn(t) || t.split(':').nth(2) != Some("iam")) {
                self.issue(
                    codes::BAD_ARN,
                    p,
                    format!("`{t}` is not an IAM identity provider ARN"),
                    Some(
                        "expected `arn:aws:iam::ACCOUNT:oidc-provider/...` or `saml-provider/...`"
                            .into(),
                    ),
                );
            }
        }
        if let Some(roles) = n.get("roles") {
            self.check_arn(roles.get("authenticated"), "iam", "IAM role");
            self.check_arn(roles.get("unauthenticated"), "iam", "IAM role");
            if let Some(v) = self.sub_map(
                &addr,
                Some(roles),
                &[
                    ("authenticated", "authenticated"),
                    ("unauthenticated", "unauthenticated"),
                ],
            ) {
                r.attrs.insert("roles".into(), v);
            }
        }
        if n.get("allow_unauthenticated").and_then(Node::as_bool) == Some(true)
            && n.get("roles")
                .and_then(|x| x.get("unauthenticated"))
                .is_none()
        {
            self.issue(
                codes::ROLE_MAPPING,
                n.get("allow_unauthenticated")
                    .map(|x| x.pos)
                    .unwrap_or(n.pos),
                "guest access is on but `roles.unauthenticated` is not set",
                Some("give guests a role, or set `allow_unauthenticated: false`".into()),
            );
        }
        if let Some(rm) = n.get("role_mappings") {
            let mut m = BTreeMap::new();
            for (pname, _, mapping) in rm.entries() {
                let mut mm = BTreeMap::new();
                if let Some(v) = self.opt_val(&addr, mapping.get("type")) {
                    mm.insert("type".to_string(), v);
                }
                if let Some(v) = self.opt_val(&addr, mapping.get("ambiguous_role_resolution")) {
                    mm.insert("ambiguous_role_resolution".to_string(), v);
                }
                if let Some(a) = mapping.get("ambiguous_role_resolution")
                    && let Some(t) = a.as_str()
                    && !["AuthenticatedRole", "Deny"].contains(&t)
                {
                    self.issue(
                        codes::ROLE_MAPPING,
                        a.pos,
                        format!("invalid `ambiguous_role_resolution` `{t}`"),
                        Some("use AuthenticatedRole or Deny".into()),
                    );
                }
                let rules = mapping.get("rules").map(Node::items).unwrap_or_default();
                if s(mapping.get("type")) == Some("Rules") && rules.is_empty() {
                    self.issue(
                        codes::ROLE_MAPPING,
                        mapping.pos,
                        format!("role mapping `{pname}` of type Rules has no `rules`"),
                        None,
                    );
                }
                for rule in rules {
                    if let Some(mt) = rule.get("match_type")
                        && let Some(t) = mt.as_str()
                        && !["Equals", "Contains", "StartsWith", "NotEqual"].contains(&t)
                    {
                        self.issue(
                            codes::ROLE_MAPPING,
                            mt.pos,
                            format!("invalid match type `{t}`"),
                            Some("use Equals, Contains, StartsWith or NotEqual".into()),
                        );
                    }
                    self.check_arn(rule.get("role_arn"), "iam", "IAM role");
                }
                if let Some(v) = self.opt_val(&addr, mapping.get("rules")) {
                    mm.insert("rules".to_string(), v);
                }
                m.insert(pname.clone(), Value::Map(mm));
            }
            r.attrs.insert("role_mappings".into(), Value::Map(m));
        }
        self.add(r);
    }

    fn identity_center(&mut self, ic: &Node) -> InstanceSelector {
        let selector = match ic.get("instance") {
            None => InstanceSelector::Auto,
            Some(i) => match i.as_str() {
                Some("auto") => InstanceSelector::Auto,
                Some(t) if t.starts_with("arn:") && t.contains(":instance/") && valid_arn(t) => {
                    InstanceSelector::Arn(t.to_string())
                }
                Some(t) => {
                    self.issue(
                        codes::INSTANCE,
                        i.pos,
                        format!("`{t}` is neither `auto` nor an Identity Center instance ARN"),
                        Some("e.g. `arn:aws:sso:::instance/ssoins-1234567890abcdef`".into()),
                    );
                    InstanceSelector::Auto
                }
                None => InstanceSelector::Auto,
            },
        };
        let ttis = ic
            .get("trusted_token_issuers")
            .map(Node::entries)
            .unwrap_or_default();
        for (i, (name, kp, t)) in ttis.iter().enumerate() {
            if i == 10 {
                self.issue(
                    codes::TOO_MANY_TTIS,
                    *kp,
                    format!(
                        "{} trusted token issuers; an Identity Center instance has at most 10",
                        ttis.len()
                    ),
                    None,
                );
            }
            self.tti(name, t);
        }
        for (name, _, a) in ic
            .get("applications")
            .map(Node::entries)
            .unwrap_or_default()
        {
            self.application(name, a);
        }
        selector
    }

    fn tti(&mut self, key: &str, n: &Node) {
        let addr = Address::root("identity_center", "trusted_token_issuers").child([key]);
        let mut r = self.resource(addr.clone(), Kind::TrustedTokenIssuer, None, n.pos);
        r.pinned_id = s(n.get("arn")).map(str::to_string);
        self.check_arn(n.get("arn"), "sso", "trusted token issuer");
        r.attrs.insert(
            "name".into(),
            self.opt_val(&addr, n.get("name"))
                .unwrap_or_else(|| Value::str(key)),
        );
        let mut pool = None;
        if let Some(o) = n.get("oidc_jwt") {
            if let Some(u) = o.get("issuer_url") {
                let v = self.val(&addr, u);
                match &v {
                    Value::Ref(rf) => {
                        let is_pool = rf.address.segments().len() == 2
                            && rf.address.segments()[0] == "user_pools";
                        let known = Kind::UserPool.info().outputs.contains(&rf.output.as_str());
                        if !is_pool || (known && rf.output != "issuer_url") {
                            self.issue(
                                codes::TTI_ISSUER,
                                u.pos,
                                format!("the issuer URL references `{rf}`, which is not a user pool's issuer URL"),
                                Some("write `${user_pools.NAME.issuer_url}`".into()),
                            );
                        } else {
                            pool = Some(rf.address.segments()[1].clone());
                        }
                    }
                    Value::Str(t) if t.starts_with("https://") => {
                        self.tti_url.insert(key.to_string(), t.clone());
                    }
                    Value::Str(t) => {
                        self.issue(
                            codes::TTI_ISSUER,
                            u.pos,
                            format!("issuer URL `{t}` must be https"),
                            Some(
                                "for a pool of this stack write `${user_pools.NAME.issuer_url}`"
                                    .into(),
                            ),
                        );
                    }
                    _ => {}
                }
                r.attrs.insert("issuer_url".into(), v);
            }
            // The claim path's length and pattern are in the limits table (E021).
            if let Some(v) = self.opt_val(&addr, o.get("claim_attribute_path")) {
                r.attrs.insert("claim_attribute_path".into(), v);
            }
            if let Some(c) = o.get("identity_store_attribute_path") {
                if let Some(t) = c.as_str()
                    && !STORE_PATHS.contains(&t)
                {
                    let hint = match did_you_mean(t, STORE_PATHS.iter().copied()) {
                        Some(m) => format!("did you mean `{m}`?"),
                        None => "use emails.value, userName or externalIds.id".into(),
                    };
                    self.issue(
                        codes::TTI_STORE_PATH,
                        c.pos,
                        format!(
                            "`{t}` is not an identity store attribute path Identity Center accepts"
                        ),
                        Some(hint),
                    );
                }
                if let Some(v) = self.opt_val(&addr, Some(c)) {
                    r.attrs.insert("identity_store_attribute_path".into(), v);
                }
            }
            if let Some(j) = o.get("jwks_retrieval_option") {
                if let Some(t) = j.as_str()
                    && t != "OPEN_ID_DISCOVERY"
                {
                    self.issue(
                        codes::BAD_VALUE,
                        j.pos,
                        format!("invalid JWKS retrieval option `{t}`"),
                        Some("the only option is OPEN_ID_DISCOVERY".into()),
                    );
                }
                if let Some(v) = self.opt_val(&addr, Some(j)) {
                    r.attrs.insert("jwks_retrieval_option".into(), v);
                }
            }
        }
        if let Some(v) = self.opt_val(&addr, n.get("tags")) {
            r.attrs.insert("tags".into(), v);
        }
        self.tti_pool.insert(key.to_string(), pool);
        self.add(r);
    }

    fn application(&mut self, key: &str, n: &Node) {
        let addr = Address::root("identity_center", "applications").child([key]);
        let mut r = self.resource(addr.clone(), Kind::Application, None, n.pos);
        r.pinned_id = s(n.get("arn")).map(str::to_string);
        self.check_arn(n.get("arn"), "sso", "Identity Center application");
        let referenced = n.get("arn").is_some() && n.get("name").is_none();
        if referenced {
            r.mode = Mode::Referenced;
            for k in [
                "grants",
                "access_scopes",
                "authentication_methods",
                "description",
                "portal",
                "enabled",
                "tags",
            ] {
                if let Some(p) = n.key_pos(k) {
                    self.issue(
                        codes::REFERENCED_APP,
                        p,
                        format!("`{k}` cannot be set on a referenced application (given by `arn` alone)"),
                        Some("a referenced application only takes `assignment_required` and `assignments`; add `name` to manage the application itself".into()),
                    );
                }
            }
        } else {
            r.attrs.insert(
                "name".into(),
                self.opt_val(&addr, n.get("name"))
                    .unwrap_or_else(|| Value::str(key)),
            );
            if let Some(v) = self.opt_val(&addr, n.get("description")) {
                r.attrs.insert("description".into(), v);
            }
            if let Some(b) = n.get("enabled").and_then(Node::as_bool) {
                r.attrs.insert(
                    "status".into(),
                    Value::str(if b { "ENABLED" } else { "DISABLED" }),
                );
            }
            if let Some(p) = n.get("portal") {
                let mut m = BTreeMap::new();
                if let Some(b) = p.get("visible").and_then(Node::as_bool) {
                    m.insert(
                        "visibility".to_string(),
                        Value::str(if b { "ENABLED" } else { "DISABLED" }),
                    );
                }
                let mut so = BTreeMap::new();
                if let Some(o) = p.get("sign_in_origin") {
                    if let Some(t) = o.as_str()
                        && !["IDENTITY_CENTER", "APPLICATION"].contains(&t)
                    {
                        self.issue(
                            codes::BAD_VALUE,
                            o.pos,
                            format!("invalid sign-in origin `{t}`"),
                            Some("use IDENTITY_CENTER or APPLICATION".into()),
                        );
                    }
                    if let Some(v) = self.opt_val(&addr, Some(o)) {
                        so.insert("origin".to_string(), v);
                    }
                }
                if let Some(u) = p.get("application_url") {
                    if let Some(t) = u.as_str() {
                        self.check_url(t, u.pos, "application URL", false);
                    }
                    if let Some(v) = self.opt_val(&addr, Some(u)) {
                        so.insert("application_url".to_string(), v);
                    }
                }
                if s(p.get("sign_in_origin")) == Some("APPLICATION")
                    && p.get("application_url").is_none()
                {
                    self.issue(
                        codes::MISSING_KEY,
                        p.pos,
                        "`sign_in_origin: APPLICATION` needs `application_url`",
                        None,
                    );
                }
                if !so.is_empty() {
                    m.insert("sign_in_options".to_string(), Value::Map(so));
                }
                r.attrs.insert("portal_options".into(), Value::Map(m));
            }
            if let Some(v) = self.opt_val(&addr, n.get("tags")) {
                r.attrs.insert("tags".into(), v);
            }
        }
        self.add(r);

        let users = strs(n.get("assignments").and_then(|a| a.get("users")));
        let groups = strs(n.get("assignments").and_then(|a| a.get("groups")));
        let required = n.get("assignment_required");
        if let Some(req) = required {
            let caddr = addr.child(["assignment_configuration"]);
            let mut c = self.resource(
                caddr.clone(),
                Kind::ApplicationAssignmentConfiguration,
                Some(&addr),
                req.pos,
            );
            if let Some(v) = self.opt_val(&caddr, Some(req)) {
                c.attrs.insert("assignment_required".into(), v);
            }
            self.add(c);
            if req.as_bool() == Some(true) && users.is_empty() && groups.is_empty() {
                self.issue(
                    codes::NO_ASSIGNMENTS,
                    req.pos,
                    format!("application `{key}` requires assignments but has none"),
                    Some("add `assignments: {users: [...], groups: [...]}` or set `assignment_required: false`; without an assignment every token exchange is denied".into()),
                );
            }
        } else if !referenced && users.is_empty() && groups.is_empty() {
            self.issue(
                codes::DEFAULT_ASSIGNMENT_REQUIRED,
                n.pos,
                format!("application `{key}` has no assignments and AWS requires them by default"),
                Some("set `assignment_required: false` or add `assignments`".into()),
            );
        }
        self.duplicates(&users, "assigned user");
        self.duplicates(&groups, "assigned group");
        for (ptype, list) in [("USER", &users), ("GROUP", &groups)] {
            for (name, pos) in list.iter() {
                let principal = format!("{ptype}:{name}");
                let aaddr = addr.child(["assignments", principal.as_str()]);
                let mut a = self.resource(
                    aaddr.clone(),
                    Kind::ApplicationAssignment,
                    Some(&addr),
                    *pos,
                );
                a.attrs.insert("principal_type".into(), Value::str(ptype));
                a.attrs.insert("principal_name".into(), Value::str(*name));
                a.attrs
                    .insert("principal".into(), Value::str(principal.clone()));
                self.principal_deps.push((aaddr, ptype, name.to_string()));
                self.add(a);
            }
        }

        if let Some(g) = n.get("grants") {
            if let Some(ac) = g.get("authorization_code") {
                let gaddr = addr.child(["grants", "authorization_code"]);
                let mut gr =
                    self.resource(gaddr.clone(), Kind::ApplicationGrant, Some(&addr), ac.pos);
                gr.attrs
                    .insert("grant_type".into(), Value::str("authorization_code"));
                let uris = strs(ac.get("redirect_uris"));
                for (u, p) in &uris {
                    self.check_url(u, *p, "redirect URI", true);
                }
                if uris.is_empty() && ac.get("redirect_uris").is_some() {
                    self.issue(
                        codes::FLOW_WITHOUT_CALLBACK,
                        ac.pos,
                        "the authorization code grant needs at least one redirect URI",
                        None,
                    );
                }
                let mut m = BTreeMap::new();
                if let Some(v) = self.opt_val(&gaddr, ac.get("redirect_uris")) {
                    m.insert("redirect_uris".to_string(), v);
                }
                gr.attrs.insert("grant".into(), Value::Map(m));
                self.add(gr);
            }
            for (yk, gt, seg) in [
                ("refresh_token", "refresh_token", "refresh_token"),
                (
                    "token_exchange",
                    "urn:ietf:params:oauth:grant-type:token-exchange",
                    "token_exchange",
                ),
            ] {
                if let Some(e) = g.get(yk) {
                    let gaddr = addr.child(["grants", seg]);
                    let mut gr = self.resource(gaddr, Kind::ApplicationGrant, Some(&addr), e.pos);
                    gr.attrs.insert("grant_type".into(), Value::str(gt));
                    gr.attrs.insert("grant".into(), Value::Map(BTreeMap::new()));
                    self.add(gr);
                }
            }
            if let Some(jb) = g.get("jwt_bearer") {
                let gaddr = addr.child(["grants", "jwt_bearer"]);
                let mut gr =
                    self.resource(gaddr.clone(), Kind::ApplicationGrant, Some(&addr), jb.pos);
                gr.attrs.insert(
                    "grant_type".into(),
                    Value::str("urn:ietf:params:oauth:grant-type:jwt-bearer"),
                );
                let mut issuers = Vec::new();
                if jb.items().is_empty() && matches!(jb.value, NodeValue::Seq(_)) {
                    self.issue(
                        codes::GRANT_ISSUER,
                        jb.pos,
                        "the JWT bearer grant names no token issuer",
                        None,
                    );
                }
                for item in jb.items() {
                    let mut m = BTreeMap::new();
                    let mut iref = None;
                    if let Some(i) = item.get("issuer") {
                        let v = self.val(&gaddr, i);
                        match &v {
                            Value::Ref(rf) => {
                                if rf.address.segments().first().map(String::as_str)
                                    != Some("identity_center")
                                    || rf.address.segments().get(1).map(String::as_str)
                                        != Some("trusted_token_issuers")
                                    || rf.output != "arn"
                                {
                                    self.issue(
                                        codes::GRANT_ISSUER,
                                        i.pos,
                                        format!("`issuer` references `{rf}`, not a trusted token issuer's ARN"),
                                        Some("write `${identity_center.trusted_token_issuers.NAME.arn}`".into()),
                                    );
                                } else {
                                    iref = Some(rf.clone());
                                }
                            }
                            Value::Str(t)
                                if !valid_arn(t) || !t.contains(":trustedTokenIssuer/") =>
                            {
                                self.issue(
                                        codes::GRANT_ISSUER,
                                        i.pos,
                                        format!("`{t}` is not a trusted token issuer ARN"),
                                        Some("write `${identity_center.trusted_token_issuers.NAME.arn}` or the issuer's ARN".into()),
                                    );
                            }
                            _ => {}
                        }
                        m.insert("trusted_token_issuer_arn".to_string(), v);
                    }
                    let auds = item.get("audiences");
                    if let Some(a) = auds {
                        if a.items().is_empty() && matches!(a.value, NodeValue::Seq(_)) {
                            self.issue(codes::AUDIENCE_NOT_CLIENT, a.pos, "a token issuer needs at least one audience", Some("the audience is the `aud` claim, e.g. `${user_pools.blog.clients.tti.id}`".into()));
                        }
                        let mut list = Vec::new();
                        for aud in a.items() {
                            let v = self.val(&gaddr, aud);
                            match &v {
                                Value::Ref(rf) => {
                                    self.audiences.push((rf.clone(), iref.clone(), aud.pos));
                                }
                                Value::Str(t) => {
                                    self.literal_audiences
                                        .push((t.clone(), iref.clone(), aud.pos));
                                }
                                _ => {}
                            }
                            list.push(v);
                        }
                        m.insert("authorized_audiences".to_string(), Value::List(list));
                        self.duplicates(&strs(Some(a)), "audience");
                    }
                    issuers.push(Value::Map(m));
                }
                let mut gm = BTreeMap::new();
                gm.insert("authorized_token_issuers".to_string(), Value::List(issuers));
                gr.attrs.insert("grant".into(), Value::Map(gm));
                self.add(gr);
            }
        }
        if let Some(scopes) = n.get("access_scopes") {
            let items = scopes.items();
            if items.len() > 25 {
                self.issue(
                    codes::TOO_MANY_SCOPES,
                    items[25].pos,
                    format!(
                        "{} access scopes; an application has at most 25",
                        items.len()
                    ),
                    None,
                );
            }
            let mut seen = BTreeSet::new();
            for item in items {
                let (scope, targets) = match &item.value {
                    NodeValue::Str(t) => (Some(t.as_str()), None),
                    NodeValue::Map(_) => (s(item.get("scope")), item.get("authorized_targets")),
                    _ => (None, None),
                };
                let Some(scope) = scope else { continue };
                if !seen.insert(scope.to_string()) {
                    self.issue(
                        codes::DUPLICATE_ITEM,
                        item.pos,
                        format!("access scope `{scope}` is listed twice"),
                        None,
                    );
                    continue;
                }
                if scope.is_empty() || scope.contains(char::is_whitespace) {
                    self.issue(
                        codes::BAD_VALUE,
                        item.pos,
                        format!("invalid access scope `{scope}`"),
                        Some("scopes look like `qbusiness:messages:access`".into()),
                    );
                }
                let saddr = addr.child(["access_scopes", scope]);
                let mut sr = self.resource(
                    saddr.clone(),
                    Kind::ApplicationAccessScope,
                    Some(&addr),
                    item.pos,
                );
                sr.attrs.insert("scope".into(), Value::str(scope));
                if let Some(v) = self.opt_val(&saddr, targets) {
                    sr.attrs.insert("authorized_targets".into(), v);
                }
                self.add(sr);
            }
        }
        if let Some(iam) = n.get("authentication_methods").and_then(|m| m.get("iam")) {
            let maddr = addr.child(["authentication_methods", "iam"]);
            let mut mr = self.resource(
                maddr.clone(),
                Kind::ApplicationAuthenticationMethod,
                Some(&addr),
                iam.pos,
            );
            mr.attrs.insert("method_type".into(), Value::str("IAM"));
            if let Some(p) = iam.get("actor_policy") {
                let policy = match &p.value {
                    NodeValue::Str(t) if !is_ref(t) => {
                        match serde_json::from_str::<serde_json::Value>(t) {
                            Ok(j) => Some(Value::from_json(&j)),
                            Err(e) => {
                                self.issue(
                                    codes::ACTOR_POLICY,
                                    p.pos,
                                    format!("the actor policy is not valid JSON: {e}"),
                                    Some("write the policy as YAML, or as a JSON string".into()),
                                );
                                None
                            }
                        }
                    }
                    _ => Some(self.val(&maddr, p)),
                };
                if let Some(policy) = policy {
                    let ok = policy.as_map().is_some_and(|m| {
                        m.contains_key("Statement")
                            && m.get("Version").and_then(Value::as_str).is_some()
                    });
                    if !ok {
                        self.issue(
                            codes::ACTOR_POLICY,
                            p.pos,
                            "the actor policy needs `Version` and `Statement`",
                            Some("e.g. `{Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {AWS: \"123456789012\"}, Action: sso-oauth:CreateTokenWithIAM, Resource: \"*\"}]}`".into()),
                        );
                    }
                    mr.attrs.insert("actor_policy".into(), policy);
                }
            }
            self.add(mr);
        }
    }

    fn identity_store(&mut self, store: &Node) {
        for (key, _, u) in store.get("users").map(Node::entries).unwrap_or_default() {
            let addr = Address::root("identity_store", "users").child([key.as_str()]);
            let mut r = self.resource(addr.clone(), Kind::IdentityStoreUser, None, u.pos);
            let user_name = s(u.get("user_name")).unwrap_or(key).to_string();
            r.attrs
                .insert("user_name".into(), Value::str(user_name.clone()));
            for k in ["display_name", "given_name", "family_name", "email"] {
                if let Some(v) = self.opt_val(&addr, u.get(k)) {
                    r.attrs.insert(k.into(), v);
                }
            }
            self.store_users.entry(user_name).or_insert(addr);
            self.add(r);
        }
        for (key, _, g) in store.get("groups").map(Node::entries).unwrap_or_default() {
            let addr = Address::root("identity_store", "groups").child([key.as_str()]);
            let mut r = self.resource(addr.clone(), Kind::IdentityStoreGroup, None, g.pos);
            let display = s(g.get("display_name")).unwrap_or(key).to_string();
            r.attrs
                .insert("display_name".into(), Value::str(display.clone()));
            if let Some(v) = self.opt_val(&addr, g.get("description")) {
                r.attrs.insert("description".into(), v);
            }
            self.store_groups.entry(display).or_insert(addr.clone());
            self.add(r);
            let members = strs(g.get("members"));
            self.duplicates(&members, "member");
            for (m, pos) in members {
                let maddr = addr.child(["members", m]);
                let mut mr = self.resource(
                    maddr.clone(),
                    Kind::IdentityStoreGroupMembership,
                    Some(&addr),
                    pos,
                );
                mr.attrs.insert("user_name".into(), Value::str(m));
                self.principal_deps.push((maddr, "USER", m.to_string()));
                self.add(mr);
            }
        }
    }

    /// Assignments and memberships depend on the store users and groups the spec defines.
    fn principals(&mut self) {
        for (from, ptype, name) in std::mem::take(&mut self.principal_deps) {
            let target = match ptype {
                "USER" => self.store_users.get(&name),
                _ => self.store_groups.get(&name),
            }
            .cloned();
            if let Some(t) = target
                && let Some(r) = self.res.get_mut(&from)
            {
                r.depends_on.insert(t);
            }
        }
    }

    fn check_refs(&mut self) {
        let all: Vec<String> = self.res.keys().map(|a| a.to_string()).collect();
        for u in std::mem::take(&mut self.refs) {
            match self.res.get(&u.r.address) {
                None => {
                    let hint = match did_you_mean(
                        &u.r.address.to_string(),
                        all.iter().map(String::as_str),
                    ) {
                        Some(m) => format!("did you mean `{m}`?"),
                        None => {
                            "references name a resource of this stack, e.g. `${user_pools.NAME.id}`"
                                .into()
                        }
                    };
                    self.issue(
                        codes::DANGLING_REF,
                        u.pos,
                        format!(
                            "reference to `{}`, which the stack does not define",
                            u.r.address
                        ),
                        Some(hint),
                    );
                }
                Some(target) => {
                    let outputs = target.kind.info().outputs;
                    if !outputs.contains(&u.r.output.as_str()) {
                        let hint = match did_you_mean(&u.r.output, outputs.iter().copied()) {
                            Some(m) => format!("did you mean `{m}`?"),
                            None if outputs.is_empty() => {
                                format!("a {} has no outputs", target.kind)
                            }
                            None => format!("a {} has: {}", target.kind, outputs.join(", ")),
                        };
                        self.issue(
                            codes::UNKNOWN_OUTPUT,
                            u.pos,
                            format!("`{}` has no output `{}`", u.r.address, u.r.output),
                            Some(hint),
                        );
                    } else if u.from != u.r.address
                        && let Some(r) = self.res.get_mut(&u.from)
                    {
                        r.depends_on.insert(u.r.address.clone());
                    }
                }
            }
        }
    }

    fn cross_checks(&mut self) {
        for (aud, issuer, pos) in std::mem::take(&mut self.audiences) {
            let seg = aud.address.segments();
            let is_client = seg.len() == 4
                && seg[0] == "user_pools"
                && seg[2] == "clients"
                && aud.output == "id";
            if !is_client {
                self.issue(
                    codes::AUDIENCE_NOT_CLIENT,
                    pos,
                    format!("audience `{aud}` is not an app client id"),
                    Some(
                        "the audience is a client id: `${user_pools.POOL.clients.CLIENT.id}`"
                            .into(),
                    ),
                );
                continue;
            }
            let Some(iref) = issuer else { continue };
            let tti = &iref.address.segments()[2..];
            if let Some(url) = tti.first().and_then(|t| self.tti_url.get(t)) {
                // The issuer is a literal URL: the client's pool must be pinned to that issuer.
                let pinned = self
                    .res
                    .get(&Address::root("user_pools", &seg[1]))
                    .and_then(|p| p.pinned_id.clone());
                let same =
                    pinned.is_some_and(|id| url.trim_end_matches('/').ends_with(&format!("/{id}")));
                if !same {
                    self.issue(
                        codes::AUDIENCE_NOT_CLIENT,
                        pos,
                        format!(
                            "audience `{aud}` is a client of `user_pools.{}`, but the issuer `{}` trusts `{url}`, which is not that pool's issuer URL",
                            seg[1], iref.address
                        ),
                        Some(format!(
                            "write `issuer_url: \"${{user_pools.{}.issuer_url}}\"` in the trusted token issuer, or use an audience of `{url}`",
                            seg[1]
                        )),
                    );
                }
                continue;
            }
            let Some(Some(pool)) = tti.first().and_then(|t| self.tti_pool.get(t)) else {
                continue;
            };
            if *pool != seg[1] {
                self.issue(
                    codes::AUDIENCE_NOT_CLIENT,
                    pos,
                    format!(
                        "audience `{aud}` is a client of `user_pools.{}`, but the issuer `{}` trusts `user_pools.{pool}`",
                        seg[1], iref.address
                    ),
                    Some(format!("use a client of `user_pools.{pool}`")),
                );
            }
        }
        // A literal audience is allowed only where no reference could be written: when the issuer
        // trusts a pool of this stack, the audience is one of its clients, so a reference (or the
        // pinned id of one of its clients).
        for (aud, issuer, pos) in std::mem::take(&mut self.literal_audiences) {
            let Some(iref) = issuer else { continue };
            let tti = &iref.address.segments()[2..];
            let Some(Some(pool)) = tti.first().and_then(|t| self.tti_pool.get(t)) else {
                continue;
            };
            let pool_addr = Address::root("user_pools", pool);
            let pinned = self.res.values().any(|r| {
                r.kind == Kind::UserPoolClient
                    && r.parent.as_ref() == Some(&pool_addr)
                    && r.pinned_id.as_deref() == Some(aud.as_str())
            });
            if !pinned {
                self.issue(
                    codes::AUDIENCE_NOT_CLIENT,
                    pos,
                    format!(
                        "literal audience `{aud}`: the issuer `{}` trusts `user_pools.{pool}`, so the audience is one of its clients",
                        iref.address
                    ),
                    Some(format!(
                        "write `${{user_pools.{pool}.clients.CLIENT.id}}` (or pin the client with `id: {aud}`)"
                    )),
                );
            }
        }
        for (pref, cref, pos) in std::mem::take(&mut self.ip_providers) {
            if let (Some(p), Some(c)) = (pref, cref) {
                let ps = p.address.segments();
                let cs = c.address.segments();
                let client_ok = cs.len() == 4
                    && cs[0] == "user_pools"
                    && cs[2] == "clients"
                    && c.output == "id";
                if !client_ok {
                    self.issue(
                        codes::CROSS_POOL_CLIENT,
                        pos,
                        format!("`client_id` references `{c}`, not an app client id"),
                        Some("write `${user_pools.POOL.clients.CLIENT.id}`".into()),
                    );
                } else if ps.len() == 2 && ps[1] != cs[1] {
                    self.issue(
                        codes::CROSS_POOL_CLIENT,
                        pos,
                        format!("client `{}` belongs to `user_pools.{}`, not to the provider's pool `user_pools.{}`", c.address, cs[1], ps[1]),
                        Some(format!("use a client of `user_pools.{}`", ps[1])),
                    );
                }
            }
        }
    }

    fn check_natural_keys(&mut self) {
        let mut seen: BTreeMap<(Kind, Option<Address>, String), Address> = BTreeMap::new();
        let mut found = Vec::new();
        for r in self.res.values() {
            let Some(key) = r.natural_key() else { continue };
            let field = r.kind.info().natural_key.unwrap_or("name");
            let k = (r.kind, r.parent.clone(), key.to_string());
            if let Some(first) = seen.get(&k) {
                let pos = r.source.clone();
                found.push((
                    pos,
                    format!(
                        "`{}` and `{first}` have the same {field} `{key}`",
                        r.address
                    ),
                    r.kind,
                ));
            } else {
                seen.insert(k, r.address.clone());
            }
        }
        for (span, msg, kind) in found {
            let pos = self.pos_of(span.as_ref());
            self.issue(
                codes::DUPLICATE_KEY,
                pos,
                msg,
                Some(format!(
                    "a {kind}'s {} identifies it in AWS; make them differ",
                    kind.info().natural_key.unwrap_or("name")
                )),
            );
        }
    }

    /// The position of a lowered resource's source span (the start of the file when unknown).
    fn pos_of(&self, span: Option<&SourceSpan>) -> Pos {
        span.and_then(|s| {
            (0..self.dirs.len())
                .find(|i| self.sources.name(*i) == s.file)
                .map(|file| Pos {
                    file,
                    line: s.line,
                    col: s.col,
                })
        })
        .unwrap_or_default()
    }

    /// The `idplane:address` tag value (the encoded address) must fit AWS's 256 characters.
    fn check_ownership_tags(&mut self) {
        let mut found = Vec::new();
        for r in self.res.values() {
            if !r.kind.info().taggable {
                continue;
            }
            let len = idplane_model::encode_address_tag(&r.address)
                .chars()
                .count();
            if len > 256 {
                found.push((r.source.clone(), r.address.clone(), len));
            }
        }
        for (span, address, len) in found {
            let pos = self.pos_of(span.as_ref());
            self.issue(
                codes::LIMIT,
                pos,
                format!("the ownership tag of `{address}` would be {len} characters; AWS takes at most 256"),
                Some("use a shorter logical name (characters other than ASCII letters, digits and `_ . : / + - @` take 3 per byte)".into()),
            );
        }
    }

    fn cycles(&mut self) {
        // Iterative DFS with colours; report each cycle once, at its first resource.
        let mut colour: BTreeMap<&Address, u8> = BTreeMap::new();
        let mut reported: BTreeSet<Vec<Address>> = BTreeSet::new();
        let mut out = Vec::new();
        for start in self.res.keys() {
            if colour.get(start).copied().unwrap_or(0) != 0 {
                continue;
            }
            let mut stack: Vec<(&Address, Vec<&Address>)> = vec![(start, self.deps(start))];
            let mut path: Vec<&Address> = vec![start];
            colour.insert(start, 1);
            while let Some((_, pending)) = stack.last_mut() {
                match pending.pop() {
                    Some(next) => match colour.get(next).copied().unwrap_or(0) {
                        0 => {
                            colour.insert(next, 1);
                            path.push(next);
                            let deps = self.deps(next);
                            stack.push((next, deps));
                        }
                        1 => {
                            let i = path.iter().position(|a| *a == next).unwrap_or(0);
                            let mut cycle: Vec<Address> =
                                path[i..].iter().map(|a| (*a).clone()).collect();
                            let mut key = cycle.clone();
                            key.sort();
                            if reported.insert(key) {
                                cycle.push(next.clone());
                                out.push(cycle);
                            }
                        }
                        _ => {}
                    },
                    None => {
                        let (done, _) = stack.pop().expect("non-empty");
                        colour.insert(done, 2);
                        path.pop();
                    }
                }
            }
        }
        for cycle in out {
            let first = &cycle[0];
            let span = self.res.get(first).and_then(|r| r.source.clone());
            let pos = self.pos_of(span.as_ref());
            let text: Vec<String> = cycle.iter().map(|a| a.to_string()).collect();
            self.issue(
                codes::CYCLE,
                pos,
                format!("cyclic references: {}", text.join(" -> ")),
                Some("no resource may depend, through references, on itself; remove one of the references".into()),
            );
        }
    }

    fn deps(&self, a: &Address) -> Vec<&Address> {
        self.res
            .get(a)
            .map(|r| {
                r.depends_on
                    .iter()
                    .filter(|d| self.res.contains_key(*d))
                    .collect()
            })
            .unwrap_or_default()
    }
}
