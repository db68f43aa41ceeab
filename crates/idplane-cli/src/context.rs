//! Steps several commands share: loading the spec (diagnostics to stderr), building the AWS
//! provider, observing live state and turning CLI flags into planner options.

use crate::cli::{GlobalArgs, PlanFlags, SpecArgs};
use crate::exit::Reported;
use anyhow::Context as _;
use idplane_model::{Address, Desired, ObserveRequest, Observed, Provider};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The inputs a spec was loaded from (kept in saved plans to load it again).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpecInputs {
    pub paths: Vec<PathBuf>,
    pub vars: BTreeMap<String, String>,
    pub var_files: Vec<PathBuf>,
}

impl SpecInputs {
    pub fn from_args(args: &SpecArgs) -> Self {
        SpecInputs {
            paths: args.paths_or_cwd(),
            vars: args.vars.iter().cloned().collect(),
            var_files: args.var_files.clone(),
        }
    }
}

/// Loads the spec; prints every diagnostic to stderr; fails (already reported) on any error.
pub fn load_spec(
    global: &GlobalArgs,
    inputs: &SpecInputs,
    resolve_secrets: bool,
) -> anyhow::Result<Desired> {
    let opts = idplane_spec::LoadOptions {
        vars: inputs.vars.clone(),
        var_files: inputs.var_files.clone(),
        resolve_secrets,
    };
    let loaded = idplane_spec::load(&inputs.paths, &opts);
    if !loaded.diagnostics.is_empty() {
        eprint!(
            "{}",
            idplane_spec::render_diagnostics(
                &loaded.diagnostics,
                &loaded.sources,
                crate::output::color(global, true)
            )
        );
    }
    match loaded.desired {
        Some(d) => Ok(d),
        None => {
            eprintln!("error: the spec is not valid; nothing was sent to AWS");
            Err(Reported.into())
        }
    }
}

/// The AWS provider for the global options; the spec's region when `--region` is not given.
pub async fn provider(
    global: &GlobalArgs,
    spec_region: Option<&str>,
) -> anyhow::Result<idplane_aws::AwsProvider> {
    provider_as(global, spec_region, None).await
}

/// The role to assume: `--assume-role` over the spec's `assume_role.arn`.
fn role(
    global: &GlobalArgs,
    spec: Option<&idplane_model::AssumeRole>,
) -> Option<idplane_model::AssumeRole> {
    match (&global.assume_role, spec) {
        (Some(arn), Some(s)) => Some(idplane_model::AssumeRole {
            arn: arn.clone(),
            ..s.clone()
        }),
        (Some(arn), None) => Some(idplane_model::AssumeRole {
            arn: arn.clone(),
            external_id: None,
            session_name: None,
            duration_seconds: None,
        }),
        (None, s) => s.cloned(),
    }
}

/// The AWS provider, assuming the spec's role (if any) unless `--assume-role` names another.
async fn provider_as(
    global: &GlobalArgs,
    spec_region: Option<&str>,
    spec_role: Option<&idplane_model::AssumeRole>,
) -> anyhow::Result<idplane_aws::AwsProvider> {
    let opts = idplane_aws::AwsOptions {
        assume_role: role(global, spec_role),
        profile: global.profile.clone(),
        region: global
            .region
            .clone()
            .or_else(|| spec_region.filter(|r| !r.is_empty()).map(str::to_string)),
        endpoint_url: global.endpoint_url.clone(),
    };
    let _ = ENDPOINT.set(match (&opts.endpoint_url, &opts.region) {
        (Some(url), _) => url.clone(),
        (None, Some(region)) => format!(
            "the AWS endpoints of {region} (e.g. https://cognito-idp.{region}.amazonaws.com)"
        ),
        (None, None) => "the AWS endpoints of the configured region".to_string(),
    });
    let provider = idplane_aws::AwsProvider::from_options(&opts)
        .await
        .context("cannot set up AWS access")?;
    let quotas = global.quotas();
    Ok(if global.max_rps.is_some() || !quotas.is_empty() {
        provider.with_rates(quotas, global.max_rps)
    } else {
        provider
    })
}

/// The AWS provider for a stack: the spec's region, and the account guard checked first.
///
/// When the spec names `account`, the first AWS call is STS `GetCallerIdentity`; credentials of
/// any other account are refused before anything else is read or written.
pub async fn stack_provider(
    global: &GlobalArgs,
    desired: &Desired,
) -> anyhow::Result<idplane_aws::AwsProvider> {
    let provider = provider_as(global, Some(&desired.region), desired.assume_role.as_ref())
        .await?
        .with_identity_center_region(desired.identity_center_region.as_deref());
    let assumed = global.assume_role.is_some() || desired.assume_role.is_some();
    if !desired.accounts.is_empty() || assumed {
        // Asked first: a role that cannot be assumed, or credentials of another account, stop
        // the run before anything is read.
        let (actual, arn) = provider.caller_identity().await.context(if assumed {
            "cannot assume the role (spec `assume_role` or --assume-role)"
        } else {
            "cannot check which AWS account the credentials belong to (spec `account`)"
        })?;
        tracing::info!(account = %actual, arn = %arn, "AWS credentials");
        if desired.accounts.is_empty() {
            return Ok(provider);
        }
        if let Err(msg) = check_account(&desired.accounts, &actual, &desired.stack) {
            eprintln!("error: {msg}");
            return Err(Reported.into());
        }
    }
    Ok(provider)
}

/// The account guard: `Err` with the message naming both sides when `actual` is not allowed.
fn check_account(allowed: &[String], actual: &str, stack: &str) -> Result<(), String> {
    if allowed.iter().any(|a| a == actual) {
        return Ok(());
    }
    let wanted = match allowed {
        [one] => format!("account {one}"),
        many => format!("accounts {}", many.join(", ")),
    };
    Err(format!(
        "the AWS credentials belong to account {actual}, but stack `{stack}` belongs to {wanted} \
         (spec `account`); nothing was read or changed.\n  \
         hint: use credentials of {wanted} (`--profile`, AWS_PROFILE), or fix `account` in the spec"
    ))
}

/// Where this run sends AWS requests, for errors about unreachable endpoints.
static ENDPOINT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The endpoint hint for an error whose cause is an unreachable AWS endpoint.
pub fn endpoint_hint(err: &anyhow::Error) -> Option<String> {
    let endpoint = ENDPOINT.get()?;
    err.chain()
        .filter_map(|e| e.downcast_ref::<idplane_model::ProviderError>())
        .find_map(|p| idplane_aws::explain::endpoint_hint(p, endpoint))
}

/// The region a user pool id names (`eu-west-1_AbC123` -> `eu-west-1`).
pub fn region_of_pool_id(id: &str) -> Option<&str> {
    let (region, rest) = id.split_once('_')?;
    let plausible = !rest.is_empty()
        && region.split('-').count() >= 3
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    plausible.then_some(region)
}

/// Reads the live state the spec needs.
pub async fn observe(provider: &dyn Provider, desired: &Desired) -> anyhow::Result<Observed> {
    tracing::info!(stack = %desired.stack, "reading live state");
    provider
        .observe(&ObserveRequest::from_desired(desired))
        .await
        .context("cannot read live state")
}

/// Planner options from the flags.
pub fn plan_options(flags: &PlanFlags) -> anyhow::Result<idplane_planner::PlanOptions> {
    let targets = flags
        .targets
        .iter()
        .map(|t| Address::parse(t).map_err(|e| anyhow::anyhow!("--target {t}: {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(idplane_planner::PlanOptions {
        allow_replace_user_pools: flags.allow_replace_user_pools,
        allow_delete_user_pools: flags.allow_delete_user_pools,
        allow_mass_delete: flags.allow_mass_delete,
        targets,
        ..Default::default()
    })
}

/// Plans, printing a refusal's reasons (each naming the flag to add) as an error.
pub fn plan(
    desired: &Desired,
    observed: &Observed,
    opts: &idplane_planner::PlanOptions,
) -> anyhow::Result<idplane_model::Plan> {
    match idplane_planner::plan(desired, observed, opts) {
        Ok(p) => Ok(p),
        Err(idplane_planner::PlanError::Refused { reasons }) => {
            eprintln!("error: the plan was refused:");
            for r in reasons {
                eprintln!("  - {r}");
            }
            Err(Reported.into())
        }
        Err(e) => Err(anyhow::anyhow!("cannot plan: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_guard_names_both_accounts() {
        let one = vec!["111111111111".to_string()];
        assert!(check_account(&one, "111111111111", "s").is_ok());
        let err = check_account(&one, "222222222222", "prod").unwrap_err();
        assert!(err.contains("account 222222222222"), "{err}");
        assert!(
            err.contains("stack `prod` belongs to account 111111111111"),
            "{err}"
        );
        let two = vec!["111111111111".to_string(), "333333333333".to_string()];
        assert!(check_account(&two, "333333333333", "s").is_ok());
        let err = check_account(&two, "222222222222", "s").unwrap_err();
        assert!(err.contains("accounts 111111111111, 333333333333"), "{err}");
    }

    #[test]
    fn pool_ids_name_their_region() {
        assert_eq!(region_of_pool_id("eu-west-1_AbC123"), Some("eu-west-1"));
        assert_eq!(region_of_pool_id("us-gov-west-1_x"), Some("us-gov-west-1"));
        assert_eq!(region_of_pool_id("user_pools"), None);
        assert_eq!(region_of_pool_id("eu-west-1_"), None);
        assert_eq!(region_of_pool_id("nounderscore"), None);
    }
}
