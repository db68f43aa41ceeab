//! `idplane verify`'s static checks: does the trusted identity propagation chain the spec
//! describes hold in live state, link by link (a Cognito token can be exchanged for an Identity
//! Center token)?
//!
//! Pure like the planner: [`verify`] takes the lowered [`Desired`], the [`Observed`] live state
//! and the [`Facts`] the checks need (the calling account), and returns a [`Report`] of
//! findings; no I/O, no async, no AWS SDK. Desired resources are matched to live objects by the
//! planner's own matching, so `verify` looks at exactly the objects `plan` would change. Every
//! check reads live state: the spec only says which objects make up the chain.
//!
//! Each finding names a link from [`LINKS`] (stable ids such as `tti.issuer_url`), the objects,
//! what the chain needs, what AWS has, and the fix. [`render`] prints text, JSON and Markdown.

pub mod health;
pub mod render;

use idplane_model::{Address, Desired, DesiredResource, Kind, LiveObject, Observed, Value};
use idplane_planner::{PlanError, PlanOptions};
use serde::Serialize;
use std::collections::BTreeMap;

/// The JSON report format version (documented in `specs/verify.md`).
pub const VERIFY_FORMAT_VERSION: u32 = 1;

/// The grant type of the token exchange.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Every link `verify` checks, in the order it reports them, with what holds when it passes.
pub const LINKS: &[(&str, &str)] = &[
    (
        "application.exists",
        "the application the spec names exists in Identity Center",
    ),
    (
        "application.enabled",
        "the application's status is ENABLED (a disabled application issues no token)",
    ),
    (
        "grant.jwt_bearer",
        "the application has a JWT bearer grant (urn:ietf:params:oauth:grant-type:jwt-bearer)",
    ),
    (
        "tti.exists",
        "the trusted token issuer the grant should name exists",
    ),
    (
        "grant.issuer",
        "the live JWT bearer grant names that trusted token issuer",
    ),
    (
        "grant.audiences",
        "every audience the grant authorizes for the issuer is a live app client of the issuing pool",
    ),
    (
        "tti.issuer_url",
        "the issuer's URL equals the pool's real issuer (`iss` of its tokens; ORIGINAL or UPDATED issuer type)",
    ),
    (
        "tti.claim",
        "the issuer's claim is one the pool's tokens carry (a standard attribute, or a pre token generation trigger adds it)",
    ),
    (
        "client.read_attributes",
        "each audience client may read the claimed attribute (an ID token carries only readable attributes)",
    ),
    (
        "client.scopes",
        "each audience client using OAuth flows has `openid` and a scope that carries the claim (`profile`, or `email` / `phone`)",
    ),
    (
        "tti.identity_store_attribute_path",
        "the issuer's Identity Store attribute path is one a user is found by (userName, emails.value, externalIds.value)",
    ),
    (
        "assignment.required",
        "assignment is not required, or users or groups are assigned to the application",
    ),
    (
        "auth_method.iam",
        "the application has an IAM authentication method (who may call CreateTokenWithIAM)",
    ),
    (
        "auth_method.actor_policy",
        "the actor policy allows sso-oauth:CreateTokenWithIAM to the calling account",
    ),
    (
        "access_scopes",
        "every access scope the spec gives the application is live",
    ),
    (
        "saml.idp",
        "the pool's SAML identity provider federating back to Identity Center exists",
    ),
    (
        "saml.client",
        "each audience client lists that SAML identity provider (users sign in through Identity Center)",
    ),
    (
        "saml.domain",
        "the pool has a domain (the SAML application's ACS URL is https://DOMAIN.auth.REGION.amazoncognito.com/saml2/idpresponse)",
    ),
];

/// The hops of the live exchange (`verify --exchange`), in order; reported after the static
/// links of their chain, by the command that makes the calls.
pub const EXCHANGE_HOPS: &[(&str, &str)] = &[
    (
        "exchange.id_token",
        "a Cognito ID token of the test user (AdminInitiateAuth, or the --id-token file)",
    ),
    (
        "exchange.create_token_with_iam",
        "sso-oidc CreateTokenWithIAM (JWT bearer grant) accepts the ID token",
    ),
    (
        "exchange.scopes",
        "the Identity Center token carries every access scope the spec gives the application",
    ),
    (
        "exchange.identity_context",
        "the Identity Center token carries `sts:identity_context`",
    ),
    (
        "exchange.assume_role",
        "STS AssumeRole with the identity context (ProvidedContexts) gives an identity-enhanced session",
    ),
];

/// Where the live exchange of one chain goes (never serialized: the command uses it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeTarget {
    /// The application's spec address.
    pub chain: String,
    pub application_arn: String,
    /// The issuing pool and its clients that are audiences of the grant.
    pub pool_id: String,
    pub client_ids: Vec<String>,
    /// The access scopes the spec gives the application.
    pub scopes: Vec<String>,
}

/// Identity Store attribute paths a trusted token issuer can map a claim to (the ones the
/// Identity Center console offers; the API reference names `emails.value` as its example).
pub const IDENTITY_STORE_PATHS: &[&str] = &["userName", "emails.value", "externalIds.value"];

/// What the checks need besides desired and live state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The account that will call CreateTokenWithIAM (the caller of `verify`).
    pub account_id: Option<String>,
}

/// The outcome of one link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The link holds.
    Pass,
    /// The link is broken: the exchange fails (exit 2).
    Broken,
    /// Not checked (an earlier link is broken, or the link does not apply); `actual` says why.
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Broken => "broken",
            Status::Skipped => "skipped",
        }
    }
}

/// One checked link of one chain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The link id (one of [`LINKS`]).
    pub link: &'static str,
    pub status: Status,
    /// The application whose chain this is (its spec address).
    pub chain: String,
    /// The objects involved: spec addresses with their live ids.
    pub objects: Vec<String>,
    /// What the chain needs.
    pub expected: String,
    /// What AWS has.
    pub actual: String,
    /// How to repair it (empty when the link holds).
    pub fix: String,
}

/// Everything `verify` found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub format_version: u32,
    pub stack: String,
    pub region: String,
    /// The applications with a JWT bearer grant in the spec, by address.
    pub chains: Vec<String>,
    pub findings: Vec<Finding>,
    /// Where a live exchange goes, per chain whose application and issuing pool are live.
    #[serde(skip)]
    pub targets: Vec<ExchangeTarget>,
    /// The spec's user pools that are live: (address, pool id), for the certificate health.
    #[serde(skip)]
    pub pools: Vec<(String, String)>,
}

impl Report {
    /// Whether a link is broken (exit 2).
    pub fn has_broken(&self) -> bool {
        self.findings.iter().any(|f| f.status == Status::Broken)
    }

    /// The ids of the broken links, in report order.
    pub fn broken_links(&self) -> Vec<&'static str> {
        self.findings
            .iter()
            .filter(|f| f.status == Status::Broken)
            .map(|f| f.link)
            .collect()
    }

    /// Adds findings made elsewhere (the live exchange, certificate health).
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.findings.extend(findings);
    }
}

/// Checks every chain of the spec (each application with a JWT bearer grant) against live state.
///
/// # Errors
/// The planner's matching errors ([`PlanError::Ambiguous`], [`PlanError::Invalid`]).
pub fn verify(desired: &Desired, observed: &Observed, facts: &Facts) -> Result<Report, PlanError> {
    // Guards off: verify changes nothing, it only needs the matching.
    let opts = PlanOptions {
        allow_replace_user_pools: true,
        allow_delete_user_pools: true,
        max_delete_fraction: 1.0,
        allow_mass_delete: true,
        ..PlanOptions::default()
    };
    let plan = idplane_planner::plan(desired, observed, &opts)?;
    let mut live: BTreeMap<Address, &LiveObject> = BTreeMap::new();
    for c in &plan.changes {
        if c.unmanaged {
            continue;
        }
        if let Some(id) = &c.live_id
            && let Some(o) = observed.find(c.kind, c.parent_live_id.as_deref(), id)
        {
            live.insert(c.address.clone(), o);
        }
    }
    let ctx = Ctx {
        desired,
        observed,
        facts,
        live,
    };
    let mut chains = Vec::new();
    let mut findings = Vec::new();
    let mut targets = Vec::new();
    let pools: Vec<(String, String)> = ctx
        .live
        .iter()
        .filter(|(_, o)| o.kind == Kind::UserPool)
        .map(|(a, o)| (a.to_string(), o.id.clone()))
        .collect();
    for grant in desired.resources.values() {
        if grant.kind != Kind::ApplicationGrant
            || grant.attrs.get("grant_type").and_then(Value::as_str) != Some(JWT_BEARER)
        {
            continue;
        }
        let Some(app) = grant.parent.as_ref().and_then(|a| desired.resources.get(a)) else {
            continue;
        };
        chains.push(app.address.to_string());
        let (found, target) = ctx.chain(app, grant);
        findings.extend(found);
        targets.extend(target);
    }
    Ok(Report {
        format_version: VERIFY_FORMAT_VERSION,
        stack: desired.stack.clone(),
        region: desired.region.clone(),
        chains,
        findings,
        targets,
        pools,
    })
}

struct Ctx<'a> {
    desired: &'a Desired,
    observed: &'a Observed,
    facts: &'a Facts,
    /// Desired address -> the live object the planner matched to it.
    live: BTreeMap<Address, &'a LiveObject>,
}

/// Collects the findings of one chain.
struct Chain {
    name: String,
    out: Vec<Finding>,
    target: Option<ExchangeTarget>,
}

impl Chain {
    fn push(
        &mut self,
        link: &'static str,
        status: Status,
        objects: Vec<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
        fix: impl Into<String>,
    ) {
        debug_assert!(
            LINKS
                .iter()
                .chain(EXCHANGE_HOPS)
                .chain(health::HEALTH_LINKS)
                .any(|(l, _)| *l == link),
            "{link}"
        );
        let fix = if status == Status::Broken {
            fix.into()
        } else {
            String::new()
        };
        self.out.push(Finding {
            link,
            status,
            chain: self.name.clone(),
            objects,
            expected: expected.into(),
            actual: actual.into(),
            fix,
        });
    }

    fn pass(&mut self, link: &'static str, objects: Vec<String>, what: impl Into<String>) {
        let what = what.into();
        self.push(link, Status::Pass, objects, what.clone(), what, "");
    }

    fn skip(&mut self, link: &'static str, objects: Vec<String>, why: impl Into<String>) {
        self.push(link, Status::Skipped, objects, "", why, "");
    }

    /// Marks every link from `from` on (in [`LINKS`] order) that was not reported as skipped.
    fn skip_rest(&mut self, from: &'static str, why: &str) {
        let start = LINKS.iter().position(|(l, _)| *l == from).unwrap_or(0);
        for (link, _) in &LINKS[start..] {
            if !self.out.iter().any(|f| f.link == *link) {
                self.skip(link, vec![], why);
            }
        }
    }
}

fn strs(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

fn label(address: &Address, live: Option<&LiveObject>) -> String {
    match live {
        Some(o) => format!("{address} ({})", o.id),
        None => address.to_string(),
    }
}

/// The scope that makes an ID token from the OAuth endpoints carry a claim, besides `profile`
/// (which carries every attribute the client can read).
fn scope_for_claim(claim: &str) -> Option<&'static str> {
    match claim {
        "sub" => Some("openid"),
        "email" | "email_verified" => Some("email"),
        "phone_number" | "phone_number_verified" => Some("phone"),
        _ => None,
    }
}

impl<'a> Ctx<'a> {
    fn children(&self, parent: &Address, kind: Kind) -> impl Iterator<Item = &DesiredResource> {
        self.desired
            .resources
            .values()
            .filter(move |r| r.kind == kind && r.parent.as_ref() == Some(parent))
    }

    fn live_children(&self, kind: Kind, parent: &LiveObject) -> Vec<&'a LiveObject> {
        self.observed
            .objects
            .iter()
            .filter(|o| o.kind == kind && o.parent_id.as_deref() == Some(parent.id.as_str()))
            .collect()
    }

    fn chain(
        &self,
        app: &DesiredResource,
        grant: &DesiredResource,
    ) -> (Vec<Finding>, Option<ExchangeTarget>) {
        let mut c = Chain {
            name: app.address.to_string(),
            out: Vec::new(),
            target: None,
        };
        let app_name = app
            .attrs
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(app.address.name())
            .to_string();
        // application.exists
        let Some(live_app) = self.live.get(&app.address).copied() else {
            c.push(
                "application.exists",
                Status::Broken,
                vec![app.address.to_string()],
                format!("an application named {app_name}"),
                "none in Identity Center",
                "run `idplane apply` to create it (or pin the live one with `arn:`)",
            );
            c.skip_rest("application.enabled", "the application does not exist");
            return (c.out, None);
        };
        let app_obj = vec![label(&app.address, Some(live_app))];
        c.pass("application.exists", app_obj.clone(), app_name.clone());
        // application.enabled
        let status = live_app
            .attrs
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or("ENABLED");
        if status == "ENABLED" {
            c.pass("application.enabled", app_obj.clone(), "ENABLED");
        } else {
            c.push(
                "application.enabled",
                Status::Broken,
                app_obj.clone(),
                "ENABLED",
                status,
                "enable the application (`status: ENABLED`, then `idplane apply`)",
            );
        }
        // grant.jwt_bearer
        let live_grant = self
            .live_children(Kind::ApplicationGrant, live_app)
            .into_iter()
            .find(|g| g.id == JWT_BEARER);
        let Some(live_grant) = live_grant else {
            c.push(
                "grant.jwt_bearer",
                Status::Broken,
                vec![grant.address.to_string()],
                "a JWT bearer grant",
                "the application has no JWT bearer grant",
                "run `idplane apply` to put the grant back",
            );
            c.skip_rest("tti.exists", "the application has no JWT bearer grant");
            self.app_links(&mut c, app, live_app);
            return (c.out, None);
        };
        c.pass(
            "grant.jwt_bearer",
            vec![label(&grant.address, Some(live_grant))],
            JWT_BEARER,
        );
        let live_issuers: Vec<&BTreeMap<String, Value>> = live_grant
            .attrs
            .get("grant")
            .and_then(Value::as_map)
            .and_then(|g| g.get("authorized_token_issuers"))
            .and_then(Value::as_list)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_map)
            .collect();
        let desired_issuers: Vec<&BTreeMap<String, Value>> = grant
            .attrs
            .get("grant")
            .and_then(Value::as_map)
            .and_then(|g| g.get("authorized_token_issuers"))
            .and_then(Value::as_list)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_map)
            .collect();
        for di in desired_issuers {
            self.issuer_links(&mut c, di, &grant.address, &live_issuers);
        }
        self.app_links(&mut c, app, live_app);
        let target = c.target.take().map(|mut t| {
            t.application_arn = live_app.id.clone();
            t.scopes = self
                .children(&app.address, Kind::ApplicationAccessScope)
                .filter_map(|s| s.attrs.get("scope").and_then(Value::as_str))
                .map(str::to_string)
                .collect();
            t
        });
        (c.out, target)
    }

    /// The trusted token issuer named by one issuer entry of the spec's grant, and the pool.
    fn issuer_links(
        &self,
        c: &mut Chain,
        di: &BTreeMap<String, Value>,
        grant_addr: &Address,
        live_issuers: &[&BTreeMap<String, Value>],
    ) {
        // The desired TTI: a reference to a TTI of the stack, or a literal ARN.
        let (tti_addr, tti_live): (Option<Address>, Option<&LiveObject>) =
            match di.get("trusted_token_issuer_arn") {
                Some(Value::Ref(r)) | Some(Value::Unknown(r)) => {
                    (Some(r.address.clone()), self.live.get(&r.address).copied())
                }
                Some(Value::Str(arn)) => (
                    None,
                    self.observed
                        .objects
                        .iter()
                        .find(|o| o.kind == Kind::TrustedTokenIssuer && &o.id == arn),
                ),
                _ => (None, None),
            };
        let tti_name = tti_addr
            .as_ref()
            .map(Address::to_string)
            .or_else(|| {
                di.get("trusted_token_issuer_arn")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "the trusted token issuer".to_string());
        let Some(tti) = tti_live else {
            c.push(
                "tti.exists",
                Status::Broken,
                vec![tti_name.clone()],
                format!("the trusted token issuer {tti_name}"),
                "none in Identity Center",
                "run `idplane apply` to create it",
            );
            for link in [
                "grant.issuer",
                "grant.audiences",
                "tti.issuer_url",
                "tti.claim",
                "client.read_attributes",
                "client.scopes",
                "tti.identity_store_attribute_path",
                "saml.idp",
                "saml.client",
                "saml.domain",
            ] {
                c.skip(link, vec![], "the trusted token issuer does not exist");
            }
            return;
        };
        let tti_label = match &tti_addr {
            Some(a) => label(a, Some(tti)),
            None => tti.id.clone(),
        };
        c.pass("tti.exists", vec![tti_label.clone()], tti.id.clone());
        // grant.issuer
        let entry = live_issuers.iter().find(|i| {
            i.get("trusted_token_issuer_arn").and_then(Value::as_str) == Some(tti.id.as_str())
        });
        let live_arns: Vec<String> = live_issuers
            .iter()
            .filter_map(|i| {
                i.get("trusted_token_issuer_arn")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect();
        let objs = vec![grant_addr.to_string(), tti_label.clone()];
        let audiences = match entry {
            Some(e) => {
                c.pass("grant.issuer", objs.clone(), tti.id.clone());
                strs(e.get("authorized_audiences"))
            }
            None => {
                c.push(
                    "grant.issuer",
                    Status::Broken,
                    objs.clone(),
                    tti.id.clone(),
                    if live_arns.is_empty() {
                        "the grant names no trusted token issuer".to_string()
                    } else {
                        format!("the grant names {}", live_arns.join(", "))
                    },
                    "run `idplane apply` to put the grant back as the spec says",
                );
                Vec::new()
            }
        };
        // The issuing pool: the one the spec's issuer URL references, else the pool of an
        // audience client, else the pool whose id ends the issuer URL.
        let tti_url = tti
            .attrs
            .get("issuer_url")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let desired_tti = tti_addr
            .as_ref()
            .and_then(|a| self.desired.resources.get(a));
        let pool_addr = desired_tti.and_then(|d| match d.attrs.get("issuer_url") {
            Some(Value::Ref(r)) | Some(Value::Unknown(r))
                if self
                    .desired
                    .resources
                    .get(&r.address)
                    .is_some_and(|p| p.kind == Kind::UserPool) =>
            {
                Some(r.address.clone())
            }
            _ => None,
        });
        let pool: Option<&LiveObject> = match &pool_addr {
            Some(a) => self.live.get(a).copied(),
            None => self
                .observed
                .objects
                .iter()
                .find(|o| o.kind == Kind::UserPoolClient && audiences.contains(&o.id))
                .and_then(|client| {
                    self.observed.find(
                        Kind::UserPool,
                        None,
                        client.parent_id.as_deref().unwrap_or_default(),
                    )
                })
                .or_else(|| {
                    self.observed.objects.iter().find(|o| {
                        o.kind == Kind::UserPool && tti_url.ends_with(&format!("/{}", o.id))
                    })
                }),
        };
        let pool_label = match (&pool_addr, pool) {
            (Some(a), p) => label(a, p),
            (None, Some(p)) => p.id.clone(),
            (None, None) => "the issuing user pool".to_string(),
        };
        let Some(pool) = pool else {
            let why = if pool_addr.is_some() {
                "the issuing user pool does not exist"
            } else {
                "the issuer is not a user pool idplane can see"
            };
            for link in [
                "grant.audiences",
                "tti.issuer_url",
                "tti.claim",
                "client.read_attributes",
                "client.scopes",
            ] {
                c.skip(link, vec![pool_label.clone()], why);
            }
            self.path_link(c, tti, &tti_label);
            return;
        };
        // grant.audiences
        let live_clients: BTreeMap<&str, &LiveObject> = self
            .live_children(Kind::UserPoolClient, pool)
            .into_iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        let strangers: Vec<&String> = audiences
            .iter()
            .filter(|a| !live_clients.contains_key(a.as_str()))
            .collect();
        let clients: Vec<&LiveObject> = audiences
            .iter()
            .filter_map(|a| live_clients.get(a.as_str()).copied())
            .collect();
        let aud_objs = vec![grant_addr.to_string(), pool_label.clone()];
        if entry.is_none() {
            c.skip(
                "grant.audiences",
                aud_objs,
                "the grant does not name the issuer",
            );
        } else if audiences.is_empty() || !strangers.is_empty() {
            c.push(
                "grant.audiences",
                Status::Broken,
                aud_objs,
                format!(
                    "client ids of {} ({})",
                    pool.id,
                    live_clients.keys().copied().collect::<Vec<_>>().join(", ")
                ),
                if audiences.is_empty() {
                    "no audience".to_string()
                } else {
                    format!(
                        "{} not a client of the pool",
                        strangers
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                "make the audiences `${user_pools.POOL.clients.CLIENT.id}` and run `idplane apply` (a deleted client gets a new id)",
            );
        } else {
            c.pass("grant.audiences", aud_objs, audiences.join(", "));
        }
        // tti.issuer_url
        let pool_url = pool.outputs.get("issuer_url").cloned().unwrap_or_default();
        let url_objs = vec![tti_label.clone(), pool_label.clone()];
        if pool_url == tti_url {
            c.pass("tti.issuer_url", url_objs, pool_url);
        } else {
            c.push(
                "tti.issuer_url",
                Status::Broken,
                url_objs,
                pool_url,
                tti_url,
                "the issuer URL cannot be updated: replace the trusted token issuer (`issuer_url: ${user_pools.POOL.issuer_url}`, then `idplane apply`), or set the pool's `issuer_type` back",
            );
        }
        // tti.claim
        let claim = tti
            .attrs
            .get("claim_attribute_path")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let attr = claim.split('.').next().unwrap_or_default().to_string();
        let trigger = pool
            .attrs
            .get("lambda_config")
            .and_then(Value::as_map)
            .and_then(|l| l.get("pre_token_generation"))
            .and_then(Value::as_str)
            .is_some();
        let claim_objs = vec![tti_label.clone(), pool_label.clone()];
        let standard = idplane_planner::is_standard_attribute(&attr) || attr == "sub";
        if standard {
            c.pass(
                "tti.claim",
                claim_objs,
                format!("{claim} (standard attribute)"),
            );
        } else if trigger {
            c.pass(
                "tti.claim",
                claim_objs,
                format!("{claim} (the pre token generation trigger may add it; not checked)"),
            );
        } else {
            c.push(
                "tti.claim",
                Status::Broken,
                claim_objs,
                "a claim the pool's tokens carry: a standard attribute (email, sub, ...)",
                format!("{claim}: not a claim of the pool's tokens"),
                "set the issuer's `claim_attribute_path` to an attribute the tokens carry (e.g. email)",
            );
        }
        // client.read_attributes and client.scopes, for each audience client
        let mut unreadable = Vec::new();
        let mut unscoped = Vec::new();
        let mut oauth_clients = 0;
        for client in &clients {
            let read = strs(client.attrs.get("read_attributes"));
            if !(read.is_empty() || attr == "sub" || read.contains(&attr)) {
                unreadable.push(format!("{} reads {}", client.id, read.join(", ")));
            }
            let oauth = client
                .attrs
                .get("allowed_oauth_flows_user_pool_client")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if oauth {
                oauth_clients += 1;
                let scopes = strs(client.attrs.get("allowed_oauth_scopes"));
                let has = |s: &str| scopes.iter().any(|x| x == s);
                let carried =
                    attr == "sub" || has("profile") || scope_for_claim(&attr).is_some_and(has);
                if !has("openid") || !carried {
                    unscoped.push(format!("{} allows {}", client.id, scopes.join(" ")));
                }
            }
        }
        let client_objs: Vec<String> = clients.iter().map(|o| o.id.clone()).collect();
        if c.target.is_none() && !clients.is_empty() {
            c.target = Some(ExchangeTarget {
                chain: c.name.clone(),
                application_arn: String::new(),
                pool_id: pool.id.clone(),
                client_ids: client_objs.clone(),
                scopes: Vec::new(),
            });
        }
        if clients.is_empty() {
            c.skip(
                "client.read_attributes",
                vec![],
                "no audience is a client of the pool",
            );
            c.skip(
                "client.scopes",
                vec![],
                "no audience is a client of the pool",
            );
        } else {
            if unreadable.is_empty() {
                c.pass("client.read_attributes", client_objs.clone(), attr.clone());
            } else {
                c.push(
                    "client.read_attributes",
                    Status::Broken,
                    client_objs.clone(),
                    format!("read_attributes empty (all) or holding {attr}"),
                    unreadable.join("; "),
                    format!("add {attr} to the client's `read_attributes`, then `idplane apply`"),
                );
            }
            let wanted = match scope_for_claim(&attr) {
                Some(s) if s != "openid" => format!("openid and {s} (or profile)"),
                _ => "openid and profile".to_string(),
            };
            if oauth_clients == 0 {
                c.pass(
                    "client.scopes",
                    client_objs,
                    "no OAuth flows: tokens carry every readable attribute",
                );
            } else if unscoped.is_empty() {
                c.pass("client.scopes", client_objs, wanted);
            } else {
                c.push(
                    "client.scopes",
                    Status::Broken,
                    client_objs,
                    wanted,
                    unscoped.join("; "),
                    "add the scopes to the client's `oauth.scopes`, then `idplane apply`",
                );
            }
        }
        self.path_link(c, tti, &tti_label);
        self.saml_links(c, pool, pool_addr.as_ref(), &pool_label, &clients);
    }

    fn path_link(&self, c: &mut Chain, tti: &LiveObject, tti_label: &str) {
        let path = tti
            .attrs
            .get("identity_store_attribute_path")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if IDENTITY_STORE_PATHS.contains(&path) {
            c.pass(
                "tti.identity_store_attribute_path",
                vec![tti_label.to_string()],
                path,
            );
        } else {
            c.push(
                "tti.identity_store_attribute_path",
                Status::Broken,
                vec![tti_label.to_string()],
                IDENTITY_STORE_PATHS.join(" or "),
                path,
                "set the issuer's `identity_store_attribute_path` (e.g. emails.value), then `idplane apply`",
            );
        }
    }

    /// The pool federating back to Identity Center over SAML (seed 000): its IdP whose metadata
    /// comes from Identity Center, the clients listing it, and the domain of the ACS URL.
    fn saml_links(
        &self,
        c: &mut Chain,
        pool: &LiveObject,
        pool_addr: Option<&Address>,
        pool_label: &str,
        clients: &[&LiveObject],
    ) {
        let back = pool_addr.and_then(|p| {
            self.children(p, Kind::IdentityProvider).find(|idp| {
                idp.attrs.get("provider_type").and_then(Value::as_str) == Some("SAML")
                    && idp
                        .attrs
                        .get("provider_details")
                        .and_then(Value::as_map)
                        .and_then(|d| d.get("MetadataURL"))
                        .and_then(Value::as_str)
                        .is_some_and(|u| u.contains("portal.sso."))
            })
        });
        let Some(idp) = back else {
            for link in ["saml.idp", "saml.client", "saml.domain"] {
                c.skip(
                    link,
                    vec![pool_label.to_string()],
                    "the pool does not federate back to Identity Center",
                );
            }
            return;
        };
        let name = idp
            .attrs
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(idp.address.name())
            .to_string();
        let live_idp = self
            .live_children(Kind::IdentityProvider, pool)
            .into_iter()
            .find(|o| o.id == name);
        let idp_objs = vec![label(&idp.address, live_idp)];
        if live_idp.is_some() {
            c.pass("saml.idp", idp_objs, name.clone());
        } else {
            c.push(
                "saml.idp",
                Status::Broken,
                idp_objs,
                format!("the SAML identity provider {name}"),
                format!("{} has no identity provider {name}", pool.id),
                "run `idplane apply` to create it",
            );
        }
        let missing: Vec<String> = clients
            .iter()
            .filter(|cl| !strs(cl.attrs.get("supported_identity_providers")).contains(&name))
            .map(|cl| cl.id.clone())
            .collect();
        let client_objs: Vec<String> = clients.iter().map(|o| o.id.clone()).collect();
        if missing.is_empty() {
            c.pass("saml.client", client_objs, name.clone());
        } else {
            c.push(
                "saml.client",
                Status::Broken,
                client_objs,
                format!("supported identity providers holding {name}"),
                format!("{} do not list {name}", missing.join(", ")),
                format!("add {name} to the client's `identity_providers`, then `idplane apply`"),
            );
        }
        let domain = self
            .live_children(Kind::UserPoolDomain, pool)
            .into_iter()
            .find(|d| d.transition() != Some(idplane_model::Transition::Deleting));
        let region = pool.id.split('_').next().unwrap_or(&self.desired.region);
        match domain {
            Some(d) => c.pass(
                "saml.domain",
                vec![pool_label.to_string()],
                format!(
                    "entity id urn:amazon:cognito:sp:{}, ACS URL https://{}.auth.{region}.amazoncognito.com/saml2/idpresponse",
                    pool.id, d.id
                ),
            ),
            None => c.push(
                "saml.domain",
                Status::Broken,
                vec![pool_label.to_string()],
                "a domain (the SAML application's ACS URL is on it)",
                format!("{} has no domain", pool.id),
                "run `idplane apply` to create the pool's domain",
            ),
        }
    }

    /// Links of the application itself: assignment, authentication method, access scopes.
    fn app_links(&self, c: &mut Chain, app: &DesiredResource, live_app: &LiveObject) {
        let app_obj = vec![label(&app.address, Some(live_app))];
        // assignment.required
        let required = self
            .live_children(Kind::ApplicationAssignmentConfiguration, live_app)
            .first()
            .and_then(|o| o.attrs.get("assignment_required").and_then(Value::as_bool))
            .unwrap_or(true);
        let assigned = self
            .live_children(Kind::ApplicationAssignment, live_app)
            .len();
        if !required {
            c.pass("assignment.required", app_obj.clone(), "not required");
        } else if assigned > 0 {
            c.pass(
                "assignment.required",
                app_obj.clone(),
                format!("required; {assigned} principal(s) assigned"),
            );
        } else {
            c.push(
                "assignment.required",
                Status::Broken,
                app_obj.clone(),
                "assignment not required, or principals assigned",
                "assignment required and nobody is assigned",
                "set `assignment_required: false` or add `assignments`, then `idplane apply`",
            );
        }
        // auth_method.iam and auth_method.actor_policy
        let method = self
            .live_children(Kind::ApplicationAuthenticationMethod, live_app)
            .into_iter()
            .find(|m| m.id == "IAM");
        match method {
            None => {
                c.push(
                    "auth_method.iam",
                    Status::Broken,
                    app_obj.clone(),
                    "an IAM authentication method",
                    "none",
                    "add `authentication_methods.iam.actor_policy`, then `idplane apply`",
                );
                c.skip(
                    "auth_method.actor_policy",
                    app_obj.clone(),
                    "no IAM authentication method",
                );
            }
            Some(m) => {
                c.pass("auth_method.iam", app_obj.clone(), "IAM");
                let policy = m.attrs.get("actor_policy").cloned().unwrap_or_default();
                let account = self.facts.account_id.as_deref();
                let expected = format!(
                    "Allow sso-oauth:CreateTokenWithIAM to {}",
                    account.unwrap_or("the calling account")
                );
                match actor_policy_allows(&policy, account) {
                    Ok(why) => c.pass("auth_method.actor_policy", app_obj.clone(), why),
                    Err(why) => c.push(
                        "auth_method.actor_policy",
                        Status::Broken,
                        app_obj.clone(),
                        expected,
                        why,
                        "name the calling account in the actor policy's Principal (AWS: ACCOUNT_ID), then `idplane apply`",
                    ),
                }
            }
        }
        // access_scopes
        let live_scopes: Vec<&str> = self
            .live_children(Kind::ApplicationAccessScope, live_app)
            .into_iter()
            .map(|s| s.id.as_str())
            .collect();
        let wanted: Vec<String> = self
            .children(&app.address, Kind::ApplicationAccessScope)
            .filter_map(|s| s.attrs.get("scope").and_then(Value::as_str))
            .map(str::to_string)
            .collect();
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|s| !live_scopes.contains(&s.as_str()))
            .collect();
        if missing.is_empty() {
            c.pass(
                "access_scopes",
                app_obj,
                if wanted.is_empty() {
                    "none in the spec".to_string()
                } else {
                    wanted.join(", ")
                },
            );
        } else {
            c.push(
                "access_scopes",
                Status::Broken,
                app_obj,
                wanted.join(", "),
                format!(
                    "missing {}",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "run `idplane apply` to put the access scopes back",
            );
        }
    }
}

fn one_or_many(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Str(s)) => vec![s.clone()],
        Some(Value::List(l)) => l
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// An IAM action pattern (`*` and `?` wildcards, case-insensitive) matching an action.
fn action_matches(pattern: &str, action: &str) -> bool {
    fn go(p: &[u8], a: &[u8]) -> bool {
        match (p.first(), a.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], a) || (!a.is_empty() && go(p, &a[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &a[1..]),
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => go(&p[1..], &a[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), action.as_bytes())
}

/// Whether a principal entry names the account (`*`, the id, or an ARN of the account).
fn principal_matches(p: &str, account: Option<&str>) -> bool {
    if p == "*" {
        return true;
    }
    match account {
        Some(a) => p == a || (p.starts_with("arn:") && p.split(':').nth(4) == Some(a)),
        None => false,
    }
}

/// Whether an actor policy allows `sso-oauth:CreateTokenWithIAM` to the account (an explicit
/// deny wins). `Ok` says which statement allows it, `Err` why not.
fn actor_policy_allows(policy: &Value, account: Option<&str>) -> Result<String, String> {
    const ACTION: &str = "sso-oauth:CreateTokenWithIAM";
    // AWS returns the document as JSON text or as data.
    let parsed;
    let policy = match policy {
        Value::Str(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(j) => {
                parsed = Value::from_json(&j);
                &parsed
            }
            Err(_) => return Err("the actor policy is not JSON".to_string()),
        },
        other => other,
    };
    let statements: Vec<&BTreeMap<String, Value>> =
        match policy.as_map().and_then(|m| m.get("Statement")) {
            Some(Value::List(l)) => l.iter().filter_map(Value::as_map).collect(),
            Some(Value::Map(m)) => vec![m],
            _ => return Err("no actor policy statement".to_string()),
        };
    let mut allowed = None;
    let mut named = Vec::new();
    for s in statements {
        let actions = one_or_many(s.get("Action"));
        if !actions.iter().any(|a| action_matches(a, ACTION)) {
            continue;
        }
        let principals: Vec<String> = match s.get("Principal") {
            Some(Value::Str(p)) => vec![p.clone()],
            Some(Value::Map(m)) => one_or_many(m.get("AWS")),
            _ => Vec::new(),
        };
        named.extend(principals.iter().cloned());
        if principals.iter().any(|p| principal_matches(p, account)) {
            match s.get("Effect").and_then(Value::as_str) {
                Some("Deny") => return Err(format!("a Deny statement for {ACTION} names it")),
                Some("Allow") => allowed = Some(principals.join(", ")),
                _ => {}
            }
        }
    }
    match allowed {
        Some(p) => Ok(format!("Allow {ACTION} to {p}")),
        None if named.is_empty() => Err(format!("no statement allows {ACTION}")),
        None => Err(format!("{ACTION} is allowed to {} only", named.join(", "))),
    }
}

#[cfg(test)]
mod tests;
