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
    let errors = loaded
        .diagnostics
        .iter()
        .filter(|d| matches!(d.severity, idplane_spec::Severity::Error))
        .count();
    let warnings = loaded.diagnostics.len() - errors;
    match (&loaded.desired, errors) {
        (Some(desired), 0) => {
            eprintln!(
                "ok: stack `{}` is valid ({} resource(s), {warnings} warning(s))",
                desired.stack,
                desired.resources.len()
            );
            Ok(Outcome::Success)
        }
        _ => {
            eprintln!("error: {errors} error(s), {warnings} warning(s)");
            Err(Reported.into())
        }
    }
}

/// `idplane schema`: the JSON Schema of the spec language on stdout.
pub fn schema() -> anyhow::Result<Outcome> {
    print!("{}", idplane_spec::json_schema());
    Ok(Outcome::Success)
}
