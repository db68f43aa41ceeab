//! Provider conformance, one table row per kind, against the emulator: create, read, find,
//! twins, update one field (every other field kept: the full attributes are compared), delete; and
//! every attribute key the provider produces for a kind is a declared field of that kind.

use crate::{env, j, target};
use idplane_model::{
    Attrs, InstanceSelector, Kind, LiveObject, ObserveRequest, Provider, Target, Value,
};
use std::collections::BTreeMap;
use std::time::Duration;

/// Where a row's parent id comes from: an earlier row's object (by address).
type Parent = Option<&'static str>;

/// One kind's row: the address, its parent row, the attributes to create with, and an update
/// target that changes one field (kinds whose fields are all immutable send their attributes
/// unchanged).
struct Row {
    kind: Kind,
    address: &'static str,
    parent: Parent,
    create: String,
    update: String,
}

fn row(kind: Kind, address: &'static str, parent: Parent, create: &str, update: &str) -> Row {
    Row {
        kind,
        address,
        parent,
        create: create.to_string(),
        update: update.to_string(),
    }
}

/// One row per kind, parents before children. `{domain}` is replaced by a domain prefix unique
/// to the account.
fn rows() -> Vec<Row> {
    const POOL: &str = "user_pools.conf";
    const APP: &str = "identity_center.applications.conf";
    const GROUP: &str = "identity_store.groups.conf";
    let policy = |action: &str| {
        format!(
            r#"{{"method_type":"IAM","actor_policy":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"123456789012"}},"Action":"{action}","Resource":"*"}}]}}}}"#
        )
    };
    vec![
        row(
            Kind::UserPool,
            POOL,
            None,
            r#"{"name":"conf","password_policy":{"minimum_length":10,"require_symbols":false},
                "lambda_config":{"pre_sign_up":"arn:aws:lambda:us-east-1:123456789012:function:pre"},
                "deletion_protection":"INACTIVE","tags":{"team":"blue"}}"#,
            r#"{"auto_verified_attributes":["email"]}"#,
        ),
        row(
            Kind::UserPoolDomain,
            "user_pools.conf.domain",
            Some(POOL),
            r#"{"domain":"{domain}","managed_login_version":1}"#,
            r#"{"managed_login_version":2}"#,
        ),
        row(
            Kind::IdentityProvider,
            "user_pools.conf.identity_providers.Okta",
            Some(POOL),
            r#"{"name":"Okta","provider_type":"OIDC",
                "provider_details":{"client_id":"abc","authorize_scopes":"openid email",
                                    "oidc_issuer":"https://issuer.example.com","attributes_request_method":"GET"},
                "attribute_mapping":{"email":"email"}}"#,
            r#"{"attribute_mapping":{"email":"email","name":"name"}}"#,
        ),
        row(
            Kind::ResourceServer,
            "user_pools.conf.resource_servers.api",
            Some(POOL),
            r#"{"identifier":"https://api.example.com","name":"api","scopes":{"read":"Read"}}"#,
            r#"{"name":"api v2"}"#,
        ),
        row(
            Kind::UserPoolClient,
            "user_pools.conf.clients.web",
            Some(POOL),
            r#"{"name":"web","allowed_oauth_flows":["code"],"allowed_oauth_scopes":["openid"],
                "allowed_oauth_flows_user_pool_client":true,
                "callback_urls":["https://app.example.com/cb"],"supported_identity_providers":["COGNITO"]}"#,
            r#"{"callback_urls":["https://app.example.com/cb2"]}"#,
        ),
        row(
            Kind::UserPoolGroup,
            "user_pools.conf.groups.admins",
            Some(POOL),
            r#"{"name":"admins","description":"Admins","precedence":1}"#,
            r#"{"description":"Administrators"}"#,
        ),
        row(
            Kind::IdentityPool,
            "identity_pools.conf",
            None,
            r#"{"name":"conf","allow_unauthenticated_identities":false,
                "cognito_identity_providers":[{"provider_name":"cognito-idp.us-east-1.amazonaws.com/us-east-1_abc","client_id":"client1","server_side_token_check":false}],
                "roles":{"authenticated":"arn:aws:iam::123456789012:role/auth"},"tags":{"team":"blue"}}"#,
            r#"{"allow_classic_flow":true}"#,
        ),
        row(
            Kind::TrustedTokenIssuer,
            "identity_center.trusted_token_issuers.conf",
            None,
            r#"{"name":"conf","issuer_type":"OIDC_JWT",
                "issuer_url":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
                "claim_attribute_path":"email","identity_store_attribute_path":"emails.value",
                "jwks_retrieval_option":"OPEN_ID_DISCOVERY","tags":{"team":"blue"}}"#,
            r#"{"claim_attribute_path":"sub"}"#,
        ),
        row(
            Kind::Application,
            APP,
            None,
            r#"{"name":"conf","description":"Conformance","status":"ENABLED",
                "portal_options":{"visibility":"ENABLED","sign_in_options":{"origin":"APPLICATION","application_url":"https://app.example.com"}}}"#,
            r#"{"description":"Conformance v2"}"#,
        ),
        row(
            Kind::ApplicationGrant,
            "identity_center.applications.conf.grants.authorization_code",
            Some(APP),
            r#"{"grant_type":"authorization_code","grant":{"redirect_uris":["https://app.example.com/cb"]}}"#,
            r#"{"grant":{"redirect_uris":["https://app.example.com/cb2"]}}"#,
        ),
        row(
            Kind::ApplicationAccessScope,
            "identity_center.applications.conf.access_scopes.q",
            Some(APP),
            r#"{"scope":"qbusiness:messages:access","authorized_targets":[]}"#,
            r#"{"authorized_targets":["arn:aws:sso::123456789012:application/ssoins-1/apl-1"]}"#,
        ),
        row(
            Kind::ApplicationAuthenticationMethod,
            "identity_center.applications.conf.authentication_methods.iam",
            Some(APP),
            &policy("sso-oauth:CreateTokenWithIAM"),
            &policy("sso-oauth:*"),
        ),
        row(
            Kind::ApplicationAssignmentConfiguration,
            "identity_center.applications.conf.assignment_configuration",
            Some(APP),
            r#"{"assignment_required":false}"#,
            r#"{"assignment_required":true}"#,
        ),
        row(
            Kind::IdentityStoreUser,
            "identity_store.users.alice",
            None,
            r#"{"user_name":"alice","display_name":"Alice","given_name":"Alice","family_name":"Doe","email":"alice@example.com"}"#,
            r#"{"display_name":"Alice D."}"#,
        ),
        row(
            Kind::IdentityStoreGroup,
            GROUP,
            None,
            r#"{"display_name":"conf","description":"Conformance"}"#,
            r#"{"description":"Conformance v2"}"#,
        ),
        row(
            Kind::IdentityStoreGroupMembership,
            "identity_store.groups.conf.members.alice",
            Some(GROUP),
            r#"{"user_name":"alice"}"#,
            r#"{"user_name":"alice"}"#,
        ),
        row(
            Kind::ApplicationAssignment,
            "identity_center.applications.conf.assignments.conf",
            Some(APP),
            r#"{"principal_type":"GROUP","principal_name":"conf","principal":"GROUP:conf"}"#,
            r#"{"principal_type":"GROUP","principal_name":"conf","principal":"GROUP:conf"}"#,
        ),
    ]
}

/// The target of a row, its parent id resolved among the objects made so far.
fn row_target(
    r: &Row,
    attrs: &str,
    made: &BTreeMap<&'static str, LiveObject>,
    domain: &str,
) -> Target {
    let parent = r.parent.map(|a| {
        made.get(a)
            .unwrap_or_else(|| panic!("{}: parent {a} is made first", r.address))
            .id
            .clone()
    });
    target(
        r.kind,
        r.address,
        parent.as_deref(),
        &attrs.replace("{domain}", domain),
    )
}

/// Reads until AWS has finished setting the object up in the background (user pool domains).
async fn settled(
    p: &impl Provider,
    kind: Kind,
    parent: Option<&str>,
    id: &str,
) -> Option<LiveObject> {
    let mut o = p.read(kind, parent, id).await.expect("read");
    for _ in 0..100 {
        if o.as_ref().is_none_or(|x| x.transition().is_none()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        o = p.read(kind, parent, id).await.expect("read");
    }
    o
}

/// Every attribute key of `o` is a declared field of its kind.
fn assert_declared(o: &LiveObject, when: &str) {
    let info = o.kind.info();
    for key in o.attrs.keys() {
        assert!(
            info.field(key).is_some(),
            "{when}: `{key}` of {} {} is not a declared field of {}",
            o.kind,
            o.id,
            info.name
        );
    }
}

/// Whether `live` holds what `want` says: equal, or for maps every wanted key held (AWS fills
/// in defaults around what was sent).
fn holds(live: &Value, want: &Value) -> bool {
    match (live, want) {
        (Value::Map(l), Value::Map(w)) => w
            .iter()
            .all(|(k, wv)| l.get(k).is_some_and(|lv| holds(lv, wv))),
        _ => live == want,
    }
}

/// `base` with the update's fields over it (what an update of those fields must leave).
fn with_update(base: &Attrs, update: &Attrs) -> Attrs {
    let mut out = base.clone();
    out.extend(update.iter().map(|(k, v)| (k.clone(), v.clone())));
    out
}

#[tokio::test]
async fn every_kind_creates_reads_finds_updates_one_field_and_deletes() {
    let e = env().await;
    let p = &e.provider;
    let domain = format!("conf-{}", &e.account.id()[..8]);
    let rows = rows();
    let covered: Vec<Kind> = rows.iter().map(|r| r.kind).collect();
    for k in Kind::ALL {
        assert!(covered.contains(&k), "no conformance row for {k}");
    }
    let mut made: BTreeMap<&'static str, LiveObject> = BTreeMap::new();
    for r in &rows {
        let t = row_target(r, &r.create, &made, &domain);
        let parent = t.parent_id.clone();
        let parent = parent.as_deref();

        let created = p
            .create(&t)
            .await
            .unwrap_or_else(|err| panic!("create {}: {err}", r.kind));
        assert_eq!(created.kind, r.kind);
        assert_declared(&created, "create");
        for (k, v) in &t.attrs {
            let got = created.attrs.get(k);
            assert!(
                got.is_some_and(|g| holds(g, v)),
                "{}: created `{k}` is {got:?}, wanted {v:?}",
                r.kind
            );
        }

        let read = settled(p, r.kind, parent, &created.id)
            .await
            .unwrap_or_else(|| panic!("{} {} reads back", r.kind, created.id));
        assert_eq!(read.id, created.id, "{}", r.kind);
        assert_eq!(read.attrs, created.attrs, "{}: read equals created", r.kind);

        let found = p
            .find(&t)
            .await
            .unwrap_or_else(|err| panic!("find {}: {err}", r.kind))
            .unwrap_or_else(|| panic!("{} found", r.kind));
        assert_eq!(found.id, created.id, "{}: find", r.kind);
        assert_eq!(found.attrs, created.attrs, "{}: find", r.kind);

        // What a concurrent apply compares: the one object (alone with its name, it needs no
        // creation time; `twins::*` checks the times of several), never a time for the kinds
        // AWS keeps unique.
        let twins = p
            .twins(&t)
            .await
            .unwrap_or_else(|err| panic!("twins {}: {err}", r.kind));
        assert_eq!(twins.len(), 1, "{}: twins {twins:?}", r.kind);
        assert_eq!(twins[0].live.id, created.id, "{}: twins", r.kind);
        if r.kind.unique_in_cloud() {
            assert_eq!(twins[0].created_ms, None, "{}: creation time", r.kind);
        }

        let u = row_target(r, &r.update, &made, &domain);
        let updated = p
            .update(&read, &u)
            .await
            .unwrap_or_else(|err| panic!("update {}: {err}", r.kind));
        assert_declared(&updated, "update");
        let expected = with_update(&created.attrs, &u.attrs);
        assert_eq!(
            updated.attrs, expected,
            "{}: the updated field changed, every other field kept",
            r.kind
        );
        let again = settled(p, r.kind, parent, &created.id)
            .await
            .unwrap_or_else(|| panic!("{} reads back after the update", r.kind));
        assert_eq!(again.attrs, expected, "{}: read after update", r.kind);
        made.insert(r.address, again);
    }

    // Children before parents.
    for r in rows.iter().rev() {
        let o = &made[r.address];
        p.delete(o)
            .await
            .unwrap_or_else(|err| panic!("delete {}: {err}", r.kind));
        let left = settled(p, r.kind, o.parent_id.as_deref(), &o.id).await;
        if r.kind == Kind::ApplicationAssignmentConfiguration {
            // A singleton: deleting it puts AWS's default back.
            assert_eq!(
                left.map(|o| o.attrs),
                Some(
                    j(r#"{"assignment_required":true}"#)
                        .as_map()
                        .unwrap()
                        .clone()
                ),
                "{}",
                r.kind
            );
        } else {
            assert!(left.is_none(), "{} {} deleted: {left:?}", r.kind, o.id);
        }
        p.delete(o)
            .await
            .unwrap_or_else(|err| panic!("{}: a second delete is a no-op: {err}", r.kind));
    }
}

#[tokio::test]
async fn every_observed_attribute_is_a_declared_field_of_its_kind() {
    let e = env().await;
    let p = &e.provider;
    let domain = format!("decl-{}", &e.account.id()[..8]);
    let mut made: BTreeMap<&'static str, LiveObject> = BTreeMap::new();
    for r in &rows() {
        let t = row_target(r, &r.create, &made, &domain);
        let o = p
            .create(&t)
            .await
            .unwrap_or_else(|err| panic!("create {}: {err}", r.kind));
        assert_declared(&o, "create");
        made.insert(r.address, o);
    }
    let request = ObserveRequest {
        stack: crate::STACK.to_string(),
        kinds: Kind::ALL.into_iter().collect(),
        everything: true,
        identity_center: InstanceSelector::Auto,
        user_names: ["alice".to_string()].into_iter().collect(),
        group_names: ["conf".to_string()].into_iter().collect(),
        ..Default::default()
    };
    let observed = p.observe(&request).await.expect("observe");
    for k in Kind::ALL {
        assert!(
            observed.objects.iter().any(|o| o.kind == k),
            "observe returns a {k}"
        );
    }
    for o in &observed.objects {
        assert_declared(o, "observe");
    }
}
