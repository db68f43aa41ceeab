//! Client-side pacing per AWS quota category: the table of categories and their documented
//! default rates, one token bucket per category, adaptive on throttling (the rate drops to 70 %
//! on a throttling error and grows back by 5 % per success, never above the category's rate),
//! the account's own rate for a category where its quota was raised or is shared
//! (`--quota CATEGORY=RPS`), an optional ceiling for every category (`--max-rps`) for accounts
//! whose quotas are shared with other tools, and counters for `-v`: calls per category, the
//! rate paced to, time spent waiting for pacing and for AWS.
//!
//! Sources of the table:
//! - Cognito user pools: "Amazon Cognito user pools API operation categories and request rate
//!   quotas", <https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html#category_operations>,
//!   and the Service Quotas codes `L-CFFBE34A` (UserPoolRead, 15 RPS), `L-60A0B411`
//!   (UserPoolUpdate, 15) and `L-A01C9633` (UserPoolResourceRead per account, 20);
//!   UserPoolResourceUpdate, UserPoolClientRead and UserPoolClientUpdate are 15 per account.
//!   These last four also have a per-pool rate of 5 RPS, not modelled here (one writer per pool
//!   at a time keeps idplane well under it). Which category an operation is in follows the
//!   category descriptions ("operations that read your user pools", "operations that retrieve
//!   information about resources, such as groups or resource servers, from a user pool", ...);
//!   the domain operations and `SetUserPoolMfaConfig` are counted with the pool (inferred: the
//!   strictest reading, the lowest rate, 15).
//! - Cognito identity pools: "Amazon Cognito identity pools (federated identities) API
//!   operation request rate quotas", same page: 10 RPS for the management operations idplane
//!   calls (the strictest of the listed rates for them).
//! - IAM Identity Center (sso-admin) and Identity Store: 20 TPS each, the rate idplane paced
//!   them to before this table (IAM Identity Center's throttle limits,
//!   <https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html>; the page gives no
//!   per-operation categories, so one lane per service).
//! - STS: not paced (one call per run).
//!
//! The slow-down on a throttling error is the one of the AWS SDKs' adaptive retry mode: the
//! rate is multiplied by 0.7 (botocore `retries/throttling.py`, `CubicCalculator._BETA`). A
//! steady share of throttled answers above about 12 % lowers the rate; below it the rate climbs
//! back to the documented one. Halving the rate instead sank it to the floor under a steady
//! 10 % of throttling errors, as the fault campaign injects them whatever the rate.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::ratelimit::Bucket;

/// Every quota category idplane paces, with its documented default rate in requests per
/// second (sources in the module doc).
pub const CATEGORIES: [(&str, f64); 9] = [
    ("UserPoolRead", 15.0),
    ("UserPoolUpdate", 15.0),
    ("UserPoolClientRead", 15.0),
    ("UserPoolClientUpdate", 15.0),
    ("UserPoolResourceRead", 20.0),
    ("UserPoolResourceUpdate", 15.0),
    ("cognito-identity", 10.0),
    ("sso-admin", 20.0),
    ("identitystore", 20.0),
];

/// The quota category of an operation named `service:Operation` (as [`crate::AwsProvider::call`]
/// names them), and its documented default rate in requests per second; `None` when unpaced.
pub fn category(op: &str) -> Option<(&'static str, f64)> {
    let (service, name) = op.split_once(':').unwrap_or(("", op));
    let cat = match service {
        "cognito-idp" => cognito_category(name),
        "cognito-identity" => "cognito-identity",
        "sso" => "sso-admin",
        "identitystore" => "identitystore",
        _ => return None,
    };
    CATEGORIES.iter().find(|(c, _)| *c == cat).copied()
}

fn cognito_category(name: &str) -> &'static str {
    let read = ["Describe", "List", "Get"]
        .iter()
        .any(|p| name.starts_with(p));
    let on = |what: &str| name.contains(what);
    if on("UserPoolClient") {
        if read {
            "UserPoolClientRead"
        } else {
            "UserPoolClientUpdate"
        }
    } else if on("IdentityProvider")
        || on("Group")
        || on("ResourceServer")
        || on("TagsForResource")
        || name == "TagResource"
        || name == "UntagResource"
    {
        if read {
            "UserPoolResourceRead"
        } else {
            "UserPoolResourceUpdate"
        }
    } else if read {
        "UserPoolRead"
    } else {
        "UserPoolUpdate"
    }
}

/// Reads `CATEGORY=RPS` (`--quota`): a category of [`CATEGORIES`] (any case) and a positive
/// rate in requests per second.
///
/// # Errors
/// A sentence naming what is wrong: no `=`, an unknown category (the known ones listed), or a
/// rate that is not a positive number.
pub fn parse_quota(text: &str) -> Result<(&'static str, f64), String> {
    let known = || {
        CATEGORIES
            .iter()
            .map(|(c, r)| format!("{c} ({r})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((name, rate)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` is not CATEGORY=RPS (e.g. sso-admin=40); categories and their default rates: {}",
            known()
        ));
    };
    let name = name.trim();
    let Some((cat, _)) = CATEGORIES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(name))
    else {
        return Err(format!(
            "`{name}` is not a quota category; categories and their default rates: {}",
            known()
        ));
    };
    parse_rate(rate.trim())
        .map(|r| (*cat, r))
        .map_err(|e| format!("{e} (for {cat})"))
}

/// Reads a rate in requests per second (`--max-rps`, `--quota`): a positive finite number.
///
/// # Errors
/// A sentence naming the text that is not one.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!(
            "`{text}` is not a positive number of requests per second"
        )),
    }
}

/// The factor a category's rate is multiplied by on a throttling error (see the module doc).
const SLOW_DOWN: f64 = 0.7;
/// The factor it grows by per answer that was not throttled, up to its documented rate.
const RECOVER: f64 = 1.05;
/// The lowest rate a category slows down to, in requests per second.
const FLOOR: f64 = 0.5;

/// What `-v` shows about one category.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CategoryStats {
    /// The rate the category is paced to when nothing was throttled (its documented rate,
    /// or `--quota`'s, capped by `--max-rps`), in requests per second.
    pub rate: f64,
    pub calls: u64,
    pub throttled: u64,
    /// Time requests of this category waited for their turn (client-side pacing).
    pub waiting_for_pacing: Duration,
    /// Time requests of this category waited for AWS's answer.
    pub waiting_for_aws: Duration,
}

struct Lane {
    bucket: Bucket,
    /// The documented rate or the account's (`--quota`), capped by the ceiling.
    nominal: f64,
    current: f64,
    stats: CategoryStats,
}

/// The pacing of one provider: one lane per quota category, made on first use.
pub struct Pacer {
    lanes: Mutex<BTreeMap<&'static str, Lane>>,
    /// `--max-rps`: no category goes faster.
    ceiling: Option<f64>,
    /// `--quota`: the account's rate for a category, instead of the documented one.
    quotas: BTreeMap<&'static str, f64>,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new(None)
    }
}

impl std::fmt::Debug for Pacer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pacer")
            .field("ceiling", &self.ceiling)
            .field("quotas", &self.quotas)
            .finish_non_exhaustive()
    }
}

impl Pacer {
    pub fn new(ceiling: Option<f64>) -> Self {
        Pacer {
            lanes: Mutex::new(BTreeMap::new()),
            ceiling: ceiling.filter(|c| *c > 0.0),
            quotas: BTreeMap::new(),
        }
    }

    /// The same pacer with the account's own rate for some categories (`--quota`: raised
    /// through Service Quotas, or a share of one); the rest keep their documented rates.
    pub fn with_quotas(mut self, quotas: impl IntoIterator<Item = (&'static str, f64)>) -> Self {
        self.quotas
            .extend(quotas.into_iter().filter(|(_, r)| *r > 0.0));
        self
    }

    /// Reserves a slot for `op` at `now`; returns how long to wait before sending it.
    pub fn reserve(&self, op: &str, now: Instant) -> Duration {
        let Some((cat, documented)) = category(op) else {
            return Duration::ZERO;
        };
        let rate = self.quotas.get(cat).copied().unwrap_or(documented);
        let nominal = self.ceiling.map_or(rate, |c| c.min(rate));
        let mut lanes = self.lanes.lock().expect("lock");
        let lane = lanes.entry(cat).or_insert_with(|| Lane {
            bucket: Bucket::new(nominal, nominal, now),
            nominal,
            current: nominal,
            stats: CategoryStats {
                rate: nominal,
                ..CategoryStats::default()
            },
        });
        let wait = lane.bucket.reserve(now);
        lane.stats.calls += 1;
        lane.stats.waiting_for_pacing += wait;
        wait
    }

    /// Waits for `op`'s turn.
    pub async fn acquire(&self, op: &str) {
        let wait = self.reserve(op, Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// The answer (or error) of `op` came after `took`; `throttled` when AWS said slow down.
    pub fn answered(&self, op: &str, took: Duration, throttled: bool) {
        let Some((cat, _)) = category(op) else { return };
        let mut lanes = self.lanes.lock().expect("lock");
        let Some(lane) = lanes.get_mut(cat) else {
            return;
        };
        lane.stats.waiting_for_aws += took;
        let next = if throttled {
            lane.stats.throttled += 1;
            (lane.current * SLOW_DOWN).max(FLOOR)
        } else {
            (lane.current * RECOVER).min(lane.nominal)
        };
        if next != lane.current {
            lane.current = next;
            lane.bucket.set_rate(next);
        }
    }

    /// The rate a category is paced to now (after any slow-down).
    pub fn current_rate(&self, category: &str) -> Option<f64> {
        self.lanes
            .lock()
            .expect("lock")
            .get(category)
            .map(|l| l.current)
    }

    /// Calls and waits per category so far.
    pub fn stats(&self) -> BTreeMap<&'static str, CategoryStats> {
        self.lanes
            .lock()
            .expect("lock")
            .iter()
            .map(|(k, l)| (*k, l.stats.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_fall_in_their_documented_categories() {
        let c = |op: &str| category(op).map(|(c, r)| (c, r as u32));
        assert_eq!(
            c("cognito-idp:DescribeUserPool"),
            Some(("UserPoolRead", 15))
        );
        assert_eq!(
            c("cognito-idp:CreateUserPool"),
            Some(("UserPoolUpdate", 15))
        );
        assert_eq!(
            c("cognito-idp:ListUserPoolClients"),
            Some(("UserPoolClientRead", 15))
        );
        assert_eq!(
            c("cognito-idp:CreateUserPoolClient"),
            Some(("UserPoolClientUpdate", 15))
        );
        assert_eq!(
            c("cognito-idp:GetGroup"),
            Some(("UserPoolResourceRead", 20))
        );
        assert_eq!(
            c("cognito-idp:ListIdentityProviders"),
            Some(("UserPoolResourceRead", 20))
        );
        assert_eq!(
            c("cognito-idp:CreateResourceServer"),
            Some(("UserPoolResourceUpdate", 15))
        );
        assert_eq!(c("sso:ListTagsForResource"), Some(("sso-admin", 20)));
        assert_eq!(c("identitystore:ListUsers"), Some(("identitystore", 20)));
        assert_eq!(c("sts:GetCallerIdentity"), None);
    }

    #[test]
    fn categories_are_paced_apart_and_throttling_slows_the_rate_then_it_recovers() {
        let p = Pacer::new(None);
        let t0 = Instant::now();
        // A burst of 15 client creates passes, the 16th waits; group reads are not held back.
        for _ in 0..15 {
            assert_eq!(
                p.reserve("cognito-idp:CreateUserPoolClient", t0),
                Duration::ZERO
            );
        }
        assert!(p.reserve("cognito-idp:CreateUserPoolClient", t0) > Duration::ZERO);
        assert_eq!(p.reserve("cognito-idp:GetGroup", t0), Duration::ZERO);
        p.answered("cognito-idp:GetGroup", Duration::from_millis(20), true);
        assert_eq!(p.current_rate("UserPoolResourceRead"), Some(14.0));
        for _ in 0..100 {
            p.answered("cognito-idp:GetGroup", Duration::from_millis(20), false);
        }
        assert_eq!(p.current_rate("UserPoolResourceRead"), Some(20.0));
        let s = p.stats();
        assert_eq!(s["UserPoolClientUpdate"].calls, 16);
        assert_eq!(s["UserPoolResourceRead"].throttled, 1);
        assert!(s["UserPoolClientUpdate"].waiting_for_pacing > Duration::ZERO);
    }

    #[test]
    fn a_steady_tenth_of_throttled_answers_keeps_the_rate_up_while_constant_throttling_sinks_it() {
        let p = Pacer::new(None);
        p.reserve("sso:ListApplications", Instant::now());
        // One answer in ten throttled, whatever the rate (the fault campaign's injection).
        for i in 0..1_000 {
            p.answered("sso:ListApplications", Duration::ZERO, i % 10 == 9);
        }
        let rate = p.current_rate("sso-admin").expect("a lane");
        assert!(rate > 10.0, "the rate sank to {rate} under 10 % throttling");
        // Every answer throttled (far over the quota): down to the floor.
        for _ in 0..100 {
            p.answered("sso:ListApplications", Duration::ZERO, true);
        }
        assert_eq!(p.current_rate("sso-admin"), Some(FLOOR));
    }

    #[test]
    fn every_category_an_operation_falls_in_is_in_the_table() {
        for op in [
            "cognito-idp:DescribeUserPool",
            "cognito-idp:UpdateUserPool",
            "cognito-idp:ListUserPoolClients",
            "cognito-idp:UpdateUserPoolClient",
            "cognito-idp:GetGroup",
            "cognito-idp:CreateGroup",
            "cognito-identity:CreateIdentityPool",
            "sso:CreateApplication",
            "identitystore:CreateUser",
        ] {
            let (cat, _) = category(op).expect("paced");
            assert!(CATEGORIES.iter().any(|(c, _)| *c == cat), "{op}: {cat}");
        }
        let all: std::collections::BTreeSet<_> = CATEGORIES.iter().map(|(c, _)| *c).collect();
        assert_eq!(all.len(), CATEGORIES.len(), "no category twice");
    }

    #[test]
    fn a_quota_sets_a_categorys_rate_above_or_below_the_documented_one() {
        let p = Pacer::new(None).with_quotas([("sso-admin", 40.0), ("UserPoolRead", 5.0)]);
        let t0 = Instant::now();
        for _ in 0..40 {
            assert_eq!(p.reserve("sso:PutApplicationGrant", t0), Duration::ZERO);
        }
        let w = p.reserve("sso:PutApplicationGrant", t0);
        assert!((w.as_secs_f64() - 1.0 / 40.0).abs() < 1e-9, "{w:?}");
        for _ in 0..5 {
            assert_eq!(
                p.reserve("cognito-idp:DescribeUserPool", t0),
                Duration::ZERO
            );
        }
        assert!(p.reserve("cognito-idp:DescribeUserPool", t0) > Duration::ZERO);
        // The other categories keep their documented rates; the stats say what each is paced to.
        p.reserve("identitystore:CreateUser", t0);
        let stats = p.stats();
        assert_eq!(stats["sso-admin"].rate, 40.0);
        assert_eq!(stats["UserPoolRead"].rate, 5.0);
        assert_eq!(stats["identitystore"].rate, 20.0);
        // Throttling still slows a raised category down, and it recovers to the raised rate.
        p.answered("sso:PutApplicationGrant", Duration::ZERO, true);
        assert_eq!(p.current_rate("sso-admin"), Some(28.0));
        for _ in 0..20 {
            p.answered("sso:PutApplicationGrant", Duration::ZERO, false);
        }
        assert_eq!(p.current_rate("sso-admin"), Some(40.0));
        // `--max-rps` caps a raised category too.
        let capped = Pacer::new(Some(10.0)).with_quotas([("sso-admin", 40.0)]);
        capped.reserve("sso:CreateApplication", t0);
        assert_eq!(capped.current_rate("sso-admin"), Some(10.0));
    }

    #[test]
    fn a_quota_is_read_as_category_equals_rate_with_errors_that_teach() {
        assert_eq!(parse_quota("sso-admin=40"), Ok(("sso-admin", 40.0)));
        assert_eq!(parse_quota("userpoolread=7.5"), Ok(("UserPoolRead", 7.5)));
        let e = parse_quota("sso=40").unwrap_err();
        assert!(
            e.contains("`sso` is not a quota category") && e.contains("sso-admin (20)"),
            "{e}"
        );
        let e = parse_quota("sso-admin").unwrap_err();
        assert!(e.contains("CATEGORY=RPS"), "{e}");
        for bad in [
            "sso-admin=0",
            "sso-admin=-3",
            "sso-admin=fast",
            "sso-admin=inf",
        ] {
            let e = parse_quota(bad).unwrap_err();
            assert!(e.contains("not a positive number"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_ceiling_caps_every_category() {
        let p = Pacer::new(Some(2.0));
        let t0 = Instant::now();
        assert_eq!(p.reserve("sso:CreateApplication", t0), Duration::ZERO);
        assert_eq!(p.reserve("sso:CreateApplication", t0), Duration::ZERO);
        let w = p.reserve("sso:CreateApplication", t0);
        assert!((w.as_secs_f64() - 0.5).abs() < 1e-9, "{w:?}");
        assert_eq!(p.current_rate("sso-admin"), Some(2.0));
    }
}
