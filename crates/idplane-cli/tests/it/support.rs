//! Running the built `idplane` binary from the workspace root with a clean environment, and
//! filters that make its output stable for snapshots.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (commands run there, so spec paths in output are relative).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Both streams, for assertions about "anywhere in the output".
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

/// Environment for one run: AWS settings (none by default) and extra variables.
#[derive(Clone, Debug, Default)]
pub struct Env {
    pub vars: Vec<(String, String)>,
}

impl Env {
    /// Settings that route AWS calls to an emulator account.
    pub fn aws(endpoint: &str, access_key: &str) -> Env {
        Env {
            vars: vec![
                ("AWS_ENDPOINT_URL".into(), endpoint.into()),
                ("AWS_ACCESS_KEY_ID".into(), access_key.into()),
                (
                    "AWS_SECRET_ACCESS_KEY".into(),
                    "idplane-testkit-secret".into(),
                ),
                ("AWS_REGION".into(), "us-east-1".into()),
            ],
        }
    }

    pub fn with(mut self, k: &str, v: &str) -> Env {
        self.vars.push((k.into(), v.into()));
        self
    }

    /// Starts `idplane ARGS` without waiting (stdin empty, output discarded): for tests that
    /// kill it or run several at once.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        let mut cmd = self.command(args);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd.spawn().expect("the idplane binary starts")
    }

    /// Runs `idplane ARGS` from the workspace root, stdin from `input` (never a terminal).
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Run {
        let mut cmd = self.command(args);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("the idplane binary starts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .ok();
        let out = child.wait_with_output().expect("idplane finishes");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The command for `idplane ARGS` in this environment, from the workspace root.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_idplane"));
        cmd.args(args).current_dir(root());
        for (k, _) in std::env::vars() {
            if k.starts_with("AWS_") || k == "RUST_LOG" {
                cmd.env_remove(k);
            }
        }
        // No shared config or credentials files of the machine.
        cmd.env("AWS_CONFIG_FILE", "/nonexistent/idplane-test-config")
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/idplane-test-credentials",
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("NO_COLOR", "1");
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_input(args, "")
    }
}

/// Insta filters for ids, ARNs, account ids and times.
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"\b[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+", "[POOL_ID]"),
        (r"arn:aws:[a-z-]+:[a-z0-9-]*:\d{12}:[^\s\x22,)]+", "[ARN]"),
        (r"arn:aws:sso::\d{12}:[^\s\x22,)]+", "[ARN]"),
        (r"arn:aws:sso:::[^\s\x22,)]+", "[ARN]"),
        (r"\b\d{12}\b", "[ACCOUNT]"),
        (r"\b[0-9a-z]{26}\b", "[CLIENT_ID]"),
        (r"us-east-1:[0-9a-f-]{36}", "[IDENTITY_POOL_ID]"),
        (
            r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
            "[UUID]",
        ),
        (r"\d+(\.\d+)?m?s\b", "[DURATION]"),
    ]
}

/// The example stacks of the repository (`examples/*/stack.yaml`), relative to the root.
pub fn examples() -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root().join("examples")).expect("examples/ exists") {
        let path = entry.expect("dir entry").path();
        if path.join("stack.yaml").is_file() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            found.push(format!("examples/{name}/stack.yaml"));
        }
    }
    found.sort();
    found
}
