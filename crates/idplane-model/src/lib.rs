//! The vocabulary of idplane, shared by every other crate: addresses, resource kinds and their
//! field metadata, attribute values, desired and observed state, plans and the `Provider` trait.
//!
//! This crate does no I/O (except [`secret::Secret::resolve`], which reads a secret's source on
//! request, through the bounded reader of [`files`]), knows no YAML and no AWS SDK.
//!
//! Besides the types it holds the vocabulary's rules that every layer applies the same way:
//! [`normalize`] (canonical forms, so two spellings of one meaning compare equal) and
//! [`diff`] (attribute differences and the replace rules), used by the planner, the executor
//! and export.

// Per-kind code is reached through exhaustive matches on `Kind` (no `_ =>` arm): a new kind
// does not compile until every place that dispatches on kinds handles it.
#![deny(clippy::wildcard_enum_match_arm)]

pub mod address;
pub mod diff;
pub mod files;
pub mod kind;
pub mod normalize;
pub mod ownership;
pub mod plan;
pub mod provider;
pub mod secret;
pub mod state;
pub mod twins;
pub mod value;

pub use address::Address;
pub use diff::{differences, with_clearing};
pub use kind::{Field, Kind, KindInfo, Service, Singleton, WriterScope};
pub use normalize::normalize;
pub use ownership::{decode_address_tag, encode_address_tag};
pub use plan::{Action, AttrDiff, Change, DiffOrigin, Plan, PlanSummary, ReplaceOrder};
pub use provider::{ErrorClass, ObserveRequest, Provider, ProviderError, Target};
pub use secret::Secret;
pub use state::{
    AssumeRole, Desired, DesiredResource, IdentityCenterInstance, InstanceSelector, LiveObject,
    Mode, OUTPUT_STATUS, Observed, SourceSpan, Transition,
};
pub use twins::{TAG_CREATED, Twin};
pub use value::{Attrs, Reference, Value};

/// Tag key naming the stack that owns a taggable live object.
pub const TAG_STACK: &str = "idplane:stack";
/// Tag key naming the logical address of a taggable live object within its stack.
pub const TAG_ADDRESS: &str = "idplane:address";

/// Whether a tag key is one idplane writes for ownership (or, [`TAG_CREATED`], for ordering
/// concurrent creates) (never compared as user data).
pub fn is_ownership_tag(key: &str) -> bool {
    key == TAG_STACK || key == TAG_ADDRESS || key == TAG_CREATED
}
