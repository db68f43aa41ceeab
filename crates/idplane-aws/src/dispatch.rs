//! The kind registry of the provider: one exhaustive `match` on [`Kind`] per provider operation
//! (read, find, create, update, adopt, delete, twins, discard, and which kinds are read back
//! by list: only those have an unread write and a list by parent), each arm calling its kind's
//! module. A new kind
//! fails to compile here until every operation has its arm (no wildcard arm: the crate denies
//! `clippy::wildcard_enum_match_arm`).

use crate::{AwsProvider, identity_center as ic, identity_pool, identity_store as ids, user_pool};
use idplane_model::{Kind, LiveObject, ProviderError, Target, Twin};

pub(crate) async fn read(
    p: &AwsProvider,
    kind: Kind,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    match kind {
        Kind::UserPool => user_pool::pool::read(p, id).await,
        Kind::UserPoolDomain => user_pool::domain::read(p, parent, id).await,
        Kind::IdentityProvider => user_pool::idp::read(p, parent, id).await,
        Kind::ResourceServer => user_pool::resource_server::read(p, parent, id).await,
        Kind::UserPoolClient => user_pool::client::read(p, parent, id).await,
        Kind::UserPoolGroup => user_pool::group::read(p, parent, id).await,
        Kind::IdentityPool => identity_pool::read(p, id).await,
        Kind::TrustedTokenIssuer => ic::tti::read(p, id).await,
        Kind::Application => ic::application::read(p, id).await,
        Kind::ApplicationGrant => ic::grant::read(p, parent, id).await,
        Kind::ApplicationAccessScope => ic::access_scope::read(p, parent, id).await,
        Kind::ApplicationAuthenticationMethod => ic::auth_method::read(p, parent, id).await,
        Kind::ApplicationAssignmentConfiguration => {
            ic::assignment_configuration::read(p, parent).await
        }
        Kind::ApplicationAssignment => ic::assignment::read(p, parent, id).await,
        Kind::IdentityStoreUser => ids::user::read(p, id).await,
        Kind::IdentityStoreGroup => ids::group::read(p, id).await,
        Kind::IdentityStoreGroupMembership => ids::membership::read(p, parent, id).await,
    }
}

pub(crate) async fn find(p: &AwsProvider, t: &Target) -> Result<Option<LiveObject>, ProviderError> {
    match t.kind {
        Kind::UserPool => user_pool::pool::find(p, t).await,
        Kind::UserPoolDomain => user_pool::domain::find(p, t).await,
        Kind::IdentityProvider => user_pool::idp::find(p, t).await,
        Kind::ResourceServer => user_pool::resource_server::find(p, t).await,
        Kind::UserPoolClient => user_pool::client::find(p, t).await,
        Kind::UserPoolGroup => user_pool::group::find(p, t).await,
        Kind::IdentityPool => identity_pool::find(p, t).await,
        Kind::TrustedTokenIssuer => ic::tti::find(p, t).await,
        Kind::Application => ic::application::find(p, t).await,
        Kind::ApplicationGrant => ic::grant::find(p, t).await,
        Kind::ApplicationAccessScope => ic::access_scope::find(p, t).await,
        Kind::ApplicationAuthenticationMethod => ic::auth_method::find(p, t).await,
        Kind::ApplicationAssignmentConfiguration => ic::assignment_configuration::find(p, t).await,
        Kind::ApplicationAssignment => ic::assignment::find(p, t).await,
        Kind::IdentityStoreUser => ids::user::find(p, t).await,
        Kind::IdentityStoreGroup => ids::group::find(p, t).await,
        Kind::IdentityStoreGroupMembership => ids::membership::find(p, t).await,
    }
}

pub(crate) async fn create(p: &AwsProvider, t: &Target) -> Result<LiveObject, ProviderError> {
    match t.kind {
        Kind::UserPool => user_pool::pool::create(p, t).await,
        Kind::UserPoolDomain => user_pool::domain::create(p, t).await,
        Kind::IdentityProvider => user_pool::idp::create(p, t).await,
        Kind::ResourceServer => user_pool::resource_server::create(p, t).await,
        Kind::UserPoolClient => user_pool::client::create(p, t).await,
        Kind::UserPoolGroup => user_pool::group::create(p, t).await,
        Kind::IdentityPool => identity_pool::create(p, t).await,
        Kind::TrustedTokenIssuer => ic::tti::create(p, t).await,
        Kind::Application => ic::application::create(p, t).await,
        Kind::ApplicationGrant => ic::grant::create(p, t).await,
        Kind::ApplicationAccessScope => ic::access_scope::create(p, t).await,
        Kind::ApplicationAuthenticationMethod => ic::auth_method::create(p, t).await,
        Kind::ApplicationAssignmentConfiguration => {
            ic::assignment_configuration::create(p, t).await
        }
        Kind::ApplicationAssignment => ic::assignment::create(p, t).await,
        Kind::IdentityStoreUser => ids::user::create(p, t).await,
        Kind::IdentityStoreGroup => ids::group::create(p, t).await,
        Kind::IdentityStoreGroupMembership => ids::membership::create(p, t).await,
    }
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &LiveObject,
    t: &Target,
) -> Result<LiveObject, ProviderError> {
    match t.kind {
        Kind::UserPool => user_pool::pool::update(p, live, t).await,
        Kind::UserPoolDomain => user_pool::domain::update(p, live, t).await,
        Kind::IdentityProvider => user_pool::idp::update(p, live, t).await,
        Kind::ResourceServer => user_pool::resource_server::update(p, live, t).await,
        Kind::UserPoolClient => user_pool::client::update(p, live, t).await,
        Kind::UserPoolGroup => user_pool::group::update(p, live, t).await,
        Kind::IdentityPool => identity_pool::update(p, live, t).await,
        Kind::TrustedTokenIssuer => ic::tti::update(p, live, t).await,
        Kind::Application => ic::application::update(p, live, t).await,
        Kind::ApplicationGrant => ic::grant::update(p, live, t).await,
        Kind::ApplicationAccessScope => ic::access_scope::update(p, live, t).await,
        Kind::ApplicationAuthenticationMethod => ic::auth_method::update(p, live, t).await,
        Kind::ApplicationAssignmentConfiguration => {
            ic::assignment_configuration::update(p, live, t).await
        }
        Kind::ApplicationAssignment => ic::assignment::update(p, live, t).await,
        Kind::IdentityStoreUser => ids::user::update(p, live, t).await,
        Kind::IdentityStoreGroup => ids::group::update(p, live, t).await,
        Kind::IdentityStoreGroupMembership => ids::membership::update(p, live, t).await,
    }
}

/// Whether the executor reads objects of the kind back from one list of the parent's
/// collection (`Provider::reads_back_by_list`): where AWS's list returns them whole and a
/// create or update commonly writes several under one parent.
pub(crate) fn reads_back_by_list(kind: Kind) -> bool {
    match kind {
        Kind::ApplicationAccessScope => true,
        Kind::UserPool
        | Kind::UserPoolDomain
        | Kind::IdentityProvider
        | Kind::ResourceServer
        | Kind::UserPoolClient
        | Kind::UserPoolGroup
        | Kind::IdentityPool
        | Kind::TrustedTokenIssuer
        | Kind::Application
        | Kind::ApplicationGrant
        | Kind::ApplicationAuthenticationMethod
        | Kind::ApplicationAssignmentConfiguration
        | Kind::ApplicationAssignment
        | Kind::IdentityStoreUser
        | Kind::IdentityStoreGroup
        | Kind::IdentityStoreGroupMembership => false,
    }
}

/// A create (`live` none) or update without the read-back; answers the object's id.
pub(crate) async fn write_unread(
    p: &AwsProvider,
    live: Option<&LiveObject>,
    t: &Target,
) -> Result<String, ProviderError> {
    if t.kind == Kind::ApplicationAccessScope {
        return ic::access_scope::write(p, live, t).await;
    }
    // A kind that reads each object back: the write with its read-back.
    Ok(match live {
        Some(live) => update(p, live, t).await?.id,
        None => create(p, t).await?.id,
    })
}

/// Every object of a kind that reads back by list under the parent.
pub(crate) async fn list_under(
    p: &AwsProvider,
    kind: Kind,
    parent: &str,
) -> Result<Vec<LiveObject>, ProviderError> {
    if kind == Kind::ApplicationAccessScope {
        p.instance().await?;
        return ic::access_scope::list(p, parent).await;
    }
    Err(ProviderError::new(
        idplane_model::ErrorClass::Validation,
        format!("list {kind}"),
        "",
        format!("{kind} is not read back by list"),
    ))
}

/// Writes the target's ownership tags on a live object, and nothing else.
pub(crate) async fn adopt(
    p: &AwsProvider,
    live: &LiveObject,
    t: &Target,
) -> Result<LiveObject, ProviderError> {
    match t.kind {
        Kind::UserPool => user_pool::pool::adopt(p, live, t).await,
        Kind::IdentityPool => identity_pool::adopt(p, live, t).await,
        Kind::TrustedTokenIssuer => ic::tti::adopt(p, live, t).await,
        Kind::Application => ic::application::adopt(p, live, t).await,
        // AWS has no tags on these: nothing to add.
        Kind::UserPoolDomain
        | Kind::IdentityProvider
        | Kind::ResourceServer
        | Kind::UserPoolClient
        | Kind::UserPoolGroup
        | Kind::ApplicationGrant
        | Kind::ApplicationAccessScope
        | Kind::ApplicationAuthenticationMethod
        | Kind::ApplicationAssignmentConfiguration
        | Kind::ApplicationAssignment
        | Kind::IdentityStoreUser
        | Kind::IdentityStoreGroup
        | Kind::IdentityStoreGroupMembership => Ok(live.clone()),
    }
}

pub(crate) async fn delete(p: &AwsProvider, live: &LiveObject) -> Result<(), ProviderError> {
    match live.kind {
        Kind::UserPool => user_pool::pool::delete(p, live).await,
        Kind::UserPoolDomain => user_pool::domain::delete(p, live).await,
        Kind::IdentityProvider => user_pool::idp::delete(p, live).await,
        Kind::ResourceServer => user_pool::resource_server::delete(p, live).await,
        Kind::UserPoolClient => user_pool::client::delete(p, live).await,
        Kind::UserPoolGroup => user_pool::group::delete(p, live).await,
        Kind::IdentityPool => identity_pool::delete(p, live).await,
        Kind::TrustedTokenIssuer => ic::tti::delete(p, live).await,
        Kind::Application => ic::application::delete(p, live).await,
        Kind::ApplicationGrant => ic::grant::delete(p, live).await,
        Kind::ApplicationAccessScope => ic::access_scope::delete(p, live).await,
        Kind::ApplicationAuthenticationMethod => ic::auth_method::delete(p, live).await,
        Kind::ApplicationAssignmentConfiguration => {
            ic::assignment_configuration::delete(p, live).await
        }
        Kind::ApplicationAssignment => ic::assignment::delete(p, live).await,
        Kind::IdentityStoreUser => ids::user::delete(p, live).await,
        Kind::IdentityStoreGroup => ids::group::delete(p, live).await,
        Kind::IdentityStoreGroupMembership => ids::membership::delete(p, live).await,
    }
}

/// Every live object a create of the target may have raced with, with its creation time: for
/// the kinds AWS lets share a name, the objects with the target's ownership tags (or, for app
/// clients, its name in the pool); for the others, what `find` finds (AWS refused the second
/// create), with no time.
pub(crate) async fn twins(p: &AwsProvider, t: &Target) -> Result<Vec<Twin>, ProviderError> {
    match t.kind {
        Kind::UserPool => user_pool::pool::twins(p, t).await,
        Kind::UserPoolClient => user_pool::client::twins(p, t).await,
        Kind::IdentityPool => identity_pool::twins(p, t).await,
        Kind::Application => ic::application::twins(p, t).await,
        Kind::UserPoolDomain
        | Kind::IdentityProvider
        | Kind::ResourceServer
        | Kind::UserPoolGroup
        | Kind::TrustedTokenIssuer
        | Kind::ApplicationGrant
        | Kind::ApplicationAccessScope
        | Kind::ApplicationAuthenticationMethod
        | Kind::ApplicationAssignmentConfiguration
        | Kind::ApplicationAssignment
        | Kind::IdentityStoreUser
        | Kind::IdentityStoreGroup
        | Kind::IdentityStoreGroupMembership => Ok(find(p, t)
            .await?
            .into_iter()
            .map(|live| Twin {
                live,
                created_ms: None,
            })
            .collect()),
    }
}

/// Deletes this run's duplicate of what a concurrent apply created first (a user pool's
/// deletion protection, set by this run's own create, is switched off first).
pub(crate) async fn discard(p: &AwsProvider, live: &LiveObject) -> Result<(), ProviderError> {
    match live.kind {
        Kind::UserPool => user_pool::pool::discard(p, live).await,
        Kind::UserPoolDomain
        | Kind::IdentityProvider
        | Kind::ResourceServer
        | Kind::UserPoolClient
        | Kind::UserPoolGroup
        | Kind::IdentityPool
        | Kind::TrustedTokenIssuer
        | Kind::Application
        | Kind::ApplicationGrant
        | Kind::ApplicationAccessScope
        | Kind::ApplicationAuthenticationMethod
        | Kind::ApplicationAssignmentConfiguration
        | Kind::ApplicationAssignment
        | Kind::IdentityStoreUser
        | Kind::IdentityStoreGroup
        | Kind::IdentityStoreGroupMembership => delete(p, live).await,
    }
}
