//! Identity coverage (`identity.coverage`): of the pool users the command read (at most
//! `--sample N`), how many have no Identity Store user under the trusted token issuer's mapping
//! (their claim value, under `identity_store_attribute_path`, finds nobody): those users cannot
//! exchange tokens.
//!
//! Pure: the command reads the pool's users (ListUsers, bounded) and asks the Identity Store
//! which of their claim values find a user, and passes both as a [`Sample`] in
//! [`crate::Facts`]; this module picks each user's claim value ([`claim_value`]) and writes the
//! finding. Only user names are named (not secrets; emails and other claim values are not
//! printed).

use crate::chain::{Chain, Ctx, Pool, Tti};
use crate::report::Status;
use crate::tti::has_pre_token_trigger;
use std::collections::{BTreeMap, BTreeSet};

/// How many unmatched users a finding names.
pub const NAMED: usize = 5;

/// A pool user as ListUsers returns it: its user name and attributes (`sub`, `email`,
/// `custom:...`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolUser {
    pub username: String,
    pub attributes: BTreeMap<String, String>,
}

/// What identifies one coverage check: the issuing pool and the trusted token issuer's mapping.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CoverageTarget {
    pub pool_id: String,
    /// The claim the token carries (`email`, `sub`, `username`, ...).
    pub claim_attribute_path: String,
    /// Where the Identity Store holds the claim's value (`emails.value`, `userName`,
    /// `externalIds.value`).
    pub identity_store_attribute_path: String,
}

/// The users read from one pool and which of their claim values find an Identity Store user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub target: CoverageTarget,
    /// The pool's `EstimatedNumberOfUsers` (DescribeUserPool).
    pub estimated_users: Option<u64>,
    /// The users read (at most `--sample`), in ListUsers order.
    pub users: Vec<PoolUser>,
    /// The claim values of `users` that find an Identity Store user under the path.
    pub found: BTreeSet<String>,
}

/// The value a pool user's token carries for `claim`: `sub` and the other attributes by name,
/// `username` / `cognito:username` its user name. `None` when the user has no such attribute
/// (the token carries no claim), or the claim is a nested path (`address.formatted`), whose
/// value the attributes do not give.
pub fn claim_value<'u>(user: &'u PoolUser, claim: &str) -> Option<&'u str> {
    match claim {
        "username" | "cognito:username" => Some(user.username.as_str()),
        c if c.contains('.') => None,
        c => user.attributes.get(c).map(String::as_str),
    }
}

/// The distinct claim values of the users (what the command looks up in the Identity Store).
pub fn claim_values(users: &[PoolUser], claim: &str) -> BTreeSet<String> {
    users
        .iter()
        .filter_map(|u| claim_value(u, claim))
        .map(str::to_string)
        .collect()
}

/// The users of a sample that cannot exchange tokens: no claim value, or a value that finds no
/// Identity Store user. In sample order.
pub fn unmatched(sample: &Sample) -> Vec<&PoolUser> {
    sample
        .users
        .iter()
        .filter(|u| {
            claim_value(u, &sample.target.claim_attribute_path)
                .is_none_or(|v| !sample.found.contains(v))
        })
        .collect()
}

impl Ctx<'_> {
    /// `identity.coverage` for the pool and the issuer's mapping: from the sample in the facts,
    /// else skipped (the command read no users).
    pub(crate) fn coverage_link(&self, c: &mut Chain, tti: &Tti<'_>, pool: &Pool<'_>) {
        let target = CoverageTarget {
            pool_id: pool.live.id.clone(),
            claim_attribute_path: tti.attr("claim_attribute_path").to_string(),
            identity_store_attribute_path: tti.attr("identity_store_attribute_path").to_string(),
        };
        let objs = vec![pool.label.clone(), tti.label.clone()];
        let why_not = if c.is_broken("tti.claim") {
            Some("the pool's tokens do not carry the claim")
        } else if c.is_broken("tti.identity_store_attribute_path") {
            Some("the Identity Store attribute path finds no user")
        } else if !claim_is_an_attribute(&target.claim_attribute_path) {
            Some("the claim is a nested path: its value is not a user attribute")
        } else if has_pre_token_trigger(pool.live)
            && !idplane_planner::is_standard_attribute(&target.claim_attribute_path)
            && !matches!(
                target.claim_attribute_path.as_str(),
                "sub" | "username" | "cognito:username"
            )
        {
            Some(
                "the pre token generation trigger makes the claim: its value is not a user attribute",
            )
        } else {
            None
        };
        if let Some(why) = why_not {
            c.skip("identity.coverage", objs, why);
            return;
        }
        if !c.coverage.contains(&target) {
            c.coverage.push(target.clone());
        }
        let Some(sample) = self.facts.coverage.iter().find(|s| s.target == target) else {
            c.skip(
                "identity.coverage",
                objs,
                "the pool's users were not read (--sample 0)",
            );
            return;
        };
        let (status, expected, actual) = describe(sample);
        c.push(
            "identity.coverage",
            status,
            objs,
            expected,
            actual,
            format!(
                "create the missing users in the Identity Store with their {} as {} (or sync them from your identity source), or map the issuer to an attribute they share",
                target.claim_attribute_path, target.identity_store_attribute_path
            ),
        );
    }
}

fn claim_is_an_attribute(claim: &str) -> bool {
    !claim.is_empty() && !claim.contains('.')
}

/// The finding's status, expected and actual texts for a sample.
fn describe(sample: &Sample) -> (Status, String, String) {
    let t = &sample.target;
    let expected = format!(
        "every pool user's {} finds an Identity Store user by {}",
        t.claim_attribute_path, t.identity_store_attribute_path
    );
    let read = sample.users.len();
    let of = match sample.estimated_users {
        Some(n) => format!("{read} of about {n} pool users checked"),
        None => format!("{read} pool users checked"),
    };
    let missing = unmatched(sample);
    if missing.is_empty() {
        let what = if read == 0 {
            "the pool has no users".to_string()
        } else {
            format!("{of}: each has an Identity Store user")
        };
        return (Status::Pass, expected, what);
    }
    let mut names: Vec<String> = missing
        .iter()
        .take(NAMED)
        .map(|u| match claim_value(u, &t.claim_attribute_path) {
            Some(_) => u.username.clone(),
            None => format!("{} (no {})", u.username, t.claim_attribute_path),
        })
        .collect();
    if missing.len() > NAMED {
        names.push(format!("and {} more", missing.len() - NAMED));
    }
    (
        Status::Broken,
        expected,
        format!(
            "{of}: {} without an Identity Store user (they cannot exchange tokens): {}",
            missing.len(),
            names.join(", ")
        ),
    )
}
