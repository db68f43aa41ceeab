//! Rules beyond the invalid corpus: what must be accepted, warnings, and lowering details.

use idplane_model::{Address, InstanceSelector, Kind, Mode, Value};
use idplane_spec::{LoadOptions, Loaded, load_str, render_diagnostics};

const HEAD: &str = "version: 1\nstack: demo\nregion: us-east-1\n";

fn load(body: &str) -> Loaded {
    load_str(
        "stack.yaml",
        &format!("{HEAD}{body}"),
        &LoadOptions::default(),
    )
}

fn clean(body: &str) -> idplane_model::Desired {
    let l = load(body);
    assert!(
        l.diagnostics.is_empty(),
        "{}",
        render_diagnostics(&l.diagnostics, &l.sources, false)
    );
    l.desired.unwrap()
}

fn codes(body: &str) -> Vec<&'static str> {
    load(body).diagnostics.iter().map(|d| d.code).collect()
}

fn addr(t: &str) -> Address {
    Address::parse(t).unwrap()
}

#[test]
fn localhost_and_app_schemes_are_fine_callbacks() {
    let d = clean(
        "user_pools:\n  p:\n    clients:\n      c:\n        oauth: {flows: [code], scopes: [openid], callback_urls: [\"http://localhost:3000/cb\", \"myapp://callback\", \"https://a.example.com\"]}\n        identity_providers: [COGNITO]\n",
    );
    let c = &d.resources[&addr("user_pools.p.clients.c")];
    assert_eq!(c.attrs["callback_urls"].as_list().unwrap().len(), 3);
    assert_eq!(
        c.attrs["supported_identity_providers"],
        Value::List(vec!["COGNITO".into()])
    );
}

#[test]
fn http_on_a_host_named_like_localhost_is_rejected() {
    assert!(codes("user_pools:\n  p:\n    clients:\n      c:\n        oauth: {flows: [code], scopes: [openid], callback_urls: [\"http://localhost.evil.com/cb\"]}\n").contains(&"E017"));
}

#[test]
fn an_application_without_assignments_warns_about_the_aws_default() {
    let l = load("identity_center:\n  applications:\n    demo: {name: Demo}\n");
    assert!(l.desired.is_some(), "a warning does not block");
    assert_eq!(l.diagnostics.len(), 1);
    assert_eq!(l.diagnostics[0].code, "W002");
}

#[test]
fn assignments_and_memberships_depend_on_the_store_principals() {
    let d = clean(
        "identity_store:\n  users:\n    alice: {display_name: Alice, given_name: Alice, family_name: Doe, email: alice@example.com}\n  groups:\n    admins:\n      display_name: Admins\n      members: [alice]\nidentity_center:\n  instance: arn:aws:sso:::instance/ssoins-1234567890abcdef\n  applications:\n    saml:\n      arn: arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef\n      assignments: {users: [alice], groups: [Admins, Outsiders]}\n",
    );
    assert_eq!(
        d.identity_center,
        InstanceSelector::Arn("arn:aws:sso:::instance/ssoins-1234567890abcdef".into())
    );
    let app = &d.resources[&addr("identity_center.applications.saml")];
    assert_eq!(app.mode, Mode::Referenced);
    let user_assignment =
        addr("identity_center.applications.saml").child(["assignments", "USER:alice"]);
    let a = &d.resources[&user_assignment];
    assert_eq!(a.kind, Kind::ApplicationAssignment);
    assert_eq!(a.attrs["principal"], Value::str("USER:alice"));
    assert_eq!(a.attrs["principal_type"], Value::str("USER"));
    assert!(a.depends_on.contains(&addr("identity_store.users.alice")));
    let g = &d.resources
        [&addr("identity_center.applications.saml").child(["assignments", "GROUP:Admins"])];
    assert!(g.depends_on.contains(&addr("identity_store.groups.admins")));
    let outsiders = &d.resources
        [&addr("identity_center.applications.saml").child(["assignments", "GROUP:Outsiders"])];
    assert_eq!(
        outsiders.depends_on.len(),
        1,
        "only the parent: the group is not in the spec"
    );
    let m = &d.resources[&addr("identity_store.groups.admins.members.alice")];
    assert_eq!(m.kind, Kind::IdentityStoreGroupMembership);
    assert_eq!(m.attrs["user_name"], Value::str("alice"));
    assert!(m.depends_on.contains(&addr("identity_store.users.alice")));
    assert!(m.depends_on.contains(&addr("identity_store.groups.admins")));
}

#[test]
fn actor_policy_may_be_a_json_string() {
    let d = clean(
        "identity_center:\n  applications:\n    demo:\n      assignment_required: false\n      authentication_methods:\n        iam:\n          actor_policy: '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sso-oauth:CreateTokenWithIAM\", \"Resource\": \"*\"}]}'\n",
    );
    let m = &d.resources[&addr("identity_center.applications.demo.authentication_methods.iam")];
    let policy = m.attrs["actor_policy"].as_map().unwrap();
    assert_eq!(policy["Version"], Value::str("2012-10-17"));
    assert_eq!(m.attrs["method_type"], Value::str("IAM"));
}

#[test]
fn grants_use_the_sso_admin_spelling() {
    let d = clean(
        "identity_center:\n  applications:\n    demo:\n      assignment_required: false\n      grants:\n        authorization_code: {redirect_uris: [\"https://app.example.com/cb\"]}\n        refresh_token: {}\n        token_exchange: {}\n",
    );
    let g = |s: &str| {
        d.resources[&addr(&format!("identity_center.applications.demo.grants.{s}"))].attrs["grant_type"].clone()
    };
    assert_eq!(g("authorization_code"), Value::str("authorization_code"));
    assert_eq!(g("refresh_token"), Value::str("refresh_token"));
    assert_eq!(
        g("token_exchange"),
        Value::str("urn:ietf:params:oauth:grant-type:token-exchange")
    );
}

#[test]
fn durations_in_text_and_seconds() {
    let d = clean(
        "user_pools:\n  p:\n    clients:\n      c:\n        token_validity: {access: 300, id: 90m, refresh: 12h, auth_session: 900s}\n",
    );
    let c = &d.resources[&addr("user_pools.p.clients.c")];
    assert_eq!(c.attrs["access_token_validity"], Value::Int(300));
    assert_eq!(c.attrs["id_token_validity"], Value::Int(5400));
    assert_eq!(c.attrs["refresh_token_validity"], Value::Int(43200));
    assert_eq!(c.attrs["auth_session_validity"], Value::Int(15));
}

#[test]
fn left_out_fields_stay_absent() {
    let d = clean("user_pools:\n  p: {}\n");
    let p = &d.resources[&addr("user_pools.p")];
    assert_eq!(p.attrs.keys().collect::<Vec<_>>(), vec!["name"]);
    assert_eq!(p.attrs["name"], Value::str("p"));
    assert_eq!(d.identity_center, InstanceSelector::None);
}

#[test]
fn var_substitution_works_inside_strings_and_var_overrides_win() {
    let mut opts = LoadOptions::default();
    opts.vars.insert("env".into(), "prod".into());
    let l = load_str(
        "s.yaml",
        &format!(
            "{HEAD}variables:\n  env: {{default: dev}}\nuser_pools:\n  p: {{name: \"pool-${{var.env}}-eu\"}}\n"
        ),
        &opts,
    );
    let d = l.desired.unwrap();
    assert_eq!(
        d.resources[&addr("user_pools.p")].attrs["name"],
        Value::str("pool-prod-eu")
    );
}

#[test]
fn pinned_ids_are_kept() {
    let d = clean(
        "user_pools:\n  p:\n    id: us-east-1_AbCdEf123\n    clients:\n      c: {id: 1example2client}\nidentity_pools:\n  i: {id: \"us-east-1:0000-1111\"}\n",
    );
    assert_eq!(
        d.resources[&addr("user_pools.p")].pinned_id.as_deref(),
        Some("us-east-1_AbCdEf123")
    );
    assert_eq!(
        d.resources[&addr("user_pools.p.clients.c")]
            .pinned_id
            .as_deref(),
        Some("1example2client")
    );
    assert_eq!(
        d.resources[&addr("identity_pools.i")].pinned_id.as_deref(),
        Some("us-east-1:0000-1111")
    );
}

#[test]
fn no_input_is_not_a_panic() {
    let l = idplane_spec::load(&[], &LoadOptions::default());
    assert!(l.desired.is_none());
    let l = idplane_spec::load(&["no/such/file.yaml".into()], &LoadOptions::default());
    assert_eq!(l.diagnostics[0].code, "E002");
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "[",
        "{",
        ":",
        "- - -",
        "a: !!binary xx",
        "\u{0}",
        "a: *nope",
        "? [a]\n: b",
        "version: 1\nstack: [x]\nregion: {a: b}\nuser_pools: 3\n",
        "user_pools:\n  p:\n    clients: [1, 2]\n    domain: 5\n",
        "identity_center: []\nidentity_store: {users: {a: []}}\n",
    ] {
        let l = load_str("g.yaml", text, &LoadOptions::default());
        assert!(l.desired.is_none() || l.diagnostics.is_empty(), "{text:?}");
        let _ = render_diagnostics(&l.diagnostics, &l.sources, true);
    }
}

fn vars_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/specs/vars")
}

const VAR_STACK: &str = "variables:\n  domain_prefix: {default: from-default}\n  account_id: {default: 123456789012}\nuser_pools:\n  p:\n    domain: {prefix: \"${var.domain_prefix}\"}\n    tags: {account: \"${var.account_id}\"}\n";

#[test]
fn var_files_override_defaults_and_var_flags_override_files() {
    let mut opts = LoadOptions {
        var_files: vec![vars_dir().join("good.yaml")],
        ..LoadOptions::default()
    };
    let l = load_str("s.yaml", &format!("{HEAD}{VAR_STACK}"), &opts);
    let d = l.desired.unwrap();
    assert_eq!(
        d.resources[&addr("user_pools.p.domain")].attrs["domain"],
        Value::str("from-file")
    );
    let tags = d.resources[&addr("user_pools.p")].attrs["tags"].clone();
    assert_eq!(
        tags.as_map().unwrap()["account"],
        Value::str("210987654321")
    );
    opts.vars.insert("domain_prefix".into(), "from-flag".into());
    let d = load_str("s.yaml", &format!("{HEAD}{VAR_STACK}"), &opts)
        .desired
        .unwrap();
    assert_eq!(
        d.resources[&addr("user_pools.p.domain")].attrs["domain"],
        Value::str("from-flag")
    );
}

#[test]
fn a_var_file_with_a_nested_value_is_an_error() {
    let opts = LoadOptions {
        var_files: vec![vars_dir().join("bad.yaml"), vars_dir().join("missing.yaml")],
        ..LoadOptions::default()
    };
    let l = load_str("s.yaml", &format!("{HEAD}{VAR_STACK}"), &opts);
    let e054: Vec<_> = l.diagnostics.iter().filter(|d| d.code == "E054").collect();
    assert_eq!(e054.len(), 2, "{:?}", l.diagnostics);
    assert!(
        e054[0].file.ends_with("bad.yaml") && e054[0].line == 2,
        "{e054:?}"
    );
    assert!(e054[1].file.ends_with("missing.yaml"), "{e054:?}");
    assert!(l.desired.is_none());
}

#[test]
fn iam_policy_variables_and_escapes_are_literal_text() {
    let d = clean(
        "identity_center:\n  applications:\n    demo:\n      assignment_required: false\n      description: \"costs $${price}\"\n      authentication_methods:\n        iam:\n          actor_policy:\n            Version: \"2012-10-17\"\n            Statement:\n              - Effect: Allow\n                Action: sso-oauth:CreateTokenWithIAM\n                Resource: \"arn:aws:sso::123456789012:application/${aws:username}\"\n",
    );
    let app = &d.resources[&addr("identity_center.applications.demo")];
    assert_eq!(app.attrs["description"], Value::str("costs ${price}"));
    let m = &d.resources[&addr("identity_center.applications.demo.authentication_methods.iam")];
    let stmt = m.attrs["actor_policy"].as_map().unwrap()["Statement"]
        .as_list()
        .unwrap()[0]
        .clone();
    assert_eq!(
        stmt.as_map().unwrap()["Resource"],
        Value::str("arn:aws:sso::123456789012:application/${aws:username}")
    );
}

#[test]
fn an_unused_variable_is_a_warning() {
    let l = load("variables:\n  unused: {default: x}\nuser_pools:\n  p: {}\n");
    assert!(l.desired.is_some());
    let codes: Vec<_> = l.diagnostics.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(codes, vec![("W003", 5)]);
}
