//! The vocabulary of idplane, shared by every other crate: addresses, resource kinds and their
//! field metadata, attribute values, desired and observed state, plans and the `Provider` trait.
//!
//! This crate does no I/O (except [`secret::Secret::resolve`], which reads a secret's source on
//! request, through the bounded reader of [`files`]), knows no YAML and no AWS SDK.

pub mod address;
pub mod files;
pub mod kind;
pub mod ownership;
pub mod plan;
pub mod provider;
pub mod secret;
pub mod state;
pub mod value;

pub use address::Address;
pub use kind::{Field, Kind, KindInfo};
pub use ownership::{decode_address_tag, encode_address_tag};
pub use plan::{Action, AttrDiff, Change, DiffOrigin, Plan, PlanSummary, ReplaceOrder};
pub use provider::{ErrorClass, ObserveRequest, Provider, ProviderError, Target};
pub use secret::Secret;
pub use state::{
    AssumeRole, Desired, DesiredResource, IdentityCenterInstance, InstanceSelector, LiveObject,
    Mode, OUTPUT_STATUS, Observed, SourceSpan, Transition,
};
pub use value::{Attrs, Reference, Value};

/// Tag key naming the stack that owns a taggable live object.
pub const TAG_STACK: &str = "idplane:stack";
/// Tag key naming the logical address of a taggable live object within its stack.
pub const TAG_ADDRESS: &str = "idplane:address";

/// Whether a tag key is one idplane writes for ownership (never compared as user data).
pub fn is_ownership_tag(key: &str) -> bool {
    key == TAG_STACK || key == TAG_ADDRESS
}
