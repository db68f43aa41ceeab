//! The `Provider` trait: how the executor and the CLI read and change a cloud, without knowing
//! its SDK. `idplane-aws` implements it for AWS.

use crate::address::Address;
use crate::kind::{self, Kind};
use crate::state::{Desired, InstanceSelector, LiveObject, Observed};
use crate::twins::Twin;
use crate::value::Attrs;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The class of a provider error, which decides whether to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// `TooManyRequestsException`, `ThrottlingException`: retry with backoff.
    Throttling,
    /// 5xx, timeouts, dropped connections, `ConcurrentModificationException`: retry.
    Transient,
    /// The object does not exist.
    NotFound,
    /// `ConflictException`, already exists.
    Conflict,
    /// `InvalidParameterException`, `ValidationException`: the request is wrong; never retry.
    Validation,
    /// `AccessDeniedException`, `NotAuthorizedException`, expired credentials.
    AccessDenied,
    /// Cognito `LimitExceededException`, quotas: a hard limit, never retry.
    LimitExceeded,
    /// Anything else.
    Other,
}

impl ErrorClass {
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorClass::Throttling | ErrorClass::Transient)
    }
}

/// An error from the provider, with the AWS operation, error code and message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderError {
    pub class: ErrorClass,
    /// e.g. `cognito-idp:UpdateUserPoolClient`.
    pub operation: String,
    /// e.g. `InvalidParameterException` (empty when not from AWS).
    pub code: String,
    pub message: String,
    /// The address of the object concerned, when known.
    pub address: Option<Address>,
}

impl ProviderError {
    pub fn new(
        class: ErrorClass,
        operation: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ProviderError {
            class,
            operation: operation.into(),
            code: code.into(),
            message: message.into(),
            address: None,
        }
    }

    pub fn at(mut self, address: &Address) -> Self {
        self.address = Some(address.clone());
        self
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(a) = &self.address {
            write!(f, "{a}: ")?;
        }
        write!(f, "{}", self.operation)?;
        if !self.code.is_empty() {
            write!(f, " failed with {}", self.code)?;
        } else {
            f.write_str(" failed")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

/// What to read: derived from the desired state so the provider reads only what the stack needs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObserveRequest {
    pub stack: String,
    pub identity_center: InstanceSelector,
    /// Kinds the spec uses (children of owned pools/applications are read for all child kinds).
    pub kinds: BTreeSet<Kind>,
    /// (kind, physical id) pinned in the spec.
    pub pinned: BTreeSet<(Kind, String)>,
    /// Identity Store user names and group display names the spec names (to resolve to ids).
    pub user_names: BTreeSet<String>,
    pub group_names: BTreeSet<String>,
    /// Applications the spec references (never manages) by ARN, each with the child kinds the
    /// spec manages under it: only those children are read (a console-made SAML application
    /// has no grants, access scopes or authentication methods to list).
    pub referenced_applications: BTreeMap<String, BTreeSet<Kind>>,
    /// Natural keys of top-level objects the spec names (`(Application, name)`): the objects
    /// they match are read completely, children included, as pinned and tagged ones are.
    #[serde(default)]
    pub names: BTreeSet<(Kind, String)>,
    /// Read every object of the requested kinds completely, children included, whoever owns
    /// it (`idplane export` of everything).
    #[serde(default)]
    pub everything: bool,
}

impl ObserveRequest {
    pub fn from_desired(desired: &Desired) -> Self {
        let mut req = ObserveRequest {
            stack: desired.stack.clone(),
            identity_center: desired.identity_center.clone(),
            ..Default::default()
        };
        for r in desired.resources.values() {
            if r.kind == Kind::Application
                && r.mode == crate::state::Mode::Referenced
                && let Some(id) = &r.pinned_id
            {
                req.referenced_applications.entry(id.clone()).or_default();
            }
        }
        for r in desired.resources.values() {
            let referenced_parent = r
                .parent
                .as_ref()
                .and_then(|p| desired.resources.get(p))
                .filter(|p| p.kind == Kind::Application && p.mode == crate::state::Mode::Referenced)
                .and_then(|p| p.pinned_id.as_ref());
            if let Some(id) = referenced_parent {
                req.referenced_applications
                    .entry(id.clone())
                    .or_default()
                    .insert(r.kind);
            }
            req.kinds.insert(r.kind);
            if let Some(id) = &r.pinned_id {
                req.pinned.insert((r.kind, id.clone()));
            }
            if r.parent.is_none()
                && let Some(key) = r.natural_key()
            {
                req.names.insert((r.kind, key.to_string()));
            }
            let s = |k: &str| r.attrs.get(k).and_then(|v| v.as_str()).map(str::to_string);
            match r.kind {
                Kind::IdentityStoreUser => req
                    .user_names
                    .extend(s(kind::identity_store_user::field::USER_NAME)),
                Kind::IdentityStoreGroup => req
                    .group_names
                    .extend(s(kind::identity_store_group::field::DISPLAY_NAME)),
                Kind::IdentityStoreGroupMembership => req
                    .user_names
                    .extend(s(kind::identity_store_group_membership::field::USER_NAME)),
                Kind::ApplicationAssignment => {
                    use kind::application_assignment::field;
                    match s(field::PRINCIPAL_TYPE).as_deref() {
                        Some("GROUP") => req.group_names.extend(s(field::PRINCIPAL_NAME)),
                        _ => req.user_names.extend(s(field::PRINCIPAL_NAME)),
                    }
                }
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
                | Kind::ApplicationAccessScope
                | Kind::ApplicationAuthenticationMethod
                | Kind::ApplicationAssignmentConfiguration => {}
            }
        }
        req
    }
}

/// A fully resolved object to create or update: no `Ref`/`Unknown` left, secrets with text.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub address: Address,
    pub kind: Kind,
    /// The parent's physical id (pool id, application ARN, group id).
    pub parent_id: Option<String>,
    pub attrs: Attrs,
    /// Stack name for ownership tags on taggable kinds.
    pub stack: String,
    /// An idempotency token for APIs that take a `ClientToken`: the same for every resend of
    /// this create, never used for another create.
    pub client_token: String,
}

/// A cloud idplane can read and change.
///
/// # Guarantees expected of implementations
/// - Updates of full-replace APIs read the live object, merge the target over it and write the
///   complete object (nothing the target does not mention is reset).
/// - Taggable creates carry the ownership tags `idplane:stack` and `idplane:address`.
/// - Errors are classified ([`ErrorClass`]); throttling and transient errors are retried inside
///   the provider a bounded number of times before they surface.
/// - No secret text appears in an error, a log line or a returned `LiveObject`.
#[async_trait::async_trait]
pub trait Provider: Send + Sync {
    /// Reads everything the request needs.
    async fn observe(&self, request: &ObserveRequest) -> Result<Observed, ProviderError>;

    /// Reads one object by kind, parent id and physical id; `Ok(None)` when it does not exist.
    async fn read(
        &self,
        kind: Kind,
        parent_id: Option<&str>,
        id: &str,
    ) -> Result<Option<LiveObject>, ProviderError>;

    /// Looks for an object a create may already have made (after a lost response): by
    /// ownership tag where the kind has tags, else by natural key under the parent.
    async fn find(&self, target: &Target) -> Result<Option<LiveObject>, ProviderError>;

    /// Creates the object and returns it as read back (with its outputs).
    async fn create(&self, target: &Target) -> Result<LiveObject, ProviderError>;

    /// Updates the object in place and returns it as read back. `live` must be the object as
    /// [`Provider::read`] returned it just before (the executor reads it right before every
    /// update, to skip one already as planned and to refuse a stale plan): the update merges
    /// the target onto it (members the spec leaves out keep their live values) without reading
    /// it a second time. Where the write needs members the live object does not carry (a user
    /// pool's, a client's or an identity provider's, which a full-replace write must send
    /// back), the provider takes them from AWS's answer to that same read, or reads again when
    /// `live` is not its last read of the object.
    async fn update(&self, live: &LiveObject, target: &Target)
    -> Result<LiveObject, ProviderError>;

    /// Whether objects of `kind` are read back after a write from one list of their parent's
    /// collection ([`Provider::list_under`]; AWS's list returns them whole), shared by every
    /// write to that parent of one level, instead of each write reading its object back. The
    /// executor then writes them with [`Provider::write_unread`] and reads the collection once
    /// no write to it is left in the level. Default: no kind.
    fn reads_back_by_list(&self, kind: Kind) -> bool {
        let _ = kind;
        false
    }

    /// Creates (`live` is `None`) or updates (`live` as for [`Provider::update`]) the object
    /// without reading it back, and returns its id: the caller reads it back, for a kind that
    /// [reads back by list](Provider::reads_back_by_list) from one list of the collection.
    /// Default: [`Provider::create`] or [`Provider::update`] (which read it back).
    async fn write_unread(
        &self,
        live: Option<&LiveObject>,
        target: &Target,
    ) -> Result<String, ProviderError> {
        Ok(match live {
            Some(live) => self.update(live, target).await?.id,
            None => self.create(target).await?.id,
        })
    }

    /// Every object of `kind` under the parent `parent_id`, as one list of that collection
    /// returns them; for a kind that [reads back by list](Provider::reads_back_by_list).
    /// Default: an error (no kind reads back by list).
    async fn list_under(
        &self,
        kind: Kind,
        parent_id: &str,
    ) -> Result<Vec<LiveObject>, ProviderError> {
        let _ = parent_id;
        Err(ProviderError::new(
            ErrorClass::Validation,
            "list_under",
            "",
            format!("{kind} is not read back by list"),
        ))
    }

    /// Puts the target's ownership tags (`idplane:stack`, `idplane:address`) on a live object
    /// of a taggable kind and changes nothing else (no field, no user tag); returns the object
    /// as read back. Adopting an object that already carries them changes nothing.
    async fn adopt(&self, live: &LiveObject, target: &Target) -> Result<LiveObject, ProviderError>;

    /// Deletes the object. Deleting an object that is already gone succeeds. For a kind that
    /// [settles in background](Kind::settles_in_background), this only starts the deletion
    /// (the executor then waits until `read` no longer finds it).
    async fn delete(&self, live: &LiveObject) -> Result<(), ProviderError>;

    /// Every live object a create of `target` may have raced with: for a kind whose name the
    /// cloud does not keep unique (see [`Kind::unique_in_cloud`]), the objects carrying the
    /// target's ownership tags or, for untagged kinds, its natural key under the parent, each
    /// with its creation time. When only one object has the target's name, it may come with
    /// no time and only its id (there is nothing to order); when several do, each comes whole,
    /// with its time. The executor calls it after [`Provider::level_started`], so that the
    /// looks of a level may share one list per collection, read after their creates.
    /// Default: what [`Provider::find`] finds, with no time.
    async fn twins(&self, target: &Target) -> Result<Vec<Twin>, ProviderError> {
        Ok(self
            .find(target)
            .await?
            .into_iter()
            .map(|live| Twin {
                live,
                created_ms: None,
            })
            .collect())
    }

    /// Deletes an object this run created moments ago and nothing references yet (the
    /// duplicate of what a concurrent apply created first), whatever its deletion protection
    /// (set by this run's own create). Default: [`Provider::delete`].
    async fn discard(&self, live: &LiveObject) -> Result<(), ProviderError> {
        self.delete(live).await
    }

    /// Live objects that the cloud requires gone before `live` can be deleted and that go with
    /// it (a user pool's domain: `DeleteUserPool` fails while one is attached). The executor
    /// deletes them, and waits until they are gone, before deleting `live`. Default: none.
    async fn delete_first(&self, live: &LiveObject) -> Result<Vec<LiveObject>, ProviderError> {
        let _ = live;
        Ok(Vec::new())
    }

    /// The executor starts a new level of the plan. A provider may serve the lookups of
    /// [`Provider::find`] from one list per collection until the next level (writes to a
    /// collection drop its list; a lookup after a create whose outcome is unknown never uses
    /// it). Lists kept before are dropped: the executor also calls this before it looks for
    /// twins ([`Provider::twins`]), so that the looks read AWS again. Default: nothing.
    fn level_started(&self) {}

    /// The apply is over: whatever was kept for its levels is dropped. Default: nothing.
    fn apply_finished(&self) {}
}
