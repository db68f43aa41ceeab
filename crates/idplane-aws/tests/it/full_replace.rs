//! Full-replace updates through the provider keep what the spec does not manage and send only
//! what the pool's tier and MFA state accept: live objects made with plain SDK calls, updated
//! by the provider, read back with plain SDK calls.

use crate::{env, target};
use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    AcrLevelConfigType, SmsConfigurationType, SmsMfaConfigType, UserPoolMfaType, UserPoolTierType,
};
use idplane_model::{ErrorClass, Kind, LiveObject, Provider};

async fn live_pool(e: &crate::Env, id: &str) -> LiveObject {
    e.provider
        .read(Kind::UserPool, None, id)
        .await
        .expect("read pool")
        .expect("pool exists")
}

#[tokio::test]
async fn a_pool_update_keeps_the_acr_configuration() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    let out = sdk
        .create_user_pool()
        .pool_name("acr")
        .acr_configuration(
            "gold",
            AcrLevelConfigType::builder()
                .acr_value("urn:acme:gold")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let id = out.user_pool().unwrap().id().unwrap().to_string();
    let pool = live_pool(&e, &id).await;
    let t = target(Kind::UserPool, "user_pools.acr", None, r#"{"name":"acr2"}"#);
    e.provider.update(&pool, &t).await.expect("update");
    let after = sdk
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let after = after.user_pool().unwrap();
    assert_eq!(after.name(), Some("acr2"));
    assert!(
        after
            .acr_configuration()
            .is_some_and(|m| m.contains_key("gold")),
        "AcrConfiguration reset: {:?}",
        after.acr_configuration()
    );
}

#[tokio::test]
async fn turning_mfa_off_sends_no_sms_configuration() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    let out = sdk
        .create_user_pool()
        .pool_name("mfa")
        .send()
        .await
        .unwrap();
    let id = out.user_pool().unwrap().id().unwrap().to_string();
    sdk.set_user_pool_mfa_config()
        .user_pool_id(&id)
        .mfa_configuration(UserPoolMfaType::Optional)
        .sms_mfa_configuration(
            SmsMfaConfigType::builder()
                .sms_configuration(
                    SmsConfigurationType::builder()
                        .sns_caller_arn("arn:aws:iam::123456789012:role/sms")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let pool = live_pool(&e, &id).await;
    let t = target(
        Kind::UserPool,
        "user_pools.mfa",
        None,
        r#"{"mfa_configuration":"OFF","software_token_mfa":false}"#,
    );
    let updated = e.provider.update(&pool, &t).await.expect("MFA off");
    assert_eq!(updated.attrs["mfa_configuration"].as_str(), Some("OFF"));
    let mfa = sdk
        .get_user_pool_mfa_config()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(mfa.mfa_configuration(), Some(&UserPoolMfaType::Off));
}

#[tokio::test]
async fn a_lite_pool_is_never_sent_a_password_history_size() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    let out = sdk
        .create_user_pool()
        .pool_name("lite")
        .user_pool_tier(UserPoolTierType::Lite)
        .send()
        .await
        .unwrap();
    let id = out.user_pool().unwrap().id().unwrap().to_string();
    let pool = live_pool(&e, &id).await;
    // 0 is AWS's "off": dropped for a Lite pool.
    let t = target(
        Kind::UserPool,
        "user_pools.lite",
        None,
        r#"{"password_policy":{"minimum_length":10,"password_history_size":0}}"#,
    );
    e.provider
        .update(&pool, &t)
        .await
        .expect("update a Lite pool");
    let after = sdk
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let after = after.user_pool().unwrap();
    let pp = after.policies().unwrap().password_policy().unwrap();
    assert_eq!(pp.minimum_length(), Some(10));
    assert_eq!(after.user_pool_tier(), Some(&UserPoolTierType::Lite));
    // Any other size is refused before AWS is called.
    e.account.proxy().reset_counts();
    let t = target(
        Kind::UserPool,
        "user_pools.lite",
        None,
        r#"{"password_policy":{"minimum_length":10,"password_history_size":5}}"#,
    );
    let err = e.provider.update(&pool, &t).await.expect_err("refused");
    assert_eq!(err.class, ErrorClass::Validation, "{err}");
    assert!(err.to_string().contains("LITE"), "{err}");
    assert_eq!(e.account.proxy().calls("UpdateUserPool"), 0);
}

#[tokio::test]
async fn the_legacy_verification_texts_follow_the_template() {
    let e = env().await;
    let sdk = cip::Client::new(&e.sdk);
    // aws cognito-idp create-user-pool --email-verification-subject ... --email-verification-message ...
    let out = sdk
        .create_user_pool()
        .pool_name("legacy")
        .email_verification_subject("Your code")
        .email_verification_message("Code {####}")
        .send()
        .await
        .unwrap();
    let id = out.user_pool().unwrap().id().unwrap().to_string();
    let pool = live_pool(&e, &id).await;
    let t = target(
        Kind::UserPool,
        "user_pools.legacy",
        None,
        r#"{"verification_message_template":{"default_email_option":"CONFIRM_WITH_CODE",
            "email_subject":"Your new code","email_message":"Code {####}"}}"#,
    );
    e.provider
        .update(&pool, &t)
        .await
        .expect("update the template");
    let after = sdk
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let after = after.user_pool().unwrap();
    assert_eq!(
        after
            .verification_message_template()
            .unwrap()
            .email_subject(),
        Some("Your new code")
    );
    assert_eq!(after.email_verification_subject(), Some("Your new code"));
    assert_eq!(after.email_verification_message(), Some("Code {####}"));
}
