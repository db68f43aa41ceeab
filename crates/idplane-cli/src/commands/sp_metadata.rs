//! `idplane sp-metadata USER_POOL`: finds the live pool (by spec address or pool id), its domain
//! and SAML IdPs, and prints the SAML 2.0 SP metadata.

use crate::cli::{GlobalArgs, SpMetadataArgs};
use crate::context::{self, SpecInputs};
use crate::exit::Outcome;
use crate::sp_metadata::{SpMetadataInput, render};
use anyhow::Context as _;
use idplane_model::{
    Address, InstanceSelector, Kind, LiveObject, ObserveRequest, Observed, Provider, Value,
};

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
    let input = metadata_input(&observed, &pool_id, &args.name_id_format)?;
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

fn detail<'a>(idp: &'a LiveObject, key: &str) -> Option<&'a str> {
    idp.attrs
        .get("provider_details")
        .and_then(Value::as_map)
        .and_then(|m| m.get(key))
        .and_then(Value::as_str)
}

/// What the metadata needs, from the observed pool, its domain and its SAML IdPs.
pub fn metadata_input(
    observed: &Observed,
    pool_id: &str,
    name_id_format: &str,
) -> anyhow::Result<SpMetadataInput> {
    let domain = observed
        .children_of(Kind::UserPoolDomain, pool_id)
        .next()
        .with_context(|| {
            format!(
                "user pool {pool_id} has no domain: SAML federation needs one (add `domain:` to the pool)"
            )
        })?;
    let base_url = domain.outputs.get("base_url").cloned().unwrap_or_else(|| {
        let d = &domain.id;
        if d.contains('.') {
            format!("https://{d}")
        } else {
            let region = pool_id.split('_').next().unwrap_or("us-east-1");
            format!("https://{d}.auth.{region}.amazoncognito.com")
        }
    });
    let saml: Vec<&LiveObject> = observed
        .children_of(Kind::IdentityProvider, pool_id)
        .filter(|i| i.attrs.get("provider_type").and_then(Value::as_str) == Some("SAML"))
        .collect();
    let signing_wanted = saml
        .iter()
        .any(|i| detail(i, "IDPSignout").is_some_and(|v| v.eq_ignore_ascii_case("true")));
    let signs_requests = saml
        .iter()
        .any(|i| detail(i, "RequestSigningAlgorithm").is_some_and(|v| !v.is_empty()));
    // Cognito reports an encryption certificate for every SAML IdP; it belongs in the metadata
    // only when an IdP encrypts its responses.
    let encryption_certificate = saml
        .iter()
        .filter(|i| detail(i, "EncryptedResponses").is_some_and(|v| v.eq_ignore_ascii_case("true")))
        .find_map(|i| detail(i, "ActiveEncryptionCertificate"))
        .map(str::to_string);
    let pool = observed.find(Kind::UserPool, None, pool_id);
    let signing_certificate = pool
        .and_then(|p| p.outputs.get("signing_certificate"))
        .cloned();
    if (signing_wanted || signs_requests) && signing_certificate.is_none() {
        tracing::warn!(
            "an IdP of {pool_id} uses IdP sign-out or request signing, but the provider did not \
             return the pool's signing certificate; it is left out of the metadata"
        );
    }
    Ok(SpMetadataInput {
        pool_id: pool_id.to_string(),
        base_url,
        name_id_format: name_id_format.to_string(),
        signing_certificate: if signing_wanted || signs_requests {
            signing_certificate
        } else {
            None
        },
        encryption_certificate,
        authn_requests_signed: signs_requests,
    })
}
