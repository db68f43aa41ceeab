//! Brown-field adoption: estates built with plain SDK calls, the way a person, the console or a
//! CLI script builds them (AWS's defaults, orders and spellings), described by the spec a person
//! writes. Each case requires: the first plan only adopts (ownership tags, nothing else), one
//! apply, then an empty plan; then one field changed in the spec plans an update naming exactly
//! that field, and after its apply every other live field is as before.
//!
//! One helper ([`check`]) and many small cases: add a case to [`CASES`] to extend it.

use crate::{Env, Sdk, env, pending, run};
use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_ssoadmin as sso;
use futures::future::BoxFuture;
use idplane_model::{Action, Desired, LiveObject, ObserveRequest, Observed, Plan, Provider};
use idplane_planner::PlanOptions;
use std::collections::BTreeMap;

/// Variables the built estate gives the spec (`${var.NAME}`): ids a person would copy.
type Vars = Vec<(&'static str, String)>;

/// One field changed in the spec after adoption: `from` is replaced by `to` in the spec text,
/// and the plan must update `address` in `field` only.
struct Edit {
    from: &'static str,
    to: &'static str,
    address: &'static str,
    field: &'static str,
}

struct Case {
    name: &'static str,
    build: for<'a> fn(&'a Live) -> BoxFuture<'a, Vars>,
    /// The spec body after `version`, `stack` and `region`.
    spec: &'static str,
    edit: Edit,
}

/// Plain SDK calls, as a script makes them.
struct Live {
    sdk: Sdk,
}

impl Live {
    async fn instance(&self) -> String {
        self.sdk.instance().await.0
    }

    async fn store(&self) -> String {
        self.sdk.instance().await.1
    }

    /// `aws cognito-idp create-user-pool --pool-name NAME --admin-create-user-config
    /// AllowAdminCreateUserOnly=True` (the invite texts AWS fills in for a pool that lets users
    /// sign up are another item's work).
    async fn pool(&self, name: &str) -> String {
        self.sdk
            .cip
            .create_user_pool()
            .pool_name(name)
            .admin_create_user_config(
                cip::types::AdminCreateUserConfigType::builder()
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
            .to_string()
    }

    /// seed 000's `create-user-pool` call.
    async fn seed_pool(&self) -> String {
        self.sdk
            .cip
            .create_user_pool()
            .pool_name("BlogTrustedTokenIssuer")
            .alias_attributes(cip::types::AliasAttributeType::Email)
            .schema(
                cip::types::SchemaAttributeType::builder()
                    .name("email")
                    .required(true)
                    .mutable(true)
                    .attribute_data_type(cip::types::AttributeDataType::String)
                    .build(),
            )
            .admin_create_user_config(
                cip::types::AdminCreateUserConfigType::builder()
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
            .to_string()
    }

    /// seed 000's `create-user-pool-client` call.
    async fn seed_client(&self, pool: &str) -> String {
        self.sdk
            .cip
            .create_user_pool_client()
            .user_pool_id(pool)
            .client_name("TTI")
            .explicit_auth_flows(cip::types::ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .explicit_auth_flows(cip::types::ExplicitAuthFlowsType::AllowUserSrpAuth)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email")
            .allowed_o_auth_scopes("profile")
            .allowed_o_auth_flows(cip::types::OAuthFlowType::Code)
            .callback_urls("http://localhost:8080")
            .send()
            .await
            .unwrap()
            .user_pool_client()
            .unwrap()
            .client_id()
            .unwrap()
            .to_string()
    }

    async fn tti(&self, name: &str, issuer: &str, claim: &str) -> String {
        let cfg = sso::types::OidcJwtConfiguration::builder()
            .issuer_url(issuer)
            .claim_attribute_path(claim)
            .identity_store_attribute_path("emails.value")
            .jwks_retrieval_option(sso::types::JwksRetrievalOption::OpenIdDiscovery)
            .build()
            .unwrap();
        self.sdk
            .sso
            .create_trusted_token_issuer()
            .instance_arn(self.instance().await)
            .name(name)
            .trusted_token_issuer_type(sso::types::TrustedTokenIssuerType::OidcJwt)
            .trusted_token_issuer_configuration(
                sso::types::TrustedTokenIssuerConfiguration::OidcJwtConfiguration(cfg),
            )
            .send()
            .await
            .unwrap()
            .trusted_token_issuer_arn()
            .unwrap()
            .to_string()
    }

    /// `aws sso-admin create-application --application-provider-arn ...custom --name NAME`.
    async fn app(&self, name: &str) -> String {
        self.sdk
            .sso
            .create_application()
            .instance_arn(self.instance().await)
            .application_provider_arn("arn:aws:sso::aws:applicationProvider/custom")
            .name(name)
            .send()
            .await
            .unwrap()
            .application_arn()
            .unwrap()
            .to_string()
    }

    async fn no_assignment_required(&self, app: &str) {
        self.sdk
            .sso
            .put_application_assignment_configuration()
            .application_arn(app)
            .assignment_required(false)
            .send()
            .await
            .unwrap();
    }

    async fn grant(&self, app: &str, grant_type: &str, grant: sso::types::Grant) {
        self.sdk
            .sso
            .put_application_grant()
            .application_arn(app)
            .grant_type(sso::types::GrantType::from(grant_type))
            .grant(grant)
            .send()
            .await
            .unwrap();
    }

    async fn jwt_bearer(&self, app: &str, tti: &str, audiences: &[&str]) {
        let issuer = sso::types::AuthorizedTokenIssuer::builder()
            .trusted_token_issuer_arn(tti)
            .set_authorized_audiences(Some(audiences.iter().map(|a| a.to_string()).collect()))
            .build();
        let grant = sso::types::Grant::JwtBearer(
            sso::types::JwtBearerGrant::builder()
                .authorized_token_issuers(issuer)
                .build(),
        );
        self.grant(app, "urn:ietf:params:oauth:grant-type:jwt-bearer", grant)
            .await;
    }

    async fn scope(&self, app: &str, scope: &str, targets: &[&str]) {
        self.sdk
            .sso
            .put_application_access_scope()
            .application_arn(app)
            .scope(scope)
            .set_authorized_targets(
                (!targets.is_empty()).then(|| targets.iter().map(|t| t.to_string()).collect()),
            )
            .send()
            .await
            .unwrap();
    }

    /// seed 000's `put-application-authentication-method` (the policy as the script writes it).
    async fn iam_method(&self, app: &str, account: &str) {
        let policy = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "AWS": account },
                "Action": "sso-oauth:CreateTokenWithIAM",
                "Resource": app,
            }]
        });
        let method = sso::types::AuthenticationMethod::Iam(
            sso::types::IamAuthenticationMethod::builder()
                .actor_policy(json_doc(&policy))
                .build()
                .unwrap(),
        );
        self.sdk
            .sso
            .put_application_authentication_method()
            .application_arn(app)
            .authentication_method_type(sso::types::AuthenticationMethodType::Iam)
            .authentication_method(method)
            .send()
            .await
            .unwrap();
    }

    async fn store_user(&self, user_name: &str, email: Option<&str>) -> String {
        let mut b = self
            .sdk
            .ids
            .create_user()
            .identity_store_id(self.store().await)
            .user_name(user_name)
            .display_name(format!("{user_name} (display)"))
            .name(
                aws_sdk_identitystore::types::Name::builder()
                    .given_name("Given")
                    .family_name("Family")
                    .build(),
            );
        if let Some(e) = email {
            b = b.emails(
                aws_sdk_identitystore::types::Email::builder()
                    .value(e)
                    .primary(true)
                    .r#type("work")
                    .build(),
            );
        }
        b.send().await.unwrap().user_id().to_string()
    }

    async fn store_group(&self, name: &str, description: Option<&str>) -> String {
        self.sdk
            .ids
            .create_group()
            .identity_store_id(self.store().await)
            .display_name(name)
            .set_description(description.map(str::to_string))
            .send()
            .await
            .unwrap()
            .group_id()
            .to_string()
    }

    async fn membership(&self, group: &str, user: &str) {
        self.sdk
            .ids
            .create_group_membership()
            .identity_store_id(self.store().await)
            .group_id(group)
            .member_id(aws_sdk_identitystore::types::MemberId::UserId(user.into()))
            .send()
            .await
            .unwrap();
    }

    async fn assign(&self, app: &str, principal_type: &str, principal: &str) {
        self.sdk
            .sso
            .create_application_assignment()
            .application_arn(app)
            .principal_type(sso::types::PrincipalType::from(principal_type))
            .principal_id(principal)
            .send()
            .await
            .unwrap();
    }
}

fn json_doc(v: &serde_json::Value) -> aws_smithy_types::Document {
    use aws_smithy_types::{Document, Number};
    match v {
        serde_json::Value::Null => Document::Null,
        serde_json::Value::Bool(b) => Document::Bool(*b),
        serde_json::Value::Number(n) => Document::Number(match n.as_i64() {
            Some(i) if i < 0 => Number::NegInt(i),
            Some(i) => Number::PosInt(i as u64),
            None => Number::Float(n.as_f64().unwrap_or_default()),
        }),
        serde_json::Value::String(s) => Document::String(s.clone()),
        serde_json::Value::Array(a) => Document::Array(a.iter().map(json_doc).collect()),
        serde_json::Value::Object(o) => {
            Document::Object(o.iter().map(|(k, v)| (k.clone(), json_doc(v))).collect())
        }
    }
}

fn load(name: &str, body: &str, vars: &Vars) -> Desired {
    let text = format!("version: 1\nstack: adopt\nregion: us-east-1\n{body}");
    let opts = idplane_spec::LoadOptions {
        vars: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        var_files: vec![],
        resolve_secrets: true,
    };
    let loaded = idplane_spec::load_str(&format!("{name}.yaml"), &text, &opts);
    let diags = idplane_spec::render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    loaded
        .desired
        .unwrap_or_else(|| panic!("{name}: the spec does not load:\n{diags}\n{text}"))
}

async fn observe(env: &Env, desired: &Desired) -> Observed {
    env.provider
        .observe(&ObserveRequest::from_desired(desired))
        .await
        .unwrap_or_else(|e| panic!("observe failed: {e}"))
}

async fn plan_of(env: &Env, desired: &Desired) -> Plan {
    let observed = observe(env, desired).await;
    idplane_planner::plan(desired, &observed, &PlanOptions::default())
        .unwrap_or_else(|e| panic!("plan failed: {e}"))
}

async fn apply_ok(env: &Env, name: &str, plan: &Plan) {
    let (report, _) = run(plan, &env.provider).await;
    assert!(report.is_success(), "{name}: apply failed: {report:#?}");
}

/// Live objects by (kind, parent, id), attributes only.
fn by_id(o: &Observed) -> BTreeMap<String, &LiveObject> {
    o.objects
        .iter()
        .map(|l| (format!("{} {:?} {}", l.kind, l.parent_id, l.id), l))
        .collect()
}

/// The whole check of one case.
async fn check(case: &Case) {
    let name = case.name;
    let env = env().await;
    let live = Live {
        sdk: Sdk::new(&env.sdk),
    };
    let vars = (case.build)(&live).await;
    let desired = load(name, case.spec, &vars);

    // 1. The first plan adopts, and does nothing else.
    let first = plan_of(&env, &desired).await;
    let others: Vec<String> = first
        .changes
        .iter()
        .filter(|c| !matches!(c.action, Action::NoOp | Action::Adopt))
        .map(|c| format!("{} {:?}", c.address, c.action))
        .collect();
    assert!(
        others.is_empty(),
        "{name}: the first plan must only adopt:\n{}",
        pending(&first)
    );
    for c in first.changes.iter().filter(|c| c.action == Action::Adopt) {
        assert!(c.kind.info().taggable, "{name}: {} adopted", c.address);
        assert!(
            c.diffs.is_empty(),
            "{name}: {} adopts with diffs",
            c.address
        );
    }
    assert!(
        first
            .changes
            .iter()
            .any(|c| c.action == Action::NoOp || c.action == Action::Adopt),
        "{name}: nothing matched"
    );
    if first.has_changes() {
        apply_ok(&env, name, &first).await;
    }
    let again = plan_of(&env, &desired).await;
    assert!(
        !again.has_changes(),
        "{name}: the plan after adoption is not empty:\n{}",
        pending(&again)
    );

    // 2. One field changed: an update naming exactly that field; everything else kept.
    let e = &case.edit;
    assert!(
        case.spec.contains(e.from),
        "{name}: the edit `{}` is not in the spec",
        e.from
    );
    let edited = load(name, &case.spec.replacen(e.from, e.to, 1), &vars);
    let before = observe(&env, &edited).await;
    let plan = plan_of(&env, &edited).await;
    let changes: Vec<(String, Action)> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| (c.address.to_string(), c.action))
        .collect();
    assert_eq!(
        changes,
        vec![(e.address.to_string(), Action::Update)],
        "{name}: one update\n{}",
        pending(&plan)
    );
    let change = plan.change(&crate::addr(e.address)).unwrap();
    let fields: Vec<&str> = change
        .diffs
        .iter()
        .map(|d| d.path.split('.').next().unwrap_or(""))
        .collect();
    assert!(
        !fields.is_empty() && fields.iter().all(|f| *f == e.field),
        "{name}: the update names {fields:?}, not only `{}`\n{}",
        e.field,
        pending(&plan)
    );
    apply_ok(&env, name, &plan).await;
    let after = observe(&env, &edited).await;
    let again = idplane_planner::plan(&edited, &after, &PlanOptions::default()).unwrap();
    assert!(
        !again.has_changes(),
        "{name}: the plan after the update is not empty:\n{}",
        pending(&again)
    );
    let (b, a) = (by_id(&before), by_id(&after));
    assert_eq!(
        b.keys().collect::<Vec<_>>(),
        a.keys().collect::<Vec<_>>(),
        "{name}: the same live objects"
    );
    let target = change.live_id.clone().unwrap();
    let norm = |o: &LiveObject| idplane_planner::normalize(o.kind, &o.attrs);
    for (k, old) in &b {
        let (old_attrs, new_attrs) = (norm(old), norm(a[k]));
        for (field, v) in &old_attrs {
            if old.id == target && field == e.field {
                continue;
            }
            assert_eq!(new_attrs.get(field), Some(v), "{name}: {k}: `{field}` kept");
        }
    }
    let changed = a
        .values()
        .find(|o| o.id == target)
        .and_then(|o| o.attrs.get(e.field));
    let was = b
        .values()
        .find(|o| o.id == target)
        .and_then(|o| o.attrs.get(e.field));
    assert_ne!(changed, was, "{name}: `{}` changed live", e.field);
}

/// The estate seed 000's CLI script builds (Steps 1 and 2).
fn seed_000(l: &Live) -> BoxFuture<'_, Vars> {
    Box::pin(async move {
        let pool = l.seed_pool().await;
        // Prefixes are unique per region: one per pool (cases run in parallel).
        let domain = format!(
            "demo-tti-{}",
            pool.rsplit('_')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        );
        l.sdk
            .cip
            .create_user_pool_domain()
            .domain(&domain)
            .user_pool_id(&pool)
            .send()
            .await
            .unwrap();
        let audience = l.seed_client(&pool).await;
        let issuer = format!("https://cognito-idp.us-east-1.amazonaws.com/{pool}");
        let tti = l.tti("cognito", &issuer, "email").await;
        let app = l.app("DemoApplication").await;
        l.no_assignment_required(&app).await;
        l.jwt_bearer(&app, &tti, &[&audience]).await;
        for scope in [
            "qbusiness:messages:access",
            "qbusiness:messages:read_write",
            "qbusiness:conversations:access",
            "qbusiness:conversations:read_write",
            "qbusiness:qapps:access",
        ] {
            l.scope(&app, scope, &[]).await;
        }
        l.iam_method(&app, "111122223333").await;
        vec![("pool", pool), ("domain", domain)]
    })
}

/// The hand-written spec of seed 000's estate (no ARN pins; the pool by id, as names repeat).
const SEED_000_SPEC: &str = r#"
user_pools:
  blog:
    id: "${var.pool}"
    name: BlogTrustedTokenIssuer
    sign_in: { alias_attributes: [email] }
    schema:
      email: { type: String, required: true, mutable: true }
    admin_create_user_only: true
    domain: { prefix: "${var.domain}" }
    clients:
      tti:
        name: TTI
        auth_flows: [refresh_token, user_srp]
        oauth:
          flows: [code]
          scopes: [openid, email, profile]
          callback_urls: ["http://localhost:8080"]
identity_center:
  instance: auto
  trusted_token_issuers:
    cognito:
      oidc_jwt:
        issuer_url: "${user_pools.blog.issuer_url}"
        claim_attribute_path: email
        identity_store_attribute_path: emails.value
  applications:
    demo:
      name: DemoApplication
      assignment_required: false
      grants:
        jwt_bearer:
          - issuer: "${identity_center.trusted_token_issuers.cognito.arn}"
            audiences: ["${user_pools.blog.clients.tti.id}"]
      access_scopes:
        - qbusiness:messages:access
        - qbusiness:messages:read_write
        - qbusiness:conversations:access
        - qbusiness:conversations:read_write
        - qbusiness:qapps:access
      authentication_methods:
        iam:
          actor_policy:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: { AWS: "111122223333" }
                Action: sso-oauth:CreateTokenWithIAM
                Resource: "${identity_center.applications.demo.arn}"
"#;

fn b<'a>(f: impl std::future::Future<Output = Vars> + Send + 'a) -> BoxFuture<'a, Vars> {
    Box::pin(f)
}

static CASES: &[Case] = &[
    Case {
        name: "seed_000_estate_claim",
        build: seed_000,
        spec: SEED_000_SPEC,
        edit: Edit {
            from: "claim_attribute_path: email",
            to: "claim_attribute_path: sub",
            address: "identity_center.trusted_token_issuers.cognito",
            field: "claim_attribute_path",
        },
    },
    Case {
        name: "seed_000_estate_auth_flows",
        build: seed_000,
        spec: SEED_000_SPEC,
        edit: Edit {
            from: "auth_flows: [refresh_token, user_srp]",
            to: "auth_flows: [refresh_token, user_srp, user_password]",
            address: "user_pools.blog.clients.tti",
            field: "explicit_auth_flows",
        },
    },
    Case {
        name: "seed_000_estate_actor_policy",
        build: seed_000,
        spec: SEED_000_SPEC,
        edit: Edit {
            from: r#"Principal: { AWS: "111122223333" }"#,
            to: r#"Principal: { AWS: "444455556666" }"#,
            address: "identity_center.applications.demo.authentication_methods.iam",
            field: "actor_policy",
        },
    },
    Case {
        name: "seed_000_estate_client_callback",
        build: seed_000,
        spec: SEED_000_SPEC,
        edit: Edit {
            from: r#"callback_urls: ["http://localhost:8080"]"#,
            to: r#"callback_urls: ["http://localhost:8080", "https://app.example.com/cb"]"#,
            address: "user_pools.blog.clients.tti",
            field: "callback_urls",
        },
    },
    Case {
        name: "pool_by_name_only",
        build: |l| b(async move { vec![("pool", l.pool("plain").await)] }),
        spec: "user_pools:\n  p:\n    id: \"${var.pool}\"\n    name: plain\n    admin_create_user_only: true\n",
        edit: Edit {
            from: "admin_create_user_only: true",
            to: "admin_create_user_only: true\n    tags: { team: identity }",
            address: "user_pools.p",
            field: "tags",
        },
    },
    Case {
        name: "resource_server_with_scopes_in_aws_order",
        build: |l| {
            b(async move {
                let pool = l.pool("rs").await;
                let scope = |n: &str, d: &str| {
                    cip::types::ResourceServerScopeType::builder()
                        .scope_name(n)
                        .scope_description(d)
                        .build()
                        .unwrap()
                };
                l.sdk
                    .cip
                    .create_resource_server()
                    .user_pool_id(&pool)
                    .identifier("https://api.example.com")
                    .name("api")
                    .scopes(scope("write", "Write"))
                    .scopes(scope("read", "Read"))
                    .send()
                    .await
                    .unwrap();
                vec![("pool", pool)]
            })
        },
        spec: r#"
user_pools:
  p:
    id: "${var.pool}"
    name: rs
    admin_create_user_only: true
    resource_servers:
      api:
        identifier: https://api.example.com
        scopes: { read: Read, write: Write }
"#,
        edit: Edit {
            from: "read: Read,",
            to: "read: Read everything,",
            address: "user_pools.p.resource_servers.api",
            field: "scopes",
        },
    },
    Case {
        name: "resource_server_without_scopes",
        build: |l| {
            b(async move {
                let pool = l.pool("rs0").await;
                l.sdk
                    .cip
                    .create_resource_server()
                    .user_pool_id(&pool)
                    .identifier("urn:api")
                    .name("Plain API")
                    .send()
                    .await
                    .unwrap();
                vec![("pool", pool)]
            })
        },
        spec: r#"
user_pools:
  p:
    id: "${var.pool}"
    name: rs0
    admin_create_user_only: true
    resource_servers:
      api:
        identifier: "urn:api"
        name: Plain API
"#,
        edit: Edit {
            from: "name: Plain API",
            to: "name: Plain API v2",
            address: "user_pools.p.resource_servers.api",
            field: "name",
        },
    },
    Case {
        name: "pool_group_with_description_and_precedence",
        build: |l| {
            b(async move {
                let pool = l.pool("groups").await;
                l.sdk
                    .cip
                    .create_group()
                    .user_pool_id(&pool)
                    .group_name("admins")
                    .description("Administrators")
                    .precedence(0)
                    .send()
                    .await
                    .unwrap();
                vec![("pool", pool)]
            })
        },
        spec: r#"
user_pools:
  p:
    id: "${var.pool}"
    name: groups
    admin_create_user_only: true
    groups:
      admins: { description: Administrators, precedence: 0 }
"#,
        edit: Edit {
            from: "precedence: 0",
            to: "precedence: 5",
            address: "user_pools.p.groups.admins",
            field: "precedence",
        },
    },
    Case {
        name: "pool_group_bare",
        build: |l| {
            b(async move {
                let pool = l.pool("bare-group").await;
                l.sdk
                    .cip
                    .create_group()
                    .user_pool_id(&pool)
                    .group_name("Readers")
                    .send()
                    .await
                    .unwrap();
                vec![("pool", pool)]
            })
        },
        spec: r#"
user_pools:
  p:
    id: "${var.pool}"
    name: bare-group
    admin_create_user_only: true
    groups:
      Readers: {}
"#,
        edit: Edit {
            from: "Readers: {}",
            to: "Readers: { description: People who read }",
            address: "user_pools.p.groups.Readers",
            field: "description",
        },
    },
    Case {
        name: "pool_group_with_role",
        build: |l| {
            b(async move {
                let pool = l.pool("role-group").await;
                l.sdk
                    .cip
                    .create_group()
                    .user_pool_id(&pool)
                    .group_name("ops")
                    .role_arn("arn:aws:iam::111122223333:role/ops")
                    .send()
                    .await
                    .unwrap();
                vec![("pool", pool)]
            })
        },
        spec: r#"
user_pools:
  p:
    id: "${var.pool}"
    name: role-group
    admin_create_user_only: true
    groups:
      ops: { role_arn: "arn:aws:iam::111122223333:role/ops" }
"#,
        edit: Edit {
            from: "role/ops\"",
            to: "role/ops-v2\"",
            address: "user_pools.p.groups.ops",
            field: "role_arn",
        },
    },
    Case {
        name: "saml_identity_provider_by_metadata_url",
        build: |l| {
            b(async move {
                let pool = l.pool("saml").await;
                l.sdk
                    .cip
                    .create_identity_provider()
                    .user_pool_id(&pool)
                    .provider_name("IAMIdentityCenter")
                    .provider_type(cip::types::IdentityProviderTypeType::Saml)
                    .provider_details(
                        "MetadataURL",
                        "https://portal.sso.us-east-1.amazonaws.com/saml/metadata/EXAMPLE",
                    )
                    .attribute_mapping("email", "Subject")
                    .send()
                    .await
                    .unwrap();
                vec![("pool", pool)]
            })
        },
        spec: r#"
user_pools:
  p:
    id: "${var.pool}"
    name: saml
    admin_create_user_only: true
    identity_providers:
      IAMIdentityCenter:
        saml: { metadata_url: "https://portal.sso.us-east-1.amazonaws.com/saml/metadata/EXAMPLE" }
        attribute_mapping: { email: Subject }
"#,
        edit: Edit {
            from: "email: Subject",
            to: "email: email",
            address: "user_pools.p.identity_providers.IAMIdentityCenter",
            field: "attribute_mapping",
        },
    },
    Case {
        name: "seed_client_by_name",
        build: |l| {
            b(async move {
                let pool = l.pool("clients").await;
                l.seed_client(&pool).await;
                vec![("pool", pool)]
            })
        },
        spec: r#"
user_pools:
  p:
    id: "${var.pool}"
    name: clients
    admin_create_user_only: true
    clients:
      tti:
        name: TTI
        auth_flows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
        oauth:
          flows: [code]
          scopes: [profile, email, openid]
          callback_urls: ["http://localhost:8080"]
"#,
        edit: Edit {
            from: "scopes: [profile, email, openid]",
            to: "scopes: [profile, email, openid, phone]",
            address: "user_pools.p.clients.tti",
            field: "allowed_oauth_scopes",
        },
    },
    Case {
        name: "identity_pool_plain",
        build: |l| {
            b(async move {
                let id = l
                    .sdk
                    .ci
                    .create_identity_pool()
                    .identity_pool_name("plain_identities")
                    .allow_unauthenticated_identities(false)
                    .send()
                    .await
                    .unwrap()
                    .identity_pool_id()
                    .to_string();
                vec![("identity_pool", id)]
            })
        },
        spec: r#"
identity_pools:
  plain:
    id: "${var.identity_pool}"
    name: plain_identities
"#,
        edit: Edit {
            from: "name: plain_identities",
            to: "name: plain_identities\n    allow_classic_flow: true",
            address: "identity_pools.plain",
            field: "allow_classic_flow",
        },
    },
    Case {
        name: "identity_pool_trusting_a_client_with_roles",
        build: |l| {
            b(async move {
                let pool = l.pool("readers").await;
                let client = l.seed_client(&pool).await;
                let id = l
                    .sdk
                    .ci
                    .create_identity_pool()
                    .identity_pool_name("readers_identities")
                    .allow_unauthenticated_identities(false)
                    .cognito_identity_providers(
                        aws_sdk_cognitoidentity::types::CognitoIdentityProvider::builder()
                            .provider_name(format!("cognito-idp.us-east-1.amazonaws.com/{pool}"))
                            .client_id(client)
                            .server_side_token_check(false)
                            .build(),
                    )
                    .send()
                    .await
                    .unwrap()
                    .identity_pool_id()
                    .to_string();
                l.sdk
                    .ci
                    .set_identity_pool_roles()
                    .identity_pool_id(&id)
                    .roles("authenticated", "arn:aws:iam::111122223333:role/readers")
                    .send()
                    .await
                    .unwrap();
                vec![("pool", pool), ("identity_pool", id)]
            })
        },
        spec: r#"
user_pools:
  readers:
    id: "${var.pool}"
    name: readers
    admin_create_user_only: true
    clients:
      cli:
        name: TTI
        auth_flows: [refresh_token, user_srp]
        oauth:
          flows: [code]
          scopes: [openid, email, profile]
          callback_urls: ["http://localhost:8080"]
identity_pools:
  s3:
    id: "${var.identity_pool}"
    name: readers_identities
    cognito_providers:
      - provider_name: "${user_pools.readers.provider_name}"
        client_id: "${user_pools.readers.clients.cli.id}"
    roles: { authenticated: "arn:aws:iam::111122223333:role/readers" }
"#,
        edit: Edit {
            from: "role/readers\" }",
            to: "role/readers-v2\" }",
            address: "identity_pools.s3",
            field: "roles",
        },
    },
    Case {
        name: "trusted_token_issuer_by_name",
        build: |l| {
            b(async move {
                l.tti("partner", "https://idp.example.com", "email").await;
                vec![]
            })
        },
        spec: r#"
identity_center:
  instance: auto
  trusted_token_issuers:
    partner:
      oidc_jwt:
        issuer_url: https://idp.example.com
        claim_attribute_path: email
        identity_store_attribute_path: emails.value
"#,
        edit: Edit {
            from: "identity_store_attribute_path: emails.value",
            to: "identity_store_attribute_path: userName",
            address: "identity_center.trusted_token_issuers.partner",
            field: "identity_store_attribute_path",
        },
    },
    Case {
        name: "application_bare_with_aws_default_assignment_configuration",
        build: |l| {
            b(async move {
                l.app("Bare").await;
                vec![]
            })
        },
        spec: "identity_center:\n  instance: auto\n  applications:\n    bare:\n      name: Bare\n",
        edit: Edit {
            from: "name: Bare",
            to: "name: Bare\n      description: A bare application",
            address: "identity_center.applications.bare",
            field: "description",
        },
    },
    Case {
        name: "application_assignment_required_default_spelled_out",
        build: |l| {
            b(async move {
                let app = l.app("Explicit").await;
                l.sdk
                    .sso
                    .put_application_assignment_configuration()
                    .application_arn(&app)
                    .assignment_required(true)
                    .send()
                    .await
                    .unwrap();
                let dave = l.store_user("dave", None).await;
                l.assign(&app, "USER", &dave).await;
                vec![]
            })
        },
        spec: "identity_center:\n  instance: auto\n  applications:\n    x:\n      name: Explicit\n      assignment_required: true\n      assignments: { users: [dave] }\n",
        edit: Edit {
            from: "assignment_required: true",
            to: "assignment_required: false",
            address: "identity_center.applications.x.assignment_configuration",
            field: "assignment_required",
        },
    },
    Case {
        name: "application_code_and_refresh_grants",
        build: |l| {
            b(async move {
                let app = l.app("WebApp").await;
                l.grant(
                    &app,
                    "authorization_code",
                    sso::types::Grant::AuthorizationCode(
                        sso::types::AuthorizationCodeGrant::builder()
                            .redirect_uris("https://b.example.com/cb")
                            .redirect_uris("https://a.example.com/cb")
                            .build(),
                    ),
                )
                .await;
                l.grant(
                    &app,
                    "refresh_token",
                    sso::types::Grant::RefreshToken(
                        sso::types::RefreshTokenGrant::builder().build(),
                    ),
                )
                .await;
                vec![]
            })
        },
        spec: r#"
identity_center:
  instance: auto
  applications:
    web:
      name: WebApp
      grants:
        authorization_code:
          redirect_uris: ["https://a.example.com/cb", "https://b.example.com/cb"]
        refresh_token: {}
"#,
        edit: Edit {
            from: r#"redirect_uris: ["https://a.example.com/cb", "https://b.example.com/cb"]"#,
            to: r#"redirect_uris: ["https://a.example.com/cb"]"#,
            address: "identity_center.applications.web.grants.authorization_code",
            field: "grant",
        },
    },
    Case {
        name: "application_token_exchange_grant_and_scope_targets",
        build: |l| {
            b(async move {
                let target = l.app("Target").await;
                let target2 = l.app("Target2").await;
                let app = l.app("Exchanger").await;
                l.grant(
                    &app,
                    "urn:ietf:params:oauth:grant-type:token-exchange",
                    sso::types::Grant::TokenExchange(
                        sso::types::TokenExchangeGrant::builder().build(),
                    ),
                )
                .await;
                l.scope(&app, "s3:access_grants:read_write", &[&target])
                    .await;
                vec![("target", target), ("target2", target2)]
            })
        },
        spec: r#"
identity_center:
  instance: auto
  applications:
    ex:
      name: Exchanger
      grants:
        token_exchange: {}
      access_scopes:
        - { scope: "s3:access_grants:read_write", authorized_targets: ["${var.target}"] }
"#,
        edit: Edit {
            from: r#"authorized_targets: ["${var.target}"]"#,
            to: r#"authorized_targets: ["${var.target}", "${var.target2}"]"#,
            address: r#"identity_center.applications.ex.access_scopes["s3:access_grants:read_write"]"#,
            field: "authorized_targets",
        },
    },
    Case {
        name: "application_with_assignments_of_users_and_groups",
        build: |l| {
            b(async move {
                let app = l.app("Assigned").await;
                l.sdk
                    .sso
                    .update_application()
                    .application_arn(&app)
                    .description("placeholder")
                    .send()
                    .await
                    .unwrap();
                let u = l.store_user("alice", Some("alice@example.com")).await;
                let g = l.store_group("Engineers", None).await;
                l.assign(&app, "USER", &u).await;
                l.assign(&app, "GROUP", &g).await;
                vec![]
            })
        },
        spec: r#"
identity_center:
  instance: auto
  applications:
    a:
      name: Assigned
      description: placeholder
      assignments: { users: [alice], groups: [Engineers] }
"#,
        edit: Edit {
            from: "description: placeholder",
            to: "description: assigned to people",
            address: "identity_center.applications.a",
            field: "description",
        },
    },
    Case {
        name: "identity_store_user",
        build: |l| {
            b(async move {
                l.store_user("bob", Some("bob@example.com")).await;
                vec![]
            })
        },
        spec: r#"
identity_center:
  instance: auto
identity_store:
  users:
    bob:
      display_name: bob (display)
      given_name: Given
      family_name: Family
      email: bob@example.com
"#,
        edit: Edit {
            from: "display_name: bob (display)",
            to: "display_name: Bob B.",
            address: "identity_store.users.bob",
            field: "display_name",
        },
    },
    Case {
        name: "identity_store_group_with_member",
        build: |l| {
            b(async move {
                let u = l.store_user("carol", None).await;
                let g = l.store_group("Admins", Some("The admins")).await;
                l.membership(&g, &u).await;
                vec![]
            })
        },
        spec: r#"
identity_center:
  instance: auto
identity_store:
  users:
    carol:
      display_name: carol (display)
      given_name: Given
      family_name: Family
  groups:
    Admins:
      description: The admins
      members: [carol]
"#,
        edit: Edit {
            from: "description: The admins",
            to: "description: Administrators",
            address: "identity_store.groups.Admins",
            field: "description",
        },
    },
    Case {
        name: "application_disabled_by_hand",
        build: |l| {
            b(async move {
                let app = l.app("Paused").await;
                l.sdk
                    .sso
                    .update_application()
                    .application_arn(&app)
                    .status(sso::types::ApplicationStatus::Disabled)
                    .send()
                    .await
                    .unwrap();
                vec![]
            })
        },
        spec: "identity_center:\n  instance: auto\n  applications:\n    p:\n      name: Paused\n      enabled: false\n",
        edit: Edit {
            from: "enabled: false",
            to: "enabled: true",
            address: "identity_center.applications.p",
            field: "status",
        },
    },
];

macro_rules! cases {
    ($($test:ident => $name:literal),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $test() {
            let case = CASES.iter().find(|c| c.name == $name).expect("a case of that name");
            check(case).await;
        }
    )*
    #[test]
    fn every_case_has_a_test() {
        let tested = [$($name),*];
        for c in CASES {
            assert!(tested.contains(&c.name), "case {} has no test", c.name);
        }
    }
    };
}

cases! {
    seed_000_estate_then_claim => "seed_000_estate_claim",
    seed_000_estate_then_auth_flows => "seed_000_estate_auth_flows",
    seed_000_estate_then_actor_policy => "seed_000_estate_actor_policy",
    seed_000_estate_then_client_callback => "seed_000_estate_client_callback",
    pool_by_name_only => "pool_by_name_only",
    resource_server_with_scopes_in_aws_order => "resource_server_with_scopes_in_aws_order",
    resource_server_without_scopes => "resource_server_without_scopes",
    pool_group_with_description_and_precedence => "pool_group_with_description_and_precedence",
    pool_group_bare => "pool_group_bare",
    pool_group_with_role => "pool_group_with_role",
    saml_identity_provider_by_metadata_url => "saml_identity_provider_by_metadata_url",
    seed_client_by_name => "seed_client_by_name",
    identity_pool_plain => "identity_pool_plain",
    identity_pool_trusting_a_client_with_roles => "identity_pool_trusting_a_client_with_roles",
    trusted_token_issuer_by_name => "trusted_token_issuer_by_name",
    application_bare_with_aws_default_assignment_configuration => "application_bare_with_aws_default_assignment_configuration",
    application_assignment_required_default_spelled_out => "application_assignment_required_default_spelled_out",
    application_code_and_refresh_grants => "application_code_and_refresh_grants",
    application_token_exchange_grant_and_scope_targets => "application_token_exchange_grant_and_scope_targets",
    application_with_assignments_of_users_and_groups => "application_with_assignments_of_users_and_groups",
    identity_store_user => "identity_store_user",
    identity_store_group_with_member => "identity_store_group_with_member",
    application_disabled_by_hand => "application_disabled_by_hand",
}
