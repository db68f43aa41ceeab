//! The `user_pool` kind: A Cognito user pool.

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `user_pool` (its field names).
pub mod field {
    pub const NAME: &str = "name";
    pub const ALIAS_ATTRIBUTES: &str = "alias_attributes";
    pub const USERNAME_ATTRIBUTES: &str = "username_attributes";
    pub const USERNAME_CASE_SENSITIVE: &str = "username_case_sensitive";
    pub const SCHEMA: &str = "schema";
    pub const AUTO_VERIFIED_ATTRIBUTES: &str = "auto_verified_attributes";
    pub const PASSWORD_POLICY: &str = "password_policy";
    pub const MFA_CONFIGURATION: &str = "mfa_configuration";
    pub const SOFTWARE_TOKEN_MFA: &str = "software_token_mfa";
    pub const ADMIN_CREATE_USER_CONFIG: &str = "admin_create_user_config";
    pub const ACCOUNT_RECOVERY: &str = "account_recovery";
    pub const EMAIL_CONFIGURATION: &str = "email_configuration";
    pub const SMS_CONFIGURATION: &str = "sms_configuration";
    pub const VERIFICATION_MESSAGE_TEMPLATE: &str = "verification_message_template";
    pub const LAMBDA_CONFIG: &str = "lambda_config";
    pub const DELETION_PROTECTION: &str = "deletion_protection";
    pub const ISSUER_TYPE: &str = "issuer_type";
    pub const TAGS: &str = "tags";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::UserPool,
    name: "user_pool",
    parent: None,
    taggable: true,
    natural_key: None,
    outputs: &["id", "arn", "issuer_url", "provider_name"],
    doc: "A Cognito user pool. Names are not unique: matched by pinned id, then ownership tag.",
    collection: "user_pools",
    service: Service::CognitoUserPools,
    writer_scope: WriterScope::Itself,
    parent_output: None,
    replace_order: ReplaceOrder::CreateThenDelete,
    adopt_by_name: false,
    singleton: Singleton::No,
    owns_all_children: true,
    deletable: true,
    moves_with_replaced_parent: false,
    settles_in_background: false,
    unique_in_cloud: false,
    keep_live_when_silent: &[field::ACCOUNT_RECOVERY, field::ISSUER_TYPE, field::SMS_CONFIGURATION, field::DELETION_PROTECTION],
    documents: &[],
    spec_key: str::to_string,
    fields: &[
        f(field::NAME, "PoolName."),
        f(field::ALIAS_ATTRIBUTES, "AliasAttributes: email, phone_number, preferred_username.")
            .immutable()
            .set()
            .default("[]"),
        f(field::USERNAME_ATTRIBUTES, "UsernameAttributes: email, phone_number.")
            .immutable()
            .set()
            .default("[]"),
        f(field::USERNAME_CASE_SENSITIVE, "UsernameConfiguration.CaseSensitive.")
            .immutable()
            .default("true"),
        f(
            field::SCHEMA,
            "Map attribute name -> {attribute_data_type, required, mutable, developer_only, \
             string_constraints {min_length, max_length}, number_constraints {min_value, max_value}}; \
             custom attributes as `custom:NAME`. Standard attributes not listed keep AWS defaults. \
             Custom attributes can only be added; changing required attributes needs a new pool.",
        )
        .default("{}"),
        f(field::AUTO_VERIFIED_ATTRIBUTES, "AutoVerifiedAttributes.")
            .set()
            .default("[]"),
        f(
            field::PASSWORD_POLICY,
            "{minimum_length, require_uppercase, require_lowercase, require_numbers, \
             require_symbols, temporary_password_validity_days, password_history_size}.",
        )
        .default(
            r#"{"minimum_length":8,"require_uppercase":true,"require_lowercase":true,"require_numbers":true,"require_symbols":true,"temporary_password_validity_days":7}"#,
        ),
        f(field::MFA_CONFIGURATION, "OFF, ON or OPTIONAL.").default(r#""OFF""#),
        f(field::SOFTWARE_TOKEN_MFA, "Software token (TOTP) MFA enabled.").default("false"),
        f(
            field::ADMIN_CREATE_USER_CONFIG,
            "{allow_admin_create_user_only, invite_message_template {email_subject, email_message, sms_message}}.",
        )
        // The invitation texts DescribeUserPool reports for a pool created without any; as the
        // default they are written back explicitly when the spec drops its own.
        .default(
            r#"{"allow_admin_create_user_only":false,"invite_message_template":{"email_message":"Your username is {username} and temporary password is {####}. ","email_subject":"Your temporary password","sms_message":"Your username is {username} and temporary password is {####}. "}}"#,
        ),
        f(
            field::ACCOUNT_RECOVERY,
            "List of {name: verified_email|verified_phone_number|admin_only, priority}.",
        ),
        f(
            field::EMAIL_CONFIGURATION,
            "{email_sending_account: COGNITO_DEFAULT|DEVELOPER, source_arn, from, reply_to_email_address, configuration_set}.",
        )
        .default(r#"{"email_sending_account":"COGNITO_DEFAULT"}"#),
        f(
            field::SMS_CONFIGURATION,
            "{sns_caller_arn, external_id, sns_region}. Cannot be removed once set.",
        ),
        f(
            field::VERIFICATION_MESSAGE_TEMPLATE,
            "{default_email_option: CONFIRM_WITH_CODE|CONFIRM_WITH_LINK, email_subject, email_message, \
             email_subject_by_link, email_message_by_link, sms_message}.",
        )
        // DescribeUserPool reports these texts for a pool created without any (seed 000's
        // script); as map defaults they are merged under whatever either side gives.
        .default(
            r#"{"default_email_option":"CONFIRM_WITH_CODE","email_message":"Your verification code is {####}. ","email_subject":"Your verification code","sms_message":"Your verification code is {####}. "}"#,
        ),
        f(
            field::LAMBDA_CONFIG,
            "Lambda triggers by ARN: {pre_sign_up, custom_message, post_confirmation, \
             pre_authentication, post_authentication, define_auth_challenge, \
             create_auth_challenge, verify_auth_challenge_response, pre_token_generation, \
             user_migration}, plus pre_token_generation_config {lambda_arn, lambda_version: \
             V1_0|V2_0|V3_0} (its lambda_arn always equals pre_token_generation).",
        )
        .default("{}"),
        // No default: a spec that does not mention it keeps the live value (an apply never
        // switches off protection turned on in the console); a new pool gets AWS's INACTIVE.
        f(
            field::DELETION_PROTECTION,
            "ACTIVE or INACTIVE; left out: the live value is kept.",
        ),
        f(
            field::ISSUER_TYPE,
            "IssuerConfiguration.Type: ORIGINAL or UPDATED (the issuer_url output follows it).",
        ),
        f(field::TAGS, "User tags (ownership tags are kept apart).").default("{}"),
    ],
};
