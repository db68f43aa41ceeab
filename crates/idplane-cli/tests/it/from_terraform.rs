//! `idplane export --from-terraform`: an estate built by hand (as Terraform would have built it)
//! and a `terraform show -json` document naming it, written the way Terraform writes one (format
//! version, module addresses, `for_each` and `count` keys), with every resource type idplane
//! maps. The export holds exactly the state's objects, pinned, with their addresses as
//! comments; its plan has nothing to add, change, replace or destroy; after one apply (tags
//! only) it plans empty.

use crate::e2e::{Ctx, build_seed_000_estate, writes};
use crate::offline::tempdir;
use serde_json::json;

/// The live ids of the hand-made estate, as a Terraform state would hold them.
struct Estate {
    pool: String,
    domain: String,
    client: String,
    tti: String,
    app: String,
    identity_pool: String,
    store: String,
    user: String,
    group: String,
    membership: String,
    /// A pool of the same region the state does not hold.
    other_pool: String,
}

/// The seed 000 estate plus the kinds it lacks (an IdP, a resource server, a group, an identity
/// pool, Identity Store user, group and membership, an application assignment), and a pool
/// that is not Terraform's.
fn build(ctx: &Ctx) -> Estate {
    use aws_sdk_cognitoidentityprovider::types as c;
    let pool = build_seed_000_estate(ctx);
    let config = ctx.block_on(ctx.account.sdk_config());
    let cip = aws_sdk_cognitoidentityprovider::Client::new(&config);
    let sso = aws_sdk_ssoadmin::Client::new(&config);
    let ids = aws_sdk_identitystore::Client::new(&config);
    let cid = aws_sdk_cognitoidentity::Client::new(&config);
    ctx.block_on(async {
        cip.create_identity_provider()
            .user_pool_id(&pool)
            .provider_name("Partner")
            .provider_type(c::IdentityProviderTypeType::Oidc)
            .provider_details("client_id", "partner-client")
            .provider_details("client_secret", "tf-canary-secret-4b1d")
            .provider_details("authorize_scopes", "openid email")
            .provider_details("oidc_issuer", "https://idp.example.com")
            .provider_details("attributes_request_method", "GET")
            .attribute_mapping("email", "email")
            .send()
            .await
            .expect("CreateIdentityProvider");
        cip.create_resource_server()
            .user_pool_id(&pool)
            .identifier("https://api.example.com")
            .name("api")
            .scopes(
                c::ResourceServerScopeType::builder()
                    .scope_name("read")
                    .scope_description("read")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("CreateResourceServer");
        cip.create_group()
            .user_pool_id(&pool)
            .group_name("admins")
            .description("Administrators")
            .send()
            .await
            .expect("CreateGroup");
        let described = cip
            .describe_user_pool()
            .user_pool_id(&pool)
            .send()
            .await
            .expect("DescribeUserPool");
        let domain = described.user_pool().unwrap().domain().unwrap().to_string();
        let clients = cip
            .list_user_pool_clients()
            .user_pool_id(&pool)
            .send()
            .await
            .expect("ListUserPoolClients");
        let client = clients.user_pool_clients()[0]
            .client_id()
            .unwrap()
            .to_string();
        let other_pool = cip
            .create_user_pool()
            .pool_name("NotTerraforms")
            .send()
            .await
            .expect("CreateUserPool")
            .user_pool()
            .unwrap()
            .id()
            .unwrap()
            .to_string();
        let identity_pool = cid
            .create_identity_pool()
            .identity_pool_name("tf_identities")
            .allow_unauthenticated_identities(false)
            .cognito_identity_providers(
                aws_sdk_cognitoidentity::types::CognitoIdentityProvider::builder()
                    .provider_name(format!("cognito-idp.us-east-1.amazonaws.com/{pool}"))
                    .client_id(&client)
                    .build(),
            )
            .send()
            .await
            .expect("CreateIdentityPool")
            .identity_pool_id()
            .to_string();
        let instances = sso.list_instances().send().await.unwrap();
        let instance = &instances.instances()[0];
        let store = instance.identity_store_id().unwrap().to_string();
        let tti = sso
            .list_trusted_token_issuers()
            .instance_arn(instance.instance_arn().unwrap())
            .send()
            .await
            .unwrap()
            .trusted_token_issuers()[0]
            .trusted_token_issuer_arn()
            .unwrap()
            .to_string();
        let app = sso
            .list_applications()
            .instance_arn(instance.instance_arn().unwrap())
            .send()
            .await
            .unwrap()
            .applications()
            .iter()
            .find(|a| a.name() == Some("DemoApplication"))
            .and_then(|a| a.application_arn())
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
            .send()
            .await
            .expect("CreateUser")
            .user_id()
            .to_string();
        let group = ids
            .create_group()
            .identity_store_id(&store)
            .display_name("Analysts")
            .send()
            .await
            .expect("CreateGroup")
            .group_id()
            .to_string();
        let membership = ids
            .create_group_membership()
            .identity_store_id(&store)
            .group_id(&group)
            .member_id(aws_sdk_identitystore::types::MemberId::UserId(user.clone()))
            .send()
            .await
            .expect("CreateGroupMembership")
            .membership_id()
            .to_string();
        sso.create_application_assignment()
            .application_arn(&app)
            .principal_id(&group)
            .principal_type(aws_sdk_ssoadmin::types::PrincipalType::Group)
            .send()
            .await
            .expect("CreateApplicationAssignment");
        Estate {
            pool,
            domain,
            client,
            tti,
            app,
            identity_pool,
            store,
            user,
            group,
            membership,
            other_pool,
        }
    })
}

/// One resource as `terraform show -json` prints it.
fn resource(
    address: &str,
    ty: &str,
    index: Option<serde_json::Value>,
    values: serde_json::Value,
) -> serde_json::Value {
    let name = address
        .rsplit_once('.')
        .map(|(_, n)| n.split('[').next().unwrap())
        .unwrap();
    let mut r = json!({
        "address": address, "mode": "managed", "type": ty, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
        "values": values, "sensitive_values": {}
    });
    if let Some(index) = index {
        r["index"] = index;
    }
    r
}

/// The state document: Cognito at the root (a `for_each` client), Identity Center in a module
/// (`count`), the Identity Store in a nested module, a data source, and two resources idplane
/// does not manage.
fn state(e: &Estate) -> String {
    let app = &e.app;
    let root = vec![
        resource(
            "aws_cognito_user_pool.blog",
            "aws_cognito_user_pool",
            None,
            json!({"id": e.pool, "name": "BlogTrustedTokenIssuer", "arn": format!("arn:aws:cognito-idp:us-east-1:123456789012:userpool/{}", e.pool)}),
        ),
        resource(
            "aws_cognito_user_pool_domain.blog",
            "aws_cognito_user_pool_domain",
            None,
            json!({"id": e.domain, "domain": e.domain, "user_pool_id": e.pool}),
        ),
        resource(
            "aws_cognito_user_pool_client.app[\"tti\"]",
            "aws_cognito_user_pool_client",
            Some(json!("tti")),
            json!({"id": e.client, "name": "TTI", "user_pool_id": e.pool}),
        ),
        resource(
            "aws_cognito_identity_provider.partner",
            "aws_cognito_identity_provider",
            None,
            json!({"id": format!("{}:Partner", e.pool), "provider_name": "Partner", "provider_type": "OIDC", "user_pool_id": e.pool}),
        ),
        resource(
            "aws_cognito_resource_server.api",
            "aws_cognito_resource_server",
            None,
            json!({"id": format!("{}|https://api.example.com", e.pool), "identifier": "https://api.example.com", "user_pool_id": e.pool}),
        ),
        resource(
            "aws_cognito_user_group.admins",
            "aws_cognito_user_group",
            None,
            json!({"id": format!("{}/admins", e.pool), "name": "admins", "user_pool_id": e.pool}),
        ),
        resource(
            "aws_cognito_identity_pool.main",
            "aws_cognito_identity_pool",
            None,
            json!({"id": e.identity_pool, "identity_pool_name": "tf_identities"}),
        ),
        resource(
            "aws_cognito_identity_pool_roles_attachment.main",
            "aws_cognito_identity_pool_roles_attachment",
            None,
            json!({"id": e.identity_pool, "identity_pool_id": e.identity_pool}),
        ),
        resource(
            "aws_cognito_user_pool_ui_customization.blog",
            "aws_cognito_user_pool_ui_customization",
            None,
            json!({"id": e.pool, "user_pool_id": e.pool, "client_id": "ALL"}),
        ),
        resource(
            "aws_iam_role.authenticated",
            "aws_iam_role",
            None,
            json!({"id": "authenticated"}),
        ),
    ];
    let tip = vec![
        resource(
            "module.tip.aws_ssoadmin_trusted_token_issuer.cognito[0]",
            "aws_ssoadmin_trusted_token_issuer",
            Some(json!(0)),
            json!({"id": e.tti, "arn": e.tti, "name": "cognito"}),
        ),
        resource(
            "module.tip.aws_ssoadmin_application.demo[0]",
            "aws_ssoadmin_application",
            Some(json!(0)),
            json!({"id": app, "application_arn": app, "name": "DemoApplication"}),
        ),
        resource(
            "module.tip.aws_ssoadmin_application_access_scope.q[\"qbusiness:qapps:access\"]",
            "aws_ssoadmin_application_access_scope",
            Some(json!("qbusiness:qapps:access")),
            json!({"id": format!("{app},qbusiness:qapps:access"), "application_arn": app, "scope": "qbusiness:qapps:access"}),
        ),
        resource(
            "module.tip.aws_ssoadmin_application_assignment_configuration.demo[0]",
            "aws_ssoadmin_application_assignment_configuration",
            Some(json!(0)),
            json!({"id": app, "application_arn": app, "assignment_required": false}),
        ),
        resource(
            "module.tip.aws_ssoadmin_application_assignment.analysts[0]",
            "aws_ssoadmin_application_assignment",
            Some(json!(0)),
            json!({"id": format!("{app},{},GROUP", e.group), "application_arn": app, "principal_id": e.group, "principal_type": "GROUP"}),
        ),
    ];
    let store = vec![
        resource(
            "module.tip.module.people.aws_identitystore_user.u[\"jane\"]",
            "aws_identitystore_user",
            Some(json!("jane")),
            json!({"id": format!("{}/{}", e.store, e.user), "identity_store_id": e.store, "user_id": e.user, "user_name": "jane"}),
        ),
        resource(
            "module.tip.module.people.aws_identitystore_group.g[\"Analysts\"]",
            "aws_identitystore_group",
            Some(json!("Analysts")),
            json!({"id": format!("{}/{}", e.store, e.group), "identity_store_id": e.store, "group_id": e.group, "display_name": "Analysts"}),
        ),
        resource(
            "module.tip.module.people.aws_identitystore_group_membership.m[\"jane\"]",
            "aws_identitystore_group_membership",
            Some(json!("jane")),
            json!({"id": format!("{}/{}", e.store, e.membership), "identity_store_id": e.store, "group_id": e.group, "member_id": e.user, "membership_id": e.membership}),
        ),
    ];
    let mut root_resources = root;
    root_resources.push(json!({
        "address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity",
        "name": "me", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
        "values": {"account_id": "123456789012"}, "sensitive_values": {}
    }));
    json!({
        "format_version": "1.0",
        "terraform_version": "1.9.5",
        "values": {"root_module": {
            "resources": root_resources,
            "child_modules": [{
                "address": "module.tip",
                "resources": tip,
                "child_modules": [{"address": "module.tip.module.people", "resources": store}]
            }]
        }}
    })
    .to_string()
}

#[test]
fn a_terraform_estate_exports_pinned_with_its_addresses_then_plans_no_change() {
    let ctx = Ctx::new();
    let estate = build(&ctx);
    let dir = tempdir();
    let state_file = dir.join("tf.json");
    std::fs::write(&state_file, state(&estate)).unwrap();
    let out = dir.join("from-terraform.yaml");
    let export = ctx
        .run(&[
            "export",
            "--from-terraform",
            state_file.to_str().unwrap(),
            "--stack",
            "from-tf",
            "--out",
            out.to_str().unwrap(),
        ])
        .expect(0);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        !text.contains("tf-canary-secret-4b1d"),
        "no secret exported"
    );
    // Exactly the state's objects: the pool that is not Terraform's is left out.
    assert!(text.contains(&estate.pool), "the pool is pinned: {text}");
    assert!(!text.contains(&estate.other_pool), "{text}");
    assert!(!text.contains("NotTerraforms"), "{text}");
    // TTI and application pinned by ARN; identity pool by id.
    for id in [&estate.tti, &estate.app, &estate.identity_pool] {
        assert!(text.contains(id.as_str()), "{id} pinned: {text}");
    }
    // Every mapped address is a comment above its object's entry.
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for (address, entry) in [
        ("aws_cognito_user_pool.blog", "blogtrustedtokenissuer:"),
        (
            "aws_cognito_user_pool_client.app[\"tti\"]",
            "blogtrustedtokenissuer:",
        ),
        (
            "aws_cognito_identity_pool_roles_attachment.main",
            "tf_identities:",
        ),
        (
            "module.tip.aws_ssoadmin_trusted_token_issuer.cognito[0]",
            "cognito:",
        ),
        (
            "module.tip.aws_ssoadmin_application_assignment.analysts[0]",
            "demoapplication:",
        ),
        (
            "module.tip.module.people.aws_identitystore_user.u[\"jane\"]",
            "jane:",
        ),
        (
            "module.tip.module.people.aws_identitystore_group_membership.m[\"jane\"]",
            "Analysts:",
        ),
    ] {
        let at = lines
            .iter()
            .position(|l| *l == format!("# terraform: {address}"))
            .unwrap_or_else(|| panic!("`# terraform: {address}` in:\n{text}"));
        let next = lines[at..].iter().find(|l| !l.starts_with('#')).unwrap();
        assert_eq!(*next, entry, "{address} sits above its entry:\n{text}");
    }
    // The hand-over commands, one per mapped resource, and what stays in Terraform.
    let rm: Vec<&str> = export
        .stderr
        .lines()
        .filter(|l| l.starts_with("terraform state rm "))
        .collect();
    assert_eq!(rm.len(), 16, "{}", export.stderr);
    assert!(
        rm.contains(&"terraform state rm 'aws_cognito_user_pool_client.app[\"tti\"]'"),
        "{rm:?}"
    );
    assert!(
        export
            .stderr
            .contains("aws_cognito_user_pool_ui_customization.blog (aws_cognito_user_pool_ui_customization) is not an object idplane manages"),
        "{}",
        export.stderr
    );
    assert!(!export.stderr.contains("aws_iam_role"), "{}", export.stderr);
    // The OIDC IdP's secret is a reference to fill in.
    let env = ctx.env.clone().with(
        "IDPLANE_SECRET_BLOGTRUSTEDTOKENISSUER_PARTNER",
        "tf-canary-secret-4b1d",
    );
    env.run(&["validate", out.to_str().unwrap()]).expect(0);
    let spec = out.to_str().unwrap();
    let plan = env.run(&["plan", spec, "--detailed-exitcode"]).expect(2);
    assert!(
        plan.stdout
            .contains("Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, "),
        "only adoptions:\n{}",
        plan.stdout
    );
    ctx.account.proxy().reset_counts();
    env.run(&["apply", spec, "--auto-approve"]).expect(0);
    let written = writes(&ctx);
    assert!(
        written.iter().all(|op| op.ends_with("TagResource")),
        "adopting writes tags only: {written:?}"
    );
    env.run(&["plan", spec, "--detailed-exitcode"]).expect(0);
}

#[test]
fn a_state_naming_objects_that_are_not_live_is_refused() {
    let ctx = Ctx::new();
    let dir = tempdir();
    let state_file = dir.join("tf.json");
    let state = json!({"format_version": "1.0", "values": {"root_module": {"resources": [
        resource("aws_cognito_user_pool.gone", "aws_cognito_user_pool", None,
            json!({"id": "us-east-1_Gone00000", "name": "gone"}))
    ]}}});
    std::fs::write(&state_file, state.to_string()).unwrap();
    let run = ctx
        .run(&["export", "--from-terraform", state_file.to_str().unwrap()])
        .expect(1);
    assert!(
        run.stderr
            .contains("aws_cognito_user_pool.gone (user_pool us-east-1_Gone00000)")
            && run.stderr.contains("terraform refresh"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "nothing exported: {}", run.stdout);
    // A raw .tfstate is not `terraform show -json`: the error says what to run.
    std::fs::write(&state_file, r#"{"version": 4, "resources": []}"#).unwrap();
    let run = ctx
        .run(&["export", "--from-terraform", state_file.to_str().unwrap()])
        .expect(1);
    assert!(
        run.stderr.contains("terraform show -json"),
        "{}",
        run.stderr
    );
}
