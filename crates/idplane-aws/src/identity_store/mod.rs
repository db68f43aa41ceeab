//! Identity Store users, groups and group memberships, one file per kind, resolving user names
//! and group display names to ids (and back) for memberships and application assignments, and
//! observing the users and groups the stack names; `lookup.rs` finds users by a trusted token
//! issuer's attribute path for verify (not a kind).

pub mod group;
pub mod lookup;
pub mod membership;
pub mod user;

use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, CONCURRENCY, none_if_missing};
use aws_sdk_identitystore::types as t;
use aws_smithy_types::Document;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::{Kind, LiveObject, ObserveRequest, ProviderError};
use std::collections::HashMap;

fn unique(path: &str, value: &str) -> Result<t::AlternateIdentifier, ProviderError> {
    let u = t::UniqueAttribute::builder()
        .attribute_path(path)
        .attribute_value(Document::String(value.to_string()))
        .build()
        .map_err(|e| invalid("identitystore", e.to_string()))?;
    Ok(t::AlternateIdentifier::UniqueAttribute(u))
}

/// The id of the user with this user name, if any.
pub async fn user_id(
    p: &AwsProvider,
    store: &str,
    name: &str,
) -> Result<Option<String>, ProviderError> {
    let alt = unique("userName", name)?;
    let out = none_if_missing(
        p.call("identitystore:GetUserId", || {
            p.ids
                .get_user_id()
                .identity_store_id(store)
                .alternate_identifier(alt.clone())
                .send()
        })
        .await,
    )?;
    Ok(out.map(|o| o.user_id().to_string()))
}

/// The id of the group with this display name, if any.
pub async fn group_id(
    p: &AwsProvider,
    store: &str,
    name: &str,
) -> Result<Option<String>, ProviderError> {
    let alt = unique("displayName", name)?;
    let out = none_if_missing(
        p.call("identitystore:GetGroupId", || {
            p.ids
                .get_group_id()
                .identity_store_id(store)
                .alternate_identifier(alt.clone())
                .send()
        })
        .await,
    )?;
    Ok(out.map(|o| o.group_id().to_string()))
}

/// The user name of a user id, if the user exists.
pub async fn user_name(
    p: &AwsProvider,
    store: &str,
    id: &str,
) -> Result<Option<String>, ProviderError> {
    Ok(user::describe(p, store, id)
        .await?
        .and_then(|u| u.user_name().map(str::to_string)))
}

/// The display name of a group id, if the group exists.
pub async fn group_name(
    p: &AwsProvider,
    store: &str,
    id: &str,
) -> Result<Option<String>, ProviderError> {
    Ok(group::describe(p, store, id)
        .await?
        .and_then(|g| g.display_name().map(str::to_string)))
}

/// Every user name and group display name of the store (ListUsers, ListGroups), for `everything`.
async fn all_names(
    p: &AwsProvider,
    store: &str,
) -> Result<(Vec<String>, Vec<String>), ProviderError> {
    let users = all_pages(|token| async move {
        let out = p
            .call("identitystore:ListUsers", || {
                p.ids
                    .list_users()
                    .identity_store_id(store)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let names = out
            .users()
            .iter()
            .filter_map(|u| u.user_name().map(str::to_string))
            .collect();
        Ok((names, out.next_token().map(str::to_string)))
    });
    let groups = all_pages(|token| async move {
        let out = p
            .call("identitystore:ListGroups", || {
                p.ids
                    .list_groups()
                    .identity_store_id(store)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let names = out
            .groups()
            .iter()
            .filter_map(|g| g.display_name().map(str::to_string))
            .collect();
        Ok((names, out.next_token().map(str::to_string)))
    });
    futures::try_join!(users, groups)
}

pub async fn observe(
    p: &AwsProvider,
    req: &ObserveRequest,
    instance: &idplane_model::IdentityCenterInstance,
) -> Result<Vec<LiveObject>, ProviderError> {
    let store = instance.identity_store_id.as_str();
    let mut objs = Vec::new();
    let (mut user_names, mut group_names) = (req.user_names.clone(), req.group_names.clone());
    if req.everything {
        let (users, groups) = all_names(p, store).await?;
        user_names.extend(users);
        group_names.extend(groups);
    }
    // Users and groups side by side; memberships after both (they name users by user name).
    let users = async {
        let users: Vec<Option<LiveObject>> =
            stream::iter(user_names.iter().cloned().collect::<Vec<_>>())
                .map(|name| async move {
                    match user_id(p, store, &name).await? {
                        Some(id) => Ok(user::describe(p, store, &id)
                            .await?
                            .as_ref()
                            .map(user::to_live)),
                        None => Ok(None),
                    }
                })
                .buffered(CONCURRENCY)
                .try_collect()
                .await?;
        Ok::<_, ProviderError>(users)
    };
    let groups = async {
        let groups: Vec<Option<LiveObject>> =
            stream::iter(group_names.iter().cloned().collect::<Vec<_>>())
                .map(|name| async move {
                    match group_id(p, store, &name).await? {
                        Some(id) => Ok(group::describe(p, store, &id)
                            .await?
                            .as_ref()
                            .map(group::to_live)),
                        None => Ok(None),
                    }
                })
                .buffered(CONCURRENCY)
                .try_collect()
                .await?;
        Ok::<_, ProviderError>(groups)
    };
    let (users, groups) = futures::try_join!(users, groups)?;
    objs.extend(users.into_iter().flatten());
    let groups: Vec<LiveObject> = groups.into_iter().flatten().collect();
    if req.kinds.contains(&Kind::IdentityStoreGroupMembership) {
        let mut names: HashMap<String, Option<String>> = objs
            .iter()
            .map(|u| (u.id.clone(), crate::convert::get_str(&u.attrs, "user_name")))
            .collect();
        for g in &groups {
            objs.extend(membership::list(p, store, &g.id, &mut names).await?);
        }
    }
    objs.extend(groups);
    Ok(objs)
}
