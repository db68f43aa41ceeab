//! The report `verify` returns: [`Status`], [`Finding`] (one link of one chain), [`Report`]
//! (every finding, plus where the command goes next: the live exchange, the certificate health,
//! the identity coverage), and [`ExchangeTarget`].

use serde::Serialize;

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
    /// The pools and mappings whose users `identity.coverage` needs (deduplicated): the
    /// command reads them and checks again with them in the facts.
    #[serde(skip)]
    pub coverage: Vec<crate::coverage::CoverageTarget>,
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
