//! Cognito user pools and their children (domains, identity providers, resource servers, app
//! clients, groups): mapping between the SDK's shapes and the kind fields, and the API calls.

use crate::convert::{
    Obj, get_bool, get_i32, get_map, get_str, get_str_map, get_strs, merge_attrs, num_text,
    str_map, strs,
};
use crate::error::invalid;
use crate::{
    AwsProvider, CONCURRENCY, all_tags, need_parent, none_if_missing, owned_by, user_tags_value,
};
use aws_sdk_cognitoidentityprovider::types as t;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::{
    Attrs, ErrorClass, Kind, LiveObject, ObserveRequest, ProviderError, Secret, Target, Value,
};
use std::collections::{BTreeMap, HashMap};

/// Keys of `ProviderDetails` that AWS adds and rejects on update.
pub const READ_ONLY_PROVIDER_DETAILS: [&str; 3] = [
    "ActiveEncryptionCertificate",
    "SSORedirectBindingURI",
    "SLORedirectBindingURI",
];

/// Keys of an OIDC provider's `ProviderDetails` that AWS discovers from `oidc_issuer` (a request
/// that sends them overrides discovery).
pub const OIDC_DISCOVERED_DETAILS: [&str; 5] = [
    "authorize_url",
    "token_url",
    "attributes_url",
    "jwks_uri",
    "attributes_url_add_attributes",
];

const LAMBDA_TRIGGERS: [&str; 10] = [
    "pre_sign_up",
    "custom_message",
    "post_confirmation",
    "pre_authentication",
    "post_authentication",
    "define_auth_challenge",
    "create_auth_challenge",
    "verify_auth_challenge_response",
    "pre_token_generation",
    "user_migration",
];

fn live(kind: Kind, id: &str, parent: Option<&str>, attrs: Attrs) -> LiveObject {
    LiveObject {
        kind,
        id: id.to_string(),
        parent_id: parent.map(str::to_string),
        tags: BTreeMap::new(),
        attrs,
        outputs: BTreeMap::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// User pools

/// The pool as the kind's fields (plus outputs and tags); `software_token_mfa` comes from
/// GetUserPoolMfaConfig.
pub fn pool_to_live(
    region: &str,
    p: &t::UserPoolType,
    software_token_mfa: Option<bool>,
) -> LiveObject {
    let id = p.id().unwrap_or_default();
    let mut schema = BTreeMap::new();
    for a in p.schema_attributes() {
        let Some(name) = a.name() else { continue };
        let sc = a.string_attribute_constraints().map(|c| {
            Obj::new()
                .v("min_length", num_text(c.min_length()))
                .v("max_length", num_text(c.max_length()))
                .map()
        });
        let nc = a.number_attribute_constraints().map(|c| {
            Obj::new()
                .v("min_value", num_text(c.min_value()))
                .v("max_value", num_text(c.max_value()))
                .map()
        });
        let v = Obj::new()
            .s(
                "attribute_data_type",
                a.attribute_data_type().map(|x| x.as_str()),
            )
            .b("required", a.required())
            .b("mutable", a.mutable())
            .b("developer_only", a.developer_only_attribute())
            .v("string_constraints", sc.unwrap_or_default())
            .v("number_constraints", nc.unwrap_or_default())
            .map();
        schema.insert(name.to_string(), v);
    }
    let pp = p.policies().and_then(|x| x.password_policy()).map(|pp| {
        Obj::new()
            .i("minimum_length", pp.minimum_length().map(i64::from))
            .b("require_uppercase", Some(pp.require_uppercase()))
            .b("require_lowercase", Some(pp.require_lowercase()))
            .b("require_numbers", Some(pp.require_numbers()))
            .b("require_symbols", Some(pp.require_symbols()))
            .i(
                "temporary_password_validity_days",
                Some(i64::from(pp.temporary_password_validity_days())),
            )
            .i(
                "password_history_size",
                pp.password_history_size().map(i64::from),
            )
            .map()
    });
    let acu = p.admin_create_user_config().map(|c| {
        let tpl = c.invite_message_template().map(|m| {
            Obj::new()
                .s("email_subject", m.email_subject())
                .s("email_message", m.email_message())
                .s("sms_message", m.sms_message())
                .map()
        });
        Obj::new()
            .b(
                "allow_admin_create_user_only",
                Some(c.allow_admin_create_user_only()),
            )
            .v("invite_message_template", tpl.unwrap_or_default())
            .map()
    });
    let recovery = p.account_recovery_setting().map(|r| {
        Value::List(
            r.recovery_mechanisms()
                .iter()
                .map(|m| {
                    Obj::new()
                        .s("name", Some(m.name().as_str()))
                        .i("priority", Some(i64::from(m.priority())))
                        .map()
                })
                .collect(),
        )
    });
    let email = p.email_configuration().map(|e| {
        Obj::new()
            .s(
                "email_sending_account",
                e.email_sending_account().map(|x| x.as_str()),
            )
            .s("source_arn", e.source_arn())
            .s("from", e.from())
            .s("reply_to_email_address", e.reply_to_email_address())
            .s("configuration_set", e.configuration_set())
            .map()
    });
    let sms = p.sms_configuration().map(|s| {
        Obj::new()
            .s("sns_caller_arn", Some(s.sns_caller_arn()))
            .s("external_id", s.external_id())
            .s("sns_region", s.sns_region())
            .map()
    });
    let vmt = p.verification_message_template().map(|v| {
        Obj::new()
            .s(
                "default_email_option",
                v.default_email_option().map(|x| x.as_str()),
            )
            .s("email_subject", v.email_subject())
            .s("email_message", v.email_message())
            .s("email_subject_by_link", v.email_subject_by_link())
            .s("email_message_by_link", v.email_message_by_link())
            .s("sms_message", v.sms_message())
            .map()
    });
    let lambda = p.lambda_config().map(|l| {
        let vals = [
            l.pre_sign_up(),
            l.custom_message(),
            l.post_confirmation(),
            l.pre_authentication(),
            l.post_authentication(),
            l.define_auth_challenge(),
            l.create_auth_challenge(),
            l.verify_auth_challenge_response(),
            l.pre_token_generation(),
            l.user_migration(),
        ];
        let mut o = Obj::new();
        for (k, v) in LAMBDA_TRIGGERS.iter().zip(vals) {
            o = o.s(k, v);
        }
        let ptg = l.pre_token_generation_config().map(|c| {
            Obj::new()
                .s("lambda_arn", Some(c.lambda_arn()))
                .s("lambda_version", Some(c.lambda_version().as_str()))
                .map()
        });
        o = o.v("pre_token_generation_config", ptg.unwrap_or_default());
        Value::Map(o.0)
    });
    let issuer_type = p.issuer_configuration().and_then(|c| c.r#type());
    let all_tags: BTreeMap<String, String> = p
        .user_pool_tags()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let to_strs = |v: Vec<&str>| strs(&v);
    let attrs = Obj::new()
        .s("name", p.name())
        .v(
            "alias_attributes",
            to_strs(p.alias_attributes().iter().map(|x| x.as_str()).collect()),
        )
        .v(
            "username_attributes",
            to_strs(p.username_attributes().iter().map(|x| x.as_str()).collect()),
        )
        .b(
            "username_case_sensitive",
            p.username_configuration().map(|u| u.case_sensitive()),
        )
        .v("schema", Value::Map(schema))
        .v(
            "auto_verified_attributes",
            to_strs(
                p.auto_verified_attributes()
                    .iter()
                    .map(|x| x.as_str())
                    .collect(),
            ),
        )
        .v("password_policy", pp.unwrap_or_default())
        .s(
            "mfa_configuration",
            p.mfa_configuration().map(|x| x.as_str()),
        )
        .b("software_token_mfa", software_token_mfa)
        .v("admin_create_user_config", acu.unwrap_or_default())
        .v("account_recovery", recovery.unwrap_or_default())
        .v("email_configuration", email.unwrap_or_default())
        .v("sms_configuration", sms.unwrap_or_default())
        .v("verification_message_template", vmt.unwrap_or_default())
        .v(
            "lambda_config",
            lambda.unwrap_or(Value::Map(BTreeMap::new())),
        )
        .s(
            "deletion_protection",
            p.deletion_protection().map(|x| x.as_str()),
        )
        .s("issuer_type", issuer_type.map(|x| x.as_str()))
        .v("tags", user_tags_value(&all_tags))
        .attrs();
    let mut o = live(Kind::UserPool, id, None, attrs);
    o.tags = all_tags;
    let out = |k: &str, v: String| (k.to_string(), v);
    o.outputs = BTreeMap::from([
        out("id", id.to_string()),
        out("arn", p.arn().unwrap_or_default().to_string()),
        out("issuer_url", issuer_url(region, id, issuer_type)),
        out(
            "provider_name",
            format!("cognito-idp.{region}.amazonaws.com/{id}"),
        ),
    ]);
    o
}

/// The pool's token issuer: `UPDATED` pools issue from `issuer-cognito-idp`, `ORIGINAL` ones
/// (and pools without an issuer configuration) from `cognito-idp`.
pub fn issuer_url(region: &str, id: &str, issuer_type: Option<&t::IssuerType>) -> String {
    match issuer_type {
        Some(t::IssuerType::Updated) => {
            format!("https://issuer-cognito-idp.{region}.amazonaws.com/{id}")
        }
        _ => format!("https://cognito-idp.{region}.amazonaws.com/{id}"),
    }
}

async fn describe_pool(p: &AwsProvider, id: &str) -> Result<t::UserPoolType, ProviderError> {
    let out = p
        .call("cognito-idp:DescribeUserPool", || {
            p.cip.describe_user_pool().user_pool_id(id).send()
        })
        .await?;
    out.user_pool.ok_or_else(|| {
        ProviderError::new(
            ErrorClass::NotFound,
            "cognito-idp:DescribeUserPool",
            "",
            "no pool in the response",
        )
    })
}

async fn mfa_config(
    p: &AwsProvider,
    id: &str,
) -> Result<aws_sdk_cognitoidentityprovider::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput, ProviderError>{
    p.call("cognito-idp:GetUserPoolMfaConfig", || {
        p.cip.get_user_pool_mfa_config().user_pool_id(id).send()
    })
    .await
}

async fn read_pool_full(
    p: &AwsProvider,
    id: &str,
) -> Result<(t::UserPoolType, LiveObject), ProviderError> {
    let pool = describe_pool(p, id).await?;
    with_mfa(p, pool).await
}

/// The pool's live object, with the MFA settings GetUserPoolMfaConfig reports.
async fn with_mfa(
    p: &AwsProvider,
    pool: t::UserPoolType,
) -> Result<(t::UserPoolType, LiveObject), ProviderError> {
    let mfa = mfa_config(p, pool.id().unwrap_or_default()).await?;
    let totp = mfa
        .software_token_mfa_configuration()
        .map(|c| c.enabled())
        .unwrap_or(false);
    let mut o = pool_to_live(&p.region, &pool, Some(totp));
    // GetUserPoolMfaConfig is the authority on the MFA setting (SetUserPoolMfaConfig writes it).
    if let Some(m) = mfa.mfa_configuration() {
        o.attrs
            .insert("mfa_configuration".into(), Value::str(m.as_str()));
    }
    Ok((pool, o))
}

pub(crate) async fn list_pool_ids(p: &AwsProvider) -> Result<Vec<String>, ProviderError> {
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = p
            .call("cognito-idp:ListUserPools", || {
                p.cip
                    .list_user_pools()
                    .max_results(60)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        ids.extend(
            out.user_pools()
                .iter()
                .filter_map(|u| u.id().map(str::to_string)),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(ids)
}

/// The pools `keep` accepts, judged by their description (tags come with it): one describe
/// per pool, bounded concurrency, then the MFA settings of the kept ones only.
async fn pools_where(
    p: &AwsProvider,
    keep: impl Fn(&t::UserPoolType) -> bool,
) -> Result<Vec<(t::UserPoolType, LiveObject)>, ProviderError> {
    let ids = list_pool_ids(p).await?;
    let described: Vec<Option<t::UserPoolType>> = stream::iter(ids)
        .map(|id| async move { none_if_missing(describe_pool(p, &id).await) })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    let kept: Vec<t::UserPoolType> = described
        .into_iter()
        .flatten()
        .filter(|u| keep(u))
        .collect();
    stream::iter(kept)
        .map(|u| async move { with_mfa(p, u).await })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await
}

fn pool_tag<'a>(u: &'a t::UserPoolType, key: &str) -> Option<&'a str> {
    u.user_pool_tags()
        .and_then(|m| m.get(key))
        .map(String::as_str)
}

fn password_policy(m: &BTreeMap<String, Value>) -> t::PasswordPolicyType {
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
fn tier_password_policy(
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

fn lambda_config(
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
fn pre_token_config(m: &BTreeMap<String, Value>) -> Option<t::PreTokenGenerationVersionConfigType> {
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

fn schema_attr(name: &str, m: &BTreeMap<String, Value>) -> t::SchemaAttributeType {
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

fn admin_create_user_config(m: &BTreeMap<String, Value>) -> t::AdminCreateUserConfigType {
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

fn account_recovery(v: &Value, op: &str) -> Result<t::AccountRecoverySettingType, ProviderError> {
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

fn email_configuration(m: &BTreeMap<String, Value>) -> t::EmailConfigurationType {
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

fn sms_configuration(
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

fn verification_template(m: &BTreeMap<String, Value>) -> t::VerificationMessageTemplateType {
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

fn enum_list<T: for<'a> From<&'a str>>(a: &Attrs, k: &str) -> Option<Vec<T>> {
    get_strs(a, k).map(|v| v.iter().map(|s| T::from(s.as_str())).collect())
}

/// Applies the updatable pool fields of `a` to a CreateUserPool or UpdateUserPool builder.
macro_rules! pool_common {
    ($b:expr, $a:expr, $base:expr, $tags:expr, $op:expr) => {{
        let a: &Attrs = $a;
        let base: Option<&t::UserPoolType> = $base;
        let mut b = $b;
        let mut policies = t::UserPoolPolicyType::builder();
        // A Lite pool refuses the Essentials-only policies (FeatureUnavailableInTierException).
        let lite = base.and_then(|x| x.user_pool_tier()) == Some(&t::UserPoolTierType::Lite);
        if let Some(sp) = base
            .and_then(|x| x.policies())
            .and_then(|x| x.sign_in_policy())
            .filter(|_| !lite)
        {
            policies = policies.sign_in_policy(sp.clone());
        }
        if let Some(m) = get_map(a, "password_policy") {
            policies =
                policies.password_policy(password_policy(&tier_password_policy(m, lite, $op)?));
        } else if let Some(pp) = base
            .and_then(|x| x.policies())
            .and_then(|x| x.password_policy())
        {
            policies = policies.password_policy(pp.clone());
        }
        b = b.policies(policies.build());
        if let Some(s) = get_str(a, "deletion_protection") {
            b = b.deletion_protection(t::DeletionProtectionType::from(s.as_str()));
        }
        let empty = BTreeMap::new();
        b = b.lambda_config(lambda_config(
            base.and_then(|x| x.lambda_config()),
            get_map(a, "lambda_config").unwrap_or(&empty),
        ));
        b = b.set_auto_verified_attributes(enum_list::<t::VerifiedAttributeType>(
            a,
            "auto_verified_attributes",
        ));
        if let Some(m) = get_map(a, "verification_message_template") {
            b = b.verification_message_template(verification_template(m));
        }
        if let Some(s) = get_str(a, "mfa_configuration") {
            b = b.mfa_configuration(t::UserPoolMfaType::from(s.as_str()));
        }
        if let Some(m) = get_map(a, "email_configuration") {
            b = b.email_configuration(email_configuration(m));
        }
        if let Some(m) = get_map(a, "sms_configuration") {
            b = b.sms_configuration(sms_configuration(m, $op)?);
        }
        if let Some(m) = get_map(a, "admin_create_user_config") {
            b = b.admin_create_user_config(admin_create_user_config(m));
        }
        if let Some(v) = a.get("account_recovery").filter(|v| !v.is_null()) {
            b = b.account_recovery_setting(account_recovery(v, $op)?);
        }
        let tags: &BTreeMap<String, String> = $tags;
        b = b.set_user_pool_tags(Some(
            tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        ));
        if let Some(x) = base {
            // The legacy texts say the same as the template sent (AWS returns both and refuses
            // them when they disagree); the template comes from the target, else from live.
            let tpl = get_map(a, "verification_message_template")
                .map(verification_template)
                .or_else(|| x.verification_message_template().cloned());
            let tpl = tpl.as_ref();
            b = b
                .set_sms_verification_message(tpl.and_then(|v| v.sms_message()).map(str::to_string))
                .set_email_verification_message(
                    tpl.and_then(|v| v.email_message()).map(str::to_string),
                )
                .set_email_verification_subject(
                    tpl.and_then(|v| v.email_subject()).map(str::to_string),
                )
                .set_acr_configuration(x.acr_configuration().cloned())
                .set_sms_authentication_message(x.sms_authentication_message().map(str::to_string))
                .set_user_attribute_update_settings(x.user_attribute_update_settings().cloned())
                .set_device_configuration(x.device_configuration().cloned())
                .set_user_pool_add_ons(x.user_pool_add_ons().cloned())
                .set_user_pool_tier(x.user_pool_tier().cloned())
                .set_key_configuration(x.key_configuration().cloned())
                .set_issuer_configuration(x.issuer_configuration().cloned());
            if get_map(a, "verification_message_template").is_none() {
                b = b.set_verification_message_template(x.verification_message_template().cloned());
            }
            if get_map(a, "email_configuration").is_none() {
                b = b.set_email_configuration(x.email_configuration().cloned());
            }
            if get_map(a, "sms_configuration").is_none() {
                b = b.set_sms_configuration(x.sms_configuration().cloned());
            }
            if get_map(a, "admin_create_user_config").is_none() {
                b = b.set_admin_create_user_config(x.admin_create_user_config().cloned());
            }
        }
        if let Some(s) = get_str(a, "issuer_type") {
            b = b.issuer_configuration(
                t::IssuerConfigurationType::builder()
                    .r#type(t::IssuerType::from(s.as_str()))
                    .build(),
            );
        }
        b
    }};
}

async fn set_mfa(p: &AwsProvider, id: &str, a: &Attrs) -> Result<(), ProviderError> {
    let cur = mfa_config(p, id).await?;
    let totp = get_bool(a, "software_token_mfa").unwrap_or(false);
    let mfa = get_str(a, "mfa_configuration").unwrap_or_else(|| "OFF".to_string());
    // AWS refuses turning MFA off together with an SMS or email MFA configuration ("can't turn
    // off MFA and configure an MFA together"); they are carried only while MFA stays on.
    let on = mfa != "OFF";
    let sms = cur.sms_mfa_configuration().filter(|_| on).cloned();
    let email = cur.email_mfa_configuration().filter(|_| on).cloned();
    p.call("cognito-idp:SetUserPoolMfaConfig", || {
        p.cip
            .set_user_pool_mfa_config()
            .user_pool_id(id)
            .set_sms_mfa_configuration(sms.clone())
            .set_email_mfa_configuration(email.clone())
            .set_web_authn_configuration(cur.web_authn_configuration().cloned())
            .software_token_mfa_configuration(
                t::SoftwareTokenMfaConfigType::builder()
                    .enabled(totp)
                    .build(),
            )
            .mfa_configuration(t::UserPoolMfaType::from(mfa.as_str()))
            .send()
    })
    .await?;
    Ok(())
}

async fn create_pool(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:CreateUserPool";
    let a = &tg.attrs;
    let name = get_str(a, "name").ok_or_else(|| invalid(OP, "a user pool needs a name"))?;
    let tags = all_tags(tg);
    // MFA is set afterwards (turning it on needs a method enabled in the same call).
    let mut a0 = a.clone();
    a0.remove("mfa_configuration");
    let mut b = pool_common!(
        p.cip.create_user_pool().pool_name(&name),
        &a0,
        None,
        &tags,
        OP
    );
    b = b
        .set_alias_attributes(enum_list::<t::AliasAttributeType>(a, "alias_attributes"))
        .set_username_attributes(enum_list::<t::UsernameAttributeType>(
            a,
            "username_attributes",
        ));
    if let Some(cs) = get_bool(a, "username_case_sensitive") {
        b = b.username_configuration(
            t::UsernameConfigurationType::builder()
                .case_sensitive(cs)
                .build()
                .map_err(|e| invalid(OP, e.to_string()))?,
        );
    }
    if let Some(schema) = get_map(a, "schema") {
        let attrs: Vec<_> = schema
            .iter()
            .filter_map(|(k, v)| v.as_map().map(|m| schema_attr(k, m)))
            .collect();
        if !attrs.is_empty() {
            b = b.set_schema(Some(attrs));
        }
    }
    let out = sent!(p.call_create(OP, tg, || b.clone().send()).await?);
    let id = out
        .user_pool()
        .and_then(|u| u.id())
        .ok_or_else(|| invalid(OP, "no pool id in the response"))?
        .to_string();
    let totp = get_bool(a, "software_token_mfa").unwrap_or(false);
    let mfa = get_str(a, "mfa_configuration").unwrap_or_else(|| "OFF".to_string());
    if totp || mfa != "OFF" {
        set_mfa(p, &id, a).await?;
    }
    Ok(read_pool_full(p, &id).await?.1)
}

async fn update_pool(p: &AwsProvider, id: &str, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:UpdateUserPool";
    let (pool, cur) = read_pool_full(p, id).await?;
    let merged = merge_attrs(
        &cur.attrs,
        &tg.attrs,
        &["tags", "lambda_config", "account_recovery", "schema"],
    );
    let mut tags: BTreeMap<String, String> = cur
        .tags
        .iter()
        .filter(|(k, _)| idplane_model::is_ownership_tag(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(user) = merged.get("tags").and_then(|v| v.as_map()) {
        for (k, v) in user {
            if let Some(s) = v.as_str() {
                tags.insert(k.clone(), s.to_string());
            }
        }
    }
    // New custom attributes are added (existing ones cannot change).
    if let Some(schema) = get_map(&tg.attrs, "schema") {
        let live_schema = get_map(&cur.attrs, "schema").cloned().unwrap_or_default();
        let new: Vec<_> = schema
            .iter()
            .filter(|(k, _)| {
                // Developer-only custom attributes live as `dev:custom:NAME`.
                let bare = k.strip_prefix("dev:").unwrap_or(k);
                bare.starts_with("custom:")
                    && !live_schema.contains_key(bare)
                    && !live_schema.contains_key(&format!("dev:{bare}"))
            })
            .filter_map(|(k, v)| v.as_map().map(|m| schema_attr(k, m)))
            .collect();
        if !new.is_empty() {
            p.call("cognito-idp:AddCustomAttributes", || {
                p.cip
                    .add_custom_attributes()
                    .user_pool_id(id)
                    .set_custom_attributes(Some(new.clone()))
                    .send()
            })
            .await?;
        }
    }
    // The pool's MFA setting is written by SetUserPoolMfaConfig when it changes; the update
    // keeps the live one (turning MFA on needs a method enabled in the same call).
    let mfa_changed = merged.get("mfa_configuration") != cur.attrs.get("mfa_configuration")
        || get_bool(&merged, "software_token_mfa").unwrap_or(false)
            != get_bool(&cur.attrs, "software_token_mfa").unwrap_or(false);
    let mut for_update = merged.clone();
    match cur.attrs.get("mfa_configuration") {
        Some(v) => for_update.insert("mfa_configuration".into(), v.clone()),
        None => for_update.remove("mfa_configuration"),
    };
    let mut b = pool_common!(
        p.cip.update_user_pool().user_pool_id(id),
        &for_update,
        Some(&pool),
        &tags,
        OP
    );
    if let Some(name) = get_str(&merged, "name") {
        b = b.pool_name(name);
    }
    p.call(OP, || b.clone().send()).await?;
    if mfa_changed {
        set_mfa(p, id, &merged).await?;
    }
    Ok(read_pool_full(p, id).await?.1)
}

// ---------------------------------------------------------------------------------------------
// Domains

pub fn domain_to_live(region: &str, d: &t::DomainDescriptionType) -> LiveObject {
    let domain = d.domain().unwrap_or_default();
    let cert = d.custom_domain_config().map(|c| c.certificate_arn());
    let custom = cert.is_some() || domain.contains('.');
    let attrs = Obj::new()
        .s("domain", Some(domain))
        .s("certificate_arn", cert)
        .i(
            "managed_login_version",
            d.managed_login_version().map(i64::from),
        )
        .attrs();
    let mut o = live(Kind::UserPoolDomain, domain, d.user_pool_id(), attrs);
    let base_url = if custom {
        format!("https://{domain}")
    } else {
        format!("https://{domain}.auth.{region}.amazoncognito.com")
    };
    o.outputs.insert("domain".into(), domain.to_string());
    o.outputs.insert("base_url".into(), base_url);
    if let Some(cf) = d.cloud_front_distribution().filter(|s| !s.is_empty()) {
        o.outputs.insert("cloudfront_domain".into(), cf.to_string());
    }
    // AWS sets a domain up and deletes it in the background; the executor waits on this.
    if let Some(status) = d.status() {
        o.outputs.insert(
            idplane_model::OUTPUT_STATUS.into(),
            status.as_str().to_string(),
        );
    }
    o
}

/// The domains attached to a pool (prefix and custom) in any state: `DeleteUserPool` fails
/// while one is ("It has a domain configured that should be deleted first").
pub async fn attached_domains(
    p: &AwsProvider,
    pool_id: &str,
) -> Result<Vec<LiveObject>, ProviderError> {
    let Some(pool) = none_if_missing(describe_pool(p, pool_id).await)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for d in [pool.domain(), pool.custom_domain()].into_iter().flatten() {
        if !d.is_empty() {
            out.extend(read_domain(p, Some(pool_id), d).await?);
        }
    }
    Ok(out)
}

async fn read_domain(
    p: &AwsProvider,
    pool: Option<&str>,
    domain: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let out = p
        .call("cognito-idp:DescribeUserPoolDomain", || {
            p.cip.describe_user_pool_domain().domain(domain).send()
        })
        .await?;
    let Some(d) = out.domain_description() else {
        return Ok(None);
    };
    // AWS answers an empty description for an unknown domain.
    if d.domain().is_none_or(str::is_empty) || d.user_pool_id().is_none_or(str::is_empty) {
        return Ok(None);
    }
    if pool.is_some_and(|p| Some(p) != d.user_pool_id()) {
        return Ok(None);
    }
    Ok(Some(domain_to_live(&p.region, d)))
}

/// The domain's live `Routing` (no kind field: UpdateUserPoolDomain carries it over).
async fn domain_routing(
    p: &AwsProvider,
    domain: &str,
) -> Result<Option<t::RoutingType>, ProviderError> {
    let out = p
        .call("cognito-idp:DescribeUserPoolDomain", || {
            p.cip.describe_user_pool_domain().domain(domain).send()
        })
        .await?;
    Ok(out.domain_description().and_then(|d| d.routing()).cloned())
}

fn custom_domain_config(
    a: &Attrs,
    op: &str,
) -> Result<Option<t::CustomDomainConfigType>, ProviderError> {
    get_str(a, "certificate_arn")
        .map(|c| {
            t::CustomDomainConfigType::builder()
                .certificate_arn(c)
                .build()
                .map_err(|e| invalid(op, e.to_string()))
        })
        .transpose()
}

// ---------------------------------------------------------------------------------------------
// Identity providers

pub fn idp_to_live(i: &t::IdentityProviderType) -> LiveObject {
    let name = i.provider_name().unwrap_or_default();
    let details: BTreeMap<String, Value> = i
        .provider_details()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let v = if k == "client_secret" {
                        Value::Secret(Secret::from_plaintext("aws", v.as_str()).redacted())
                    } else {
                        Value::str(v)
                    };
                    (k.clone(), v)
                })
                .collect()
        })
        .unwrap_or_default();
    let attrs = Obj::new()
        .s("name", Some(name))
        .s("provider_type", i.provider_type().map(|x| x.as_str()))
        .v("provider_details", Value::Map(details))
        .v(
            "attribute_mapping",
            str_map(i.attribute_mapping().into_iter().flatten()),
        )
        .v("idp_identifiers", strs(i.idp_identifiers()))
        .attrs();
    let mut o = live(Kind::IdentityProvider, name, i.user_pool_id(), attrs);
    o.outputs.insert("name".into(), name.to_string());
    o
}

async fn describe_idp(
    p: &AwsProvider,
    pool: &str,
    name: &str,
) -> Result<t::IdentityProviderType, ProviderError> {
    const OP: &str = "cognito-idp:DescribeIdentityProvider";
    p.call(OP, || {
        p.cip
            .describe_identity_provider()
            .user_pool_id(pool)
            .provider_name(name)
            .send()
    })
    .await?
    .identity_provider
    .ok_or_else(|| {
        ProviderError::new(
            ErrorClass::NotFound,
            OP,
            "",
            "no identity provider in the response",
        )
    })
}

/// The provider details to send: the target's over the live ones (secret text from the
/// target, else kept), read-only keys stripped, and only one of MetadataURL / MetadataFile.
pub fn merge_provider_details(
    live: &HashMap<String, String>,
    target: Option<&BTreeMap<String, Value>>,
) -> HashMap<String, String> {
    let mut out = live.clone();
    if let Some(t) = target {
        for (k, v) in t {
            match v {
                Value::Null => {
                    out.remove(k);
                }
                Value::Secret(s) => {
                    if let Some(text) = s.expose() {
                        out.insert(k.clone(), text.to_string());
                    }
                }
                _ => {
                    if let Some(s) = get_str(t, k) {
                        out.insert(k.clone(), s);
                    }
                }
            }
        }
    }
    if out.contains_key("MetadataURL") && out.contains_key("MetadataFile") {
        // AWS returns the fetched file next to the URL but accepts only one of them.
        let file_only = target
            .is_some_and(|t| t.contains_key("MetadataFile") && !t.contains_key("MetadataURL"));
        out.remove(if file_only {
            "MetadataURL"
        } else {
            "MetadataFile"
        });
    }
    for k in READ_ONLY_PROVIDER_DETAILS {
        out.remove(k);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Resource servers

pub fn rs_to_live(r: &t::ResourceServerType) -> LiveObject {
    let id = r.identifier().unwrap_or_default();
    let scopes: BTreeMap<String, Value> = r
        .scopes()
        .iter()
        .map(|s| {
            (
                s.scope_name().to_string(),
                Value::str(s.scope_description()),
            )
        })
        .collect();
    let attrs = Obj::new()
        .s("identifier", Some(id))
        .s("name", r.name())
        .v("scopes", Value::Map(scopes))
        .attrs();
    let mut o = live(Kind::ResourceServer, id, r.user_pool_id(), attrs);
    o.outputs.insert("identifier".into(), id.to_string());
    o
}

fn rs_scopes(a: &Attrs, op: &str) -> Result<Vec<t::ResourceServerScopeType>, ProviderError> {
    get_map(a, "scopes")
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            t::ResourceServerScopeType::builder()
                .scope_name(k)
                .scope_description(v.as_str().unwrap_or(k))
                .build()
                .map_err(|e| invalid(op, e.to_string()))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// App clients

fn unit_seconds(u: Option<&t::TimeUnitsType>, default: i64) -> i64 {
    match u.map(|x| x.as_str()) {
        Some("seconds") => 1,
        Some("minutes") => 60,
        Some("hours") => 3600,
        Some("days") => 86400,
        _ => default,
    }
}

pub fn client_to_live(c: &t::UserPoolClientType) -> LiveObject {
    let id = c.client_id().unwrap_or_default();
    let units = c.token_validity_units();
    let secs = |v: Option<i32>, u: Option<&t::TimeUnitsType>, default: i64| {
        v.filter(|x| *x > 0)
            .map(|x| i64::from(x) * unit_seconds(u, default))
    };
    let attrs = Obj::new()
        .s("name", c.client_name())
        .b("generate_secret", Some(c.client_secret().is_some()))
        .v(
            "explicit_auth_flows",
            strs(
                &c.explicit_auth_flows()
                    .iter()
                    .map(|x| x.as_str())
                    .collect::<Vec<_>>(),
            ),
        )
        .v(
            "allowed_oauth_flows",
            strs(
                &c.allowed_o_auth_flows()
                    .iter()
                    .map(|x| x.as_str())
                    .collect::<Vec<_>>(),
            ),
        )
        .v("allowed_oauth_scopes", strs(c.allowed_o_auth_scopes()))
        .b(
            "allowed_oauth_flows_user_pool_client",
            c.allowed_o_auth_flows_user_pool_client(),
        )
        .v("callback_urls", strs(c.callback_urls()))
        .v("logout_urls", strs(c.logout_urls()))
        .s("default_redirect_uri", c.default_redirect_uri())
        .v(
            "supported_identity_providers",
            strs(c.supported_identity_providers()),
        )
        .i(
            "access_token_validity",
            secs(
                c.access_token_validity(),
                units.and_then(|u| u.access_token()),
                3600,
            ),
        )
        .i(
            "id_token_validity",
            secs(
                c.id_token_validity(),
                units.and_then(|u| u.id_token()),
                3600,
            ),
        )
        .i(
            "refresh_token_validity",
            secs(
                Some(c.refresh_token_validity()),
                units.and_then(|u| u.refresh_token()),
                86400,
            ),
        )
        .i(
            "auth_session_validity",
            c.auth_session_validity().map(i64::from),
        )
        .v("read_attributes", strs(c.read_attributes()))
        .v("write_attributes", strs(c.write_attributes()))
        .b("enable_token_revocation", c.enable_token_revocation())
        .s(
            "prevent_user_existence_errors",
            c.prevent_user_existence_errors().map(|x| x.as_str()),
        )
        .b(
            "enable_propagate_additional_user_context_data",
            c.enable_propagate_additional_user_context_data(),
        )
        .attrs();
    let mut o = live(Kind::UserPoolClient, id, c.user_pool_id(), attrs);
    o.outputs.insert("id".into(), id.to_string());
    o
}

/// Applies the client fields of `a` to a Create/UpdateUserPoolClient builder. Token
/// validities are sent in seconds.
macro_rules! client_common {
    ($b:expr, $a:expr) => {{
        let a: &Attrs = $a;
        let mut units = t::TokenValidityUnitsType::builder();
        let access = get_i32(a, "access_token_validity");
        let idt = get_i32(a, "id_token_validity");
        let refresh = get_i32(a, "refresh_token_validity");
        if access.is_some() {
            units = units.access_token(t::TimeUnitsType::Seconds);
        }
        if idt.is_some() {
            units = units.id_token(t::TimeUnitsType::Seconds);
        }
        if refresh.is_some() {
            units = units.refresh_token(t::TimeUnitsType::Seconds);
        }
        let mut b = $b
            .set_access_token_validity(access)
            .set_id_token_validity(idt)
            .set_refresh_token_validity(refresh)
            .set_explicit_auth_flows(enum_list::<t::ExplicitAuthFlowsType>(
                a,
                "explicit_auth_flows",
            ))
            .set_allowed_o_auth_flows(enum_list::<t::OAuthFlowType>(a, "allowed_oauth_flows"))
            .set_allowed_o_auth_scopes(get_strs(a, "allowed_oauth_scopes"))
            .set_allowed_o_auth_flows_user_pool_client(get_bool(
                a,
                "allowed_oauth_flows_user_pool_client",
            ))
            .set_callback_urls(get_strs(a, "callback_urls"))
            .set_logout_urls(get_strs(a, "logout_urls"))
            .set_default_redirect_uri(get_str(a, "default_redirect_uri"))
            .set_supported_identity_providers(get_strs(a, "supported_identity_providers"))
            .set_auth_session_validity(get_i32(a, "auth_session_validity"))
            .set_read_attributes(get_strs(a, "read_attributes"))
            .set_write_attributes(get_strs(a, "write_attributes"))
            .set_enable_token_revocation(get_bool(a, "enable_token_revocation"))
            .set_prevent_user_existence_errors(
                get_str(a, "prevent_user_existence_errors")
                    .map(|s| t::PreventUserExistenceErrorTypes::from(s.as_str())),
            )
            .set_enable_propagate_additional_user_context_data(get_bool(
                a,
                "enable_propagate_additional_user_context_data",
            ));
        if access.is_some() || idt.is_some() || refresh.is_some() {
            b = b.token_validity_units(units.build());
        }
        b
    }};
}

async fn describe_client(
    p: &AwsProvider,
    pool: &str,
    id: &str,
) -> Result<t::UserPoolClientType, ProviderError> {
    const OP: &str = "cognito-idp:DescribeUserPoolClient";
    p.call(OP, || {
        p.cip
            .describe_user_pool_client()
            .user_pool_id(pool)
            .client_id(id)
            .send()
    })
    .await?
    .user_pool_client
    .ok_or_else(|| ProviderError::new(ErrorClass::NotFound, OP, "", "no client in the response"))
}

// ---------------------------------------------------------------------------------------------
// Groups

pub fn group_to_live(g: &t::GroupType) -> LiveObject {
    let name = g.group_name().unwrap_or_default();
    let attrs = Obj::new()
        .s("name", Some(name))
        .s("description", g.description())
        .i("precedence", g.precedence().map(i64::from))
        .s("role_arn", g.role_arn())
        .attrs();
    let mut o = live(Kind::UserPoolGroup, name, g.user_pool_id(), attrs);
    o.outputs.insert("name".into(), name.to_string());
    o
}

// ---------------------------------------------------------------------------------------------
// Listing children

async fn list_idps(p: &AwsProvider, pool: &str) -> Result<Vec<String>, ProviderError> {
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = p
            .call("cognito-idp:ListIdentityProviders", || {
                p.cip
                    .list_identity_providers()
                    .user_pool_id(pool)
                    .max_results(60)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        names.extend(
            out.providers()
                .iter()
                .filter_map(|x| x.provider_name().map(str::to_string)),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(names);
        }
    }
}

async fn list_resource_servers(
    p: &AwsProvider,
    pool: &str,
) -> Result<Vec<LiveObject>, ProviderError> {
    let mut objs = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = p
            .call("cognito-idp:ListResourceServers", || {
                p.cip
                    .list_resource_servers()
                    .user_pool_id(pool)
                    .max_results(50)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        objs.extend(out.resource_servers().iter().map(rs_to_live));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(objs);
        }
    }
}

async fn list_client_ids(
    p: &AwsProvider,
    pool: &str,
) -> Result<Vec<(String, String)>, ProviderError> {
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = p
            .call("cognito-idp:ListUserPoolClients", || {
                p.cip
                    .list_user_pool_clients()
                    .user_pool_id(pool)
                    .max_results(60)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        ids.extend(out.user_pool_clients().iter().filter_map(|c| {
            Some((
                c.client_id()?.to_string(),
                c.client_name().unwrap_or_default().to_string(),
            ))
        }));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(ids);
        }
    }
}

async fn list_groups(p: &AwsProvider, pool: &str) -> Result<Vec<LiveObject>, ProviderError> {
    let mut objs = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = p
            .call("cognito-idp:ListGroups", || {
                p.cip
                    .list_groups()
                    .user_pool_id(pool)
                    .limit(60)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        objs.extend(out.groups().iter().map(group_to_live));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(objs);
        }
    }
}

/// Every child of one pool.
async fn pool_children(
    p: &AwsProvider,
    pool: &t::UserPoolType,
) -> Result<Vec<LiveObject>, ProviderError> {
    let id = pool.id().unwrap_or_default();
    let mut objs = Vec::new();
    for d in [pool.domain(), pool.custom_domain()].into_iter().flatten() {
        if !d.is_empty() {
            // A domain being deleted is as good as gone (a create of its name waits for it).
            objs.extend(
                read_domain(p, Some(id), d)
                    .await?
                    .filter(|o| o.transition() != Some(idplane_model::Transition::Deleting)),
            );
        }
    }
    let idps: Vec<Option<LiveObject>> = stream::iter(list_idps(p, id).await?)
        .map(|name| async move {
            none_if_missing(describe_idp(p, id, &name).await).map(|o| o.as_ref().map(idp_to_live))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    objs.extend(idps.into_iter().flatten());
    objs.extend(list_resource_servers(p, id).await?);
    let clients: Vec<Option<LiveObject>> = stream::iter(list_client_ids(p, id).await?)
        .map(|(cid, _)| async move {
            none_if_missing(describe_client(p, id, &cid).await)
                .map(|o| o.as_ref().map(client_to_live))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    objs.extend(clients.into_iter().flatten());
    objs.extend(list_groups(p, id).await?);
    Ok(objs)
}

// ---------------------------------------------------------------------------------------------
// Provider operations

pub async fn observe(
    p: &AwsProvider,
    req: &ObserveRequest,
) -> Result<Vec<LiveObject>, ProviderError> {
    let pinned: Vec<&str> = req
        .pinned
        .iter()
        .filter(|(k, _)| *k == Kind::UserPool)
        .map(|(_, id)| id.as_str())
        .collect();
    let pools = pools_where(p, |u| {
        req.everything
            || pool_tag(u, idplane_model::TAG_STACK) == Some(req.stack.as_str())
            || pinned.contains(&u.id().unwrap_or_default())
    })
    .await?;
    let mut objs = Vec::new();
    let sdk_pools: Vec<t::UserPoolType> = pools.iter().map(|(u, _)| u.clone()).collect();
    let children: Vec<Vec<LiveObject>> = stream::iter(sdk_pools)
        .map(|pool| async move { pool_children(p, &pool).await })
        .buffer_unordered(2)
        .try_collect()
        .await?;
    let children: Vec<LiveObject> = children.into_iter().flatten().collect();
    let pools: Vec<LiveObject> = stream::iter(pools.into_iter().map(|(_, o)| o))
        .map(|pool| {
            let wanted = wants_signing_certificate(&children, &pool.id);
            async move { with_signing_certificate(p, pool, wanted).await }
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    objs.extend(pools);
    objs.extend(children);
    Ok(objs)
}

/// Whether a SAML IdP of the pool (among `objs`) has IdP sign-out on or signs its requests
/// (`RequestSigningAlgorithm`): then the IdP needs the pool's SAML signing certificate, which
/// belongs in the pool's SP metadata.
pub fn wants_signing_certificate(objs: &[LiveObject], pool_id: &str) -> bool {
    objs.iter().any(|o| {
        let details = get_map(&o.attrs, "provider_details");
        let detail = |key: &str| details.and_then(|m| m.get(key)).and_then(Value::as_str);
        o.kind == Kind::IdentityProvider
            && o.parent_id.as_deref() == Some(pool_id)
            && get_str(&o.attrs, "provider_type").as_deref() == Some("SAML")
            && (detail("IDPSignout").is_some_and(|v| v.eq_ignore_ascii_case("true"))
                || detail("RequestSigningAlgorithm").is_some_and(|v| !v.is_empty()))
    })
}

/// Adds the `signing_certificate` output (GetSigningCertificate) when `wanted`; no call otherwise.
async fn with_signing_certificate(
    p: &AwsProvider,
    mut pool: LiveObject,
    wanted: bool,
) -> Result<LiveObject, ProviderError> {
    if wanted {
        let out = none_if_missing(
            p.call("cognito-idp:GetSigningCertificate", || {
                p.cip
                    .get_signing_certificate()
                    .user_pool_id(&pool.id)
                    .send()
            })
            .await,
        )?;
        if let Some(cert) = out
            .as_ref()
            .and_then(|o| o.certificate())
            .filter(|c| !c.is_empty())
        {
            pool.outputs
                .insert("signing_certificate".into(), cert.to_string());
        }
    }
    Ok(pool)
}

pub async fn read(
    p: &AwsProvider,
    kind: Kind,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    match kind {
        Kind::UserPool => Ok(none_if_missing(read_pool_full(p, id).await)?.map(|(_, o)| o)),
        Kind::UserPoolDomain => read_domain(p, parent, id).await,
        Kind::IdentityProvider => {
            let pool = need_parent(kind, parent)?;
            Ok(none_if_missing(describe_idp(p, pool, id).await)?
                .as_ref()
                .map(idp_to_live))
        }
        Kind::ResourceServer => {
            let pool = need_parent(kind, parent)?;
            let out = none_if_missing(
                p.call("cognito-idp:DescribeResourceServer", || {
                    p.cip
                        .describe_resource_server()
                        .user_pool_id(pool)
                        .identifier(id)
                        .send()
                })
                .await,
            )?;
            Ok(out.and_then(|o| o.resource_server().map(rs_to_live)))
        }
        Kind::UserPoolClient => {
            let pool = need_parent(kind, parent)?;
            Ok(none_if_missing(describe_client(p, pool, id).await)?
                .as_ref()
                .map(client_to_live))
        }
        Kind::UserPoolGroup => {
            let pool = need_parent(kind, parent)?;
            let out = none_if_missing(
                p.call("cognito-idp:GetGroup", || {
                    p.cip.get_group().user_pool_id(pool).group_name(id).send()
                })
                .await,
            )?;
            Ok(out.and_then(|o| o.group().map(group_to_live)))
        }
        _ => unreachable!("not a Cognito user pool kind: {kind}"),
    }
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let key = |k: &str| get_str(&tg.attrs, k).unwrap_or_default();
    match tg.kind {
        Kind::UserPool => {
            let address = tg.address.to_string();
            let mut hits: Vec<LiveObject> = pools_where(p, |u| {
                pool_tag(u, idplane_model::TAG_STACK) == Some(tg.stack.as_str())
                    && pool_tag(u, idplane_model::TAG_ADDRESS)
                        .map(idplane_model::decode_address_tag)
                        == Some(address.clone())
            })
            .await?
            .into_iter()
            .map(|(_, o)| o)
            .filter(|o| owned_by(o, tg))
            .collect();
            one_of(tg, &mut hits)
        }
        Kind::UserPoolClient => {
            let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
            let name = key("name");
            let ids: Vec<String> = list_client_ids(p, pool)
                .await?
                .into_iter()
                .filter(|(_, n)| *n == name)
                .map(|(id, _)| id)
                .collect();
            let mut hits = Vec::new();
            for id in ids {
                hits.extend(read(p, Kind::UserPoolClient, Some(pool), &id).await?);
            }
            one_of(tg, &mut hits)
        }
        Kind::UserPoolDomain => read(p, tg.kind, tg.parent_id.as_deref(), &key("domain")).await,
        Kind::IdentityProvider | Kind::UserPoolGroup => {
            read(p, tg.kind, tg.parent_id.as_deref(), &key("name")).await
        }
        Kind::ResourceServer => read(p, tg.kind, tg.parent_id.as_deref(), &key("identifier")).await,
        _ => unreachable!("not a Cognito user pool kind"),
    }
}

/// The single candidate, none, or a conflict naming every candidate.
pub(crate) fn one_of(
    tg: &Target,
    hits: &mut Vec<LiveObject>,
) -> Result<Option<LiveObject>, ProviderError> {
    match hits.len() {
        0 => Ok(None),
        1 => Ok(hits.pop()),
        _ => Err(ProviderError::new(
            ErrorClass::Conflict,
            format!("find {}", tg.kind),
            "",
            format!(
                "more than one live object could be {}: {}",
                tg.address,
                hits.iter()
                    .map(|o| o.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .at(&tg.address)),
    }
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    let a = &tg.attrs;
    let created = match tg.kind {
        Kind::UserPool => return create_pool(p, tg).await,
        Kind::UserPoolDomain => {
            const OP: &str = "cognito-idp:CreateUserPoolDomain";
            let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
            let domain =
                get_str(a, "domain").ok_or_else(|| invalid(OP, "a domain needs `domain`"))?;
            let cdc = custom_domain_config(a, OP)?;
            sent!(
                p.call_create(OP, tg, || {
                    p.cip
                        .create_user_pool_domain()
                        .user_pool_id(pool)
                        .domain(&domain)
                        .set_custom_domain_config(cdc.clone())
                        .set_managed_login_version(get_i32(a, "managed_login_version"))
                        .send()
                })
                .await?
            );
            read(p, tg.kind, Some(pool), &domain).await?
        }
        Kind::IdentityProvider => {
            const OP: &str = "cognito-idp:CreateIdentityProvider";
            let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
            let name = get_str(a, "name")
                .ok_or_else(|| invalid(OP, "an identity provider needs `name`"))?;
            let ptype = get_str(a, "provider_type")
                .ok_or_else(|| invalid(OP, "an identity provider needs `provider_type`"))?;
            let details = merge_provider_details(&HashMap::new(), get_map(a, "provider_details"));
            sent!(
                p.call_create(OP, tg, || {
                    p.cip
                        .create_identity_provider()
                        .user_pool_id(pool)
                        .provider_name(&name)
                        .provider_type(t::IdentityProviderTypeType::from(ptype.as_str()))
                        .set_provider_details(Some(details.clone()))
                        .set_attribute_mapping(get_str_map(a, "attribute_mapping"))
                        .set_idp_identifiers(get_strs(a, "idp_identifiers"))
                        .send()
                })
                .await?
            );
            read(p, tg.kind, Some(pool), &name).await?
        }
        Kind::ResourceServer => {
            const OP: &str = "cognito-idp:CreateResourceServer";
            let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
            let ident = get_str(a, "identifier")
                .ok_or_else(|| invalid(OP, "a resource server needs `identifier`"))?;
            let name = get_str(a, "name").unwrap_or_else(|| ident.clone());
            let scopes = rs_scopes(a, OP)?;
            sent!(
                p.call_create(OP, tg, || {
                    p.cip
                        .create_resource_server()
                        .user_pool_id(pool)
                        .identifier(&ident)
                        .name(&name)
                        .set_scopes(Some(scopes.clone()))
                        .send()
                })
                .await?
            );
            read(p, tg.kind, Some(pool), &ident).await?
        }
        Kind::UserPoolClient => {
            const OP: &str = "cognito-idp:CreateUserPoolClient";
            let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
            let name = get_str(a, "name").ok_or_else(|| invalid(OP, "a client needs `name`"))?;
            let b = client_common!(
                p.cip
                    .create_user_pool_client()
                    .user_pool_id(pool)
                    .client_name(&name)
                    .set_generate_secret(get_bool(a, "generate_secret")),
                a
            );
            let out = sent!(p.call_create(OP, tg, || b.clone().send()).await?);
            let c = out
                .user_pool_client()
                .ok_or_else(|| invalid(OP, "no client in the response"))?;
            Some(client_to_live(c))
        }
        Kind::UserPoolGroup => {
            const OP: &str = "cognito-idp:CreateGroup";
            let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
            let name = get_str(a, "name").ok_or_else(|| invalid(OP, "a group needs `name`"))?;
            let out = sent!(
                p.call_create(OP, tg, || {
                    p.cip
                        .create_group()
                        .user_pool_id(pool)
                        .group_name(&name)
                        .set_description(get_str(a, "description"))
                        .set_precedence(get_i32(a, "precedence"))
                        .set_role_arn(get_str(a, "role_arn"))
                        .send()
                })
                .await?
            );
            out.group().map(group_to_live)
        }
        _ => unreachable!("not a Cognito user pool kind"),
    };
    created.ok_or_else(|| {
        ProviderError::new(
            ErrorClass::Transient,
            format!("create {}", tg.kind),
            "",
            "created, but not found when read back",
        )
    })
}

/// Adds the target's ownership tags to a user pool (TagResource on its ARN only: UpdateUserPool,
/// which is full-replace, is not called).
pub async fn adopt(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:TagResource";
    let (pool, _) = read_pool_full(p, &lv.id).await?;
    let arn = pool
        .arn()
        .ok_or_else(|| invalid(OP, format!("user pool {} has no ARN", lv.id)))?
        .to_string();
    let tags: std::collections::HashMap<String, String> =
        crate::ownership_tags(tg).into_iter().collect();
    p.call(OP, || {
        p.cip
            .tag_resource()
            .resource_arn(&arn)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(read_pool_full(p, &lv.id).await?.1)
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let pool = lv.parent_id.as_deref().or(tg.parent_id.as_deref());
    let gone = || {
        ProviderError::new(
            ErrorClass::NotFound,
            format!("update {}", tg.kind),
            "",
            format!("{} is gone", lv.id),
        )
    };
    match tg.kind {
        Kind::UserPool => update_pool(p, &lv.id, tg).await,
        Kind::UserPoolDomain => {
            const OP: &str = "cognito-idp:UpdateUserPoolDomain";
            let pool = need_parent(tg.kind, pool)?;
            let cur = read_domain(p, Some(pool), &lv.id).await?.ok_or_else(gone)?;
            let merged = merge_attrs(&cur.attrs, &tg.attrs, &[]);
            let cdc = custom_domain_config(&merged, OP)?;
            let routing = domain_routing(p, &lv.id).await?;
            p.call(OP, || {
                p.cip
                    .update_user_pool_domain()
                    .user_pool_id(pool)
                    .domain(&lv.id)
                    .set_custom_domain_config(cdc.clone())
                    .set_routing(routing.clone())
                    .set_managed_login_version(get_i32(&merged, "managed_login_version"))
                    .send()
            })
            .await?;
            read_domain(p, Some(pool), &lv.id).await?.ok_or_else(gone)
        }
        Kind::IdentityProvider => {
            const OP: &str = "cognito-idp:UpdateIdentityProvider";
            let pool = need_parent(tg.kind, pool)?;
            let cur = describe_idp(p, pool, &lv.id).await?;
            let wanted = get_map(&tg.attrs, "provider_details");
            let mut live_details = cur.provider_details().cloned().unwrap_or_default();
            if cur.provider_type() == Some(&t::IdentityProviderTypeType::Oidc) {
                // Endpoints AWS discovered from `oidc_issuer` are not sent back unless the spec
                // sets them: AWS discovers them again (from the new issuer after a change).
                live_details.retain(|k, _| {
                    !OIDC_DISCOVERED_DETAILS.contains(&k.as_str())
                        || wanted.is_some_and(|w| w.contains_key(k))
                });
            }
            let details = merge_provider_details(&live_details, wanted);
            let mapping = get_str_map(&tg.attrs, "attribute_mapping")
                .or_else(|| cur.attribute_mapping().cloned());
            let idents = get_strs(&tg.attrs, "idp_identifiers")
                .or_else(|| Some(cur.idp_identifiers().to_vec()));
            p.call(OP, || {
                p.cip
                    .update_identity_provider()
                    .user_pool_id(pool)
                    .provider_name(&lv.id)
                    .set_provider_details(Some(details.clone()))
                    .set_attribute_mapping(mapping.clone())
                    .set_idp_identifiers(idents.clone())
                    .set_acr_mapping(cur.acr_mapping().cloned())
                    .send()
            })
            .await?;
            read(p, tg.kind, Some(pool), &lv.id).await?.ok_or_else(gone)
        }
        Kind::ResourceServer => {
            const OP: &str = "cognito-idp:UpdateResourceServer";
            let pool = need_parent(tg.kind, pool)?;
            let cur = read(p, tg.kind, Some(pool), &lv.id)
                .await?
                .ok_or_else(gone)?;
            let merged = merge_attrs(&cur.attrs, &tg.attrs, &["scopes"]);
            let scopes = rs_scopes(&merged, OP)?;
            let name = get_str(&merged, "name").unwrap_or_else(|| lv.id.clone());
            p.call(OP, || {
                p.cip
                    .update_resource_server()
                    .user_pool_id(pool)
                    .identifier(&lv.id)
                    .name(&name)
                    .set_scopes(Some(scopes.clone()))
                    .send()
            })
            .await?;
            read(p, tg.kind, Some(pool), &lv.id).await?.ok_or_else(gone)
        }
        Kind::UserPoolClient => {
            const OP: &str = "cognito-idp:UpdateUserPoolClient";
            let pool = need_parent(tg.kind, pool)?;
            let cur_sdk = describe_client(p, pool, &lv.id).await?;
            let cur = client_to_live(&cur_sdk);
            let merged = merge_attrs(&cur.attrs, &tg.attrs, &[]);
            let b = client_common!(
                p.cip
                    .update_user_pool_client()
                    .user_pool_id(pool)
                    .client_id(&lv.id)
                    .set_client_name(get_str(&merged, "name"))
                    .set_analytics_configuration(cur_sdk.analytics_configuration().cloned())
                    .set_refresh_token_rotation(cur_sdk.refresh_token_rotation().cloned()),
                &merged
            );
            let out = p.call(OP, || b.clone().send()).await?;
            match out.user_pool_client() {
                Some(c) => Ok(client_to_live(c)),
                None => read(p, tg.kind, Some(pool), &lv.id).await?.ok_or_else(gone),
            }
        }
        Kind::UserPoolGroup => {
            const OP: &str = "cognito-idp:UpdateGroup";
            let pool = need_parent(tg.kind, pool)?;
            let cur = read(p, tg.kind, Some(pool), &lv.id)
                .await?
                .ok_or_else(gone)?;
            let merged = merge_attrs(&cur.attrs, &tg.attrs, &[]);
            // UpdateGroup changes only the members it is given: "" clears the description
            // (precedence and role cannot be cleared: the planner leaves them to live).
            let description = get_str(&merged, "description")
                .or_else(|| cur.attrs.contains_key("description").then(String::new));
            p.call(OP, || {
                p.cip
                    .update_group()
                    .user_pool_id(pool)
                    .group_name(&lv.id)
                    .set_description(description.clone())
                    .set_precedence(get_i32(&merged, "precedence"))
                    .set_role_arn(get_str(&merged, "role_arn"))
                    .send()
            })
            .await?;
            read(p, tg.kind, Some(pool), &lv.id).await?.ok_or_else(gone)
        }
        _ => unreachable!("not a Cognito user pool kind"),
    }
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let pool = || need_parent(lv.kind, lv.parent_id.as_deref());
    let id = lv.id.as_str();
    match lv.kind {
        Kind::UserPool => p
            .call("cognito-idp:DeleteUserPool", || {
                p.cip.delete_user_pool().user_pool_id(id).send()
            })
            .await
            .map(|_| ()),
        Kind::UserPoolDomain => {
            let pool = pool()?;
            match read_domain(p, Some(pool), id).await? {
                None => return Ok(()),
                // Already being deleted (an earlier run): deleting again is an error.
                Some(d) if d.transition() == Some(idplane_model::Transition::Deleting) => {
                    return Ok(());
                }
                Some(_) => {}
            }
            p.call("cognito-idp:DeleteUserPoolDomain", || {
                p.cip
                    .delete_user_pool_domain()
                    .user_pool_id(pool)
                    .domain(id)
                    .send()
            })
            .await
            .map(|_| ())
        }
        Kind::IdentityProvider => {
            let pool = pool()?;
            p.call("cognito-idp:DeleteIdentityProvider", || {
                p.cip
                    .delete_identity_provider()
                    .user_pool_id(pool)
                    .provider_name(id)
                    .send()
            })
            .await
            .map(|_| ())
        }
        Kind::ResourceServer => {
            let pool = pool()?;
            p.call("cognito-idp:DeleteResourceServer", || {
                p.cip
                    .delete_resource_server()
                    .user_pool_id(pool)
                    .identifier(id)
                    .send()
            })
            .await
            .map(|_| ())
        }
        Kind::UserPoolClient => {
            let pool = pool()?;
            p.call("cognito-idp:DeleteUserPoolClient", || {
                p.cip
                    .delete_user_pool_client()
                    .user_pool_id(pool)
                    .client_id(id)
                    .send()
            })
            .await
            .map(|_| ())
        }
        Kind::UserPoolGroup => {
            let pool = pool()?;
            p.call("cognito-idp:DeleteGroup", || {
                p.cip
                    .delete_group()
                    .user_pool_id(pool)
                    .group_name(id)
                    .send()
            })
            .await
            .map(|_| ())
        }
        _ => unreachable!("not a Cognito user pool kind"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_validity_is_normalized_to_seconds() {
        let c = t::UserPoolClientType::builder()
            .client_id("c1")
            .user_pool_id("p1")
            .client_name("web")
            .access_token_validity(2)
            .id_token_validity(30)
            .refresh_token_validity(5)
            .token_validity_units(
                t::TokenValidityUnitsType::builder()
                    .access_token(t::TimeUnitsType::Hours)
                    .id_token(t::TimeUnitsType::Minutes)
                    .build(),
            )
            .build();
        let o = client_to_live(&c);
        assert_eq!(o.attrs["access_token_validity"], Value::Int(7200));
        assert_eq!(o.attrs["id_token_validity"], Value::Int(1800));
        assert_eq!(o.attrs["refresh_token_validity"], Value::Int(5 * 86400));
        assert_eq!(o.attrs["generate_secret"], Value::Bool(false));
        assert_eq!(o.outputs["id"], "c1");
    }

    #[test]
    fn client_secret_of_an_idp_is_kept_as_digest_only() {
        let i = t::IdentityProviderType::builder()
            .user_pool_id("p1")
            .provider_name("Okta")
            .provider_type(t::IdentityProviderTypeType::Oidc)
            .provider_details("client_id", "abc")
            .provider_details("client_secret", "hunter2")
            .build();
        let o = idp_to_live(&i);
        let d = o.attrs["provider_details"].as_map().unwrap();
        assert_eq!(d["client_id"], Value::str("abc"));
        match &d["client_secret"] {
            Value::Secret(s) => {
                assert_eq!(s.digest(), idplane_model::secret::digest_of("hunter2"));
                assert!(s.expose().is_none());
            }
            other => panic!("expected a secret, got {other:?}"),
        }
        assert!(!format!("{o:?}").contains("hunter2"));
        assert!(!serde_json::to_string(&o).unwrap().contains("hunter2"));
    }

    #[test]
    fn provider_details_merge_strips_read_only_keys_and_one_metadata_source() {
        let live: HashMap<String, String> = [
            ("MetadataURL", "https://idp/metadata"),
            ("MetadataFile", "<xml/>"),
            ("ActiveEncryptionCertificate", "MII..."),
            ("SSORedirectBindingURI", "https://idp/sso"),
            ("IDPSignout", "false"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let target: BTreeMap<String, Value> = [("IDPSignout".to_string(), Value::str("true"))]
            .into_iter()
            .collect();
        let out = merge_provider_details(&live, Some(&target));
        let mut keys: Vec<_> = out.keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["IDPSignout", "MetadataURL"]);
        assert_eq!(out["IDPSignout"], "true");
        let secret: BTreeMap<String, Value> = [(
            "client_secret".to_string(),
            Value::Secret(Secret::from_plaintext("env:X", "s3cret")),
        )]
        .into_iter()
        .collect();
        let live2: HashMap<String, String> = [("client_secret".to_string(), "old".to_string())]
            .into_iter()
            .collect();
        assert_eq!(
            merge_provider_details(&live2, Some(&secret))["client_secret"],
            "s3cret"
        );
        let redacted: BTreeMap<String, Value> = [(
            "client_secret".to_string(),
            Value::Secret(Secret::from_plaintext("env:X", "s3cret").redacted()),
        )]
        .into_iter()
        .collect();
        assert_eq!(
            merge_provider_details(&live2, Some(&redacted))["client_secret"],
            "old"
        );
    }

    #[test]
    fn pool_maps_schema_outputs_and_tags() {
        let p = t::UserPoolType::builder()
            .id("us-east-1_abc")
            .name("blog")
            .arn("arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_abc")
            .schema_attributes(
                t::SchemaAttributeType::builder()
                    .name("custom:tenant")
                    .attribute_data_type(t::AttributeDataType::String)
                    .mutable(true)
                    .string_attribute_constraints(
                        t::StringAttributeConstraintsType::builder()
                            .min_length("1")
                            .max_length("64")
                            .build(),
                    )
                    .build(),
            )
            .user_pool_tags("idplane:stack", "s")
            .user_pool_tags("team", "x")
            .build();
        let o = pool_to_live("us-east-1", &p, Some(true));
        let schema = o.attrs["schema"].as_map().unwrap();
        let tenant = schema["custom:tenant"].as_map().unwrap();
        assert_eq!(tenant["attribute_data_type"], Value::str("String"));
        assert_eq!(
            tenant["string_constraints"].as_map().unwrap()["max_length"],
            Value::Int(64)
        );
        assert_eq!(
            o.outputs["issuer_url"],
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
        );
        assert_eq!(
            o.outputs["provider_name"],
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
        );
        assert_eq!(o.tags.len(), 2);
        let user_tags = o.attrs["tags"].as_map().unwrap();
        assert_eq!(user_tags.len(), 1);
        assert_eq!(user_tags["team"], Value::str("x"));
        assert_eq!(o.attrs["software_token_mfa"], Value::Bool(true));
    }

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

    #[test]
    fn domain_base_url_for_prefix_and_custom_domains() {
        let d = t::DomainDescriptionType::builder()
            .domain("blog-auth")
            .user_pool_id("p1")
            .build();
        assert_eq!(
            domain_to_live("eu-west-1", &d).outputs["base_url"],
            "https://blog-auth.auth.eu-west-1.amazoncognito.com"
        );
        let d = t::DomainDescriptionType::builder()
            .domain("auth.example.com")
            .user_pool_id("p1")
            .cloud_front_distribution("d111.cloudfront.net")
            .custom_domain_config(
                t::CustomDomainConfigType::builder()
                    .certificate_arn("arn:aws:acm:us-east-1:1:certificate/x")
                    .build()
                    .unwrap(),
            )
            .build();
        let o = domain_to_live("eu-west-1", &d);
        assert_eq!(o.outputs["base_url"], "https://auth.example.com");
        assert_eq!(o.outputs["cloudfront_domain"], "d111.cloudfront.net");
        assert_eq!(
            o.attrs["certificate_arn"],
            Value::str("arn:aws:acm:us-east-1:1:certificate/x")
        );
    }

    #[test]
    fn signing_certificate_is_wanted_for_a_saml_idp_with_sign_out_on_only() {
        let idp = |pool: &str, kind: &str, signout: &str| {
            idp_to_live(
                &t::IdentityProviderType::builder()
                    .user_pool_id(pool)
                    .provider_name("Corp")
                    .provider_type(t::IdentityProviderTypeType::from(kind))
                    .provider_details("IDPSignout", signout)
                    .build(),
            )
        };
        assert!(wants_signing_certificate(
            &[idp("p1", "SAML", "true")],
            "p1"
        ));
        assert!(wants_signing_certificate(
            &[idp("p1", "SAML", "TRUE")],
            "p1"
        ));
        assert!(!wants_signing_certificate(
            &[idp("p1", "SAML", "false")],
            "p1"
        ));
        assert!(!wants_signing_certificate(
            &[idp("p1", "OIDC", "true")],
            "p1"
        ));
        assert!(
            !wants_signing_certificate(&[idp("p2", "SAML", "true")], "p1"),
            "another pool's IdP"
        );
        assert!(!wants_signing_certificate(&[], "p1"));
        let signing = idp_to_live(
            &t::IdentityProviderType::builder()
                .user_pool_id("p1")
                .provider_name("Corp")
                .provider_type(t::IdentityProviderTypeType::Saml)
                .provider_details("IDPSignout", "false")
                .provider_details("RequestSigningAlgorithm", "rsa-sha256")
                .build(),
        );
        assert!(
            wants_signing_certificate(&[signing], "p1"),
            "signed requests need the certificate too"
        );
    }
}
