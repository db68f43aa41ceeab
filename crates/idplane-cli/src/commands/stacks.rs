//! `idplane stacks`: lists the stacks under directories (path, stack, region, accounts), one
//! line each or as JSON to feed a CI matrix. No AWS call; variables are not needed.

use crate::cli::{Format, StacksArgs};
use crate::exit::Outcome;
use std::path::PathBuf;

pub fn exec(args: &StacksArgs) -> anyhow::Result<Outcome> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    if let Some(p) = paths.iter().find(|p| !p.is_dir()) {
        anyhow::bail!("{} is not a directory", p.display());
    }
    let dirs = crate::fleet::discover(&paths)?.unwrap_or(paths);
    let rows: Vec<serde_json::Value> = dirs
        .iter()
        .map(|d| {
            let h = idplane_spec::header::read_header(d);
            serde_json::json!({
                "path": d.display().to_string(),
                "stack": h.stack,
                "region": h.region,
                "accounts": h.accounts,
            })
        })
        .collect();
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&rows).expect("JSON of plain values")
        ),
        Format::Text | Format::Markdown => {
            let markdown = args.format == Format::Markdown;
            if markdown {
                println!("| path | stack | region | accounts |\n|---|---|---|---|");
            }
            for r in &rows {
                let s = |k: &str| r[k].as_str().unwrap_or("-").to_string();
                let accounts: Vec<&str> = r["accounts"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                    .unwrap_or_default();
                let accounts = if accounts.is_empty() {
                    "-".to_string()
                } else {
                    accounts.join(",")
                };
                let cells = [s("path"), s("stack"), s("region"), accounts];
                if markdown {
                    println!("| {} |", cells.join(" | "));
                } else {
                    println!("{}", cells.join("\t"));
                }
            }
        }
    }
    Ok(Outcome::Success)
}
