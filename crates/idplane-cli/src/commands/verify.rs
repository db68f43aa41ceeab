//! `idplane verify`: checks that the trusted identity propagation chain the spec describes holds
//! in live state, link by link (for cron): exit 0 all links hold, 2 a link is broken, 1 error.
//!
//! The checks are `idplane_verify::verify` (pure, same matching as `plan`); this command reads
//! live state and the calling account, and prints the report.

use crate::cli::{Format, GlobalArgs, VerifyArgs};
use crate::context::{self, SpecInputs};
use crate::exit::Outcome;
use anyhow::Context as _;
use idplane_verify::render;

pub async fn exec(global: &GlobalArgs, args: &VerifyArgs) -> anyhow::Result<Outcome> {
    let inputs = SpecInputs::from_args(&args.spec);
    let desired = context::load_spec(global, &inputs, false)?;
    let provider = context::provider(global, Some(&desired.region)).await?;
    let observed = context::observe(&provider, &desired).await?;
    let account = provider
        .caller_account()
        .await
        .context("cannot read the calling account")?;
    let facts = idplane_verify::Facts {
        account_id: Some(account),
    };
    let report = idplane_verify::verify(&desired, &observed, &facts)
        .map_err(|e| anyhow::anyhow!("cannot match the spec to live state: {e}"))?;
    let color = crate::output::color(global, false);
    print!(
        "{}",
        match args.format {
            Format::Text => render::text(&report, color),
            Format::Json => render::json(&report),
            Format::Markdown => render::markdown(&report),
        }
    );
    Ok(if report.has_broken() {
        Outcome::Broken
    } else {
        Outcome::Success
    })
}
