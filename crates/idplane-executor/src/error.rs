//! Why one change of a plan could not be applied.

use idplane_model::{Address, ProviderError};
use std::time::Duration;

/// The error of one change. Never holds secret text: secrets are named by their source
/// (`env:NAME`, `file:PATH`) and attribute path only.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApplyError {
    /// The live object is no longer what the plan was made against.
    #[error(
        "{address}: the plan is stale: {} changed since the plan was made; run `plan` again",
        what_moved.join(", ")
    )]
    Stale {
        address: Address,
        /// Attribute paths that moved (`password_policy.minimum_length`).
        what_moved: Vec<String>,
    },
    /// A create found a live object with its key that differs in fields that cannot change in
    /// place (made after the plan, or by someone else).
    #[error(
        "{address}: a live object `{live_id}` already holds this key and differs in {} (fields that cannot change in place); run `plan` again",
        what_differs.join(", ")
    )]
    Occupied {
        address: Address,
        live_id: String,
        what_differs: Vec<String>,
    },
    /// The object the plan wants to update is gone.
    #[error(
        "{address}: the plan is stale: the live object `{live_id}` no longer exists; run `plan` again"
    )]
    Vanished { address: Address, live_id: String },
    /// A secret of `after` could not be read again from its source.
    #[error("{address}: cannot read the secret at `{path}` from `{source_name}`: {message}")]
    SecretUnreadable {
        address: Address,
        path: String,
        source_name: String,
        message: String,
    },
    /// A secret read again from its source is not the one the plan was made with.
    #[error(
        "{address}: the secret at `{path}` (from `{source_name}`) changed since the plan was made; run `plan` again"
    )]
    SecretChanged {
        address: Address,
        path: String,
        source_name: String,
    },
    /// A `(known after apply)` value whose resource produced no such output in this run.
    #[error("{address}: `{reference}` is not known: that resource produced no `{output}` output")]
    Unresolved {
        address: Address,
        reference: String,
        output: String,
    },
    /// A child whose parent's physical id is neither in the plan nor produced by this run.
    #[error(
        "{address}: the id of its parent is not known (the parent was not applied in this run)"
    )]
    ParentUnknown { address: Address },
    /// A change that needs the live object's id, and the plan has none.
    #[error("{address}: the plan gives no live id for a {action}; the plan is malformed")]
    MissingLiveId {
        address: Address,
        action: &'static str,
    },
    /// A dependency that cannot be satisfied at this point of the plan (a cycle, or a
    /// dependency ordered after its dependent).
    #[error(
        "{address}: waits for `{waiting_for}`, which the plan orders after it; the plan is malformed"
    )]
    Ordering {
        address: Address,
        waiting_for: Address,
    },
    /// AWS accepted a create or update, but the object read back does not match the plan:
    /// AWS did not apply these fields (left as they are, `drift` would report them forever).
    #[error(
        "{address}: AWS accepted the change but `{live_id}` read back differs from the plan in {}: AWS did not apply them",
        fields.join(", ")
    )]
    NotConverged {
        address: Address,
        live_id: String,
        /// Attribute paths that differ after the change, normalized as the planner does.
        fields: Vec<String>,
    },
    /// An object AWS sets up or deletes in the background did not finish within the limit.
    #[error(
        "{address}: `{live_id}` is still {status} after {}s (the limit); it may finish later: run `apply` again",
        waited.as_secs()
    )]
    NotSettled {
        address: Address,
        live_id: String,
        /// The status AWS last reported (`CREATING`, `UPDATING`, `DELETING`).
        status: String,
        waited: Duration,
    },
    /// AWS reports that it failed to set up an object in the background.
    #[error("{address}: AWS reports `{live_id}` as {status}")]
    SettleFailed {
        address: Address,
        live_id: String,
        status: String,
    },
    /// The provider failed (after its own and the executor's retries, when retryable).
    #[error("{0}")]
    Provider(ProviderError),
}

impl ApplyError {
    /// Whether this error says the plan no longer matches live state.
    pub fn is_stale(&self) -> bool {
        matches!(
            self,
            ApplyError::Stale { .. }
                | ApplyError::Vanished { .. }
                | ApplyError::SecretChanged { .. }
                | ApplyError::Occupied { .. }
        )
    }
}
