//! AWS's own shape of an object as the provider's last read of it returned it, kept for the
//! update that follows. `Provider::update` is given the caller's read of just now as a live
//! object; for a user pool, an app client or an identity provider that holds fewer members
//! than the full-replace write must send back (members idplane does not model keep their live
//! values only when the write sends them). Instead of describing the object a second time, the
//! update takes the shape the read kept, and only when the live object it was given is the one
//! that read made; otherwise (nothing kept, or another read of the object in between) it
//! describes the object again.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Mutex;

use idplane_model::{Kind, LiveObject};

/// The most shapes kept at once; past it the oldest are dropped all together (an update that
/// then finds nothing reads again: only a call is lost).
const MAX_KEPT: usize = 1024;

type Key = (Kind, Option<String>, String);

/// A kept shape and the live object made from it.
type Kept = (LiveObject, Box<dyn Any + Send + Sync>);

fn key(live: &LiveObject) -> Key {
    (live.kind, live.parent_id.clone(), live.id.clone())
}

/// The shapes kept, by object.
#[derive(Default)]
pub(crate) struct Recent {
    kept: Mutex<HashMap<Key, Kept>>,
}

impl Recent {
    /// Keeps `shape`, the AWS answer `live` was made from (replacing an older one).
    pub(crate) fn keep<T: Any + Send + Sync>(&self, live: &LiveObject, shape: T) {
        let mut kept = self.kept.lock().expect("lock");
        if kept.len() >= MAX_KEPT {
            kept.clear();
        }
        kept.insert(key(live), (live.clone(), Box::new(shape)));
    }

    /// The shape `live` was made from, if it is the last one kept for the object (and of type
    /// `T`); it is taken, not copied: a shape serves one update.
    pub(crate) fn take<T: Any + Send + Sync>(&self, live: &LiveObject) -> Option<T> {
        let mut kept = self.kept.lock().expect("lock");
        let (made, shape) = kept.remove(&key(live))?;
        if made != *live {
            return None;
        }
        shape.downcast::<T>().ok().map(|b| *b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use idplane_model::Value;

    fn client(name: &str) -> LiveObject {
        LiveObject::new(
            Kind::UserPoolClient,
            "c1",
            Some("pool".to_string()),
            [("name".to_string(), Value::from(name))]
                .into_iter()
                .collect(),
        )
    }

    #[test]
    fn a_shape_serves_the_update_of_the_object_it_made_once() {
        let r = Recent::default();
        r.keep(&client("web"), 7u32);
        assert_eq!(r.take::<u32>(&client("web")), Some(7));
        assert_eq!(r.take::<u32>(&client("web")), None, "taken, not copied");
    }

    #[test]
    fn a_live_object_the_shape_did_not_make_gets_nothing() {
        let r = Recent::default();
        r.keep(&client("web"), 7u32);
        // The object moved since that read: the caller's live object is another read's.
        assert_eq!(r.take::<u32>(&client("mobile")), None);
        // A later read replaces the shape kept.
        r.keep(&client("web"), 1u32);
        r.keep(&client("mobile"), 2u32);
        assert_eq!(r.take::<u32>(&client("web")), None);
        r.keep(&client("web"), 3u32);
        assert_eq!(r.take::<String>(&client("web")), None, "another type");
    }

    #[test]
    fn no_more_than_the_bound_is_kept() {
        let r = Recent::default();
        for i in 0..=MAX_KEPT {
            let mut o = client("web");
            o.id = format!("c{i}");
            r.keep(&o, i);
        }
        assert!(r.kept.lock().unwrap().len() <= MAX_KEPT);
    }
}
