//! Bench of a whole run against the local AWS emulator (through the real AWS provider and each
//! account's fault proxy): observe, plan, apply and re-plan of the seed-000 example stack and of
//! a synthetic stack of 50 objects, each applied to an empty account. Prints the wall time of each
//! phase and the AWS calls counted by the proxy (per phase and, for apply, per operation), with
//! and without 50 ms of added latency per call, at parallelism 1 and 4.
//!
//! Without `--bench` (as `cargo test --all-targets` runs it) it applies seed 000 once and asserts
//! that the apply succeeds, the re-plan is empty and the proxy counted calls.

use aws_sdk_ssoadmin as sso;
use idplane_aws::AwsProvider;
use idplane_bench::{Shape, Stats, bench_mode, ms, synthetic_desired, table};
use idplane_executor::{ApplyOptions, Event, apply};
use idplane_model::{Action, Desired, ObserveRequest, Plan, Provider};
use idplane_planner::PlanOptions;
use idplane_testkit::{Account, Emulator, Fault, FaultRule};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
    apply_ops: BTreeMap<String, u64>,
    /// Wall time of each change during apply (from its `Started` event to its end), by address.
    change_times: BTreeMap<String, Duration>,
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
        .join("stack.yaml")
}

/// Seed 000 for `account`: a unique domain prefix, and a stand-in for the console-made SAML
/// application the stack references by ARN (the API cannot make the real one).
async fn seed000(account: &Account, sdk: &aws_config::SdkConfig) -> Desired {
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
    let app = client
        .create_application()
        .instance_arn(instance)
        .name("DemoSAMLApplication")
        .application_provider_arn("arn:aws:sso::aws:applicationProvider/custom")
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateApplication: {e:?}"))
        .application_arn()
        .expect("an application ARN")
        .to_string();
    let vars = [
        (
            "domain_prefix".to_string(),
            format!("bench-{}", account.id()),
        ),
        ("saml_application_arn".to_string(), app),
    ];
    let opts = idplane_spec::LoadOptions {
        vars: vars.into_iter().collect(),
        var_files: vec![],
        resolve_secrets: true,
    };
    let loaded = idplane_spec::load(&[example("seed-000-cognito-tti")], &opts);
    let text = idplane_spec::render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    loaded
        .desired
        .unwrap_or_else(|| panic!("seed 000 does not load:\n{text}"))
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

/// Applies the stack to a fresh, empty account and measures each phase.
async fn run(setup: Setup) -> Run {
    let account = Emulator::shared().account();
    let sdk = account.sdk_config().await;
    let provider = AwsProvider::from_sdk_config(&sdk);
    let provider = if setup.pacing {
        provider
    } else {
        provider.without_pacing()
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
        settle_poll: Duration::from_millis(50),
        ..ApplyOptions::default()
    };
    let started = Instant::now();
    let marks: Mutex<(BTreeMap<String, Instant>, BTreeMap<String, Duration>)> =
        Mutex::new(Default::default());
    let on_event = |e: Event| {
        let mut m = marks.lock().unwrap_or_else(|p| p.into_inner());
        match e {
            Event::Started { address, .. } => {
                m.0.insert(address.to_string(), Instant::now());
            }
            Event::Succeeded { address, .. }
            | Event::Skipped { address, .. }
            | Event::Failed { address, .. } => {
                let key = address.to_string();
                if let Some(t) = m.0.get(&key).copied() {
                    m.1.insert(key, t.elapsed());
                }
            }
            _ => {}
        }
    };
    let report = apply(&plan, &provider, &opts, &on_event).await;
    let apply_time = started.elapsed();
    let change_times = marks.into_inner().unwrap_or_else(|p| p.into_inner()).1;
    assert!(report.is_success(), "apply failed: {report:#?}");
    let apply_calls = proxy.total_calls();
    let apply_ops = proxy.call_counts();

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
        apply_ops,
        change_times,
    }
}

fn median(runs: &[Run], f: impl Fn(&Run) -> Duration) -> String {
    let samples: Vec<Duration> = runs.iter().map(f).collect();
    ms(Stats::of(&samples).expect("runs > 0").median)
}

fn sanity(rt: &tokio::runtime::Runtime) {
    let r = rt.block_on(run(Setup {
        stack: Stack::Seed000,
        parallelism: 4,
        latency: Duration::ZERO,
        pacing: true,
    }));
    assert!(r.observe_calls > 0, "observe made AWS calls: {r:?}");
    assert!(r.apply_calls > 0, "apply made AWS calls: {r:?}");
    assert!(r.replan_calls > 0, "re-plan made AWS calls: {r:?}");
    assert_eq!(
        r.change_times.len(),
        r.objects,
        "every change started and ended: {:?}",
        r.change_times
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
    println!(
        "apply bench: sanity run passed ({} changes, {} apply calls; use `cargo bench` for numbers)",
        r.objects, r.apply_calls
    );
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
    const RUNS: usize = 3;
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
            let setup = Setup {
                stack,
                parallelism,
                latency: delay,
                pacing,
            };
            let runs: Vec<Run> = (0..RUNS).map(|_| rt.block_on(run(setup))).collect();
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
                let mut slow: Vec<(&String, &Duration)> = first.change_times.iter().collect();
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
        "emulator start: {} ms; each row: median of {RUNS} runs, each on a fresh empty account\n\n{}",
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
