//! A cache of collection lists (a pool's clients, groups, IdPs, resource servers; the user
//! pools; the applications and trusted token issuers; an application's access scopes) with the
//! lifetime of one executor level, so that the lookups a create makes before it writes (did an
//! earlier run already make this object?) cost one list per collection per level instead of one
//! per object.
//!
//! Rules that keep it safe:
//! - It is on only between [`Provider::level_started`](idplane_model::Provider::level_started)
//!   and [`Provider::apply_finished`](idplane_model::Provider::apply_finished): observe, export
//!   and any use outside an apply always read AWS.
//! - A lookup after a create whose outcome is unknown (a 5xx, a lost response) never uses it:
//!   the collection is dropped first, and read again.
//! - An update, a delete, an adoption or a failed create of an object drops the list of its
//!   collection. A create that succeeded does not: a lookup is for one target's object, and the
//!   object a create made belongs to its own target, which is not looked for again in the level.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use idplane_model::{Kind, Target};

/// The collection an object of `kind` under `parent` belongs to, when its lookups are served
/// from one list.
pub(crate) fn collection(kind: Kind, parent: Option<&str>) -> Option<String> {
    let under = |what: &str| parent.map(|p| format!("{what}:{p}"));
    match kind {
        Kind::UserPool => Some("user-pools".into()),
        Kind::UserPoolClient => under("clients"),
        Kind::UserPoolGroup => under("groups"),
        Kind::IdentityProvider => under("identity-providers"),
        Kind::ResourceServer => under("resource-servers"),
        Kind::TrustedTokenIssuer => Some("trusted-token-issuers".into()),
        Kind::Application => Some("applications".into()),
        Kind::ApplicationAccessScope => under("access-scopes"),
        Kind::UserPoolDomain
        | Kind::IdentityPool
        | Kind::ApplicationGrant
        | Kind::ApplicationAuthenticationMethod
        | Kind::ApplicationAssignmentConfiguration
        | Kind::ApplicationAssignment
        | Kind::IdentityStoreUser
        | Kind::IdentityStoreGroup
        | Kind::IdentityStoreGroupMembership => None,
    }
}

/// The key of a collection that has one (see [`collection`]).
pub(crate) fn key(kind: Kind, parent: Option<&str>) -> String {
    collection(kind, parent).unwrap_or_else(|| format!("{kind}"))
}

/// The key of a second list of a collection (`key#listed`: a listing of names and ids where
/// [`key`]'s list holds whole objects), forgotten with it.
pub(crate) fn listing_key(kind: Kind, parent: Option<&str>) -> String {
    format!("{}#listed", key(kind, parent))
}

/// The lists of the current level, by collection.
#[derive(Default)]
pub(crate) struct ListCache {
    inner: Mutex<State>,
}

/// One collection's list, listed once by whichever lookup comes first (the others wait for it).
type Slot = Arc<tokio::sync::OnceCell<Arc<dyn Any + Send + Sync>>>;

#[derive(Default)]
struct State {
    on: bool,
    lists: HashMap<String, Slot>,
}

impl ListCache {
    /// A new level: what was listed before is forgotten, and lists are kept from now on.
    pub(crate) fn level_started(&self) {
        let mut s = self.inner.lock().expect("lock");
        s.on = true;
        s.lists.clear();
    }

    /// The apply is over: forget everything and keep nothing any more.
    pub(crate) fn apply_finished(&self) {
        let mut s = self.inner.lock().expect("lock");
        s.on = false;
        s.lists.clear();
    }

    /// Drops the list of the collection `target` belongs to.
    pub(crate) fn forget_target(&self, target: &Target) {
        self.forget(target.kind, target.parent_id.as_deref());
    }

    /// Drops the list of the collection of `kind` under `parent`.
    pub(crate) fn forget(&self, kind: Kind, parent: Option<&str>) {
        if let Some(c) = collection(kind, parent) {
            let second = format!("{c}#");
            self.inner
                .lock()
                .expect("lock")
                .lists
                .retain(|k, _| *k != c && !k.starts_with(&second));
        }
    }

    /// The list of a collection, listed by `list` when not kept yet (or when the cache is off).
    pub(crate) async fn get_or_list<T, E, F, Fut>(&self, key: &str, list: F) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        let slot: Option<Slot> = {
            let mut s = self.inner.lock().expect("lock");
            if s.on {
                Some(s.lists.entry(key.to_string()).or_default().clone())
            } else {
                None
            }
        };
        let Some(slot) = slot else {
            return Ok(Arc::new(list().await?));
        };
        let v = slot
            .get_or_try_init(|| async {
                let v: Arc<dyn Any + Send + Sync> = Arc::new(list().await?);
                Ok(v)
            })
            .await?
            .clone();
        match v.downcast::<T>() {
            Ok(v) => Ok(v),
            Err(_) => unreachable!("a collection's key names one type of list"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lists_once_per_level_only_while_on_and_forgets_on_a_write() {
        let c = ListCache::default();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let list = || async {
            calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok::<_, ()>(vec![1])
        };
        // Off (no level started): every lookup lists.
        c.get_or_list("clients:p", list).await.unwrap();
        c.get_or_list("clients:p", list).await.unwrap();
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
        c.level_started();
        c.get_or_list("clients:p", list).await.unwrap();
        c.get_or_list("clients:p", list).await.unwrap();
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3);
        c.forget(Kind::UserPoolClient, Some("p"));
        c.get_or_list("clients:p", list).await.unwrap();
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 4);
        // A collection's second list goes with it; another collection's lists stay.
        let listed = listing_key(Kind::UserPool, None);
        c.get_or_list(&listed, list).await.unwrap();
        c.get_or_list("clients:p", list).await.unwrap();
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 5);
        c.forget(Kind::UserPool, None);
        c.get_or_list(&listed, list).await.unwrap();
        c.get_or_list("clients:p", list).await.unwrap();
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 6);
        c.level_started();
        c.get_or_list("clients:p", list).await.unwrap();
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 7);
        c.apply_finished();
        c.get_or_list("clients:p", list).await.unwrap();
        c.get_or_list("clients:p", list).await.unwrap();
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 9);
    }
}
