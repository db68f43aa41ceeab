//! cognito-identity: full-replace UpdateIdentityPool, identity pool roles and tags.

use aws_sdk_cognitoidentity::types::{
    AmbiguousRoleResolutionType, CognitoIdentityProvider, MappingRule, MappingRuleMatchType,
    RoleMapping, RoleMappingType, RulesConfigurationType,
};

use crate::support::{Ctx, code, ctx};

async fn identity_pool(c: &Ctx) -> String {
    c.ci.create_identity_pool()
        .identity_pool_name("ids")
        .allow_unauthenticated_identities(false)
        .allow_classic_flow(true)
        .supported_login_providers("accounts.google.com", "google-client")
        .cognito_identity_providers(
            CognitoIdentityProvider::builder()
                .provider_name("cognito-idp.us-east-1.amazonaws.com/us-east-1_abc")
                .client_id("client")
                .server_side_token_check(false)
                .build(),
        )
        .identity_pool_tags("idplane:stack", "demo")
        .send()
        .await
        .unwrap()
        .identity_pool_id()
        .to_string()
}

#[tokio::test]
async fn partial_update_identity_pool_resets_what_it_leaves_out() {
    let c = ctx().await;
    let id = identity_pool(&c).await;
    let before =
        c.ci.describe_identity_pool()
            .identity_pool_id(&id)
            .send()
            .await
            .unwrap();
    assert_eq!(before.allow_classic_flow(), Some(true));
    assert_eq!(before.cognito_identity_providers().len(), 1);

    let updated =
        c.ci.update_identity_pool()
            .identity_pool_id(&id)
            .identity_pool_name("renamed")
            .allow_unauthenticated_identities(true)
            .send()
            .await
            .unwrap();
    assert_eq!(updated.identity_pool_name(), "renamed");
    let after =
        c.ci.describe_identity_pool()
            .identity_pool_id(&id)
            .send()
            .await
            .unwrap();
    assert_eq!(after.identity_pool_name(), "renamed");
    assert!(after.allow_unauthenticated_identities());
    assert_eq!(after.allow_classic_flow(), Some(false));
    assert!(
        after
            .supported_login_providers()
            .is_none_or(|m| m.is_empty())
    );
    assert!(after.cognito_identity_providers().is_empty());
    assert_eq!(
        after
            .identity_pool_tags()
            .and_then(|t| t.get("idplane:stack"))
            .map(String::as_str),
        Some("demo"),
        "tags stay when the update names none"
    );
}

#[tokio::test]
async fn identity_pool_roles_round_trip() {
    let c = ctx().await;
    let id = identity_pool(&c).await;
    let empty =
        c.ci.get_identity_pool_roles()
            .identity_pool_id(&id)
            .send()
            .await
            .unwrap();
    assert!(empty.roles().is_none_or(|r| r.is_empty()));

    let provider = "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:client";
    let mapping = RoleMapping::builder()
        .r#type(RoleMappingType::Rules)
        .ambiguous_role_resolution(AmbiguousRoleResolutionType::AuthenticatedRole)
        .rules_configuration(
            RulesConfigurationType::builder()
                .rules(
                    MappingRule::builder()
                        .claim("cognito:groups")
                        .match_type(MappingRuleMatchType::Contains)
                        .value("admins")
                        .role_arn("arn:aws:iam::111122223333:role/admin")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    c.ci.set_identity_pool_roles()
        .identity_pool_id(&id)
        .roles("authenticated", "arn:aws:iam::111122223333:role/auth")
        .role_mappings(provider, mapping.clone())
        .send()
        .await
        .unwrap();
    let got =
        c.ci.get_identity_pool_roles()
            .identity_pool_id(&id)
            .send()
            .await
            .unwrap();
    assert_eq!(got.identity_pool_id(), Some(id.as_str()));
    assert_eq!(
        got.roles()
            .and_then(|r| r.get("authenticated"))
            .map(String::as_str),
        Some("arn:aws:iam::111122223333:role/auth")
    );
    assert_eq!(
        got.role_mappings().and_then(|m| m.get(provider)),
        Some(&mapping)
    );

    let bad =
        c.ci.set_identity_pool_roles()
            .identity_pool_id(&id)
            .roles("admin", "arn:aws:iam::111122223333:role/x")
            .send()
            .await;
    assert_eq!(code(bad), "InvalidParameterException");
    let missing =
        c.ci.get_identity_pool_roles()
            .identity_pool_id("us-east-1:00000000-0000-0000-0000-000000000000")
            .send()
            .await;
    assert_eq!(code(missing), "ResourceNotFoundException");
}

#[tokio::test]
async fn identity_pool_tags() {
    let c = ctx().await;
    let id = identity_pool(&c).await;
    let arn = format!(
        "arn:aws:cognito-identity:us-east-1:{}:identitypool/{id}",
        c.account.id()
    );
    c.ci.tag_resource()
        .resource_arn(&arn)
        .tags("owner", "team")
        .send()
        .await
        .unwrap();
    c.ci.untag_resource()
        .resource_arn(&arn)
        .tag_keys("idplane:stack")
        .send()
        .await
        .unwrap();
    let listed =
        c.ci.list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .unwrap();
    let tags = listed.tags().unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags.get("owner").map(String::as_str), Some("team"));
    let described =
        c.ci.describe_identity_pool()
            .identity_pool_id(&id)
            .send()
            .await
            .unwrap();
    assert_eq!(described.identity_pool_tags().map(|t| t.len()), Some(1));
}
