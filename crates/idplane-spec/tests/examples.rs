//! Every example stack validates clean, and lowers to the addresses, fields and references the
//! planner and provider expect.

use idplane_model::{Address, InstanceSelector, Kind, Mode, Reference, Value};
use idplane_spec::{LoadOptions, Loaded, load, render_diagnostics};
use std::path::PathBuf;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
        .join("stack.yaml")
}

fn load_clean(name: &str) -> Loaded {
    let loaded = load(&[example(name)], &LoadOptions::default());
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty() && loaded.desired.is_some(),
        "{name} has errors:\n{}",
        render_diagnostics(&loaded.diagnostics, &loaded.sources, false)
    );
    loaded
}

fn addr(text: &str) -> Address {
    Address::parse(text).unwrap()
}

fn r(text: &str, output: &str) -> Value {
    Value::Ref(Reference {
        address: addr(text),
        output: output.into(),
    })
}

#[test]
fn seed_000_lowers_to_the_whole_scenario() {
    let loaded = load_clean("seed-000-cognito-tti");
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let d = loaded.desired.unwrap();
    assert_eq!(d.stack, "blog-tti");
    assert_eq!(d.region, "us-east-1");
    assert_eq!(d.identity_center, InstanceSelector::Auto);
    let pool = &d.resources[&addr("user_pools.blog")];
    assert_eq!(pool.kind, Kind::UserPool);
    assert_eq!(pool.attrs["name"], Value::str("BlogTrustedTokenIssuer"));
    assert_eq!(
        pool.attrs["alias_attributes"],
        Value::List(vec!["email".into()])
    );
    assert_eq!(pool.attrs["deletion_protection"], Value::str("ACTIVE"));
    assert_eq!(
        pool.attrs["admin_create_user_config"].as_map().unwrap()["allow_admin_create_user_only"],
        Value::Bool(true)
    );
    assert!(
        !pool.attrs.contains_key("mfa_configuration"),
        "no AWS defaults filled"
    );
    let source = pool.source.as_ref().unwrap();
    assert!(
        source.file.ends_with("stack.yaml") && source.line == 26,
        "{source:?}"
    );

    let domain = &d.resources[&addr("user_pools.blog.domain")];
    assert_eq!(domain.attrs["domain"], Value::str("demo-tti"));
    assert_eq!(domain.parent, Some(addr("user_pools.blog")));

    let idp = &d.resources[&addr("user_pools.blog.identity_providers.IAMIdentityCenter")];
    assert_eq!(idp.attrs["provider_type"], Value::str("SAML"));
    assert_eq!(
        idp.attrs["provider_details"].as_map().unwrap()["MetadataURL"],
        Value::str("https://portal.sso.us-east-1.amazonaws.com/saml/metadata/EXAMPLEMETADATAID")
    );

    let client = &d.resources[&addr("user_pools.blog.clients.tti")];
    assert_eq!(client.attrs["name"], Value::str("TTI"));
    assert_eq!(
        client.attrs["explicit_auth_flows"],
        Value::List(vec![
            "ALLOW_REFRESH_TOKEN_AUTH".into(),
            "ALLOW_USER_SRP_AUTH".into()
        ])
    );
    assert_eq!(
        client.attrs["allowed_oauth_flows_user_pool_client"],
        Value::Bool(true)
    );
    assert!(client.depends_on.contains(&addr(
        "user_pools.blog.identity_providers.IAMIdentityCenter"
    )));

    let tti = &d.resources[&addr("identity_center.trusted_token_issuers.cognito")];
    assert_eq!(tti.attrs["issuer_url"], r("user_pools.blog", "issuer_url"));
    assert!(tti.depends_on.contains(&addr("user_pools.blog")));

    let grant = &d.resources[&addr("identity_center.applications.demo.grants.jwt_bearer")];
    assert_eq!(
        grant.attrs["grant_type"],
        Value::str("urn:ietf:params:oauth:grant-type:jwt-bearer")
    );
    let issuers = grant.attrs["grant"].as_map().unwrap()["authorized_token_issuers"]
        .as_list()
        .unwrap();
    let first = issuers[0].as_map().unwrap();
    assert_eq!(
        first["trusted_token_issuer_arn"],
        r("identity_center.trusted_token_issuers.cognito", "arn")
    );
    assert_eq!(
        first["authorized_audiences"],
        Value::List(vec![r("user_pools.blog.clients.tti", "id")])
    );
    for dep in [
        "identity_center.applications.demo",
        "identity_center.trusted_token_issuers.cognito",
        "user_pools.blog.clients.tti",
    ] {
        assert!(grant.depends_on.contains(&addr(dep)), "{dep}");
    }
    let scopes: Vec<_> = d
        .resources
        .values()
        .filter(|r| r.kind == Kind::ApplicationAccessScope)
        .collect();
    assert_eq!(scopes.len(), 5);
    let scope = Address::parse("identity_center.applications.demo")
        .unwrap()
        .child(["access_scopes", "qbusiness:messages:access"]);
    assert_eq!(
        d.resources[&scope].attrs["scope"],
        Value::str("qbusiness:messages:access")
    );

    let method =
        &d.resources[&addr("identity_center.applications.demo.authentication_methods.iam")];
    let policy = method.attrs["actor_policy"].as_map().unwrap();
    assert_eq!(policy["Version"], Value::str("2012-10-17"));
    let config = &d.resources[&addr("identity_center.applications.demo.assignment_configuration")];
    assert_eq!(config.attrs["assignment_required"], Value::Bool(false));

    let saml = &d.resources[&addr("identity_center.applications.saml")];
    assert_eq!(saml.mode, Mode::Referenced);
    assert!(
        saml.pinned_id
            .as_deref()
            .unwrap()
            .starts_with("arn:aws:sso::")
    );
}

#[test]
fn vars_override_defaults() {
    let mut opts = LoadOptions::default();
    opts.vars
        .insert("domain_prefix".into(), "other-prefix".into());
    let loaded = load(&[example("seed-000-cognito-tti")], &opts);
    let d = loaded.desired.unwrap();
    assert_eq!(
        d.resources[&addr("user_pools.blog.domain")].attrs["domain"],
        Value::str("other-prefix")
    );
}

#[test]
fn seed_001_identity_pool_references_the_pool_and_its_client() {
    let d = load_clean("seed-001-identity-pool").desired.unwrap();
    assert_eq!(d.identity_center, InstanceSelector::None);
    let ip = &d.resources[&addr("identity_pools.s3")];
    assert_eq!(ip.kind, Kind::IdentityPool);
    assert_eq!(
        ip.attrs["allow_unauthenticated_identities"],
        Value::Bool(false)
    );
    let provider = ip.attrs["cognito_identity_providers"].as_list().unwrap()[0]
        .as_map()
        .unwrap()
        .clone();
    assert_eq!(
        provider["provider_name"],
        r("user_pools.readers", "provider_name")
    );
    assert_eq!(
        provider["client_id"],
        r("user_pools.readers.clients.cli", "id")
    );
    assert_eq!(
        ip.attrs["roles"].as_map().unwrap()["authenticated"],
        Value::str("arn:aws:iam::123456789012:role/identitypools3access")
    );
    assert!(
        ip.depends_on
            .contains(&addr("user_pools.readers.clients.cli"))
    );
    let client = &d.resources[&addr("user_pools.readers.clients.cli")];
    assert_eq!(
        client.attrs["refresh_token_validity"],
        Value::Int(30 * 86_400)
    );
    assert_eq!(client.attrs["access_token_validity"], Value::Int(3_600));
}

#[test]
fn seed_002_reads_the_metadata_file_and_maps_attributes() {
    let d = load_clean("seed-002-shibboleth-saml").desired.unwrap();
    let idp = &d.resources[&addr("user_pools.campus.identity_providers.CampusIdP")];
    let details = idp.attrs["provider_details"].as_map().unwrap();
    assert!(
        details["MetadataFile"]
            .as_str()
            .unwrap()
            .contains("EntityDescriptor")
    );
    assert_eq!(details["IDPSignout"], Value::str("true"));
    assert_eq!(details["EncryptedResponses"], Value::str("false"));
    assert_eq!(details["RequestSigningAlgorithm"], Value::str("rsa-sha256"));
    assert_eq!(
        idp.attrs["idp_identifiers"],
        Value::List(vec!["campus.example.edu".into()])
    );
    let pool = &d.resources[&addr("user_pools.campus")];
    let schema = pool.attrs["schema"].as_map().unwrap();
    let aff = schema["custom:affiliation"].as_map().unwrap();
    assert_eq!(
        aff["string_constraints"].as_map().unwrap()["max_length"],
        Value::Int(64)
    );
    let client = &d.resources[&addr("user_pools.campus.clients.portal")];
    assert_eq!(
        client.attrs["prevent_user_existence_errors"],
        Value::str("ENABLED")
    );
}

#[test]
fn two_idps_take_the_oidc_secret_from_the_environment() {
    // Not resolving secrets (validate): an unset variable is a warning and a placeholder.
    let loaded = load(&[example("two-idps-two-apps")], &LoadOptions::default());
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let d = loaded.desired.unwrap();
    let okta = &d.resources[&addr("user_pools.partners.identity_providers.Okta")];
    let details = okta.attrs["provider_details"].as_map().unwrap();
    match &details["client_secret"] {
        Value::Secret(s) => assert_eq!(s.source(), "env:OKTA_CLIENT_SECRET"),
        other => panic!("expected a secret, got {other}"),
    }
    assert_eq!(
        details["authorize_scopes"],
        Value::str("openid email profile")
    );
    let web = &d.resources[&addr("user_pools.partners.clients.web")];
    for dep in [
        "user_pools.partners.identity_providers.Corporate",
        "user_pools.partners.identity_providers.Okta",
        "user_pools.partners.resource_servers.orders",
    ] {
        assert!(web.depends_on.contains(&addr(dep)), "{dep}");
    }
    assert_eq!(web.attrs["auth_session_validity"], Value::Int(5));
    let admin = &d.resources[&addr("user_pools.partners.clients.admin")];
    assert!(
        !admin
            .depends_on
            .contains(&addr("user_pools.partners.identity_providers.Okta"))
    );
}

#[test]
fn resolving_secrets_makes_an_unset_one_an_error() {
    let opts = LoadOptions {
        resolve_secrets: true,
        ..LoadOptions::default()
    };
    // The variable name is specific to this example; the test environment never sets it.
    assert!(std::env::var("OKTA_CLIENT_SECRET").is_err());
    let loaded = load(&[example("two-idps-two-apps")], &opts);
    assert!(loaded.desired.is_none());
    assert!(
        loaded.diagnostics.iter().any(|d| d.code == "E015"),
        "{:?}",
        loaded.diagnostics
    );
}

#[test]
fn a_directory_loads_its_yaml_files() {
    let dir = example("seed-001-identity-pool")
        .parent()
        .unwrap()
        .to_path_buf();
    let loaded = load(&[dir], &LoadOptions::default());
    assert!(loaded.desired.is_some(), "{:?}", loaded.diagnostics);
}

#[test]
fn every_example_starts_with_the_schema_line_and_validates() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let stack = entry.unwrap().path().join("stack.yaml");
        if !stack.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&stack).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../specs/idplane.schema.json\n"),
            "{}",
            stack.display()
        );
        let loaded = load(std::slice::from_ref(&stack), &LoadOptions::default());
        assert!(
            !loaded.has_errors(),
            "{}: {:?}",
            stack.display(),
            loaded.diagnostics
        );
        n += 1;
    }
    assert!(n >= 4, "only {n} examples");
}

#[test]
fn the_same_file_given_twice_loads_once() {
    let p = example("seed-001-identity-pool");
    let loaded = load(&[p.clone(), p], &LoadOptions::default());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
}
