//! Saved plans (`plan --out`): the JSON plan plus what `apply --plan` needs to check that it is
//! still current (the spec inputs and planner flags, and a digest of the loaded spec).

use crate::cli::PlanFlags;
use crate::context::SpecInputs;
use anyhow::Context as _;
use idplane_model::{Desired, Plan};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The format version of saved plan files.
pub const SAVED_PLAN_VERSION: u32 = 1;

/// A saved plan file. Secrets inside appear as digest and source only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPlan {
    pub idplane_saved_plan: u32,
    /// Where the spec was loaded from (paths as given, relative to the working directory).
    pub inputs: SpecInputs,
    pub flags: PlanFlags,
    /// SHA-256 of the loaded desired state (secrets by digest).
    pub desired_digest: String,
    /// The plan, as the planner made it.
    pub plan: Plan,
}

/// A digest of the desired state (secrets count by digest, never by text).
pub fn desired_digest(desired: &Desired) -> String {
    let json = serde_json::to_string(desired).expect("desired state serializes");
    format!("sha256:{}", hex::encode(Sha256::digest(json.as_bytes())))
}

impl SavedPlan {
    pub fn new(inputs: SpecInputs, flags: PlanFlags, desired: &Desired, plan: Plan) -> Self {
        SavedPlan {
            idplane_saved_plan: SAVED_PLAN_VERSION,
            inputs,
            flags,
            desired_digest: desired_digest(desired),
            plan,
        }
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let mut text = serde_json::to_string_pretty(self).context("cannot serialize the plan")?;
        text.push('\n');
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
    }

    pub fn read(path: &Path) -> anyhow::Result<Self> {
        // A plan of thousands of changes is a few MiB; anything far larger is not a plan.
        let text = idplane_model::files::read_text(path, 256 * 1024 * 1024)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let saved: SavedPlan = serde_json::from_str(&text)
            .with_context(|| format!("{} is not an idplane saved plan", path.display()))?;
        anyhow::ensure!(
            saved.idplane_saved_plan == SAVED_PLAN_VERSION,
            "{} is a saved plan of format {}, this idplane reads format {SAVED_PLAN_VERSION}",
            path.display(),
            saved.idplane_saved_plan
        );
        Ok(saved)
    }
}

/// The addresses whose planned change differs between a saved plan and a fresh one, with what
/// differs, for the stale-plan message.
fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).expect("plans serialize")
}

pub fn stale_changes(saved: &Plan, fresh: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for c in &saved.changes {
        match fresh.change(&c.address) {
            None => out.push(format!("{}: no longer in the plan", c.address)),
            Some(f) if f.action != c.action => out.push(format!(
                "{}: was {:?}, now {:?}",
                c.address, c.action, f.action
            )),
            // Compared in their file form: a saved plan holds no secret digest, so a secret
            // compares by where it is read from; a secret whose text changed shows as a new
            // attribute difference of the fresh plan.
            Some(f) if json(&f.before) != json(&c.before) => {
                out.push(format!("{}: live state changed since the plan", c.address))
            }
            Some(f) if json(f) != json(c) => {
                out.push(format!("{}: the planned change differs", c.address))
            }
            Some(_) => {}
        }
    }
    for f in &fresh.changes {
        if saved.change(&f.address).is_none() {
            out.push(format!("{}: new in the plan ({:?})", f.address, f.action));
        }
    }
    out
}
