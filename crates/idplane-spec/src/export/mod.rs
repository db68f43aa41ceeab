//! Live state -> spec YAML (the reverse of the spec's lowering), for `idplane export`.
//!
//! Each live object is normalized with the model's rules, fields at their AWS default are
//! left out, and model fields are spelled the way the spec language spells them. User pools and
//! identity pools are pinned by id (their names are not unique); clients by id only when their
//! name repeats in the pool; trusted token issuers and applications are matched by name, as a
//! person writes them. References between exported objects are written as `${...}` (a grant
//! audience as `${user_pools.P.clients.C.id}`, an issuer URL as `${user_pools.P.issuer_url}`);
//! literal ids remain only where the target is not in the export. Secrets become `{env: NAME}`
//! references (listed in [`Exported::secrets`]) to fill in before planning.

mod application;
mod client;
mod identity_pool;
mod identity_provider;
mod identity_store;
mod trusted_token_issuer;
mod user_pool;

use crate::rename::Rename;
use idplane_model::{Kind, LiveObject, Observed, Value};
use serde_json::{Map, Value as J, json};
use std::collections::{BTreeMap, BTreeSet};

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Pool ids; empty = every pool (unless applications are selected).
    pub user_pools: Vec<String>,
    /// Application ARNs; empty = every application (unless pools are selected).
    pub applications: Vec<String>,
    /// Tags every exported top-level object must carry.
    pub tags: Vec<(String, String)>,
    /// Only these top-level objects (kind, live id), e.g. the ones a Terraform state holds;
    /// `None`: no such restriction. Their children come with them.
    pub only: Option<BTreeSet<(Kind, String)>>,
    /// Comment lines written above the entry of a top-level object (kind, live id), such as the
    /// Terraform addresses it came from.
    pub comments: BTreeMap<(Kind, String), Vec<String>>,
    /// Pin every trusted token issuer and application by ARN (not only those another stack
    /// owns): the export takes over exactly these objects.
    pub pin: bool,
}

impl Selection {
    fn takes(&self, o: &LiveObject) -> bool {
        tagged(o, &self.tags)
            && self
                .only
                .as_ref()
                .is_none_or(|only| only.contains(&(o.kind, o.id.clone())))
    }
}

/// An exported spec.
#[derive(Debug, Clone)]
pub struct Exported {
    pub yaml: String,
    /// Environment variables the spec references for secrets.
    pub secrets: Vec<String>,
    /// Documents the spec references as files (SAML metadata given to AWS as a document), by
    /// file name relative to the spec: write them beside it.
    pub files: Vec<(String, String)>,
    /// Live objects left out of the export, and why (for the caller to log).
    pub warnings: Vec<String>,
}

struct Ctx<'a> {
    observed: &'a Observed,
    secrets: Vec<String>,
    files: Vec<(String, String)>,
    warnings: Vec<String>,
    /// Live text (ids, ARNs, URLs) -> the `${...}` reference that names it in the export.
    refs: BTreeMap<String, String>,
    /// Pin every TTI and application by ARN ([`Selection::pin`]).
    pin: bool,
}

impl Ctx<'_> {
    /// The reference for a live value, or the value itself when its target is not exported.
    fn r(&self, live: &str) -> J {
        match self.refs.get(live) {
            Some(r) => J::String(r.clone()),
            None => J::String(live.to_string()),
        }
    }

    /// A JSON value with every string that names an exported object replaced by its reference.
    fn deep(&self, v: J) -> J {
        match v {
            J::String(s) => self.r(&s),
            J::Array(a) => J::Array(a.into_iter().map(|x| self.deep(x)).collect()),
            J::Object(o) => J::Object(o.into_iter().map(|(k, x)| (k, self.deep(x))).collect()),
            other => other,
        }
    }
}

/// The logical keys every exported object gets, decided before any is written so that
/// references can point forward.
fn keys_of<'a>(
    objs: impl Iterator<Item = &'a LiveObject>,
    fallback: &str,
) -> Vec<(&'a LiveObject, String)> {
    let mut taken = BTreeSet::new();
    objs.map(|o| {
        let name = o
            .attrs
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(fallback);
        let key = logical(name, &taken);
        taken.insert(key.clone());
        (o, key)
    })
    .collect()
}

/// The normalized attrs of a live object with fields at their default dropped.
fn attrs(o: &LiveObject) -> BTreeMap<String, Value> {
    let defaults = idplane_model::normalize(o.kind, &BTreeMap::new());
    idplane_model::normalize(o.kind, &o.attrs)
        .into_iter()
        .filter(|(k, v)| defaults.get(k) != Some(v))
        .collect()
}

fn j(v: &Value) -> J {
    v.to_json()
}

/// The fields of `live` a rename table names, under their spec keys, in the table's order.
fn renamed(table: &[Rename], live: &BTreeMap<String, Value>) -> Map<String, J> {
    let mut m = Map::new();
    for (yaml, field) in table {
        put(&mut m, yaml, live.get(*field).map(j));
    }
    m
}

/// A nested map of the model under its spec keys: the table's fields first, then any field the
/// table does not know, as it is.
fn renamed_map(table: &[Rename], live: &BTreeMap<String, Value>) -> Map<String, J> {
    let mut m = renamed(table, live);
    for (k, v) in live {
        if !table.iter().any(|(_, field)| field == k) {
            put(&mut m, k, Some(j(v)));
        }
    }
    m
}

fn put(m: &mut Map<String, J>, key: &str, v: Option<J>) {
    if let Some(v) = v
        && !v.is_null()
        && v != json!({})
    {
        m.insert(key.to_string(), v);
    }
}

/// A logical name usable as a YAML key and an address segment.
fn logical(name: &str, taken: &BTreeSet<String>) -> String {
    let mut base: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if base.is_empty() {
        base = "unnamed".into();
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

fn env_name(parts: &[&str]) -> String {
    let mut s = String::from("IDPLANE_SECRET");
    for p in parts {
        s.push('_');
        s.extend(p.chars().map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        }));
    }
    s
}

/// Seconds as the spec's duration text (`1h`, `30d`, `90s`).
fn duration(secs: i64) -> J {
    for (unit, n) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if secs > 0 && secs % n == 0 {
            return J::String(format!("{}{unit}", secs / n));
        }
    }
    J::String(format!("{secs}s"))
}

fn tagged(o: &LiveObject, tags: &[(String, String)]) -> bool {
    tags.iter().all(|(k, v)| o.tags.get(k) == Some(v))
}

/// Objects another idplane stack owns (its ownership tags) are written with their `arn:` pin:
/// matching them by name would leave them to that stack, and the exported stack would plan a
/// second object of the same name. A pin says "take this one over" explicitly.
fn pin_if_owned_elsewhere(m: &mut Map<String, J>, o: &LiveObject, stack: &str, pin: bool) {
    if pin || o.owner_stack().is_some_and(|s| s != stack) {
        m.insert("arn".into(), json!(o.id));
    }
}

/// Builds the spec.
pub fn export(observed: &Observed, stack: &str, region: &str, sel: &Selection) -> Exported {
    let all = sel.user_pools.is_empty() && sel.applications.is_empty();
    let mut root = Map::new();
    root.insert("version".into(), json!(1));
    root.insert("stack".into(), json!(stack));
    root.insert("region".into(), json!(region));

    let selected = |kind: Kind, ids: &[String], fallback: &str| {
        keys_of(
            observed
                .objects
                .iter()
                .filter(|o| o.kind == kind && (all || ids.contains(&o.id)) && sel.takes(o)),
            fallback,
        )
    };
    let pools = selected(Kind::UserPool, &sel.user_pools, "pool");
    let apps = selected(Kind::Application, &sel.applications, "app");
    let ttis = if all {
        selected(Kind::TrustedTokenIssuer, &[], "tti")
    } else {
        Vec::new()
    };
    let mut ctx = Ctx {
        observed,
        secrets: Vec::new(),
        files: Vec::new(),
        warnings: Vec::new(),
        refs: references(observed, &pools, &ttis, &apps),
        pin: sel.pin,
    };
    // Where each top-level object is written, for its comments.
    let mut entries: Vec<(Vec<String>, (Kind, String))> = Vec::new();
    let mut entry = |path: &[&str], key: &str, o: &LiveObject| {
        if sel.comments.contains_key(&(o.kind, o.id.clone())) {
            let mut p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            p.push(key.to_string());
            entries.push((p, (o.kind, o.id.clone())));
        }
    };

    let mut pool_map = Map::new();
    for (o, key) in &pools {
        entry(&["user_pools"], key, o);
        pool_map.insert(key.clone(), ctx.user_pool(o, key));
    }
    put(&mut root, "user_pools", Some(J::Object(pool_map)));

    let mut ic = Map::new();
    let mut tti_map = Map::new();
    for (o, key) in ttis {
        entry(&["identity_center", "trusted_token_issuers"], &key, o);
        tti_map.insert(key, ctx.trusted_token_issuer(o, stack));
    }
    put(&mut ic, "trusted_token_issuers", Some(J::Object(tti_map)));
    let mut app_map = Map::new();
    for (o, key) in apps {
        entry(&["identity_center", "applications"], &key, o);
        let mut pinned = Map::new();
        pin_if_owned_elsewhere(&mut pinned, o, stack, sel.pin);
        if let J::Object(m) = ctx.application(o) {
            pinned.extend(m);
        }
        app_map.insert(key, J::Object(pinned));
    }
    put(&mut ic, "applications", Some(J::Object(app_map)));
    put(&mut root, "identity_center", Some(J::Object(ic)));

    if all {
        let mut ids = Map::new();
        let pools = observed
            .objects
            .iter()
            .filter(|o| o.kind == Kind::IdentityPool && sel.takes(o));
        for (o, key) in keys_of(pools, "pool") {
            entry(&["identity_pools"], &key, o);
            ids.insert(key, ctx.identity_pool(o));
        }
        put(&mut root, "identity_pools", Some(J::Object(ids)));
        let store = identity_store::identity_store(observed, sel, &mut entry);
        put(&mut root, "identity_store", Some(J::Object(store)));
    }

    let body = serde_saphyr::to_string(&J::Object(root)).expect("YAML serialization");
    let mut yaml = String::from("# Exported by `idplane export` from live state.\n");
    if !ctx.secrets.is_empty() {
        yaml.push_str("# Secrets to set before planning: ");
        yaml.push_str(&ctx.secrets.join(", "));
        yaml.push('\n');
    }
    yaml.push_str(&annotate(&body, &entries, &sel.comments));
    Exported {
        yaml,
        secrets: ctx.secrets,
        files: ctx.files,
        warnings: ctx.warnings,
    }
}

/// The YAML text with comment lines inserted above the entries at the given key paths (block
/// style as serde-saphyr writes it: one key per line, nesting by indentation).
fn annotate(
    yaml: &str,
    entries: &[(Vec<String>, (Kind, String))],
    comments: &BTreeMap<(Kind, String), Vec<String>>,
) -> String {
    if entries.is_empty() {
        return yaml.to_string();
    }
    let mut out = String::with_capacity(yaml.len());
    let mut stack: Vec<(usize, String)> = Vec::new();
    for line in yaml.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = line[indent..].trim_end();
        let key = if rest.is_empty() || rest.starts_with('#') || rest.starts_with('-') {
            None
        } else {
            yaml_key(rest)
        };
        if let Some(key) = key {
            while stack.last().is_some_and(|(i, _)| *i >= indent) {
                stack.pop();
            }
            stack.push((indent, key));
            let path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
            if let Some((_, top)) = entries.iter().find(|(p, _)| *p == path) {
                for c in comments.get(top).into_iter().flatten() {
                    out.push_str(&" ".repeat(indent));
                    out.push_str("# ");
                    out.push_str(&c.replace(['\n', '\r'], " "));
                    out.push('\n');
                }
            }
        }
        out.push_str(line);
    }
    out
}

/// The key of a block mapping line (`key: ...` or `"quoted key": ...`), unquoted.
fn yaml_key(rest: &str) -> Option<String> {
    if let Some(q) = rest.strip_prefix('"') {
        let end = q.find("\":")?;
        return serde_json::from_str(&format!("\"{}\"", &q[..end])).ok();
    }
    if let Some(q) = rest.strip_prefix('\'') {
        let end = q.find("':")?;
        return Some(q[..end].replace("''", "'"));
    }
    let end = rest
        .find(": ")
        .or_else(|| rest.strip_suffix(':').map(str::len))?;
    Some(rest[..end].to_string())
}

/// Live text (ids, ARNs, URLs) of every exported object a spec can reference -> the `${...}`
/// reference that names it, decided before any object is written so references point forward.
fn references(
    observed: &Observed,
    pools: &[(&LiveObject, String)],
    ttis: &[(&LiveObject, String)],
    apps: &[(&LiveObject, String)],
) -> BTreeMap<String, String> {
    let mut refs = BTreeMap::new();
    for (o, key) in pools {
        for out in ["issuer_url", "provider_name"] {
            if let Some(v) = o.outputs.get(out) {
                refs.insert(v.clone(), format!("${{user_pools.{key}.{out}}}"));
            }
        }
        let clients = observed
            .objects
            .iter()
            .filter(|c| c.kind == Kind::UserPoolClient && c.parent_id.as_deref() == Some(&o.id));
        for (c, ckey) in keys_of(clients, "client") {
            refs.insert(
                c.id.clone(),
                format!("${{user_pools.{key}.clients.{ckey}.id}}"),
            );
        }
    }
    for (o, key) in ttis {
        refs.insert(
            o.id.clone(),
            format!("${{identity_center.trusted_token_issuers.{key}.arn}}"),
        );
    }
    for (o, key) in apps {
        refs.insert(
            o.id.clone(),
            format!("${{identity_center.applications.{key}.arn}}"),
        );
    }
    refs
}

impl<'a> Ctx<'a> {
    fn children(&self, kind: Kind, parent: &str) -> Vec<&'a LiveObject> {
        let observed: &'a Observed = self.observed;
        observed
            .objects
            .iter()
            .filter(|o| o.kind == kind && o.parent_id.as_deref() == Some(parent))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(kind: Kind, id: &str, parent: Option<&str>, attrs: serde_json::Value) -> LiveObject {
        let Value::Map(attrs) = Value::from_json(&attrs) else {
            panic!("attrs are a map")
        };
        LiveObject {
            kind,
            id: id.into(),
            parent_id: parent.map(str::to_string),
            tags: Default::default(),
            attrs,
            outputs: Default::default(),
        }
    }

    fn sample() -> Observed {
        Observed {
            identity_center: None,
            objects: vec![
                obj(
                    Kind::UserPool,
                    "us-east-1_abc",
                    None,
                    json!({"name": "Blog Pool", "alias_attributes": ["email"],
                           "admin_create_user_config": {"allow_admin_create_user_only": true},
                           "mfa_configuration": "OFF", "deletion_protection": "ACTIVE"}),
                ),
                obj(
                    Kind::UserPoolDomain,
                    "demo-tti",
                    Some("us-east-1_abc"),
                    json!({"domain": "demo-tti"}),
                ),
                obj(
                    Kind::UserPoolClient,
                    "client1",
                    Some("us-east-1_abc"),
                    json!({"name": "TTI", "allowed_oauth_flows_user_pool_client": true,
                           "allowed_oauth_flows": ["code"], "allowed_oauth_scopes": ["openid", "email"],
                           "callback_urls": ["http://localhost:8080"],
                           "access_token_validity": 3600, "refresh_token_validity": 86400,
                           "auth_session_validity": 5}),
                ),
                obj(
                    Kind::IdentityProvider,
                    "Partner",
                    Some("us-east-1_abc"),
                    json!({"name": "Partner", "provider_type": "OIDC",
                           "provider_details": {"client_id": "cid", "client_secret": {"$sensitive": "sha256:00", "$source": "aws"},
                                                "authorize_scopes": "openid email", "oidc_issuer": "https://idp.example.com"}}),
                ),
                obj(
                    Kind::UserPool,
                    "us-east-1_other",
                    None,
                    json!({"name": "Other"}),
                ),
            ],
        }
    }

    fn parse(yaml: &str) -> J {
        serde_saphyr::from_str(yaml).expect("exported YAML parses")
    }

    #[test]
    fn exports_pools_in_the_spec_shape() {
        let out = export(&sample(), "exported", "us-east-1", &Selection::default());
        let spec = parse(&out.yaml);
        let pool = &spec["user_pools"]["blog_pool"];
        assert_eq!(pool["id"], "us-east-1_abc");
        assert_eq!(pool["name"], "Blog Pool");
        assert_eq!(pool["sign_in"]["alias_attributes"], json!(["email"]));
        assert_eq!(pool["admin_create_user_only"], true);
        assert_eq!(pool["deletion_protection"], true);
        assert!(pool.get("mfa").is_none(), "defaults are left out: {pool}");
        assert_eq!(pool["domain"]["prefix"], "demo-tti");
        let client = &pool["clients"]["tti"];
        assert_eq!(client["oauth"]["flows"], json!(["code"]));
        assert_eq!(client["token_validity"]["refresh"], "1d");
        assert_eq!(client["token_validity"]["auth_session"], "5m");
        assert!(
            client["token_validity"].get("access").is_none(),
            "1h is the default"
        );
        assert!(spec["user_pools"].get("other").is_some());
    }

    #[test]
    fn secrets_become_env_references() {
        let out = export(&sample(), "exported", "us-east-1", &Selection::default());
        let spec = parse(&out.yaml);
        let oidc = &spec["user_pools"]["blog_pool"]["identity_providers"]["Partner"]["oidc"];
        assert_eq!(
            oidc["client_secret"],
            json!({"env": "IDPLANE_SECRET_BLOG_POOL_PARTNER"})
        );
        assert_eq!(oidc["scopes"], json!(["email", "openid"]));
        assert_eq!(out.secrets, ["IDPLANE_SECRET_BLOG_POOL_PARTNER"]);
        assert!(!out.yaml.contains("sha256"), "no digest either");
    }

    #[test]
    fn selection_limits_the_pools() {
        let sel = Selection {
            user_pools: vec!["us-east-1_other".into()],
            ..Default::default()
        };
        let spec = parse(&export(&sample(), "s", "us-east-1", &sel).yaml);
        let pools = spec["user_pools"].as_object().unwrap();
        assert_eq!(pools.keys().collect::<Vec<_>>(), ["other"]);
    }

    #[test]
    fn only_the_listed_objects_are_exported_with_their_comments_above_them() {
        let pool = (Kind::UserPool, "us-east-1_abc".to_string());
        let sel = Selection {
            only: Some([pool.clone()].into_iter().collect()),
            comments: [(
                pool,
                vec![
                    "terraform: aws_cognito_user_pool.main".to_string(),
                    "terraform: aws_cognito_user_pool_client.web[\"tti\"]".to_string(),
                ],
            )]
            .into_iter()
            .collect(),
            pin: true,
            ..Default::default()
        };
        let out = export(&sample(), "s", "us-east-1", &sel);
        let spec = parse(&out.yaml);
        let pools = spec["user_pools"].as_object().unwrap();
        assert_eq!(
            pools.keys().collect::<Vec<_>>(),
            ["blog_pool"],
            "{}",
            out.yaml
        );
        assert!(
            out.yaml.contains(
                "user_pools:\n  # terraform: aws_cognito_user_pool.main\n  # terraform: aws_cognito_user_pool_client.web[\"tti\"]\n  blog_pool:\n"
            ),
            "{}",
            out.yaml
        );
        // The comments change nothing else.
        let plain = Selection {
            comments: Default::default(),
            ..sel
        };
        assert_eq!(
            parse(&export(&sample(), "s", "us-east-1", &plain).yaml),
            spec
        );
    }

    #[test]
    fn comments_find_quoted_keys_and_skip_lists_and_block_text() {
        let yaml = "a:\n  - b: 1\n  \"x y\":\n    text: |\n      c:\n  c: 2\n";
        let top = (Kind::UserPool, "p".to_string());
        let comments = [(top.clone(), vec!["here".to_string()])]
            .into_iter()
            .collect();
        let at = |path: &[&str]| {
            let entries = vec![(path.iter().map(|s| s.to_string()).collect(), top.clone())];
            annotate(yaml, &entries, &comments)
        };
        assert_eq!(
            at(&["a", "x y"]),
            "a:\n  - b: 1\n  # here\n  \"x y\":\n    text: |\n      c:\n  c: 2\n"
        );
        assert_eq!(
            at(&["a", "c"]),
            "a:\n  - b: 1\n  \"x y\":\n    text: |\n      c:\n  # here\n  c: 2\n"
        );
        assert_eq!(
            at(&["a", "b"]),
            yaml,
            "a key inside a list item is not an entry"
        );
    }

    #[test]
    fn durations_use_the_largest_exact_unit() {
        assert_eq!(duration(86_400 * 30), "30d");
        assert_eq!(duration(7_200), "2h");
        assert_eq!(duration(300), "5m");
        assert_eq!(duration(61), "61s");
    }
}
