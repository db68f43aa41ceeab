//! Bench of the pure planner on synthetic stacks of growing size: an empty plan (live state
//! equal to the desired state) and an all-create plan (empty account). Prints median / p95 wall
//! time and resources planned per second.
//!
//! Without `--bench` (as `cargo test --all-targets` runs it) it plans one tiny stack each way and
//! asserts the plans are what they must be.

use idplane_bench::{Shape, Stats, bench_mode, ms, synthetic_desired, synthetic_observed, table};
use idplane_model::{Action, Observed};
use idplane_planner::PlanOptions;
use std::time::{Duration, Instant};

const STACK: &str = "bench";

/// Which live state the planner faces.
#[derive(Clone, Copy)]
enum Case {
    /// Everything exists as declared: every change is a no-op.
    Unchanged,
    /// Nothing exists: every change is a create.
    AllCreates,
}

impl Case {
    fn name(self) -> &'static str {
        match self {
            Case::Unchanged => "unchanged",
            Case::AllCreates => "all creates",
        }
    }
}

/// Plans the shape `runs` times; checks every plan and returns the timings.
fn measure(shape: Shape, case: Case, runs: usize) -> Vec<Duration> {
    let desired = synthetic_desired(STACK, shape);
    let observed = match case {
        Case::Unchanged => synthetic_observed(STACK, shape),
        Case::AllCreates => Observed::default(),
    };
    let opts = PlanOptions::default();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let plan = idplane_planner::plan(&desired, &observed, &opts)
            .unwrap_or_else(|e| panic!("plan failed: {e:?}"));
        times.push(started.elapsed());
        let (want, counted) = match case {
            Case::Unchanged => (Action::NoOp, plan.summary.unchanged),
            Case::AllCreates => (Action::Create, plan.summary.add),
        };
        assert_eq!(
            counted,
            shape.resources(),
            "{}: every resource is {want:?}",
            case.name()
        );
        assert!(plan.changes.iter().all(|c| c.action == want));
        std::hint::black_box(plan);
    }
    times
}

fn main() {
    if !bench_mode() {
        let tiny = Shape {
            pools: 1,
            clients: 2,
            idps: 1,
            groups: 1,
        };
        for case in [Case::Unchanged, Case::AllCreates] {
            let t = measure(tiny, case, 1);
            assert_eq!(t.len(), 1);
        }
        println!("plan bench: sanity run passed (use `cargo bench` for numbers)");
        return;
    }
    let shapes = [1, 10, 50].map(|pools| Shape {
        pools,
        clients: 20,
        idps: 5,
        groups: 5,
    });
    let mut rows = Vec::new();
    for shape in shapes {
        for case in [Case::Unchanged, Case::AllCreates] {
            // Fewer runs for the big stacks keep the whole bench near a minute in a debug build.
            let runs = match shape.pools {
                1 => 200,
                10 => 50,
                _ => 20,
            };
            measure(shape, case, 2); // warm-up
            let times = measure(shape, case, runs);
            let s = Stats::of(&times).expect("runs > 0");
            let per_sec = shape.resources() as f64 / s.median.as_secs_f64();
            rows.push(vec![
                format!("{} pools", shape.pools),
                shape.resources().to_string(),
                case.name().to_string(),
                s.runs.to_string(),
                ms(s.median),
                ms(s.p95),
                ms(s.max),
                format!("{per_sec:.0}"),
            ]);
        }
    }
    println!(
        "planner: pools x (20 clients, 5 SAML IdPs, 5 groups), wall time per plan\n\n{}",
        table(
            &[
                "stack",
                "resources",
                "live state",
                "runs",
                "median ms",
                "p95 ms",
                "max ms",
                "resources/s",
            ],
            &rows
        )
    );
}
