//! Commands that make no AWS call: validate, schema, completions, --version, argument errors.

use crate::support::{Env, examples, root};

#[test]
fn every_example_validates_clean() {
    let examples = examples();
    assert!(
        examples.len() >= 4,
        "expected the four example stacks, found {examples:?}"
    );
    for example in examples {
        let run = Env::default().run(&["validate", &example]).expect(0);
        assert!(run.stdout.is_empty(), "validate prints nothing on stdout");
        assert!(
            run.stderr.contains("is valid"),
            "{example}: one-line summary on stderr: {}",
            run.stderr
        );
    }
}

#[test]
fn an_invalid_spec_fails_with_located_messages() {
    let dir = tempdir();
    let file = dir.join("bad.yaml");
    std::fs::write(
        &file,
        "version: 1\nstack: bad\nregion: us-east-1\nuser_pools:\n  blog:\n    name: Blog\n    colour: blue\n",
    )
    .unwrap();
    let run = Env::default()
        .run(&["validate", file.to_str().unwrap()])
        .expect(1);
    assert!(run.stdout.is_empty(), "diagnostics go to stderr");
    assert!(
        run.stderr.contains("bad.yaml:7:5"),
        "file:line:col of the unknown key: {}",
        run.stderr
    );
    assert!(run.stderr.contains("colour"), "{}", run.stderr);
}

#[test]
fn a_missing_file_is_an_error() {
    let run = Env::default()
        .run(&["validate", "no/such/stack.yaml"])
        .expect(1);
    assert!(run.stderr.contains("no/such/stack.yaml"), "{}", run.stderr);
}

#[test]
fn schema_equals_the_committed_file() {
    let run = Env::default().run(&["schema"]).expect(0);
    let committed = std::fs::read_to_string(root().join("specs/idplane.schema.json"))
        .expect("specs/idplane.schema.json is committed");
    assert_eq!(
        run.stdout, committed,
        "stale schema: run `idplane schema > specs/idplane.schema.json`"
    );
    let parsed: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(parsed.get("properties").is_some() || parsed.get("$defs").is_some());
}

#[test]
fn version_and_completions() {
    let run = Env::default().run(&["--version"]).expect(0);
    let line = run.stdout.trim();
    let prefix = format!("idplane {} (commit ", env!("CARGO_PKG_VERSION"));
    let rest = line
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{line}"));
    let (commit, target) = rest
        .strip_suffix(')')
        .and_then(|r| r.split_once(", "))
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{line}"
    );
    // The target triple of this build (tests and binary are built for the same one).
    assert!(target.split('-').count() >= 3, "{line}");
    assert!(target.starts_with(std::env::consts::ARCH), "{line}");
    let run = Env::default().run(&["completions", "bash"]).expect(0);
    assert!(
        run.stdout.contains("_idplane"),
        "a bash completion function"
    );
    assert!(run.stdout.contains("sp-metadata"));
}

#[test]
fn argument_errors_exit_1_not_2() {
    // clap's own usage errors exit 2, which would read as "changes"/"drift" in CI scripts.
    let run = Env::default().run(&["plan", "--format", "yaml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("yaml"));
    let run = Env::default().run(&["no-such-command"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn help_lists_every_command() {
    let run = Env::default().run(&["--help"]).expect(0);
    for cmd in [
        "validate",
        "schema",
        "plan",
        "apply",
        "drift",
        "verify",
        "export",
        "sp-metadata",
        "iam-policy",
        "completions",
    ] {
        assert!(run.stdout.contains(cmd), "--help lists {cmd}");
    }
    for flag in [
        "--profile",
        "--region",
        "--endpoint-url",
        "--verbose",
        "--quiet",
        "--no-color",
    ] {
        assert!(run.stdout.contains(flag), "--help lists {flag}");
    }
}

#[test]
fn command_help_lists_its_own_options_then_the_global_ones_then_examples() {
    for cmd in [
        "validate",
        "plan",
        "apply",
        "drift",
        "verify",
        "export",
        "sp-metadata",
        "iam-policy",
    ] {
        let run = Env::default().run(&[cmd, "--help"]).expect(0);
        let out = &run.stdout;
        let own = out.find("\nOptions:").expect("own options");
        let global = out
            .find("\nGlobal options:")
            .expect("global options heading");
        let examples = out.find("\nExamples:").expect("examples");
        assert!(
            own < global && global < examples,
            "{cmd} --help order:\n{out}"
        );
        let global_part = &out[global..examples];
        assert!(global_part.contains("--profile") && global_part.contains("--endpoint-url"));
        assert!(
            !out[own..global].contains("--profile"),
            "{cmd}: --profile among its own"
        );
        assert!(
            out[examples..].contains(&format!("idplane {cmd}")),
            "{cmd}: an example of itself"
        );
    }
}

/// A fresh temporary directory (under the target dir's tmp, removed at the next run).
pub fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
