//! A provider that passes every call on to the real one and records how long each took, by the
//! address of the object it was about, so that a change's time can be split into time in
//! provider calls (client-side pacing plus AWS) and the executor's own pauses.

use idplane_model::{Kind, LiveObject, ObserveRequest, Observed, Provider, ProviderError, Target};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Calls whose object is not known by address (a read of an id no create or find returned).
pub const UNKNOWN: &str = "?";

/// Kind, parent id and id: an id alone is not unique (a child that exists once per
/// application, such as its assignment configuration, has the same id under every one).
type Key = (Kind, Option<String>, String);

fn key(live: &LiveObject) -> Key {
    (live.kind, live.parent_id.clone(), live.id.clone())
}

#[derive(Default)]
struct Log {
    /// The key of a live object -> its address, from what creates, finds, updates and
    /// adoptions returned.
    ids: BTreeMap<Key, String>,
    /// (address, time in the call) of each call.
    calls: Vec<(String, Duration)>,
}

/// Wraps `inner`; [`Timed::by_address`] sums the time of the calls made for each address.
pub struct Timed<'a> {
    inner: &'a dyn Provider,
    log: Mutex<Log>,
}

impl<'a> Timed<'a> {
    pub fn new(inner: &'a dyn Provider) -> Self {
        Timed {
            inner,
            log: Mutex::new(Log::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn record(&self, address: &str, started: Instant, found: Option<&LiveObject>) {
        let mut log = self.lock();
        log.calls.push((address.to_string(), started.elapsed()));
        if let Some(live) = found {
            log.ids.insert(key(live), address.to_string());
        }
    }

    fn address_of(&self, live: &LiveObject) -> Option<String> {
        self.lock().ids.get(&key(live)).cloned()
    }

    /// Total time in provider calls per address, and the number of calls.
    pub fn by_address(&self) -> BTreeMap<String, (Duration, usize)> {
        let mut out: BTreeMap<String, (Duration, usize)> = BTreeMap::new();
        for (address, took) in &self.lock().calls {
            let e = out.entry(address.clone()).or_default();
            e.0 += *took;
            e.1 += 1;
        }
        out
    }
}

#[async_trait::async_trait]
impl Provider for Timed<'_> {
    async fn observe(&self, request: &ObserveRequest) -> Result<Observed, ProviderError> {
        self.inner.observe(request).await
    }

    async fn read(
        &self,
        kind: Kind,
        parent_id: Option<&str>,
        id: &str,
    ) -> Result<Option<LiveObject>, ProviderError> {
        let started = Instant::now();
        let r = self.inner.read(kind, parent_id, id).await;
        let address = self
            .lock()
            .ids
            .get(&(kind, parent_id.map(str::to_string), id.to_string()))
            .cloned()
            .unwrap_or_else(|| UNKNOWN.to_string());
        self.record(&address, started, None);
        r
    }

    async fn find(&self, target: &Target) -> Result<Option<LiveObject>, ProviderError> {
        let started = Instant::now();
        let r = self.inner.find(target).await;
        let found = r.as_ref().ok().and_then(Option::as_ref);
        self.record(&target.address.to_string(), started, found);
        r
    }

    async fn create(&self, target: &Target) -> Result<LiveObject, ProviderError> {
        let started = Instant::now();
        let r = self.inner.create(target).await;
        self.record(&target.address.to_string(), started, r.as_ref().ok());
        r
    }

    async fn update(
        &self,
        live: &LiveObject,
        target: &Target,
    ) -> Result<LiveObject, ProviderError> {
        let started = Instant::now();
        let r = self.inner.update(live, target).await;
        self.record(&target.address.to_string(), started, r.as_ref().ok());
        r
    }

    fn reads_back_by_list(&self, kind: Kind) -> bool {
        self.inner.reads_back_by_list(kind)
    }

    async fn write_unread(
        &self,
        live: Option<&LiveObject>,
        target: &Target,
    ) -> Result<String, ProviderError> {
        let started = Instant::now();
        let r = self.inner.write_unread(live, target).await;
        self.record(&target.address.to_string(), started, None);
        if let Ok(id) = &r {
            let key = (target.kind, target.parent_id.clone(), id.clone());
            self.lock().ids.insert(key, target.address.to_string());
        }
        r
    }

    async fn list_under(
        &self,
        kind: Kind,
        parent_id: &str,
    ) -> Result<Vec<LiveObject>, ProviderError> {
        let started = Instant::now();
        let r = self.inner.list_under(kind, parent_id).await;
        // One list for several objects' read-backs: no one address.
        self.record(UNKNOWN, started, None);
        r
    }

    async fn adopt(&self, live: &LiveObject, target: &Target) -> Result<LiveObject, ProviderError> {
        let started = Instant::now();
        let r = self.inner.adopt(live, target).await;
        self.record(&target.address.to_string(), started, r.as_ref().ok());
        r
    }

    async fn delete(&self, live: &LiveObject) -> Result<(), ProviderError> {
        let started = Instant::now();
        let r = self.inner.delete(live).await;
        let address = self.address_of(live);
        self.record(address.as_deref().unwrap_or(UNKNOWN), started, None);
        r
    }

    async fn twins(&self, target: &Target) -> Result<Vec<idplane_model::Twin>, ProviderError> {
        let started = Instant::now();
        let r = self.inner.twins(target).await;
        self.record(&target.address.to_string(), started, None);
        r
    }

    async fn discard(&self, live: &LiveObject) -> Result<(), ProviderError> {
        let started = Instant::now();
        let r = self.inner.discard(live).await;
        let address = self.address_of(live);
        self.record(address.as_deref().unwrap_or(UNKNOWN), started, None);
        r
    }

    async fn delete_first(&self, live: &LiveObject) -> Result<Vec<LiveObject>, ProviderError> {
        let started = Instant::now();
        let r = self.inner.delete_first(live).await;
        let address = self.address_of(live);
        self.record(address.as_deref().unwrap_or(UNKNOWN), started, None);
        r
    }

    fn level_started(&self) {
        self.inner.level_started();
    }

    fn apply_finished(&self) {
        self.inner.apply_finished();
    }
}
