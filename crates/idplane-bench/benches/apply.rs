//! Bench of a whole run against the local AWS emulator (through the real AWS provider and each
//! account's fault proxy): observe, plan, apply and re-plan of the seed-000 example stack and of
//! a synthetic stack of 50 objects, each applied to an empty account. Prints the wall time of each
//! phase and the AWS calls counted by the proxy (per phase and, for apply, per operation), with
//! and without 50 ms of added latency per call, at parallelism 1 and 4. First, seed 000 side by
//! side with the seed's own AWS CLI script (`scripts/seed-000-aws-cli.sh`, see
//! `apply/side_by_side.rs`), with no added latency and 20 ms, and where idplane's apply time goes
//! (`apply/breakdown.rs`). `IDPLANE_BENCH_APPLY=side-by-side` or `=runs` runs one part.
//!
//! Without `--bench` (as `cargo test --all-targets` runs it) it applies seed 000 once and asserts
//! that the apply succeeds, the re-plan is empty and the proxy counted calls, and runs the AWS
//! CLI script once, asserting that it succeeds and that idplane's plan afterwards only adopts.
//! It fails when `aws` is not on the `PATH`.

// The bench's modules live in `benches/apply/` (a file directly in `benches/` would be a bench
// target of its own).
#[path = "apply/breakdown.rs"]
mod breakdown;
#[path = "apply/side_by_side.rs"]
mod side_by_side;
#[path = "apply/timed.rs"]
mod timed;

use aws_sdk_ssoadmin as sso;
use idplane_aws::AwsProvider;
use idplane_aws::pacing::CategoryStats;
use idplane_bench::{Shape, Stats, bench_mode, ms, synthetic_desired, table};
use idplane_executor::{ApplyOptions, Event, apply};
use idplane_model::{Action, Desired, ObserveRequest, Plan, Provider};
use idplane_planner::PlanOptions;
use idplane_testkit::{Account, Emulator, Fault, FaultRule};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use timed::Timed;

/// The stacks applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stack {
    /// `examples/seed-000-cognito-tti/stack.yaml`.
    Seed000,
    /// Five pools, each with four clients and five groups (50 objects).
    Synthetic,
}

const SYNTHETIC: Shape = Shape {
    pools: 5,
    clients: 4,
    idps: 0,
    groups: 5,
};

impl Stack {
    fn name(self) -> &'static str {
        match self {
            Stack::Seed000 => "seed-000",
            Stack::Synthetic => "synthetic",
        }
    }
}

/// One configuration of a run.
#[derive(Clone, Copy, Debug)]
struct Setup {
    stack: Stack,
    parallelism: usize,
    latency: Duration,
    /// The provider's client-side pacing to the documented request quotas (on in the CLI).
    pacing: bool,
    /// The pause before the first status read of a user pool domain being set up.
    settle_poll: Duration,
    /// `apply --serialized`: no look for a concurrent apply's twins.
    serialized: bool,
    /// `apply --no-wait`: a new domain is not waited for.
    no_wait: bool,
    /// `--quota` from `IDPLANE_BENCH_QUOTA` (an account whose quotas were raised), when set.
    quotas: bool,
}

impl Setup {
    /// The apply bench's usual setup: a 50 ms first settle poll.
    fn new(stack: Stack, parallelism: usize, latency: Duration, pacing: bool) -> Setup {
        Setup {
            stack,
            parallelism,
            latency,
            pacing,
            settle_poll: Duration::from_millis(50),
            serialized: false,
            no_wait: false,
            quotas: false,
        }
    }

    /// What `idplane apply` does: pacing on, the default parallelism and settle poll.
    fn cli(stack: Stack, latency: Duration) -> Setup {
        let d = ApplyOptions::default();
        Setup {
            stack,
            parallelism: d.parallelism,
            latency,
            pacing: true,
            settle_poll: d.settle_poll,
            serialized: !d.twin_checks,
            no_wait: !d.wait_for_background,
            quotas: false,
        }
    }

    /// `idplane apply --serialized --no-wait`: the CLI's defaults without the two waits (and
    /// with `IDPLANE_BENCH_QUOTA`'s `--quota`, when set).
    fn cli_without_waits(stack: Stack, latency: Duration) -> Setup {
        Setup {
            serialized: true,
            no_wait: true,
            quotas: true,
            ..Setup::cli(stack, latency)
        }
    }
}

/// `IDPLANE_BENCH_QUOTA` (as `--quota`: `sso-admin=40,UserPoolRead=30`): the rates of an
/// account whose quotas were raised, for the "no waits" runs of the side by side; empty when
/// unset.
fn bench_quotas() -> Vec<(&'static str, f64)> {
    std::env::var("IDPLANE_BENCH_QUOTA")
        .unwrap_or_default()
        .split(',')
        .filter(|q| !q.trim().is_empty())
        .map(|q| {
            idplane_aws::pacing::parse_quota(q.trim())
                .unwrap_or_else(|e| panic!("IDPLANE_BENCH_QUOTA: {e}"))
        })
        .collect()
}

/// One change of an apply: when it ran (from the apply's start) and what it waited for.
#[derive(Clone, Debug)]
struct ChangeTime {
    address: String,
    level: usize,
    /// A create of a kind AWS lets share a name: the executor looks for twins at the end of
    /// the level, 750 ms after its last create (`crates/idplane-executor/src/race.rs`), and
    /// reports the change done only then.
    twin_recheck: bool,
    start: Duration,
    end: Duration,
    /// Time in provider calls (client-side pacing plus AWS) and their number.
    in_provider: Duration,
    provider_calls: usize,
    /// `Waiting` events: status reads of an object AWS sets up in the background.
    settle_polls: usize,
}

impl ChangeTime {
    fn took(&self) -> Duration {
        self.end.saturating_sub(self.start)
    }

    /// The change's time outside provider calls: the executor's pauses (settle polls, the
    /// twin recheck) and its own bookkeeping.
    fn paused(&self) -> Duration {
        self.took().saturating_sub(self.in_provider)
    }
}

/// What one run measured.
#[derive(Clone, Debug)]
struct Run {
    objects: usize,
    observe: Duration,
    plan: Duration,
    apply: Duration,
    replan: Duration,
    observe_calls: u64,
    apply_calls: u64,
    replan_calls: u64,
    observe_ops: BTreeMap<String, u64>,
    apply_ops: BTreeMap<String, u64>,
    /// Every change of the apply, in the order they started.
    changes: Vec<ChangeTime>,
    /// Client-side pacing during the apply, per quota category: calls, time waiting for
    /// pacing and for AWS (sums over calls that ran at the same time).
    pacing: BTreeMap<&'static str, CategoryStats>,
}

impl Run {
    /// Wall time of each change during apply (from its `Started` event to its end), by address.
    fn change_times(&self) -> BTreeMap<String, Duration> {
        self.changes
            .iter()
            .map(|c| (c.address.clone(), c.took()))
            .collect()
    }

    /// From nothing to applied: observe, plan and apply.
    fn to_applied(&self) -> Duration {
        self.observe + self.plan + self.apply
    }
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
        .join("stack.yaml")
}

/// The IAM Identity Center SAML metadata URL both sides give the pool's SAML provider.
const SAML_METADATA_URL: &str =
    "https://portal.sso.us-east-1.amazonaws.com/saml/metadata/EXAMPLEMETADATAID";

/// A stand-in for the console-made SAML application seed 000 references by ARN (the API cannot
/// make the real one); made before anything is timed.
async fn saml_stand_in(sdk: &aws_config::SdkConfig) -> String {
    let client = sso::Client::new(sdk);
    let instances = client
        .list_instances()
        .send()
        .await
        .unwrap_or_else(|e| panic!("ListInstances: {e:?}"));
    let instance = instances.instances()[0]
        .instance_arn()
        .expect("an instance ARN")
        .to_string();
    client
        .create_application()
        .instance_arn(instance)
        .name("DemoSAMLApplication")
        .application_provider_arn("arn:aws:sso::aws:applicationProvider/custom")
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateApplication: {e:?}"))
        .application_arn()
        .expect("an application ARN")
        .to_string()
}

/// Seed 000 with its variables: the domain prefix (unique per region), the SAML application's
/// ARN, and the account allowed to exchange tokens (the account itself, as the seed's script
/// has it from `sts get-caller-identity`).
fn seed000_desired(domain_prefix: &str, saml_application_arn: &str, account_id: &str) -> Desired {
    let vars = [
        ("domain_prefix", domain_prefix),
        ("saml_application_arn", saml_application_arn),
        ("account_id", account_id),
        ("sso_saml_metadata_url", SAML_METADATA_URL),
    ];
    let opts = idplane_spec::LoadOptions {
        vars: vars
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        var_files: vec![],
        resolve_secrets: true,
    };
    let loaded = idplane_spec::load(&[example("seed-000-cognito-tti")], &opts);
    let text = idplane_spec::render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    loaded
        .desired
        .unwrap_or_else(|| panic!("seed 000 does not load:\n{text}"))
}

/// Seed 000 for a fresh `account`.
async fn seed000(account: &Account, sdk: &aws_config::SdkConfig) -> Desired {
    let saml = saml_stand_in(sdk).await;
    seed000_desired(&format!("bench-{}", account.id()), &saml, account.id())
}

async fn observe_and_plan(
    provider: &dyn Provider,
    desired: &Desired,
) -> (Duration, Duration, Plan) {
    let started = Instant::now();
    let observed = provider
        .observe(&ObserveRequest::from_desired(desired))
        .await
        .unwrap_or_else(|e| panic!("observe failed: {e}"));
    let observe = started.elapsed();
    let started = Instant::now();
    let plan = idplane_planner::plan(desired, &observed, &PlanOptions::default())
        .unwrap_or_else(|e| panic!("plan failed: {e:?}"));
    (observe, started.elapsed(), plan)
}

fn pending(plan: &Plan) -> String {
    plan.changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| format!("{} {:?}", c.address, c.action))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the events of one change said: start, end (from the apply's start), settle polls.
type Mark = (Duration, Option<Duration>, usize);

/// Applies the stack to a fresh, empty account and measures each phase.
async fn run(setup: Setup) -> Run {
    let account = Emulator::shared().account();
    let sdk = account.sdk_config().await;
    let provider = AwsProvider::from_sdk_config(&sdk);
    let quotas = if setup.quotas {
        bench_quotas()
    } else {
        Vec::new()
    };
    let provider = if !setup.pacing {
        provider.without_pacing()
    } else if !quotas.is_empty() {
        provider.with_rates(quotas, None)
    } else {
        provider
    };
    let desired = match setup.stack {
        Stack::Seed000 => seed000(&account, &sdk).await,
        Stack::Synthetic => synthetic_desired(&format!("bench{}", account.id()), SYNTHETIC),
    };
    let proxy = account.proxy();
    if !setup.latency.is_zero() {
        proxy.set_rules(vec![FaultRule::always(Fault::Latency(setup.latency))]);
    }

    proxy.reset_counts();
    let (observe, plan_time, plan) = observe_and_plan(&provider, &desired).await;
    let observe_calls = proxy.total_calls();
    let observe_ops = proxy.call_counts();
    let objects = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .count();
    assert!(
        objects > 0,
        "{}: an empty account has work",
        setup.stack.name()
    );

    proxy.reset_counts();
    let opts = ApplyOptions {
        parallelism: setup.parallelism,
        settle_poll: setup.settle_poll,
        twin_checks: !setup.serialized,
        observed_just_before: setup.serialized,
        wait_for_background: !setup.no_wait,
        ..ApplyOptions::default()
    };
    let pacing_before = provider.pacing_stats();
    let timed = Timed::new(&provider);
    let started = Instant::now();
    let marks: Mutex<BTreeMap<String, Mark>> = Mutex::new(BTreeMap::new());
    let on_event = |e: Event| {
        let mut m = marks.lock().unwrap_or_else(|p| p.into_inner());
        let now = started.elapsed();
        match e {
            Event::Started { address, .. } => {
                m.insert(address.to_string(), (now, None, 0));
            }
            Event::Waiting { address, .. } => {
                if let Some(e) = m.get_mut(&address.to_string()) {
                    e.2 += 1;
                }
            }
            Event::Succeeded { address, .. }
            | Event::LeftSettling { address, .. }
            | Event::Skipped { address, .. }
            | Event::Failed { address, .. } => {
                if let Some(e) = m.get_mut(&address.to_string()) {
                    e.1 = Some(now);
                }
            }
            _ => {}
        }
    };
    let report = apply(&plan, &timed, &opts, &on_event).await;
    let apply_time = started.elapsed();
    assert!(report.is_success(), "apply failed: {report:#?}");
    let apply_calls = proxy.total_calls();
    let apply_ops = proxy.call_counts();
    let pacing = pacing_delta(&pacing_before, &provider.pacing_stats());
    let in_provider = timed.by_address();
    let mut changes: Vec<ChangeTime> = marks
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .filter_map(|(address, (start, end, settle_polls))| {
            let change = plan
                .changes
                .iter()
                .find(|c| c.address.to_string() == address)?;
            let (in_provider, provider_calls) =
                in_provider.get(&address).copied().unwrap_or_default();
            Some(ChangeTime {
                level: change.level,
                twin_recheck: change.action == Action::Create
                    && !change.kind.unique_in_cloud()
                    && !setup.serialized,
                address,
                start,
                end: end?,
                in_provider,
                provider_calls,
                settle_polls,
            })
        })
        .collect();
    changes.sort_by_key(|c| c.start);

    proxy.reset_counts();
    let started = Instant::now();
    let (_, _, again) = observe_and_plan(&provider, &desired).await;
    let replan = started.elapsed();
    let replan_calls = proxy.total_calls();
    assert!(
        !again.has_changes(),
        "{}: the plan after apply is not empty:\n{}",
        setup.stack.name(),
        pending(&again)
    );
    proxy.clear_rules();
    Run {
        objects,
        observe,
        plan: plan_time,
        apply: apply_time,
        replan,
        observe_calls,
        apply_calls,
        replan_calls,
        observe_ops,
        apply_ops,
        changes,
        pacing,
    }
}

/// Pacing stats of the calls made between `before` and `after`.
fn pacing_delta(
    before: &BTreeMap<&'static str, CategoryStats>,
    after: &BTreeMap<&'static str, CategoryStats>,
) -> BTreeMap<&'static str, CategoryStats> {
    after
        .iter()
        .map(|(cat, a)| {
            let b = before.get(cat).cloned().unwrap_or_default();
            let d = CategoryStats {
                rate: a.rate,
                calls: a.calls - b.calls,
                throttled: a.throttled - b.throttled,
                waiting_for_pacing: a.waiting_for_pacing.saturating_sub(b.waiting_for_pacing),
                waiting_for_aws: a.waiting_for_aws.saturating_sub(b.waiting_for_aws),
            };
            (*cat, d)
        })
        .filter(|(_, d)| d.calls > 0)
        .collect()
}

fn median(runs: &[Run], f: impl Fn(&Run) -> Duration) -> String {
    let samples: Vec<Duration> = runs.iter().map(f).collect();
    ms(Stats::of(&samples).expect("runs > 0").median)
}

fn sanity(rt: &tokio::runtime::Runtime) {
    // The AWS CLI first: a missing `aws` fails here, before anything else runs.
    let version = side_by_side::aws_cli_version();
    let r = rt.block_on(run(Setup::cli(Stack::Seed000, Duration::ZERO)));
    assert!(r.observe_calls > 0, "observe made AWS calls: {r:?}");
    assert!(r.apply_calls > 0, "apply made AWS calls: {r:?}");
    assert!(r.replan_calls > 0, "re-plan made AWS calls: {r:?}");
    assert_eq!(
        r.changes.len(),
        r.objects,
        "every change started and ended: {:?}",
        r.changes
    );
    assert_eq!(
        r.apply_ops.get("CreateUserPool"),
        Some(&1),
        "one pool created: {:?}",
        r.apply_ops
    );
    assert_eq!(
        r.apply_ops.values().sum::<u64>(),
        r.apply_calls,
        "per-operation counts add up"
    );
    // Asserts that the script succeeded and made what the stack declares.
    let cli = rt.block_on(side_by_side::cli_run(Duration::ZERO));
    println!(
        "{}",
        side_by_side::report(
            &version,
            &[side_by_side::Side {
                latency: Duration::ZERO,
                cli: vec![cli],
                ours: vec![r.clone()],
                without_waits: Vec::new(),
            }]
        )
    );
    println!("{}", breakdown::report(&r, "sanity run"));
    println!(
        "apply bench: sanity run passed ({} changes, {} apply calls; use `cargo bench` for numbers)",
        r.objects, r.apply_calls
    );
}

/// Seed 000 side by side with its AWS CLI script, `runs` times each (alternating, so that the
/// machine's load hits both alike), with no added latency and with 20 ms per call.
fn side_by_side_bench(rt: &tokio::runtime::Runtime, runs: usize) {
    let version = side_by_side::aws_cli_version();
    let mut sides = Vec::new();
    for latency in [Duration::ZERO, Duration::from_millis(20)] {
        let mut side = side_by_side::Side {
            latency,
            cli: Vec::new(),
            ours: Vec::new(),
            without_waits: Vec::new(),
        };
        for _ in 0..runs {
            side.cli.push(rt.block_on(side_by_side::cli_run(latency)));
            side.ours
                .push(rt.block_on(run(Setup::cli(Stack::Seed000, latency))));
            let fast = Setup::cli_without_waits(Stack::Seed000, latency);
            side.without_waits.push(rt.block_on(run(fast)));
        }
        sides.push(side);
    }
    println!("{}", side_by_side::report(&version, &sides));
    for side_by_side::Side {
        latency,
        ours,
        without_waits,
        ..
    } in &sides
    {
        for (runs, what) in [
            (ours, "defaults"),
            (without_waits, "--serialized --no-wait"),
        ] {
            let mut sorted: Vec<&Run> = runs.iter().collect();
            sorted.sort_by_key(|r| r.to_applied());
            let median = sorted[(sorted.len() - 1) / 2];
            let title = format!(
                "{what}, added latency {} ms, the median run of {}",
                latency.as_millis(),
                runs.len()
            );
            println!("{}", breakdown::report(median, &title));
        }
    }
}

fn main() {
    // Start (or fail to start) the emulator before the runtime: it panics with the reason.
    let emulator = Emulator::shared();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if !bench_mode() {
        sanity(&rt);
        return;
    }
    // `IDPLANE_BENCH_RUNS=N`: samples per row (default 3).
    let n: usize = std::env::var("IDPLANE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(3);
    // `IDPLANE_BENCH_APPLY=side-by-side` or `=runs` for one part only.
    let parts = std::env::var("IDPLANE_BENCH_APPLY").unwrap_or_default();
    let part = |name: &str| parts.is_empty() || parts.split(',').any(|p| p.trim() == name);
    if part("side-by-side") {
        side_by_side_bench(&rt, n);
    }
    if !part("runs") {
        return;
    }
    let latency = Duration::from_millis(50);
    let mut rows = Vec::new();
    let mut ops: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut slowest: Vec<Vec<String>> = Vec::new();
    for stack in [Stack::Seed000, Stack::Synthetic] {
        for (pacing, parallelism, delay) in [
            (true, 1, Duration::ZERO),
            (true, 4, Duration::ZERO),
            (true, 1, latency),
            (true, 4, latency),
            (false, 1, Duration::ZERO),
            (false, 4, Duration::ZERO),
            (false, 1, latency),
            (false, 4, latency),
        ] {
            let setup = Setup::new(stack, parallelism, delay, pacing);
            let runs: Vec<Run> = (0..n).map(|_| rt.block_on(run(setup))).collect();
            let first = &runs[0];
            rows.push(vec![
                stack.name().to_string(),
                first.objects.to_string(),
                parallelism.to_string(),
                format!("{}", delay.as_millis()),
                if pacing { "on" } else { "off" }.to_string(),
                median(&runs, |r| r.observe),
                median(&runs, |r| r.plan),
                median(&runs, |r| r.apply),
                median(&runs, |r| r.replan),
                format!(
                    "{}/{}/{}",
                    first.observe_calls, first.apply_calls, first.replan_calls
                ),
            ]);
            if pacing && delay.is_zero() {
                ops.insert(
                    format!("{} p{parallelism}", stack.name()),
                    first.apply_ops.clone(),
                );
            }
            if parallelism == 4 && delay.is_zero() {
                let times = first.change_times();
                let mut slow: Vec<(&String, &Duration)> = times.iter().collect();
                slow.sort_by(|a, b| b.1.cmp(a.1));
                let pacing = if pacing { "on" } else { "off" };
                for (address, d) in slow.into_iter().take(4) {
                    slowest.push(vec![
                        stack.name().to_string(),
                        pacing.to_string(),
                        address.clone(),
                        ms(*d),
                    ]);
                }
            }
        }
    }
    println!(
        "emulator start: {} ms; each row: median of {n} runs, each on a fresh empty account\n\n{}",
        emulator.startup_time().as_millis(),
        table(
            &[
                "stack",
                "changes",
                "parallelism",
                "latency ms",
                "pacing",
                "observe ms",
                "plan ms",
                "apply ms",
                "re-plan ms",
                "calls obs/apply/re-plan",
            ],
            &rows
        )
    );
    let names: Vec<&str> = ops.keys().map(String::as_str).collect();
    let mut all: Vec<&String> = ops.values().flat_map(|m| m.keys()).collect();
    all.sort();
    all.dedup();
    let mut op_rows: Vec<Vec<String>> = all
        .iter()
        .map(|op| {
            let mut row = vec![op.to_string()];
            for n in &names {
                row.push(ops[*n].get(*op).copied().unwrap_or(0).to_string());
            }
            row
        })
        .collect();
    let mut total = vec!["total".to_string()];
    for n in &names {
        total.push(ops[*n].values().sum::<u64>().to_string());
    }
    op_rows.push(total);
    let mut header = vec!["AWS calls during apply (pacing on, no added latency)"];
    header.extend(names.iter().copied());
    println!("{}", table(&header, &op_rows));
    println!(
        "slowest changes (parallelism 4, no added latency; first run)\n\n{}",
        table(&["stack", "pacing", "change", "ms"], &slowest)
    );
}
