//! Brown-field adoption through the binary against the local AWS emulator: pools and identity
//! providers made by hand with plain SDK calls (as in the console), then described in a spec as
//! a person would, planned and applied step by step. Every step must converge (the next plan is
//! empty) and nothing set outside the spec may be lost.

use crate::offline::tempdir;
use crate::support::{Env, Run};
use aws_sdk_cognitoidentityprovider as cip;
use cip::types as t;
use idplane_testkit::{Account, Emulator};
use std::path::PathBuf;

const PTG_A: &str = "arn:aws:lambda:us-east-1:123456789012:function:tokens-a";
const PTG_B: &str = "arn:aws:lambda:us-east-1:123456789012:function:tokens-b";
const OIDC_SECRET: &str = "oidc-secret-never-printed-91d2";

struct Adopt {
    account: Account,
    env: Env,
    dir: PathBuf,
}

impl Adopt {
    fn new() -> Adopt {
        let account = Emulator::shared().account();
        let key = account.credentials().access_key_id().to_string();
        let env = Env::aws(&account.endpoint(), &key).with("ADOPT_OIDC_SECRET", OIDC_SECRET);
        Adopt {
            account,
            env,
            dir: tempdir(),
        }
    }

    fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn cognito(&self) -> cip::Client {
        cip::Client::new(&self.block_on(self.account.sdk_config()))
    }

    fn describe(&self, pool: &str) -> t::UserPoolType {
        self.block_on(
            self.cognito()
                .describe_user_pool()
                .user_pool_id(pool)
                .send(),
        )
        .expect("DescribeUserPool")
        .user_pool
        .expect("a pool")
    }

    fn details(&self, pool: &str, idp: &str) -> std::collections::HashMap<String, String> {
        self.block_on(
            self.cognito()
                .describe_identity_provider()
                .user_pool_id(pool)
                .provider_name(idp)
                .send(),
        )
        .expect("DescribeIdentityProvider")
        .identity_provider
        .and_then(|i| i.provider_details)
        .unwrap_or_default()
    }

    /// Writes the spec and runs `idplane CMD spec ARGS`.
    fn run(&self, cmd: &str, spec: &str, args: &[&str]) -> Run {
        let path = self.dir.join("stack.yaml");
        std::fs::write(&path, spec).unwrap();
        let mut all = vec![cmd, path.to_str().unwrap()];
        all.extend_from_slice(args);
        self.env.run(&all)
    }

    /// Applies the spec, then checks that the next plan is empty.
    #[track_caller]
    fn apply_converges(&self, spec: &str) {
        let applied = self.run("apply", spec, &["--auto-approve"]);
        assert_eq!(
            applied.code, 0,
            "apply\n{}\n{}",
            applied.stdout, applied.stderr
        );
        self.plan_is_empty(spec);
    }

    /// The first plan of a pool made outside idplane only adopts it (ownership tags); one
    /// apply, then the plan is empty.
    #[track_caller]
    fn adopts_then_is_empty(&self, spec: &str) {
        let plan = self.run("plan", spec, &["--detailed-exitcode"]);
        assert!(
            plan.code == 2
                && plan.stdout.contains(
                    "Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, 1 to adopt."
                ),
            "the first plan only adopts\n{}\n{}",
            plan.stdout,
            plan.stderr
        );
        self.apply_converges(spec);
    }

    #[track_caller]
    fn plan_is_empty(&self, spec: &str) {
        let plan = self.run("plan", spec, &["--detailed-exitcode"]);
        assert_eq!(
            plan.code, 0,
            "the plan is empty\n{}\n{}",
            plan.stdout, plan.stderr
        );
    }
}

/// The spec of the adopted pool: the invitation texts a pool made without any gets (as
/// DescribeUserPool shows them, and `idplane export` writes them), then `extra`.
fn pool_spec(pool: &str, extra: &str) -> String {
    format!(
        "version: 1\nstack: adopt\nregion: us-east-1\nuser_pools:\n  legacy:\n    id: {pool}\n    name: Legacy\n    \
         invite_message:\n      \
         email_subject: Your temporary password\n      \
         email_message: \"Your username is {{username}} and temporary password is {{####}}. \"\n      \
         sms_message: \"Your username is {{username}} and temporary password is {{####}}. \"\n{extra}"
    )
}

/// The done criterion of issue #9: a pool made with `IssuerConfiguration.Type=UPDATED` and a
/// console-enabled V2 pre-token trigger is adopted; an unrelated change, a trigger change and the
/// trigger's removal each converge, and the issuer type and the settings the spec does not
/// describe (device configuration, SMS authentication message) stay.
#[test]
fn adopt_pool_with_updated_issuer_and_v2_pre_token_trigger() {
    let ctx = Adopt::new();
    let cognito = ctx.cognito();
    let pool = ctx
        .block_on(
            cognito
                .create_user_pool()
                .pool_name("Legacy")
                .issuer_configuration(
                    t::IssuerConfigurationType::builder()
                        .r#type(t::IssuerType::Updated)
                        .build(),
                )
                .lambda_config(
                    t::LambdaConfigType::builder()
                        .pre_token_generation_config(
                            t::PreTokenGenerationVersionConfigType::builder()
                                .lambda_arn(PTG_A)
                                .lambda_version(t::PreTokenGenerationLambdaVersionType::V20)
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .device_configuration(
                    t::DeviceConfigurationType::builder()
                        .challenge_required_on_new_device(true)
                        .build(),
                )
                .sms_authentication_message("Your code: {####}")
                .send(),
        )
        .expect("CreateUserPool")
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let outside_spec_kept = |p: &t::UserPoolType| {
        assert_eq!(
            p.issuer_configuration().and_then(|c| c.r#type()),
            Some(&t::IssuerType::Updated),
            "issuer type kept"
        );
        assert_eq!(
            p.device_configuration()
                .map(|d| d.challenge_required_on_new_device()),
            Some(true),
            "device configuration kept"
        );
        assert_eq!(
            p.sms_authentication_message(),
            Some("Your code: {####}"),
            "SMS authentication message kept"
        );
    };
    let trigger = |p: &t::UserPoolType| {
        let l = p.lambda_config();
        (
            l.and_then(|l| l.pre_token_generation()).map(str::to_string),
            l.and_then(|l| l.pre_token_generation_config()).map(|c| {
                (
                    c.lambda_arn().to_string(),
                    c.lambda_version().as_str().to_string(),
                )
            }),
        )
    };

    // Described as a person would: the trigger with its version; the issuer type left out.
    let v2 = |arn: &str| {
        format!(
            "    lambda_triggers:\n      pre_token_generation: {{arn: \"{arn}\", version: V2_0}}\n"
        )
    };
    let spec = pool_spec(&pool, &v2(PTG_A));
    let out = ctx.run("validate", &spec, &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    ctx.apply_converges(&spec);
    let p = ctx.describe(&pool);
    outside_spec_kept(&p);
    assert_eq!(
        trigger(&p),
        (Some(PTG_A.into()), Some((PTG_A.into(), "V2_0".into())))
    );
    // The pool's issuer URL follows its issuer type.
    let exported = ctx
        .env
        .run(&["export", "--user-pool", &pool, "--stack", "adopt"])
        .expect(0);
    assert!(
        exported.stdout.contains("issuer_type: UPDATED"),
        "{}",
        exported.stdout
    );
    assert!(
        exported.stdout.contains("version: V2_0"),
        "{}",
        exported.stdout
    );

    // An unrelated change: the trigger and everything outside the spec stay.
    let spec = pool_spec(
        &pool,
        &format!("{}    password_policy: {{minimum_length: 12}}\n", v2(PTG_A)),
    );
    ctx.apply_converges(&spec);
    let p = ctx.describe(&pool);
    outside_spec_kept(&p);
    assert_eq!(
        p.policies()
            .and_then(|x| x.password_policy())
            .and_then(|x| x.minimum_length()),
        Some(12)
    );
    assert_eq!(
        trigger(&p),
        (Some(PTG_A.into()), Some((PTG_A.into(), "V2_0".into())))
    );

    // Another function: both halves move together (AWS refuses them unequal).
    let spec = pool_spec(
        &pool,
        &format!("{}    password_policy: {{minimum_length: 12}}\n", v2(PTG_B)),
    );
    ctx.apply_converges(&spec);
    let p = ctx.describe(&pool);
    outside_spec_kept(&p);
    assert_eq!(
        trigger(&p),
        (Some(PTG_B.into()), Some((PTG_B.into(), "V2_0".into())))
    );

    // Removed: both halves go.
    let spec = pool_spec(&pool, "    password_policy: {minimum_length: 12}\n");
    ctx.apply_converges(&spec);
    let p = ctx.describe(&pool);
    outside_spec_kept(&p);
    assert_eq!(trigger(&p), (None, None));
}

const SAML_METADATA: &str = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"#;

/// Issue #12: identity providers made in the console, whose descriptions carry what Cognito
/// computes (SAML `ActiveEncryptionCertificate` and redirect binding URIs, OIDC endpoints
/// discovered from the issuer), plan empty once described; a SAML change converges without
/// sending the read-only keys back; after an OIDC issuer change the old discovered endpoints are
/// gone.
#[test]
fn adopt_identity_providers_with_computed_details() {
    let ctx = Adopt::new();
    let cognito = ctx.cognito();
    let pool = ctx
        .block_on(cognito.create_user_pool().pool_name("Legacy").send())
        .expect("CreateUserPool")
        .user_pool
        .unwrap()
        .id
        .unwrap();
    ctx.block_on(
        cognito
            .create_identity_provider()
            .user_pool_id(&pool)
            .provider_name("Corp")
            .provider_type(t::IdentityProviderTypeType::Saml)
            .provider_details("MetadataFile", SAML_METADATA)
            .attribute_mapping("email", "email")
            .send(),
    )
    .expect("CreateIdentityProvider SAML");
    ctx.block_on(
        cognito
            .create_identity_provider()
            .user_pool_id(&pool)
            .provider_name("Okta")
            .provider_type(t::IdentityProviderTypeType::Oidc)
            .provider_details("oidc_issuer", "https://old.example.com")
            .provider_details("client_id", "okta-client")
            .provider_details("client_secret", OIDC_SECRET)
            .provider_details("authorize_scopes", "openid email")
            .provider_details("attributes_request_method", "GET")
            .attribute_mapping("email", "email")
            .send(),
    )
    .expect("CreateIdentityProvider OIDC");
    let saml = ctx.details(&pool, "Corp");
    for key in [
        "ActiveEncryptionCertificate",
        "SSORedirectBindingURI",
        "SLORedirectBindingURI",
    ] {
        assert!(
            saml.contains_key(key),
            "the emulator computes {key}: {saml:?}"
        );
    }
    let okta = ctx.details(&pool, "Okta");
    assert_eq!(
        okta.get("authorize_url").map(String::as_str),
        Some("https://old.example.com/authorize")
    );

    std::fs::write(ctx.dir.join("corp.xml"), SAML_METADATA).unwrap();
    let idps = |issuer: &str, signout: bool| {
        format!(
            "    identity_providers:
      Corp:
        saml: {{metadata_file: corp.xml, idp_signout: {signout}}}
        attribute_mapping: {{email: email}}
      Okta:
        oidc:
          issuer: {issuer}
          client_id: okta-client
          client_secret: {{env: ADOPT_OIDC_SECRET}}
          scopes: [openid, email]
        attribute_mapping: {{email: email}}
"
        )
    };
    let spec = pool_spec(&pool, &idps("https://old.example.com", false));
    ctx.adopts_then_is_empty(&spec);

    // A SAML change: the read-only keys are not sent back (the emulator refuses them).
    let spec = pool_spec(&pool, &idps("https://old.example.com", true));
    ctx.apply_converges(&spec);
    let saml_after = ctx.details(&pool, "Corp");
    assert_eq!(
        saml_after.get("IDPSignout").map(String::as_str),
        Some("true")
    );
    assert_eq!(
        saml_after.get("ActiveEncryptionCertificate"),
        saml.get("ActiveEncryptionCertificate")
    );

    // A new issuer: the old discovered endpoints are not sent back, the new ones are discovered.
    let spec = pool_spec(&pool, &idps("https://new.example.com", true));
    ctx.apply_converges(&spec);
    let okta = ctx.details(&pool, "Okta");
    assert_eq!(
        okta.get("oidc_issuer").map(String::as_str),
        Some("https://new.example.com")
    );
    for (key, path) in [
        ("authorize_url", "/authorize"),
        ("token_url", "/token"),
        ("attributes_url", "/userinfo"),
        ("jwks_uri", "/.well-known/jwks.json"),
    ] {
        assert_eq!(
            okta.get(key),
            Some(&format!("https://new.example.com{path}")),
            "{key} discovered from the new issuer: {okta:?}"
        );
    }
    assert_eq!(
        okta.get("client_secret").map(String::as_str),
        Some(OIDC_SECRET),
        "the secret is kept"
    );
}
