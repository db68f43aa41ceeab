//! The IAM actions the provider calls for each kind, and the least-privilege policy a role needs
//! to plan (reads only) or apply (reads and writes) a stack.
//!
//! The provider names every AWS call by its IAM action (`cognito-idp:DescribeUserPool`), so this
//! table is checked against the calls the provider really makes (a test runs every example
//! against the emulator and requires each call it saw to be in the policy).

use idplane_model::Kind;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// What a policy is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// `plan`, `drift`, `export`: read-only actions.
    Plan,
    /// `apply`: the reads plus every write.
    Apply,
    /// `verify`: the reads plus [`VERIFY_ACTIONS`].
    Verify,
}

/// The actions `idplane verify` calls beyond the reads of `plan` (none of them writes): the
/// calling account, and the live exchange of `--exchange` (a test user's ID token by the admin
/// flow, the token exchange, the identity-enhanced session; the role's trust policy must also
/// allow `sts:SetContext`), and the identity coverage (the pool's users, and the Identity Store
/// users their claims find, by GetUserId or by listing the store).
pub const VERIFY_ACTIONS: &[&str] = &[
    "sts:GetCallerIdentity",
    "cognito-idp:AdminInitiateAuth",
    "sso-oauth:CreateTokenWithIAM",
    "sts:AssumeRole",
    "cognito-idp:ListUsers",
    "identitystore:GetUserId",
    "identitystore:ListUsers",
];

/// The IAM actions of one kind.
#[derive(Clone, Copy, Debug)]
pub struct KindActions {
    pub read: &'static [&'static str],
    pub write: &'static [&'static str],
}

/// The actions the provider calls to read and to change objects of `kind`.
pub fn actions(kind: Kind) -> KindActions {
    let (read, write): (&[&str], &[&str]) = match kind {
        Kind::UserPool => (
            &[
                "cognito-idp:ListUserPools",
                "cognito-idp:DescribeUserPool",
                "cognito-idp:GetUserPoolMfaConfig",
                "cognito-idp:GetSigningCertificate",
                "cognito-idp:ListTagsForResource",
            ],
            &[
                "cognito-idp:CreateUserPool",
                "cognito-idp:UpdateUserPool",
                "cognito-idp:DeleteUserPool",
                "cognito-idp:SetUserPoolMfaConfig",
                "cognito-idp:AddCustomAttributes",
                "cognito-idp:TagResource",
                "cognito-idp:UntagResource",
            ],
        ),
        Kind::UserPoolDomain => (
            &["cognito-idp:DescribeUserPoolDomain"],
            &[
                "cognito-idp:CreateUserPoolDomain",
                "cognito-idp:UpdateUserPoolDomain",
                "cognito-idp:DeleteUserPoolDomain",
            ],
        ),
        Kind::IdentityProvider => (
            &[
                "cognito-idp:ListIdentityProviders",
                "cognito-idp:DescribeIdentityProvider",
            ],
            &[
                "cognito-idp:CreateIdentityProvider",
                "cognito-idp:UpdateIdentityProvider",
                "cognito-idp:DeleteIdentityProvider",
            ],
        ),
        Kind::ResourceServer => (
            &[
                "cognito-idp:ListResourceServers",
                "cognito-idp:DescribeResourceServer",
            ],
            &[
                "cognito-idp:CreateResourceServer",
                "cognito-idp:UpdateResourceServer",
                "cognito-idp:DeleteResourceServer",
            ],
        ),
        Kind::UserPoolClient => (
            &[
                "cognito-idp:ListUserPoolClients",
                "cognito-idp:DescribeUserPoolClient",
            ],
            &[
                "cognito-idp:CreateUserPoolClient",
                "cognito-idp:UpdateUserPoolClient",
                "cognito-idp:DeleteUserPoolClient",
            ],
        ),
        Kind::UserPoolGroup => (
            &["cognito-idp:ListGroups", "cognito-idp:GetGroup"],
            &[
                "cognito-idp:CreateGroup",
                "cognito-idp:UpdateGroup",
                "cognito-idp:DeleteGroup",
            ],
        ),
        Kind::IdentityPool => (
            &[
                "cognito-identity:ListIdentityPools",
                "cognito-identity:DescribeIdentityPool",
                "cognito-identity:GetIdentityPoolRoles",
                "cognito-identity:ListTagsForResource",
                // Tag changes name the pool by ARN, which holds the account id.
                "sts:GetCallerIdentity",
            ],
            &[
                "cognito-identity:CreateIdentityPool",
                "cognito-identity:UpdateIdentityPool",
                "cognito-identity:DeleteIdentityPool",
                "cognito-identity:SetIdentityPoolRoles",
                "cognito-identity:TagResource",
                "cognito-identity:UntagResource",
                // SetIdentityPoolRoles hands the pool's roles to Cognito.
                "iam:PassRole",
            ],
        ),
        Kind::TrustedTokenIssuer => (
            &[
                "sso:ListInstances",
                "sso:ListTrustedTokenIssuers",
                "sso:DescribeTrustedTokenIssuer",
                "sso:ListTagsForResource",
            ],
            &[
                "sso:CreateTrustedTokenIssuer",
                "sso:UpdateTrustedTokenIssuer",
                "sso:DeleteTrustedTokenIssuer",
                "sso:TagResource",
                "sso:UntagResource",
            ],
        ),
        Kind::Application => (
            &[
                "sso:ListInstances",
                // ListApplications is filtered by the caller's account.
                "sts:GetCallerIdentity",
                "sso:ListApplications",
                "sso:DescribeApplication",
                "sso:ListTagsForResource",
            ],
            &[
                "sso:CreateApplication",
                "sso:UpdateApplication",
                "sso:DeleteApplication",
                "sso:TagResource",
                "sso:UntagResource",
            ],
        ),
        Kind::ApplicationGrant => (
            &["sso:ListApplicationGrants", "sso:GetApplicationGrant"],
            &["sso:PutApplicationGrant", "sso:DeleteApplicationGrant"],
        ),
        Kind::ApplicationAccessScope => (
            &[
                "sso:ListApplicationAccessScopes",
                "sso:GetApplicationAccessScope",
            ],
            &[
                "sso:PutApplicationAccessScope",
                "sso:DeleteApplicationAccessScope",
            ],
        ),
        Kind::ApplicationAuthenticationMethod => (
            &[
                "sso:ListApplicationAuthenticationMethods",
                "sso:GetApplicationAuthenticationMethod",
            ],
            &[
                "sso:PutApplicationAuthenticationMethod",
                "sso:DeleteApplicationAuthenticationMethod",
            ],
        ),
        Kind::ApplicationAssignmentConfiguration => (
            &["sso:GetApplicationAssignmentConfiguration"],
            &["sso:PutApplicationAssignmentConfiguration"],
        ),
        Kind::ApplicationAssignment => (
            &[
                "sso:ListInstances",
                "sso:ListApplicationAssignments",
                "sso:DescribeApplicationAssignment",
                "identitystore:GetUserId",
                "identitystore:GetGroupId",
                "identitystore:DescribeUser",
                "identitystore:DescribeGroup",
            ],
            &[
                "sso:CreateApplicationAssignment",
                "sso:DeleteApplicationAssignment",
            ],
        ),
        Kind::IdentityStoreUser => (
            &[
                "sso:ListInstances",
                "identitystore:GetUserId",
                "identitystore:DescribeUser",
                // `export` of everything lists the store.
                "identitystore:ListUsers",
            ],
            &[
                "identitystore:CreateUser",
                "identitystore:UpdateUser",
                "identitystore:DeleteUser",
            ],
        ),
        Kind::IdentityStoreGroup => (
            &[
                "sso:ListInstances",
                "identitystore:GetGroupId",
                "identitystore:DescribeGroup",
                "identitystore:ListGroups",
            ],
            &[
                "identitystore:CreateGroup",
                "identitystore:UpdateGroup",
                "identitystore:DeleteGroup",
            ],
        ),
        Kind::IdentityStoreGroupMembership => (
            &[
                "sso:ListInstances",
                "identitystore:GetUserId",
                "identitystore:GetGroupId",
                "identitystore:ListGroupMemberships",
                "identitystore:DescribeGroupMembership",
            ],
            &[
                "identitystore:CreateGroupMembership",
                "identitystore:DeleteGroupMembership",
            ],
        ),
    };
    KindActions { read, write }
}

/// The kinds whose objects a stack using `kinds` reads: the kinds themselves and every kind that
/// lives under one of them (a managed pool's or application's unmanaged children are read too).
pub fn read_kinds(kinds: &BTreeSet<Kind>) -> BTreeSet<Kind> {
    let mut out = kinds.clone();
    loop {
        let more: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|k| !out.contains(k))
            .filter(|k| k.info().parent.is_some_and(|p| out.contains(&p)))
            .collect();
        if more.is_empty() {
            return out;
        }
        out.extend(more);
    }
}

/// The actions a stack using `kinds` needs for `purpose`, sorted. Apply also writes the child
/// kinds the spec does not name: it deletes unmanaged children inside managed scopes.
pub fn needed_actions(kinds: &BTreeSet<Kind>, purpose: Purpose) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for k in read_kinds(kinds) {
        let a = actions(k);
        out.extend(a.read.iter().copied());
        if purpose == Purpose::Apply {
            out.extend(a.write.iter().copied());
        }
    }
    if purpose == Purpose::Verify {
        out.extend(VERIFY_ACTIONS.iter().copied());
    }
    out
}

/// Whether an action changes something (never in a plan policy).
pub fn is_write(action: &str) -> bool {
    let name = action.split(':').nth(1).unwrap_or(action);
    const VERBS: [&str; 9] = [
        "Create", "Update", "Delete", "Put", "Set", "Add", "Tag", "Untag", "Pass",
    ];
    VERBS.iter().any(|v| name.starts_with(v))
}

/// The resource an action can be limited to, in `region` (`*` where the action has no resource
/// type or the ARN cannot be known before the object exists).
fn resource_of(action: &str, region: &str) -> String {
    let (service, name) = action.split_once(':').unwrap_or(("", action));
    let whole_account = matches!(
        name,
        "ListUserPools"
            | "CreateUserPool"
            | "DescribeUserPoolDomain"
            | "ListIdentityPools"
            | "CreateIdentityPool"
    );
    match service {
        "cognito-idp" if !whole_account => {
            format!("arn:aws:cognito-idp:{region}:*:userpool/*")
        }
        "cognito-identity" if !whole_account => {
            format!("arn:aws:cognito-identity:{region}:*:identitypool/*")
        }
        _ => "*".to_string(),
    }
}

/// The IAM policy document (JSON) for a stack using `kinds` in `region`.
pub fn policy(kinds: &BTreeSet<Kind>, region: &str, purpose: Purpose) -> Value {
    let mut by_resource: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for a in needed_actions(kinds, purpose) {
        by_resource
            .entry(resource_of(a, region))
            .or_default()
            .push(a);
    }
    let statements: Vec<Value> = by_resource
        .into_iter()
        .enumerate()
        .map(|(i, (resource, actions))| {
            json!({
                "Sid": format!("Idplane{}{}", match purpose { Purpose::Plan => "Plan", Purpose::Apply => "Apply", Purpose::Verify => "Verify" }, i + 1),
                "Effect": "Allow",
                "Action": actions,
                "Resource": resource,
            })
        })
        .collect();
    json!({ "Version": "2012-10-17", "Statement": statements })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_policies_hold_no_write_and_apply_policies_every_write() {
        let all: BTreeSet<Kind> = Kind::ALL.into_iter().collect();
        let plan = needed_actions(&all, Purpose::Plan);
        assert!(plan.iter().all(|a| !is_write(a)), "{plan:?}");
        let apply = needed_actions(&all, Purpose::Apply);
        for k in Kind::ALL {
            let a = actions(k);
            assert!(
                a.read.iter().all(|x| !is_write(x)),
                "{k}: a read is a write"
            );
            assert!(a.write.iter().all(|x| is_write(x)), "{k}: a write reads");
            assert!(a.write.iter().all(|x| apply.contains(x)), "{k}");
        }
    }

    #[test]
    fn verify_policies_read_what_plan_reads_and_write_nothing() {
        let all: BTreeSet<Kind> = Kind::ALL.into_iter().collect();
        let plan = needed_actions(&all, Purpose::Plan);
        let verify = needed_actions(&all, Purpose::Verify);
        assert!(verify.is_superset(&plan));
        // CreateTokenWithIAM makes a token and changes nothing.
        assert!(
            verify
                .iter()
                .all(|a| !is_write(a) || *a == "sso-oauth:CreateTokenWithIAM"),
            "{verify:?}"
        );
        assert!(VERIFY_ACTIONS.iter().all(|a| verify.contains(a)));
    }

    #[test]
    fn children_of_a_pool_are_read_even_when_the_spec_has_none() {
        let kinds = BTreeSet::from([Kind::UserPool]);
        let plan = needed_actions(&kinds, Purpose::Plan);
        assert!(plan.contains("cognito-idp:ListGroups"));
        assert!(!plan.contains("sso:ListApplications"));
    }

    #[test]
    fn pool_actions_are_scoped_to_user_pools_of_the_region() {
        let doc = policy(
            &BTreeSet::from([Kind::UserPool]),
            "eu-west-1",
            Purpose::Apply,
        );
        let text = doc.to_string();
        assert!(
            text.contains("arn:aws:cognito-idp:eu-west-1:*:userpool/*"),
            "{text}"
        );
        let scoped = doc["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["Resource"] == "arn:aws:cognito-idp:eu-west-1:*:userpool/*")
            .unwrap();
        let actions = scoped["Action"].as_array().unwrap();
        assert!(actions.iter().any(|a| a == "cognito-idp:UpdateUserPool"));
        assert!(!actions.iter().any(|a| a == "cognito-idp:ListUserPools"));
    }
}
