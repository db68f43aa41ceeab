//! Every command of the binary against the local AWS emulator, one isolated account per test:
//! plan / apply / drift and their exit codes, the confirmation prompt, saved-plan staleness,
//! `--target`, export round trip, sp-metadata, and no secret in any output.

use crate::offline::tempdir;
use crate::support::{Env, Run, filters};
use idplane_testkit::{Account, Emulator};

pub(crate) const SEED_000: &str = "examples/seed-000-cognito-tti/stack.yaml";
const TWO_IDPS: &str = "examples/two-idps-two-apps/stack.yaml";
/// The region of the two-IdP example.
const TWO_IDPS_REGION: &str = "eu-west-1";
/// The OIDC client secret the two-IdP example reads from `OKTA_CLIENT_SECRET`.
const OKTA_SECRET: &str = "s3cr3t-do-not-print-7f1c";

pub(crate) struct Ctx {
    pub(crate) account: Account,
    pub(crate) env: Env,
    /// `--var saml_application_arn=...`: the console-made SAML application seed 000 references.
    pub(crate) seed_vars: Vec<String>,
}

impl Ctx {
    pub(crate) fn new() -> Ctx {
        let account = Emulator::shared().account();
        let key = account.credentials().access_key_id().to_string();
        let env = Env::aws(&account.endpoint(), &key).with("OKTA_CLIENT_SECRET", OKTA_SECRET);
        let mut ctx = Ctx {
            account,
            env,
            seed_vars: vec![],
        };
        let arn = ctx.make_saml_application_stand_in();
        ctx.seed_vars = vec!["--var".into(), format!("saml_application_arn={arn}")];
        ctx.account.proxy().reset_counts();
        ctx
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.env.run(args)
    }

    /// Runs `idplane CMD SEED_000 --var ... REST`.
    fn seed(&self, cmd: &str, rest: &[&str]) -> Run {
        let mut args = vec![cmd, SEED_000];
        args.extend(self.seed_vars.iter().map(String::as_str));
        args.extend_from_slice(rest);
        self.env.run(&args)
    }

    /// The API cannot create SAML applications; a custom one stands in for the console-made one.
    fn make_saml_application_stand_in(&self) -> String {
        let config = self.block_on(self.account.sdk_config());
        let sso = aws_sdk_ssoadmin::Client::new(&config);
        self.block_on(async {
            let instances = sso.list_instances().send().await.expect("ListInstances");
            let instance = instances.instances()[0].instance_arn().unwrap().to_string();
            sso.create_application()
                .instance_arn(instance)
                .application_provider_arn("arn:aws:sso::aws:applicationProvider/custom")
                .name("DemoSAMLApplication")
                .send()
                .await
                .expect("CreateApplication")
                .application_arn()
                .unwrap()
                .to_string()
        })
    }

    /// The AWS SDK client for hand changes ("a colleague in the console").
    pub(crate) fn cognito(&self, region: &str) -> aws_sdk_cognitoidentityprovider::Client {
        let config = self.block_on(self.account.sdk_config());
        let config = aws_sdk_cognitoidentityprovider::config::Builder::from(&config)
            .region(aws_sdk_cognitoidentityprovider::config::Region::new(
                region.to_string(),
            ))
            .build();
        aws_sdk_cognitoidentityprovider::Client::from_conf(config)
    }

    pub(crate) fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    /// The id of the only user pool of the account in `region`.
    fn pool_id(&self, region: &str) -> String {
        let client = self.cognito(region);
        let pools = self
            .block_on(client.list_user_pools().max_results(60).send())
            .expect("ListUserPools");
        let pools = pools.user_pools();
        assert_eq!(pools.len(), 1, "one pool: {pools:?}");
        pools[0].id().unwrap().to_string()
    }

    /// Adds a group to a pool by hand (an unmanaged object inside a managed pool).
    fn add_group_by_hand(&self, pool_id: &str) {
        let region = pool_id.split('_').next().unwrap();
        let client = self.cognito(region);
        self.block_on(
            client
                .create_group()
                .user_pool_id(pool_id)
                .group_name("added-in-console")
                .send(),
        )
        .expect("CreateGroup");
    }
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    // First: a certificate's base64 text could hold what the other filters look for.
    s.add_filter(
        r"<ds:X509Certificate>[^<]*</ds:X509Certificate>",
        "<ds:X509Certificate>[CERTIFICATE]</ds:X509Certificate>",
    );
    for (re, with) in filters() {
        s.add_filter(re, with);
    }
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn plan_apply_drift_and_repair() {
    let ctx = Ctx::new();
    let plan = ctx.seed("plan", &["--detailed-exitcode"]).expect(2);
    assert!(plan.stdout.contains("user_pools.blog"), "{}", plan.stdout);
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("plan_seed_000_empty_account", plan.stdout));
    assert_eq!(
        ctx.account.proxy().calls("CreateUserPool"),
        0,
        "plan changes nothing"
    );

    // Without --detailed-exitcode, changes are not an error.
    ctx.seed("plan", &[]).expect(0);

    // No terminal and no --auto-approve: refused, nothing created.
    let refused = ctx
        .env
        .run_with_input(
            &["apply", SEED_000, &ctx.seed_vars[0], &ctx.seed_vars[1]],
            "yes\n",
        )
        .expect(1);
    assert!(
        refused.stderr.contains("--auto-approve"),
        "says how to proceed: {}",
        refused.stderr
    );
    assert_eq!(ctx.account.proxy().calls("CreateUserPool"), 0);

    let apply = ctx.seed("apply", &["--auto-approve"]).expect(0);
    assert!(apply.stdout.contains("Apply complete"), "{}", apply.stdout);
    assert!(
        apply
            .stdout
            .contains("issuer_url = https://cognito-idp.us-east-1.amazonaws.com/us-east-1_"),
        "outputs: {}",
        apply.stdout
    );
    assert_eq!(ctx.account.proxy().calls("CreateUserPool"), 1);

    ctx.seed("plan", &["--detailed-exitcode"]).expect(0);
    ctx.seed("drift", &[]).expect(0);

    // A colleague adds a group to the managed pool by hand.
    let pool = ctx.pool_id("us-east-1");
    ctx.add_group_by_hand(&pool);
    let drift = ctx.seed("drift", &[]).expect(2);
    assert!(
        drift.stdout.contains("added-in-console"),
        "{}",
        drift.stdout
    );
    let json = ctx.seed("drift", &["--format", "json"]).expect(2);
    let _: serde_json::Value = serde_json::from_str(&json.stdout).expect("drift JSON parses");
    let md = ctx.seed("drift", &["--format", "markdown"]).expect(2);
    assert!(md.stdout.contains("added-in-console"));

    ctx.seed("apply", &["--auto-approve"]).expect(0);
    ctx.seed("drift", &[]).expect(0);
    assert_eq!(
        ctx.account.proxy().calls("CreateUserPool"),
        1,
        "no duplicate pool"
    );
}

#[test]
fn plan_formats_and_target() {
    let ctx = Ctx::new();
    let json = ctx.seed("plan", &["--format", "json"]).expect(0);
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).expect("plan JSON parses");
    assert!(plan.get("format_version").is_some(), "{}", json.stdout);
    let md = ctx.seed("plan", &["--format", "markdown"]).expect(0);
    assert!(md.stdout.contains("<details>"), "{}", md.stdout);

    let out = tempdir().join("targeted.json");
    ctx.seed(
        "plan",
        &[
            "--target",
            "user_pools.blog.clients.tti",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .expect(0);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let addresses: Vec<String> = saved["plan"]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["address"].as_str().unwrap().to_string())
        .collect();
    assert!(addresses.contains(&"user_pools.blog.clients.tti".to_string()));
    assert!(
        addresses.contains(&"user_pools.blog".to_string()),
        "and what it depends on"
    );
    assert!(
        addresses.iter().all(|a| !a.starts_with("identity_center")),
        "nothing else: {addresses:?}"
    );

    let bad = ctx.seed("plan", &["--target", "a..b"]).expect(1);
    assert!(bad.stderr.contains("--target"), "{}", bad.stderr);
}

#[test]
fn saved_plans_apply_when_current_and_are_refused_when_stale() {
    let ctx = Ctx::new();
    let dir = tempdir();
    let first = dir.join("first.json");
    ctx.run(&["plan", TWO_IDPS, "--out", first.to_str().unwrap()])
        .expect(0);
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(!text.contains(OKTA_SECRET), "no secret in a saved plan");
    let digest = idplane_model::secret::digest_of(OKTA_SECRET);
    let hex = digest.trim_start_matches("sha256:");
    assert!(
        !text.contains(hex),
        "no digest of a secret either: guesses could be tested against it"
    );
    assert!(
        text.contains("env:OKTA_CLIENT_SECRET"),
        "its source is kept"
    );
    let apply = ctx
        .run(&["apply", "--plan", first.to_str().unwrap(), "--auto-approve"])
        .expect(0);
    assert!(apply.stdout.contains("Apply complete"), "{}", apply.stdout);
    ctx.run(&["plan", TWO_IDPS, "--detailed-exitcode"])
        .expect(0);

    // A plan made now, then live state moves: the saved plan is stale.
    let second = dir.join("second.json");
    ctx.run(&["plan", TWO_IDPS, "--out", second.to_str().unwrap()])
        .expect(0);
    let pool = ctx.pool_id(TWO_IDPS_REGION);
    ctx.add_group_by_hand(&pool);
    let stale = ctx
        .run(&[
            "apply",
            "--plan",
            second.to_str().unwrap(),
            "--auto-approve",
        ])
        .expect(1);
    assert!(stale.stderr.contains("stale"), "{}", stale.stderr);
    assert!(
        stale.stderr.contains("added-in-console"),
        "{}",
        stale.stderr
    );

    // The first plan planned creates; live has them now.
    let stale = ctx
        .run(&["apply", "--plan", first.to_str().unwrap(), "--auto-approve"])
        .expect(1);
    assert!(stale.stderr.contains("stale"), "{}", stale.stderr);
    assert_eq!(
        ctx.account.proxy().calls("CreateUserPool"),
        1,
        "no duplicate pool"
    );

    // A changed spec makes a saved plan stale too.
    let spec = dir.join("stack.yaml");
    std::fs::copy(crate::support::root().join(TWO_IDPS), &spec).unwrap();
    let third = dir.join("third.json");
    ctx.run(&[
        "plan",
        spec.to_str().unwrap(),
        "--out",
        third.to_str().unwrap(),
    ])
    .expect(0);
    let edited = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("precedence: 1", "precedence: 2");
    std::fs::write(&spec, edited).unwrap();
    let stale = ctx
        .run(&["apply", "--plan", third.to_str().unwrap(), "--auto-approve"])
        .expect(1);
    assert!(stale.stderr.contains("spec"), "{}", stale.stderr);
}

#[test]
fn a_secret_changed_after_the_plan_makes_the_saved_plan_stale() {
    let ctx = Ctx::new();
    ctx.run(&["apply", TWO_IDPS, "--auto-approve"]).expect(0);
    let saved = tempdir().join("plan.json");
    // Nothing to change; then the secret is rotated in the environment before apply.
    ctx.run(&["plan", TWO_IDPS, "--out", saved.to_str().unwrap()])
        .expect(0);
    let rotated = ctx
        .env
        .clone()
        .with("OKTA_CLIENT_SECRET", "rotated-secret-4c1a");
    let run = rotated
        .run(&["apply", "--plan", saved.to_str().unwrap(), "--auto-approve"])
        .expect(1);
    assert!(run.stderr.contains("stale"), "{}", run.stderr);
    assert!(!run.all().contains("rotated-secret-4c1a"));
    // With the secret the plan was made with, it applies (nothing to do).
    ctx.run(&["apply", "--plan", saved.to_str().unwrap(), "--auto-approve"])
        .expect(0);
}

#[test]
fn an_invalid_spec_makes_no_aws_call() {
    let ctx = Ctx::new();
    let dir = tempdir();
    let file = dir.join("bad.yaml");
    std::fs::write(
        &file,
        "version: 1\nstack: bad\nregion: us-east-1\nuser_pools:\n  p:\n    name: P\n    nmae: typo\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    for args in [
        vec!["plan", path],
        vec!["apply", path, "--auto-approve"],
        vec!["drift", path],
    ] {
        let cmd = args[0];
        let run = ctx.run(&args);
        assert_eq!(run.code, 1, "{cmd}: {}", run.stderr);
        assert!(run.stderr.contains("bad.yaml:7:5"), "{cmd}: {}", run.stderr);
    }
    assert_eq!(ctx.account.proxy().total_calls(), 0, "no AWS call at all");
}

#[test]
fn unreachable_endpoint_is_an_error() {
    let env = Env::aws("http://127.0.0.1:9", "test");
    let run = env.run(&["plan", SEED_000, "--detailed-exitcode"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error"), "{}", run.stderr);
}

#[test]
fn sp_metadata_by_address_and_by_pool_id() {
    let ctx = Ctx::new();
    ctx.run(&["apply", TWO_IDPS, "--auto-approve"]).expect(0);
    let pool = ctx.pool_id(TWO_IDPS_REGION);
    let by_address = ctx
        .run(&["sp-metadata", "user_pools.partners", "--spec", TWO_IDPS])
        .expect(0);
    assert!(
        by_address
            .stdout
            .contains(&format!("entityID=\"urn:amazon:cognito:sp:{pool}\"")),
        "{}",
        by_address.stdout
    );
    assert!(by_address.stdout.contains(
        "Location=\"https://partners-login.auth.eu-west-1.amazoncognito.com/saml2/idpresponse\""
    ));
    assert!(by_address.stdout.contains("/saml2/logout"));
    // The SAML IdP has IdP sign-out on: the pool's signing certificate is announced.
    let client = ctx.cognito(TWO_IDPS_REGION);
    let cert = ctx
        .block_on(client.get_signing_certificate().user_pool_id(&pool).send())
        .expect("GetSigningCertificate")
        .certificate()
        .expect("a certificate")
        .to_string();
    let announced = by_address
        .stdout
        .split_once("<md:KeyDescriptor use=\"signing\">")
        .and_then(|(_, rest)| rest.split_once("<ds:X509Certificate>"))
        .and_then(|(_, rest)| rest.split_once("</ds:X509Certificate>"))
        .map(|(body, _)| body.split_whitespace().collect::<String>());
    assert_eq!(
        announced.as_deref(),
        Some(cert.as_str()),
        "the pool's signing certificate in the metadata: {}",
        by_address.stdout
    );
    // By live pool id: the region comes from the id.
    let by_id = ctx.run(&["sp-metadata", &pool]).expect(0);
    assert_eq!(by_id.stdout, by_address.stdout);
    snapshot_settings().bind(|| insta::assert_snapshot!("sp_metadata_two_idps", by_id.stdout));

    // Sign-out turned off (by hand): no signing certificate, and none asked for.
    ctx.block_on(
        client
            .update_identity_provider()
            .user_pool_id(&pool)
            .provider_name("Corporate")
            .provider_details("IDPSignout", "false")
            .provider_details("MetadataURL", "https://idp.corp.example.com/metadata.xml")
            .send(),
    )
    .expect("UpdateIdentityProvider");
    ctx.account.proxy().reset_counts();
    let no_signout = ctx.run(&["sp-metadata", &pool]).expect(0);
    assert!(
        !no_signout.stdout.contains("KeyDescriptor") && !no_signout.stdout.contains(&cert),
        "no signing certificate without sign-out: {}",
        no_signout.stdout
    );
    assert!(no_signout.stdout.contains("/saml2/idpresponse"));
    assert_eq!(
        ctx.account.proxy().calls("GetSigningCertificate"),
        0,
        "no GetSigningCertificate call without sign-out"
    );

    let missing = ctx
        .run(&["sp-metadata", "eu-west-1_DoesNotExist"])
        .expect(1);
    assert!(
        missing.stderr.contains("eu-west-1_DoesNotExist"),
        "{}",
        missing.stderr
    );
    let not_in_spec = ctx
        .run(&["sp-metadata", "user_pools.nope", "--spec", TWO_IDPS])
        .expect(1);
    assert!(
        not_in_spec.stderr.contains("user_pools.nope"),
        "{}",
        not_in_spec.stderr
    );
}

/// The round trip of an export: the first plan only adopts (the objects carry another stack's
/// ownership tags, or none), one apply takes them over, then the plan is empty.
fn adopt_then_empty(env: &crate::support::Env, spec: &str) {
    let plan = env.run(&["plan", spec, "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "adoptions: {}\n{}", plan.stdout, plan.stderr);
    assert!(
        plan.stdout
            .contains("Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, "),
        "only adoptions:\n{}",
        plan.stdout
    );
    env.run(&["apply", spec, "--auto-approve"]).expect(0);
    let plan = env.run(&["plan", spec, "--detailed-exitcode"]);
    assert_eq!(plan.code, 0, "round trip: {}\n{}", plan.stdout, plan.stderr);
}

#[test]
fn export_round_trip_plans_no_change() {
    let ctx = Ctx::new();
    ctx.run(&["apply", TWO_IDPS, "--auto-approve"]).expect(0);
    let pool = ctx.pool_id(TWO_IDPS_REGION);
    let out = tempdir().join("exported.yaml");
    let export = ctx
        .run(&[
            "export",
            "--user-pool",
            &pool,
            "--stack",
            "exported",
            "--out",
            out.to_str().unwrap(),
        ])
        .expect(0);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("name: Partners"), "{text}");
    assert!(!text.contains(OKTA_SECRET), "no secret exported");
    assert!(
        export.stderr.contains("IDPLANE_SECRET_PARTNERS_OKTA"),
        "says which secret to set: {}",
        export.stderr
    );
    let env = ctx
        .env
        .clone()
        .with("IDPLANE_SECRET_PARTNERS_OKTA", OKTA_SECRET);
    env.run(&["validate", out.to_str().unwrap()]).expect(0);
    adopt_then_empty(&env, out.to_str().unwrap());
}

#[test]
fn export_with_no_selection_takes_every_pool_of_the_region() {
    let ctx = Ctx::new();
    ctx.run(&["apply", TWO_IDPS, "--auto-approve"]).expect(0);
    let managed = ctx.pool_id(TWO_IDPS_REGION);
    // A pool made in the console: no idplane tag at all.
    let client = ctx.cognito(TWO_IDPS_REGION);
    let by_hand = ctx
        .block_on(client.create_user_pool().pool_name("MadeByHand").send())
        .expect("CreateUserPool")
        .user_pool()
        .and_then(|p| p.id())
        .expect("pool id")
        .to_string();
    let out = tempdir().join("everything.yaml");
    ctx.run(&[
        "export",
        "--region",
        TWO_IDPS_REGION,
        "--stack",
        "everything",
        "--out",
        out.to_str().unwrap(),
    ])
    .expect(0);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("name: MadeByHand"), "untagged pool: {text}");
    assert!(text.contains("name: Partners"), "managed pool: {text}");
    assert!(text.contains(&by_hand) && text.contains(&managed), "{text}");
    assert!(!text.contains(OKTA_SECRET), "no secret exported");
    let env = ctx
        .env
        .clone()
        .with("IDPLANE_SECRET_PARTNERS_OKTA", OKTA_SECRET);
    env.run(&["validate", out.to_str().unwrap()]).expect(0);
    adopt_then_empty(&env, out.to_str().unwrap());
}

#[test]
fn no_secret_in_any_output() {
    let ctx = Ctx::new();
    let dir = tempdir();
    let saved = dir.join("plan.json");
    let mut outputs = Vec::new();
    for args in [
        vec!["validate", TWO_IDPS],
        vec!["plan", TWO_IDPS, "-vv"],
        vec!["plan", TWO_IDPS, "--format", "json"],
        vec!["plan", TWO_IDPS, "--format", "markdown"],
        vec!["plan", TWO_IDPS, "--out", saved.to_str().unwrap()],
        vec!["apply", TWO_IDPS, "--auto-approve", "-vv"],
        vec!["drift", TWO_IDPS, "--format", "json"],
        vec!["drift", TWO_IDPS, "-vv"],
        vec!["plan", TWO_IDPS, "--detailed-exitcode"],
    ] {
        let run = ctx.run(&args);
        assert_ne!(run.code, 1, "{args:?}: {}", run.stderr);
        outputs.push((args.join(" "), run.all()));
    }
    // Every log level and filter: the SDK's wire-level records (response bodies, decoded
    // outputs) would carry the IdP's client secret.
    for filter in [
        "trace",
        "aws_smithy_runtime=trace,aws_sdk_cognitoidentityprovider=trace",
    ] {
        let env = ctx.env.clone().with("RUST_LOG", filter);
        for args in [
            vec!["plan", TWO_IDPS, "-vv"],
            vec!["drift", TWO_IDPS],
            vec!["export", "--stack", "canary"],
        ] {
            let run = env.run(&args);
            assert_ne!(run.code, 1, "{args:?}: {}", run.stderr);
            assert!(
                run.stderr.contains("DEBUG"),
                "{filter} logs the SDK's records"
            );
            outputs.push((format!("RUST_LOG={filter} {}", args.join(" ")), run.all()));
        }
    }
    // A secret changed in the spec is sent in an update: its request must not be logged either.
    let env = ctx
        .env
        .clone()
        .with("RUST_LOG", "trace")
        .with("OKTA_CLIENT_SECRET", "changed-secret-canary-9d2e");
    let run = env.run(&["apply", TWO_IDPS, "--auto-approve"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.all().contains("changed-secret-canary-9d2e"),
        "a trace-level apply printed the new secret"
    );
    outputs.push((
        "saved plan".into(),
        std::fs::read_to_string(&saved).unwrap(),
    ));
    for (what, text) in outputs {
        assert!(!text.contains(OKTA_SECRET), "{what} printed the secret");
    }
}

#[test]
fn drift_catches_a_hand_change_and_apply_repairs_it() {
    let ctx = Ctx::new();
    ctx.run(&["apply", TWO_IDPS, "--auto-approve"]).expect(0);
    ctx.run(&["drift", TWO_IDPS]).expect(0);
    let pool = ctx.pool_id(TWO_IDPS_REGION);

    // A colleague changes a group's precedence in the console and adds another group.
    let cognito = ctx.cognito(TWO_IDPS_REGION);
    ctx.block_on(
        cognito
            .update_group()
            .user_pool_id(&pool)
            .group_name("admins")
            .description("Partner administrators")
            .precedence(7)
            .role_arn("arn:aws:iam::123456789012:role/partners-admin")
            .send(),
    )
    .expect("UpdateGroup");
    ctx.add_group_by_hand(&pool);

    let drift = ctx.run(&["drift", TWO_IDPS]).expect(2);
    assert!(
        drift.stdout.contains("user_pools.partners.groups.admins"),
        "{}",
        drift.stdout
    );
    assert!(drift.stdout.contains("precedence"), "{}", drift.stdout);
    assert!(
        drift.stdout.contains("added-in-console"),
        "{}",
        drift.stdout
    );
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("drift_two_idps_hand_change", drift.stdout));
    let json = ctx.run(&["drift", TWO_IDPS, "--format", "json"]).expect(2);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("drift JSON");
    assert!(report.is_object(), "{report}");
    let md = ctx
        .run(&["drift", TWO_IDPS, "--format", "markdown"])
        .expect(2);
    assert!(md.stdout.contains("added-in-console"), "{}", md.stdout);

    let plan = ctx
        .run(&["plan", TWO_IDPS, "--detailed-exitcode"])
        .expect(2);
    assert!(
        plan.stdout
            .contains("Plan: 0 to add, 1 to change, 0 to replace, 1 to destroy."),
        "{}",
        plan.stdout
    );
    ctx.run(&["apply", TWO_IDPS, "--auto-approve"]).expect(0);
    ctx.run(&["drift", TWO_IDPS]).expect(0);
    let group = ctx
        .block_on(
            cognito
                .get_group()
                .user_pool_id(&pool)
                .group_name("admins")
                .send(),
        )
        .expect("GetGroup");
    assert_eq!(group.group().unwrap().precedence(), Some(1), "repaired");
}

#[test]
fn apply_shows_the_wait_for_a_new_domain() {
    let ctx = Ctx::new();
    let applied = ctx.run(&["apply", TWO_IDPS, "--auto-approve"]).expect(0);
    let waiting: Vec<&str> = applied
        .stderr
        .lines()
        .filter(|l| l.contains(".domain: waiting for `") && l.contains("AWS reports CREATING"))
        .collect();
    assert!(!waiting.is_empty(), "{}", applied.stderr);
    let done = applied
        .stderr
        .lines()
        .position(|l| l.ends_with(".domain: created"))
        .unwrap_or_else(|| panic!("{}", applied.stderr));
    let first_wait = applied
        .stderr
        .lines()
        .position(|l| l.contains(".domain: waiting for `"))
        .unwrap();
    assert!(
        first_wait < done,
        "waits before it says created: {}",
        applied.stderr
    );
}

#[test]
fn a_plan_replacing_a_user_pool_is_refused() {
    let ctx = Ctx::new();
    ctx.run(&["apply", TWO_IDPS, "--auto-approve"]).expect(0);
    let dir = tempdir();
    let spec = dir.join("stack.yaml");
    let text = std::fs::read_to_string(crate::support::root().join(TWO_IDPS))
        .unwrap()
        .replace("case_sensitive: false", "case_sensitive: true");
    std::fs::write(&spec, text).unwrap();
    let refused = ctx
        .run(&["plan", spec.to_str().unwrap(), "--detailed-exitcode"])
        .expect(1);
    assert!(refused.stderr.contains("refused"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("user_pools.partners"),
        "{}",
        refused.stderr
    );
    let refused = ctx
        .run(&[
            "apply",
            spec.to_str().unwrap(),
            "--auto-approve",
            "--allow-replace-user-pools",
        ])
        .expect(1);
    assert!(
        refused.stderr.contains("deletion_protection")
            || refused.stderr.contains("deletion protection"),
        "deletion protection still blocks it: {}",
        refused.stderr
    );
    assert_eq!(
        ctx.account.proxy().calls("CreateUserPool"),
        1,
        "nothing replaced"
    );
}

/// Runs `idplane ARGS` on a pseudo-terminal (util-linux `script`) with `answer` typed in.
fn on_terminal(ctx: &Ctx, args: &[&str], answer: &str) -> Run {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let line = std::iter::once(env!("CARGO_BIN_EXE_idplane"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .current_dir(crate::support::root())
        .env("AWS_CONFIG_FILE", "/nonexistent/idplane-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/idplane-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &ctx.env.vars {
        cmd.env(k, v);
    }
    let mut child = cmd
        .spawn()
        .expect("util-linux `script` runs (it gives the prompt test a terminal)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answer.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn the_confirmation_prompt_on_a_terminal() {
    let ctx = Ctx::new();
    let no = on_terminal(&ctx, &["apply", TWO_IDPS], "no\n");
    assert_eq!(no.code, 1, "{}", no.stdout);
    assert!(
        no.stdout.contains("Only `yes` is accepted"),
        "{}",
        no.stdout
    );
    assert!(no.stdout.contains("Apply cancelled"), "{}", no.stdout);
    assert_eq!(
        ctx.account.proxy().calls("CreateUserPool"),
        0,
        "nothing applied"
    );

    let yes = on_terminal(&ctx, &["apply", TWO_IDPS], "yes\n");
    assert_eq!(yes.code, 0, "{}", yes.stdout);
    assert!(
        yes.stdout.contains("changes done"),
        "progress line: {}",
        yes.stdout
    );
    assert!(
        yes.stdout.contains("(waiting for `"),
        "the progress line shows the wait for the domain: {}",
        yes.stdout
    );
    assert!(yes.stdout.contains("Apply complete"), "{}", yes.stdout);
    assert_eq!(ctx.account.proxy().calls("CreateUserPool"), 1);
    assert!(!yes.stdout.contains(OKTA_SECRET));
}

/// Builds, with plain SDK calls, what seed 000's own CLI script builds (Steps 1 and 2): the pool,
/// its domain and client, the trusted token issuer, and the application with its assignment
/// configuration, jwt-bearer grant, five access scopes and IAM authentication method.
/// Returns the pool id.
pub(crate) fn build_seed_000_estate(ctx: &Ctx) -> String {
    use aws_sdk_cognitoidentityprovider::types as c;
    use aws_sdk_ssoadmin::types as s;
    let config = ctx.block_on(ctx.account.sdk_config());
    let cip = aws_sdk_cognitoidentityprovider::Client::new(&config);
    let sso = aws_sdk_ssoadmin::Client::new(&config);
    ctx.block_on(async {
        let pool = cip
            .create_user_pool()
            .pool_name("BlogTrustedTokenIssuer")
            .alias_attributes(c::AliasAttributeType::Email)
            .schema(
                c::SchemaAttributeType::builder()
                    .name("email")
                    .required(true)
                    .mutable(true)
                    .attribute_data_type(c::AttributeDataType::String)
                    .build(),
            )
            .admin_create_user_config(
                c::AdminCreateUserConfigType::builder()
                    .allow_admin_create_user_only(true)
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .user_pool()
            .unwrap()
            .id()
            .unwrap()
            .to_string();
        let prefix = format!(
            "demo-tti-{}",
            pool.rsplit('_').next().unwrap().to_ascii_lowercase()
        );
        cip.create_user_pool_domain()
            .domain(prefix)
            .user_pool_id(&pool)
            .send()
            .await
            .unwrap();
        let audience = cip
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("TTI")
            .explicit_auth_flows(c::ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .explicit_auth_flows(c::ExplicitAuthFlowsType::AllowUserSrpAuth)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email")
            .allowed_o_auth_scopes("profile")
            .allowed_o_auth_flows(c::OAuthFlowType::Code)
            .callback_urls("http://localhost:8080")
            .send()
            .await
            .unwrap()
            .user_pool_client()
            .unwrap()
            .client_id()
            .unwrap()
            .to_string();
        let instance = sso.list_instances().send().await.unwrap().instances()[0]
            .instance_arn()
            .unwrap()
            .to_string();
        let issuer = format!("https://cognito-idp.us-east-1.amazonaws.com/{pool}");
        let tti = sso
            .create_trusted_token_issuer()
            .name("cognito")
            .instance_arn(&instance)
            .trusted_token_issuer_type(s::TrustedTokenIssuerType::OidcJwt)
            .trusted_token_issuer_configuration(
                s::TrustedTokenIssuerConfiguration::OidcJwtConfiguration(
                    s::OidcJwtConfiguration::builder()
                        .issuer_url(issuer)
                        .claim_attribute_path("email")
                        .identity_store_attribute_path("emails.value")
                        .jwks_retrieval_option(s::JwksRetrievalOption::OpenIdDiscovery)
                        .build()
                        .unwrap(),
                ),
            )
            .send()
            .await
            .unwrap()
            .trusted_token_issuer_arn()
            .unwrap()
            .to_string();
        let app = sso
            .create_application()
            .instance_arn(&instance)
            .application_provider_arn("arn:aws:sso::aws:applicationProvider/custom")
            .name("DemoApplication")
            .send()
            .await
            .unwrap()
            .application_arn()
            .unwrap()
            .to_string();
        sso.put_application_assignment_configuration()
            .application_arn(&app)
            .assignment_required(false)
            .send()
            .await
            .unwrap();
        sso.put_application_grant()
            .application_arn(&app)
            .grant_type(s::GrantType::from(
                "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ))
            .grant(s::Grant::JwtBearer(
                s::JwtBearerGrant::builder()
                    .authorized_token_issuers(
                        s::AuthorizedTokenIssuer::builder()
                            .trusted_token_issuer_arn(&tti)
                            .authorized_audiences(&audience)
                            .build(),
                    )
                    .build(),
            ))
            .send()
            .await
            .unwrap();
        for scope in [
            "qbusiness:messages:access",
            "qbusiness:messages:read_write",
            "qbusiness:conversations:access",
            "qbusiness:conversations:read_write",
            "qbusiness:qapps:access",
        ] {
            sso.put_application_access_scope()
                .application_arn(&app)
                .scope(scope)
                .send()
                .await
                .unwrap();
        }
        use aws_smithy_types::Document as D;
        let statement = D::Object(
            [
                ("Effect", D::String("Allow".into())),
                (
                    "Principal",
                    D::Object([("AWS".to_string(), D::String("111122223333".into()))].into()),
                ),
                ("Action", D::String("sso-oauth:CreateTokenWithIAM".into())),
                ("Resource", D::String(app.clone())),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        );
        let policy = D::Object(
            [
                ("Version".to_string(), D::String("2012-10-17".into())),
                ("Statement".to_string(), D::Array(vec![statement])),
            ]
            .into(),
        );
        sso.put_application_authentication_method()
            .application_arn(&app)
            .authentication_method_type(s::AuthenticationMethodType::Iam)
            .authentication_method(s::AuthenticationMethod::Iam(
                s::IamAuthenticationMethod::builder()
                    .actor_policy(policy)
                    .build()
                    .unwrap(),
            ))
            .send()
            .await
            .unwrap();
        pool
    })
}

/// The AWS write operations the proxy saw (creates, updates, puts, tags, deletes).
pub(crate) fn writes(ctx: &Ctx) -> Vec<String> {
    ctx.account
        .proxy()
        .operations()
        .into_iter()
        .filter(|op| {
            [
                "Create", "Update", "Put", "Tag", "Untag", "Delete", "Set", "Add",
            ]
            .iter()
            .any(|w| op.rsplit('.').next().unwrap_or(op).starts_with(w))
        })
        .collect()
}

#[test]
fn export_of_the_seed_000_script_estate_adopts_once_then_plans_empty() {
    let ctx = Ctx::new();
    let pool = build_seed_000_estate(&ctx);
    // And the Identity Store user the token exchange maps to, in a group, made in the console.
    let config = ctx.block_on(ctx.account.sdk_config());
    let ids = aws_sdk_identitystore::Client::new(&config);
    let sso = aws_sdk_ssoadmin::Client::new(&config);
    ctx.block_on(async {
        let store = sso.list_instances().send().await.unwrap().instances()[0]
            .identity_store_id()
            .unwrap()
            .to_string();
        let user = ids
            .create_user()
            .identity_store_id(&store)
            .user_name("jane")
            .display_name("Jane Doe")
            .name(
                aws_sdk_identitystore::types::Name::builder()
                    .given_name("Jane")
                    .family_name("Doe")
                    .build(),
            )
            .emails(
                aws_sdk_identitystore::types::Email::builder()
                    .value("jane@example.com")
                    .primary(true)
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .user_id()
            .to_string();
        let group = ids
            .create_group()
            .identity_store_id(&store)
            .display_name("Analysts")
            .description("Q Business users")
            .send()
            .await
            .unwrap()
            .group_id()
            .to_string();
        ids.create_group_membership()
            .identity_store_id(&store)
            .group_id(group)
            .member_id(aws_sdk_identitystore::types::MemberId::UserId(user))
            .send()
            .await
            .unwrap();
    });
    let out = tempdir().join("adopted.yaml");
    ctx.run(&["export", "--stack", "seed", "--out", out.to_str().unwrap()])
        .expect(0);
    let text = std::fs::read_to_string(&out).unwrap();
    // Every child of the application, and references instead of literal ids (quoting aside).
    let text = text.replace(['"', '\''], "");
    for want in [
        "assignment_required: false",
        "jwt_bearer:",
        "issuer: ${identity_center.trusted_token_issuers.cognito.arn}",
        "${user_pools.blogtrustedtokenissuer.clients.tti.id}",
        "issuer_url: ${user_pools.blogtrustedtokenissuer.issuer_url}",
        "qbusiness:qapps:access",
        "- ${identity_center.applications.demoapplication.arn}",
        "email: jane@example.com",
        "description: Q Business users",
    ] {
        assert!(text.contains(want), "`{want}` in the export:\n{text}");
    }
    assert!(text.contains(&pool), "the pool is pinned by id: {text}");
    assert!(
        !text.contains("arn:aws:sso::"),
        "no literal application or issuer ARN: {text}"
    );
    ctx.run(&["validate", out.to_str().unwrap()]).expect(0);
    let plan = ctx
        .run(&["plan", out.to_str().unwrap(), "--detailed-exitcode"])
        .expect(2);
    assert!(
        plan.stdout
            .contains("Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, 4 to adopt."),
        "only adoptions (pool, issuer, two applications):\n{}",
        plan.stdout
    );
    ctx.account.proxy().reset_counts();
    ctx.run(&["apply", out.to_str().unwrap(), "--auto-approve"])
        .expect(0);
    let written = writes(&ctx);
    assert!(
        written.iter().all(|op| op.ends_with("TagResource")),
        "adopting writes tags only: {written:?}"
    );
    let plan = ctx.run(&["plan", out.to_str().unwrap(), "--detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{}\n{}", plan.stdout, plan.stderr);
    ctx.account.proxy().reset_counts();
    ctx.run(&["apply", out.to_str().unwrap(), "--auto-approve"])
        .expect(0);
    assert_eq!(
        writes(&ctx),
        Vec::<String>::new(),
        "a second apply writes nothing"
    );
}

#[test]
fn every_example_applied_then_exported_adopts_once_then_plans_empty() {
    for example in crate::support::examples() {
        let ctx = Ctx::new();
        let text = std::fs::read_to_string(crate::support::root().join(&example)).unwrap();
        let region = text
            .lines()
            .find_map(|l| l.strip_prefix("region: "))
            .expect("the example names its region")
            .trim()
            .to_string();
        let mut apply = vec!["apply", example.as_str(), "--auto-approve"];
        if example == SEED_000 {
            apply.extend(ctx.seed_vars.iter().map(String::as_str));
        }
        ctx.run(&apply).expect(0);
        let out = tempdir().join(format!("{}.yaml", example.replace('/', "_")));
        let export = ctx
            .run(&[
                "export",
                "--region",
                &region,
                "--stack",
                "exported",
                "--out",
                out.to_str().unwrap(),
            ])
            .expect(0);
        assert!(!std::fs::read_to_string(&out).unwrap().contains(OKTA_SECRET));
        // Secrets come back as references to set; give them the values the example used.
        let mut env = ctx.env.clone();
        for word in export
            .stderr
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        {
            if word.starts_with("IDPLANE_SECRET_") {
                env = env.with(word, OKTA_SECRET);
            }
        }
        env.run(&["validate", out.to_str().unwrap()]).expect(0);
        adopt_then_empty(&env, out.to_str().unwrap());
    }
}

#[test]
fn verbose_apply_shows_calls_per_quota_category_and_max_rps_is_accepted() {
    let ctx = Ctx::new();
    let run = ctx.seed("apply", &["--auto-approve", "-v", "--max-rps", "40"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for category in ["UserPoolUpdate", "UserPoolClientUpdate", "sso-admin"] {
        assert!(
            run.stderr.contains("AWS calls per quota category") && run.stderr.contains(category),
            "no pacing line for {category}:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("waiting_for_pacing_ms"),
        "{}",
        run.stderr
    );
    let bad = ctx.seed("plan", &["--max-rps", "0"]);
    assert_eq!(bad.code, 1, "bad arguments: {}", bad.stderr);
    assert!(bad.stderr.contains("--max-rps"), "{}", bad.stderr);
}

/// `--quota`: a category paced to the account's own rate (raised, or a share), shown by `-v`
/// beside the documented rates of the others; a bad one is refused before any AWS call.
#[test]
fn quota_sets_a_categorys_rate_and_verbose_apply_shows_it() {
    let ctx = Ctx::new();
    let run = ctx.seed(
        "apply",
        &[
            "--auto-approve",
            "-v",
            "--quota",
            "sso-admin=50,UserPoolUpdate=4",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = |category: &str| {
        run.stderr
            .lines()
            .find(|l| {
                l.contains("AWS calls per quota category")
                    && l.contains(&format!("category=\"{category}\""))
            })
            .unwrap_or_else(|| panic!("no pacing line for {category}:\n{}", run.stderr))
            .to_string()
    };
    assert!(
        line("sso-admin").contains("rate=50"),
        "{}",
        line("sso-admin")
    );
    assert!(
        line("UserPoolUpdate").contains("rate=4"),
        "{}",
        line("UserPoolUpdate")
    );
    assert!(
        line("UserPoolClientUpdate").contains("rate=15"),
        "the documented rate: {}",
        line("UserPoolClientUpdate")
    );
    let bad = ctx.seed("plan", &["--quota", "sso=50"]);
    assert_eq!(bad.code, 1, "bad arguments: {}", bad.stderr);
    assert!(
        bad.stderr.contains("`sso` is not a quota category") && bad.stderr.contains("sso-admin"),
        "{}",
        bad.stderr
    );
}

/// `apply --no-wait --serialized`: the apply ends with the new domain still CREATING and says
/// so, makes no look for a concurrent apply's twins, and `plan` and `drift` warn until the
/// domain is ACTIVE.
#[test]
fn apply_without_the_waits_leaves_the_domain_creating_and_plan_says_so() {
    let ctx = Ctx::new();
    let dir = tempdir();
    let spec = dir.join("stack.yaml");
    let prefix = format!("nowait-{}", ctx.account.id());
    std::fs::write(
        &spec,
        format!(
            "version: 1\nstack: nowait\nregion: us-east-1\nuser_pools:\n  p:\n    name: nowait-pool\n    \
             tags:\n      # the emulator's time for this pool's domain to become ACTIVE\n      \
             idplane-emulator:domain-ms: \"8000\"\n    domain:\n      prefix: {prefix}\n    \
             clients:\n      web: {{ name: web }}\n"
        ),
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let applied = ctx
        .run(&["apply", spec, "--auto-approve", "--no-wait", "--serialized"])
        .expect(0);
    assert!(
        applied
            .stdout
            .contains("Not waited for (--no-wait), AWS is still setting these up:")
            && applied.stdout.contains("user_pools.p.domain: CREATING"),
        "{}",
        applied.all()
    );
    assert!(
        applied
            .stderr
            .contains("user_pools.p.domain: created; AWS reports CREATING (not waited for)"),
        "{}",
        applied.all()
    );
    let calls = ctx.account.proxy().call_counts();
    assert_eq!(
        calls.get("ListUserPoolClients"),
        None,
        "--serialized: no look for a concurrent apply's twin client: {calls:?}"
    );
    let planned = ctx.run(&["plan", spec, "--detailed-exitcode"]).expect(0);
    assert!(
        planned
            .stdout
            .contains("Warning: user_pools.p.domain: AWS is still setting up")
            && planned.stdout.contains("(CREATING)"),
        "{}",
        planned.all()
    );
    let drift = ctx.run(&["drift", spec]).expect(0);
    assert!(
        drift
            .stdout
            .contains("Warning: user_pools.p.domain: AWS is still setting up"),
        "{}",
        drift.all()
    );
}
