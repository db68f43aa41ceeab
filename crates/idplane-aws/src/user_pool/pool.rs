//! User pools: the pool as the kind's fields (DescribeUserPool plus GetUserPoolMfaConfig),
//! listing, read, find by ownership tags, create, full-replace update, adopt and delete; twins
//! of a concurrent apply's create and discarding this run's duplicate.

use super::live;
use super::pool_config::{
    account_recovery, admin_create_user_config, email_configuration, enum_list, lambda_config,
    password_policy, schema_attr, sms_configuration, tier_password_policy, verification_template,
};
use crate::convert::{Obj, get_bool, get_map, get_str, merge_attrs, millis, num_text, strs};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{
    AwsProvider, CONCURRENCY, all_tags, none_if_missing, one_of, owned_by, user_tags_value,
};
use aws_sdk_cognitoidentityprovider::types as t;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::kind::user_pool::field;
use idplane_model::{Attrs, ErrorClass, Kind, LiveObject, ProviderError, Target, Twin, Value};
use std::collections::BTreeMap;

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

/// The pool as the kind's fields (plus outputs and tags); `software_token_mfa` comes from
/// GetUserPoolMfaConfig.
pub fn to_live(region: &str, p: &t::UserPoolType, software_token_mfa: Option<bool>) -> LiveObject {
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

pub(super) async fn describe(p: &AwsProvider, id: &str) -> Result<t::UserPoolType, ProviderError> {
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

/// The pool and its MFA settings, read side by side (DescribeUserPool's answer wins: a pool
/// it does not find is not found, whatever GetUserPoolMfaConfig said).
async fn read_pool_full(
    p: &AwsProvider,
    id: &str,
) -> Result<(t::UserPoolType, LiveObject), ProviderError> {
    let (pool, mfa) = futures::join!(describe(p, id), mfa_config(p, id));
    Ok(pool_object(p, pool?, mfa?))
}

/// The pool's live object, with the MFA settings GetUserPoolMfaConfig reports.
pub(super) async fn with_mfa(
    p: &AwsProvider,
    pool: t::UserPoolType,
) -> Result<(t::UserPoolType, LiveObject), ProviderError> {
    let mfa = mfa_config(p, pool.id().unwrap_or_default()).await?;
    Ok(pool_object(p, pool, mfa))
}

fn pool_object(
    p: &AwsProvider,
    pool: t::UserPoolType,
    mfa: aws_sdk_cognitoidentityprovider::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput,
) -> (t::UserPoolType, LiveObject) {
    let totp = mfa
        .software_token_mfa_configuration()
        .map(|c| c.enabled())
        .unwrap_or(false);
    let mut o = to_live(&p.region, &pool, Some(totp));
    // GetUserPoolMfaConfig is the authority on the MFA setting (SetUserPoolMfaConfig writes it).
    if let Some(m) = mfa.mfa_configuration() {
        o.attrs
            .insert("mfa_configuration".into(), Value::str(m.as_str()));
    }
    (pool, o)
}

/// The ids and names of every user pool of the account (paginated ListUserPools).
async fn list_named(p: &AwsProvider) -> Result<Vec<(String, String)>, ProviderError> {
    all_pages(|token| async move {
        let out = p
            .call("cognito-idp:ListUserPools", || {
                p.cip
                    .list_user_pools()
                    .max_results(60)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let named = out
            .user_pools()
            .iter()
            .filter_map(|u| Some((u.id()?.to_string(), u.name()?.to_string())))
            .collect();
        Ok((named, out.next_token().map(str::to_string)))
    })
    .await
}

/// The ids of every user pool of the account (paginated ListUserPools).
pub(crate) async fn list_ids(p: &AwsProvider) -> Result<Vec<String>, ProviderError> {
    all_pages(|token| async move {
        let out = p
            .call("cognito-idp:ListUserPools", || {
                p.cip
                    .list_user_pools()
                    .max_results(60)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let ids = out
            .user_pools()
            .iter()
            .filter_map(|u| u.id().map(str::to_string))
            .collect();
        Ok((ids, out.next_token().map(str::to_string)))
    })
    .await
}

/// The pools `keep` accepts, judged by their description (tags come with it): one describe
/// per pool, bounded concurrency, then the MFA settings of the kept ones only.
pub(super) async fn pools_where(
    p: &AwsProvider,
    keep: impl Fn(&t::UserPoolType) -> bool,
) -> Result<Vec<(t::UserPoolType, LiveObject)>, ProviderError> {
    let described = p
        .lists
        .get_or_list(&crate::listcache::key(Kind::UserPool, None), || {
            describe_all(p)
        })
        .await?;
    let kept: Vec<t::UserPoolType> = described.iter().filter(|u| keep(u)).cloned().collect();
    stream::iter(kept)
        .map(|u| async move { with_mfa(p, u).await })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await
}

/// Every pool of the region, described (tags come with the description).
async fn describe_all(p: &AwsProvider) -> Result<Vec<t::UserPoolType>, ProviderError> {
    let ids = list_ids(p).await?;
    let described: Vec<Option<t::UserPoolType>> = stream::iter(ids)
        .map(|id| async move { none_if_missing(describe(p, &id).await) })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    Ok(described.into_iter().flatten().collect())
}

pub(super) fn pool_tag<'a>(u: &'a t::UserPoolType, key: &str) -> Option<&'a str> {
    u.user_pool_tags()
        .and_then(|m| m.get(key))
        .map(String::as_str)
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

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
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

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:UpdateUserPool";
    let id = lv.id.as_str();
    // `lv` is the caller's read of just now (see `Provider::update`); the settings it does not
    // carry come from that read's shape, or from a new read when it was not kept.
    let (pool, cur) = match p.recent.take::<t::UserPoolType>(lv) {
        Some(pool) => (pool, lv.clone()),
        None => read_pool_full(p, id).await?,
    };
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

/// Adds the `signing_certificate` output (GetSigningCertificate) when `wanted`; no call otherwise.
pub(super) async fn with_signing_certificate(
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

pub async fn read(p: &AwsProvider, id: &str) -> Result<Option<LiveObject>, ProviderError> {
    Ok(
        none_if_missing(read_pool_full(p, id).await)?.map(|(pool, live)| {
            // An update right after this read sends the pool's unmodelled settings back from this
            // shape (`recent`).
            p.recent.keep(&live, pool);
            live
        }),
    )
}

/// The pools carrying the target's ownership tags, described.
async fn owned(
    p: &AwsProvider,
    tg: &Target,
) -> Result<Vec<(t::UserPoolType, LiveObject)>, ProviderError> {
    let address = tg.address.to_string();
    Ok(pools_where(p, |u| {
        pool_tag(u, idplane_model::TAG_STACK) == Some(tg.stack.as_str())
            && pool_tag(u, idplane_model::TAG_ADDRESS).map(idplane_model::decode_address_tag)
                == Some(address.clone())
    })
    .await?
    .into_iter()
    .filter(|(_, o)| owned_by(o, tg))
    .collect())
}

/// The pool carrying the target's ownership tags (a pool has no natural key).
pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let mut hits: Vec<LiveObject> = owned(p, tg).await?.into_iter().map(|(_, o)| o).collect();
    one_of(tg, &mut hits)
}

/// Every pool carrying the target's ownership tags, with its `CreationDate` (two applies at
/// once each made one). Pools of the target's name are found in the listing (one
/// `ListUserPools` per executor level, see `listcache`); only when there are several are they
/// described, for their tags. A pool alone with its name comes with its id only: there is
/// nothing to order.
pub async fn twins(p: &AwsProvider, tg: &Target) -> Result<Vec<Twin>, ProviderError> {
    let Some(name) = get_str(&tg.attrs, field::NAME) else {
        return Ok(owned(p, tg)
            .await?
            .into_iter()
            .map(|(u, live)| Twin {
                created_ms: millis(u.creation_date()),
                live,
            })
            .collect());
    };
    let listed = p
        .lists
        .get_or_list(&crate::listcache::listing_key(Kind::UserPool, None), || {
            list_named(p)
        })
        .await?;
    let same: Vec<&(String, String)> = listed.iter().filter(|(_, n)| *n == name).collect();
    if let [(id, _)] = same.as_slice() {
        return Ok(vec![Twin {
            created_ms: None,
            live: LiveObject::new(Kind::UserPool, id.clone(), None, Attrs::new()),
        }]);
    }
    let mut out = Vec::new();
    for (id, _) in same {
        let Some(u) = none_if_missing(describe(p, id).await)? else {
            continue;
        };
        let created_ms = millis(u.creation_date());
        let live = with_mfa(p, u).await?.1;
        if owned_by(&live, tg) {
            out.push(Twin { created_ms, live });
        }
    }
    Ok(out)
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

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    p.call("cognito-idp:DeleteUserPool", || {
        p.cip.delete_user_pool().user_pool_id(&lv.id).send()
    })
    .await
    .map(|_| ())
}

/// Deletes this run's duplicate of a concurrent apply's pool: deletion protection this run's
/// own create set is switched off first (the pool is seconds old, has no user and nothing
/// refers to it).
pub async fn discard(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    if get_str(&lv.attrs, field::DELETION_PROTECTION).as_deref() == Some("ACTIVE") {
        p.call("cognito-idp:UpdateUserPool", || {
            p.cip
                .update_user_pool()
                .user_pool_id(&lv.id)
                .deletion_protection(t::DeletionProtectionType::Inactive)
                .send()
        })
        .await?;
    }
    delete(p, lv).await
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let o = to_live("us-east-1", &p, Some(true));
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
}
