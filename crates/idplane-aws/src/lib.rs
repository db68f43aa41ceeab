//! The AWS provider of idplane: observes, creates, updates and deletes Cognito user pools (and
//! their domains, identity providers, resource servers, clients and groups), identity pools, and
//! IAM Identity Center trusted token issuers, applications (with grants, scopes, authentication
//! methods, assignment configuration and assignments) and Identity Store users and groups.
//!
//! This is the only crate that knows the AWS SDK; no `aws_sdk_*` type leaves it. The SDK's own
//! retries are off: errors are classified here ([`error::classify`]) and each request is retried
//! in one loop ([`AwsProvider::call`]) by one decision function ([`RetryPolicy::decide`]) with
//! bounded exponential backoff and full jitter. Nothing above retries again: the executor sends
//! each provider call once.
//!
//! Per-kind code is filed by kind: `user_pool/<kind>.rs`, `identity_pool.rs`,
//! `identity_center/<kind>.rs` and `identity_store/<kind>.rs` each hold one kind's to_live,
//! list, read, find, create, update and delete; `dispatch.rs` routes each provider operation to
//! them with one exhaustive `match` on the kind.

#![deny(clippy::wildcard_enum_match_arm)]

/// The answer of a create request sent with [`AwsProvider::call_create`], or, when the create
/// turned out to have happened after a failure, returns the object found from the function.
macro_rules! sent {
    ($e:expr) => {
        match $e {
            $crate::Created::Sent(v) => v,
            $crate::Created::Found(o) => return Ok(o),
        }
    };
}

pub mod convert;
mod dispatch;
pub mod error;
pub mod explain;
mod home_region;
pub mod iam;
mod identity_center;
mod identity_pool;
mod identity_store;
mod listcache;
pub mod members;
pub mod pacing;
mod pagination;
pub mod ratelimit;
mod recent;
mod user_pool;
pub mod verify;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
pub use error::{RetryDecision, RetryKind, RetryPolicy, classify, retry_kind};
use idplane_model::{
    ErrorClass, IdentityCenterInstance, InstanceSelector, Kind, LiveObject, ObserveRequest,
    Observed, Provider, ProviderError, Target,
};
use std::future::Future;
use std::sync::Mutex;

/// How to reach AWS. Everything left `None` comes from the standard configuration (default
/// credential chain, `AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL`, config files).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// A role assumed (STS `AssumeRole`) on top of the credentials found, for every call.
    pub assume_role: Option<idplane_model::AssumeRole>,
}

/// Concurrent requests per fan-out (within Cognito's 15-20 RPS and Identity Center's 20 TPS).
pub(crate) const CONCURRENCY: usize = 8;

/// Parents (user pools; applications) whose children `observe` reads at once, per service.
/// Each parent's collections are read side by side, each describe fan-out at most
/// [`CONCURRENCY`] requests, so a user pool has at most 20 requests under way and `observe`
/// about 140 in all (user pools 4 x 20 plus 8 describes, identity pools 8, trusted token
/// issuers 8, applications 4 x 5, Identity Store 16), most of them waiting for their pacing
/// slot: enough for every quota category to be busy from the start, so that pacing per
/// category, not the order of the reads, sets the pace.
pub(crate) const PARENTS_AT_ONCE: usize = 4;

/// The AWS implementation of [`Provider`].
pub struct AwsProvider {
    pub(crate) region: String,
    /// Where `sso` and `ids` call: Identity Center's home region (default: `region`).
    pub(crate) ic_region: String,
    pub(crate) cip: aws_sdk_cognitoidentityprovider::Client,
    pub(crate) ci: aws_sdk_cognitoidentity::Client,
    pub(crate) sso: aws_sdk_ssoadmin::Client,
    pub(crate) ids: aws_sdk_identitystore::Client,
    sts: aws_sdk_sts::Client,
    /// sso-oidc, for `verify --exchange` only.
    oidc: aws_sdk_ssooidc::Client,
    /// The caller's account id, once asked (STS GetCallerIdentity).
    account: Mutex<Option<String>>,
    pub(crate) retry: RetryPolicy,
    selector: Mutex<InstanceSelector>,
    instance: Mutex<Option<IdentityCenterInstance>>,
    /// Pacing per AWS quota category (see [`pacing`]); `None`: no client-side pacing.
    pacer: Option<pacing::Pacer>,
    /// Collection lists shared by the lookups of one executor level.
    pub(crate) lists: listcache::ListCache,
    /// AWS's shape of objects as their last read returned it, for the update that follows.
    pub(crate) recent: recent::Recent,
}

impl std::fmt::Debug for AwsProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsProvider")
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl AwsProvider {
    /// Loads the standard AWS configuration, overridden by the options.
    pub async fn from_options(o: &AwsOptions) -> Result<Self, ProviderError> {
        let mut loader =
            aws_config::defaults(BehaviorVersion::latest()).retry_config(RetryConfig::disabled());
        if let Some(p) = &o.profile {
            loader = loader.profile_name(p);
        }
        if let Some(r) = &o.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some(u) = &o.endpoint_url {
            loader = loader.endpoint_url(u);
        }
        let mut config = loader.load().await;
        if config.region().is_none() {
            return Err(ProviderError::new(
                ErrorClass::Validation,
                "configuration",
                "",
                "no AWS region: set AWS_REGION, a profile region, or --region",
            ));
        }
        if let Some(role) = &o.assume_role {
            // The SDK's own provider: it calls AssumeRole with the base credentials when first
            // needed and refreshes the session before it expires.
            let mut b = aws_config::sts::AssumeRoleProvider::builder(role.arn.clone())
                .session_name(
                    role.session_name
                        .clone()
                        .unwrap_or_else(|| "idplane".into()),
                );
            if let Some(id) = &role.external_id {
                b = b.external_id(id.clone());
            }
            if let Some(d) = role.duration_seconds {
                b = b.session_length(std::time::Duration::from_secs(u64::from(d)));
            }
            let assumed = b.configure(&config).build().await;
            config = config
                .to_builder()
                .credentials_provider(
                    aws_credential_types::provider::SharedCredentialsProvider::new(assumed),
                )
                .build();
        }
        Ok(Self::from_sdk_config(&config))
    }

    /// A provider over a ready SDK configuration (its retry configuration is replaced by
    /// "disabled": this provider retries by itself).
    pub fn from_sdk_config(c: &SdkConfig) -> Self {
        let config = c.to_builder().retry_config(RetryConfig::disabled()).build();
        let region = config
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| "us-east-1".to_string());
        AwsProvider {
            ic_region: region.clone(),
            region,
            cip: aws_sdk_cognitoidentityprovider::Client::new(&config),
            ci: aws_sdk_cognitoidentity::Client::new(&config),
            sso: aws_sdk_ssoadmin::Client::new(&config),
            ids: aws_sdk_identitystore::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            oidc: aws_sdk_ssooidc::Client::new(&config),
            account: Mutex::new(None),
            retry: RetryPolicy::default(),
            selector: Mutex::new(InstanceSelector::Auto),
            instance: Mutex::new(None),
            pacer: Some(pacing::Pacer::default()),
            lists: listcache::ListCache::default(),
            recent: recent::Recent::default(),
        }
    }

    /// The same provider without client-side pacing (requests go out as fast as they come).
    pub fn without_pacing(mut self) -> Self {
        self.pacer = None;
        self
    }

    /// The same provider paced to the account's own rates where given (`--quota`: a category's
    /// quota raised through Service Quotas, or a share of one), the documented rates elsewhere,
    /// and no category faster than `max_rps` requests per second (`--max-rps`: for accounts
    /// whose quotas other tools share).
    pub fn with_rates(
        mut self,
        quotas: impl IntoIterator<Item = (&'static str, f64)>,
        max_rps: Option<f64>,
    ) -> Self {
        self.pacer = Some(pacing::Pacer::new(max_rps).with_quotas(quotas));
        self
    }

    /// Calls per quota category so far, with the time spent waiting for pacing and for AWS
    /// (empty without pacing).
    pub fn pacing_stats(&self) -> std::collections::BTreeMap<&'static str, pacing::CategoryStats> {
        self.pacer.as_ref().map(|p| p.stats()).unwrap_or_default()
    }

    async fn pace(&self, op: &str) {
        if let Some(p) = &self.pacer {
            p.acquire(op).await;
        }
    }

    /// The same provider with another retry policy.
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// The ids of every user pool of the account in this region (paginated ListUserPools),
    /// whoever made them: for `export` with no selection, which pins them all.
    pub async fn list_user_pool_ids(&self) -> Result<Vec<String>, ProviderError> {
        user_pool::pool::list_ids(self).await
    }

    /// Sends a request, retrying it per [`RetryPolicy::decide`]: the one retry loop of idplane.
    pub(crate) async fn call<T, E, F, Fut>(&self, op: &str, f: F) -> Result<T, ProviderError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        match self.call_inner(op, f, None).await? {
            Created::Sent(v) => Ok(v),
            Created::Found(_) => unreachable!("only a create looks for what it made"),
        }
    }

    /// Sends the create request of `target`, in the same loop and with the same decisions as
    /// [`AwsProvider::call`], except that after a failure whose outcome is unknown (a 5xx, a
    /// lost response: the object may exist) it looks for the object first, and returns it
    /// when found instead of sending the create again.
    pub(crate) async fn call_create<T, E, F, Fut>(
        &self,
        op: &str,
        target: &Target,
        f: F,
    ) -> Result<Created<T>, ProviderError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        self.call_inner(op, f, Some(target)).await
    }

    async fn call_inner<T, E, F, Fut>(
        &self,
        op: &str,
        mut f: F,
        create: Option<&Target>,
    ) -> Result<Created<T>, ProviderError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let started = std::time::Instant::now();
        let mut attempt = 1;
        loop {
            self.pace(op).await;
            tracing::debug!(operation = op, attempt, "aws call");
            let sent = std::time::Instant::now();
            let answer = f().await;
            if let Some(p) = &self.pacer {
                let throttled = answer
                    .as_ref()
                    .err()
                    .is_some_and(|e| error::from_sdk(op, e).class == ErrorClass::Throttling);
                p.answered(op, sent.elapsed(), throttled);
            }
            match answer {
                Ok(v) => return Ok(Created::Sent(v)),
                Err(e) => {
                    let err = error::from_sdk(op, &e);
                    let decision =
                        self.retry
                            .decide(&err, attempt, started.elapsed(), rand::random::<f64>());
                    if let Some(t) = create
                        && outcome_unknown(&err)
                        && let Some(found) = {
                            // The create may have happened: its collection is read again.
                            self.lists.forget_target(t);
                            self.find(t).await?
                        }
                    {
                        tracing::debug!(operation = op, attempt, "created: found after a failure");
                        return Ok(Created::Found(found));
                    }
                    match decision {
                        RetryDecision::Retry(wait) => {
                            tracing::debug!(
                                operation = op,
                                attempt,
                                code = %err.code,
                                wait_ms = wait.as_millis() as u64,
                                "retrying"
                            );
                            tokio::time::sleep(wait).await;
                            attempt += 1;
                        }
                        RetryDecision::GiveUp => return Err(err),
                    }
                }
            }
        }
    }

    /// The account id of the credentials (STS GetCallerIdentity, cached).
    pub async fn account_id(&self) -> Result<String, ProviderError> {
        if let Some(a) = self.account.lock().expect("lock").clone() {
            return Ok(a);
        }
        Ok(self.caller_identity().await?.0)
    }

    /// The account id and the ARN of the credentials (STS GetCallerIdentity; the account is
    /// cached for [`Self::account_id`]).
    pub async fn caller_identity(&self) -> Result<(String, String), ProviderError> {
        const OP: &str = "sts:GetCallerIdentity";
        let out = self
            .call(OP, || self.sts.get_caller_identity().send())
            .await?;
        let account = out
            .account()
            .ok_or_else(|| error::invalid(OP, "no account in the answer"))?
            .to_string();
        *self.account.lock().expect("lock") = Some(account.clone());
        Ok((account, out.arn().unwrap_or_default().to_string()))
    }

    /// The Identity Center instance of the stack (cached once found).
    pub(crate) async fn instance(&self) -> Result<IdentityCenterInstance, ProviderError> {
        if let Some(i) = self.instance.lock().expect("lock").clone() {
            return Ok(i);
        }
        let selector = self.selector.lock().expect("lock").clone();
        let found = identity_center::resolve_instance(self, &selector).await?;
        *self.instance.lock().expect("lock") = Some(found.clone());
        Ok(found)
    }

    fn set_selector(&self, selector: &InstanceSelector) {
        let mut s = self.selector.lock().expect("lock");
        if *s != *selector {
            *s = selector.clone();
            *self.instance.lock().expect("lock") = None;
        }
    }
}

/// What a create request came to: its answer, or the object found after an unknown outcome.
pub(crate) enum Created<T> {
    Sent(T),
    Found(LiveObject),
}

/// Whether a failed request may still have been carried out (a 5xx, a timeout, a lost or
/// unreadable response), as opposed to refused (throttling, a conflict, a concurrent
/// modification).
fn outcome_unknown(e: &ProviderError) -> bool {
    e.class == ErrorClass::Transient
        && e.code != "ConcurrentModificationException"
        && e.code != "ConflictException"
}

/// The parent id a child kind needs, or a validation error.
pub(crate) fn need_parent(kind: Kind, parent_id: Option<&str>) -> Result<&str, ProviderError> {
    parent_id.ok_or_else(|| {
        ProviderError::new(
            ErrorClass::Validation,
            format!("{kind}"),
            "",
            format!("a {kind} needs its parent's id"),
        )
    })
}

/// `Ok(None)` for a not-found error, the error otherwise.
pub(crate) fn none_if_missing<T>(r: Result<T, ProviderError>) -> Result<Option<T>, ProviderError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.class == ErrorClass::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// `Ok(())` for a not-found error (deleting what is gone succeeds).
pub(crate) fn ok_if_missing(r: Result<(), ProviderError>) -> Result<(), ProviderError> {
    none_if_missing(r).map(|_| ())
}

/// What a create comes to: the object read back, or a transient error when it cannot be read
/// back yet.
pub(crate) fn created(t: &Target, o: Option<LiveObject>) -> Result<LiveObject, ProviderError> {
    o.ok_or_else(|| {
        ProviderError::new(
            ErrorClass::Transient,
            format!("create {}", t.kind),
            "",
            "created, but not found when read back",
        )
    })
}

/// The error of an update whose object is gone.
pub(crate) fn gone(live: &LiveObject, t: &Target) -> ProviderError {
    ProviderError::new(
        ErrorClass::NotFound,
        format!("update {}", t.kind),
        "",
        format!("{} is gone", live.id),
    )
}

/// The single candidate, none, or a conflict naming every candidate.
pub(crate) fn one_of(
    tg: &Target,
    hits: &mut Vec<LiveObject>,
) -> Result<Option<LiveObject>, ProviderError> {
    match hits.len() {
        0 => Ok(None),
        1 => Ok(hits.pop()),
        _ => Err(ProviderError::new(
            ErrorClass::Conflict,
            format!("find {}", tg.kind),
            "",
            format!(
                "more than one live object could be {}: {}",
                tg.address,
                hits.iter()
                    .map(|o| o.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .at(&tg.address)),
    }
}

/// The ownership tags of a target plus its user tags.
pub(crate) fn all_tags(t: &Target) -> std::collections::BTreeMap<String, String> {
    let mut tags: std::collections::BTreeMap<String, String> = t
        .attrs
        .get("tags")
        .and_then(|v| v.as_map())
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .filter(|(k, _)| !idplane_model::is_ownership_tag(k))
                .collect()
        })
        .unwrap_or_default();
    tags.insert(idplane_model::TAG_STACK.to_string(), t.stack.clone());
    tags.insert(
        idplane_model::TAG_ADDRESS.to_string(),
        idplane_model::encode_address_tag(&t.address),
    );
    tags
}

/// The target's ownership tags alone (what adopting an object adds).
pub(crate) fn ownership_tags(t: &Target) -> std::collections::BTreeMap<String, String> {
    all_tags(t)
        .into_iter()
        .filter(|(k, _)| idplane_model::is_ownership_tag(k))
        .collect()
}

/// Splits all tags into (all, user tags as a `Value`).
pub(crate) fn user_tags_value(
    all: &std::collections::BTreeMap<String, String>,
) -> idplane_model::Value {
    idplane_model::Value::Map(
        all.iter()
            .filter(|(k, _)| !idplane_model::is_ownership_tag(k))
            .map(|(k, v)| (k.clone(), idplane_model::Value::str(v)))
            .collect(),
    )
}

/// Whether a live object carries the target's ownership tags.
pub(crate) fn owned_by(o: &LiveObject, t: &Target) -> bool {
    o.owner_stack() == Some(t.stack.as_str()) && o.owner_address() == Some(t.address.to_string())
}

#[async_trait::async_trait]
impl Provider for AwsProvider {
    async fn observe(&self, request: &ObserveRequest) -> Result<Observed, ProviderError> {
        // The services' reads run side by side (Cognito user pools, identity pools, and Identity
        // Center with Identity Store once the instance is known): each service has quota
        // categories of its own, so none waits for another's pacing.
        let k = &request.kinds;
        let cognito_kinds = [
            Kind::UserPool,
            Kind::UserPoolDomain,
            Kind::IdentityProvider,
            Kind::ResourceServer,
            Kind::UserPoolClient,
            Kind::UserPoolGroup,
        ];
        let user_pools = async {
            if cognito_kinds.iter().any(|c| k.contains(c)) {
                user_pool::observe(self, request).await
            } else {
                Ok(Vec::new())
            }
        };
        let identity_pools = async {
            if k.contains(&Kind::IdentityPool) {
                identity_pool::observe(self, request).await
            } else {
                Ok(Vec::new())
            }
        };
        let identity_center = async {
            if request.identity_center == InstanceSelector::None
                && !k.iter().any(|kind| kind.is_identity_center())
            {
                return Ok((Vec::new(), None));
            }
            let selector = match &request.identity_center {
                InstanceSelector::None => InstanceSelector::Auto,
                s @ (InstanceSelector::Auto | InstanceSelector::Arn(_)) => s.clone(),
            };
            self.set_selector(&selector);
            // The applications are listed by account (`ApplicationAccount`): its id is asked
            // beside the instance, not after it.
            let (instance, _) = futures::try_join!(self.instance(), async {
                if identity_center::lists_applications(request) {
                    self.account_id().await.map(drop)
                } else {
                    Ok(())
                }
            })?;
            let (applications, store) = futures::try_join!(
                identity_center::observe(self, request, &instance),
                identity_store::observe(self, request, &instance)
            )?;
            Ok(([applications, store].concat(), Some(instance)))
        };
        let (user_pools, identity_pools, (identity_center, instance)) =
            futures::try_join!(user_pools, identity_pools, identity_center)?;
        let mut observed = Observed {
            objects: [user_pools, identity_pools, identity_center].concat(),
            identity_center: instance,
        };
        observed.normalize_order();
        Ok(observed)
    }

    async fn read(
        &self,
        kind: Kind,
        parent_id: Option<&str>,
        id: &str,
    ) -> Result<Option<LiveObject>, ProviderError> {
        dispatch::read(self, kind, parent_id, id).await
    }

    async fn find(&self, t: &Target) -> Result<Option<LiveObject>, ProviderError> {
        dispatch::find(self, t).await.map_err(|e| e.at(&t.address))
    }

    async fn create(&self, t: &Target) -> Result<LiveObject, ProviderError> {
        // Retries happen per request inside (`call`, `call_create`), never around a whole create.
        let r = dispatch::create(self, t).await;
        if r.is_err() {
            // Whatever happened, the next lookup in this collection reads AWS again.
            self.lists.forget_target(t);
        }
        r.map_err(|e| e.at(&t.address))
    }

    async fn update(&self, live: &LiveObject, t: &Target) -> Result<LiveObject, ProviderError> {
        self.lists.forget(live.kind, live.parent_id.as_deref());
        let r = dispatch::update(self, live, t).await;
        self.lists.forget(live.kind, live.parent_id.as_deref());
        r.map_err(|e| e.at(&t.address))
    }

    fn reads_back_by_list(&self, kind: Kind) -> bool {
        dispatch::reads_back_by_list(kind)
    }

    async fn write_unread(
        &self,
        live: Option<&LiveObject>,
        t: &Target,
    ) -> Result<String, ProviderError> {
        self.lists.forget(t.kind, t.parent_id.as_deref());
        let r = dispatch::write_unread(self, live, t).await;
        self.lists.forget(t.kind, t.parent_id.as_deref());
        r.map_err(|e| e.at(&t.address))
    }

    async fn list_under(&self, kind: Kind, parent: &str) -> Result<Vec<LiveObject>, ProviderError> {
        dispatch::list_under(self, kind, parent).await
    }

    async fn adopt(&self, live: &LiveObject, t: &Target) -> Result<LiveObject, ProviderError> {
        self.lists.forget(live.kind, live.parent_id.as_deref());
        let r = dispatch::adopt(self, live, t).await;
        self.lists.forget(live.kind, live.parent_id.as_deref());
        r.map_err(|e| e.at(&t.address))
    }

    async fn delete(&self, live: &LiveObject) -> Result<(), ProviderError> {
        self.lists.forget(live.kind, live.parent_id.as_deref());
        let r = dispatch::delete(self, live).await;
        self.lists.forget(live.kind, live.parent_id.as_deref());
        ok_if_missing(r)
    }

    async fn delete_first(&self, live: &LiveObject) -> Result<Vec<LiveObject>, ProviderError> {
        if live.kind == Kind::UserPool {
            user_pool::domain::attached_domains(self, &live.id).await
        } else {
            Ok(Vec::new())
        }
    }

    async fn twins(&self, t: &Target) -> Result<Vec<idplane_model::Twin>, ProviderError> {
        // A twin the other apply is discarding may vanish between the list and the reads:
        // list again.
        // The executor dropped the lists kept before it looks (`level_started`): the looks of
        // one level share one list per collection, read after their creates.
        let mut attempts = 0;
        loop {
            match dispatch::twins(self, t).await {
                Err(e) if e.class == ErrorClass::NotFound && attempts < 5 => {
                    attempts += 1;
                    self.lists.forget_target(t);
                }
                r => return r.map_err(|e| e.at(&t.address)),
            }
        }
    }

    async fn discard(&self, live: &LiveObject) -> Result<(), ProviderError> {
        self.lists.forget(live.kind, live.parent_id.as_deref());
        let r = dispatch::discard(self, live).await;
        self.lists.forget(live.kind, live.parent_id.as_deref());
        ok_if_missing(r)
    }

    fn level_started(&self) {
        self.lists.level_started();
    }

    fn apply_finished(&self) {
        self.lists.apply_finished();
    }
}
