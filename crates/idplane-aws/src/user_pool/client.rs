//! App clients of a user pool: to_live (token validities in seconds), list, read
//! (DescribeUserPoolClient), find by name, create, full-replace update (fields without a kind
//! field carried over from live), delete, and the twins of a concurrent apply's create.

use super::pool_config::enum_list;
use super::{answered_or_read, created, live};
use crate::convert::{Obj, get_bool, get_i32, get_str, get_strs, merge_attrs, millis, strs};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, need_parent, none_if_missing, one_of};
use aws_sdk_cognitoidentityprovider::types as t;
use idplane_model::kind::user_pool_client::field;
use idplane_model::{Attrs, ErrorClass, Kind, LiveObject, ProviderError, Target, Twin};

fn unit_seconds(u: Option<&t::TimeUnitsType>, default: i64) -> i64 {
    match u.map(|x| x.as_str()) {
        Some("seconds") => 1,
        Some("minutes") => 60,
        Some("hours") => 3600,
        Some("days") => 86400,
        _ => default,
    }
}

pub fn to_live(c: &t::UserPoolClientType) -> LiveObject {
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

pub(super) async fn describe(
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

/// The pool's clients as (id, name) (paginated ListUserPoolClients).
pub(super) async fn list_ids(
    p: &AwsProvider,
    pool: &str,
) -> Result<Vec<(String, String)>, ProviderError> {
    all_pages(|token| async move {
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
        let ids = out
            .user_pool_clients()
            .iter()
            .filter_map(|c| {
                Some((
                    c.client_id()?.to_string(),
                    c.client_name().unwrap_or_default().to_string(),
                ))
            })
            .collect();
        Ok((ids, out.next_token().map(str::to_string)))
    })
    .await
}

pub async fn read(
    p: &AwsProvider,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let pool = need_parent(Kind::UserPoolClient, parent)?;
    Ok(none_if_missing(describe(p, pool, id).await)?.map(|c| {
        let live = to_live(&c);
        // An update of the client right after this read sends its unmodelled members back
        // from this shape (`recent`).
        p.recent.keep(&live, c);
        live
    }))
}

/// The target's pool and the ids of its clients of the target's name, from one list of the
/// pool's clients per executor level (see `listcache`).
async fn named_like<'t>(
    p: &AwsProvider,
    tg: &'t Target,
) -> Result<(&'t str, Vec<String>), ProviderError> {
    let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let name = get_str(&tg.attrs, field::NAME).unwrap_or_default();
    let ids = p
        .lists
        .get_or_list(&crate::listcache::key(tg.kind, Some(pool)), || {
            list_ids(p, pool)
        })
        .await?
        .iter()
        .filter(|(_, n)| *n == name)
        .map(|(id, _)| id.clone())
        .collect();
    Ok((pool, ids))
}

/// The client of the target's name in its pool (a name is not unique: two is a conflict).
pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let (pool, ids) = named_like(p, tg).await?;
    let mut hits = Vec::new();
    for id in ids {
        hits.extend(read(p, Some(pool), &id).await?);
    }
    one_of(tg, &mut hits)
}

/// Every client of the target's name in its pool, with its `CreationDate` (two applies at once
/// each made one), from the pool's list of clients (one per executor level, see `listcache`).
/// A client alone with its name comes with its id only (nothing to order); several are
/// described, for their creation times.
pub async fn twins(p: &AwsProvider, tg: &Target) -> Result<Vec<Twin>, ProviderError> {
    let (pool, ids) = named_like(p, tg).await?;
    if let [id] = ids.as_slice() {
        return Ok(vec![Twin {
            created_ms: None,
            live: LiveObject::new(tg.kind, id.clone(), Some(pool.to_string()), Attrs::new()),
        }]);
    }
    let mut out = Vec::new();
    for id in ids {
        if let Some(c) = none_if_missing(describe(p, pool, &id).await)? {
            out.push(Twin {
                created_ms: millis(c.creation_date()),
                live: to_live(&c),
            });
        }
    }
    Ok(out)
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:CreateUserPoolClient";
    let a = &tg.attrs;
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
    created(tg, Some(to_live(c)))
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:UpdateUserPoolClient";
    let pool = need_parent(tg.kind, lv.parent_id.as_deref().or(tg.parent_id.as_deref()))?;
    // `lv` is the caller's read of just now (see `Provider::update`); the members it does not
    // carry come from that read's shape, or from a describe when it was not kept.
    let cur_sdk = match p.recent.take::<t::UserPoolClientType>(lv) {
        Some(c) => c,
        None => describe(p, pool, &lv.id).await?,
    };
    let cur = to_live(&cur_sdk);
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
    answered_or_read(
        out.user_pool_client().map(to_live),
        read(p, Some(pool), &lv.id),
        lv,
        tg,
    )
    .await
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let pool = need_parent(lv.kind, lv.parent_id.as_deref())?;
    p.call("cognito-idp:DeleteUserPoolClient", || {
        p.cip
            .delete_user_pool_client()
            .user_pool_id(pool)
            .client_id(&lv.id)
            .send()
    })
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use idplane_model::Value;

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
        let o = to_live(&c);
        assert_eq!(o.attrs["access_token_validity"], Value::Int(7200));
        assert_eq!(o.attrs["id_token_validity"], Value::Int(1800));
        assert_eq!(o.attrs["refresh_token_validity"], Value::Int(5 * 86400));
        assert_eq!(o.attrs["generate_secret"], Value::Bool(false));
        assert_eq!(o.outputs["id"], "c1");
    }
}
