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

#[test]
fn applies_killed_at_random_points_then_one_more_converge_without_duplicates() {
    let mut interrupted_mid_apply = 0;
    for seed in [7u64, 1234, 99] {
        let ctx = Ctx::new();
        let mut rng = Lcg(seed);
        let mut args = vec!["apply", SEED_000, "--auto-approve"];
        args.extend(ctx.seed_vars.iter().map(String::as_str));
        let mut kill_points = Vec::new();
        for _ in 0..4 {
            // The kill point is a number of AWS calls into the apply, not a time, so that it
            // falls mid-apply however loaded the machine is.
            let start = ctx.account.proxy().total_calls();
            let calls = 1 + rng.below(45);
            let mut child = ctx.env.spawn(&args);
            let deadline = std::time::Instant::now() + Duration::from_secs(60);
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
