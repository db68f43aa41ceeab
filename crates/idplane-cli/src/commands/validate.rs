//! `idplane validate`: loads and checks spec files without calling AWS; `idplane schema`.

use crate::cli::{GlobalArgs, ValidateArgs};
use crate::exit::{Outcome, Reported};

pub fn exec(global: &GlobalArgs, args: &ValidateArgs) -> anyhow::Result<Outcome> {
    let paths = args.spec.paths_or_cwd();
    let opts = idplane_spec::LoadOptions {
        vars: args.spec.vars.iter().cloned().collect(),
        var_files: args.spec.var_files.clone(),
        resolve_secrets: false,
    };
    let loaded = idplane_spec::load(&paths, &opts);
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
    // The rendered diagnostics end with their own count; only the verdict is added here.
    match &loaded.desired {
        // `desired` is there only when no diagnostic is an error: the rest are warnings.
        Some(desired) => {
            eprintln!(
                "ok: stack `{}` is valid ({} resource(s), {} warning(s))",
                desired.stack,
                desired.resources.len(),
                loaded.diagnostics.len()
            );
            Ok(Outcome::Success)
        }
        _ => {
            eprintln!("error: the spec is not valid");
            Err(Reported.into())
        }
    }
}

/// `idplane schema`: the JSON Schema of the spec language on stdout.
pub fn schema() -> anyhow::Result<Outcome> {
    print!("{}", idplane_spec::json_schema());
    Ok(Outcome::Success)
}
