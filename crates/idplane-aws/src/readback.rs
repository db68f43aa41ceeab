//! Read-backs shared by the writes of one collection: after a write, the object is read back to
//! check what AWS stored (the executor's convergence check). Where AWS's list of the collection
//! returns whole objects (an application's access scopes), writes to one collection that are in
//! flight together are read back by one list made after the last of them was answered, instead
//! of one read each.
//!
//! Why it is safe: a write joins the list only once AWS has answered it, and the list starts
//! only after every write that joined it was answered (no write to the collection is in flight
//! then); a write answered after the list started joins the next one. A write that fails leaves
//! its collection without waiting for anyone. Nothing is served from a list made before the
//! write.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use idplane_model::{LiveObject, ProviderError};
use tokio::sync::{OnceCell, watch};

type Listed = Arc<Vec<LiveObject>>;

/// One collection: how many of its writes are in flight, and the list that the writes
/// answered so far will be read back from.
struct Collection {
    in_flight: watch::Sender<usize>,
    next: Mutex<Arc<OnceCell<Listed>>>,
}

/// The collections of one provider, by key (e.g. `access-scopes:<application ARN>`).
#[derive(Default)]
pub(crate) struct ReadBacks {
    collections: Mutex<HashMap<String, Arc<Collection>>>,
}

/// A write in flight; leaving (answered or failed) counts it out.
struct InFlight<'a>(&'a watch::Sender<usize>);

impl<'a> InFlight<'a> {
    fn start(counter: &'a watch::Sender<usize>) -> Self {
        counter.send_modify(|n| *n += 1);
        InFlight(counter)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n -= 1);
    }
}

impl ReadBacks {
    fn collection(&self, key: &str) -> Arc<Collection> {
        let mut all = self.collections.lock().expect("lock");
        all.entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(Collection {
                    in_flight: watch::Sender::new(0),
                    next: Mutex::new(Arc::new(OnceCell::new())),
                })
            })
            .clone()
    }

    /// Makes `write` to the collection `key`, then returns its answer and the collection as
    /// `list` reads it after every write to the collection in flight with this one was
    /// answered (one list for all of them).
    ///
    /// # Errors
    /// The write's error (nothing is listed for it), or the list's.
    pub(crate) async fn write_then_list<T, W, L, LF>(
        &self,
        key: &str,
        write: W,
        list: L,
    ) -> Result<(T, Listed), ProviderError>
    where
        W: Future<Output = Result<T, ProviderError>>,
        L: Fn() -> LF,
        LF: Future<Output = Result<Vec<LiveObject>, ProviderError>>,
    {
        let c = self.collection(key);
        let in_flight = InFlight::start(&c.in_flight);
        let answer = write.await?;
        // Answered: this write is read by the next list of the collection.
        let batch = c.next.lock().expect("lock").clone();
        drop(in_flight);
        let mut quiet = c.in_flight.subscribe();
        // The sender lives in `c`: this ends when no write of the collection is in flight.
        let _ = quiet.wait_for(|n| *n == 0).await;
        let listed = batch
            .get_or_try_init(|| async {
                // Writes answered from now on wait for a later list.
                *c.next.lock().expect("lock") = Arc::new(OnceCell::new());
                list().await.map(Arc::new)
            })
            .await?
            .clone();
        Ok((answer, listed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use idplane_model::Kind;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn scope(name: &str) -> LiveObject {
        LiveObject::new(
            Kind::ApplicationAccessScope,
            name,
            Some("app".to_string()),
            [("scope".to_string(), idplane_model::Value::from(name))]
                .into_iter()
                .collect(),
        )
    }

    /// A fake collection: writes add names after a delay, a list returns what is there.
    struct Fake {
        stored: Mutex<Vec<String>>,
        lists: AtomicUsize,
    }

    impl Fake {
        async fn write(&self, name: &str, after: Duration) -> Result<String, ProviderError> {
            tokio::time::sleep(after).await;
            self.stored.lock().unwrap().push(name.to_string());
            Ok(name.to_string())
        }

        async fn list(&self) -> Result<Vec<LiveObject>, ProviderError> {
            self.lists.fetch_add(1, Ordering::SeqCst);
            Ok(self
                .stored
                .lock()
                .unwrap()
                .iter()
                .map(|n| scope(n))
                .collect())
        }
    }

    #[tokio::test]
    async fn writes_in_flight_together_share_one_list_made_after_all_of_them() {
        let rb = ReadBacks::default();
        let fake = Fake {
            stored: Mutex::new(Vec::new()),
            lists: AtomicUsize::new(0),
        };
        let one = |name: &'static str, ms: u64| {
            let (rb, fake) = (&rb, &fake);
            async move {
                rb.write_then_list("k", fake.write(name, Duration::from_millis(ms)), || {
                    fake.list()
                })
                .await
                .unwrap()
            }
        };
        let (a, b, c) = tokio::join!(one("a", 5), one("b", 30), one("c", 60));
        for (name, listed) in [a, b, c] {
            assert!(
                listed.iter().any(|o| o.id == name),
                "{name} is in the list it is read back from"
            );
        }
        assert_eq!(fake.lists.load(Ordering::SeqCst), 1);

        // A later write is not served from the earlier list.
        let (d, listed) = one("d", 1).await;
        assert!(listed.iter().any(|o| o.id == d));
        assert_eq!(fake.lists.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_write_neither_lists_nor_holds_the_others_back() {
        let rb = ReadBacks::default();
        let fake = Fake {
            stored: Mutex::new(Vec::new()),
            lists: AtomicUsize::new(0),
        };
        let failing = rb.write_then_list(
            "k",
            async {
                tokio::time::sleep(Duration::from_millis(20)).await;
                Err::<String, _>(ProviderError::new(
                    idplane_model::ErrorClass::Validation,
                    "put",
                    "ValidationException",
                    "no",
                ))
            },
            || fake.list(),
        );
        let ok = rb.write_then_list("k", fake.write("a", Duration::from_millis(1)), || {
            fake.list()
        });
        let (failed, ok) = tokio::join!(failing, ok);
        assert!(failed.is_err());
        let (a, listed) = ok.unwrap();
        assert!(listed.iter().any(|o| o.id == a));
        assert_eq!(fake.lists.load(Ordering::SeqCst), 1);
    }
}
