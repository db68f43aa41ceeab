//! Plan cases: desired + observed in, rendered plan out (insta snapshots), with assertions on the
//! parts that matter so a wrong snapshot cannot hide a wrong plan.

use crate::fixtures::*;
use idplane_model::{
    Action, DesiredResource, DiffOrigin, Kind, LiveObject, Plan, ReplaceOrder, Secret, Value,
};
use idplane_planner::{PlanError, PlanOptions, drift, plan, render};
use serde_json::json;

fn run(resources: Vec<DesiredResource>, objects: Vec<LiveObject>, opts: &PlanOptions) -> Plan {
    let d = desired(resources);
    let o = observed(objects);
    let p = plan(&d, &o, opts).unwrap_or_else(|e| panic!("plan failed: {e}"));
    // Determinism: the same inputs give the byte-identical plan.
    let again = plan(&d, &o, opts).expect("second plan");
    assert_eq!(render::json(&p), render::json(&again));
    p
}

fn refused(
    resources: Vec<DesiredResource>,
    objects: Vec<LiveObject>,
    opts: &PlanOptions,
) -> Vec<String> {
    match plan(&desired(resources), &observed(objects), opts) {
        Err(PlanError::Refused { reasons }) => reasons,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn action(p: &Plan, address: &str) -> Action {
    p.change(&addr(address))
        .unwrap_or_else(|| panic!("no change for {address} in\n{}", render::text(p, false)))
        .action
}

/// Nothing but no-ops and adoptions (ownership tags for objects made outside idplane).
fn assert_only_adoptions(p: &Plan) {
    assert!(
        p.changes
            .iter()
            .all(|c| matches!(c.action, Action::NoOp | Action::Adopt) && c.diffs.is_empty()),
        "{}",
        render::text(p, false)
    );
}

#[test]
fn seed000_cli_created_stack_plans_no_change() {
    let p = run(seed000_desired(), seed000_live(), &PlanOptions::default());
    assert_only_adoptions(&p);
    // The untagged pool, issuer and application are adopted; their children need no tags.
    assert_eq!(p.summary.unchanged, 11);
    assert_eq!(p.summary.adopt, 3);
    for a in [POOL, TTI, APP] {
        assert_eq!(action(&p, a), Action::Adopt, "{a}");
    }
    insta::assert_snapshot!("seed000_no_change", render::text(&p, false));
}

#[test]
fn seed000_from_nothing_creates_everything_with_unknowns() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, POOL, |r| r.pinned_id = None);
    let p = run(resources, vec![], &PlanOptions::default());
    assert_eq!(p.summary.add, 14);
    let tti = p.change(&addr(TTI)).expect("tti");
    assert!(matches!(
        tti.after.as_ref().unwrap()["issuer_url"],
        Value::Unknown(_)
    ));
    let client = p.change(&addr(CLIENT)).expect("client");
    assert_eq!(client.parent_live_id, None);
    // The IdP the client lists comes first; the pool before both; the grant after TTI and client.
    assert!(p.change(&addr(IDP)).unwrap().level < client.level);
    assert!(p.change(&addr(POOL)).unwrap().level < p.change(&addr(IDP)).unwrap().level);
    let grant = p
        .change(&addr(&format!("{APP}.grants.jwt_bearer")))
        .unwrap();
    assert!(grant.level > client.level && grant.level > tti.level);
    let text = render::text(&p, false);
    assert!(text.contains("(known after apply)"));
    assert!(text.ends_with("Plan: 14 to add, 0 to change, 0 to replace, 0 to destroy.\n"));
    insta::assert_snapshot!("seed000_create", text);
    insta::assert_snapshot!("seed000_create_markdown", render::markdown(&p));
}

#[test]
fn client_update_shows_attribute_diffs() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, CLIENT, |r| {
        r.attrs.insert(
            "callback_urls".into(),
            Value::List(vec![
                "https://app.example.com/cb".into(),
                "http://localhost:8080".into(),
            ]),
        );
        r.attrs
            .insert("access_token_validity".into(), Value::Int(900));
    });
    let p = run(resources, seed000_live(), &PlanOptions::default());
    assert_eq!(action(&p, CLIENT), Action::Update);
    let c = p.change(&addr(CLIENT)).unwrap();
    let paths: Vec<&str> = c.diffs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["access_token_validity", "callback_urls"]);
    assert_eq!(c.live_id.as_deref(), Some(CLIENT_ID));
    assert_eq!(c.parent_live_id.as_deref(), Some(POOL_ID));
    insta::assert_snapshot!("client_update", render::text(&p, false));
}

#[test]
fn domain_prefix_change_is_delete_then_create() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, DOMAIN, |r| {
        r.attrs.insert("domain".into(), "demo-tti-2".into());
    });
    let p = run(resources, seed000_live(), &PlanOptions::default());
    assert_eq!(
        action(&p, DOMAIN),
        Action::Replace(ReplaceOrder::DeleteThenCreate)
    );
    let c = p.change(&addr(DOMAIN)).unwrap();
    assert!(c.diffs.iter().all(|d| d.forces_replace));
    insta::assert_snapshot!("domain_replace", render::text(&p, false));
}

#[test]
fn pool_replace_is_refused_then_allowed_with_its_consequences() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, POOL, |r| {
        r.attrs.insert(
            "alias_attributes".into(),
            Value::List(vec!["email".into(), "phone_number".into()]),
        );
    });
    let reasons = refused(resources.clone(), seed000_live(), &PlanOptions::default());
    assert_eq!(reasons.len(), 1);
    assert!(
        reasons[0].contains("--allow-replace-user-pools"),
        "{reasons:?}"
    );
    let opts = PlanOptions {
        allow_replace_user_pools: true,
        ..PlanOptions::default()
    };
    let p = run(resources, seed000_live(), &opts);
    assert_eq!(
        action(&p, POOL),
        Action::Replace(ReplaceOrder::CreateThenDelete)
    );
    // The domain must leave the old pool first; the client is new in the new pool; the TTI's
    // issuer URL (immutable) becomes unknown, so the TTI is replaced too; the grant's audience
    // (the new client id) is unknown: an update.
    assert_eq!(
        action(&p, DOMAIN),
        Action::Replace(ReplaceOrder::DeleteThenCreate)
    );
    assert_eq!(action(&p, CLIENT), Action::Create);
    assert_eq!(
        action(&p, TTI),
        Action::Replace(ReplaceOrder::DeleteThenCreate)
    );
    assert_eq!(
        action(&p, &format!("{APP}.grants.jwt_bearer")),
        Action::Update
    );
    let grant = p
        .change(&addr(&format!("{APP}.grants.jwt_bearer")))
        .unwrap();
    assert!(grant.diffs.iter().all(|d| d.origin == DiffOrigin::Spec));
    assert_eq!(action(&p, APP), Action::Adopt);
    insta::assert_snapshot!("pool_replace", render::text(&p, false));
}

#[test]
fn deletion_protection_blocks_replace_whatever_the_flags() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, POOL, |r| {
        r.attrs
            .insert("username_case_sensitive".into(), Value::Bool(false));
        r.attrs
            .insert("deletion_protection".into(), "ACTIVE".into());
    });
    let mut live = seed000_live();
    edit(&mut live, Kind::UserPool, POOL_ID, |o| {
        o.attrs
            .insert("deletion_protection".into(), "ACTIVE".into());
    });
    let opts = PlanOptions {
        allow_replace_user_pools: true,
        ..PlanOptions::default()
    };
    let reasons = refused(resources, live, &opts);
    assert_eq!(reasons.len(), 1);
    assert!(
        reasons[0].contains("deletion_protection is ACTIVE"),
        "{reasons:?}"
    );
}

#[test]
fn custom_attribute_added_is_update_removed_needs_replace() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, POOL, |r| {
        let schema = attrs(json!({"schema": {
            "email": {"attribute_data_type": "String", "required": true, "mutable": true},
            "custom:department": {"attribute_data_type": "String", "mutable": true},
        }}));
        r.attrs.extend(schema);
    });
    let p = run(resources.clone(), seed000_live(), &PlanOptions::default());
    assert_eq!(action(&p, POOL), Action::Update);
    insta::assert_snapshot!("custom_attribute_added", render::text(&p, false));

    // Live has the attribute, the spec no longer does.
    let mut live = seed000_live();
    edit(&mut live, Kind::UserPool, POOL_ID, |o| {
        let mut s = aws_standard_schema();
        s["custom:department"] = json!({"attribute_data_type": "String", "mutable": true,
            "required": false, "developer_only": false,
            "string_constraints": {"min_length": "0", "max_length": "2048"}});
        o.attrs.insert("schema".into(), Value::from_json(&s));
    });
    let reasons = refused(seed000_desired(), live.clone(), &PlanOptions::default());
    assert!(reasons[0].contains("--allow-replace-user-pools"));
    // And with the spec listing it again, nothing to do: the constraints AWS echoes are defaults.
    let p = run(resources, live, &PlanOptions::default());
    assert_only_adoptions(&p);
}

#[test]
fn unmanaged_objects_in_scope_are_deleted_others_untouched() {
    let mut live = seed000_live();
    live.push(live_obj_client("stray0client0id", "old-client"));
    // A TTI tagged with this stack that the spec no longer has: deleted.
    live.push(
        crate::fixtures::live(
            Kind::TrustedTokenIssuer,
            "arn:tti/old",
            None,
            json!({"name": "old", "issuer_url": "https://x"}),
        )
        .tagged(STACK, "identity_center.trusted_token_issuers.old"),
    );
    // A TTI of another stack and an untagged one: never touched.
    live.push(
        crate::fixtures::live(
            Kind::TrustedTokenIssuer,
            "arn:tti/other",
            None,
            json!({"name": "other", "issuer_url": "https://y"}),
        )
        .tagged("someone-else", "identity_center.trusted_token_issuers.x"),
    );
    live.push(crate::fixtures::live(
        Kind::TrustedTokenIssuer,
        "arn:tti/hand",
        None,
        json!({"name": "hand"}),
    ));
    // Identity-store users are shared: never deleted.
    live.push(crate::fixtures::live(
        Kind::IdentityStoreUser,
        "u-1",
        None,
        json!({"user_name": "alice"}),
    ));
    let p = run(seed000_desired(), live, &PlanOptions::default());
    let deleted: Vec<String> = p
        .changes
        .iter()
        .filter(|c| c.action == Action::Delete)
        .map(|c| format!("{} {}", c.address, c.live_id.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        deleted,
        [
            "identity_center.trusted_token_issuers.old arn:tti/old",
            "user_pools.blog.clients.old-client stray0client0id",
        ]
    );
    assert!(
        p.changes
            .iter()
            .filter(|c| c.action == Action::Delete)
            .all(|c| c.unmanaged)
    );
    insta::assert_snapshot!("unmanaged_deletes", render::text(&p, false));
}

fn live_obj_client(id: &str, name: &str) -> LiveObject {
    crate::fixtures::live(
        Kind::UserPoolClient,
        id,
        Some(POOL_ID),
        json!({"name": name}),
    )
}

#[test]
fn deleting_a_tagged_pool_needs_the_flag_and_deletes_its_domain_first() {
    let objects = vec![
        crate::fixtures::live(
            Kind::UserPool,
            "eu-west-1_Old",
            None,
            json!({"name": "old"}),
        )
        .tagged(STACK, "user_pools.old"),
        crate::fixtures::live(
            Kind::UserPoolDomain,
            "old-prefix",
            Some("eu-west-1_Old"),
            json!({"domain": "old-prefix"}),
        ),
    ];
    let reasons = refused(vec![], objects.clone(), &PlanOptions::default());
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("--allow-delete-user-pools")),
        "{reasons:?}"
    );
    let opts = PlanOptions {
        allow_delete_user_pools: true,
        ..PlanOptions::default()
    };
    let p = run(vec![], objects, &opts);
    let domain = p
        .change(&addr("user_pools.old.domain"))
        .expect("domain delete");
    let pool = p.change(&addr("user_pools.old")).expect("pool delete");
    assert!(domain.level < pool.level);
    assert_eq!(pool.depends_on, vec![domain.address.clone()]);
    insta::assert_snapshot!("pool_delete", render::text(&p, false));
}

#[test]
fn mass_delete_guard() {
    let mut resources = seed000_desired();
    // Four of the five scopes alone would be 4 of 14 managed objects (28%, allowed); with the
    // authentication method it is 5 of 14 (36%), above the 30% default.
    resources.retain(|r| {
        r.kind != Kind::ApplicationAuthenticationMethod
            && !(r.kind == Kind::ApplicationAccessScope && r.natural_key() != Some(SCOPES[0]))
    });
    let reasons = refused(resources.clone(), seed000_live(), &PlanOptions::default());
    assert_eq!(reasons.len(), 1);
    assert!(
        reasons[0].contains("5 of the 14") && reasons[0].contains("--allow-mass-delete"),
        "{reasons:?}"
    );
    let opts = PlanOptions {
        allow_mass_delete: true,
        ..PlanOptions::default()
    };
    let p = run(resources, seed000_live(), &opts);
    assert_eq!(p.summary.destroy, 5);
    insta::assert_snapshot!("mass_delete_allowed", render::markdown(&p));
}

#[test]
fn two_candidates_are_an_error_naming_both() {
    let mut live = seed000_live();
    live.push(live_obj_client("second0client0id", "TTI"));
    match plan(
        &desired(seed000_desired()),
        &observed(live),
        &PlanOptions::default(),
    ) {
        Err(PlanError::Ambiguous {
            address,
            candidates,
        }) => {
            assert_eq!(address, addr(CLIENT));
            assert_eq!(candidates.len(), 2);
            assert!(candidates.iter().any(|c| c.contains(CLIENT_ID)));
            assert!(candidates.iter().any(|c| c.contains("second0client0id")));
        }
        other => panic!("expected Ambiguous, got {other:?}"),
    }
    // Two tagged pools claiming the same address.
    let mut resources = seed000_desired();
    edit_desired(&mut resources, POOL, |r| r.pinned_id = None);
    let pools = vec![
        crate::fixtures::live(Kind::UserPool, "p1", None, json!({"name": "a"})).tagged(STACK, POOL),
        crate::fixtures::live(Kind::UserPool, "p2", None, json!({"name": "a"})).tagged(STACK, POOL),
    ];
    let err = plan(
        &desired(resources),
        &observed(pools),
        &PlanOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, PlanError::Ambiguous { .. }), "{err}");
    assert!(err.to_string().contains("p1") && err.to_string().contains("p2"));
}

#[test]
fn an_untagged_pool_with_the_same_name_is_not_adopted() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, POOL, |r| r.pinned_id = None);
    let p = run(resources, seed000_live(), &PlanOptions::default());
    assert_eq!(action(&p, POOL), Action::Create);
    // Nothing of the untagged pool is in scope, so nothing of it is deleted.
    assert!(p.changes.iter().all(|c| c.action != Action::Delete));
}

#[test]
fn referenced_resources_are_never_changed_and_must_exist() {
    let saml_app = "identity_center.applications.saml";
    let resources = vec![
        res(
            saml_app,
            Kind::Application,
            None,
            json!({"name": "DemoSAMLApplication"}),
        )
        .pin("arn:app/saml")
        .referenced(),
        res(
            &addr(saml_app)
                .child(["assignments", "USER:alice"])
                .to_string(),
            Kind::ApplicationAssignment,
            Some(saml_app),
            json!({"principal_type": "USER", "principal_name": "alice", "principal": "USER:alice"}),
        ),
    ];
    let err = plan(
        &desired(resources.clone()),
        &observed(vec![]),
        &PlanOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, PlanError::Invalid(ref m) if m.contains("does not exist")),
        "{err}"
    );
    let objects = vec![
        crate::fixtures::live(
            Kind::Application,
            "arn:app/saml",
            None,
            json!({"name": "DemoSAMLApplication", "status": "DISABLED"}),
        ),
        crate::fixtures::live(
            Kind::ApplicationAssignment,
            "USER:bob",
            Some("arn:app/saml"),
            json!({"principal_type": "USER", "principal_name": "bob", "principal": "USER:bob"}),
        ),
    ];
    let p = run(resources, objects, &PlanOptions::default());
    assert_eq!(action(&p, saml_app), Action::NoOp);
    assert_eq!(
        action(
            &p,
            &addr(saml_app)
                .child(["assignments", "USER:alice"])
                .to_string()
        ),
        Action::Create
    );
    assert_eq!(
        p.change(&addr(
            &addr(saml_app)
                .child(["assignments", "USER:alice"])
                .to_string()
        ))
        .unwrap()
        .parent_live_id
        .as_deref(),
        Some("arn:app/saml")
    );
    // bob's assignment: the spec declares assignments under this application, so it is in scope.
    assert_eq!(
        action(
            &p,
            &addr(saml_app)
                .child(["assignments", "USER:bob"])
                .to_string()
        ),
        Action::Delete
    );
    insta::assert_snapshot!("referenced_app_assignments", render::text(&p, false));
}

#[test]
fn secrets_compare_by_digest_and_never_render() {
    let idp = "user_pools.blog.identity_providers.google";
    let spec = |secret: &str| {
        let mut r = res(
            idp,
            Kind::IdentityProvider,
            Some(POOL),
            json!({"name": "Google", "provider_type": "Google",
                   "provider_details": {"client_id": "gid", "authorize_scopes": "openid email"}}),
        );
        if let Some(Value::Map(d)) = r.attrs.get_mut("provider_details") {
            d.insert(
                "client_secret".into(),
                Value::Secret(Secret::from_plaintext("env:GOOGLE_SECRET", secret)),
            );
        }
        r
    };
    let mut live = seed000_live();
    let mut google = crate::fixtures::live(
        Kind::IdentityProvider,
        "Google",
        Some(POOL_ID),
        json!({"name": "Google", "provider_type": "Google",
               "provider_details": {"client_id": "gid", "authorize_scopes": "email openid",
                                    "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth"},
               "attribute_mapping": {"username": "sub"}}),
    );
    if let Some(Value::Map(d)) = google.attrs.get_mut("provider_details") {
        d.insert(
            "client_secret".into(),
            Value::Secret(Secret::from_digest(idplane_model::secret::digest_of(
                "old-s3cret",
            ))),
        );
    }
    live.push(google);
    let mut same = seed000_desired();
    same.push(spec("old-s3cret"));
    let p = run(same, live.clone(), &PlanOptions::default());
    assert_only_adoptions(&p);

    let mut changed = seed000_desired();
    changed.push(spec("new-s3cret"));
    let p = run(changed, live, &PlanOptions::default());
    assert_eq!(action(&p, idp), Action::Update);
    let c = p.change(&addr(idp)).unwrap();
    assert_eq!(c.diffs.len(), 1);
    assert_eq!(c.diffs[0].path, "provider_details.client_secret");
    for out in [
        render::text(&p, false),
        render::json(&p),
        render::markdown(&p),
    ] {
        assert!(
            !out.contains("new-s3cret") && !out.contains("old-s3cret"),
            "{out}"
        );
    }
    let text = render::text(&p, false);
    assert!(text.contains("(sensitive) -> (sensitive)"), "{text}");
    insta::assert_snapshot!("secret_update", text);
}

#[test]
fn targets_select_the_target_and_its_dependencies() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, POOL, |r| r.pinned_id = None);
    let opts = PlanOptions {
        targets: vec![addr(CLIENT)],
        ..PlanOptions::default()
    };
    let p = run(resources, vec![], &opts);
    let addrs: Vec<String> = p.changes.iter().map(|c| c.address.to_string()).collect();
    assert_eq!(addrs, [POOL, IDP, CLIENT]);
}

#[test]
fn every_kind_can_be_created_updated_and_deleted() {
    let pool_addr = POOL;
    let specs = vec![
        res(pool_addr, Kind::UserPool, None, json!({"name": "p"})),
        res(
            "user_pools.blog.resource_servers.api",
            Kind::ResourceServer,
            Some(pool_addr),
            json!({"identifier": "https://api", "name": "api", "scopes": {"read": "Read"}}),
        ),
        res(
            "user_pools.blog.groups.admins",
            Kind::UserPoolGroup,
            Some(pool_addr),
            json!({"name": "admins", "precedence": 1}),
        ),
        res(
            "identity_pools.main",
            Kind::IdentityPool,
            None,
            json!({
                "name": "main",
                "cognito_identity_providers": [{"provider_name": r(pool_addr, "provider_name"), "client_id": "c"}],
                "roles": {"authenticated": "arn:aws:iam::123456789012:role/auth"},
            }),
        ),
        res(
            "identity_store.users.alice",
            Kind::IdentityStoreUser,
            None,
            json!({"user_name": "alice", "display_name": "Alice", "email": "alice@example.com"}),
        ),
        res(
            "identity_store.groups.staff",
            Kind::IdentityStoreGroup,
            None,
            json!({"display_name": "staff"}),
        ),
        res(
            "identity_store.groups.staff.members.alice",
            Kind::IdentityStoreGroupMembership,
            Some("identity_store.groups.staff"),
            json!({"user_name": "alice"}),
        )
        .dep("identity_store.users.alice"),
    ];
    let created = run(specs.clone(), vec![], &PlanOptions::default());
    assert_eq!(created.summary.add, specs.len());
    insta::assert_snapshot!("every_kind_create", render::text(&created, false));

    let objects = vec![
        crate::fixtures::live(Kind::UserPool, "eu-west-1_P", None, json!({"name": "p"}))
            .tagged(STACK, pool_addr)
            .out("provider_name", "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_P"),
        crate::fixtures::live(Kind::ResourceServer, "https://api", Some("eu-west-1_P"),
            json!({"identifier": "https://api", "name": "api", "scopes": {"read": "Read", "write": "Write"}})),
        crate::fixtures::live(Kind::UserPoolGroup, "admins", Some("eu-west-1_P"), json!({"name": "admins", "precedence": 2})),
        crate::fixtures::live(Kind::UserPoolGroup, "old", Some("eu-west-1_P"), json!({"name": "old"})),
        crate::fixtures::live(Kind::IdentityPool, "eu-west-1:ip", None, json!({
            "name": "main", "allow_unauthenticated_identities": false,
            "cognito_identity_providers": [{"provider_name": "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_P",
                                            "client_id": "c", "server_side_token_check": false}],
            "roles": {"authenticated": "arn:aws:iam::123456789012:role/auth"}}))
            .tagged(STACK, "identity_pools.main"),
        crate::fixtures::live(Kind::IdentityStoreUser, "u-1", None,
            json!({"user_name": "alice", "display_name": "Alice B.", "email": "alice@example.com"})),
        crate::fixtures::live(Kind::IdentityStoreGroup, "g-1", None, json!({"display_name": "staff"})),
        crate::fixtures::live(Kind::IdentityStoreGroupMembership, "m-1", Some("g-1"), json!({"user_name": "alice"})),
        crate::fixtures::live(Kind::IdentityStoreGroupMembership, "m-2", Some("g-1"), json!({"user_name": "mallory"})),
    ];
    let p = run(specs, objects, &PlanOptions::default());
    assert_eq!(
        action(&p, "user_pools.blog.resource_servers.api"),
        Action::Update
    );
    assert_eq!(action(&p, "user_pools.blog.groups.admins"), Action::Update);
    assert_eq!(action(&p, "user_pools.blog.groups.old"), Action::Delete);
    assert_eq!(action(&p, "identity_pools.main"), Action::NoOp);
    assert_eq!(action(&p, "identity_store.users.alice"), Action::Update);
    assert_eq!(
        action(&p, "identity_store.groups.staff.members.alice"),
        Action::NoOp
    );
    assert_eq!(
        action(&p, "identity_store.groups.staff.members.mallory"),
        Action::Delete
    );
    insta::assert_snapshot!("every_kind_update_delete", render::text(&p, false));
}

#[test]
fn hand_changes_on_owned_objects_are_marked_as_drift() {
    let tti = "identity_center.trusted_token_issuers.cognito";
    let spec = vec![res(
        tti,
        Kind::TrustedTokenIssuer,
        None,
        json!({"name": "cognito", "issuer_url": "https://issuer", "claim_attribute_path": "email",
               "identity_store_attribute_path": "emails.value"}),
    )];
    let objects = vec![crate::fixtures::live(Kind::TrustedTokenIssuer, TTI_ARN, None,
        json!({"name": "cognito", "issuer_url": "https://issuer", "claim_attribute_path": "sub",
               "identity_store_attribute_path": "emails.value", "jwks_retrieval_option": "OPEN_ID_DISCOVERY",
               "tags": {"team": "x"}}))
        .tagged(STACK, tti)];
    let p = run(spec.clone(), objects.clone(), &PlanOptions::default());
    let c = p.change(&addr(tti)).unwrap();
    let origins: Vec<(&str, DiffOrigin)> = c
        .diffs
        .iter()
        .map(|d| (d.path.as_str(), d.origin))
        .collect();
    // The spec sets the claim path (cannot tell who moved); it says nothing of tags (drift).
    assert_eq!(
        origins,
        [
            ("claim_attribute_path", DiffOrigin::Unknown),
            ("tags.team", DiffOrigin::Drift)
        ]
    );
    let report = drift(&desired(spec), &observed(objects)).expect("drift");
    assert!(report.has_drift());
    insta::assert_snapshot!("drift_text", render::drift_text(&report, false));
    insta::assert_snapshot!("drift_markdown", render::drift_markdown(&report));
    let j: serde_json::Value = serde_json::from_str(&render::drift_json(&report)).unwrap();
    assert_eq!(j["entries"][0]["status"], "changed");
}

#[test]
fn long_values_and_documents_render_as_unified_diffs_and_colour_is_optional() {
    let method = format!("{APP}.authentication_methods.iam");
    let mut resources = seed000_desired();
    edit_desired(&mut resources, &method, |r| {
        r.attrs.insert("actor_policy".into(), Value::from_json(&json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["123456789012", "210987654321"]},
                           "Action": "sso-oauth:CreateTokenWithIAM", "Resource": APP_ARN}]})));
    });
    let p = run(resources, seed000_live(), &PlanOptions::default());
    assert_eq!(action(&p, &method), Action::Update);
    let plain = render::text(&p, false);
    assert!(plain.contains("+          \"210987654321\""), "{plain}");
    assert!(!plain.contains('\x1b'));
    let coloured = render::text(&p, true);
    assert!(coloured.contains("\x1b[33m"));
    insta::assert_snapshot!("policy_diff", plain);
}

#[test]
fn json_plan_round_trips_and_has_a_format_version() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, POOL, |r| r.pinned_id = None);
    let p = run(resources, vec![], &PlanOptions::default());
    let text = render::json(&p);
    let j: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(j["format_version"], 1);
    // The shapes `specs/plan-format.md` documents.
    assert_eq!(j["changes"][0]["action"], json!({"type": "create"}));
    assert_eq!(j["changes"][0]["level"], 0);
    assert!(j["summary"]["add"].is_u64());
    let tti = j["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == TTI)
        .expect("the TTI change");
    assert_eq!(
        tti["after"]["issuer_url"],
        json!({"$unknown": "user_pools.blog.issuer_url"})
    );
    let back: Plan = serde_json::from_str(&text).expect("a JSON plan reads back");
    assert_eq!(back, p);
}

#[test]
fn small_stacks_are_exempt_from_the_mass_delete_guard() {
    // Three managed live objects, all deleted: allowed (the guard counts only above 3).
    let objects: Vec<LiveObject> = ["a", "b", "c"]
        .iter()
        .map(|n| {
            crate::fixtures::live(
                Kind::TrustedTokenIssuer,
                &format!("arn:tti/{n}"),
                None,
                json!({"name": n}),
            )
            .tagged(STACK, &format!("identity_center.trusted_token_issuers.{n}"))
        })
        .collect();
    let p = run(vec![], objects.clone(), &PlanOptions::default());
    assert_eq!(p.summary.destroy, 3);
    // A fourth makes it a mass delete.
    let mut four = objects;
    four.push(
        crate::fixtures::live(
            Kind::TrustedTokenIssuer,
            "arn:tti/d",
            None,
            json!({"name": "d"}),
        )
        .tagged(STACK, "identity_center.trusted_token_issuers.d"),
    );
    let reasons = refused(vec![], four, &PlanOptions::default());
    assert!(reasons[0].contains("4 of the 4"), "{reasons:?}");
}

#[test]
fn client_secret_change_creates_the_new_client_before_deleting_the_old() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, CLIENT, |r| {
        r.attrs.insert("generate_secret".into(), Value::Bool(true));
    });
    let p = run(resources, seed000_live(), &PlanOptions::default());
    assert_eq!(
        action(&p, CLIENT),
        Action::Replace(ReplaceOrder::CreateThenDelete)
    );
    // The grant names the client id, which changes: its audience becomes unknown.
    let grant = p
        .change(&addr(&format!("{APP}.grants.jwt_bearer")))
        .unwrap();
    assert_eq!(grant.action, Action::Update);
    assert!(grant.after.as_ref().unwrap()["grant"].has_unresolved());
    assert!(grant.level > p.change(&addr(CLIENT)).unwrap().level);
}

#[test]
fn inconsistent_inputs_are_invalid() {
    let cycle = vec![
        res(
            "identity_store.groups.a",
            Kind::IdentityStoreGroup,
            None,
            json!({"display_name": "a"}),
        )
        .dep("identity_store.groups.b"),
        res(
            "identity_store.groups.b",
            Kind::IdentityStoreGroup,
            None,
            json!({"display_name": "b"}),
        )
        .dep("identity_store.groups.a"),
    ];
    let err = plan(&desired(cycle), &observed(vec![]), &PlanOptions::default()).unwrap_err();
    assert!(
        matches!(err, PlanError::Invalid(ref m) if m.contains("cycle")),
        "{err}"
    );
    let dangling = vec![res(
        TTI,
        Kind::TrustedTokenIssuer,
        None,
        json!({"name": "t", "issuer_url": r("user_pools.nowhere", "issuer_url")}),
    )];
    let err = plan(
        &desired(dangling),
        &observed(vec![]),
        &PlanOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("user_pools.nowhere"), "{err}");
    let mut pinned = seed000_desired();
    edit_desired(&mut pinned, POOL, |r| {
        r.pinned_id = Some("eu-west-1_Gone".into())
    });
    let err = plan(
        &desired(pinned),
        &observed(seed000_live()),
        &PlanOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("eu-west-1_Gone"), "{err}");
}

#[test]
fn the_assignment_configuration_is_never_deleted() {
    let mut resources = seed000_desired();
    resources.retain(|r| r.kind != Kind::ApplicationAssignmentConfiguration);
    let p = run(resources, seed000_live(), &PlanOptions::default());
    assert_only_adoptions(&p);
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].contains("no delete"), "{:?}", p.warnings);
}

#[test]
fn a_renamed_address_adopts_its_object_by_name_instead_of_duplicating_it() {
    let spec = vec![res(
        "identity_center.trusted_token_issuers.main",
        Kind::TrustedTokenIssuer,
        None,
        json!({"name": "cognito", "issuer_url": "https://issuer"}),
    )];
    let objects = vec![
        crate::fixtures::live(
            Kind::TrustedTokenIssuer,
            TTI_ARN,
            None,
            json!({"name": "cognito", "issuer_url": "https://issuer"}),
        )
        .tagged(STACK, TTI),
    ];
    let p = run(spec, objects.clone(), &PlanOptions::default());
    assert_only_adoptions(&p);
    // Another stack's object of the same name is never adopted.
    let theirs = vec![
        crate::fixtures::live(
            Kind::TrustedTokenIssuer,
            TTI_ARN,
            None,
            json!({"name": "cognito", "issuer_url": "https://issuer"}),
        )
        .tagged("other", TTI),
    ];
    let spec = vec![res(
        TTI,
        Kind::TrustedTokenIssuer,
        None,
        json!({"name": "cognito", "issuer_url": "https://issuer"}),
    )];
    // Nor duplicated (AWS refuses a second TTI of that name at apply): the plan says whose it
    // is and how to take it over.
    let err = plan(&desired(spec), &observed(theirs), &PlanOptions::default())
        .expect_err("another stack's TTI is neither adopted nor duplicated");
    assert!(
        err.to_string().contains("belongs to another idplane stack"),
        "{err}"
    );
}

#[test]
fn normalize_is_idempotent_on_both_sides_of_the_seed() {
    for o in seed000_live() {
        let once = idplane_planner::normalize(o.kind, &o.attrs);
        assert_eq!(
            idplane_planner::normalize(o.kind, &once),
            once,
            "{} {}",
            o.kind,
            o.id
        );
    }
    for r in seed000_desired() {
        let once = idplane_planner::normalize(r.kind, &r.attrs);
        assert_eq!(
            idplane_planner::normalize(r.kind, &once),
            once,
            "{}",
            r.address
        );
    }
}

#[test]
fn a_pool_with_a_thousand_clients_plans_each_by_name() {
    let mut resources = vec![res(POOL, Kind::UserPool, None, json!({"name": "big"}))];
    let mut objects = vec![
        crate::fixtures::live(
            Kind::UserPool,
            "eu-west-1_Big",
            None,
            json!({"name": "big"}),
        )
        .tagged(STACK, POOL),
    ];
    for i in 0..1000 {
        resources.push(res(
            &format!("{POOL}.clients.c{i}"),
            Kind::UserPoolClient,
            Some(POOL),
            json!({"name": format!("c{i}"), "callback_urls": [format!("https://c{i}/cb")]}),
        ));
        // Every tenth client drifted: its callback differs live.
        let cb = if i % 10 == 0 {
            format!("https://old{i}/cb")
        } else {
            format!("https://c{i}/cb")
        };
        objects.push(crate::fixtures::live(
            Kind::UserPoolClient,
            &format!("id{i}"),
            Some("eu-west-1_Big"),
            json!({"name": format!("c{i}"), "callback_urls": [cb]}),
        ));
    }
    let p = run(resources, objects, &PlanOptions::default());
    assert_eq!(p.summary.change, 100);
    assert_eq!(p.summary.unchanged, 901);
}

#[test]
fn saml_metadata_documents_diff_line_by_line() {
    let idp = "user_pools.blog.identity_providers.shib";
    let xml = |cert: &str| {
        format!(
            "<EntityDescriptor entityID=\"https://idp.example.org/idp/shibboleth\">\n  <IDPSSODescriptor>\n    <KeyDescriptor>{cert}</KeyDescriptor>\n    <SingleSignOnService Location=\"https://idp.example.org/SSO\"/>\n  </IDPSSODescriptor>\n</EntityDescriptor>"
        )
    };
    let spec = |doc: String| {
        res(
            idp,
            Kind::IdentityProvider,
            Some(POOL),
            json!({
            "name": "shib", "provider_type": "SAML",
            "provider_details": {"MetadataFile": doc}, "attribute_mapping": {"email": "mail"}}),
        )
    };
    let mut live = seed000_live();
    live.push(crate::fixtures::live(Kind::IdentityProvider, "shib", Some(POOL_ID), json!({
        "name": "shib", "provider_type": "SAML",
        "provider_details": {"MetadataFile": xml("OLDCERT"), "SSORedirectBindingURI": "https://idp.example.org/SSO"},
        "attribute_mapping": {"email": "mail"}})));
    let mut resources = seed000_desired();
    resources.push(spec(xml("OLDCERT")));
    let p = run(resources, live.clone(), &PlanOptions::default());
    assert_only_adoptions(&p);
    let mut resources = seed000_desired();
    resources.push(spec(xml("NEWCERT")));
    let p = run(resources, live, &PlanOptions::default());
    assert_eq!(action(&p, idp), Action::Update);
    let text = render::text(&p, false);
    assert!(
        text.contains("-    <KeyDescriptor>OLDCERT</KeyDescriptor>"),
        "{text}"
    );
    assert!(
        text.contains("+    <KeyDescriptor>NEWCERT</KeyDescriptor>"),
        "{text}"
    );
    insta::assert_snapshot!("saml_metadata_diff", text);
}

#[test]
fn pool_issuer_type_change_replaces_the_tti_that_references_its_issuer_url() {
    let mut resources = seed000_desired();
    edit_desired(&mut resources, POOL, |r| {
        r.attrs.insert("issuer_type".into(), "UPDATED".into());
    });
    let p = run(resources, seed000_live(), &PlanOptions::default());
    assert_eq!(action(&p, POOL), Action::Update);
    let pool = p.change(&addr(POOL)).unwrap();
    let paths: Vec<&str> = pool.diffs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["issuer_type"]);
    // The TTI's issuer URL cannot be updated: the new URL (known now) forces a replace.
    assert!(matches!(action(&p, TTI), Action::Replace(_)));
    let tti = p.change(&addr(TTI)).unwrap();
    assert_eq!(
        tti.after.as_ref().unwrap()["issuer_url"],
        Value::str(format!(
            "https://issuer-cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"
        ))
    );
    let text = render::text(&p, false);
    assert!(text.contains("issuer_url"), "{text}");
}

#[test]
fn pool_issuer_type_left_out_keeps_the_live_one() {
    let mut live = seed000_live();
    edit(&mut live, Kind::UserPool, POOL_ID, |o| {
        o.attrs.insert("issuer_type".into(), "UPDATED".into());
    });
    let p = run(seed000_desired(), live, &PlanOptions::default());
    assert_only_adoptions(&p);
}

#[test]
fn pre_token_trigger_version_is_compared_and_a_plain_arn_is_v1() {
    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:ptg";
    let with_trigger = |lambda: serde_json::Value| {
        let mut resources = seed000_desired();
        edit_desired(&mut resources, POOL, |r| {
            r.attrs
                .insert("lambda_config".into(), Value::from_json(&lambda));
        });
        resources
    };
    let mut live = seed000_live();
    edit(&mut live, Kind::UserPool, POOL_ID, |o| {
        o.attrs.insert(
            "lambda_config".into(),
            Value::from_json(&json!({"pre_token_generation": ARN,
                "pre_token_generation_config": {"lambda_arn": ARN, "lambda_version": "V2_0"}})),
        );
    });
    // The same trigger and version: no change.
    let same = with_trigger(json!({"pre_token_generation": ARN,
        "pre_token_generation_config": {"lambda_arn": ARN, "lambda_version": "V2_0"}}));
    let p = run(same, live.clone(), &PlanOptions::default());
    assert_only_adoptions(&p);
    // A plain ARN is V1_0: the version change shows.
    let plain = with_trigger(json!({"pre_token_generation": ARN}));
    let p = run(plain, live, &PlanOptions::default());
    let pool = p.change(&addr(POOL)).unwrap();
    let paths: Vec<&str> = pool.diffs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        ["lambda_config.pre_token_generation_config"],
        "{}",
        render::text(&p, false)
    );
}

#[test]
fn a_name_taken_by_another_stacks_object_is_an_error_not_a_second_create() {
    let app = |stack: &str| {
        crate::fixtures::live(
            Kind::Application,
            "arn:aws:sso::111122223333:application/ssoins-1/apl-1",
            None,
            json!({"name": "Demo", "application_provider_arn": idplane_model::kind::CUSTOM_APPLICATION_PROVIDER}),
        )
        .tagged(stack, "identity_center.applications.demo")
    };
    let spec = desired(vec![crate::fixtures::res(
        "identity_center.applications.demo",
        Kind::Application,
        None,
        json!({"name": "Demo", "application_provider_arn": idplane_model::kind::CUSTOM_APPLICATION_PROVIDER}),
    )]);
    let err = plan(
        &spec,
        &observed(vec![app("other-stack")]),
        &PlanOptions::default(),
    )
    .expect_err("another stack's application is neither taken nor duplicated");
    let text = err.to_string();
    assert!(text.contains("belongs to another idplane stack"), "{text}");
    assert!(
        text.contains("other-stack") && text.contains("arn:"),
        "{text}"
    );
    // Pinned, it is taken over explicitly (adopted: this stack's tags are added).
    let mut pinned = spec.clone();
    for r in pinned.resources.values_mut() {
        r.pinned_id = Some("arn:aws:sso::111122223333:application/ssoins-1/apl-1".into());
    }
    let p = plan(
        &pinned,
        &observed(vec![app("other-stack")]),
        &PlanOptions::default(),
    )
    .expect("a pin takes it over");
    assert_eq!(p.summary.add, 0, "no second application");
}

#[test]
fn a_domain_aws_is_still_setting_up_or_could_not_set_up_is_named_in_a_warning() {
    let with_status = |status: &str| {
        let mut objects = seed000_live();
        edit(&mut objects, Kind::UserPoolDomain, "demo-tti", |o| {
            o.outputs.insert("status".into(), status.into());
        });
        run(seed000_desired(), objects, &PlanOptions::default())
    };
    let active = with_status("ACTIVE");
    assert_only_adoptions(&active);
    assert!(active.warnings.is_empty(), "{:?}", active.warnings);

    let creating = with_status("CREATING");
    assert_only_adoptions(&creating);
    assert_eq!(creating.warnings.len(), 1, "{:?}", creating.warnings);
    assert!(
        creating.warnings[0].starts_with(DOMAIN) && creating.warnings[0].contains("CREATING"),
        "{:?}",
        creating.warnings
    );

    let failed = with_status("FAILED");
    assert_eq!(failed.warnings.len(), 1, "{:?}", failed.warnings);
    assert!(
        failed.warnings[0].starts_with(DOMAIN) && failed.warnings[0].contains("FAILED"),
        "{:?}",
        failed.warnings
    );
}
