//! cognito-idp: AWS's full-replace updates, resource server update/delete, user pool tags.

use aws_sdk_cognitoidentityprovider::types::{
    AcrLevelConfigType, AliasAttributeType, AttributeDataType, DeletionProtectionType,
    ExplicitAuthFlowsType, OAuthFlowType, PasswordPolicyType, ResourceServerScopeType,
    SchemaAttributeType, SignInPolicyType, SmsConfigurationType, SmsMfaConfigType,
    SoftwareTokenMfaConfigType, UserPoolMfaType, UserPoolPolicyType, UserPoolTierType,
    UsernameConfigurationType, VerificationMessageTemplateType, VerifiedAttributeType,
};

use crate::support::{Ctx, code, ctx};

async fn pool(c: &Ctx) -> String {
    c.idp
        .create_user_pool()
        .pool_name("pool")
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn partial_update_user_pool_client_resets_what_it_leaves_out() {
    let c = ctx().await;
    let pool_id = pool(&c).await;
    let client = c
        .idp
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("web")
        .callback_urls("https://app.example.com/cb")
        .logout_urls("https://app.example.com/bye")
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_flows_user_pool_client(true)
        .supported_identity_providers("COGNITO")
        .refresh_token_validity(10)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_string();

    // A reconciler that sends only what it wants to change...
    c.idp
        .update_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client)
        .refresh_token_validity(5)
        .send()
        .await
        .unwrap();
    // ...wipes everything else, as AWS does.
    let described = c
        .idp
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client)
        .send()
        .await
        .unwrap();
    let after = described.user_pool_client().unwrap();
    assert_eq!(after.refresh_token_validity(), 5);
    assert!(
        after.callback_urls().is_empty(),
        "CallbackURLs survived: {:?}",
        after.callback_urls()
    );
    assert!(after.logout_urls().is_empty());
    assert!(after.allowed_o_auth_flows().is_empty());
    assert!(after.allowed_o_auth_scopes().is_empty());
    assert!(after.supported_identity_providers().is_empty());
    assert_eq!(after.allowed_o_auth_flows_user_pool_client(), Some(false));
    assert_eq!(after.client_name(), Some("web"));
    let mut flows: Vec<_> = after
        .explicit_auth_flows()
        .iter()
        .map(|f| f.as_str())
        .collect();
    flows.sort();
    assert_eq!(
        flows,
        vec![
            "ALLOW_CUSTOM_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH"
        ],
        "ExplicitAuthFlows left out means AWS's default flows"
    );

    let missing = c
        .idp
        .update_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id("nosuchclient")
        .send()
        .await;
    assert_eq!(code(missing), "ResourceNotFoundException");
}

#[tokio::test]
async fn update_user_pool_resets_updatable_fields_and_keeps_create_only_ones() {
    let c = ctx().await;
    let created = c
        .idp
        .create_user_pool()
        .pool_name("keep")
        .alias_attributes(AliasAttributeType::Email)
        .username_configuration(
            UsernameConfigurationType::builder()
                .case_sensitive(false)
                .build()
                .unwrap(),
        )
        .schema(
            SchemaAttributeType::builder()
                .name("tenant")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .build(),
        )
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(PasswordPolicyType::builder().minimum_length(12).build())
                .build(),
        )
        .email_verification_subject("Custom subject")
        .deletion_protection(DeletionProtectionType::Active)
        .send()
        .await
        .unwrap();
    let pool_id = created.user_pool().unwrap().id().unwrap().to_string();

    c.idp
        .update_user_pool()
        .user_pool_id(&pool_id)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .unwrap();
    let after = c
        .idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    let after = after.user_pool().unwrap();
    // Create-only fields stay.
    assert_eq!(after.alias_attributes(), &[AliasAttributeType::Email]);
    assert_eq!(
        after.username_configuration().map(|u| u.case_sensitive()),
        Some(false)
    );
    assert!(
        after
            .schema_attributes()
            .iter()
            .any(|a| a.name() == Some("custom:tenant") || a.name() == Some("tenant")),
        "custom attribute lost: {:?}",
        after.schema_attributes()
    );
    // What the update named is set; what it left out is back to its default.
    assert_eq!(
        after.auto_verified_attributes(),
        &[VerifiedAttributeType::Email]
    );
    let min = after
        .policies()
        .and_then(|p| p.password_policy())
        .and_then(|p| p.minimum_length());
    assert_eq!(min, Some(8));
    assert_ne!(after.email_verification_subject(), Some("Custom subject"));
    assert_eq!(
        after.deletion_protection(),
        Some(&DeletionProtectionType::Inactive)
    );
}

#[tokio::test]
async fn user_pool_tags_are_kept_and_served() {
    let c = ctx().await;
    let created = c
        .idp
        .create_user_pool()
        .pool_name("tagged")
        .user_pool_tags("idplane:stack", "demo")
        .send()
        .await
        .unwrap();
    let pool = created.user_pool().unwrap();
    let arn = pool.arn().unwrap().to_string();
    let id = pool.id().unwrap().to_string();
    let described = c
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let tags = described.user_pool().unwrap().user_pool_tags().unwrap();
    assert_eq!(tags.get("idplane:stack").map(String::as_str), Some("demo"));

    c.idp
        .tag_resource()
        .resource_arn(&arn)
        .tags("owner", "team-a")
        .send()
        .await
        .unwrap();
    c.idp
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("idplane:stack")
        .send()
        .await
        .unwrap();
    let listed = c
        .idp
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    let listed = listed.tags().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed.get("owner").map(String::as_str), Some("team-a"));

    // An update that names no tags leaves them.
    c.idp
        .update_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let described = c
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described
            .user_pool()
            .unwrap()
            .user_pool_tags()
            .map(|t| t.len()),
        Some(1)
    );

    let other = arn.replace(&id, "us-east-1_nosuchpool");
    let missing = c
        .idp
        .list_tags_for_resource()
        .resource_arn(other)
        .send()
        .await;
    assert_eq!(code(missing), "ResourceNotFoundException");
}

#[tokio::test]
async fn resource_server_update_replaces_and_delete_removes() {
    let c = ctx().await;
    let pool_id = pool(&c).await;
    let scope = |n: &str| {
        ResourceServerScopeType::builder()
            .scope_name(n)
            .scope_description(n)
            .build()
            .unwrap()
    };
    c.idp
        .create_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .name("api")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .unwrap();
    let updated = c
        .idp
        .update_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .name("api-renamed")
        .send()
        .await
        .unwrap();
    let rs = updated.resource_server().unwrap();
    assert_eq!(rs.name(), Some("api-renamed"));
    assert!(rs.scopes().is_empty(), "scopes left out must be removed");
    let described = c
        .idp
        .describe_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .send()
        .await
        .unwrap();
    assert!(described.resource_server().unwrap().scopes().is_empty());

    c.idp
        .delete_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .send()
        .await
        .unwrap();
    let gone = c
        .idp
        .describe_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
    let again = c
        .idp
        .update_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .name("x")
        .send()
        .await;
    assert_eq!(code(again), "ResourceNotFoundException");
}

#[tokio::test]
async fn update_user_pool_resets_acr_configuration_tier_and_protection_left_out() {
    let c = ctx().await;
    let created = c
        .idp
        .create_user_pool()
        .pool_name("acr")
        .acr_configuration(
            "gold",
            AcrLevelConfigType::builder()
                .acr_value("urn:acme:gold")
                .build()
                .unwrap(),
        )
        .user_pool_tier(UserPoolTierType::Plus)
        .deletion_protection(DeletionProtectionType::Active)
        .send()
        .await
        .unwrap();
    let created = created.user_pool().unwrap();
    assert!(
        created
            .acr_configuration()
            .is_some_and(|m| m.contains_key("gold"))
    );
    assert_eq!(created.user_pool_tier(), Some(&UserPoolTierType::Plus));
    let id = created.id().unwrap().to_string();
    c.idp
        .update_user_pool()
        .user_pool_id(&id)
        .pool_name("acr")
        .send()
        .await
        .unwrap();
    let after = c
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let after = after.user_pool().unwrap();
    assert!(after.acr_configuration().is_none(), "{after:?}");
    assert_eq!(after.user_pool_tier(), Some(&UserPoolTierType::Essentials));
    assert_eq!(
        after.deletion_protection(),
        Some(&DeletionProtectionType::Inactive)
    );
}

#[tokio::test]
async fn a_pool_defaults_to_essentials_and_lite_refuses_essentials_policies() {
    let c = ctx().await;
    let id = pool(&c).await;
    let d = c
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        d.user_pool().unwrap().user_pool_tier(),
        Some(&UserPoolTierType::Essentials)
    );
    let history = UserPoolPolicyType::builder()
        .password_policy(
            PasswordPolicyType::builder()
                .minimum_length(8)
                .password_history_size(3)
                .build(),
        )
        .build();
    let refused = c
        .idp
        .create_user_pool()
        .pool_name("lite")
        .user_pool_tier(UserPoolTierType::Lite)
        .policies(history.clone())
        .send()
        .await;
    assert_eq!(code(refused), "FeatureUnavailableInTierException");
    let refused = c
        .idp
        .update_user_pool()
        .user_pool_id(&id)
        .user_pool_tier(UserPoolTierType::Lite)
        .policies(
            UserPoolPolicyType::builder()
                .sign_in_policy(SignInPolicyType::builder().build())
                .build(),
        )
        .send()
        .await;
    assert_eq!(code(refused), "FeatureUnavailableInTierException");
    // Essentials takes both.
    c.idp
        .update_user_pool()
        .user_pool_id(&id)
        .policies(history)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn legacy_verification_texts_and_the_template_are_kept_in_step() {
    let c = ctx().await;
    // The AWS CLI's --email-verification-subject / --email-verification-message.
    let created = c
        .idp
        .create_user_pool()
        .pool_name("legacy")
        .email_verification_subject("Welcome")
        .email_verification_message("Code: {####}")
        .send()
        .await
        .unwrap();
    let p = created.user_pool().unwrap();
    let tpl = p.verification_message_template().unwrap();
    assert_eq!(tpl.email_subject(), Some("Welcome"));
    assert_eq!(tpl.email_message(), Some("Code: {####}"));
    assert_eq!(p.email_verification_subject(), Some("Welcome"));
    let id = p.id().unwrap().to_string();
    // The template alone: the legacy texts follow it.
    c.idp
        .update_user_pool()
        .user_pool_id(&id)
        .verification_message_template(
            VerificationMessageTemplateType::builder()
                .email_subject("Hello")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let d = c
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        d.user_pool().unwrap().email_verification_subject(),
        Some("Hello")
    );
    // Both, saying different things: refused.
    let refused = c
        .idp
        .update_user_pool()
        .user_pool_id(&id)
        .email_verification_subject("Welcome")
        .verification_message_template(
            VerificationMessageTemplateType::builder()
                .email_subject("Hello")
                .build(),
        )
        .send()
        .await;
    assert_eq!(code(refused), "InvalidParameterException");
}

#[tokio::test]
async fn mfa_cannot_be_turned_off_together_with_an_sms_configuration() {
    let c = ctx().await;
    let id = pool(&c).await;
    let sms = SmsMfaConfigType::builder()
        .sms_configuration(
            SmsConfigurationType::builder()
                .sns_caller_arn("arn:aws:iam::123456789012:role/sms")
                .build(),
        )
        .build();
    c.idp
        .set_user_pool_mfa_config()
        .user_pool_id(&id)
        .mfa_configuration(UserPoolMfaType::Optional)
        .sms_mfa_configuration(sms.clone())
        .send()
        .await
        .unwrap();
    let refused = c
        .idp
        .set_user_pool_mfa_config()
        .user_pool_id(&id)
        .mfa_configuration(UserPoolMfaType::Off)
        .sms_mfa_configuration(sms)
        .send()
        .await;
    assert_eq!(code(refused), "InvalidParameterException");
    c.idp
        .set_user_pool_mfa_config()
        .user_pool_id(&id)
        .mfa_configuration(UserPoolMfaType::Off)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(false).build(),
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn update_group_changes_only_what_it_is_given() {
    let c = ctx().await;
    let id = pool(&c).await;
    c.idp
        .create_group()
        .user_pool_id(&id)
        .group_name("g")
        .description("d")
        .precedence(2)
        .role_arn("arn:aws:iam::123456789012:role/g")
        .send()
        .await
        .unwrap();
    let out = c
        .idp
        .update_group()
        .user_pool_id(&id)
        .group_name("g")
        .description("")
        .send()
        .await
        .unwrap();
    let g = out.group().unwrap();
    assert_eq!(g.description().unwrap_or_default(), "");
    assert_eq!(g.precedence(), Some(2));
    assert_eq!(g.role_arn(), Some("arn:aws:iam::123456789012:role/g"));
    // A role cannot be cleared: RoleArn is at least 20 characters.
    let refused = c
        .idp
        .update_group()
        .user_pool_id(&id)
        .group_name("g")
        .role_arn("")
        .send()
        .await;
    assert_eq!(code(refused), "InvalidParameterException");
}
