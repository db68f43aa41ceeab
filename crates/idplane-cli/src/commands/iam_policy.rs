//! `idplane iam-policy`: the least-privilege IAM policy document a role needs to plan (read-only),
//! apply or verify a spec, from the provider's per-kind action table. No AWS call.

use crate::cli::{GlobalArgs, IamPolicyArgs, PolicyPurpose};
use crate::context::{self, SpecInputs};
use crate::exit::Outcome;
use idplane_aws::iam::{Purpose, policy};
use std::collections::BTreeSet;

pub fn exec(global: &GlobalArgs, args: &IamPolicyArgs) -> anyhow::Result<Outcome> {
    let desired = context::load_spec(global, &SpecInputs::from_args(&args.spec), false)?;
    let kinds: BTreeSet<_> = desired.resources.values().map(|r| r.kind).collect();
    let region = global
        .region
        .clone()
        .unwrap_or_else(|| desired.region.clone());
    let purpose = match args.purpose {
        PolicyPurpose::Plan => Purpose::Plan,
        PolicyPurpose::Apply => Purpose::Apply,
        PolicyPurpose::Verify => Purpose::Verify,
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&policy(&kinds, &region, purpose))?
    );
    Ok(Outcome::Success)
}
