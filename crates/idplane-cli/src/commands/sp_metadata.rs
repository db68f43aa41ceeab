//! `idplane sp-metadata USER_POOL`: finds the live pool (by spec address or pool id), its domain
//! and SAML IdPs, and prints the SAML 2.0 SP metadata.

use crate::cli::{GlobalArgs, SpMetadataArgs};
use crate::context::{self, SpecInputs};
use crate::exit::Outcome;
use anyhow::Context as _;
use idplane_model::{Address, InstanceSelector, Kind, ObserveRequest, Observed, Provider};
use idplane_spec::sp_metadata::{metadata_input, render};

/// Whether the argument names a spec address rather than a live pool id.
pub fn is_address(arg: &str) -> bool {
    arg.starts_with("user_pools.")
}

pub async fn exec(global: &GlobalArgs, args: &SpMetadataArgs) -> anyhow::Result<Outcome> {
    let (provider, pool_id) = if is_address(&args.user_pool) {
        let address = Address::parse(&args.user_pool).map_err(|e| anyhow::anyhow!(e))?;
        let inputs = SpecInputs {
            paths: if args.spec_paths.is_empty() {
                vec![".".into()]
            } else {
                args.spec_paths.clone()
            },
            vars: args.vars.iter().cloned().collect(),
            var_files: args.var_files.clone(),
        };
        let desired = context::load_spec(global, &inputs, false)?;
        let resource = desired.resources.get(&address).with_context(|| {
            format!("the spec has no `{address}` (give the spec with --spec FILE)")
        })?;
        anyhow::ensure!(
            resource.kind == Kind::UserPool,
            "`{address}` is a {}, not a user pool",
            resource.kind
        );
        let provider = context::stack_provider(global, &desired).await?;
        let observed = context::observe(&provider, &desired).await?;
        let opts = idplane_planner::PlanOptions {
            allow_replace_user_pools: true,
            allow_delete_user_pools: true,
            allow_mass_delete: true,
            targets: vec![address.clone()],
            ..Default::default()
        };
        let plan = idplane_planner::plan(&desired, &observed, &opts)
            .map_err(|e| anyhow::anyhow!("cannot match `{address}` to a live pool: {e}"))?;
        let id = plan
            .change(&address)
            .and_then(|c| c.live_id.clone())
            .with_context(|| {
                format!("`{address}` does not exist in AWS yet: apply the spec first")
            })?;
        (provider, id)
    } else {
        (
            context::provider(global, context::region_of_pool_id(&args.user_pool)).await?,
            args.user_pool.clone(),
        )
    };
    let observed = observe_pool(&provider, &pool_id).await?;
    let (input, warnings) = metadata_input(&observed, &pool_id, &args.name_id_format)
        .map_err(|e| anyhow::anyhow!(e))?;
    for warning in &warnings {
        tracing::warn!("{warning}");
    }
    print!("{}", render(&input));
    Ok(Outcome::Success)
}

/// Reads one pool and its children through the provider (as a pinned pool).
async fn observe_pool(provider: &dyn Provider, pool_id: &str) -> anyhow::Result<Observed> {
    let mut req = ObserveRequest {
        stack: String::new(),
        identity_center: InstanceSelector::None,
        ..Default::default()
    };
    req.kinds
        .extend([Kind::UserPool, Kind::UserPoolDomain, Kind::IdentityProvider]);
    req.pinned.insert((Kind::UserPool, pool_id.to_string()));
    let observed = provider
        .observe(&req)
        .await
        .with_context(|| format!("cannot read user pool {pool_id}"))?;
    anyhow::ensure!(
        observed.find(Kind::UserPool, None, pool_id).is_some(),
        "user pool {pool_id} does not exist"
    );
    Ok(observed)
}
