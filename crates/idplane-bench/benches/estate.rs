//! Bench of issue 15's estate against the local AWS emulator behind the latency proxy: a
//! generated spec of 20 user pools (each with a domain, 10 clients, 3 SAML IdPs, 2 resource
//! servers, 5 groups), 10 trusted token issuers and 40 applications (each with a jwt-bearer
//! grant, 5 access scopes, an IAM authentication method and assignment configuration): about 810
//! objects, and multiples of it (`IDPLANE_BENCH_SCALES=1,2,4`; trusted token issuers stay at 10,
//! AWS's quota per instance). Prints for apply on an empty account, for the plan that follows
//! (nothing changed), and for the plan and apply of a revision that changes one field of most
//! objects (updates in place): AWS calls per operation, writes, the floor, the ratio to it,
//! wall and RSS.
//!
//! Without `--bench` (as `cargo test --all-targets` runs it) it applies a tiny estate once, with
//! no added latency, and asserts that the applies succeed and the plans after them are empty.

use idplane_aws::AwsProvider;
use idplane_bench::{bench_mode, table};
use idplane_executor::{ApplyOptions, apply};
use idplane_model::{Action, Desired, ObserveRequest, Plan, Provider};
use idplane_planner::PlanOptions;
use idplane_testkit::{Emulator, Fault, FaultRule};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The size of a generated estate.
#[derive(Clone, Copy, Debug)]
struct Estate {
    pools: usize,
    clients: usize,
    idps: usize,
    resource_servers: usize,
    groups: usize,
    issuers: usize,
    applications: usize,
    scopes: usize,
}

impl Estate {
    /// Issue 15's estate times `scale` (issuers capped at 10, the quota of one instance).
    fn issue15(scale: usize) -> Estate {
        Estate {
            pools: 20 * scale,
            clients: 10,
            idps: 3,
            resource_servers: 2,
            groups: 5,
            issuers: 10,
            applications: 40 * scale,
            scopes: 5,
        }
    }

    fn objects(&self) -> usize {
        self.pools * (2 + self.clients + self.idps + self.resource_servers + self.groups)
            + self.issuers
            + self.applications * (4 + self.scopes)
    }

    /// How many objects [`Estate::spec`]'s revision changes a field of: every group, client,
    /// resource server, identity provider and application.
    fn revised(&self) -> usize {
        self.pools * (self.groups + self.clients + self.resource_servers + self.idps)
            + self.applications
    }

    /// The spec, as a person would write it; `revised`: with one field of
    /// [`Estate::revised`]'s objects changed (a description, a callback URL, a name, an
    /// attribute mapping), each an update in place.
    fn spec(&self, stack: &str, prefix: &str, revised: bool) -> String {
        let v = if revised { " v2" } else { "" };
        let path = if revised { "cb2" } else { "cb" };
        let claim = if revised { "NameID" } else { "Subject" };
        let mut s = format!("version: 1\nstack: {stack}\nregion: us-east-1\nuser_pools:\n");
        for p in 0..self.pools {
            let _ = write!(
                s,
                "  p{p}:\n    name: pool-{p}\n    domain: {{ prefix: \"{prefix}-p{p}\" }}\n    identity_providers:\n"
            );
            for i in 0..self.idps {
                let _ = write!(
                    s,
                    "      Idp{i}:\n        saml: {{ metadata_url: \"https://idp{i}.example.com/p{p}/metadata.xml\" }}\n        attribute_mapping: {{ email: {claim} }}\n"
                );
            }
            s.push_str("    resource_servers:\n");
            for r in 0..self.resource_servers {
                let _ = write!(
                    s,
                    "      rs{r}:\n        identifier: https://api{r}.p{p}.example.com\n        name: API {r}{v}\n        scopes: {{ read: Read, write: Write }}\n"
                );
            }
            s.push_str("    groups:\n");
            for g in 0..self.groups {
                let _ = writeln!(s, "      g{g}: {{ description: Group {g}{v} }}");
            }
            s.push_str("    clients:\n");
            for c in 0..self.clients {
                let _ = write!(
                    s,
                    "      c{c}:\n        name: client-{c}\n        oauth: {{ flows: [code], scopes: [openid, email], callback_urls: [\"https://c{c}.example.com/{path}\"] }}\n"
                );
            }
        }
        s.push_str("identity_center:\n  trusted_token_issuers:\n");
        for t in 0..self.issuers {
            let _ = write!(
                s,
                "    t{t}:\n      name: tti-{t}\n      oidc_jwt:\n        issuer_url: \"${{user_pools.p{}.issuer_url}}\"\n        claim_attribute_path: email\n        identity_store_attribute_path: emails.value\n",
                t % self.pools
            );
        }
        s.push_str("  applications:\n");
        for a in 0..self.applications {
            let t = a % self.issuers;
            // The audience is a client of the pool the issuer trusts.
            let p = t % self.pools;
            let _ = write!(
                s,
                "    a{a}:\n      name: app-{a}\n      description: App {a}{v}\n      assignment_required: false\n      grants:\n        jwt_bearer:\n          - issuer: \"${{identity_center.trusted_token_issuers.t{t}.arn}}\"\n            audiences: [\"${{user_pools.p{p}.clients.c0.id}}\"]\n      access_scopes:\n"
            );
            for sc in 0..self.scopes {
                let _ = writeln!(s, "        - app{a}:scope{sc}");
            }
            s.push_str(
                "      authentication_methods:\n        iam:\n          actor_policy:\n            Version: \"2012-10-17\"\n            Statement:\n              - { Effect: Allow, Principal: { AWS: \"123456789012\" }, Action: \"sso-oauth:CreateTokenWithIAM\", Resource: \"*\" }\n",
            );
        }
        s
    }
}

fn load(estate: &Estate, stack: &str, prefix: &str, revised: bool) -> Desired {
    let text = estate.spec(stack, prefix, revised);
    let loaded =
        idplane_spec::load_str("estate.yaml", &text, &idplane_spec::LoadOptions::default());
    let diags = idplane_spec::render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    loaded
        .desired
        .unwrap_or_else(|| panic!("the generated estate does not load:\n{diags}"))
}

/// Peak resident set size of this process so far, in MB (Linux `VmHWM`).
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// The service of an operation as the proxy names it (the estate has no Identity Store or
/// identity pool object, so `CreateGroup` / `ListTagsForResource` are unambiguous here).
fn service(op: &str) -> &'static str {
    const SSO: [&str; 8] = [
        "Application",
        "TrustedTokenIssuer",
        "Instance",
        "ListTagsForResource",
        "TagResource",
        "UntagResource",
        "Grant",
        "AccessScope",
    ];
    if op == "GetCallerIdentity" {
        "sts"
    } else if SSO.iter().any(|s| op.contains(s)) {
        "sso"
    } else {
        "cognito-idp"
    }
}

fn is_write(op: &str) -> bool {
    ["Create", "Update", "Put", "Delete", "Tag", "Untag", "Set"]
        .iter()
        .any(|w| op.starts_with(w))
}

/// The quota floor of a run: the larger of (calls x latency / parallelism) and, per AWS quota
/// category, calls / its documented rate (the table idplane paces to,
/// `idplane_aws::pacing::category`).
fn floor(ops: &BTreeMap<String, u64>, latency: Duration, parallelism: usize) -> Duration {
    let total: u64 = ops.values().sum();
    let by_latency = latency.mul_f64(total as f64 / parallelism as f64);
    let mut per_category: BTreeMap<&str, (u64, f64)> = BTreeMap::new();
    for (op, n) in ops {
        if let Some((category, rate)) =
            idplane_aws::pacing::category(&format!("{}:{op}", service(op)))
        {
            per_category.entry(category).or_insert((0, rate)).0 += n;
        }
    }
    let by_quota = per_category
        .values()
        .map(|(n, rate)| Duration::from_secs_f64(*n as f64 / rate))
        .max()
        .unwrap_or_default();
    by_latency.max(by_quota)
}

struct Phase {
    name: String,
    /// Changes in the phase's plan (none for a plan with nothing to do).
    changes: usize,
    wall: Duration,
    ops: BTreeMap<String, u64>,
    rss_mb: f64,
}

async fn observe_and_plan(provider: &dyn Provider, desired: &Desired) -> Plan {
    let observed = provider
        .observe(&ObserveRequest::from_desired(desired))
        .await
        .unwrap_or_else(|e| panic!("observe failed: {e}"));
    idplane_planner::plan(desired, &observed, &PlanOptions::default())
        .unwrap_or_else(|e| panic!("plan failed: {e:?}"))
}

/// Plans and applies the estate on a fresh empty account, plans again (nothing changed), then
/// plans and applies the revised estate (one field of most objects changed) and checks that
/// the plan after it is empty.
async fn run(estate: Estate, latency: Duration, parallelism: usize) -> Vec<Phase> {
    let account = Emulator::shared().account();
    let sdk = account.sdk_config().await;
    let provider = AwsProvider::from_sdk_config(&sdk);
    let prefix = format!("e{}", account.id());
    let desired = load(&estate, "estate", &prefix, false);
    let proxy = account.proxy();
    if !latency.is_zero() {
        proxy.set_rules(vec![FaultRule::always(Fault::Latency(latency))]);
    }
    let mut phases = Vec::new();
    let mut measure = |name: &str, changes: usize, started: Instant| {
        phases.push(Phase {
            name: name.to_string(),
            changes,
            wall: started.elapsed(),
            ops: proxy.call_counts(),
            rss_mb: peak_rss_mb(),
        });
        proxy.reset_counts();
    };
    let changes = |plan: &Plan, action: Option<Action>| {
        plan.changes
            .iter()
            .filter(|c| c.action != Action::NoOp && action.is_none_or(|a| c.action == a))
            .count()
    };
    let opts = ApplyOptions {
        parallelism,
        settle_poll: Duration::from_millis(100),
        ..ApplyOptions::default()
    };

    proxy.reset_counts();
    let started = Instant::now();
    let plan = observe_and_plan(&provider, &desired).await;
    let creates = changes(&plan, None);
    measure("plan, empty account", creates, started);

    let started = Instant::now();
    let report = apply(&plan, &provider, &opts, &|_| {}).await;
    assert!(report.is_success(), "apply failed: {:#?}", report.failed);
    measure("apply, empty account", creates, started);

    let started = Instant::now();
    let again = observe_and_plan(&provider, &desired).await;
    measure("plan, nothing changed", 0, started);
    assert!(!again.has_changes(), "the plan after apply is not empty");

    let revised = load(&estate, "estate", &prefix, true);
    let started = Instant::now();
    let plan = observe_and_plan(&provider, &revised).await;
    let updates = changes(&plan, Some(Action::Update));
    assert_eq!(
        (updates, changes(&plan, None)),
        (estate.revised(), estate.revised()),
        "the revision is one update per revised object and nothing else"
    );
    measure("plan, fields changed", updates, started);

    let started = Instant::now();
    let report = apply(&plan, &provider, &opts, &|_| {}).await;
    assert!(
        report.is_success(),
        "update apply failed: {:#?}",
        report.failed
    );
    measure("apply, fields changed", updates, started);
    let again = observe_and_plan(&provider, &revised).await;
    assert!(
        !again.has_changes(),
        "the plan after the updates is not empty"
    );
    proxy.clear_rules();
    phases
}

fn main() {
    let emulator = Emulator::shared();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if !bench_mode() {
        let tiny = Estate {
            pools: 2,
            clients: 2,
            idps: 1,
            resource_servers: 1,
            groups: 1,
            issuers: 2,
            applications: 2,
            scopes: 2,
        };
        let phases = rt.block_on(run(tiny, Duration::ZERO, 4));
        assert_eq!(
            phases[1].changes,
            tiny.objects(),
            "every object of the estate is created"
        );
        let changes = phases[1].changes + phases[4].changes;
        assert!(
            phases.iter().all(|p| !p.ops.is_empty()),
            "every phase called AWS"
        );
        println!(
            "estate bench: sanity run passed ({changes} changes; use `cargo bench` for numbers)"
        );
        return;
    }
    let scales: Vec<usize> = std::env::var("IDPLANE_BENCH_SCALES")
        .unwrap_or_else(|_| "1".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let latency = Duration::from_millis(20);
    // `apply --parallelism`'s default unless `IDPLANE_BENCH_PARALLELISM` says otherwise.
    let parallelism: usize = match std::env::var("IDPLANE_BENCH_PARALLELISM") {
        Ok(v) => v
            .parse()
            .ok()
            .filter(|n| (1..=32).contains(n))
            .unwrap_or_else(|| panic!("IDPLANE_BENCH_PARALLELISM={v}: a number from 1 to 32")),
        Err(_) => 4,
    };
    println!(
        "emulator start: {} ms; latency proxy {} ms per call; parallelism {parallelism}; pacing on\n",
        emulator.startup_time().as_millis(),
        latency.as_millis()
    );
    let mut rows = Vec::new();
    let mut per_op: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for scale in scales {
        let estate = Estate::issue15(scale);
        let phases = rt.block_on(run(estate, latency, parallelism));
        for p in phases {
            let calls: u64 = p.ops.values().sum();
            let writes: u64 = p
                .ops
                .iter()
                .filter(|(o, _)| is_write(o))
                .map(|(_, n)| n)
                .sum();
            let fl = floor(&p.ops, latency, parallelism);
            rows.push(vec![
                format!("x{scale} ({} objects)", estate.objects()),
                p.name.clone(),
                p.changes.to_string(),
                calls.to_string(),
                writes.to_string(),
                format!("{:.1}", fl.as_secs_f64()),
                format!("{:.1}", p.wall.as_secs_f64()),
                format!("{:.2}", p.wall.as_secs_f64() / fl.as_secs_f64().max(1e-9)),
                format!("{:.0}", p.rss_mb),
            ]);
            per_op.insert(format!("x{scale} {}", p.name), p.ops);
        }
    }
    println!(
        "{}",
        table(
            &[
                "estate",
                "run",
                "changes",
                "AWS calls",
                "writes",
                "floor s",
                "wall s",
                "wall/floor",
                "peak RSS MB",
            ],
            &rows
        )
    );
    let names: Vec<&String> = per_op.keys().collect();
    let mut all: Vec<&String> = per_op.values().flat_map(|m| m.keys()).collect();
    all.sort();
    all.dedup();
    let op_rows: Vec<Vec<String>> = all
        .iter()
        .map(|op| {
            let mut row = vec![op.to_string()];
            row.extend(
                names
                    .iter()
                    .map(|n| per_op[*n].get(*op).copied().unwrap_or(0).to_string()),
            );
            row
        })
        .collect();
    let mut header = vec!["AWS calls per operation"];
    header.extend(names.iter().map(|n| n.as_str()));
    println!("{}", table(&header, &op_rows));
}
