//! Unit tests of `identity.coverage`: which pool users find no Identity Store user under the
//! trusted token issuer's mapping, and what the finding says.

use super::{ACCOUNT, only_broken, set_tti};
use crate::coverage::{CoverageTarget, PoolUser, Sample, claim_value, claim_values};
use crate::tests::fixtures::*;
use crate::{Facts, Report, Status, render, verify};
use std::collections::{BTreeMap, BTreeSet};

fn user(name: &str, email: Option<&str>) -> PoolUser {
    let mut attributes = BTreeMap::from([("sub".to_string(), format!("sub-{name}"))]);
    if let Some(e) = email {
        attributes.insert("email".into(), e.into());
    }
    PoolUser {
        username: name.into(),
        attributes,
    }
}

/// A sample of the seed pool under its mapping (email -> emails.value): the users, and the
/// emails the Identity Store knows.
pub fn sample(users: &[(&str, Option<&str>)], known: &[&str]) -> Sample {
    Sample {
        target: CoverageTarget {
            pool_id: POOL_ID.into(),
            claim_attribute_path: "email".into(),
            identity_store_attribute_path: "emails.value".into(),
        },
        estimated_users: Some(users.len() as u64),
        users: users.iter().map(|(n, e)| user(n, *e)).collect(),
        found: known.iter().map(|s| s.to_string()).collect(),
    }
}

fn run_sampled(live: Vec<idplane_model::LiveObject>, coverage: Vec<Sample>) -> Report {
    let facts = Facts {
        account_id: Some(ACCOUNT.into()),
        coverage,
    };
    verify(&desired(seed000_desired()), &observed(live), &facts).expect("verify runs")
}

fn finding(r: &Report) -> &crate::Finding {
    r.findings
        .iter()
        .find(|f| f.link == "identity.coverage")
        .expect("identity.coverage reported")
}

#[test]
fn claim_values_come_from_the_attribute_the_claim_names() {
    let mut u = user("alice", Some("alice@example.com"));
    u.attributes.insert("custom:employee".into(), "E42".into());
    assert_eq!(claim_value(&u, "email"), Some("alice@example.com"));
    assert_eq!(claim_value(&u, "sub"), Some("sub-alice"));
    assert_eq!(claim_value(&u, "username"), Some("alice"));
    assert_eq!(claim_value(&u, "cognito:username"), Some("alice"));
    assert_eq!(claim_value(&u, "custom:employee"), Some("E42"));
    assert_eq!(claim_value(&u, "phone_number"), None);
    assert_eq!(claim_value(&u, "address.formatted"), None);
    let both = [u, user("bob", None)];
    assert_eq!(
        claim_values(&both, "email"),
        BTreeSet::from(["alice@example.com".to_string()])
    );
}

#[test]
fn every_sampled_user_in_the_identity_store_passes_and_says_how_many_were_checked() {
    let s = sample(
        &[
            ("alice", Some("a@example.com")),
            ("bob", Some("b@example.com")),
        ],
        &["a@example.com", "b@example.com"],
    );
    let mut s = s;
    s.estimated_users = Some(120);
    let r = run_sampled(seed000_live(), vec![s]);
    assert!(!r.has_broken(), "{}", render::text(&r, false));
    let f = finding(&r);
    assert_eq!(f.status, Status::Pass);
    assert!(
        f.actual.contains("2 of about 120 pool users checked"),
        "{}",
        f.actual
    );
}

#[test]
fn a_user_without_an_identity_store_user_is_a_broken_link_naming_the_user_only() {
    let r = run_sampled(
        seed000_live(),
        vec![sample(
            &[
                ("alice", Some("a@example.com")),
                ("bob", Some("b@example.com")),
            ],
            &["a@example.com"],
        )],
    );
    only_broken(&r, "identity.coverage");
    let f = finding(&r);
    assert!(
        f.actual.contains("2 of about 2 pool users checked"),
        "{}",
        f.actual
    );
    assert!(
        f.actual.contains("1 without an Identity Store user"),
        "{}",
        f.actual
    );
    assert!(f.actual.ends_with(": bob"), "{}", f.actual);
    assert!(!f.actual.contains("alice"), "{}", f.actual);
    // The claim values (emails) are not printed.
    let text = render::text(&r, false);
    assert!(!text.contains("b@example.com"), "{text}");
    assert!(f.fix.contains("emails.value"), "{}", f.fix);
    assert!(
        f.objects.iter().any(|o| o.contains(POOL_ID)),
        "{:?}",
        f.objects
    );
}

#[test]
fn users_without_the_claim_cannot_exchange_and_only_the_first_few_are_named() {
    let names: Vec<String> = (0..8).map(|i| format!("user{i}")).collect();
    let users: Vec<(&str, Option<&str>)> = names.iter().map(|n| (n.as_str(), None)).collect();
    let r = run_sampled(seed000_live(), vec![sample(&users, &[])]);
    only_broken(&r, "identity.coverage");
    let f = finding(&r);
    assert!(
        f.actual.contains("8 without an Identity Store user"),
        "{}",
        f.actual
    );
    assert!(f.actual.contains("user0 (no email)"), "{}", f.actual);
    assert!(
        f.actual.contains("user4 (no email), and 3 more"),
        "{}",
        f.actual
    );
    assert!(!f.actual.contains("user5"), "{}", f.actual);
}

#[test]
fn an_empty_pool_passes() {
    let r = run_sampled(seed000_live(), vec![sample(&[], &[])]);
    assert_eq!(finding(&r).status, Status::Pass);
    assert_eq!(finding(&r).actual, "the pool has no users");
}

#[test]
fn without_a_sample_the_link_is_skipped_and_the_report_names_what_to_read() {
    let r = run_sampled(seed000_live(), vec![]);
    assert!(!r.has_broken());
    let f = finding(&r);
    assert_eq!(f.status, Status::Skipped);
    assert!(f.actual.contains("--sample 0"), "{}", f.actual);
    assert_eq!(
        r.coverage,
        vec![CoverageTarget {
            pool_id: POOL_ID.into(),
            claim_attribute_path: "email".into(),
            identity_store_attribute_path: "emails.value".into(),
        }]
    );
    // A sample of another mapping is not this chain's.
    let mut other = sample(&[("bob", None)], &[]);
    other.target.claim_attribute_path = "sub".into();
    assert_eq!(
        finding(&run_sampled(seed000_live(), vec![other])).status,
        Status::Skipped
    );
}

#[test]
fn a_claim_the_tokens_do_not_carry_skips_the_coverage() {
    let mut live = seed000_live();
    set_tti(&mut live, "claim_attribute_path", "department");
    let r = run_sampled(live, vec![sample(&[("bob", None)], &[])]);
    only_broken(&r, "tti.claim");
    assert_eq!(finding(&r).status, Status::Skipped);
    assert!(r.coverage.is_empty());
}
