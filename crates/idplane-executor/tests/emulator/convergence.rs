//! Apply confirms convergence: after a create or update, the object read back must match the
//! plan. Here AWS "accepts" an update and applies nothing (the fault proxy answers the call
//! with an empty success without forwarding it), and the change must fail naming the field,
//! not report success and leave a difference that `drift` would report forever.

use super::*;
use idplane_model::{InstanceSelector, Kind};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_aws_silently_does_not_apply_fails_naming_the_fields() {
    let env = env().await;
    let mut desired = desired("conv");
    desired.identity_center = InstanceSelector::None;
    desired
        .resources
        .retain(|_, r| matches!(r.kind, Kind::UserPool | Kind::UserPoolGroup));
    converge(&env.provider, &desired).await;

    set(
        &mut desired,
        GROUP,
        "description",
        s("Administrators of everything"),
    );
    let plan = make_plan(&env.provider, &desired).await;
    assert_eq!(
        plan.change(&addr(GROUP)).map(|c| c.action),
        Some(Action::Update),
        "{}",
        pending(&plan)
    );
    env.account
        .proxy()
        .set_rules(vec![FaultRule::on("UpdateGroup", Fault::Ignore)]);
    let (report, events) = run(&plan, &env.provider).await;
    env.account.proxy().clear_rules();
    assert_eq!(
        env.account.proxy().calls("UpdateGroup"),
        1,
        "one update sent"
    );
    assert_eq!(report.failed.len(), 1, "{report:#?}");
    let (address, message) = &report.failed[0];
    assert_eq!(address, &addr(GROUP));
    assert!(
        message.contains("description") && message.contains("did not apply"),
        "{message}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::Succeeded { address, .. } if address == &addr(GROUP))),
        "not reported as a success: {events:#?}"
    );
    // Live state indeed did not move: the plan still wants the update, and now it goes through.
    let plan = make_plan(&env.provider, &desired).await;
    assert_eq!(
        plan.change(&addr(GROUP)).map(|c| c.action),
        Some(Action::Update)
    );
    let (report, _) = run(&plan, &env.provider).await;
    assert!(report.is_success(), "{report:#?}");
    assert_no_changes(&env.provider, &desired).await;
}
