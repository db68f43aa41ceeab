//! `idplane verify` against the local AWS emulator: seed 000 applied, every link holds (exit 0);
//! then one link at a time broken by a hand change through the AWS SDK (as a colleague in the
//! console would), each giving exit 2 and naming exactly that link.

use crate::e2e::{Ctx, SEED_000};
use crate::support::Run;
use aws_sdk_ssoadmin::types as sso;

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Seed 000 applied in a fresh account whose id the actor policy names.
struct Seeded {
    ctx: Ctx,
    vars: Vec<String>,
    spec: String,
}

impl Seeded {
    fn new() -> Seeded {
        Seeded::with_spec(SEED_000.to_string())
    }

    /// Seed 000 whose client also allows the admin flow (a test user signs in without SRP).
    fn with_admin_flow() -> Seeded {
        let text = std::fs::read_to_string(crate::support::root().join(SEED_000)).unwrap();
        let text = text.replace(
            "auth_flows: [refresh_token, user_srp]",
            "auth_flows: [refresh_token, user_srp, admin_user_password]",
        );
        assert!(
            text.contains("admin_user_password"),
            "the seed's client changed"
        );
        let dir = crate::offline::tempdir();
        let path = dir.join("stack.yaml");
        std::fs::write(&path, text).unwrap();
        Seeded::with_spec(path.to_string_lossy().into_owned())
    }

    fn with_spec(spec: String) -> Seeded {
        let ctx = Ctx::new();
        let mut vars = ctx.seed_vars.clone();
        vars.push("--var".into());
        vars.push(format!("account_id={}", ctx.account.id()));
        let s = Seeded { ctx, vars, spec };
        s.run("apply", &["--auto-approve"]).expect(0);
        s
    }

    fn run(&self, cmd: &str, rest: &[&str]) -> Run {
        self.run_env(&self.ctx.env, cmd, rest)
    }

    fn run_env(&self, env: &crate::support::Env, cmd: &str, rest: &[&str]) -> Run {
        let mut args = vec![cmd, self.spec.as_str()];
        args.extend(self.vars.iter().map(String::as_str));
        args.extend_from_slice(rest);
        env.run(&args)
    }

    /// A pool user with a permanent password, and (when `in_store`) the Identity Store user of
    /// the same email, as an operator sets up a test user.
    fn test_user(&self, name: &str, password: &str, in_store: bool) {
        use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
        let email = format!("{name}@example.com");
        let cip = self.ctx.cognito("us-east-1");
        let pool = self.pool_id();
        self.ctx
            .block_on(
                cip.admin_create_user()
                    .user_pool_id(&pool)
                    .username(name)
                    .user_attributes(
                        AttributeType::builder()
                            .name("email")
                            .value(&email)
                            .build()
                            .unwrap(),
                    )
                    .message_action(MessageActionType::Suppress)
                    .send(),
            )
            .expect("AdminCreateUser");
        self.ctx
            .block_on(
                cip.admin_set_user_password()
                    .user_pool_id(&pool)
                    .username(name)
                    .password(password)
                    .permanent(true)
                    .send(),
            )
            .expect("AdminSetUserPassword");
        if in_store {
            self.store_user(name);
        }
    }

    /// The Identity Store user `name` with the email `NAME@example.com` (the seed's mapping:
    /// `email` to `emails.value`).
    fn store_user(&self, name: &str) {
        let email = format!("{name}@example.com");
        let config = self.ctx.block_on(self.ctx.account.sdk_config());
        let ids = aws_sdk_identitystore::Client::new(&config);
        let store = self
            .ctx
            .block_on(self.sso().list_instances().send())
            .expect("ListInstances")
            .instances()[0]
            .identity_store_id()
            .unwrap()
            .to_string();
        use aws_sdk_identitystore::types::{Email, Name};
        self.ctx
            .block_on(
                ids.create_user()
                    .identity_store_id(store)
                    .user_name(name)
                    .display_name(name)
                    .name(Name::builder().given_name(name).family_name("Test").build())
                    .emails(Email::builder().value(&email).primary(true).build())
                    .send(),
            )
            .expect("CreateUser");
    }

    /// An ID token of the user by the admin flow, as an application would hold one.
    fn id_token(&self, name: &str, password: &str) -> String {
        use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
        let out = self
            .ctx
            .block_on(
                self.ctx
                    .cognito("us-east-1")
                    .admin_initiate_auth()
                    .user_pool_id(self.pool_id())
                    .client_id(self.client_id())
                    .auth_flow(AuthFlowType::AdminUserPasswordAuth)
                    .auth_parameters("USERNAME", name)
                    .auth_parameters("PASSWORD", password)
                    .send(),
            )
            .expect("AdminInitiateAuth");
        out.authentication_result()
            .unwrap()
            .id_token()
            .unwrap()
            .to_string()
    }

    /// `verify` must exit 2 naming exactly `link` as broken (text and JSON agree).
    #[track_caller]
    fn broken(&self, link: &str) {
        let run = self.run("verify", &["--format", "json"]).expect(2);
        let report: serde_json::Value =
            serde_json::from_str(&run.stdout).expect("verify JSON parses");
        let broken: Vec<&str> = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["status"] == "broken")
            .map(|f| f["link"].as_str().unwrap())
            .collect();
        assert_eq!(broken, vec![link], "{}", run.stdout);
        let text = self.run("verify", &[]).expect(2);
        assert!(
            text.stdout.contains(&format!("BROKEN  {link}")),
            "{}",
            text.stdout
        );
    }

    fn sso(&self) -> aws_sdk_ssoadmin::Client {
        aws_sdk_ssoadmin::Client::new(&self.ctx.block_on(self.ctx.account.sdk_config()))
    }

    fn instance(&self) -> String {
        let out = self
            .ctx
            .block_on(self.sso().list_instances().send())
            .expect("ListInstances");
        out.instances()[0].instance_arn().unwrap().to_string()
    }

    fn app_arn(&self) -> String {
        let out = self
            .ctx
            .block_on(
                self.sso()
                    .list_applications()
                    .instance_arn(self.instance())
                    .send(),
            )
            .expect("ListApplications");
        out.applications()
            .iter()
            .find(|a| a.name() == Some("DemoApplication"))
            .and_then(|a| a.application_arn())
            .expect("DemoApplication")
            .to_string()
    }

    fn tti_arn(&self) -> String {
        let out = self
            .ctx
            .block_on(
                self.sso()
                    .list_trusted_token_issuers()
                    .instance_arn(self.instance())
                    .send(),
            )
            .expect("ListTrustedTokenIssuers");
        out.trusted_token_issuers()[0]
            .trusted_token_issuer_arn()
            .unwrap()
            .to_string()
    }

    fn pool_id(&self) -> String {
        let out = self
            .ctx
            .block_on(
                self.ctx
                    .cognito("us-east-1")
                    .list_user_pools()
                    .max_results(10)
                    .send(),
            )
            .expect("ListUserPools");
        out.user_pools()[0].id().unwrap().to_string()
    }

    fn client_id(&self) -> String {
        let out = self
            .ctx
            .block_on(
                self.ctx
                    .cognito("us-east-1")
                    .list_user_pool_clients()
                    .user_pool_id(self.pool_id())
                    .send(),
            )
            .expect("ListUserPoolClients");
        out.user_pool_clients()[0].client_id().unwrap().to_string()
    }

    /// A hand UpdateUserPoolClient of the TTI client (a full replace): the seed's name, flows
    /// and callback, plus what `f` adds (scopes, identity providers, read attributes).
    fn update_client(
        &self,
        f: impl FnOnce(
            aws_sdk_cognitoidentityprovider::operation::update_user_pool_client::builders::UpdateUserPoolClientFluentBuilder,
        ) -> aws_sdk_cognitoidentityprovider::operation::update_user_pool_client::builders::UpdateUserPoolClientFluentBuilder,
    ) {
        use aws_sdk_cognitoidentityprovider::types::{ExplicitAuthFlowsType, OAuthFlowType};
        let base = self
            .ctx
            .cognito("us-east-1")
            .update_user_pool_client()
            .user_pool_id(self.pool_id())
            .client_id(self.client_id())
            .client_name("TTI")
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_flows_user_pool_client(true)
            .callback_urls("http://localhost:8080");
        self.ctx
            .block_on(f(base).send())
            .expect("UpdateUserPoolClient");
    }

    fn update_tti(&self, claim: &str, path: &str) {
        let update = sso::TrustedTokenIssuerUpdateConfiguration::OidcJwtConfiguration(
            sso::OidcJwtUpdateConfiguration::builder()
                .claim_attribute_path(claim)
                .identity_store_attribute_path(path)
                .build(),
        );
        self.ctx
            .block_on(
                self.sso()
                    .update_trusted_token_issuer()
                    .trusted_token_issuer_arn(self.tti_arn())
                    .trusted_token_issuer_configuration(update)
                    .send(),
            )
            .expect("UpdateTrustedTokenIssuer");
    }

    fn put_grant(&self, tti: &str, audience: &str) {
        let grant = sso::Grant::JwtBearer(
            sso::JwtBearerGrant::builder()
                .authorized_token_issuers(
                    sso::AuthorizedTokenIssuer::builder()
                        .trusted_token_issuer_arn(tti)
                        .authorized_audiences(audience)
                        .build(),
                )
                .build(),
        );
        self.ctx
            .block_on(
                self.sso()
                    .put_application_grant()
                    .application_arn(self.app_arn())
                    .grant_type(sso::GrantType::from(JWT_BEARER))
                    .grant(grant)
                    .send(),
            )
            .expect("PutApplicationGrant");
    }
}

#[test]
fn seed_000_applied_every_link_holds() {
    let s = Seeded::new();
    let run = s.run("verify", &[]).expect(0);
    assert!(
        run.stdout.contains("pass    tti.issuer_url"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("0 broken"), "{}", run.stdout);
    let json = s.run("verify", &["--format", "json"]).expect(0);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["format_version"], 1);
    assert_eq!(report["summary"]["broken"], 0);
    assert_eq!(
        report["chains"],
        serde_json::json!(["identity_center.applications.demo"])
    );
    let md = s.run("verify", &["--format", "markdown"]).expect(0);
    assert!(
        md.stdout.contains("| `grant.audiences` | pass |"),
        "{}",
        md.stdout
    );
    // verify writes nothing.
    for op in ["UpdateUserPool", "PutApplicationGrant", "CreateApplication"] {
        let before = s.ctx.account.proxy().calls(op);
        s.run("verify", &[]).expect(0);
        assert_eq!(s.ctx.account.proxy().calls(op), before, "{op}");
    }
}

#[test]
fn the_default_account_in_the_actor_policy_is_named() {
    // Applied with the seed's placeholder account (123456789012): the emulator account calling
    // is another one.
    let ctx = Ctx::new();
    let mut args = vec!["apply", SEED_000];
    args.extend(ctx.seed_vars.iter().map(String::as_str));
    args.push("--auto-approve");
    ctx.env.run(&args).expect(0);
    args[0] = "verify";
    args.pop();
    let run = ctx.env.run(&args).expect(2);
    assert!(
        run.stdout.contains("BROKEN  auth_method.actor_policy"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(ctx.account.id()), "{}", run.stdout);
}

#[test]
fn broken_updated_issuer_type() {
    use aws_sdk_cognitoidentityprovider::types::{IssuerConfigurationType, IssuerType};
    let s = Seeded::new();
    // The console's "use the updated issuer": the pool now issues issuer-cognito-idp tokens.
    s.ctx
        .block_on(
            s.ctx
                .cognito("us-east-1")
                .update_user_pool()
                .user_pool_id(s.pool_id())
                .issuer_configuration(
                    IssuerConfigurationType::builder()
                        .r#type(IssuerType::Updated)
                        .build(),
                )
                .send(),
        )
        .expect("UpdateUserPool");
    s.broken("tti.issuer_url");
}

#[test]
fn broken_audience_no_longer_a_client() {
    let s = Seeded::new();
    s.put_grant(&s.tti_arn(), "0000000000deletedclient0000");
    s.broken("grant.audiences");
}

#[test]
fn broken_grant_names_another_issuer() {
    let s = Seeded::new();
    let other = s
        .ctx
        .block_on(
            s.sso()
                .create_trusted_token_issuer()
                .instance_arn(s.instance())
                .name("other")
                .trusted_token_issuer_type(sso::TrustedTokenIssuerType::OidcJwt)
                .trusted_token_issuer_configuration(
                    sso::TrustedTokenIssuerConfiguration::OidcJwtConfiguration(
                        sso::OidcJwtConfiguration::builder()
                            .issuer_url("https://login.example.com")
                            .claim_attribute_path("email")
                            .identity_store_attribute_path("emails.value")
                            .jwks_retrieval_option(sso::JwksRetrievalOption::OpenIdDiscovery)
                            .build()
                            .unwrap(),
                    ),
                )
                .send(),
        )
        .expect("CreateTrustedTokenIssuer");
    s.put_grant(other.trusted_token_issuer_arn().unwrap(), &s.client_id());
    s.broken("grant.issuer");
}

#[test]
fn broken_no_jwt_bearer_grant() {
    let s = Seeded::new();
    s.ctx
        .block_on(
            s.sso()
                .delete_application_grant()
                .application_arn(s.app_arn())
                .grant_type(sso::GrantType::from(JWT_BEARER))
                .send(),
        )
        .expect("DeleteApplicationGrant");
    s.broken("grant.jwt_bearer");
}

#[test]
fn broken_claim_the_tokens_do_not_carry() {
    let s = Seeded::new();
    s.update_tti("department", "emails.value");
    s.broken("tti.claim");
}

#[test]
fn broken_identity_store_attribute_path() {
    let s = Seeded::new();
    s.update_tti("email", "nickName");
    s.broken("tti.identity_store_attribute_path");
}

#[test]
fn broken_client_cannot_read_the_claim() {
    let s = Seeded::new();
    s.update_client(|b| {
        b.allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email")
            .allowed_o_auth_scopes("profile")
            .supported_identity_providers("IAMIdentityCenter")
            .read_attributes("name")
    });
    s.broken("client.read_attributes");
}

#[test]
fn broken_client_scopes() {
    let s = Seeded::new();
    s.update_client(|b| {
        b.allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("phone")
            .supported_identity_providers("IAMIdentityCenter")
    });
    s.broken("client.scopes");
}

#[test]
fn broken_client_drops_the_saml_idp() {
    let s = Seeded::new();
    s.update_client(|b| {
        b.allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email")
            .allowed_o_auth_scopes("profile")
            .supported_identity_providers("COGNITO")
    });
    s.broken("saml.client");
}

#[test]
fn broken_assignment_required_with_nobody_assigned() {
    let s = Seeded::new();
    s.ctx
        .block_on(
            s.sso()
                .put_application_assignment_configuration()
                .application_arn(s.app_arn())
                .assignment_required(true)
                .send(),
        )
        .expect("PutApplicationAssignmentConfiguration");
    s.broken("assignment.required");
}

#[test]
fn broken_actor_policy_names_another_account() {
    let s = Seeded::new();
    let policy = aws_smithy_types::Document::Object(
        [
            ("Version".to_string(), "2012-10-17".into()),
            (
                "Statement".to_string(),
                aws_smithy_types::Document::Array(vec![aws_smithy_types::Document::Object(
                    [
                        ("Effect".to_string(), "Allow".into()),
                        (
                            "Principal".to_string(),
                            aws_smithy_types::Document::Object(
                                [("AWS".to_string(), "210987654321".into())].into(),
                            ),
                        ),
                        ("Action".to_string(), "sso-oauth:CreateTokenWithIAM".into()),
                        ("Resource".to_string(), "*".into()),
                    ]
                    .into(),
                )]),
            ),
        ]
        .into(),
    );
    s.ctx
        .block_on(
            s.sso()
                .put_application_authentication_method()
                .application_arn(s.app_arn())
                .authentication_method_type(sso::AuthenticationMethodType::Iam)
                .authentication_method(sso::AuthenticationMethod::Iam(
                    sso::IamAuthenticationMethod::builder()
                        .actor_policy(policy)
                        .build()
                        .unwrap(),
                ))
                .send(),
        )
        .expect("PutApplicationAuthenticationMethod");
    s.broken("auth_method.actor_policy");
}

#[test]
fn broken_no_iam_authentication_method() {
    let s = Seeded::new();
    s.ctx
        .block_on(
            s.sso()
                .delete_application_authentication_method()
                .application_arn(s.app_arn())
                .authentication_method_type(sso::AuthenticationMethodType::Iam)
                .send(),
        )
        .expect("DeleteApplicationAuthenticationMethod");
    s.broken("auth_method.iam");
}

#[test]
fn broken_access_scope_removed() {
    let s = Seeded::new();
    s.ctx
        .block_on(
            s.sso()
                .delete_application_access_scope()
                .application_arn(s.app_arn())
                .scope("qbusiness:qapps:access")
                .send(),
        )
        .expect("DeleteApplicationAccessScope");
    s.broken("access_scopes");
}

#[test]
fn broken_application_disabled() {
    let s = Seeded::new();
    s.ctx
        .block_on(
            s.sso()
                .update_application()
                .application_arn(s.app_arn())
                .status(sso::ApplicationStatus::Disabled)
                .send(),
        )
        .expect("UpdateApplication");
    s.broken("application.enabled");
}

#[test]
fn broken_trusted_token_issuer_deleted() {
    let s = Seeded::new();
    s.ctx
        .block_on(
            s.sso()
                .delete_trusted_token_issuer()
                .trusted_token_issuer_arn(s.tti_arn())
                .send(),
        )
        .expect("DeleteTrustedTokenIssuer");
    s.broken("tti.exists");
}

#[test]
fn the_verify_iam_policy_covers_every_call_verify_makes() {
    let s = Seeded::new();
    let run = s.run("iam-policy", &["--for", "verify"]).expect(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("policy JSON");
    let mut allowed = std::collections::BTreeSet::new();
    for st in doc["Statement"].as_array().expect("statements") {
        for a in st["Action"].as_array().expect("actions") {
            let a = a.as_str().unwrap();
            // CreateTokenWithIAM makes a token and changes nothing.
            assert!(
                !idplane_aws::iam::is_write(a) || a == "sso-oauth:CreateTokenWithIAM",
                "verify writes nothing: {a}"
            );
            allowed.insert(a.split(':').nth(1).unwrap().to_string());
        }
    }
    // A pool user in the Identity Store: the identity coverage reads users and looks them up.
    s.test_user("alice", PASSWORD, true);
    s.ctx.account.proxy().reset_counts();
    s.run("verify", &[]).expect(0);
    let used: std::collections::BTreeSet<String> =
        s.ctx.account.proxy().call_counts().into_keys().collect();
    for op in ["GetCallerIdentity", "ListUsers", "GetUserId"] {
        assert!(used.contains(op), "{op}: {used:?}");
    }
    let missing: Vec<_> = used.difference(&allowed).collect();
    assert!(
        missing.is_empty(),
        "verify called {missing:?}, not in its policy"
    );
}

/// The password of test users: a canary no output may hold.
const PASSWORD: &str = "Canary-pw-5e8d1!";

/// Nothing secret in a run's output: the password, a JWT (`eyJ`), the identity context.
#[track_caller]
fn no_secret(run: &Run) {
    let all = run.all();
    assert!(!all.contains(PASSWORD), "the password leaked:\n{all}");
    assert!(!has_jwt(&all), "a token leaked:\n{all}");
    assert!(
        !all.contains("identity-context-"),
        "the identity context leaked:\n{all}"
    );
}

/// Whether `text` holds something shaped like a JWT: `eyJ` (a base64url JSON header) then
/// base64url characters, a dot and more (a random request id may hold `eyJ` alone).
fn has_jwt(text: &str) -> bool {
    let b64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices("eyJ").any(|(at, _)| {
        let rest = &text[at..];
        let header = rest.find(|c: char| !b64url(c)).unwrap_or(rest.len());
        rest[header..].starts_with('.') && rest[header + 1..].starts_with(|c: char| b64url(c))
    })
}

#[test]
fn a_jwt_is_told_from_a_request_id_holding_its_prefix() {
    assert!(has_jwt("token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"));
    assert!(!has_jwt(
        r#"request_id=Some("9rQtju4A1ng6D9eyJkIVDDxkNUZ")"#
    ));
}

fn hop_status(run: &Run, link: &str) -> String {
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("verify JSON");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["link"] == link)
        .unwrap_or_else(|| panic!("no {link} in {}", run.stdout))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn exchange_end_to_end_on_seed_000_with_a_test_user() {
    let s = Seeded::with_admin_flow();
    s.test_user("alice", PASSWORD, true);
    let env = s.ctx.env.clone().with("IDPLANE_TEST_PASSWORD", PASSWORD);
    let role = format!("arn:aws:iam::{}:role/qbusiness-web", s.ctx.account.id());
    let args = [
        "--exchange",
        "--user",
        "alice",
        "--password-env",
        "IDPLANE_TEST_PASSWORD",
        "--role-arn",
        role.as_str(),
    ];
    let run = s.run_env(&env, "verify", &args).expect(0);
    for link in [
        "exchange.id_token",
        "exchange.create_token_with_iam",
        "exchange.scopes",
        "exchange.identity_context",
        "exchange.assume_role",
    ] {
        assert!(
            run.stdout.contains(&format!("pass    {link}")),
            "{link}: {}",
            run.stdout
        );
    }
    assert!(
        run.stdout.contains("assumed-role/qbusiness-web"),
        "{}",
        run.stdout
    );
    no_secret(&run);
    // Not even in the most verbose logs.
    let traced = s.run_env(
        &env.clone().with("RUST_LOG", "trace"),
        "verify",
        &[&args[..], &["-vv", "--format", "json"]].concat(),
    );
    assert_eq!(traced.code, 0, "{}", traced.stderr);
    no_secret(&traced);
}

#[test]
fn exchange_with_an_id_token_file() {
    let s = Seeded::with_admin_flow();
    s.test_user("alice", PASSWORD, true);
    let token = s.id_token("alice", PASSWORD);
    let file = crate::offline::tempdir().join("id-token");
    std::fs::write(&file, &token).unwrap();
    let file = file.to_string_lossy().into_owned();
    let run = s
        .run(
            "verify",
            &["--exchange", "--id-token", &file, "--format", "json"],
        )
        .expect(0);
    assert_eq!(hop_status(&run, "exchange.create_token_with_iam"), "pass");
    assert_eq!(hop_status(&run, "exchange.assume_role"), "skipped");
    assert!(!run.all().contains(&token));
    no_secret(&run);
}

#[test]
fn exchange_names_a_user_missing_from_the_identity_store() {
    // Every other static link holds; the identity coverage and the exchange both show that the
    // user cannot get a token.
    let s = Seeded::with_admin_flow();
    s.test_user("bob", PASSWORD, false);
    let env = s.ctx.env.clone().with("IDPLANE_TEST_PASSWORD", PASSWORD);
    let args = [
        "--exchange",
        "--user",
        "bob",
        "--password-env",
        "IDPLANE_TEST_PASSWORD",
    ];
    let run = s
        .run_env(&env, "verify", &[&args[..], &["--format", "json"]].concat())
        .expect(2);
    assert_eq!(hop_status(&run, "exchange.create_token_with_iam"), "broken");
    assert!(
        run.stdout.contains("InvalidGrantException"),
        "{}",
        run.stdout
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let broken: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "broken")
        .map(|f| f["link"].as_str().unwrap())
        .collect();
    assert_eq!(
        broken,
        vec!["identity.coverage", "exchange.create_token_with_iam"]
    );
    no_secret(&run);
}

#[test]
fn exchange_through_a_client_without_the_admin_flow_says_so() {
    // Seed 000's client allows SRP and refresh tokens only: AWS refuses the admin flow.
    let s = Seeded::new();
    s.test_user("alice", PASSWORD, true);
    let env = s.ctx.env.clone().with("IDPLANE_TEST_PASSWORD", PASSWORD);
    let run = s
        .run_env(
            &env,
            "verify",
            &[
                "--exchange",
                "--user",
                "alice",
                "--password-env",
                "IDPLANE_TEST_PASSWORD",
            ],
        )
        .expect(2);
    assert!(
        run.stdout.contains("BROKEN  exchange.id_token"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
        "{}",
        run.stdout
    );
    no_secret(&run);
}

#[test]
fn exchange_needs_a_token_source() {
    let s = Seeded::new();
    let run = s.run("verify", &["--exchange"]).expect(1);
    assert!(run.stderr.contains("--id-token"), "{}", run.stderr);
    let run = s
        .run(
            "verify",
            &[
                "--exchange",
                "--user",
                "alice",
                "--password-env",
                "IDPLANE_UNSET_VAR",
            ],
        )
        .expect(1);
    assert!(run.stderr.contains("IDPLANE_UNSET_VAR"), "{}", run.stderr);
}

#[test]
fn certificate_expiry_is_reported_and_warn_days_makes_it_a_finding() {
    let s = Seeded::new();
    // The emulator's pool certificate is valid for 3650 days from 2024-01-01.
    let run = s.run("verify", &[]).expect(0);
    assert!(
        run.stdout
            .contains("pass    health.pool_signing_certificate"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("expires on 2033-12-29"),
        "{}",
        run.stdout
    );
    // Seed 000's IdP has a metadata URL: not fetched, said so.
    assert!(
        run.stdout
            .contains("skipped health.idp_signing_certificate"),
        "{}",
        run.stdout
    );
    s.run("verify", &["--warn-days", "30"]).expect(0);
    let run = s.run("verify", &["--warn-days", "5000"]).expect(2);
    assert!(
        run.stdout
            .contains("BROKEN  health.pool_signing_certificate"),
        "{}",
        run.stdout
    );
    let json = s
        .run("verify", &["--warn-days", "5000", "--format", "json"])
        .expect(2);
    assert_eq!(
        hop_status(&json, "health.pool_signing_certificate"),
        "broken"
    );
}

/// The finding of `link` in a JSON report.
fn finding(run: &Run, link: &str) -> serde_json::Value {
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("verify JSON");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["link"] == link)
        .unwrap_or_else(|| panic!("no {link} in {}", run.stdout))
        .clone()
}

#[test]
fn identity_coverage_names_the_pool_users_without_an_identity_store_user() {
    let s = Seeded::new();
    s.test_user("alice", PASSWORD, true);
    s.test_user("bob", PASSWORD, false);
    s.broken("identity.coverage");
    let run = s.run("verify", &["--format", "json"]).expect(2);
    let f = finding(&run, "identity.coverage");
    let actual = f["actual"].as_str().unwrap();
    assert!(
        actual.contains("2 of about 2 pool users checked"),
        "{actual}"
    );
    assert!(
        actual.ends_with("without an Identity Store user (they cannot exchange tokens): bob"),
        "{actual}"
    );
    assert!(!actual.contains("alice"), "{actual}");
    assert!(!run.stdout.contains("bob@example.com"), "{}", run.stdout);
    no_secret(&run);
    // The missing Identity Store user is created: every link holds again.
    s.store_user("bob");
    let run = s.run("verify", &[]).expect(0);
    assert!(
        run.stdout.contains("pass    identity.coverage"),
        "{}",
        run.stdout
    );
}

#[test]
fn identity_coverage_reads_at_most_sample_users() {
    let s = Seeded::new();
    s.test_user("alice", PASSWORD, true);
    s.test_user("bob", PASSWORD, true);
    let proxy = s.ctx.account.proxy();
    // --sample 0: no user read, the link skipped.
    proxy.reset_counts();
    let off = s
        .run("verify", &["--sample", "0", "--format", "json"])
        .expect(0);
    assert_eq!(finding(&off, "identity.coverage")["status"], "skipped");
    let base = proxy.call_counts();
    let n = |counts: &std::collections::BTreeMap<String, u64>, op: &str| {
        counts.get(op).copied().unwrap_or(0)
    };
    // --sample 1: one ListUsers request, one user read, one Identity Store lookup.
    proxy.reset_counts();
    let one = s
        .run("verify", &["--sample", "1", "--format", "json"])
        .expect(0);
    let counts = proxy.call_counts();
    assert_eq!(
        n(&counts, "ListUsers") - n(&base, "ListUsers"),
        1,
        "{counts:?}"
    );
    assert_eq!(
        n(&counts, "GetUserId") - n(&base, "GetUserId"),
        1,
        "{counts:?}"
    );
    let f = finding(&one, "identity.coverage");
    assert_eq!(f["status"], "pass");
    assert!(
        f["actual"]
            .as_str()
            .unwrap()
            .contains("1 of about 2 pool users checked"),
        "{f}"
    );
    // The default reads both.
    let all = s.run("verify", &["--format", "json"]).expect(0);
    assert!(
        finding(&all, "identity.coverage")["actual"]
            .as_str()
            .unwrap()
            .contains("2 of about 2 pool users checked"),
        "{}",
        all.stdout
    );
}
