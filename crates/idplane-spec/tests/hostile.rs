//! Hostile inputs: files that are not regular files (a FIFO that would block forever, a device
//! that never ends) wherever the spec names a file, thousands of diagnostics, and secrets
//! written inline, which no diagnostic may echo.

use idplane_spec::{LoadOptions, Loaded, load, render_diagnostics};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Loads on another thread and fails the test when loading has not finished in time (a FIFO
/// opened for reading blocks until a writer comes, which never happens here).
fn load_within(paths: Vec<PathBuf>, opts: LoadOptions, limit: Duration) -> Loaded {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(load(&paths, &opts));
    });
    rx.recv_timeout(limit)
        .expect("loading hung: a hostile file was opened or read without bound")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn messages(l: &Loaded) -> String {
    l.diagnostics
        .iter()
        .map(|d| format!("{} {}:{} {}", d.code, d.file, d.line, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

const LIMIT: Duration = Duration::from_secs(2);

/// A stack whose SAML IdP reads its metadata from `metadata` and whose OIDC IdP reads its client
/// secret from `secret`.
fn stack_naming(metadata: &Path, secret: &Path) -> String {
    format!(
        r#"version: 1
stack: hostile
region: us-east-1
user_pools:
  p:
    name: P
    identity_providers:
      corp:
        saml:
          metadata_file: {}
      okta:
        oidc:
          issuer: https://example.okta.com
          client_id: abc
          client_secret: {{ file: {} }}
          scopes: [openid]
"#,
        metadata.display(),
        secret.display()
    )
}

#[test]
fn a_fifo_or_a_device_as_a_spec_file_is_refused_at_once() {
    let dir = scratch("spec");
    let fifo = dir.join("stack.yaml");
    mkfifo(&fifo);
    for path in [fifo, PathBuf::from("/dev/zero")] {
        let l = load_within(vec![path.clone()], LoadOptions::default(), LIMIT);
        let m = messages(&l);
        assert!(l.desired.is_none(), "{m}");
        assert!(
            m.contains("E002") && m.contains("not a regular file"),
            "{}: {m}",
            path.display()
        );
    }
}

#[test]
fn a_fifo_or_a_device_as_a_var_file_is_refused_at_once() {
    let dir = scratch("vars");
    let fifo = dir.join("vars.yaml");
    mkfifo(&fifo);
    let spec = dir.join("stack.yaml");
    std::fs::write(&spec, "version: 1\nstack: s\nregion: us-east-1\n").unwrap();
    for var_file in [fifo, PathBuf::from("/dev/zero")] {
        let opts = LoadOptions {
            var_files: vec![var_file.clone()],
            ..Default::default()
        };
        let l = load_within(vec![spec.clone()], opts, LIMIT);
        let m = messages(&l);
        assert!(
            m.contains("not a regular file"),
            "{}: {m}",
            var_file.display()
        );
    }
}

#[test]
fn a_fifo_or_a_device_as_metadata_or_secret_file_is_refused_at_once() {
    let dir = scratch("refs");
    let fifo = dir.join("pipe");
    mkfifo(&fifo);
    for (metadata, secret) in [
        (fifo.clone(), PathBuf::from("/dev/zero")),
        (PathBuf::from("/dev/zero"), fifo.clone()),
    ] {
        let spec = dir.join("stack.yaml");
        std::fs::write(&spec, stack_naming(&metadata, &secret)).unwrap();
        let opts = LoadOptions {
            resolve_secrets: true,
            ..Default::default()
        };
        let l = load_within(vec![spec], opts, LIMIT);
        let m = messages(&l);
        assert!(l.desired.is_none(), "{m}");
        assert!(
            m.contains("cannot read metadata file") && m.contains("not a regular file"),
            "metadata {}: {m}",
            metadata.display()
        );
        assert!(
            m.matches("not a regular file").count() >= 2,
            "the secret file too ({}): {m}",
            secret.display()
        );
    }
}

#[test]
fn thousands_of_diagnostics_print_the_first_hundred_and_a_count() {
    let mut text = String::from(
        "version: 1\nstack: s\nregion: us-east-1\nuser_pools:\n  p:\n    name: P\n    clients:\n",
    );
    for i in 0..3000 {
        text.push_str(&format!(
            "      c{i}:\n        name: C{i}\n        bogus_key: 1\n"
        ));
    }
    let dir = scratch("many");
    let spec = dir.join("stack.yaml");
    std::fs::write(&spec, text).unwrap();
    let l = load_within(vec![spec], LoadOptions::default(), Duration::from_secs(30));
    assert_eq!(l.diagnostics.len(), 3000, "one per unknown key");
    let out = render_diagnostics(&l.diagnostics, &l.sources, false);
    assert_eq!(out.matches("error[E003]").count(), idplane_spec::MAX_SHOWN);
    assert!(
        out.contains("... and 2900 more not shown"),
        "{}",
        &out[out.len() - 300..]
    );
    assert!(out.trim_end().ends_with("3000 error(s)"));
}

#[test]
fn an_inline_secret_is_masked_in_every_diagnostic_of_its_line() {
    const CANARY: &str = "canary-inline-secret-0b7f";
    // One line, two problems: the inline secret (E014) and an issuer that is not https.
    let text = format!(
        "version: 1\nstack: s\nregion: us-east-1\nuser_pools:\n  p:\n    name: P\n    identity_providers:\n      okta:\n        oidc: {{ issuer: http://example.okta.com, client_id: abc, client_secret: {CANARY}, scopes: [openid] }}\n"
    );
    let l = idplane_spec::load_str("stack.yaml", &text, &LoadOptions::default());
    let m = messages(&l);
    assert!(m.contains("E014"), "the inline secret is reported: {m}");
    assert!(
        l.diagnostics.iter().filter(|d| d.line == 9).count() >= 2,
        "two diagnostics on the secret's line: {m}"
    );
    let out = render_diagnostics(&l.diagnostics, &l.sources, false);
    assert!(!out.contains(CANARY), "{out}");
}

#[test]
fn a_huge_inline_secret_is_masked_without_quadratic_work() {
    let secret = "s".repeat(800_000);
    let text = format!(
        "version: 1\nstack: s\nregion: us-east-1\nuser_pools:\n  p:\n    name: P\n    identity_providers:\n      okta:\n        oidc:\n          issuer: https://example.okta.com\n          client_id: abc\n          client_secret: {secret}\n          scopes: [openid]\n"
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let l = idplane_spec::load_str("stack.yaml", &text, &LoadOptions::default());
        let _ = tx.send(render_diagnostics(&l.diagnostics, &l.sources, false));
    });
    let out = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("rendering an 800 KB inline secret hung");
    assert!(out.contains("E014"), "{}", &out[..out.len().min(500)]);
    assert!(!out.contains("ssssssss"), "masked");
}
