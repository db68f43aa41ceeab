//! How many AWS calls an apply makes, counted by the account's proxy: the lookups that make a
//! create safe (did an earlier run already make it?) cost one list per collection per level,
//! not one read per object, and never one read of every application's tags per application.

use super::*;
use std::fmt::Write as _;

/// One pool with `n` clients and `n` groups, and `n` applications each with two access scopes.
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
            "    a{i}:\n      name: {stack}-app-{i}\n      access_scopes: [app{i}:read, app{i}:write]"
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
    // After the create of a kind AWS lets share a name (applications, clients), the executor
    // looks for twins of a concurrent apply (`Provider::twins`), twice when it kept its own:
    // at most 2 lists per such create, never a read of every object's tags per create. A twin
    // look reads AWS afresh and drops the level's list, so a later lookup of the level may list
    // once more: at most one more list per create.
    const TWIN_LOOKS: u64 = 2;
    const RELISTS: u64 = 1;
    // Each application's create reads its own tags back once; looking for a lost earlier
    // create or for twins reads only the tags of applications of the same name.
    assert!(
        n("ListTagsForResource") <= (1 + TWIN_LOOKS) * N,
        "{} ListTagsForResource for {N} applications (linear at most): {c:?}",
        n("ListTagsForResource")
    );
    assert!(
        n("ListApplications") <= levels + (TWIN_LOOKS + RELISTS) * N,
        "ListApplications: one per level for the lookups, plus the twin looks and re-lists: {c:?}"
    );
    // Clients and groups of one pool: lists for the lookups before a create (no read per
    // object), plus the twin looks after each client create (groups have none: AWS keeps a
    // group name unique, and their one list per level holds).
    assert!(
        n("ListUserPoolClients") <= levels + (TWIN_LOOKS + RELISTS) * N,
        "{} ListUserPoolClients for {N} clients: {c:?}",
        n("ListUserPoolClients")
    );
    assert!(n("ListGroups") <= levels, "{c:?}");
    assert_eq!(n("GetGroup"), 0, "no per-group lookup: {c:?}");
    // Scopes: one list per application, then each put is read back once.
    assert!(n("ListApplicationAccessScopes") <= N, "{c:?}");
    assert!(n("GetApplicationAccessScope") <= 2 * N, "{c:?}");
    assert_eq!(n("CreateApplication"), N);
    assert_eq!(n("CreateUserPoolClient"), N);
    assert_eq!(n("CreateGroup"), N);
    assert_eq!(n("PutApplicationAccessScope"), 2 * N);
    assert_no_changes(&env.provider, &desired).await;
}
