//! An in-memory `Provider` for the executor's logic tests: objects in a map, a call log,
//! in-flight counters (overall and per user pool), and scripted faults. It knows nothing of
//! AWS; it only lets the tests watch what the executor does.

use async_trait::async_trait;
use idplane_model::{
    Address, ErrorClass, Kind, LiveObject, ObserveRequest, Observed, Provider, ProviderError,
    Target, Value,
};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// A scripted fault: the next `times` calls of `op` ("create", "update", ...) for `address`.
#[derive(Clone, Debug)]
pub struct Fault {
    pub op: &'static str,
    pub address: String,
    pub times: u32,
    pub what: FaultKind,
}

#[derive(Clone, Copy, Debug)]
pub enum FaultKind {
    /// Fail before doing anything.
    Error(ErrorClass),
    /// Do the call, then fail as if the response was lost.
    LoseResponse,
    /// Answer an update as done without changing anything (a cloud silently not applying it).
    Ignore,
    /// Apply an update, but keep lists in reverse order (as a cloud returning a set in its own
    /// order does).
    Reorder,
}

fn reversed(v: Value) -> Value {
    match v {
        Value::List(mut l) => {
            l.reverse();
            Value::List(l)
        }
        other => other,
    }
}

#[derive(Default)]
struct State {
    objects: BTreeMap<String, (Address, LiveObject)>,
    next: u64,
    calls: Vec<String>,
    in_flight: usize,
    max_in_flight: usize,
    per_pool: BTreeMap<String, usize>,
    max_per_pool: usize,
    faults: Vec<Fault>,
}

#[derive(Default)]
pub struct Fake {
    state: Mutex<State>,
    /// How long each write takes (lets concurrent writes overlap).
    pub write_delay: Duration,
    /// Writes that take longer than `write_delay`, by address.
    slow: Mutex<BTreeMap<String, Duration>>,
    /// Kinds the executor reads back by list (`Provider::reads_back_by_list`); none by default.
    by_list: Vec<Kind>,
}

/// The user pool an address belongs to (`user_pools.NAME`), for the one-writer check.
fn pool_of(address: &Address) -> Option<String> {
    let s = address.segments();
    (s.len() >= 2 && s[0] == "user_pools").then(|| format!("user_pools.{}", s[1]))
}

fn outputs_for(kind: Kind, id: &str) -> BTreeMap<String, String> {
    let mut o = BTreeMap::new();
    match kind {
        Kind::Application | Kind::TrustedTokenIssuer => {
            o.insert("arn".into(), format!("arn:fake:{id}"));
        }
        Kind::UserPool => {
            o.insert("id".into(), id.to_string());
            o.insert("issuer_url".into(), format!("https://issuer.example/{id}"));
        }
        _ => {
            o.insert("id".into(), id.to_string());
        }
    }
    o
}

/// Secrets as a provider reads them back: digest only.
fn redact(v: &Value) -> Value {
    match v {
        Value::Secret(s) => Value::Secret(s.redacted()),
        Value::List(l) => Value::List(l.iter().map(redact).collect()),
        Value::Map(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), redact(v))).collect()),
        other => other.clone(),
    }
}

impl Fake {
    pub fn with_delay(ms: u64) -> Self {
        Fake {
            write_delay: Duration::from_millis(ms),
            ..Default::default()
        }
    }

    /// The executor reads objects of `kind` back by list.
    pub fn reading_back_by_list(mut self, kind: Kind) -> Self {
        self.by_list.push(kind);
        self
    }

    /// Writes to `address` take `ms` milliseconds.
    pub fn slow(&self, address: &str, ms: u64) {
        self.slow
            .lock()
            .unwrap()
            .insert(address.to_string(), Duration::from_millis(ms));
    }

    pub fn fault(&self, f: Fault) {
        self.state.lock().unwrap().faults.push(f);
    }

    /// Puts an object live as if made outside this run; returns its id.
    pub fn seed(
        &self,
        address: &str,
        kind: Kind,
        parent_id: Option<&str>,
        attrs: &idplane_model::Attrs,
    ) -> String {
        let mut st = self.state.lock().unwrap();
        st.next += 1;
        let id = format!("{}-{}", kind.name(), st.next);
        let live = LiveObject {
            kind,
            id: id.clone(),
            parent_id: parent_id.map(str::to_string),
            tags: BTreeMap::new(),
            attrs: attrs.clone(),
            outputs: outputs_for(kind, &id),
        };
        st.objects
            .insert(id.clone(), (Address::parse(address).unwrap(), live));
        id
    }

    pub fn set_attr(&self, id: &str, key: &str, v: Value) {
        let mut st = self.state.lock().unwrap();
        st.objects
            .get_mut(id)
            .unwrap()
            .1
            .attrs
            .insert(key.into(), v);
    }

    pub fn remove(&self, id: &str) {
        self.state.lock().unwrap().objects.remove(id);
    }

    pub fn calls(&self) -> Vec<String> {
        self.state.lock().unwrap().calls.clone()
    }

    pub fn count(&self, prefix: &str) -> usize {
        self.calls()
            .iter()
            .filter(|c| c.starts_with(prefix))
            .count()
    }

    /// Calls of `op` on exactly `address`.
    pub fn count_of(&self, op: &str, address: &str) -> usize {
        let want = format!("{op} {address}");
        self.calls().iter().filter(|c| **c == want).count()
    }

    pub fn max_in_flight(&self) -> usize {
        self.state.lock().unwrap().max_in_flight
    }

    pub fn max_per_pool(&self) -> usize {
        self.state.lock().unwrap().max_per_pool
    }

    /// Live objects recorded under `address`.
    pub fn live_at(&self, address: &str) -> Vec<LiveObject> {
        let a = Address::parse(address).unwrap();
        let st = self.state.lock().unwrap();
        st.objects
            .values()
            .filter(|(x, _)| *x == a)
            .map(|(_, l)| l.clone())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.state.lock().unwrap().objects.len()
    }

    fn address_of(&self, id: &str) -> Option<Address> {
        let st = self.state.lock().unwrap();
        st.objects.get(id).map(|(a, _)| a.clone())
    }

    /// Logs the call and returns the scripted fault for it, if any.
    fn enter(&self, op: &'static str, address: &Address) -> Option<FaultKind> {
        let mut st = self.state.lock().unwrap();
        st.calls.push(format!("{op} {address}"));
        let key = address.to_string();
        let hit = st
            .faults
            .iter_mut()
            .find(|f| f.op == op && f.address == key && f.times > 0);
        hit.map(|f| {
            f.times -= 1;
            f.what
        })
    }

    async fn write_window(&self, address: &Address) {
        {
            let mut st = self.state.lock().unwrap();
            st.in_flight += 1;
            st.max_in_flight = st.max_in_flight.max(st.in_flight);
            if let Some(p) = pool_of(address) {
                let n = st.per_pool.entry(p).or_default();
                *n += 1;
                let n = *n;
                st.max_per_pool = st.max_per_pool.max(n);
            }
        }
        let delay = self
            .slow
            .lock()
            .unwrap()
            .get(&address.to_string())
            .copied()
            .unwrap_or(self.write_delay);
        tokio::time::sleep(delay).await;
        let mut st = self.state.lock().unwrap();
        st.in_flight -= 1;
        if let Some(p) = pool_of(address) {
            *st.per_pool.get_mut(&p).unwrap() -= 1;
        }
    }
}

fn err(class: ErrorClass, op: &str) -> ProviderError {
    ProviderError::new(
        class,
        format!("fake:{op}"),
        format!("{class:?}"),
        "scripted fault",
    )
}

#[async_trait]
impl Provider for Fake {
    async fn observe(&self, _request: &ObserveRequest) -> Result<Observed, ProviderError> {
        let st = self.state.lock().unwrap();
        let mut o = Observed {
            identity_center: None,
            objects: st.objects.values().map(|(_, l)| l.clone()).collect(),
        };
        o.normalize_order();
        Ok(o)
    }

    async fn read(
        &self,
        kind: Kind,
        parent_id: Option<&str>,
        id: &str,
    ) -> Result<Option<LiveObject>, ProviderError> {
        let address = self
            .address_of(id)
            .unwrap_or_else(|| Address::root("unknown", id));
        if let Some(FaultKind::Error(c)) = self.enter("read", &address) {
            return Err(err(c, "read"));
        }
        let st = self.state.lock().unwrap();
        Ok(st
            .objects
            .get(id)
            .map(|(_, l)| l.clone())
            .filter(|l| l.kind == kind && l.parent_id.as_deref() == parent_id))
    }

    async fn find(&self, target: &Target) -> Result<Option<LiveObject>, ProviderError> {
        if let Some(FaultKind::Error(c)) = self.enter("find", &target.address) {
            return Err(err(c, "find"));
        }
        let st = self.state.lock().unwrap();
        Ok(st
            .objects
            .values()
            .find(|(a, l)| *a == target.address && l.parent_id == target.parent_id)
            .map(|(_, l)| l.clone()))
    }

    async fn create(&self, target: &Target) -> Result<LiveObject, ProviderError> {
        let fault = self.enter("create", &target.address);
        if let Some(FaultKind::Error(c)) = fault {
            return Err(err(c, "create"));
        }
        if target.kind.info().parent.is_some() {
            let st = self.state.lock().unwrap();
            let ok = target.parent_id.as_ref().is_some_and(|p| {
                st.objects
                    .values()
                    .any(|(_, l)| l.id == *p || l.outputs.get("arn") == Some(p))
            });
            if !ok {
                return Err(err(ErrorClass::NotFound, "create (no such parent)"));
            }
        }
        if target
            .attrs
            .values()
            .any(idplane_model::Value::has_unresolved)
        {
            return Err(err(ErrorClass::Validation, "create (unresolved value)"));
        }
        self.write_window(&target.address).await;
        let live = {
            let mut st = self.state.lock().unwrap();
            st.next += 1;
            let id = format!("{}-{}", target.kind.name(), st.next);
            let live = LiveObject {
                kind: target.kind,
                id: id.clone(),
                parent_id: target.parent_id.clone(),
                tags: BTreeMap::new(),
                attrs: target
                    .attrs
                    .iter()
                    .map(|(k, v)| (k.clone(), redact(v)))
                    .collect(),
                outputs: outputs_for(target.kind, &id),
            };
            st.objects
                .insert(id, (target.address.clone(), live.clone()));
            live
        };
        match fault {
            Some(FaultKind::LoseResponse) => Err(err(ErrorClass::Transient, "create (lost)")),
            _ => Ok(live),
        }
    }

    async fn update(
        &self,
        live: &LiveObject,
        target: &Target,
    ) -> Result<LiveObject, ProviderError> {
        let fault = self.enter("update", &target.address);
        if let Some(FaultKind::Error(c)) = fault {
            return Err(err(c, "update"));
        }
        self.write_window(&target.address).await;
        let mut st = self.state.lock().unwrap();
        let Some((_, obj)) = st.objects.get_mut(&live.id) else {
            return Err(err(ErrorClass::NotFound, "update"));
        };
        for (k, v) in &target.attrs {
            match fault {
                Some(FaultKind::Ignore) => {}
                Some(FaultKind::Reorder) => {
                    obj.attrs.insert(k.clone(), reversed(redact(v)));
                }
                _ => {
                    obj.attrs.insert(k.clone(), redact(v));
                }
            }
        }
        let out = obj.clone();
        match fault {
            Some(FaultKind::LoseResponse) => Err(err(ErrorClass::Transient, "update (lost)")),
            _ => Ok(out),
        }
    }

    fn reads_back_by_list(&self, kind: Kind) -> bool {
        self.by_list.contains(&kind)
    }

    // `write_unread`: the default (create or update, whose answer is the stored object).

    async fn list_under(
        &self,
        kind: Kind,
        parent_id: &str,
    ) -> Result<Vec<LiveObject>, ProviderError> {
        let mut st = self.state.lock().unwrap();
        st.calls.push(format!("list {} {parent_id}", kind.name()));
        Ok(st
            .objects
            .values()
            .map(|(_, l)| l)
            .filter(|l| l.kind == kind && l.parent_id.as_deref() == Some(parent_id))
            .cloned()
            .collect())
    }

    async fn adopt(&self, live: &LiveObject, target: &Target) -> Result<LiveObject, ProviderError> {
        if let Some(FaultKind::Error(c)) = self.enter("adopt", &target.address) {
            return Err(err(c, "adopt"));
        }
        let mut st = self.state.lock().unwrap();
        let Some((_, obj)) = st.objects.get_mut(&live.id) else {
            return Err(err(ErrorClass::NotFound, "adopt"));
        };
        obj.tags
            .insert(idplane_model::TAG_STACK.into(), target.stack.clone());
        obj.tags.insert(
            idplane_model::TAG_ADDRESS.into(),
            idplane_model::encode_address_tag(&target.address),
        );
        Ok(obj.clone())
    }

    async fn delete(&self, live: &LiveObject) -> Result<(), ProviderError> {
        let address = self
            .address_of(&live.id)
            .unwrap_or_else(|| Address::root("unknown", &live.id));
        let fault = self.enter("delete", &address);
        if let Some(FaultKind::Error(c)) = fault {
            return Err(err(c, "delete"));
        }
        self.write_window(&address).await;
        self.state.lock().unwrap().objects.remove(&live.id);
        match fault {
            Some(FaultKind::LoseResponse) => Err(err(ErrorClass::Transient, "delete (lost)")),
            _ => Ok(()),
        }
    }
}
