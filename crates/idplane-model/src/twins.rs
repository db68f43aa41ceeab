//! Concurrent applies of one stack: the twins a create of a kind whose name the cloud does not
//! keep unique ([`crate::KindInfo::unique_in_cloud`]) may have raced with (the executor keeps
//! the oldest, see ARCHITECTURE.md).

use crate::state::LiveObject;

/// Tag key holding when idplane created a taggable object whose cloud records no creation time
/// (Cognito identity pools), in milliseconds since the epoch: the order of concurrent twins.
pub const TAG_CREATED: &str = "idplane:created";

/// A live object found by [`crate::Provider::twins`], with its creation time (milliseconds since
/// the epoch) when known.
#[derive(Clone, Debug, PartialEq)]
pub struct Twin {
    pub live: LiveObject,
    pub created_ms: Option<i64>,
}

impl Twin {
    /// The order in which concurrent applies agree on the one to keep: the oldest, then the
    /// smallest id. An object with no known creation time predates any race (it sorts first).
    pub fn order_key(&self) -> (i64, &str) {
        (self.created_ms.unwrap_or(i64::MIN), self.live.id.as_str())
    }
}
