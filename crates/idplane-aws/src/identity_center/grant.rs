//! Application grants (authorization code, JWT bearer, refresh token, token exchange): the
//! grant between its SDK union and a value, list, read, find by grant type, put (create and
//! update are one upsert) and delete.

use super::obj;
use crate::convert::{Obj, get_str, get_strs, merge_attrs, strs};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, created, gone, need_parent, none_if_missing};
use aws_sdk_ssoadmin::types as t;
use idplane_model::{Attrs, Kind, LiveObject, ProviderError, Target, Value};
use std::collections::BTreeMap;

pub fn grant_to_value(g: Option<&t::Grant>) -> Value {
    match g {
        Some(t::Grant::AuthorizationCode(c)) => Value::Map(BTreeMap::from([(
            "redirect_uris".to_string(),
            strs(c.redirect_uris()),
        )])),
        Some(t::Grant::JwtBearer(j)) => {
            let issuers: Vec<Value> = j
                .authorized_token_issuers()
                .iter()
                .map(|i| {
                    Obj::new()
                        .s("trusted_token_issuer_arn", i.trusted_token_issuer_arn())
                        .v("authorized_audiences", strs(i.authorized_audiences()))
                        .map()
                })
                .collect();
            Value::Map(BTreeMap::from([(
                "authorized_token_issuers".to_string(),
                Value::List(issuers),
            )]))
        }
        _ => Value::Map(BTreeMap::new()),
    }
}

pub fn value_to_grant(grant_type: &str, v: &Value) -> t::Grant {
    let empty = BTreeMap::new();
    let m = v.as_map().unwrap_or(&empty);
    match grant_type {
        "authorization_code" => t::Grant::AuthorizationCode(
            t::AuthorizationCodeGrant::builder()
                .set_redirect_uris(get_strs(m, "redirect_uris"))
                .build(),
        ),
        "urn:ietf:params:oauth:grant-type:jwt-bearer" => {
            let issuers = m
                .get("authorized_token_issuers")
                .and_then(Value::as_list)
                .unwrap_or_default()
                .iter()
                .filter_map(Value::as_map)
                .map(|i| {
                    t::AuthorizedTokenIssuer::builder()
                        .set_trusted_token_issuer_arn(get_str(i, "trusted_token_issuer_arn"))
                        .set_authorized_audiences(get_strs(i, "authorized_audiences"))
                        .build()
                })
                .collect();
            t::Grant::JwtBearer(
                t::JwtBearerGrant::builder()
                    .set_authorized_token_issuers(Some(issuers))
                    .build(),
            )
        }
        "refresh_token" => t::Grant::RefreshToken(t::RefreshTokenGrant::builder().build()),
        _ => t::Grant::TokenExchange(t::TokenExchangeGrant::builder().build()),
    }
}

pub fn to_live(app: &str, grant_type: &str, g: Option<&t::Grant>) -> LiveObject {
    let a = Obj::new()
        .s("grant_type", Some(grant_type))
        .v("grant", grant_to_value(g))
        .attrs();
    obj(Kind::ApplicationGrant, grant_type, Some(app), a)
}

/// Every grant of the application (paginated ListApplicationGrants).
pub(super) async fn list(p: &AwsProvider, app: &str) -> Result<Vec<LiveObject>, ProviderError> {
    all_pages(|token| async move {
        let out = p
            .call("sso:ListApplicationGrants", || {
                p.sso
                    .list_application_grants()
                    .application_arn(app)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let objs = out
            .grants()
            .iter()
            .map(|g| to_live(app, g.grant_type().as_str(), g.grant()))
            .collect();
        Ok((objs, out.next_token().map(str::to_string)))
    })
    .await
}

pub async fn read(
    p: &AwsProvider,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    p.instance().await?;
    let app = need_parent(Kind::ApplicationGrant, parent)?;
    let out = none_if_missing(
        p.call("sso:GetApplicationGrant", || {
            p.sso
                .get_application_grant()
                .application_arn(app)
                .grant_type(t::GrantType::from(id))
                .send()
        })
        .await,
    )?;
    Ok(out.map(|o| to_live(app, id, o.grant())))
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let grant_type = get_str(&tg.attrs, "grant_type").unwrap_or_default();
    read(p, tg.parent_id.as_deref(), &grant_type).await
}

/// PutApplicationGrant (an upsert); answers the grant's id (its type).
async fn put(p: &AwsProvider, app: &str, a: &Attrs) -> Result<String, ProviderError> {
    const OP: &str = "sso:PutApplicationGrant";
    let gt = get_str(a, "grant_type").ok_or_else(|| invalid(OP, "a grant needs `grant_type`"))?;
    let grant = value_to_grant(&gt, a.get("grant").unwrap_or(&Value::Null));
    p.call(OP, || {
        p.sso
            .put_application_grant()
            .application_arn(app)
            .grant_type(t::GrantType::from(gt.as_str()))
            .grant(grant.clone())
            .send()
    })
    .await?;
    Ok(gt)
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    let app = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let id = put(p, app, &tg.attrs).await?;
    created(tg, read(p, Some(app), &id).await?)
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let app = need_parent(tg.kind, lv.parent_id.as_deref().or(tg.parent_id.as_deref()))?;
    // `lv` is the caller's read of just now (see `Provider::update`): no second read.
    let cur = lv;
    let merged = merge_attrs(&cur.attrs, &tg.attrs, &["grant"]);
    let id = put(p, app, &merged).await?;
    read(p, Some(app), &id).await?.ok_or_else(|| gone(lv, tg))
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let app = need_parent(lv.kind, lv.parent_id.as_deref())?;
    p.call("sso:DeleteApplicationGrant", || {
        p.sso
            .delete_application_grant()
            .application_arn(app)
            .grant_type(t::GrantType::from(lv.id.as_str()))
            .send()
    })
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Value {
        Value::from_json(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn grants_round_trip_between_value_and_sdk() {
        let jwt = "urn:ietf:params:oauth:grant-type:jwt-bearer";
        let v = j(
            r#"{"authorized_token_issuers":[{"trusted_token_issuer_arn":"arn:tti","authorized_audiences":["client1"]}]}"#,
        );
        assert_eq!(grant_to_value(Some(&value_to_grant(jwt, &v))), v);
        let v = j(r#"{"redirect_uris":["https://app/cb"]}"#);
        assert_eq!(
            grant_to_value(Some(&value_to_grant("authorization_code", &v))),
            v
        );
        assert_eq!(
            grant_to_value(Some(&value_to_grant("refresh_token", &Value::Null))),
            j("{}")
        );
    }
}
