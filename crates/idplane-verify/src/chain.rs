//! Walking one chain: the application with its JWT bearer grant, then for each issuer entry of
//! the grant the trusted token issuer and its issuing user pool, calling the checks of each
//! family of links in [`LINKS`] order. [`Chain`] collects the findings of one chain.

use crate::coverage::CoverageTarget;
use crate::links::{EXCHANGE_HOPS, LINKS};
use crate::report::{ExchangeTarget, Finding, Status};
use crate::{Facts, JWT_BEARER, health};
use idplane_model::{Address, Desired, DesiredResource, Kind, LiveObject, Observed, Value};
use std::collections::BTreeMap;

/// What one run of the checks looks at.
pub(crate) struct Ctx<'a> {
    pub desired: &'a Desired,
    pub observed: &'a Observed,
    pub facts: &'a Facts,
    /// Desired address -> the live object the planner matched to it.
    pub live: BTreeMap<Address, &'a LiveObject>,
}

/// Collects the findings of one chain.
pub(crate) struct Chain {
    pub name: String,
    pub out: Vec<Finding>,
    pub target: Option<ExchangeTarget>,
    /// What `identity.coverage` needs read.
    pub coverage: Vec<CoverageTarget>,
}

impl Chain {
    pub fn push(
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

    pub fn pass(&mut self, link: &'static str, objects: Vec<String>, what: impl Into<String>) {
        let what = what.into();
        self.push(link, Status::Pass, objects, what.clone(), what, "");
    }

    pub fn skip(&mut self, link: &'static str, objects: Vec<String>, why: impl Into<String>) {
        self.push(link, Status::Skipped, objects, "", why, "");
    }

    /// Marks every link from `from` on (in [`LINKS`] order) that was not reported as skipped.
    pub fn skip_rest(&mut self, from: &'static str, why: &str) {
        let start = LINKS.iter().position(|(l, _)| *l == from).unwrap_or(0);
        for (link, _) in &LINKS[start..] {
            if !self.out.iter().any(|f| f.link == *link) {
                self.skip(link, vec![], why);
            }
        }
    }

    /// Whether `link` was reported broken in this chain.
    pub fn is_broken(&self, link: &str) -> bool {
        self.out
            .iter()
            .any(|f| f.link == link && f.status == Status::Broken)
    }
}

/// The strings of a list value.
pub(crate) fn strs(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// A spec address with the live id it matched.
pub(crate) fn label(address: &Address, live: Option<&LiveObject>) -> String {
    match live {
        Some(o) => format!("{address} ({})", o.id),
        None => address.to_string(),
    }
}

/// The live trusted token issuer of a chain, with its spec address when the spec names it.
pub(crate) struct Tti<'a> {
    pub live: &'a LiveObject,
    pub addr: Option<Address>,
    pub label: String,
}

impl Tti<'_> {
    pub fn attr(&self, key: &str) -> &str {
        self.live
            .attrs
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// The issuing user pool of a chain.
pub(crate) struct Pool<'a> {
    pub live: &'a LiveObject,
    pub addr: Option<Address>,
    pub label: String,
}

impl<'a> Ctx<'a> {
    pub fn children(&self, parent: &Address, kind: Kind) -> impl Iterator<Item = &DesiredResource> {
        self.desired
            .resources
            .values()
            .filter(move |r| r.kind == kind && r.parent.as_ref() == Some(parent))
    }

    pub fn live_children(&self, kind: Kind, parent: &LiveObject) -> Vec<&'a LiveObject> {
        self.observed
            .objects
            .iter()
            .filter(|o| o.kind == kind && o.parent_id.as_deref() == Some(parent.id.as_str()))
            .collect()
    }

    /// Every link of one chain, where its live exchange goes, and what its identity coverage
    /// needs read.
    pub fn chain(&self, app: &DesiredResource, grant: &DesiredResource) -> Chain {
        let mut c = Chain {
            name: app.address.to_string(),
            out: Vec::new(),
            target: None,
            coverage: Vec::new(),
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
            return c;
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
            // The application's own links hold or not without a grant: checked first, so that
            // only the issuer's links are skipped, then everything in LINKS order.
            self.app_links(&mut c, app, live_app);
            c.skip_rest("tti.exists", "the application has no JWT bearer grant");
            c.out
                .sort_by_key(|f| LINKS.iter().position(|(l, _)| *l == f.link));
            return c;
        };
        c.pass(
            "grant.jwt_bearer",
            vec![label(&grant.address, Some(live_grant))],
            JWT_BEARER,
        );
        let issuers = |attrs: &'a BTreeMap<String, Value>| -> Vec<&'a BTreeMap<String, Value>> {
            attrs
                .get("grant")
                .and_then(Value::as_map)
                .and_then(|g| g.get("authorized_token_issuers"))
                .and_then(Value::as_list)
                .unwrap_or_default()
                .iter()
                .filter_map(Value::as_map)
                .collect()
        };
        let live_issuers = issuers(&live_grant.attrs);
        for di in grant
            .attrs
            .get("grant")
            .and_then(Value::as_map)
            .and_then(|g| g.get("authorized_token_issuers"))
            .and_then(Value::as_list)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_map)
        {
            self.issuer_links(&mut c, di, &grant.address, &live_issuers);
        }
        self.app_links(&mut c, app, live_app);
        c.target = c.target.take().map(|mut t| {
            t.application_arn = live_app.id.clone();
            t.scopes = self
                .children(&app.address, Kind::ApplicationAccessScope)
                .filter_map(|s| s.attrs.get("scope").and_then(Value::as_str))
                .map(str::to_string)
                .collect();
            t
        });
        c
    }

    /// The links of one issuer entry of the spec's grant: the trusted token issuer, the grant's
    /// entry for it, the issuing pool and its clients, the claim and the Identity Store side.
    fn issuer_links(
        &self,
        c: &mut Chain,
        di: &BTreeMap<String, Value>,
        grant_addr: &Address,
        live_issuers: &[&BTreeMap<String, Value>],
    ) {
        let Some(tti) = self.tti_exists(c, di) else {
            return;
        };
        let (named, audiences) = self.grant_issuer(c, &tti, grant_addr, live_issuers);
        let pool = self.issuing_pool(&tti, &audiences);
        let Some(pool) = pool else {
            let (pool_addr, _) = self.issuing_pool_addr(&tti);
            let (pool_label, why) = match pool_addr {
                Some(a) => (a.to_string(), "the issuing user pool does not exist"),
                None => (
                    "the issuing user pool".to_string(),
                    "the issuer is not a user pool idplane can see",
                ),
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
            self.path_link(c, &tti);
            c.skip("identity.coverage", vec![pool_label], why);
            return;
        };
        let clients = self.grant_audiences(c, &pool, named, &audiences, grant_addr);
        self.tti_issuer_url(c, &tti, &pool);
        let attr = self.tti_claim(c, &tti, &pool);
        self.client_links(c, &pool, &clients, &attr);
        self.path_link(c, &tti);
        self.coverage_link(c, &tti, &pool);
        self.saml_links(c, &pool, &clients);
    }

    /// The spec's reference to the issuing pool in the issuer's URL, if it has one.
    pub fn issuing_pool_addr(&self, tti: &Tti<'_>) -> (Option<Address>, Option<&'a LiveObject>) {
        let desired_tti = tti
            .addr
            .as_ref()
            .and_then(|a| self.desired.resources.get(a));
        let addr = desired_tti.and_then(|d| match d.attrs.get("issuer_url") {
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
        let live = addr.as_ref().and_then(|a| self.live.get(a).copied());
        (addr, live)
    }

    /// The issuing pool: the one the spec's issuer URL references, else the pool of an
    /// audience client, else the pool whose id ends the issuer URL.
    fn issuing_pool(&self, tti: &Tti<'_>, audiences: &[String]) -> Option<Pool<'a>> {
        let (addr, live) = self.issuing_pool_addr(tti);
        if let Some(a) = addr {
            return live.map(|p| Pool {
                live: p,
                label: label(&a, Some(p)),
                addr: Some(a),
            });
        }
        let tti_url = tti.attr("issuer_url");
        let p =
            self.observed
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
                })?;
        Some(Pool {
            live: p,
            label: p.id.clone(),
            addr: None,
        })
    }
}
