//! Resource servers of a user pool (custom scopes): to_live, list, read, find by identifier,
//! create, full-replace update (scopes from the target, the rest kept) and delete.

use super::{answered_or_read, created, live};
use crate::convert::{Obj, get_map, get_str, merge_attrs};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, need_parent, none_if_missing};
use aws_sdk_cognitoidentityprovider::types as t;
use idplane_model::kind::resource_server::field;
use idplane_model::{Attrs, Kind, LiveObject, ProviderError, Target, Value};
use std::collections::BTreeMap;

pub fn to_live(r: &t::ResourceServerType) -> LiveObject {
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

fn scopes(a: &Attrs, op: &str) -> Result<Vec<t::ResourceServerScopeType>, ProviderError> {
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

/// Every resource server of the pool (paginated ListResourceServers).
pub(super) async fn list(p: &AwsProvider, pool: &str) -> Result<Vec<LiveObject>, ProviderError> {
    all_pages(|token| async move {
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
        let objs = out.resource_servers().iter().map(to_live).collect();
        Ok((objs, out.next_token().map(str::to_string)))
    })
    .await
}

pub async fn read(
    p: &AwsProvider,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let pool = need_parent(Kind::ResourceServer, parent)?;
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
    Ok(out.and_then(|o| o.resource_server().map(to_live)))
}

/// ListResourceServers returns whole servers: one list per executor level (see `listcache`).
pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let identifier = get_str(&tg.attrs, field::IDENTIFIER).unwrap_or_default();
    let servers = p
        .lists
        .get_or_list(&crate::listcache::key(tg.kind, Some(pool)), || {
            list(p, pool)
        })
        .await?;
    Ok(servers.iter().find(|r| r.id == identifier).cloned())
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:CreateResourceServer";
    let a = &tg.attrs;
    let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let ident = get_str(a, "identifier")
        .ok_or_else(|| invalid(OP, "a resource server needs `identifier`"))?;
    let name = get_str(a, "name").unwrap_or_else(|| ident.clone());
    let scopes = scopes(a, OP)?;
    let out = sent!(
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
    match out.resource_server() {
        Some(r) => Ok(to_live(r)),
        None => created(tg, read(p, Some(pool), &ident).await?),
    }
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:UpdateResourceServer";
    let pool = need_parent(tg.kind, lv.parent_id.as_deref().or(tg.parent_id.as_deref()))?;
    // `lv` is the caller's read of just now (see `Provider::update`): no second read.
    let cur = lv;
    let merged = merge_attrs(&cur.attrs, &tg.attrs, &["scopes"]);
    let scopes = scopes(&merged, OP)?;
    let name = get_str(&merged, "name").unwrap_or_else(|| lv.id.clone());
    let out = p
        .call(OP, || {
            p.cip
                .update_resource_server()
                .user_pool_id(pool)
                .identifier(&lv.id)
                .name(&name)
                .set_scopes(Some(scopes.clone()))
                .send()
        })
        .await?;
    answered_or_read(
        out.resource_server().map(to_live),
        read(p, Some(pool), &lv.id),
        lv,
        tg,
    )
    .await
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let pool = need_parent(lv.kind, lv.parent_id.as_deref())?;
    p.call("cognito-idp:DeleteResourceServer", || {
        p.cip
            .delete_resource_server()
            .user_pool_id(pool)
            .identifier(&lv.id)
            .send()
    })
    .await
    .map(|_| ())
}
