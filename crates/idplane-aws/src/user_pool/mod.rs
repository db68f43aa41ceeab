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

use crate::{AwsProvider, CONCURRENCY, PARENTS_AT_ONCE, none_if_missing};
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

/// What an update comes to: the object as the write answered it where AWS's answer holds the
/// stored object (UpdateUserPoolClient, UpdateGroup, UpdateResourceServer,
/// UpdateIdentityProvider; the convergence check reads it from there), else `read_back`.
pub(crate) async fn answered_or_read(
    answer: Option<LiveObject>,
    read_back: impl std::future::Future<Output = Result<Option<LiveObject>, ProviderError>>,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    match answer {
        Some(o) => Ok(o),
        None => read_back.await?.ok_or_else(|| gone(lv, tg)),
    }
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

/// Every child of one pool: its domains, identity providers, resource servers, clients and
/// groups, the five collections read side by side (each describe fan-out at most
/// [`CONCURRENCY`] requests at a time).
async fn pool_children(
    p: &AwsProvider,
    pool: &t::UserPoolType,
) -> Result<Vec<LiveObject>, ProviderError> {
    let id = pool.id().unwrap_or_default();
    let domains = async {
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
        Ok::<_, ProviderError>(objs)
    };
    let idps = async {
        let idps: Vec<Option<LiveObject>> = stream::iter(idp::list_names(p, id).await?)
            .map(|name| async move {
                none_if_missing(idp::describe(p, id, &name).await)
                    .map(|o| o.as_ref().map(idp::to_live))
            })
            .buffered(CONCURRENCY)
            .try_collect()
            .await?;
        Ok::<_, ProviderError>(idps.into_iter().flatten().collect::<Vec<_>>())
    };
    let clients = async {
        let clients: Vec<Option<LiveObject>> = stream::iter(client::list_ids(p, id).await?)
            .map(|(cid, _)| async move {
                none_if_missing(client::describe(p, id, &cid).await)
                    .map(|o| o.as_ref().map(client::to_live))
            })
            .buffered(CONCURRENCY)
            .try_collect()
            .await?;
        Ok::<_, ProviderError>(clients.into_iter().flatten().collect::<Vec<_>>())
    };
    let (domains, idps, servers, clients, groups) = futures::try_join!(
        domains,
        idps,
        resource_server::list(p, id),
        clients,
        group::list(p, id)
    )?;
    Ok([domains, idps, servers, clients, groups].concat())
}

/// The stack's user pools (tagged with it, pinned, or all of them with `everything`), each with
/// its MFA settings, its signing certificate when an IdP needs it, and every child.
///
/// One pipeline, so that the reads of children start with the first pool described: the pools
/// are described [`CONCURRENCY`] at a time (the tags that decide whether a pool is the stack's
/// come with the description), and [`PARENTS_AT_ONCE`] kept pools are read at once, each
/// pool's MFA settings beside its children. Pacing per quota category sets the rate; the
/// result keeps ListUserPools' order (and `Observed::normalize_order` sorts it anyway).
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
    let keep = |u: &t::UserPoolType| {
        req.everything
            || pool::pool_tag(u, idplane_model::TAG_STACK) == Some(req.stack.as_str())
            || pinned.contains(&u.id().unwrap_or_default())
    };
    let per_pool: Vec<Vec<LiveObject>> = stream::iter(pool::list_ids(p).await?)
        .map(|id| async move { none_if_missing(pool::describe(p, &id).await) })
        .buffered(CONCURRENCY)
        .try_filter_map(|u| std::future::ready(Ok(u.filter(|u| keep(u)))))
        .map_ok(|u| async move {
            let ((_, pool), children) =
                futures::try_join!(pool::with_mfa(p, u.clone()), pool_children(p, &u))?;
            let wanted = idp::wants_signing_certificate(&children, &pool.id);
            let pool = pool::with_signing_certificate(p, pool, wanted).await?;
            Ok::<_, ProviderError>([vec![pool], children].concat())
        })
        .try_buffered(PARENTS_AT_ONCE)
        .try_collect()
        .await?;
    Ok(per_pool.into_iter().flatten().collect())
}
