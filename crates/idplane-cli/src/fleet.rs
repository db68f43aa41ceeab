//! Several stacks in one run: finds the stacks under the given directories, runs one child
//! `idplane` process per stack (at most `--jobs` at once), then prints one section per stack and a
//! combined summary; the exit code is the worst of the stacks'.
//!
//! A directory is a stack when one of its `*.yaml`/`*.yml` files has a top-level `stack:` key.
//! A directory holding no YAML file of its own stands for the stacks below it (searched
//! recursively, hidden directories skipped, a stack's own subdirectories not searched). Each
//! child is an ordinary one-stack run, so the account guard, the region and every safety rail
//! apply per stack exactly as they do alone.

use crate::cli::{ApplySpeed, Format, GlobalArgs, PlanFlags, SpecArgs};
use crate::exit::{Outcome, Reported};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How deep below a given directory stacks are searched for.
const MAX_DEPTH: usize = 6;

/// The stacks the path arguments name when they name several (or a directory of stacks);
/// `None` when this is a one-stack run as before (files, or one stack directory).
pub fn discover(paths: &[PathBuf]) -> anyhow::Result<Option<Vec<PathBuf>>> {
    if paths.is_empty() || paths.iter().any(|p| !p.is_dir()) {
        return Ok(None);
    }
    let mut stacks = Vec::new();
    let mut expanded = false;
    for dir in paths {
        if !idplane_spec::header::yaml_files(dir).is_empty() {
            stacks.push(dir.clone());
            continue;
        }
        expanded = true;
        let before = stacks.len();
        search(dir, 0, &mut stacks);
        if stacks.len() == before {
            anyhow::bail!(
                "{} holds no stack: no `*.yaml` file with a top-level `stack:` key in it or below it",
                dir.display()
            );
        }
    }
    stacks.dedup();
    Ok((expanded || stacks.len() > 1).then_some(stacks))
}

/// Whether the directory's YAML files name a stack (a top-level `stack:` key).
fn is_stack_dir(dir: &Path) -> bool {
    idplane_spec::header::read_header(dir).stack.is_some()
}

fn search(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        if is_stack_dir(&sub) {
            out.push(sub);
        } else {
            search(&sub, depth + 1, out);
        }
    }
}

/// What one fleet run does per stack.
pub enum Job<'a> {
    Plan {
        flags: &'a PlanFlags,
        format: Format,
        detailed_exitcode: bool,
    },
    Apply {
        flags: &'a PlanFlags,
        parallelism: u16,
        speed: ApplySpeed,
    },
    Drift {
        format: Format,
    },
    /// Static chain checks and certificate health (no exchange: it needs a user per stack).
    Verify {
        format: Format,
        warn_days: Option<u32>,
        /// `--sample N`: pool users read per stack for the identity coverage.
        sample: usize,
    },
}

impl Job<'_> {
    fn command(&self) -> &'static str {
        match self {
            Job::Plan { .. } => "plan",
            Job::Apply { .. } => "apply",
            Job::Drift { .. } => "drift",
            Job::Verify { .. } => "verify",
        }
    }

    fn format(&self) -> Format {
        match self {
            Job::Plan { format, .. } | Job::Drift { format } | Job::Verify { format, .. } => {
                *format
            }
            Job::Apply { .. } => Format::Text,
        }
    }

    /// What exit code 2 of a child means for this command.
    fn found(&self) -> &'static str {
        match self {
            Job::Plan { .. } => "changes",
            Job::Apply { .. } => "error",
            Job::Drift { .. } => "drift",
            Job::Verify { .. } => "broken",
        }
    }

    /// The child's arguments after the command and the stack path.
    fn args(&self, spec: &SpecArgs, global: &GlobalArgs) -> Vec<String> {
        let mut a = Vec::new();
        for (k, v) in &spec.vars {
            a.push(format!("--var={k}={v}"));
        }
        for f in &spec.var_files {
            a.push(format!("--var-file={}", f.display()));
        }
        let flags = match self {
            Job::Plan { flags, .. } | Job::Apply { flags, .. } => Some(*flags),
            Job::Drift { .. } | Job::Verify { .. } => None,
        };
        if let Some(flags) = flags {
            for t in &flags.targets {
                a.push(format!("--target={t}"));
            }
            for (on, name) in [
                (flags.allow_replace_user_pools, "--allow-replace-user-pools"),
                (flags.allow_delete_user_pools, "--allow-delete-user-pools"),
                (flags.allow_mass_delete, "--allow-mass-delete"),
            ] {
                if on {
                    a.push(name.to_string());
                }
            }
        }
        match self {
            // Always detailed: the summary needs to know which stacks have changes.
            Job::Plan { format, .. } => {
                a.push(format!("--format={}", format_name(*format)));
                a.push("--detailed-exitcode".into());
            }
            Job::Apply {
                parallelism, speed, ..
            } => {
                a.push("--auto-approve".into());
                a.push(format!("--parallelism={parallelism}"));
                if speed.no_wait {
                    a.push("--no-wait".into());
                }
                if speed.serialized {
                    a.push("--serialized".into());
                }
            }
            Job::Drift { format } => a.push(format!("--format={}", format_name(*format))),
            Job::Verify {
                format,
                warn_days,
                sample,
            } => {
                a.push(format!("--format={}", format_name(*format)));
                if let Some(days) = warn_days {
                    a.push(format!("--warn-days={days}"));
                }
                a.push(format!("--sample={sample}"));
            }
        }
        if let Some(p) = &global.profile {
            a.push(format!("--profile={p}"));
        }
        if let Some(r) = &global.region {
            a.push(format!("--region={r}"));
        }
        if let Some(r) = &global.assume_role {
            a.push(format!("--assume-role={r}"));
        }
        if let Some(e) = &global.endpoint_url {
            a.push(format!("--endpoint-url={e}"));
        }
        if let Some(r) = global.max_rps {
            a.push(format!("--max-rps={r}"));
        }
        for (category, r) in global.quotas() {
            a.push(format!("--quota={category}={r}"));
        }
        if global.verbose > 0 {
            a.push(format!("-{}", "v".repeat(global.verbose as usize)));
        }
        if global.quiet {
            a.push("--quiet".into());
        }
        // Child output is captured, never a terminal: colour only when this run has it.
        if global.no_color || !crate::output::color(global, false) {
            a.push("--no-color".into());
        }
        a
    }
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Text => "text",
        Format::Json => "json",
        Format::Markdown => "markdown",
    }
}

/// The result of one stack's child run.
struct StackRun {
    path: PathBuf,
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl StackRun {
    fn result(&self, job: &Job) -> &'static str {
        match self.code {
            0 => match job {
                Job::Plan { .. } => "no changes",
                Job::Apply { .. } => "applied",
                Job::Drift { .. } => "clean",
                Job::Verify { .. } => "holds",
            },
            2 => job.found(),
            _ => "error",
        }
    }
}

/// Runs `job` for every stack, `jobs` at a time; prints the sections and the summary.
pub async fn run(
    global: &GlobalArgs,
    spec: &SpecArgs,
    stacks: Vec<PathBuf>,
    job: Job<'_>,
    jobs: u16,
) -> anyhow::Result<Outcome> {
    let exe = std::env::current_exe()
        .map_err(|e| anyhow::anyhow!("cannot find the idplane binary to run each stack: {e}"))?;
    let child_args = job.args(spec, global);
    let limit = Arc::new(tokio::sync::Semaphore::new(usize::from(jobs.max(1))));
    let total = stacks.len();
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut handles = Vec::new();
    for path in stacks {
        let limit = limit.clone();
        let done = done.clone();
        let mut cmd = tokio::process::Command::new(&exe);
        cmd.arg(job.command()).arg(&path).args(&child_args);
        cmd.stdin(std::process::Stdio::null());
        cmd.kill_on_drop(true);
        let quiet = global.quiet;
        handles.push(tokio::spawn(async move {
            let _permit = limit.acquire_owned().await.expect("semaphore open");
            let started = Instant::now();
            let out = cmd.output().await;
            let elapsed = started.elapsed();
            let run = match out {
                Ok(o) => StackRun {
                    path,
                    code: o.status.code().unwrap_or(1),
                    stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
                    stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
                    elapsed,
                },
                Err(e) => StackRun {
                    path,
                    code: 1,
                    stdout: String::new(),
                    stderr: format!("error: cannot run idplane for this stack: {e}\n"),
                    elapsed,
                },
            };
            let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            if !quiet {
                eprintln!(
                    "[{n}/{total}] {} exited {} after {:.1} s",
                    run.path.display(),
                    run.code,
                    run.elapsed.as_secs_f64()
                );
            }
            run
        }));
    }
    let mut runs = Vec::new();
    for h in handles {
        runs.push(
            h.await
                .map_err(|e| anyhow::anyhow!("a stack run panicked: {e}"))?,
        );
    }
    print!("{}", render(&job, &runs));
    let worst = runs.iter().map(|r| r.code).fold(0, |w, c| match (w, c) {
        (1, _) | (_, 1) => 1,
        (2, _) | (_, 2) => 2,
        (0, 0) => 0,
        _ => 1,
    });
    match worst {
        0 => Ok(Outcome::Success),
        2 => Ok(match job {
            Job::Plan {
                detailed_exitcode: true,
                ..
            } => Outcome::Changes,
            Job::Plan { .. } => Outcome::Success,
            Job::Drift { .. } => Outcome::Drift,
            Job::Verify { .. } => Outcome::Broken,
            Job::Apply { .. } => return Err(Reported.into()),
        }),
        _ => Err(Reported.into()),
    }
}

fn render(job: &Job, runs: &[StackRun]) -> String {
    match job.format() {
        Format::Json => render_json(job, runs),
        Format::Text => render_text(job, runs),
        Format::Markdown => render_markdown(job, runs),
    }
}

/// Counts of results, in a fixed order, for the summary line.
fn tally(job: &Job, runs: &[StackRun]) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for r in runs {
        let k = r.result(job);
        match counts.iter_mut().find(|(name, _)| *name == k) {
            Some((_, n)) => *n += 1,
            None => counts.push((k, 1)),
        }
    }
    counts.sort_by_key(|(k, _)| *k);
    counts
}

fn summary_line(job: &Job, runs: &[StackRun]) -> String {
    let parts: Vec<String> = tally(job, runs)
        .into_iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    format!(
        "{} stacks, {}: {}",
        runs.len(),
        job.command(),
        parts.join(", ")
    )
}

fn render_text(job: &Job, runs: &[StackRun]) -> String {
    let mut out = String::new();
    for r in runs {
        out.push_str(&format!(
            "=== {} ({}) ===\n",
            r.path.display(),
            r.result(job)
        ));
        out.push_str(&r.stdout);
        if !r.stdout.is_empty() && !r.stdout.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&r.stderr);
        if !r.stderr.is_empty() && !r.stderr.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&format!("Summary: {}\n", summary_line(job, runs)));
    let width = runs
        .iter()
        .map(|r| r.path.display().to_string().len())
        .max()
        .unwrap_or(0);
    for r in runs {
        out.push_str(&format!(
            "  {:width$}  {:<10}  exit {}  {:.1} s\n",
            r.path.display().to_string(),
            r.result(job),
            r.code,
            r.elapsed.as_secs_f64()
        ));
    }
    out
}

fn render_markdown(job: &Job, runs: &[StackRun]) -> String {
    let mut out = format!(
        "# idplane {}: {}\n\n| stack | result | exit |\n|---|---|---|\n",
        job.command(),
        summary_line(job, runs)
    );
    for r in runs {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.path.display(),
            r.result(job),
            r.code
        ));
    }
    for r in runs {
        out.push_str(&format!(
            "\n## `{}` ({})\n\n",
            r.path.display(),
            r.result(job)
        ));
        out.push_str(&r.stdout);
        if !r.stderr.trim().is_empty() {
            out.push_str("\n```text\n");
            out.push_str(r.stderr.trim_end());
            out.push_str("\n```\n");
        }
    }
    out
}

fn render_json(job: &Job, runs: &[StackRun]) -> String {
    let stacks: Vec<serde_json::Value> = runs
        .iter()
        .map(|r| {
            serde_json::json!({
                "path": r.path.display().to_string(),
                "result": r.result(job),
                "exit_code": r.code,
                "elapsed_ms": r.elapsed.as_millis() as u64,
                // The stack's own JSON document, as `idplane COMMAND --format json` prints it.
                "output": serde_json::from_str::<serde_json::Value>(&r.stdout).ok(),
                "stderr": r.stderr,
            })
        })
        .collect();
    let summary: serde_json::Map<String, serde_json::Value> = tally(job, runs)
        .into_iter()
        .map(|(k, n)| (k.to_string(), n.into()))
        .collect();
    let doc = serde_json::json!({
        "format_version": 1,
        "command": job.command(),
        "summary": summary,
        "stacks": stacks,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).expect("JSON of plain values")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "idplane-fleet-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        for (path, body) in [
            ("a/stack.yaml", "version: 1\nstack: a\n"),
            ("b/nested/stack.yml", "version: 1\nstack: b\n"),
            ("b/nested/deeper/stack.yaml", "stack: not-searched\n"),
            ("ci/workflow.yml", "on: push\n"),
            (".hidden/stack.yaml", "stack: hidden\n"),
        ] {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
        dir
    }

    #[test]
    fn a_directory_of_stacks_expands_to_its_stacks() {
        let root = tree();
        let found = discover(std::slice::from_ref(&root)).unwrap().unwrap();
        assert_eq!(found, vec![root.join("a"), root.join("b/nested")]);
    }

    #[test]
    fn one_stack_directory_or_files_stay_a_one_stack_run() {
        let root = tree();
        assert_eq!(discover(&[root.join("a")]).unwrap(), None);
        assert_eq!(discover(&[root.join("a/stack.yaml")]).unwrap(), None);
        assert_eq!(
            discover(&[root.join("a"), root.join("b/nested")]).unwrap(),
            Some(vec![root.join("a"), root.join("b/nested")])
        );
        let empty = root.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let err = discover(&[empty]).unwrap_err().to_string();
        assert!(err.contains("holds no stack"), "{err}");
    }

    /// A fleet's children pace to the same rates as the run that started them.
    #[test]
    fn children_get_the_quotas_and_the_ceiling() {
        use clap::Parser;
        let global = GlobalArgs {
            max_rps: Some(30.0),
            quota: vec![
                crate::cli::Quota(Some(("sso-admin", 50.0))),
                crate::cli::Quota(None),
                crate::cli::Quota(Some(("UserPoolRead", 7.5))),
            ],
            ..GlobalArgs::default()
        };
        let job = Job::Drift {
            format: Format::Text,
        };
        let args = job.args(&SpecArgs::default(), &global);
        let argv = ["idplane", "drift", "stack"]
            .into_iter()
            .map(String::from)
            .chain(args);
        let parsed = crate::cli::Cli::try_parse_from(argv).expect("the child's arguments parse");
        assert_eq!(parsed.global.quotas(), global.quotas());
        assert_eq!(parsed.global.quotas().len(), 2);
        assert_eq!(parsed.global.max_rps, Some(30.0));
    }

    #[test]
    fn the_worst_exit_code_wins_and_the_summary_counts_results() {
        let job = Job::Drift {
            format: Format::Text,
        };
        let run = |p: &str, code| StackRun {
            path: PathBuf::from(p),
            code,
            stdout: String::new(),
            stderr: String::new(),
            elapsed: Duration::ZERO,
        };
        let runs = vec![run("x", 0), run("y", 2), run("z", 0)];
        assert_eq!(
            summary_line(&job, &runs),
            "3 stacks, drift: 2 clean, 1 drift"
        );
        let text = render_text(&job, &runs);
        assert!(text.contains("=== y (drift) ==="), "{text}");
    }
}
