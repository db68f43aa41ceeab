//! Cognito user pools and their children, one file per kind (pool, domain, identity provider,
//! resource server, app client, group), and observing the stack's pools with every child;
//! `users.rs` reads a pool's users for verify (not a kind).

pub mod client;
pub mod domain;
pub mod group;
pub mod idp;
pub mod pool;
mod pool_config;
pub mod resource_server;
pub mod users;

use crate::{AwsProvider, CONCURRENCY, none_if_missing};
use aws_sdk_cognitoidentityprovider::types as t;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::{Attrs, ErrorClass, Kind, LiveObject, ObserveRequest, ProviderError, Target};
use std::collections::BTreeMap;

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

/// What a create of a child comes to: the object read back, or a transient error when it
/// cannot be read back yet.
pub(crate) fn created(tg: &Target, o: Option<LiveObject>) -> Result<LiveObject, ProviderError> {
    o.ok_or_else(|| {
        ProviderError::new(
            ErrorClass::Transient,
            format!("create {}", tg.kind),
            "",
            "created, but not found when read back",
        )
    })
}

/// The error of an update whose object disappeared.
pub(crate) fn gone(lv: &LiveObject, tg: &Target) -> ProviderError {
    ProviderError::new(
        ErrorClass::NotFound,
        format!("update {}", tg.kind),
        "",
        format!("{} is gone", lv.id),
    )
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
                domain::read(p, Some(id), d)
                    .await?
                    .filter(|o| o.transition() != Some(idplane_model::Transition::Deleting)),
            );
        }
    }
    let idps: Vec<Option<LiveObject>> = stream::iter(idp::list_names(p, id).await?)
        .map(|name| async move {
            none_if_missing(idp::describe(p, id, &name).await).map(|o| o.as_ref().map(idp::to_live))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    objs.extend(idps.into_iter().flatten());
    objs.extend(resource_server::list(p, id).await?);
    let clients: Vec<Option<LiveObject>> = stream::iter(client::list_ids(p, id).await?)
        .map(|(cid, _)| async move {
            none_if_missing(client::describe(p, id, &cid).await)
                .map(|o| o.as_ref().map(client::to_live))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    objs.extend(clients.into_iter().flatten());
    objs.extend(group::list(p, id).await?);
    Ok(objs)
}

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
    let pools = pool::pools_where(p, |u| {
        req.everything
            || pool::pool_tag(u, idplane_model::TAG_STACK) == Some(req.stack.as_str())
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
            let wanted = idp::wants_signing_certificate(&children, &pool.id);
            async move { pool::with_signing_certificate(p, pool, wanted).await }
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    objs.extend(pools);
    objs.extend(children);
    Ok(objs)
}
