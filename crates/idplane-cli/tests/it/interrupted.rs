//! Applies killed with SIGKILL at random points, several times in a row, then one more apply:
//! the stack converges, nothing is duplicated, and plan and drift are clean afterwards.

use crate::e2e::{Ctx, SEED_000};
use std::time::Duration;

/// A small deterministic generator (the kill points of a seed are the same on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Runs `idplane ARGS` four times, each killed with SIGKILL after a random number of AWS calls
/// (1 to `max_calls`; a number of calls, not a time, so that it falls mid-apply however loaded
/// the machine is). Returns how many calls each run made.
fn kill_four_applies(ctx: &Ctx, args: &[&str], rng: &mut Lcg, max_calls: u64) -> Vec<u64> {
    let mut kill_points = Vec::new();
    for _ in 0..4 {
        let start = ctx.account.proxy().total_calls();
        let calls = 1 + rng.below(max_calls);
        let mut child = ctx.env.spawn(args);
        let deadline = std::time::Instant::now() + Duration::from_secs(90);
        while ctx.account.proxy().total_calls() < start + calls
            && child.try_wait().expect("apply runs").is_none()
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(2));
        }
        // SIGKILL: no cleanup, no final write; whatever was in flight is lost.
        let _ = child.kill();
        let _ = child.wait();
        kill_points.push(ctx.account.proxy().total_calls() - start);
    }
    kill_points
}

#[test]
fn applies_killed_at_random_points_then_one_more_converge_without_duplicates() {
    let mut interrupted_mid_apply = 0;
    for seed in [7u64, 1234, 99] {
        let ctx = Ctx::new();
        let mut rng = Lcg(seed);
        let mut args = vec!["apply", SEED_000, "--auto-approve"];
        args.extend(ctx.seed_vars.iter().map(String::as_str));
        let kill_points = kill_four_applies(&ctx, &args, &mut rng, 45);
        assert!(
            ctx.account.proxy().total_calls() > 0,
            "the killed applies reached AWS"
        );
        let mut plan = vec!["plan", SEED_000, "--detailed-exitcode"];
        plan.extend(ctx.seed_vars.iter().map(String::as_str));
        if ctx.env.run(&plan).code == 2 {
            interrupted_mid_apply += 1;
        }
        let last = ctx.env.run(&args).expect(0);
        assert!(
            last.stdout.contains("Apply complete") || last.stdout.contains("No changes"),
            "seed {seed}, kills after {kill_points:?} calls: {}",
            last.stdout
        );

        // Converged: nothing left to do, nothing unmanaged (a duplicate client or IdP inside a
        // managed pool would show as drift; two pools, TTIs or applications for one entry make
        // plan fail as ambiguous).
        ctx.env.run(&plan).expect(0);
        let mut drift = vec!["drift", SEED_000];
        drift.extend(ctx.seed_vars.iter().map(String::as_str));
        ctx.env.run(&drift).expect(0);

        let cognito = ctx.cognito("us-east-1");
        let pools = ctx
            .block_on(cognito.list_user_pools().max_results(60).send())
            .expect("ListUserPools");
        assert_eq!(pools.user_pools().len(), 1, "seed {seed}: one user pool");
        let pool = pools.user_pools()[0].id().unwrap();
        let clients = ctx
            .block_on(
                cognito
                    .list_user_pool_clients()
                    .user_pool_id(pool)
                    .max_results(60)
                    .send(),
            )
            .expect("ListUserPoolClients");
        assert_eq!(
            clients.user_pool_clients().len(),
            1,
            "seed {seed}: one client"
        );
    }
    assert!(
        interrupted_mid_apply > 0,
        "at least one seed's kills left work undone (else the kills came too late to test anything)"
    );
}

/// The same with a stack of every kind (two units: 36 objects): after the kills and one more
/// apply, plan and drift are clean, and the kinds AWS lets share a name (user pools, clients,
/// identity pools, applications) exist exactly once per spec entry. The other kinds cannot be
/// duplicated (AWS refuses a second one of a name), and a missing one would show in the plan.
#[test]
fn a_stack_of_every_kind_killed_at_random_points_converges_without_duplicates() {
    const UNITS: usize = 2;
    let ctx = Ctx::new();
    let stack = "killed";
    let spec = crate::offline::tempdir().join("every-kind.yaml");
    std::fs::write(
        &spec,
        idplane_testkit::every_kind_spec(stack, "us-east-1", UNITS),
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let args = ["apply", spec, "--auto-approve"];
    let kill_points = kill_four_applies(&ctx, &args, &mut Lcg(2026), 60);
    let pending = ctx.env.run(&["plan", spec, "--detailed-exitcode"]);
    assert_eq!(
        pending.code, 2,
        "the kills after {kill_points:?} calls left work undone: {}",
        pending.stdout
    );
    ctx.env.run(&args).expect(0);
    ctx.env
        .run(&["plan", spec, "--detailed-exitcode"])
        .expect(0);
    ctx.env.run(&["drift", spec]).expect(0);

    let config = ctx.block_on(ctx.account.sdk_config());
    let cognito = ctx.cognito("us-east-1");
    let identity = aws_sdk_cognitoidentity::Client::new(&config);
    let sso = aws_sdk_ssoadmin::Client::new(&config);
    ctx.block_on(async {
        let pools = cognito
            .list_user_pools()
            .max_results(60)
            .send()
            .await
            .unwrap();
        let pools: Vec<&str> = pools
            .user_pools()
            .iter()
            .filter(|p| p.name().is_some_and(|n| n.starts_with("killed-pool-")))
            .filter_map(|p| p.id())
            .collect();
        assert_eq!(
            pools.len(),
            UNITS,
            "kills {kill_points:?}: one pool per entry"
        );
        for pool in pools {
            let clients = cognito
                .list_user_pool_clients()
                .user_pool_id(pool)
                .max_results(60)
                .send()
                .await
                .unwrap();
            assert_eq!(
                clients.user_pool_clients().len(),
                1,
                "kills {kill_points:?}"
            );
        }
        let ids = identity
            .list_identity_pools()
            .max_results(60)
            .send()
            .await
            .unwrap();
        let ids = ids
            .identity_pools()
            .iter()
            .filter(|p| {
                p.identity_pool_name()
                    .is_some_and(|n| n.starts_with("killed_identities_"))
            })
            .count();
        assert_eq!(
            ids, UNITS,
            "kills {kill_points:?}: one identity pool per entry"
        );
        let instances = sso.list_instances().send().await.unwrap();
        let apps = sso
            .list_applications()
            .instance_arn(instances.instances()[0].instance_arn().unwrap())
            .send()
            .await
            .unwrap();
        let apps = apps
            .applications()
            .iter()
            .filter(|a| a.name().is_some_and(|n| n.starts_with("killed-app-")))
            .count();
        assert_eq!(
            apps, UNITS,
            "kills {kill_points:?}: one application per entry"
        );
    });
}
