//! Unit tests of the chain checks on the seed-000 stack: intact, then each link broken in the
//! live state on its own.

mod coverage;
// The seed-000 stack in desired and observed form: the planner's test fixtures, shared rather
// than copied (verify matches as the planner does).
#[allow(dead_code)]
#[path = "../../../idplane-planner/tests/it/fixtures.rs"]
mod fixtures;

use super::*;
use crate::auth_method::actor_policy_allows;
use fixtures::*;
use idplane_model::DesiredResource;
use serde_json::json;

const ACCOUNT: &str = "123456789012";

fn run(live: Vec<LiveObject>) -> Report {
    run_with(seed000_desired(), live, Some(ACCOUNT))
}

fn run_with(d: Vec<DesiredResource>, live: Vec<LiveObject>, account: Option<&str>) -> Report {
    let facts = Facts {
        account_id: account.map(str::to_string),
        coverage: vec![coverage::sample(
            &[("alice", Some("alice@example.com"))],
            &["alice@example.com"],
        )],
    };
    verify(&desired(d), &observed(live), &facts).expect("verify runs")
}

/// The report must name exactly `link` as broken.
#[track_caller]
fn only_broken(r: &Report, link: &str) {
    assert_eq!(r.broken_links(), vec![link], "{}", render::text(r, false));
}

fn without(mut v: Vec<LiveObject>, kind: Kind, id: &str) -> Vec<LiveObject> {
    let before = v.len();
    v.retain(|o| !(o.kind == kind && o.id == id));
    assert_eq!(v.len() + 1, before, "removed one {kind} {id}");
    v
}

#[test]
fn the_intact_seed_000_chain_holds_and_reports_every_link() {
    let r = run(seed000_live());
    assert!(!r.has_broken(), "{}", render::text(&r, false));
    assert_eq!(r.chains, vec![APP.to_string()]);
    let reported: Vec<&str> = r.findings.iter().map(|f| f.link).collect();
    let all: Vec<&str> = LINKS.iter().map(|(l, _)| *l).collect();
    let mut sorted = reported.clone();
    sorted.sort();
    let mut want = all.clone();
    want.sort();
    assert_eq!(sorted, want, "each link reported once");
    assert!(
        r.findings.iter().all(|f| f.status == Status::Pass),
        "{}",
        render::text(&r, false)
    );
}

#[test]
fn a_missing_application_skips_the_rest() {
    let r = run(without(seed000_live(), Kind::Application, APP_ARN));
    only_broken(&r, "application.exists");
    assert!(
        r.findings
            .iter()
            .filter(|f| f.link != "application.exists")
            .all(|f| f.status == Status::Skipped)
    );
}

#[test]
fn a_disabled_application() {
    let mut live = seed000_live();
    edit(&mut live, Kind::Application, APP_ARN, |o| {
        o.attrs.insert("status".into(), Value::str("DISABLED"));
    });
    only_broken(&run(live), "application.enabled");
}

#[test]
fn no_jwt_bearer_grant() {
    let r = run(without(seed000_live(), Kind::ApplicationGrant, JWT_BEARER));
    only_broken(&r, "grant.jwt_bearer");
    // The application's own links are checked once (not also reported as skipped).
    for link in ["assignment.required", "auth_method.iam", "tti.exists"] {
        let found: Vec<_> = r.findings.iter().filter(|f| f.link == link).collect();
        assert_eq!(found.len(), 1, "{link}: {found:?}");
    }
    let assignment = r.findings.iter().find(|f| f.link == "assignment.required");
    assert_eq!(assignment.unwrap().status, Status::Pass);
}

#[test]
fn a_missing_trusted_token_issuer() {
    let r = run(without(seed000_live(), Kind::TrustedTokenIssuer, TTI_ARN));
    // The grant still names the old ARN; the issuer itself is what is gone.
    only_broken(&r, "tti.exists");
}

fn set_grant(live: &mut [LiveObject], tti: &str, audiences: &[&str]) {
    edit(live, Kind::ApplicationGrant, JWT_BEARER, |o| {
        o.attrs.insert(
            "grant".into(),
            Value::from_json(&json!({"authorized_token_issuers": [{
                "trusted_token_issuer_arn": tti, "authorized_audiences": audiences}]})),
        );
    });
}

#[test]
fn a_grant_naming_another_issuer() {
    let mut live = seed000_live();
    set_grant(
        &mut live,
        "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111/tti-9999",
        &[CLIENT_ID],
    );
    only_broken(&run(live), "grant.issuer");
}

#[test]
fn an_audience_that_is_no_client() {
    let mut live = seed000_live();
    set_grant(&mut live, TTI_ARN, &["0000000000notaclient000000"]);
    let r = run(live);
    only_broken(&r, "grant.audiences");
    let f = r
        .findings
        .iter()
        .find(|f| f.link == "grant.audiences")
        .unwrap();
    assert!(f.actual.contains("0000000000notaclient000000"), "{f:?}");
    assert!(f.expected.contains(CLIENT_ID), "{f:?}");
}

#[test]
fn an_updated_issuer_type_moves_the_issuer_url() {
    let mut live = seed000_live();
    edit(&mut live, Kind::UserPool, POOL_ID, |o| {
        o.outputs.insert(
            "issuer_url".into(),
            format!("https://issuer-cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"),
        );
    });
    let r = run(live);
    only_broken(&r, "tti.issuer_url");
    let f = r
        .findings
        .iter()
        .find(|f| f.link == "tti.issuer_url")
        .unwrap();
    assert!(
        f.expected.starts_with("https://issuer-cognito-idp."),
        "{f:?}"
    );
    assert!(f.actual.starts_with("https://cognito-idp."), "{f:?}");
}

fn set_tti(live: &mut [LiveObject], key: &str, value: &str) {
    edit(live, Kind::TrustedTokenIssuer, TTI_ARN, |o| {
        o.attrs.insert(key.into(), Value::str(value));
    });
}

#[test]
fn a_claim_the_tokens_do_not_carry() {
    let mut live = seed000_live();
    set_tti(&mut live, "claim_attribute_path", "department");
    only_broken(&run(live), "tti.claim");
}

#[test]
fn a_pre_token_generation_trigger_may_add_any_claim() {
    let mut live = seed000_live();
    set_tti(&mut live, "claim_attribute_path", "department");
    edit(&mut live, Kind::UserPool, POOL_ID, |o| {
        o.attrs.insert(
            "lambda_config".into(),
            Value::from_json(&json!({"pre_token_generation": "arn:aws:lambda:eu-west-1:123456789012:function:ptg"})),
        );
    });
    let r = run(live);
    assert!(!r.has_broken(), "{}", render::text(&r, false));
}

#[test]
fn a_client_that_cannot_read_the_claim() {
    let mut live = seed000_live();
    edit(&mut live, Kind::UserPoolClient, CLIENT_ID, |o| {
        o.attrs
            .insert("read_attributes".into(), Value::from_json(&json!(["name"])));
    });
    only_broken(&run(live), "client.read_attributes");
}

#[test]
fn a_client_without_the_scope_of_the_claim() {
    let mut live = seed000_live();
    edit(&mut live, Kind::UserPoolClient, CLIENT_ID, |o| {
        o.attrs.insert(
            "allowed_oauth_scopes".into(),
            Value::from_json(&json!(["openid", "phone"])),
        );
    });
    only_broken(&run(live), "client.scopes");
    // `email` alone carries the email claim.
    let mut live = seed000_live();
    edit(&mut live, Kind::UserPoolClient, CLIENT_ID, |o| {
        o.attrs.insert(
            "allowed_oauth_scopes".into(),
            Value::from_json(&json!(["openid", "email"])),
        );
    });
    assert!(!run(live).has_broken());
}

#[test]
fn an_identity_store_path_no_user_is_found_by() {
    let mut live = seed000_live();
    set_tti(&mut live, "identity_store_attribute_path", "nickName");
    only_broken(&run(live), "tti.identity_store_attribute_path");
}

#[test]
fn assignment_required_without_assignments() {
    let mut live = seed000_live();
    edit(
        &mut live,
        Kind::ApplicationAssignmentConfiguration,
        "assignment_configuration",
        |o| {
            o.attrs
                .insert("assignment_required".into(), Value::Bool(true));
        },
    );
    only_broken(&run(live.clone()), "assignment.required");
    // An assignment makes it hold.
    live.push(live_assignment());
    let mut d = seed000_desired();
    d.push(res(
        &format!("{APP}.assignments.alice"),
        Kind::ApplicationAssignment,
        Some(APP),
        json!({"principal_type": "USER", "principal_name": "alice", "principal": "USER:alice"}),
    ));
    let r = run_with(d, live, Some(ACCOUNT));
    assert!(!r.has_broken(), "{}", render::text(&r, false));
}

fn live_assignment() -> LiveObject {
    live(
        Kind::ApplicationAssignment,
        "USER:alice",
        Some(APP_ARN),
        json!({"principal_type": "USER", "principal_name": "alice", "principal": "USER:alice"}),
    )
}

#[test]
fn no_iam_authentication_method() {
    let r = run(without(
        seed000_live(),
        Kind::ApplicationAuthenticationMethod,
        "IAM",
    ));
    only_broken(&r, "auth_method.iam");
}

#[test]
fn an_actor_policy_for_another_account() {
    let r = run_with(seed000_desired(), seed000_live(), Some("210987654321"));
    only_broken(&r, "auth_method.actor_policy");
    let f = r
        .findings
        .iter()
        .find(|f| f.link == "auth_method.actor_policy")
        .unwrap();
    assert!(f.expected.contains("210987654321"), "{f:?}");
    assert!(f.actual.contains("123456789012"), "{f:?}");
}

#[test]
fn actor_policies_read_like_iam() {
    let allow = |p: serde_json::Value| actor_policy_allows(&Value::from_json(&p), Some(ACCOUNT));
    let stmt = |effect: &str, principal: serde_json::Value, action: serde_json::Value| json!({"Statement": [{"Effect": effect, "Principal": principal, "Action": action}]});
    assert!(
        allow(stmt(
            "Allow",
            json!({"AWS": "arn:aws:iam::123456789012:root"}),
            json!("sso-oauth:*")
        ))
        .is_ok()
    );
    assert!(
        allow(stmt(
            "Allow",
            json!("*"),
            json!(["sso-oauth:CreateTokenWithIAM"])
        ))
        .is_ok()
    );
    assert!(
        allow(stmt(
            "Allow",
            json!({"AWS": ["111111111111", ACCOUNT]}),
            json!("sso-oauth:createtokenwithiam")
        ))
        .is_ok()
    );
    assert!(
        allow(stmt(
            "Allow",
            json!({"AWS": ACCOUNT}),
            json!("sso-oauth:CreateToken")
        ))
        .is_err()
    );
    assert!(allow(stmt("Deny", json!({"AWS": ACCOUNT}), json!("*"))).is_err());
    assert!(allow(json!({})).is_err());
    // JSON text, as AWS may return it.
    let text = Value::str(
        r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sso-oauth:CreateTokenWithIAM"}}"#,
    );
    assert!(actor_policy_allows(&text, Some(ACCOUNT)).is_ok());
}

#[test]
fn a_missing_access_scope() {
    let r = run(without(
        seed000_live(),
        Kind::ApplicationAccessScope,
        SCOPES[0],
    ));
    only_broken(&r, "access_scopes");
}

#[test]
fn a_missing_saml_idp() {
    let mut live = without(seed000_live(), Kind::IdentityProvider, "IAMIdentityCenter");
    edit(&mut live, Kind::UserPoolClient, CLIENT_ID, |o| {
        o.attrs.insert(
            "supported_identity_providers".into(),
            Value::from_json(&json!(["COGNITO"])),
        );
    });
    let r = run(live);
    assert_eq!(r.broken_links(), vec!["saml.idp", "saml.client"]);
}

#[test]
fn a_client_not_listing_the_saml_idp() {
    let mut live = seed000_live();
    edit(&mut live, Kind::UserPoolClient, CLIENT_ID, |o| {
        o.attrs.insert(
            "supported_identity_providers".into(),
            Value::from_json(&json!(["COGNITO"])),
        );
    });
    only_broken(&run(live), "saml.client");
}

#[test]
fn a_pool_without_domain() {
    let r = run(without(seed000_live(), Kind::UserPoolDomain, "demo-tti"));
    only_broken(&r, "saml.domain");
}

#[test]
fn a_spec_without_jwt_bearer_grant_has_nothing_to_verify() {
    let d: Vec<DesiredResource> = seed000_desired()
        .into_iter()
        .filter(|r| r.kind != Kind::ApplicationGrant)
        .collect();
    let r = run_with(d, seed000_live(), Some(ACCOUNT));
    assert!(r.chains.is_empty() && r.findings.is_empty());
    assert!(render::text(&r, false).contains("Nothing to verify"));
}

#[test]
fn renderings_name_the_broken_link_and_json_has_a_format_version() {
    let mut live = seed000_live();
    set_tti(&mut live, "claim_attribute_path", "department");
    let r = run(live);
    let text = render::text(&r, false);
    assert!(text.contains("BROKEN  tti.claim"), "{text}");
    assert!(text.contains("fix:"), "{text}");
    let j: serde_json::Value = serde_json::from_str(&render::json(&r)).unwrap();
    assert_eq!(j["format_version"], VERIFY_FORMAT_VERSION);
    assert_eq!(j["summary"]["broken"], 1);
    let broken: Vec<&serde_json::Value> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "broken")
        .collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0]["link"], "tti.claim");
    for key in ["chain", "objects", "expected", "actual", "fix"] {
        assert!(broken[0].get(key).is_some(), "{key}");
    }
    let md = render::markdown(&r);
    assert!(md.contains("| `tti.claim` | **broken** |"), "{md}");
}

#[test]
fn equal_inputs_give_equal_reports() {
    assert_eq!(
        render::json(&run(seed000_live())),
        render::json(&run(seed000_live()))
    );
}

#[test]
fn an_intact_chain_names_where_the_exchange_goes() {
    let r = run(seed000_live());
    assert_eq!(
        r.targets,
        vec![ExchangeTarget {
            chain: APP.to_string(),
            application_arn: APP_ARN.to_string(),
            pool_id: POOL_ID.to_string(),
            client_ids: vec![CLIENT_ID.to_string()],
            scopes: {
                let mut s: Vec<String> = SCOPES.iter().map(|s| s.to_string()).collect();
                s.sort();
                s
            },
        }]
    );
    assert!(
        !render::json(&r).contains("application_arn"),
        "targets are not serialized"
    );
    // No application live: nowhere to go.
    let r = run(without(seed000_live(), Kind::Application, APP_ARN));
    assert!(r.targets.is_empty());
}

#[test]
fn the_live_pools_of_the_spec_are_listed_for_the_certificate_health() {
    let r = run(seed000_live());
    assert_eq!(r.pools, vec![(POOL.to_string(), POOL_ID.to_string())]);
    assert!(
        !render::json(&r).contains("\"pools\""),
        "pools are not serialized"
    );
}
