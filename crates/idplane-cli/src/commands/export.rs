//! `idplane export`: reads live objects and writes them as a spec (secrets as references).

use crate::cli::{ExportArgs, GlobalArgs};
use crate::context;
use crate::exit::Outcome;
use anyhow::Context as _;
use idplane_model::{InstanceSelector, Kind, ObserveRequest, Provider, TAG_STACK};
use idplane_spec::export::{Selection, export};

pub async fn exec(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<Outcome> {
    let region = args
        .user_pools
        .first()
        .and_then(|id| context::region_of_pool_id(id));
    let provider = context::provider(global, region).await?;
    let mut req = ObserveRequest {
        identity_center: if args.user_pools.is_empty() || !args.applications.is_empty() {
            InstanceSelector::Auto
        } else {
            InstanceSelector::None
        },
        ..Default::default()
    };
    // Pools are found by pinned id, or by the ownership tag when `--tag idplane:stack=NAME`.
    if let Some((_, stack)) = args.tags.iter().find(|(k, _)| k == TAG_STACK) {
        req.stack = stack.clone();
    }
    req.kinds.extend([
        Kind::UserPool,
        Kind::UserPoolDomain,
        Kind::IdentityProvider,
        Kind::ResourceServer,
        Kind::UserPoolClient,
        Kind::UserPoolGroup,
    ]);
    if req.identity_center != InstanceSelector::None {
        req.kinds.extend([
            Kind::TrustedTokenIssuer,
            Kind::Application,
            Kind::ApplicationGrant,
            Kind::ApplicationAccessScope,
            Kind::ApplicationAuthenticationMethod,
            Kind::ApplicationAssignmentConfiguration,
            Kind::ApplicationAssignment,
        ]);
    }
    if req.everything {
        req.kinds.extend([
            Kind::IdentityStoreUser,
            Kind::IdentityStoreGroup,
            Kind::IdentityStoreGroupMembership,
        ]);
    }
    for id in &args.user_pools {
        req.pinned.insert((Kind::UserPool, id.clone()));
    }
    // No pool or application named: everything of the account/region is exported (made
    // without idplane too), read completely through the same observe path `plan` uses, and
    // narrowed by `--tag` afterwards. The ownership-tag lookup above already finds a stack's
    // objects, so `--tag idplane:stack=NAME` reads nothing more.
    if args.user_pools.is_empty() && args.applications.is_empty() && req.stack.is_empty() {
        req.everything = true;
    }
    if args.user_pools.is_empty() && args.applications.is_empty() {
        req.kinds.insert(Kind::IdentityPool);
    }
    for arn in &args.applications {
        req.pinned.insert((Kind::Application, arn.clone()));
    }
    let observed = provider
        .observe(&req)
        .await
        .context("cannot read live state")?;
    for id in &args.user_pools {
        anyhow::ensure!(
            observed.find(Kind::UserPool, None, id).is_some(),
            "user pool {id} does not exist"
        );
    }
    for arn in &args.applications {
        anyhow::ensure!(
            observed.find(Kind::Application, None, arn).is_some(),
            "application {arn} does not exist"
        );
    }
    let sel = Selection {
        user_pools: args.user_pools.clone(),
        applications: args.applications.clone(),
        tags: args.tags.clone(),
    };
    let out = export(&observed, &args.stack, provider.region(), &sel);
    for warning in &out.warnings {
        tracing::warn!("{warning}");
    }
    match &args.out {
        Some(path) => std::fs::write(path, &out.yaml)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{}", out.yaml),
    }
    // Documents the spec names by a relative path go beside it (the current directory when
    // the spec goes to stdout).
    let dir = args
        .out
        .as_deref()
        .and_then(|p| p.parent())
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    for (name, text) in &out.files {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("note: wrote {} (referenced by the spec)", path.display());
    }
    if !out.secrets.is_empty() {
        eprintln!(
            "note: set these environment variables to the secrets before planning: {}",
            out.secrets.join(", ")
        );
    }
    Ok(Outcome::Success)
}
