//! Seed 000 side by side: the seed's own AWS CLI script (`scripts/seed-000-aws-cli.sh`, run by
//! `bash` with the AWS CLI of the test tools venv first on the `PATH`) on a fresh emulator
//! account, timed from nothing to done, and then idplane's plan of the same stack on that
//! account (the script's pool pinned, as `idplane export` would write it), which must adopt
//! what the script made: no create, replace
//! or delete. The idplane side of the comparison is [`super::run`] on another fresh account.

use super::{Run, SAML_METADATA_URL, observe_and_plan, saml_stand_in, seed000_desired};
use idplane_aws::AwsProvider;
use idplane_bench::{Stats, ms, table};
use idplane_model::{Action, Address};
use idplane_testkit::{Emulator, Fault, FaultRule};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// What one run of the AWS CLI script measured.
#[derive(Clone, Debug)]
pub struct CliRun {
    /// From starting the script to its exit.
    pub wall: Duration,
    /// Requests the account's proxy counted (one per `aws` invocation, CLI retries included).
    pub calls: u64,
    pub ops: BTreeMap<String, u64>,
    /// Changes of idplane's plan of the stack afterwards, other than no-ops: address, action,
    /// and the paths of the fields that differ.
    pub replan: Vec<(String, Action, Vec<String>)>,
}

impl CliRun {
    /// The plan's changes that would mean the script made something else than the stack:
    /// creates, replaces and deletes.
    pub fn different(&self) -> Vec<String> {
        self.replan
            .iter()
            .filter(|(_, a, _)| !matches!(a, Action::Adopt | Action::Update | Action::NoOp))
            .map(|(addr, a, _)| format!("{addr} {a:?}"))
            .collect()
    }

    /// Updates the plan makes: fields the script left different from the stack.
    pub fn updates(&self) -> Vec<String> {
        self.replan
            .iter()
            .filter(|(_, a, _)| *a == Action::Update)
            .map(|(addr, _, fields)| format!("{addr} ({})", fields.join(", ")))
            .collect()
    }

    /// The plan's changes by action, `adopt 3, update 1`.
    pub fn replan_summary(&self) -> String {
        let mut by: BTreeMap<String, usize> = BTreeMap::new();
        for (_, a, _) in &self.replan {
            *by.entry(format!("{a:?}").to_lowercase()).or_default() += 1;
        }
        if by.is_empty() {
            return "no changes".into();
        }
        by.iter()
            .map(|(a, n)| format!("{a} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/seed-000-aws-cli.sh")
}

/// The directory holding the pinned AWS CLI: the test tools venv's `bin`, which
/// `tests/tools/setup.sh` builds when it is missing or stale (`awscli` is pinned in
/// `tests/tools/requirements.txt`), so the side-by-side needs nothing installed by hand.
///
/// # Panics
/// When the venv cannot be built: the side-by-side is part of the bench, it fails rather than
/// skips.
fn aws_cli_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let setup = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/tools/setup.sh");
        let out = Command::new("bash")
            .arg(&setup)
            .stderr(std::process::Stdio::inherit())
            .output()
            .unwrap_or_else(|e| panic!("cannot run bash {}: {e}", setup.display()));
        assert!(
            out.status.success(),
            "{} failed ({}): the seed-000 side-by-side needs the AWS CLI it installs",
            setup.display(),
            out.status
        );
        let venv = String::from_utf8_lossy(&out.stdout).trim().to_string();
        PathBuf::from(venv).join("bin")
    })
}

/// The `PATH` the script runs with: the pinned AWS CLI first.
fn path_with_aws_cli() -> std::ffi::OsString {
    let mut dirs = vec![aws_cli_dir().to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).expect("PATH entries join")
}

/// The AWS CLI's version line.
///
/// # Panics
/// When `aws` cannot be run: the side-by-side is part of the bench, it fails rather than skips.
pub fn aws_cli_version() -> String {
    let aws = aws_cli_dir().join("aws");
    let out = Command::new(&aws).arg("--version").output();
    match out {
        Ok(o) if o.status.success() => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            text.trim().to_string()
        }
        Ok(o) => panic!(
            "`{} --version` failed ({}): {}; the seed-000 side-by-side needs the AWS CLI \
             that tests/tools/setup.sh installs",
            aws.display(),
            o.status,
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!(
            "cannot run {} ({e}); the seed-000 side-by-side needs the AWS CLI that \
             tests/tools/setup.sh installs",
            aws.display()
        ),
    }
}

/// Runs the script on a fresh account behind `latency` per call, then plans the stack there.
///
/// # Panics
/// When the script fails, did not create exactly one user pool, or idplane's plan afterwards
/// would create, replace or delete anything (the two did not make the same objects).
pub async fn cli_run(latency: Duration) -> CliRun {
    let account = Emulator::shared().account();
    let sdk = account.sdk_config().await;
    // Made in the console in the seed: outside the timed part, as for idplane.
    let saml = saml_stand_in(&sdk).await;
    let prefix = format!("cli-{}", account.id());
    let proxy = account.proxy();
    if !latency.is_zero() {
        proxy.set_rules(vec![FaultRule::always(Fault::Latency(latency))]);
    }
    proxy.reset_counts();
    let mut cmd = Command::new("bash");
    cmd.arg(script())
        .envs(account.env())
        .env("PATH", path_with_aws_cli())
        // The machine's AWS configuration stays out of it: only the account's environment.
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .env("DOMAIN_PREFIX", &prefix)
        .env("SAML_APPLICATION_ARN", &saml)
        .env("SAML_METADATA_URL", SAML_METADATA_URL);
    let started = Instant::now();
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run bash {}: {e}", script().display()));
    let wall = started.elapsed();
    let calls = proxy.total_calls();
    let ops = proxy.call_counts();
    proxy.clear_rules();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the seed-000 AWS CLI script failed ({}):\n{}\n{}",
        out.status,
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    let made: BTreeMap<&str, &str> = stdout.lines().filter_map(|l| l.split_once('=')).collect();
    let pool_id = made
        .get("user_pool_id")
        .unwrap_or_else(|| panic!("the script printed no user_pool_id:\n{stdout}"));

    let mut desired = seed000_desired(&prefix, &saml, account.id());
    let pool = Address::parse("user_pools.blog").expect("a valid address");
    desired
        .resources
        .get_mut(&pool)
        .expect("seed 000 has user_pools.blog")
        .pinned_id = Some(pool_id.to_string());
    let provider = AwsProvider::from_sdk_config(&sdk);
    let (_, _, plan) = observe_and_plan(&provider, &desired).await;
    let replan: Vec<(String, Action, Vec<String>)> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| {
            let fields = c.diffs.iter().map(|d| d.path.clone()).collect();
            (c.address.to_string(), c.action, fields)
        })
        .collect();
    let run = CliRun {
        wall,
        calls,
        ops,
        replan,
    };
    assert_eq!(
        run.ops.get("CreateUserPool"),
        Some(&1),
        "the script created one pool: {:?}",
        run.ops
    );
    assert!(
        run.different().is_empty(),
        "idplane's plan after the AWS CLI script would create, replace or delete: {:?}",
        run.different()
    );
    run
}

fn median(samples: impl Iterator<Item = Duration>) -> Duration {
    let s: Vec<Duration> = samples.collect();
    Stats::of(&s).expect("runs > 0").median
}

/// The machine's load average (1, 5, 15 minutes), for the report.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The runs at one added latency.
pub struct Side {
    pub latency: Duration,
    /// The AWS CLI script.
    pub cli: Vec<CliRun>,
    /// idplane with `idplane apply`'s defaults.
    pub ours: Vec<Run>,
    /// idplane with `apply --serialized --no-wait`: no look for a concurrent apply's twins,
    /// no wait for the new domain to become ACTIVE; may be empty.
    pub without_waits: Vec<Run>,
}

/// The side-by-side tables: per added latency, medians of the AWS CLI script's and idplane's
/// walls, their ratio and the AWS calls of both; then the calls per operation (first runs).
pub fn report(version: &str, sides: &[Side]) -> String {
    let mut rows = Vec::new();
    for Side {
        latency,
        cli,
        ours,
        without_waits,
    } in sides
    {
        let cli_wall = median(cli.iter().map(|r| r.wall));
        let our_wall = median(ours.iter().map(Run::to_applied));
        let (fast, fast_ratio) = if without_waits.is_empty() {
            ("-".to_string(), "-".to_string())
        } else {
            let w = median(without_waits.iter().map(Run::to_applied));
            (
                ms(w),
                format!("{:.2}", cli_wall.as_secs_f64() / w.as_secs_f64()),
            )
        };
        rows.push(vec![
            latency.as_millis().to_string(),
            format!("{}/{}/{}", cli.len(), ours.len(), without_waits.len()),
            ms(cli_wall),
            cli[0].calls.to_string(),
            ms(our_wall),
            format!("{}+{}", ours[0].observe_calls, ours[0].apply_calls),
            format!("{:.2}", cli_wall.as_secs_f64() / our_wall.as_secs_f64()),
            fast,
            fast_ratio,
            cli[0].replan_summary(),
        ]);
    }
    let mut out = format!(
        "seed 000 side by side: the seed's AWS CLI script (scripts/seed-000-aws-cli.sh, {version}) \
         against idplane's observe + plan + apply with `idplane apply`'s defaults (pacing on, \
         parallelism 4, first settle poll {} ms; \"no waits\": the same with `--serialized \
         --no-wait`, no look for a concurrent apply's twins, none for an earlier run's objects \
         before the creates and no wait for the new domain{}), each run on a fresh account of \
         one emulator; load average now {}\n\n",
        idplane_executor::ApplyOptions::default()
            .settle_poll
            .as_millis(),
        match std::env::var("IDPLANE_BENCH_QUOTA") {
            Ok(q) if !q.trim().is_empty() =>
                format!(", and `--quota {}` (IDPLANE_BENCH_QUOTA)", q.trim()),
            _ => String::new(),
        },
        load_average()
    );
    out.push_str(&table(
        &[
            "latency ms",
            "runs cli/idplane/no waits",
            "AWS CLI ms",
            "AWS CLI calls",
            "idplane ms",
            "idplane calls obs+apply",
            "CLI / idplane",
            "idplane, no waits ms",
            "CLI / that",
            "idplane plan after the script",
        ],
        &rows,
    ));
    if let Some(side) = sides.first() {
        let (cli, ours) = (&side.cli[0], &side.ours[0]);
        let fast = side.without_waits.first();
        let none = BTreeMap::new();
        let fast_ops = fast.map_or(&none, |r| &r.apply_ops);
        let mut all: Vec<&String> = cli
            .ops
            .keys()
            .chain(ours.observe_ops.keys())
            .chain(ours.apply_ops.keys())
            .collect();
        all.sort();
        all.dedup();
        let n = |m: &BTreeMap<String, u64>, op: &str| m.get(op).copied().unwrap_or(0).to_string();
        let mut op_rows: Vec<Vec<String>> = all
            .iter()
            .map(|op| {
                vec![
                    op.to_string(),
                    n(&cli.ops, op),
                    n(&ours.observe_ops, op),
                    n(&ours.apply_ops, op),
                    n(fast_ops, op),
                ]
            })
            .collect();
        op_rows.push(vec![
            "total".into(),
            cli.calls.to_string(),
            ours.observe_calls.to_string(),
            ours.apply_calls.to_string(),
            fast.map_or("-".into(), |r| r.apply_calls.to_string()),
        ]);
        out.push('\n');
        out.push_str(&table(
            &[
                "AWS calls per operation (first runs)",
                "AWS CLI",
                "idplane observe",
                "idplane apply",
                "idplane apply, no waits",
            ],
            &op_rows,
        ));
        let updates = cli.updates();
        let different = cli.different();
        out.push_str(&format!(
            "\nidplane's plan of the stack after the script (its pool pinned): {} ({}); fields it \
             would update: {}; creates, replaces, deletes: {}\n",
            cli.replan_summary(),
            cli.replan
                .iter()
                .map(|(addr, a, _)| format!("{addr} {}", format!("{a:?}").to_lowercase()))
                .collect::<Vec<_>>()
                .join(", "),
            if updates.is_empty() {
                "none".into()
            } else {
                updates.join("; ")
            },
            if different.is_empty() {
                "none".into()
            } else {
                different.join("; ")
            },
        ));
    }
    out
}
