//! `idplane export`: reads live objects and writes them as a spec (secrets as references).

use crate::cli::{ExportArgs, GlobalArgs};
use crate::context;
use crate::exit::Outcome;
use anyhow::Context as _;
use idplane_model::{InstanceSelector, Kind, ObserveRequest, Provider, Service, TAG_STACK};
use idplane_spec::export::{Selection, export};
use idplane_spec::terraform;
use std::collections::BTreeMap;

/// Largest `terraform show -json` document read (states of thousands of resources fit).
const MAX_TERRAFORM_JSON_BYTES: u64 = 256 * 1024 * 1024;

pub async fn exec(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<Outcome> {
    if let Some(path) = &args.from_terraform {
        return from_terraform(global, args, path).await;
    }
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
        ..Default::default()
    };
    let out = export(&observed, &args.stack, provider.region(), &sel);
    write(args, &out)?;
    Ok(Outcome::Success)
}

/// `--from-terraform`: the objects a Terraform state holds, pinned, with their addresses.
async fn from_terraform(
    global: &GlobalArgs,
    args: &ExportArgs,
    path: &std::path::Path,
) -> anyhow::Result<Outcome> {
    let text = idplane_model::files::read_text(path, MAX_TERRAFORM_JSON_BYTES)
        .map_err(|e| anyhow::anyhow!("cannot read the Terraform state {}: {e}", path.display()))?;
    let mapping = terraform::read(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    for (address, kind) in &mapping.unmapped {
        tracing::warn!(
            "{address} ({kind}) is not an object idplane manages: it stays in Terraform"
        );
    }
    anyhow::ensure!(
        !mapping.mapped.is_empty(),
        "{}: the state holds no resource idplane manages (aws_cognito_*, aws_ssoadmin_* for \
         trusted token issuers and applications, aws_identitystore_*)",
        path.display()
    );
    let tops = mapping.tops();
    // A state's pools name their region; `--region` or the environment decide otherwise.
    let region = tops
        .iter()
        .find(|(k, _)| *k == Kind::UserPool)
        .and_then(|(_, id)| context::region_of_pool_id(id));
    let provider = context::provider(global, region).await?;
    let identity_center = tops
        .iter()
        .any(|(k, _)| matches!(k.info().service, Service::SsoAdmin | Service::IdentityStore));
    let req = ObserveRequest {
        identity_center: if identity_center {
            InstanceSelector::Auto
        } else {
            InstanceSelector::None
        },
        everything: true,
        kinds: Kind::ALL.iter().copied().collect(),
        ..Default::default()
    };
    let observed = provider
        .observe(&req)
        .await
        .context("cannot read live state")?;
    let missing: Vec<String> = tops
        .iter()
        .filter(|(kind, id)| observed.find(*kind, None, id).is_none())
        .map(|top| {
            format!(
                "{} ({} {})",
                mapping.addresses_of(top).join(", "),
                top.0,
                top.1
            )
        })
        .collect();
    anyhow::ensure!(
        missing.is_empty(),
        "the Terraform state names objects that do not exist in {}: {}\n  hint: is the region \
         right (--region)? is the state current (`terraform refresh`, then `terraform show \
         -json` again)?",
        provider.region(),
        missing.join("; ")
    );
    let comments: BTreeMap<(Kind, String), Vec<String>> = tops
        .iter()
        .map(|top| {
            let lines = mapping
                .addresses_of(top)
                .into_iter()
                .map(|a| format!("terraform: {a}"))
                .collect();
            (top.clone(), lines)
        })
        .collect();
    let sel = Selection {
        only: Some(tops),
        comments,
        pin: true,
        ..Default::default()
    };
    let out = export(&observed, &args.stack, provider.region(), &sel);
    write(args, &out)?;
    let spec = args
        .out
        .as_deref()
        .map_or("SPEC".to_string(), |p| p.display().to_string());
    eprintln!(
        "note: {} Terraform resources became {} spec entries. Run `idplane plan {spec}`: it \
         should show only adoptions (tags to write); `idplane apply {spec}`; then hand the \
         objects over to idplane:",
        mapping.mapped.len(),
        sel.comments.len()
    );
    for cmd in mapping.state_rm_commands() {
        eprintln!("{cmd}");
    }
    eprintln!(
        "note: and delete those resource blocks from the Terraform code (or write `removed` \
         blocks with `destroy = false`), or Terraform would create them again"
    );
    Ok(Outcome::Success)
}

/// Writes the spec (to `--out` or stdout) and the documents beside it.
fn write(args: &ExportArgs, out: &idplane_spec::export::Exported) -> anyhow::Result<()> {
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
    Ok(())
}
