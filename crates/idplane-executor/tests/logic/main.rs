//! Logic tests of the executor against an in-memory provider (`fake.rs`): ordering, the
//! parallelism bound, one writer per user pool, failure propagation, staleness, skips,
//! lost-create adoption, retries, replaces and `(known after apply)` resolution.
//!
//! These test the executor's own logic only; nothing here talks to AWS or the emulator (the
//! tests in `tests/emulator/` do).

mod fake;

use fake::{Fake, Fault, FaultKind};
use idplane_executor::{ApplyOptions, ApplyReport, Event, apply};
use idplane_model::{
    Action, Address, Attrs, Change, ErrorClass, Kind, Plan, PlanSummary, Reference, ReplaceOrder,
    Secret, Value,
};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

fn addr(s: &str) -> Address {
    Address::parse(s).unwrap()
}

fn attrs(pairs: &[(&str, Value)]) -> Attrs {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn unknown(address: &str, output: &str) -> Value {
    Value::Unknown(Reference {
        address: addr(address),
        output: output.into(),
    })
}

/// A change; `parent` is derived from the address for child kinds (all but the last two
/// segments).
fn change(address: &str, kind: Kind, action: Action, level: usize) -> Change {
    let a = addr(address);
    let parent = kind.info().parent.map(|_| {
        let s = a.segments();
        Address::new(s[..s.len() - 2].to_vec())
    });
    Change {
        address: a,
        kind,
        action,
        parent,
        live_id: None,
        parent_live_id: None,
        before: None,
        after: None,
        diffs: vec![],
        reasons: vec![],
        depends_on: vec![],
        level,
        unmanaged: false,
        adopt: false,
    }
}

trait ChangeExt {
    fn after(self, a: Attrs) -> Self;
    fn before(self, a: Attrs) -> Self;
    fn live(self, id: &str) -> Self;
    fn parent_live(self, id: &str) -> Self;
    fn deps(self, d: &[&str]) -> Self;
}

impl ChangeExt for Change {
    fn after(mut self, a: Attrs) -> Self {
        self.after = Some(a);
        self
    }
    fn before(mut self, a: Attrs) -> Self {
        self.before = Some(a);
        self
    }
    fn live(mut self, id: &str) -> Self {
        self.live_id = Some(id.into());
        self
    }
    fn parent_live(mut self, id: &str) -> Self {
        self.parent_live_id = Some(id.into());
        self
    }
    fn deps(mut self, d: &[&str]) -> Self {
        self.depends_on = d.iter().map(|s| addr(s)).collect();
        self
    }
}

fn plan(changes: Vec<Change>) -> Plan {
    Plan {
        format_version: 1,
        stack: "demo".into(),
        region: "us-east-1".into(),
        changes,
        summary: PlanSummary::default(),
        warnings: vec![],
    }
}

fn fast() -> ApplyOptions {
    ApplyOptions {
        parallelism: 4,
        ..ApplyOptions::default()
    }
}

/// Applies and returns the report and every event.
async fn run(p: &Plan, fake: &Fake, opts: &ApplyOptions) -> (ApplyReport, Vec<Event>) {
    let events = Mutex::new(Vec::new());
    let on_event = |e: Event| events.lock().unwrap().push(e);
    let report = apply(p, fake, opts, &on_event).await;
    (report, events.into_inner().unwrap())
}

fn group(name: &str) -> Attrs {
    attrs(&[("name", Value::str(name)), ("description", Value::str("d"))])
}

fn pool(name: &str) -> Attrs {
    attrs(&[("name", Value::str(name))])
}

#[tokio::test]
async fn creates_parents_first_and_resolves_known_after_apply_values() {
    let fake = Fake::default();
    let p = plan(vec![
        change("user_pools.blog", Kind::UserPool, Action::Create, 0).after(pool("blog")),
        change(
            "user_pools.blog.clients.web",
            Kind::UserPoolClient,
            Action::Create,
            1,
        )
        .after(attrs(&[("name", Value::str("web"))]))
        .deps(&["user_pools.blog"]),
        change(
            "identity_center.trusted_token_issuers.cognito",
            Kind::TrustedTokenIssuer,
            Action::Create,
            1,
        )
        .after(attrs(&[
            ("name", Value::str("cognito")),
            ("issuer_url", unknown("user_pools.blog", "issuer_url")),
        ]))
        .deps(&["user_pools.blog"]),
    ]);
    let (report, events) = run(&p, &fake, &fast()).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(report.done.len(), 3);
    let pool = &fake.live_at("user_pools.blog")[0];
    let client = &fake.live_at("user_pools.blog.clients.web")[0];
    assert_eq!(client.parent_id.as_deref(), Some(pool.id.as_str()));
    let tti = &fake.live_at("identity_center.trusted_token_issuers.cognito")[0];
    assert_eq!(
        tti.attrs["issuer_url"],
        Value::Str(format!("https://issuer.example/{}", pool.id))
    );
    assert_eq!(report.outputs[&addr("user_pools.blog")]["id"], pool.id);
    // The pool's create finished before anything of level 1 started.
    let pos = |pred: &dyn Fn(&Event) -> bool| events.iter().position(pred).unwrap();
    let pool_done = pos(
        &|e| matches!(e, Event::Succeeded { address, .. } if address.to_string() == "user_pools.blog"),
    );
    let client_start = pos(
        &|e| matches!(e, Event::Started { address, .. } if address.to_string() == "user_pools.blog.clients.web"),
    );
    assert!(pool_done < client_start, "{events:?}");
    assert!(matches!(
        events[0],
        Event::LevelStarted { level: 0, total: 1 }
    ));
}

#[tokio::test]
async fn parallelism_is_bounded() {
    let fake = Fake::with_delay(30);
    let changes = (0..10)
        .map(|i| {
            change(
                &format!("identity_store.groups.g{i}"),
                Kind::IdentityStoreGroup,
                Action::Create,
                0,
            )
            .after(attrs(&[("display_name", Value::Str(format!("g{i}")))]))
        })
        .collect();
    let opts = ApplyOptions {
        parallelism: 3,
        ..ApplyOptions::default()
    };
    let (report, _) = run(&plan(changes), &fake, &opts).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(fake.len(), 10);
    assert_eq!(fake.max_in_flight(), 3, "exactly the bound, no more");
}

#[tokio::test]
async fn one_writer_at_a_time_per_user_pool() {
    let fake = Fake::with_delay(20);
    let a = fake.seed("user_pools.a", Kind::UserPool, None, &pool("a"));
    let b = fake.seed("user_pools.b", Kind::UserPool, None, &pool("b"));
    let mut changes = vec![];
    for (p, id) in [("a", &a), ("b", &b)] {
        for i in 0..4 {
            changes.push(
                change(
                    &format!("user_pools.{p}.groups.g{i}"),
                    Kind::UserPoolGroup,
                    Action::Create,
                    0,
                )
                .after(group(&format!("g{i}")))
                .parent_live(id),
            );
        }
    }
    let opts = ApplyOptions {
        parallelism: 8,
        ..ApplyOptions::default()
    };
    let (report, _) = run(&plan(changes), &fake, &opts).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(report.done.len(), 8);
    assert_eq!(fake.max_per_pool(), 1, "never two writers in one pool");
    assert_eq!(
        fake.max_in_flight(),
        2,
        "the two pools do proceed in parallel"
    );
}

#[tokio::test]
async fn a_failure_stops_its_dependents_and_lets_independent_branches_finish() {
    let fake = Fake::default();
    fake.fault(Fault {
        op: "create",
        address: "user_pools.a".into(),
        times: 1,
        what: FaultKind::Error(ErrorClass::Validation),
    });
    let p = plan(vec![
        change("user_pools.a", Kind::UserPool, Action::Create, 0).after(pool("a")),
        change("user_pools.b", Kind::UserPool, Action::Create, 0).after(pool("b")),
        change(
            "user_pools.a.groups.g",
            Kind::UserPoolGroup,
            Action::Create,
            1,
        )
        .after(group("g"))
        .deps(&["user_pools.a"]),
        change(
            "user_pools.b.groups.g",
            Kind::UserPoolGroup,
            Action::Create,
            1,
        )
        .after(group("g"))
        .deps(&["user_pools.b"]),
        // Depends on the group under `a` only through an output.
        change(
            "identity_center.trusted_token_issuers.t",
            Kind::TrustedTokenIssuer,
            Action::Create,
            2,
        )
        .after(attrs(&[
            ("name", Value::str("t")),
            ("issuer_url", unknown("user_pools.a", "issuer_url")),
        ]))
        .deps(&["user_pools.a.groups.g"]),
    ]);
    let (report, events) = run(&p, &fake, &fast()).await;
    assert!(!report.is_success());
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].0, addr("user_pools.a"));
    assert!(report.failed[0].1.contains("scripted fault"), "{report:?}");
    assert_eq!(
        report.done,
        vec![
            (addr("user_pools.b"), Action::Create),
            (addr("user_pools.b.groups.g"), Action::Create)
        ]
    );
    assert_eq!(
        report.not_attempted,
        vec![
            addr("user_pools.a.groups.g"),
            addr("identity_center.trusted_token_issuers.t")
        ]
    );
    // Transitive dependents name the change that failed, not the one in between.
    let because: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::NotAttempted { because, .. } => Some(because.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(because, vec![addr("user_pools.a"), addr("user_pools.a")]);
    assert_eq!(
        fake.count_of("create", "user_pools.a"),
        1,
        "validation errors are not retried"
    );
}

#[tokio::test]
async fn an_update_whose_target_moved_fails_as_stale_naming_what_moved() {
    let fake = Fake::default();
    let pool_id = fake.seed("user_pools.a", Kind::UserPool, None, &pool("a"));
    let id = fake.seed(
        "user_pools.a.groups.g",
        Kind::UserPoolGroup,
        Some(&pool_id),
        &attrs(&[
            ("name", Value::str("g")),
            ("description", Value::str("old")),
            ("precedence", Value::Int(1)),
        ]),
    );
    // Someone changes the precedence after the plan was made.
    fake.set_attr(&id, "precedence", Value::Int(7));
    let before = attrs(&[
        ("name", Value::str("g")),
        ("description", Value::str("old")),
        ("precedence", Value::Int(1)),
    ]);
    let after = attrs(&[
        ("name", Value::str("g")),
        ("description", Value::str("new")),
        ("precedence", Value::Int(1)),
    ]);
    let p = plan(vec![
        change(
            "user_pools.a.groups.g",
            Kind::UserPoolGroup,
            Action::Update,
            0,
        )
        .before(before)
        .after(after)
        .live(&id)
        .parent_live(&pool_id),
    ]);
    let (report, _) = run(&p, &fake, &fast()).await;
    assert_eq!(report.stale, vec![addr("user_pools.a.groups.g")]);
    let msg = &report.failed[0].1;
    assert!(msg.contains("stale") && msg.contains("precedence"), "{msg}");
    assert!(!msg.contains("description"), "only what moved: {msg}");
    assert_eq!(fake.count("update"), 0, "nothing written");
}

#[tokio::test]
async fn an_update_already_applied_is_skipped_and_a_vanished_target_is_stale() {
    let fake = Fake::default();
    let pool_id = fake.seed("user_pools.a", Kind::UserPool, None, &pool("a"));
    let done = fake.seed(
        "user_pools.a.groups.done",
        Kind::UserPoolGroup,
        Some(&pool_id),
        &group("done"),
    );
    let gone = fake.seed(
        "user_pools.a.groups.gone",
        Kind::UserPoolGroup,
        Some(&pool_id),
        &group("gone"),
    );
    fake.remove(&gone);
    let mut old = group("done");
    old.insert("description".into(), Value::str("before"));
    let p = plan(vec![
        change(
            "user_pools.a.groups.done",
            Kind::UserPoolGroup,
            Action::Update,
            0,
        )
        .before(old.clone())
        .after(group("done"))
        .live(&done)
        .parent_live(&pool_id),
        change(
            "user_pools.a.groups.gone",
            Kind::UserPoolGroup,
            Action::Update,
            0,
        )
        .before(old)
        .after(group("gone"))
        .live(&gone)
        .parent_live(&pool_id),
    ]);
    let (report, events) = run(&p, &fake, &fast()).await;
    assert_eq!(report.skipped, vec![addr("user_pools.a.groups.done")]);
    assert_eq!(report.stale, vec![addr("user_pools.a.groups.gone")]);
    assert!(
        report.failed[0].1.contains("no longer exists"),
        "{report:?}"
    );
    assert_eq!(fake.count("update"), 0);
    assert!(events.iter().any(
        |e| matches!(e, Event::Skipped { reason, .. } if reason.contains("already as planned"))
    ));
}

#[tokio::test]
async fn a_lost_create_response_is_adopted_not_duplicated() {
    let fake = Fake::default();
    fake.fault(Fault {
        op: "create",
        address: "identity_center.applications.app".into(),
        times: 1,
        what: FaultKind::LoseResponse,
    });
    let p = plan(vec![
        change(
            "identity_center.applications.app",
            Kind::Application,
            Action::Create,
            0,
        )
        .after(attrs(&[("name", Value::str("app"))])),
        change(
            "identity_center.applications.app.access_scopes.s",
            Kind::ApplicationAccessScope,
            Action::Create,
            1,
        )
        .after(attrs(&[("scope", Value::str("s"))]))
        .deps(&["identity_center.applications.app"]),
    ]);
    let (report, _) = run(&p, &fake, &fast()).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(
        fake.live_at("identity_center.applications.app").len(),
        1,
        "no duplicate"
    );
    assert_eq!(
        fake.count_of("create", "identity_center.applications.app"),
        1,
        "one create: the retry found it"
    );
    let app = &fake.live_at("identity_center.applications.app")[0];
    let scope = &fake.live_at("identity_center.applications.app.access_scopes.s")[0];
    assert_eq!(
        scope.parent_id.as_deref(),
        Some(format!("arn:fake:{}", app.id).as_str()),
        "child under the adopted app's ARN"
    );

    // Running the same plan again (an interrupted run re-tried) creates nothing.
    let (again, _) = run(&p, &fake, &fast()).await;
    assert!(again.is_success(), "{again:?}");
    assert_eq!(again.skipped.len(), 2);
    assert_eq!(fake.count("create"), 2, "no new creates");
    assert_eq!(fake.len(), 2);
}

/// The provider owns retries (one loop per AWS request): an error that reaches the executor
/// has already been retried as much as it deserves, so the executor never sends the call again
/// (retries used to nest: provider x provider create x executor, over 100 requests for one
/// create under sustained throttling).
#[tokio::test]
async fn errors_from_the_provider_are_not_retried_again() {
    let fake = Fake::default();
    let fault = |i: u32, class: ErrorClass| Fault {
        op: "create",
        address: format!("identity_store.groups.g{i}"),
        times: 1,
        what: FaultKind::Error(class),
    };
    fake.fault(fault(1, ErrorClass::Throttling));
    fake.fault(fault(2, ErrorClass::LimitExceeded));
    let changes = (0..3)
        .map(|i| {
            change(
                &format!("identity_store.groups.g{i}"),
                Kind::IdentityStoreGroup,
                Action::Create,
                0,
            )
            .after(attrs(&[("display_name", Value::Str(format!("g{i}")))]))
        })
        .collect();
    let (report, _) = run(&plan(changes), &fake, &fast()).await;
    assert_eq!(
        report.done,
        vec![(addr("identity_store.groups.g0"), Action::Create)]
    );
    assert_eq!(
        fake.count_of("create", "identity_store.groups.g1"),
        1,
        "throttling that surfaced is not retried by the executor"
    );
    assert_eq!(
        fake.count_of("create", "identity_store.groups.g2"),
        1,
        "LimitExceeded is never retried"
    );
    assert_eq!(report.failed.len(), 2);
    assert!(
        report
            .failed
            .iter()
            .all(|(a, m)| m.contains(&a.to_string())),
        "errors name the address: {report:?}"
    );
}

#[tokio::test]
async fn replaces_follow_their_order() {
    let fake = Fake::default();
    let pool_id = fake.seed("user_pools.a", Kind::UserPool, None, &pool("a"));
    let idp = fake.seed(
        "user_pools.a.identity_providers.Okta",
        Kind::IdentityProvider,
        Some(&pool_id),
        &attrs(&[
            ("name", Value::str("Okta")),
            ("provider_type", Value::str("SAML")),
        ]),
    );
    let old_pool_attrs = pool("b");
    let pool_b = fake.seed("user_pools.b", Kind::UserPool, None, &old_pool_attrs);
    let p = plan(vec![
        change(
            "user_pools.a.identity_providers.Okta",
            Kind::IdentityProvider,
            Action::Replace(ReplaceOrder::DeleteThenCreate),
            0,
        )
        .before(attrs(&[
            ("name", Value::str("Okta")),
            ("provider_type", Value::str("SAML")),
        ]))
        .after(attrs(&[
            ("name", Value::str("Okta")),
            ("provider_type", Value::str("OIDC")),
        ]))
        .live(&idp)
        .parent_live(&pool_id),
        change(
            "user_pools.b",
            Kind::UserPool,
            Action::Replace(ReplaceOrder::CreateThenDelete),
            0,
        )
        .before(old_pool_attrs.clone())
        .after(attrs(&[
            ("name", Value::str("b")),
            ("alias_attributes", Value::List(vec![Value::str("email")])),
        ]))
        .live(&pool_b),
    ]);
    let (report, _) = run(&p, &fake, &fast()).await;
    assert!(report.is_success(), "{report:?}");
    let calls = fake.calls();
    let at = |c: &str| {
        calls
            .iter()
            .position(|x| x == c)
            .unwrap_or_else(|| panic!("{c} in {calls:?}"))
    };
    assert!(
        at("delete user_pools.a.identity_providers.Okta")
            < at("create user_pools.a.identity_providers.Okta")
    );
    assert!(at("create user_pools.b") < at("delete user_pools.b"));
    let idps = fake.live_at("user_pools.a.identity_providers.Okta");
    assert_eq!(idps.len(), 1);
    assert_eq!(idps[0].attrs["provider_type"], Value::str("OIDC"));
    let pools = fake.live_at("user_pools.b");
    assert_eq!(pools.len(), 1, "old pool gone, new one there");
    assert_ne!(pools[0].id, pool_b);
    assert_eq!(report.outputs[&addr("user_pools.b")]["id"], pools[0].id);
}

#[tokio::test]
async fn deletes_run_and_an_already_deleted_object_is_skipped() {
    let fake = Fake::default();
    let pool_id = fake.seed("user_pools.a", Kind::UserPool, None, &pool("a"));
    let g = fake.seed(
        "user_pools.a.groups.g",
        Kind::UserPoolGroup,
        Some(&pool_id),
        &group("g"),
    );
    let h = fake.seed(
        "user_pools.a.groups.h",
        Kind::UserPoolGroup,
        Some(&pool_id),
        &group("h"),
    );
    fake.remove(&h);
    let p = plan(vec![
        change(
            "user_pools.a.groups.g",
            Kind::UserPoolGroup,
            Action::Delete,
            0,
        )
        .before(group("g"))
        .live(&g)
        .parent_live(&pool_id),
        change(
            "user_pools.a.groups.h",
            Kind::UserPoolGroup,
            Action::Delete,
            0,
        )
        .before(group("h"))
        .live(&h)
        .parent_live(&pool_id),
    ]);
    let (report, _) = run(&p, &fake, &fast()).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(
        report.done,
        vec![(addr("user_pools.a.groups.g"), Action::Delete)]
    );
    assert_eq!(report.skipped, vec![addr("user_pools.a.groups.h")]);
    assert!(fake.live_at("user_pools.a.groups.g").is_empty());
}

#[tokio::test]
async fn no_ops_are_not_executed_and_their_outputs_are_read_when_needed() {
    let fake = Fake::default();
    let pool_id = fake.seed("user_pools.a", Kind::UserPool, None, &pool("a"));
    let p = plan(vec![
        change("user_pools.a", Kind::UserPool, Action::NoOp, 0)
            .before(pool("a"))
            .after(pool("a"))
            .live(&pool_id),
        change(
            "identity_center.trusted_token_issuers.t",
            Kind::TrustedTokenIssuer,
            Action::Create,
            1,
        )
        .after(attrs(&[
            ("name", Value::str("t")),
            ("issuer_url", unknown("user_pools.a", "issuer_url")),
        ]))
        .deps(&["user_pools.a"]),
    ]);
    let (report, _) = run(&p, &fake, &fast()).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(report.done.len(), 1);
    assert_eq!(fake.count("update"), 0);
    let tti = &fake.live_at("identity_center.trusted_token_issuers.t")[0];
    assert_eq!(
        tti.attrs["issuer_url"],
        Value::Str(format!("https://issuer.example/{pool_id}"))
    );
}

#[tokio::test]
async fn secrets_are_read_again_from_their_source_and_never_shown() {
    let var = "IDPLANE_EXECUTOR_LOGIC_SECRET";
    // SAFETY: the variable name is unique to this test.
    unsafe { std::env::set_var(var, "very-secret-text") };
    let fake = Fake::default();
    let pool_id = fake.seed("user_pools.a", Kind::UserPool, None, &pool("a"));
    let secret = |src: &str, text: &str| Secret::from_plaintext(src, text).redacted();
    let idp = |name: &str, s: Secret| {
        let mut details = BTreeMap::new();
        details.insert("client_id".to_string(), Value::str("cid"));
        details.insert("client_secret".to_string(), Value::Secret(s));
        attrs(&[
            ("name", Value::str(name)),
            ("provider_type", Value::str("OIDC")),
            ("provider_details", Value::Map(details)),
        ])
    };
    // As a plan read back from JSON: digests and sources, no text.
    let p = plan(vec![
        change(
            "user_pools.a.identity_providers.Good",
            Kind::IdentityProvider,
            Action::Create,
            0,
        )
        .after(idp(
            "Good",
            secret(&format!("env:{var}"), "very-secret-text"),
        ))
        .parent_live(&pool_id),
        change(
            "user_pools.a.identity_providers.Bad",
            Kind::IdentityProvider,
            Action::Create,
            0,
        )
        .after(idp(
            "Bad",
            secret("env:IDPLANE_EXECUTOR_UNSET_VAR", "other-secret-text"),
        ))
        .parent_live(&pool_id),
    ]);
    let (report, events) = run(&p, &fake, &fast()).await;
    assert_eq!(
        report.done,
        vec![(addr("user_pools.a.identity_providers.Good"), Action::Create)]
    );
    assert_eq!(report.failed.len(), 1);
    assert!(
        report.failed[0].1.contains("IDPLANE_EXECUTOR_UNSET_VAR"),
        "{report:?}"
    );
    let everything = format!("{report:?}{events:?}");
    assert!(!everything.contains("very-secret-text") && !everything.contains("other-secret-text"));
}

#[tokio::test]
async fn a_dependency_cycle_fails_instead_of_hanging() {
    let fake = Fake::default();
    let p = plan(vec![
        change(
            "identity_store.groups.a",
            Kind::IdentityStoreGroup,
            Action::Create,
            0,
        )
        .after(attrs(&[("display_name", Value::str("a"))]))
        .deps(&["identity_store.groups.b"]),
        change(
            "identity_store.groups.b",
            Kind::IdentityStoreGroup,
            Action::Create,
            0,
        )
        .after(attrs(&[("display_name", Value::str("b"))]))
        .deps(&["identity_store.groups.a"]),
        change(
            "identity_store.groups.c",
            Kind::IdentityStoreGroup,
            Action::Create,
            0,
        )
        .after(attrs(&[("display_name", Value::str("c"))])),
    ]);
    let (report, _) = tokio::time::timeout(Duration::from_secs(5), run(&p, &fake, &fast()))
        .await
        .expect("no hang");
    assert_eq!(
        report.done,
        vec![(addr("identity_store.groups.c"), Action::Create)]
    );
    assert_eq!(report.failed.len(), 2);
    assert!(report.failed[0].1.contains("malformed"), "{report:?}");
    assert_eq!(fake.len(), 1);
}

#[test]
fn the_apply_future_is_send_so_callers_can_spawn_it() {
    fn assert_send<T: Send>(_: &T) {}
    let fake = Fake::default();
    let p = plan(vec![]);
    let opts = fast();
    let on_event = |_: Event| {};
    let fut = apply(&p, &fake, &opts, &on_event);
    assert_send(&fut);
    let report = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(fut);
    assert!(report.is_success() && report.done.is_empty());
}

#[tokio::test]
async fn a_create_that_finds_a_different_immutable_object_fails_instead_of_adopting_it() {
    let fake = Fake::default();
    let pool_id = fake.seed("user_pools.a", Kind::UserPool, None, &pool("a"));
    // Made by someone after the plan: same key, another provider type (immutable).
    fake.seed(
        "user_pools.a.identity_providers.Okta",
        Kind::IdentityProvider,
        Some(&pool_id),
        &attrs(&[
            ("name", Value::str("Okta")),
            ("provider_type", Value::str("SAML")),
        ]),
    );
    let p = plan(vec![
        change(
            "user_pools.a.identity_providers.Okta",
            Kind::IdentityProvider,
            Action::Create,
            0,
        )
        .after(attrs(&[
            ("name", Value::str("Okta")),
            ("provider_type", Value::str("OIDC")),
        ]))
        .parent_live(&pool_id),
    ]);
    let (report, _) = run(&p, &fake, &fast()).await;
    assert_eq!(
        report.stale,
        vec![addr("user_pools.a.identity_providers.Okta")],
        "{report:?}"
    );
    assert!(report.failed[0].1.contains("provider_type"), "{report:?}");
    assert_eq!(fake.count("update"), 0);
    assert_eq!(fake.count("create"), 0);
}

/// An update of one group's description from "old" to "new", on a fresh fake.
fn description_update(fake: &Fake) -> Plan {
    let pool_id = fake.seed("user_pools.a", Kind::UserPool, None, &pool("a"));
    let before = attrs(&[
        ("name", Value::str("g")),
        ("description", Value::str("old")),
    ]);
    let after = attrs(&[
        ("name", Value::str("g")),
        ("description", Value::str("new")),
    ]);
    let id = fake.seed(
        "user_pools.a.groups.g",
        Kind::UserPoolGroup,
        Some(&pool_id),
        &before,
    );
    plan(vec![
        change(
            "user_pools.a.groups.g",
            Kind::UserPoolGroup,
            Action::Update,
            0,
        )
        .before(before)
        .after(after)
        .live(&id)
        .parent_live(&pool_id),
    ])
}

#[tokio::test]
async fn an_update_the_provider_does_not_apply_fails_naming_the_field() {
    let fake = Fake::default();
    let p = description_update(&fake);
    fake.fault(Fault {
        op: "update",
        address: "user_pools.a.groups.g".into(),
        times: 1,
        what: FaultKind::Ignore,
    });
    let (report, events) = run(&p, &fake, &fast()).await;
    assert_eq!(report.failed.len(), 1, "{report:?}");
    let msg = &report.failed[0].1;
    assert!(
        msg.contains("description") && msg.contains("did not apply") && !msg.contains("name"),
        "{msg}"
    );
    assert!(report.stale.is_empty(), "not a stale plan: {report:?}");
    assert!(
        !events.iter().any(|e| matches!(e, Event::Succeeded { .. })),
        "{events:?}"
    );
}

#[tokio::test]
async fn read_back_in_another_set_order_is_not_a_false_alarm() {
    let fake = Fake::default();
    let pool_id = fake.seed("user_pools.a", Kind::UserPool, None, &pool("a"));
    let flows = |f: &[&str]| Value::List(f.iter().map(|s| Value::str(*s)).collect());
    let before = attrs(&[
        ("name", Value::str("web")),
        ("explicit_auth_flows", flows(&["ALLOW_USER_SRP_AUTH"])),
    ]);
    let after = attrs(&[
        ("name", Value::str("web")),
        (
            "explicit_auth_flows",
            flows(&["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]),
        ),
    ]);
    let id = fake.seed(
        "user_pools.a.clients.web",
        Kind::UserPoolClient,
        Some(&pool_id),
        &before,
    );
    fake.fault(Fault {
        op: "update",
        address: "user_pools.a.clients.web".into(),
        times: 1,
        what: FaultKind::Reorder,
    });
    let p = plan(vec![
        change(
            "user_pools.a.clients.web",
            Kind::UserPoolClient,
            Action::Update,
            0,
        )
        .before(before)
        .after(after)
        .live(&id)
        .parent_live(&pool_id),
    ]);
    let (report, _) = run(&p, &fake, &fast()).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(
        report.done,
        vec![(addr("user_pools.a.clients.web"), Action::Update)]
    );
}

fn position(events: &[Event], what: &str, address: &str) -> usize {
    events
        .iter()
        .position(|e| match (what, e) {
            ("started", Event::Started { address: a, .. })
            | ("succeeded", Event::Succeeded { address: a, .. }) => a.to_string() == address,
            _ => false,
        })
        .unwrap_or_else(|| panic!("no {what} event for {address}: {events:?}"))
}

fn store_group(name: &str, level: usize) -> Change {
    change(
        &format!("identity_store.groups.{name}"),
        Kind::IdentityStoreGroup,
        Action::Create,
        level,
    )
    .after(attrs(&[("display_name", Value::str(name))]))
}

/// Free slots are shared among services: changes of one service (each paced to its own
/// quotas on AWS) do not take every slot while another service's changes wait.
#[tokio::test]
async fn free_slots_go_to_the_service_with_the_fewest_changes_in_flight() {
    let fake = Fake::with_delay(20);
    // In plan order the identity store's groups come first.
    let mut changes: Vec<Change> = (0..4).map(|i| store_group(&format!("g{i}"), 0)).collect();
    changes.push(change("user_pools.a", Kind::UserPool, Action::Create, 0).after(pool("a")));
    let opts = ApplyOptions {
        parallelism: 2,
        ..ApplyOptions::default()
    };
    let (report, events) = run(&plan(changes), &fake, &opts).await;
    assert!(report.is_success(), "{report:?}");
    let first_two: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Started { address, .. } => Some(address.to_string()),
            _ => None,
        })
        .take(2)
        .collect();
    assert!(
        first_two.contains(&"user_pools.a".to_string()),
        "the pool starts with the first group, not after the groups: {first_two:?}"
    );
}

/// A change nothing waits for does not hold the next level back: the client of a pool made
/// in level 0 starts while a slow identity store group of level 0 is still being made, and
/// the apply still ends only when the group is done.
#[tokio::test]
async fn a_slow_change_nothing_waits_for_does_not_hold_the_next_level_back() {
    let fake = Fake::with_delay(5);
    fake.slow("identity_store.groups.slow", 300);
    let p = plan(vec![
        store_group("slow", 0),
        change("user_pools.a", Kind::UserPool, Action::Create, 0).after(pool("a")),
        change(
            "user_pools.a.clients.web",
            Kind::UserPoolClient,
            Action::Create,
            1,
        )
        .after(attrs(&[("name", Value::str("web"))]))
        .deps(&["user_pools.a"]),
    ]);
    let opts = ApplyOptions {
        // No look for twins: the pool's create is settled at once.
        twin_checks: false,
        ..fast()
    };
    let (report, events) = run(&p, &fake, &opts).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(report.done.len(), 3, "{report:?}");
    assert!(
        position(&events, "started", "user_pools.a.clients.web")
            < position(&events, "succeeded", "identity_store.groups.slow"),
        "level 1 waited for the slow group: {events:?}"
    );
    assert_eq!(fake.live_at("identity_store.groups.slow").len(), 1);
}

/// Once a level has only changes nothing waits for left, they compete for free slots with the
/// next level's changes: a slot freed then goes to the next level's change that others wait
/// for (here the client the pool group waits for), not to the leftover groups.
#[tokio::test]
async fn what_a_level_leaves_competes_with_the_next_level_for_free_slots() {
    let fake = Fake::with_delay(5);
    let p = plan(vec![
        store_group("g1", 0),
        store_group("g2", 0),
        change("user_pools.a", Kind::UserPool, Action::Create, 0).after(pool("a")),
        change(
            "user_pools.a.clients.web",
            Kind::UserPoolClient,
            Action::Create,
            1,
        )
        .after(attrs(&[("name", Value::str("web"))]))
        .deps(&["user_pools.a"]),
        change(
            "user_pools.a.groups.admins",
            Kind::UserPoolGroup,
            Action::Create,
            2,
        )
        .after(attrs(&[("name", Value::str("admins"))]))
        .deps(&["user_pools.a", "user_pools.a.clients.web"]),
    ]);
    let opts = ApplyOptions {
        parallelism: 1,
        twin_checks: false,
        ..fast()
    };
    let (report, events) = run(&p, &fake, &opts).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(report.done.len(), 5, "{report:?}");
    let started = |a: &str| position(&events, "started", a);
    assert!(
        started("user_pools.a") < started("user_pools.a.clients.web")
            && started("user_pools.a.clients.web") < started("identity_store.groups.g1")
            && started("user_pools.a.clients.web") < started("identity_store.groups.g2"),
        "the client others wait for goes before the leftover groups: {events:?}"
    );
}

/// Deletes are ordered by their level alone: whatever an earlier level left running ends
/// before a level that deletes starts.
#[tokio::test]
async fn nothing_of_an_earlier_level_runs_beside_a_delete() {
    let fake = Fake::with_delay(5);
    let old = fake.seed(
        "identity_store.groups.old",
        Kind::IdentityStoreGroup,
        None,
        &attrs(&[("display_name", Value::str("old"))]),
    );
    fake.slow("identity_store.groups.slow", 200);
    let p = plan(vec![
        store_group("slow", 0),
        change(
            "identity_store.groups.old",
            Kind::IdentityStoreGroup,
            Action::Delete,
            1,
        )
        .before(attrs(&[("display_name", Value::str("old"))]))
        .live(&old),
    ]);
    let (report, events) = run(&p, &fake, &fast()).await;
    assert!(report.is_success(), "{report:?}");
    assert!(
        position(&events, "succeeded", "identity_store.groups.slow")
            < position(&events, "started", "identity_store.groups.old"),
        "the delete ran beside the slow create: {events:?}"
    );
}

/// A live application `identity_center.applications.NAME`; its id.
fn seed_app(fake: &Fake, name: &str) -> String {
    fake.seed(
        &format!("identity_center.applications.{name}"),
        Kind::Application,
        None,
        &attrs(&[("name", Value::str(name))]),
    )
}

fn scope(app: &str, name: &str, action: Action, app_id: &str) -> Change {
    change(
        &format!("identity_center.applications.{app}.access_scopes.{name}"),
        Kind::ApplicationAccessScope,
        action,
        0,
    )
    .after(attrs(&[("scope", Value::str(name))]))
    .parent_live(app_id)
}

/// Writes of a kind the provider reads back by list are read back with one list per parent
/// once the level has no write to that parent left, however many writes the parallelism lets
/// run at once; each change is reported done only then, with `--no-wait` too.
#[tokio::test]
async fn writes_read_back_by_list_share_one_list_per_parent_whatever_the_parallelism() {
    let fake = Fake::with_delay(5).reading_back_by_list(Kind::ApplicationAccessScope);
    let (a, b) = (seed_app(&fake, "a"), seed_app(&fake, "b"));
    let mut changes: Vec<Change> = (0..6)
        .map(|i| scope("a", &format!("s{i}"), Action::Create, &a))
        .collect();
    changes.extend((0..2).map(|i| scope("b", &format!("s{i}"), Action::Create, &b)));
    let opts = ApplyOptions {
        parallelism: 2,
        wait_for_background: false,
        ..ApplyOptions::default()
    };
    let (report, events) = run(&plan(changes), &fake, &opts).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(report.done.len(), 8, "{report:?}");
    let lists: Vec<String> = fake
        .calls()
        .into_iter()
        .filter(|c| c.starts_with("list "))
        .collect();
    assert_eq!(lists.len(), 2, "one list per application: {lists:?}");
    assert!(fake.max_in_flight() <= 2, "the parallelism bound holds");
    let succeeded = events
        .iter()
        .filter(|e| matches!(e, Event::Succeeded { .. }))
        .count();
    assert_eq!(succeeded, 8, "{events:?}");
    // The first write of an application is reported done only after its last write.
    assert!(
        position(
            &events,
            "started",
            "identity_center.applications.a.access_scopes.s5"
        ) < position(
            &events,
            "succeeded",
            "identity_center.applications.a.access_scopes.s0"
        ),
        "{events:?}"
    );
}

/// A write read back by list that AWS did not apply fails naming the field; the other writes
/// of its collection, checked against the same list, succeed.
#[tokio::test]
async fn a_write_read_back_by_list_that_did_not_apply_fails_naming_the_field() {
    let fake = Fake::default().reading_back_by_list(Kind::ApplicationAccessScope);
    let app = seed_app(&fake, "a");
    let targets = |t: &str| Value::List(vec![Value::str(t)]);
    let mut changes = Vec::new();
    for name in ["x", "y"] {
        let address = format!("identity_center.applications.a.access_scopes.{name}");
        let before = attrs(&[
            ("scope", Value::str(name)),
            ("authorized_targets", targets("old")),
        ]);
        let id = fake.seed(&address, Kind::ApplicationAccessScope, Some(&app), &before);
        changes.push(
            scope("a", name, Action::Update, &app)
                .before(before)
                .after(attrs(&[
                    ("scope", Value::str(name)),
                    ("authorized_targets", targets("new")),
                ]))
                .live(&id),
        );
    }
    fake.fault(Fault {
        op: "update",
        address: "identity_center.applications.a.access_scopes.x".into(),
        times: 1,
        what: FaultKind::Ignore,
    });
    let (report, _) = run(&plan(changes), &fake, &fast()).await;
    assert_eq!(
        report.done,
        vec![(
            addr("identity_center.applications.a.access_scopes.y"),
            Action::Update
        )],
        "{report:?}"
    );
    assert_eq!(report.failed.len(), 1, "{report:?}");
    let (failed, msg) = &report.failed[0];
    assert_eq!(
        failed,
        &addr("identity_center.applications.a.access_scopes.x")
    );
    assert!(
        msg.contains("authorized_targets") && msg.contains("did not apply"),
        "{msg}"
    );
    assert_eq!(fake.count("list "), 1, "{:?}", fake.calls());
}

/// Read-backs go on while the level's look for twins waits (750 ms after the level's last
/// create of a kind AWS lets share a name): the scopes written beside a new pool are done
/// before the pool's look ends.
#[tokio::test]
async fn read_backs_go_on_during_the_levels_look_for_twins() {
    let fake = Fake::default().reading_back_by_list(Kind::ApplicationAccessScope);
    let app = seed_app(&fake, "a");
    let mut changes: Vec<Change> = (0..3)
        .map(|i| scope("a", &format!("s{i}"), Action::Create, &app))
        .collect();
    changes.push(change("user_pools.p", Kind::UserPool, Action::Create, 0).after(pool("p")));
    // A next level, so that the scopes (nothing waits for them) may outlast level 0.
    changes.push(
        change(
            "user_pools.p.groups.g",
            Kind::UserPoolGroup,
            Action::Create,
            1,
        )
        .after(group("g"))
        .deps(&["user_pools.p"]),
    );
    let (report, events) = run(&plan(changes), &fake, &fast()).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(fake.count("list "), 1, "{:?}", fake.calls());
    for i in 0..3 {
        let scope = format!("identity_center.applications.a.access_scopes.s{i}");
        assert!(
            position(&events, "succeeded", &scope) < position(&events, "succeeded", "user_pools.p"),
            "{scope} waited for the pool's look for twins: {events:?}"
        );
    }
}
