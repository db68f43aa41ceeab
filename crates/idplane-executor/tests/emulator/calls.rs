//! How many AWS calls an apply makes, counted by the account's proxy: the lookups that make a
//! create safe (did an earlier run already make it?) cost one list per collection per level,
//! not one read per object, and never one read of every application's tags per application.

use super::*;
use std::fmt::Write as _;

/// Access scopes per application in [`estate`]: more than the executor's 4 slots.
const SCOPES: u64 = 5;

/// One pool with `n` clients and `n` groups, and `n` applications each with [`SCOPES`] access
/// scopes.
fn estate(stack: &str, n: usize) -> Desired {
    let mut s = format!(
        "version: 1\nstack: {stack}\nregion: us-east-1\nuser_pools:\n  p:\n    name: {stack}-pool\n    groups:\n"
    );
    for i in 0..n {
        let _ = writeln!(s, "      g{i}: {{ description: group {i} }}");
    }
    s.push_str("    clients:\n");
    for i in 0..n {
        let _ = writeln!(s, "      c{i}: {{ name: client-{i} }}");
    }
    s.push_str("identity_center:\n  applications:\n");
    for i in 0..n {
        let _ = writeln!(
            s,
            "    a{i}:\n      name: {stack}-app-{i}\n      access_scopes: [app{i}:read, app{i}:write, app{i}:list, app{i}:admin, app{i}:audit]"
        );
    }
    let loaded = idplane_spec::load_str("calls.yaml", &s, &idplane_spec::LoadOptions::default());
    let diags = idplane_spec::render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    loaded
        .desired
        .unwrap_or_else(|| panic!("the test stack does not load:\n{diags}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_of_n_objects_per_collection_makes_one_lookup_list_per_collection_and_level() {
    const N: u64 = 10;
    let env = env().await;
    let desired = estate("calls", N as usize);
    let plan = make_plan(&env.provider, &desired).await;
    let proxy = env.account.proxy();
    proxy.reset_counts();
    let (report, _) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "apply failed: {report:#?}");
    let c = proxy.call_counts();
    let n = |op: &str| c.get(op).copied().unwrap_or(0);
    let levels = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| c.level)
        .collect::<std::collections::BTreeSet<_>>()
        .len() as u64;
    // After the creates of a kind AWS lets share a name (applications, clients), the executor
    // looks for twins of a concurrent apply (`Provider::twins`) once, at the end of the level,
    // from one fresh list per collection that all the looks of the level share; an object
    // alone with its name is not read again. So per collection and level: one list for the
    // lookups before the creates, one for the twin looks. Nothing per object.
    const LISTS_PER_LEVEL: u64 = 2;
    // An application's create is read back without its tags (the create sent them, and
    // CreateApplication sets them in the same request); looking for a lost earlier create or
    // a twin reads only the tags of applications of the same name (none here).
    assert_eq!(
        n("ListTagsForResource"),
        0,
        "no tag read for {N} new applications: {c:?}"
    );
    assert!(
        n("ListApplications") <= LISTS_PER_LEVEL * levels,
        "ListApplications: one per level for the lookups, one for the twin looks: {c:?}"
    );
    assert!(
        n("DescribeApplication") <= N,
        "one read-back per application, none for the twin looks: {c:?}"
    );
    // Clients and groups of a pool this apply created: no lookup before their creates (no
    // earlier run can have made anything under a pool made seconds ago), only the level's twin
    // look of the clients (groups have none: AWS keeps a group name unique). The same for the
    // access scopes of new applications.
    assert!(
        n("ListUserPoolClients") <= levels,
        "{} ListUserPoolClients for {N} clients: {c:?}",
        n("ListUserPoolClients")
    );
    assert_eq!(n("ListGroups"), 0, "no lookup under a new pool: {c:?}");
    // No lookup under a new application; the scopes put to one application are read back by
    // one list once all of them were answered (the executor's `readback`), though only 4 run
    // at once.
    assert_eq!(
        n("ListApplicationAccessScopes"),
        N,
        "one read-back list per application, no lookup under a new application: {c:?}"
    );
    assert!(
        n("DescribeUserPoolClient") <= N,
        "at most one read-back per client, none for the twin looks: {c:?}"
    );
    assert_eq!(n("GetGroup"), 0, "no per-group lookup: {c:?}");
    // Scopes: read back from the application's list, not one by one.
    assert_eq!(n("GetApplicationAccessScope"), 0, "{c:?}");
    assert_eq!(n("CreateApplication"), N);
    assert_eq!(n("CreateUserPoolClient"), N);
    assert_eq!(n("CreateGroup"), N);
    assert_eq!(n("PutApplicationAccessScope"), SCOPES * N);
    assert_no_changes(&env.provider, &desired).await;
}

/// A plan made on an empty account, applied twice: the second apply's creates find what the
/// first made (its parents are adopted, not made by this run), so they look for their children
/// first and adopt them too: no create is sent, nothing is duplicated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_plan_applied_again_adopts_children_of_adopted_parents() {
    const N: u64 = 3;
    let env = env().await;
    let desired = estate("again", N as usize);
    let plan = make_plan(&env.provider, &desired).await;
    let (first, _) = run(&plan, &env.provider).await;
    assert!(first.is_success(), "first apply failed: {first:#?}");
    let proxy = env.account.proxy();
    proxy.reset_counts();
    let (again, _) = run(&plan, &env.provider).await;
    assert!(again.is_success(), "second apply failed: {again:#?}");
    let c = proxy.call_counts();
    let creates: Vec<_> = c
        .iter()
        .filter(|(op, _)| op.starts_with("Create") || op.starts_with("Put"))
        .collect();
    assert!(creates.is_empty(), "nothing is created again: {c:?}");
    assert!(again.done.is_empty(), "everything adopted: {again:#?}");
    assert_eq!(again.skipped.len(), first.done.len(), "{again:#?}");
    assert_no_changes(&env.provider, &desired).await;
}

/// `--serialized`: the caller vouches that no other apply of the stack runs at the same time,
/// so no create is followed by a look for a concurrent apply's twin. In the CLI the plan was
/// also observed just before the apply, so a create does not look for an earlier run's object
/// first either (the observe just did): no list of pools or applications at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serialized_apply_makes_no_look_for_twins_nor_lookups_just_after_its_observe() {
    const N: u64 = 3;
    for (stack, observed_just_before) in [("serial", false), ("fresh", true)] {
        let env = env().await;
        let desired = estate(stack, N as usize);
        let plan = make_plan(&env.provider, &desired).await;
        let proxy = env.account.proxy();
        proxy.reset_counts();
        let opts = ApplyOptions {
            twin_checks: false,
            observed_just_before,
            ..opts()
        };
        let report = apply(&plan, &env.provider, &opts, &|_| {}).await;
        assert!(report.is_success(), "apply failed: {report:#?}");
        let c = proxy.call_counts();
        let n = |op: &str| c.get(op).copied().unwrap_or(0);
        // Clients of a pool this apply made have no lookup before their create: only a twin
        // look would list them.
        assert_eq!(n("ListUserPoolClients"), 0, "{c:?}");
        // The pool and the applications: no twin look; the one lookup before their creates,
        // unless the plan's observe has just looked.
        let lookups = u64::from(!observed_just_before);
        assert_eq!(n("ListUserPools"), lookups, "{stack}: {c:?}");
        assert_eq!(n("ListApplications"), lookups, "{stack}: {c:?}");
        assert_eq!(n("CreateUserPool"), 1);
        assert_eq!(n("CreateUserPoolClient"), N);
        assert_eq!(n("CreateApplication"), N);
        assert_no_changes(&env.provider, &desired).await;
    }
}

/// An update reads its object once before the write (to skip one already as planned and to
/// refuse a stale plan; the provider merges onto that read, and a pool, a client or an
/// identity provider sends back its unmodelled members from AWS's answer to it) and once after
/// (to confirm it converged), unless the write answers the object as stored: two reads at
/// most, not three.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_reads_its_object_once_before_and_once_after_the_write() {
    let env = env().await;
    let text = idplane_testkit::every_kind_spec("upd", "us-east-1", 1);
    let load = |text: &str| {
        let loaded =
            idplane_spec::load_str("upd.yaml", text, &idplane_spec::LoadOptions::default());
        let diags = idplane_spec::render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
        loaded
            .desired
            .unwrap_or_else(|| panic!("the stack loads:\n{diags}\n{text}"))
    };
    let first = make_plan(&env.provider, &load(&text)).await;
    let (report, _) = run(&first, &env.provider).await;
    assert!(report.is_success(), "first apply failed: {report:#?}");
    // One field of each kind below changes; each is an update in place.
    let changed = [
        ("description: Administrators", "description: Admins"),
        ("name: api 0", "name: api zero"),
        (
            "description: Application 0",
            "description: Application zero",
        ),
        ("assignment_required: true", "assignment_required: false"),
        ("display_name: User 0", "display_name: User zero"),
        ("description: Group 0", "description: Group zero"),
        (
            "admin_create_user_only: true",
            "admin_create_user_only: false",
        ),
        (
            "https://app.example.com/callback",
            "https://app.example.com/signed-in",
        ),
        (
            "email: http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            "email: urn:oid:0.9.2342.19200300.100.1.3",
        ),
    ]
    .iter()
    .fold(text.clone(), |t, (from, to)| {
        assert!(t.contains(from), "the every-kind stack has `{from}`");
        t.replacen(from, to, 1)
    });
    let desired = load(&changed);
    let plan = make_plan(&env.provider, &desired).await;
    let updates: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.action == Action::Update)
        .map(|c| c.kind)
        .collect();
    assert_eq!(updates.len(), 9, "nine updates: {:#?}", plan.changes);
    let proxy = env.account.proxy();
    proxy.reset_counts();
    let (report, _) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "update apply failed: {report:#?}");
    let c = proxy.call_counts();
    for read in [
        "DescribeApplication",
        "GetApplicationAssignmentConfiguration",
        "DescribeUser",
        "DescribeGroup",
        // The pool's full-replace write sends back what idplane does not model, taken from
        // AWS's answer to the read before the write, not from a second describe.
        "DescribeUserPool",
        "GetUserPoolMfaConfig",
    ] {
        assert_eq!(
            c.get(read).copied().unwrap_or(0),
            2,
            "{read}: one read before the write, one after: {c:?}"
        );
    }
    // UpdateUserPoolClient, UpdateGroup, UpdateResourceServer and UpdateIdentityProvider
    // answer the object as stored: the read before the write is the only one.
    for read in [
        "DescribeUserPoolClient",
        "GetGroup",
        "DescribeResourceServer",
        "DescribeIdentityProvider",
    ] {
        assert_eq!(
            c.get(read).copied().unwrap_or(0),
            1,
            "{read}: one read before the write, the write's answer after: {c:?}"
        );
    }
    assert_no_changes(&env.provider, &desired).await;
}
