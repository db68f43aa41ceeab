//! Lowering of the merged YAML tree to the model's desired state: one file per kind (or small
//! family of kinds) with its own rules, helpers shared by the kinds (`value.rs`, `checks.rs`),
//! and [`lower`], which walks the tree and then runs the whole-stack rules (`crate::rules`).

mod application;
mod application_access_scope;
mod application_assignment;
mod application_authentication_method;
mod application_grant;
mod checks;
mod client;
mod domain;
mod identity_center;
mod identity_pool;
mod identity_provider;
mod identity_store;
mod resource_server;
mod trusted_token_issuer;
mod user_pool;
mod user_pool_group;
mod value;

use checks::{is_ref, valid_arn};

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
pub(crate) struct RefUse {
    pub(crate) from: Address,
    pub(crate) r: Reference,
    pub(crate) pos: Pos,
}

/// The standard attributes a spec may name: the model's one list, but `identities`, which
/// Cognito writes for federated users (a schema does not declare it, and the spec has never let a
/// client name it; the stricter reading is kept).
fn standard_attributes() -> impl Iterator<Item = &'static str> + Clone {
    idplane_model::normalize::STANDARD_ATTRIBUTES
        .iter()
        .map(|a| a.name)
        .filter(|name| *name != "identities")
}

fn is_standard_attribute(name: &str) -> bool {
    standard_attributes().any(|n| n == name)
}

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
    pub(crate) issues: &'a mut Vec<Issue>,
    pub(crate) res: BTreeMap<Address, DesiredResource>,
    pub(crate) refs: Vec<RefUse>,
    pub(crate) sources: &'a Sources,
    pub(crate) dirs: &'a [Option<PathBuf>],
    pub(crate) opts: &'a LoadOptions,
    /// TTI logical name -> (pool named by its issuer URL reference, position).
    pub(crate) tti_pool: BTreeMap<String, Option<String>>,
    /// TTI logical name -> its literal (not referenced) issuer URL.
    pub(crate) tti_url: BTreeMap<String, String>,
    /// (audience reference, issuer reference, position) of JWT bearer grants.
    pub(crate) audiences: Vec<(Reference, Option<Reference>, Pos)>,
    /// (literal audience, issuer reference, position) of JWT bearer grants.
    pub(crate) literal_audiences: Vec<(String, Option<Reference>, Pos)>,
    /// (provider reference, client reference, position) of identity pool providers.
    pub(crate) ip_providers: Vec<(Option<Reference>, Option<Reference>, Pos)>,
    /// user_name -> address; display_name -> address.
    pub(crate) store_users: BTreeMap<String, Address>,
    pub(crate) store_groups: BTreeMap<String, Address>,
    /// (from, kind "USER"/"GROUP", name)
    pub(crate) principal_deps: Vec<(Address, &'static str, String)>,
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

impl<'a> Lower<'a> {
    pub(crate) fn issue(
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
    let mut identity_center_region = None;
    if let Some(ic) = root.get("identity_center") {
        identity_center = l.identity_center(ic);
        identity_center_region = l.identity_center_region(ic);
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
        identity_center_region,
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

/// An AWS region name: `us-east-1`, `eu-west-3`, `us-gov-west-1`.
fn is_aws_region(t: &str) -> bool {
    let parts: Vec<&str> = t.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts.last().is_some_and(|p| p.parse::<u8>().is_ok())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
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
                if let Some(t) = n.as_str()
                    && !is_aws_region(t)
                {
                    self.issue(
                        codes::STACK_HEADER,
                        n.pos,
                        format!("`{t}` is not an AWS region"),
                        Some("e.g. `us-east-1`, `eu-west-3`".into()),
                    );
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
}
