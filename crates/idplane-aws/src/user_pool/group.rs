//! Groups of a user pool: to_live, list, read (GetGroup), find by name, create, update
//! (UpdateGroup changes only what it is given) and delete.

use super::{answered_or_read, created, live};
use crate::convert::{Obj, get_i32, get_str, merge_attrs};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, need_parent, none_if_missing};
use aws_sdk_cognitoidentityprovider::types as t;
use idplane_model::kind::user_pool_group::field;
use idplane_model::{Kind, LiveObject, ProviderError, Target};

pub fn to_live(g: &t::GroupType) -> LiveObject {
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

/// Every group of the pool (paginated ListGroups).
pub(super) async fn list(p: &AwsProvider, pool: &str) -> Result<Vec<LiveObject>, ProviderError> {
    all_pages(|token| async move {
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
        let objs = out.groups().iter().map(to_live).collect();
        Ok((objs, out.next_token().map(str::to_string)))
    })
    .await
}

pub async fn read(
    p: &AwsProvider,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let pool = need_parent(Kind::UserPoolGroup, parent)?;
    let out = none_if_missing(
        p.call("cognito-idp:GetGroup", || {
            p.cip.get_group().user_pool_id(pool).group_name(id).send()
        })
        .await,
    )?;
    Ok(out.and_then(|o| o.group().map(to_live)))
}

/// ListGroups returns whole groups: one list per executor level (see `listcache`).
pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let name = get_str(&tg.attrs, field::NAME).unwrap_or_default();
    let groups = p
        .lists
        .get_or_list(&crate::listcache::key(tg.kind, Some(pool)), || {
            list(p, pool)
        })
        .await?;
    Ok(groups.iter().find(|g| g.id == name).cloned())
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:CreateGroup";
    let a = &tg.attrs;
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
    created(tg, out.group().map(to_live))
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:UpdateGroup";
    let pool = need_parent(tg.kind, lv.parent_id.as_deref().or(tg.parent_id.as_deref()))?;
    // `lv` is the caller's read of just now (see `Provider::update`): no second read.
    let cur = lv;
    let merged = merge_attrs(&cur.attrs, &tg.attrs, &[]);
    // UpdateGroup changes only the members it is given: "" clears the description
    // (precedence and role cannot be cleared: the planner leaves them to live).
    let description = get_str(&merged, "description")
        .or_else(|| cur.attrs.contains_key("description").then(String::new));
    let out = p
        .call(OP, || {
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
    answered_or_read(
        out.group().map(to_live),
        read(p, Some(pool), &lv.id),
        lv,
        tg,
    )
    .await
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let pool = need_parent(lv.kind, lv.parent_id.as_deref())?;
    p.call("cognito-idp:DeleteGroup", || {
        p.cip
            .delete_group()
            .user_pool_id(pool)
            .group_name(&lv.id)
            .send()
    })
    .await
    .map(|_| ())
}
