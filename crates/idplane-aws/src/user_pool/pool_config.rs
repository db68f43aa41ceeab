//! The SDK shapes of a user pool's nested settings (password policy, Lambda triggers, schema
//! attributes, admin-create-user, recovery, email, SMS and verification templates), built from
//! the kind's fields for CreateUserPool and UpdateUserPool.

use crate::convert::{get_bool, get_i32, get_map, get_str, get_strs};
use crate::error::invalid;
use aws_sdk_cognitoidentityprovider::types as t;
use idplane_model::{Attrs, ProviderError, Value};
use std::collections::BTreeMap;

pub(super) fn password_policy(m: &BTreeMap<String, Value>) -> t::PasswordPolicyType {
    t::PasswordPolicyType::builder()
        .set_minimum_length(get_i32(m, "minimum_length"))
        .require_uppercase(get_bool(m, "require_uppercase").unwrap_or(true))
        .require_lowercase(get_bool(m, "require_lowercase").unwrap_or(true))
        .require_numbers(get_bool(m, "require_numbers").unwrap_or(true))
        .require_symbols(get_bool(m, "require_symbols").unwrap_or(true))
        .temporary_password_validity_days(
            get_i32(m, "temporary_password_validity_days").unwrap_or(7),
        )
        .set_password_history_size(get_i32(m, "password_history_size"))
        .build()
}

/// The password policy a pool of this tier accepts: a Lite pool is never sent
/// `PasswordHistorySize` (0, AWS's "off", is dropped; any other value is an error).
pub(super) fn tier_password_policy(
    m: &BTreeMap<String, Value>,
    lite: bool,
    op: &str,
) -> Result<BTreeMap<String, Value>, ProviderError> {
    let mut m = m.clone();
    if lite && let Some(n) = m.remove("password_history_size") {
        let off = matches!(n, Value::Int(0) | Value::Null) || n.as_str() == Some("0");
        if !off {
            return Err(invalid(
                op,
                "password_policy.password_history_size needs the ESSENTIALS or PLUS feature \
                 plan; this pool is LITE",
            ));
        }
    }
    Ok(m)
}

pub(super) fn lambda_config(
    base: Option<&t::LambdaConfigType>,
    m: &BTreeMap<String, Value>,
) -> t::LambdaConfigType {
    let mut b = t::LambdaConfigType::builder();
    if let Some(l) = base {
        b = b
            .set_custom_sms_sender(l.custom_sms_sender().cloned())
            .set_custom_email_sender(l.custom_email_sender().cloned())
            .set_kms_key_id(l.kms_key_id().map(str::to_string))
            .set_inbound_federation(l.inbound_federation().cloned());
    }
    let g = |k: &str| get_str(m, k);
    let pre_token = pre_token_config(m);
    b.set_pre_sign_up(g("pre_sign_up"))
        .set_custom_message(g("custom_message"))
        .set_post_confirmation(g("post_confirmation"))
        .set_pre_authentication(g("pre_authentication"))
        .set_post_authentication(g("post_authentication"))
        .set_define_auth_challenge(g("define_auth_challenge"))
        .set_create_auth_challenge(g("create_auth_challenge"))
        .set_verify_auth_challenge_response(g("verify_auth_challenge_response"))
        .set_pre_token_generation(pre_token.as_ref().map(|c| c.lambda_arn().to_string()))
        .set_pre_token_generation_config(pre_token)
        .set_user_migration(g("user_migration"))
        .build()
}

/// The pre token generation trigger of `m`, both halves in step (AWS refuses them unequal): the
/// config's ARN, else the plain trigger; the version from the config, else `V1_0`. None when
/// `m` has no pre-token trigger (then neither half is sent, and AWS removes both).
pub(super) fn pre_token_config(
    m: &BTreeMap<String, Value>,
) -> Option<t::PreTokenGenerationVersionConfigType> {
    let config = get_map(m, "pre_token_generation_config");
    let arn = config
        .and_then(|c| get_str(c, "lambda_arn"))
        .or_else(|| get_str(m, "pre_token_generation"))?;
    let version = config
        .and_then(|c| get_str(c, "lambda_version"))
        .unwrap_or_else(|| "V1_0".to_string());
    t::PreTokenGenerationVersionConfigType::builder()
        .lambda_arn(arn)
        .lambda_version(t::PreTokenGenerationLambdaVersionType::from(
            version.as_str(),
        ))
        .build()
        .ok()
}

pub(super) fn schema_attr(name: &str, m: &BTreeMap<String, Value>) -> t::SchemaAttributeType {
    let bare = name
        .strip_prefix("dev:custom:")
        .or_else(|| name.strip_prefix("custom:"))
        .unwrap_or(name);
    let sc = get_map(m, "string_constraints").map(|c| {
        t::StringAttributeConstraintsType::builder()
            .set_min_length(get_str(c, "min_length"))
            .set_max_length(get_str(c, "max_length"))
            .build()
    });
    let nc = get_map(m, "number_constraints").map(|c| {
        t::NumberAttributeConstraintsType::builder()
            .set_min_value(get_str(c, "min_value"))
            .set_max_value(get_str(c, "max_value"))
            .build()
    });
    t::SchemaAttributeType::builder()
        .name(bare)
        .set_attribute_data_type(
            get_str(m, "attribute_data_type").map(|s| t::AttributeDataType::from(s.as_str())),
        )
        .set_required(get_bool(m, "required"))
        .set_mutable(get_bool(m, "mutable"))
        .set_developer_only_attribute(get_bool(m, "developer_only"))
        .set_string_attribute_constraints(sc)
        .set_number_attribute_constraints(nc)
        .build()
}

pub(super) fn admin_create_user_config(
    m: &BTreeMap<String, Value>,
) -> t::AdminCreateUserConfigType {
    let tpl = get_map(m, "invite_message_template").map(|x| {
        t::MessageTemplateType::builder()
            .set_email_subject(get_str(x, "email_subject"))
            .set_email_message(get_str(x, "email_message"))
            .set_sms_message(get_str(x, "sms_message"))
            .build()
    });
    t::AdminCreateUserConfigType::builder()
        .set_allow_admin_create_user_only(get_bool(m, "allow_admin_create_user_only"))
        .set_invite_message_template(tpl)
        .build()
}

pub(super) fn account_recovery(
    v: &Value,
    op: &str,
) -> Result<t::AccountRecoverySettingType, ProviderError> {
    let mut mechs = Vec::new();
    for item in v.as_list().unwrap_or_default() {
        let Some(m) = item.as_map() else { continue };
        mechs.push(
            t::RecoveryOptionType::builder()
                .set_name(get_str(m, "name").map(|s| t::RecoveryOptionNameType::from(s.as_str())))
                .set_priority(get_i32(m, "priority"))
                .build()
                .map_err(|e| invalid(op, format!("account_recovery: {e}")))?,
        );
    }
    Ok(t::AccountRecoverySettingType::builder()
        .set_recovery_mechanisms(Some(mechs))
        .build())
}

pub(super) fn email_configuration(m: &BTreeMap<String, Value>) -> t::EmailConfigurationType {
    t::EmailConfigurationType::builder()
        .set_email_sending_account(
            get_str(m, "email_sending_account")
                .map(|s| t::EmailSendingAccountType::from(s.as_str())),
        )
        .set_source_arn(get_str(m, "source_arn"))
        .set_from(get_str(m, "from"))
        .set_reply_to_email_address(get_str(m, "reply_to_email_address"))
        .set_configuration_set(get_str(m, "configuration_set"))
        .build()
}

pub(super) fn sms_configuration(
    m: &BTreeMap<String, Value>,
    op: &str,
) -> Result<t::SmsConfigurationType, ProviderError> {
    let arn = get_str(m, "sns_caller_arn")
        .ok_or_else(|| invalid(op, "sms_configuration needs `sns_caller_arn`"))?;
    Ok(t::SmsConfigurationType::builder()
        .sns_caller_arn(arn)
        .set_external_id(get_str(m, "external_id"))
        .set_sns_region(get_str(m, "sns_region"))
        .build())
}

pub(super) fn verification_template(
    m: &BTreeMap<String, Value>,
) -> t::VerificationMessageTemplateType {
    t::VerificationMessageTemplateType::builder()
        .set_default_email_option(
            get_str(m, "default_email_option").map(|s| t::DefaultEmailOptionType::from(s.as_str())),
        )
        .set_email_subject(get_str(m, "email_subject"))
        .set_email_message(get_str(m, "email_message"))
        .set_email_subject_by_link(get_str(m, "email_subject_by_link"))
        .set_email_message_by_link(get_str(m, "email_message_by_link"))
        .set_sms_message(get_str(m, "sms_message"))
        .build()
}

pub(super) fn enum_list<T: for<'a> From<&'a str>>(a: &Attrs, k: &str) -> Option<Vec<T>> {
    get_strs(a, k).map(|v| v.iter().map(|s| T::from(s.as_str())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_attribute_names_are_sent_bare() {
        let m: BTreeMap<String, Value> = [
            ("attribute_data_type".to_string(), Value::str("Number")),
            ("developer_only".to_string(), Value::Bool(true)),
        ]
        .into_iter()
        .collect();
        let a = schema_attr("dev:custom:score", &m);
        assert_eq!(a.name(), Some("score"));
        assert_eq!(a.attribute_data_type(), Some(&t::AttributeDataType::Number));
        assert_eq!(a.developer_only_attribute(), Some(true));
        assert_eq!(schema_attr("custom:tenant", &m).name(), Some("tenant"));
        assert_eq!(schema_attr("email", &m).name(), Some("email"));
    }
}
