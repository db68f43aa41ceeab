//! Generated spec texts for convergence campaigns: a stack of every kind idplane manages, at
//! any size (tests of concurrent applies, the fault campaign of `scripts/fault-campaign.sh`).

/// How many objects [`every_kind_spec`] declares for `units` units.
pub fn every_kind_objects(units: usize) -> usize {
    // Per unit: pool, domain, IdP, resource server, group, client, identity pool, application,
    // access scope, authentication method, assignment configuration, two assignments,
    // Identity Store user, group and membership (16), plus a trusted token issuer and its
    // jwt-bearer grant for the first ten units (AWS allows ten issuers per instance).
    units * 16 + units.min(MAX_ISSUERS) * 2
}

const MAX_ISSUERS: usize = 10;

/// A spec (YAML, version 1) of stack `stack` in `region` with `units` copies of one unit that
/// uses every kind: a user pool with a prefix domain, a SAML identity provider, a resource
/// server, a group and an app client; an identity pool trusting the client; a trusted token
/// issuer for the pool (first ten units) and an application with a jwt-bearer grant naming
/// it, an access scope, an IAM authentication method, its assignment configuration and two
/// assignments; an Identity Store user and a group with the user as member. Names carry the
/// stack, so stacks in one account do not collide.
pub fn every_kind_spec(stack: &str, region: &str, units: usize) -> String {
    let mut pools = String::new();
    let mut identity_pools = String::new();
    let mut issuers = String::new();
    let mut apps = String::new();
    let mut users = String::new();
    let mut groups = String::new();
    for i in 0..units {
        pools.push_str(&format!(
            r#"  p{i}:
    name: {stack}-pool-{i}
    sign_in: {{ alias_attributes: [email] }}
    schema: {{ email: {{ type: String, required: true, mutable: true }} }}
    admin_create_user_only: true
    domain: {{ prefix: "{stack}-login-{i}" }}
    identity_providers:
      Corp:
        saml: {{ metadata_url: "https://idp.example.com/{i}/metadata.xml" }}
        attribute_mapping:
          email: http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress
    resource_servers:
      api:
        identifier: https://api{i}.example.com
        name: api {i}
        scopes: {{ read: Read things }}
    groups:
      admins: {{ description: Administrators, precedence: 1 }}
    clients:
      web:
        name: web
        oauth:
          flows: [code]
          scopes: [openid, email, profile]
          callback_urls: ["https://app.example.com/callback"]
        identity_providers: [COGNITO, Corp]
"#
        ));
        identity_pools.push_str(&format!(
            r#"  ip{i}:
    name: {stack}_identities_{i}
    allow_unauthenticated: false
    cognito_providers:
      - provider_name: "${{user_pools.p{i}.provider_name}}"
        client_id: "${{user_pools.p{i}.clients.web.id}}"
        server_side_token_check: false
"#
        ));
        let grants = if i < MAX_ISSUERS {
            issuers.push_str(&format!(
                r#"    t{i}:
      name: {stack}-issuer-{i}
      oidc_jwt:
        issuer_url: "${{user_pools.p{i}.issuer_url}}"
        claim_attribute_path: email
        identity_store_attribute_path: emails.value
        jwks_retrieval_option: OPEN_ID_DISCOVERY
"#
            ));
            format!(
                r#"      grants:
        jwt_bearer:
          - issuer: "${{identity_center.trusted_token_issuers.t{i}.arn}}"
            audiences: ["${{user_pools.p{i}.clients.web.id}}"]
"#
            )
        } else {
            String::new()
        };
        apps.push_str(&format!(
            r#"    a{i}:
      name: {stack}-app-{i}
      description: Application {i}
      assignment_required: true
{grants}      access_scopes: [qbusiness:messages:access]
      authentication_methods:
        iam:
          actor_policy:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {{ AWS: "123456789012" }}
                Action: sso-oauth:CreateTokenWithIAM
                Resource: "*"
      assignments: {{ users: [{stack}-user-{i}], groups: [{stack}-group-{i}] }}
"#
        ));
        users.push_str(&format!(
            r#"    u{i}:
      user_name: {stack}-user-{i}
      display_name: User {i}
      given_name: Given
      family_name: Family{i}
      email: user{i}@example.com
"#
        ));
        groups.push_str(&format!(
            r#"    g{i}:
      display_name: {stack}-group-{i}
      description: Group {i}
      members: [{stack}-user-{i}]
"#
        ));
    }
    let issuers = if issuers.is_empty() {
        String::new()
    } else {
        format!("  trusted_token_issuers:\n{issuers}")
    };
    format!(
        "version: 1\nstack: {stack}\nregion: {region}\nuser_pools:\n{pools}identity_pools:\n\
         {identity_pools}identity_center:\n  instance: auto\n{issuers}  applications:\n{apps}\
         identity_store:\n  users:\n{users}  groups:\n{groups}"
    )
}
