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
//!
//! Files: [`links`] (the link table), [`report`] (the report types), `chain.rs` (walking one
//! chain), one file per family of links (`tti.rs`, `grant.rs`, `claims.rs`, `assignment.rs`,
//! `auth_method.rs`, `scopes.rs`, `saml.rs`, [`coverage`]), [`health`] (certificates) and
//! [`render`].

mod assignment;
mod auth_method;
mod chain;
mod claims;
pub mod coverage;
mod grant;
pub mod health;
pub mod links;
pub mod render;
pub mod report;
mod saml;
mod scopes;
mod tti;

pub use links::{EXCHANGE_HOPS, IDENTITY_STORE_PATHS, LINKS};
pub use report::{ExchangeTarget, Finding, Report, Status};

use chain::Ctx;
use idplane_model::{Address, Desired, Kind, LiveObject, Observed, Value};
use idplane_planner::{PlanError, PlanOptions};
use std::collections::BTreeMap;

/// The JSON report format version (documented in `specs/verify.md`).
pub const VERIFY_FORMAT_VERSION: u32 = 1;

/// The grant type of the token exchange.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// What the checks need besides desired and live state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The account that will call CreateTokenWithIAM (the caller of `verify`).
    pub account_id: Option<String>,
    /// The pool users the command read for `identity.coverage`, per issuing pool and mapping
    /// ([`Report::coverage`] says which); a chain without its sample has the link skipped.
    pub coverage: Vec<coverage::Sample>,
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
    let mut coverage = Vec::new();
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
        let c = ctx.chain(app, grant);
        findings.extend(c.out);
        targets.extend(c.target);
        for t in c.coverage {
            if !coverage.contains(&t) {
                coverage.push(t);
            }
        }
    }
    Ok(Report {
        format_version: VERIFY_FORMAT_VERSION,
        stack: desired.stack.clone(),
        region: desired.region.clone(),
        chains,
        findings,
        targets,
        pools,
        coverage,
    })
}

#[cfg(test)]
mod tests;
