//! IAM Identity Center in its home region, the user pools in another: an account has one
//! instance, in one region (the emulator puts this account's there only), and
//! `identity_center.region` sends sso-admin and identitystore calls there while Cognito stays
//! in the stack's `region`. Seed 000 applies and re-plans empty; without the setting, `plan`
//! fails naming the region it looked in and the setting to use.

use crate::e2e::SEED_000;
use crate::support::{Env, root};
use idplane_testkit::Emulator;

const HOME: &str = "eu-central-1";

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(f)
}

#[test]
fn seed_000_with_identity_center_in_another_region_applies_and_replans_empty() {
    let account = Emulator::shared().account();
    account.set_identity_center_region(Some(HOME));
    let config = block_on(account.sdk_config());
    let sso_in = |region: &str| {
        aws_sdk_ssoadmin::Client::from_conf(
            aws_sdk_ssoadmin::config::Builder::from(&config)
                .region(aws_sdk_ssoadmin::config::Region::new(region.to_string()))
                .build(),
        )
    };
    let home = sso_in(HOME);
    let (instance, saml_app) = block_on(async {
        let here = sso_in("us-east-1").list_instances().send().await.unwrap();
        assert!(
            here.instances().is_empty(),
            "no instance in the pools' region"
        );
        let instances = home.list_instances().send().await.expect("ListInstances");
        let instance = instances.instances()[0].instance_arn().unwrap().to_string();
        let app = home
            .create_application()
            .instance_arn(&instance)
            .application_provider_arn("arn:aws:sso::aws:applicationProvider/custom")
            .name("DemoSAMLApplication")
            .send()
            .await
            .expect("CreateApplication")
            .application_arn()
            .unwrap()
            .to_string();
        (instance, app)
    });
    let key = account.credentials().access_key_id().to_string();
    let env = Env::aws(&account.endpoint(), &key);
    let var = format!("saml_application_arn={saml_app}");

    // The stack as it is (Identity Center in the stack's region): refused, naming the region
    // and the setting.
    let refused = env.run(&["plan", SEED_000, "--var", &var]).expect(1);
    assert!(
        refused.stderr.contains("us-east-1") && refused.stderr.contains("identity_center"),
        "{}",
        refused.all()
    );

    let dir = std::env::temp_dir().join(format!("idplane-ic-region-{}", account.id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join(SEED_000)).unwrap();
    let text = text.replacen(
        "identity_center:\n",
        &format!("identity_center:\n  region: {HOME}\n"),
        1,
    );
    assert!(text.contains(&format!("  region: {HOME}\n")));
    let spec = dir.join("stack.yaml");
    std::fs::write(&spec, text).unwrap();
    let spec = spec.to_str().unwrap();

    let applied = env
        .run(&["apply", spec, "--var", &var, "--auto-approve"])
        .expect(0);
    assert!(
        applied.stdout.contains("Apply complete"),
        "{}",
        applied.all()
    );
    env.run(&["plan", spec, "--var", &var, "--detailed-exitcode"])
        .expect(0);
    env.run(&["drift", spec, "--var", &var]).expect(0);

    // Cognito in the stack's region; the issuer and the application in Identity Center's.
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(&config);
    block_on(async {
        let pools = cognito
            .list_user_pools()
            .max_results(60)
            .send()
            .await
            .unwrap();
        assert_eq!(pools.user_pools().len(), 1);
        let pool_id = pools.user_pools()[0].id().unwrap().to_string();
        let ttis = home
            .list_trusted_token_issuers()
            .instance_arn(&instance)
            .send()
            .await
            .unwrap();
        assert_eq!(ttis.trusted_token_issuers().len(), 1);
        let tti = home
            .describe_trusted_token_issuer()
            .trusted_token_issuer_arn(
                ttis.trusted_token_issuers()[0]
                    .trusted_token_issuer_arn()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        let Some(aws_sdk_ssoadmin::types::TrustedTokenIssuerConfiguration::OidcJwtConfiguration(c)) =
            tti.trusted_token_issuer_configuration()
        else {
            panic!("an OIDC JWT issuer: {tti:?}")
        };
        assert_eq!(
            c.issuer_url(),
            format!("https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"),
            "the issuer is the pool of the stack's region"
        );
        let apps = home
            .list_applications()
            .instance_arn(&instance)
            .send()
            .await
            .unwrap();
        assert!(
            apps.applications()
                .iter()
                .any(|a| a.name() == Some("DemoApplication")),
            "{apps:?}"
        );
    });
    let _ = std::fs::remove_dir_all(&dir);
}
