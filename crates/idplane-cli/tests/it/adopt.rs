//! Brown-field adoption and removals, through the binary against the local AWS emulator: live
//! objects made with plain SDK calls the way a person would (AWS CLI flags, console defaults),
//! the spec a person would write plans empty; one changed field is an update naming exactly that
//! field, and everything else is kept. Settings removed from the spec are removed live, and the
//! next plan is empty.

use crate::offline::tempdir;
use crate::support::{Env, Run};
use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    AccountRecoverySettingType, AdminCreateUserConfigType, DeletionProtectionType,
    EmailConfigurationType, EmailSendingAccountType, PasswordPolicyType, RecoveryOptionNameType,
    RecoveryOptionType, SchemaAttributeType, UserAttributeUpdateSettingsType, UserPoolPolicyType,
    UserPoolTierType, UsernameAttributeType, VerificationMessageTemplateType,
    VerifiedAttributeType,
};
use idplane_testkit::{Account, Emulator};

struct Ctx {
    _account: Account,
    env: Env,
    cip: cip::Client,
    rt: tokio::runtime::Runtime,
}

impl Ctx {
    fn new() -> Ctx {
        let account = Emulator::shared().account();
        let key = account.credentials().access_key_id().to_string();
        let env = Env::aws(&account.endpoint(), &key);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let config = rt.block_on(account.sdk_config());
        Ctx {
            cip: cip::Client::new(&config),
            _account: account,
            env,
            rt,
        }
    }

    fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// Writes the spec and returns its path.
    fn spec(&self, text: &str) -> String {
        let path = tempdir().join("stack.yaml");
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    /// `plan --format json`: the (address, paths) of every change that is not a no-op.
    fn changes(&self, spec: &str) -> Vec<(String, Vec<String>)> {
        let run = self.env.run(&["plan", spec, "--format", "json"]);
        let run = run.expect(0);
        let plan: serde_json::Value = serde_json::from_str(&run.stdout).expect("plan JSON");
        plan["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["action"]["type"] != "no_op")
            .map(|c| {
                let paths = c["diffs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["path"].as_str().unwrap().to_string())
                    .collect();
                (c["address"].as_str().unwrap().to_string(), paths)
            })
            .collect()
    }

    #[track_caller]
    fn assert_empty_plan(&self, spec: &str) {
        let changes = self.changes(spec);
        assert!(changes.is_empty(), "plan is not empty: {changes:?}");
        self.env
            .run(&["plan", spec, "--detailed-exitcode"])
            .expect(0);
    }

    /// The first plan of a pool made outside idplane only adopts it (ownership tags, no
    /// diff); one apply, then the plan is empty.
    #[track_caller]
    fn adopt(&self, spec: &str) {
        let run = self.env.run(&["plan", spec, "--format", "json"]).expect(0);
        let plan: serde_json::Value = serde_json::from_str(&run.stdout).expect("plan JSON");
        let others: Vec<&serde_json::Value> = plan["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| {
                c["action"]["type"] != "no_op"
                    && (c["action"]["type"] != "adopt"
                        || !c["diffs"].as_array().is_none_or(Vec::is_empty))
            })
            .collect();
        assert!(others.is_empty(), "only adoptions: {others:?}");
        self.apply(spec);
        self.assert_empty_plan(spec);
    }

    fn apply(&self, spec: &str) -> Run {
        self.env.run(&["apply", spec, "--auto-approve"]).expect(0)
    }

    fn pool(&self, id: &str) -> cip::types::UserPoolType {
        self.block_on(self.cip.describe_user_pool().user_pool_id(id).send())
            .expect("DescribeUserPool")
            .user_pool
            .unwrap()
    }
}

fn one_change(changes: &[(String, Vec<String>)], address: &str, path: &str) {
    assert_eq!(
        changes,
        &[(address.to_string(), vec![path.to_string()])],
        "exactly one field changes"
    );
}

#[test]
fn a_pool_made_with_the_cli_legacy_verification_flags_adopts_without_a_diff() {
    let ctx = Ctx::new();
    // aws cognito-idp create-user-pool --pool-name legacy --email-verification-subject ...
    let created = ctx
        .block_on(
            ctx.cip
                .create_user_pool()
                .pool_name("legacy")
                .email_verification_subject("Your Acme code")
                .email_verification_message("Your Acme code is {####}")
                .send(),
        )
        .expect("CreateUserPool");
    let id = created.user_pool().unwrap().id().unwrap().to_string();
    let spec = |subject: &str| {
        format!(
            "version: 1\nstack: adopt\nregion: us-east-1\nuser_pools:\n  legacy:\n    id: {id}\n    \
             name: legacy\n    verification_message:\n      email_subject: \"{subject}\"\n      \
             email_message: \"Your Acme code is {{####}}\"\n"
        )
    };
    let path = ctx.spec(&spec("Your Acme code"));
    ctx.adopt(&path);

    let path = ctx.spec(&spec("Your new Acme code"));
    one_change(
        &ctx.changes(&path),
        "user_pools.legacy",
        "verification_message_template.email_subject",
    );
    ctx.apply(&path);
    let pool = ctx.pool(&id);
    let tpl = pool.verification_message_template().unwrap();
    assert_eq!(tpl.email_subject(), Some("Your new Acme code"));
    assert_eq!(tpl.email_message(), Some("Your Acme code is {####}"));
    // The legacy texts follow the template.
    assert_eq!(
        pool.email_verification_subject(),
        Some("Your new Acme code")
    );
    assert_eq!(
        pool.email_verification_message(),
        Some("Your Acme code is {####}")
    );
    ctx.assert_empty_plan(&path);
}

#[test]
fn a_console_pool_with_every_default_adopts_and_keeps_what_the_spec_does_not_say() {
    let ctx = Ctx::new();
    // What the console's "create user pool" sends with every default (email sign-in).
    let created = ctx
        .block_on(
            ctx.cip
                .create_user_pool()
                .pool_name("console")
                .username_attributes(UsernameAttributeType::Email)
                .auto_verified_attributes(VerifiedAttributeType::Email)
                .schema(
                    SchemaAttributeType::builder()
                        .name("email")
                        .required(true)
                        .mutable(true)
                        .build(),
                )
                .policies(
                    UserPoolPolicyType::builder()
                        .password_policy(
                            PasswordPolicyType::builder()
                                .minimum_length(8)
                                .require_uppercase(true)
                                .require_lowercase(true)
                                .require_numbers(true)
                                .require_symbols(true)
                                .temporary_password_validity_days(7)
                                .build(),
                        )
                        .build(),
                )
                .account_recovery_setting(
                    AccountRecoverySettingType::builder()
                        .recovery_mechanisms(
                            RecoveryOptionType::builder()
                                .name(RecoveryOptionNameType::VerifiedEmail)
                                .priority(1)
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .admin_create_user_config(
                    AdminCreateUserConfigType::builder()
                        .allow_admin_create_user_only(false)
                        .build(),
                )
                .email_configuration(
                    EmailConfigurationType::builder()
                        .email_sending_account(EmailSendingAccountType::CognitoDefault)
                        .build(),
                )
                .verification_message_template(
                    VerificationMessageTemplateType::builder()
                        .default_email_option(cip::types::DefaultEmailOptionType::ConfirmWithCode)
                        .build(),
                )
                .user_attribute_update_settings(
                    UserAttributeUpdateSettingsType::builder()
                        .attributes_require_verification_before_update(VerifiedAttributeType::Email)
                        .build(),
                )
                .deletion_protection(DeletionProtectionType::Active)
                .user_pool_tier(UserPoolTierType::Essentials)
                .send(),
        )
        .expect("CreateUserPool");
    let id = created.user_pool().unwrap().id().unwrap().to_string();
    let spec = |min: u32| {
        format!(
            "version: 1\nstack: adopt\nregion: us-east-1\nuser_pools:\n  console:\n    id: {id}\n    \
             name: console\n    sign_in: {{ username_attributes: [email] }}\n    \
             auto_verified_attributes: [email]\n    \
             schema: {{ email: {{ type: String, required: true, mutable: true }} }}\n    \
             password_policy: {{ minimum_length: {min} }}\n"
        )
    };
    let path = ctx.spec(&spec(8));
    ctx.adopt(&path);

    let path = ctx.spec(&spec(12));
    one_change(
        &ctx.changes(&path),
        "user_pools.console",
        "password_policy.minimum_length",
    );
    ctx.apply(&path);
    let pool = ctx.pool(&id);
    let pp = pool.policies().unwrap().password_policy().unwrap();
    assert_eq!(pp.minimum_length(), Some(12));
    assert!(pp.require_symbols());
    // What the spec does not say is kept: protection, tier, recovery, update settings.
    assert_eq!(
        pool.deletion_protection(),
        Some(&DeletionProtectionType::Active)
    );
    assert_eq!(pool.user_pool_tier(), Some(&UserPoolTierType::Essentials));
    assert_eq!(
        pool.account_recovery_setting()
            .map(|r| r.recovery_mechanisms().len()),
        Some(1)
    );
    assert_eq!(
        pool.user_attribute_update_settings()
            .map(|u| u.attributes_require_verification_before_update().to_vec()),
        Some(vec![VerifiedAttributeType::Email])
    );
    ctx.assert_empty_plan(&path);
}

#[test]
fn a_client_made_with_only_a_name_adopts_without_a_diff() {
    let ctx = Ctx::new();
    let pool = ctx
        .block_on(ctx.cip.create_user_pool().pool_name("apps").send())
        .expect("CreateUserPool");
    let pool = pool.user_pool().unwrap().id().unwrap().to_string();
    // aws cognito-idp create-user-pool-client --user-pool-id ... --client-name web
    let client = ctx
        .block_on(
            ctx.cip
                .create_user_pool_client()
                .user_pool_id(&pool)
                .client_name("web")
                .send(),
        )
        .expect("CreateUserPoolClient");
    let client = client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_string();
    let spec = |extra: &str| {
        format!(
            "version: 1\nstack: adopt\nregion: us-east-1\nuser_pools:\n  apps:\n    id: {pool}\n    \
             name: apps\n    clients:\n      web:\n        name: web\n{extra}"
        )
    };
    let path = ctx.spec(&spec(""));
    ctx.adopt(&path);

    let path = ctx.spec(&spec("        token_validity: { access: 30m }\n"));
    one_change(
        &ctx.changes(&path),
        "user_pools.apps.clients.web",
        "access_token_validity",
    );
    ctx.apply(&path);
    let c = ctx
        .block_on(
            ctx.cip
                .describe_user_pool_client()
                .user_pool_id(&pool)
                .client_id(&client)
                .send(),
        )
        .expect("DescribeUserPoolClient");
    let c = c.user_pool_client().unwrap();
    let mut flows: Vec<&str> = c.explicit_auth_flows().iter().map(|f| f.as_str()).collect();
    flows.sort();
    assert_eq!(
        flows,
        [
            "ALLOW_CUSTOM_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH"
        ]
    );
    ctx.assert_empty_plan(&path);
}

const MANAGED: &str = "version: 1\nstack: removals\nregion: us-east-1\nuser_pools:\n  main:\n    \
    name: main\n    invite_message:\n      email_subject: Welcome\n      \
    email_message: \"Hi {username}, your password is {####}\"\n    groups:\n      admins:\n        \
    description: Administrators\n        precedence: 1\n    clients:\n      web:\n        \
    name: web\n        oauth:\n          flows: [code]\n          scopes: [openid]\n          \
    callback_urls: [\"https://app.example.com/cb\"]\n          \
    default_redirect_uri: \"https://app.example.com/cb\"\n";

#[test]
fn settings_removed_from_the_spec_are_removed_live() {
    let ctx = Ctx::new();
    let path = ctx.spec(MANAGED);
    ctx.apply(&path);
    ctx.assert_empty_plan(&path);
    let pools = ctx
        .block_on(ctx.cip.list_user_pools().max_results(10).send())
        .unwrap();
    let id = pools.user_pools()[0].id().unwrap().to_string();

    let removed = MANAGED
        .replace(
            "    invite_message:\n      email_subject: Welcome\n      \
             email_message: \"Hi {username}, your password is {####}\"\n",
            "",
        )
        .replace("        description: Administrators\n", "")
        .replace(
            "          default_redirect_uri: \"https://app.example.com/cb\"\n",
            "",
        );
    assert_ne!(removed, MANAGED);
    let path = ctx.spec(&removed);
    let changes = ctx.changes(&path);
    assert_eq!(changes.len(), 3, "{changes:?}");
    ctx.apply(&path);
    ctx.assert_empty_plan(&path);

    let pool = ctx.pool(&id);
    let invite = pool
        .admin_create_user_config()
        .and_then(|c| c.invite_message_template());
    assert!(
        invite.is_none_or(|t| t.email_subject() != Some("Welcome")),
        "{invite:?}"
    );
    let group = ctx
        .block_on(
            ctx.cip
                .get_group()
                .user_pool_id(&id)
                .group_name("admins")
                .send(),
        )
        .unwrap();
    let group = group.group().unwrap();
    assert_eq!(group.description().unwrap_or_default(), "");
    assert_eq!(group.precedence(), Some(1));
    let clients = ctx
        .block_on(ctx.cip.list_user_pool_clients().user_pool_id(&id).send())
        .unwrap();
    let client_id = clients.user_pool_clients()[0]
        .client_id()
        .unwrap()
        .to_string();
    let client = ctx
        .block_on(
            ctx.cip
                .describe_user_pool_client()
                .user_pool_id(&id)
                .client_id(&client_id)
                .send(),
        )
        .unwrap();
    assert_eq!(
        client.user_pool_client().unwrap().default_redirect_uri(),
        None
    );
}

#[test]
fn deletion_protection_turned_on_by_hand_survives_plan_apply_and_drift() {
    let ctx = Ctx::new();
    let path = ctx.spec(MANAGED);
    ctx.apply(&path);
    let pools = ctx
        .block_on(ctx.cip.list_user_pools().max_results(10).send())
        .unwrap();
    let id = pools.user_pools()[0].id().unwrap().to_string();
    // Turned on in the console (which sends the whole pool back, as UpdateUserPool needs).
    let pool = ctx.pool(&id);
    ctx.block_on(
        ctx.cip
            .update_user_pool()
            .user_pool_id(&id)
            .pool_name("main")
            .set_admin_create_user_config(pool.admin_create_user_config().cloned())
            .set_policies(pool.policies().cloned())
            .set_user_pool_tags(pool.user_pool_tags().cloned())
            .set_verification_message_template(pool.verification_message_template().cloned())
            .set_email_configuration(pool.email_configuration().cloned())
            .deletion_protection(DeletionProtectionType::Active)
            .send(),
    )
    .expect("UpdateUserPool");
    ctx.assert_empty_plan(&path);
    ctx.env.run(&["drift", &path]).expect(0);
    // A change elsewhere in the pool keeps the protection on.
    let changed = MANAGED.replace("email_subject: Welcome", "email_subject: Hello");
    let path = ctx.spec(&changed);
    one_change(
        &ctx.changes(&path),
        "user_pools.main",
        "admin_create_user_config.invite_message_template.email_subject",
    );
    ctx.apply(&path);
    assert_eq!(
        ctx.pool(&id).deletion_protection(),
        Some(&DeletionProtectionType::Active)
    );
    ctx.assert_empty_plan(&path);
}

/// Identity Center and Identity Store fields removed from the spec: an Identity Store user's
/// email and a group's description are removed live (UpdateUser/UpdateGroup with an attribute
/// operation without a value); an application's description, which AWS cannot clear
/// (`UpdateApplication`'s `Description` is 1-128 characters, and left out it is unchanged), keeps
/// its live value and is no change, rather than an update that can never converge.
#[test]
fn identity_center_and_identity_store_fields_removed_from_the_spec() {
    const SPEC: &str = "version: 1
stack: clearing
region: us-east-1
identity_center:
  instance: auto
  applications:
    portal:
      name: Portal
      description: The portal
identity_store:
  users:
    jane:
      display_name: Jane Doe
      given_name: Jane
      family_name: Doe
      email: jane@example.com
  groups:
    analysts:
      display_name: Analysts
      description: Q Business users
      members: [jane]
";
    let ctx = Ctx::new();
    let path = ctx.spec(SPEC);
    ctx.apply(&path);
    ctx.assert_empty_plan(&path);

    let removed = SPEC
        .replace("      description: The portal\n", "")
        .replace("      email: jane@example.com\n", "")
        .replace("      description: Q Business users\n", "");
    let path = ctx.spec(&removed);
    let changes = ctx.changes(&path);
    let addresses: Vec<&str> = changes.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "identity_store.groups.analysts",
            "identity_store.users.jane"
        ],
        "{changes:?}"
    );
    ctx.apply(&path);
    ctx.assert_empty_plan(&path);

    let config = ctx.block_on(ctx._account.sdk_config());
    let sso = aws_sdk_ssoadmin::Client::new(&config);
    let ids = aws_sdk_identitystore::Client::new(&config);
    ctx.block_on(async {
        let instance = sso.list_instances().send().await.unwrap();
        let instance = &instance.instances()[0];
        let store = instance.identity_store_id().unwrap();
        let apps = sso
            .list_applications()
            .instance_arn(instance.instance_arn().unwrap())
            .send()
            .await
            .unwrap();
        let app = apps
            .applications()
            .iter()
            .find(|a| a.name() == Some("Portal"))
            .expect("the application");
        assert_eq!(
            app.description(),
            Some("The portal"),
            "kept: AWS cannot clear it"
        );
        let users = ids
            .list_users()
            .identity_store_id(store)
            .send()
            .await
            .unwrap();
        let jane = users
            .users()
            .iter()
            .find(|u| u.user_name() == Some("jane"))
            .expect("jane");
        assert!(jane.emails().is_empty(), "email removed: {jane:?}");
        let groups = ids
            .list_groups()
            .identity_store_id(store)
            .send()
            .await
            .unwrap();
        let analysts = groups
            .groups()
            .iter()
            .find(|g| g.display_name() == Some("Analysts"))
            .expect("Analysts");
        assert_eq!(analysts.description(), None, "description removed");
    });
}
