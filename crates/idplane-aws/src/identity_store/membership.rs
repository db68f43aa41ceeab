//! Identity Store group memberships (a user in a group, by user name): to_live, list, read
//! (DescribeGroupMembership), find, create, update (nothing to change in place) and delete.

use super::{user_id, user_name};
use crate::convert::{Obj, get_str};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, gone, need_parent, none_if_missing};
use aws_sdk_identitystore::types as t;
use idplane_model::{ErrorClass, Kind, LiveObject, ProviderError, Target};
use std::collections::{BTreeMap, HashMap};

pub fn to_live(id: &str, group: &str, user_name: &str) -> LiveObject {
    LiveObject {
        kind: Kind::IdentityStoreGroupMembership,
        id: id.to_string(),
        parent_id: Some(group.to_string()),
        tags: BTreeMap::new(),
        attrs: Obj::new().s("user_name", Some(user_name)).attrs(),
        outputs: BTreeMap::from([("id".to_string(), id.to_string())]),
    }
}

/// Memberships of a group as (membership id, member user id).
async fn memberships(
    p: &AwsProvider,
    store: &str,
    group: &str,
) -> Result<Vec<(String, String)>, ProviderError> {
    all_pages(|token| async move {
        let page = p
            .call("identitystore:ListGroupMemberships", || {
                p.ids
                    .list_group_memberships()
                    .identity_store_id(store)
                    .group_id(group)
                    .max_results(100)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let mut out = Vec::new();
        for m in page.group_memberships() {
            if let Some(t::MemberId::UserId(u)) = m.member_id() {
                out.push((m.membership_id().to_string(), u.clone()));
            }
        }
        Ok((out, page.next_token().map(str::to_string)))
    })
    .await
}

/// The memberships of a group with user names (`names` caches them across groups).
pub(super) async fn list(
    p: &AwsProvider,
    store: &str,
    group: &str,
    names: &mut HashMap<String, Option<String>>,
) -> Result<Vec<LiveObject>, ProviderError> {
    let mut objs = Vec::new();
    for (mid, uid) in memberships(p, store, group).await? {
        if !names.contains_key(&uid) {
            let n = user_name(p, store, &uid).await?;
            names.insert(uid.clone(), n);
        }
        let name = names[&uid].clone().unwrap_or(uid);
        objs.push(to_live(&mid, group, &name));
    }
    Ok(objs)
}

pub async fn read(
    p: &AwsProvider,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    let group = need_parent(Kind::IdentityStoreGroupMembership, parent)?;
    let out = none_if_missing(
        p.call("identitystore:DescribeGroupMembership", || {
            p.ids
                .describe_group_membership()
                .identity_store_id(&store)
                .membership_id(id)
                .send()
        })
        .await,
    )?;
    let Some(m) = out else { return Ok(None) };
    if m.group_id() != group {
        return Ok(None);
    }
    let Some(t::MemberId::UserId(uid)) = m.member_id() else {
        return Ok(None);
    };
    let name = user_name(p, &store, uid)
        .await?
        .unwrap_or_else(|| uid.clone());
    Ok(Some(to_live(id, group, &name)))
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    let name = get_str(&tg.attrs, "user_name").unwrap_or_default();
    let group = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let Some(uid) = user_id(p, &store, &name).await? else {
        return Ok(None);
    };
    let hit = memberships(p, &store, group)
        .await?
        .into_iter()
        .find(|(_, u)| *u == uid);
    Ok(hit.map(|(mid, _)| to_live(&mid, group, &name)))
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "identitystore:CreateGroupMembership";
    let store = p.instance().await?.identity_store_id;
    let group = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let name = get_str(&tg.attrs, "user_name")
        .ok_or_else(|| invalid(OP, "a membership needs `user_name`"))?;
    let uid = user_id(p, &store, &name).await?.ok_or_else(|| {
        ProviderError::new(
            ErrorClass::NotFound,
            OP,
            "",
            format!("no identity store user named `{name}`"),
        )
    })?;
    let out = sent!(
        p.call_create(OP, tg, || {
            p.ids
                .create_group_membership()
                .identity_store_id(&store)
                .group_id(group)
                .member_id(t::MemberId::UserId(uid.clone()))
                .send()
        })
        .await?
    );
    Ok(to_live(out.membership_id(), group, &name))
}

/// A membership's only field is immutable: nothing to update in place, only the read back
/// every update ends with.
pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    p.instance().await?;
    read(p, lv.parent_id.as_deref(), &lv.id)
        .await?
        .ok_or_else(|| gone(lv, tg))
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let store = p.instance().await?.identity_store_id;
    p.call("identitystore:DeleteGroupMembership", || {
        p.ids
            .delete_group_membership()
            .identity_store_id(&store)
            .membership_id(&lv.id)
            .send()
    })
    .await
    .map(|_| ())
}
