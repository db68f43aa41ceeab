//! Every member of AWS's full-replace update requests, as botocore's service models (in the
//! emulator's venv) list them, is sent by idplane: managed by the spec or carried over from live.

use idplane_aws::members::{FULL_REPLACE_UPDATES, Sent};
use std::collections::BTreeSet;

/// The members of `shape` in botocore's model of `service`.
fn botocore_members(service: &str, shape: &str) -> BTreeSet<String> {
    let model = idplane_testkit::botocore_model(service).expect("botocore's model in the venv");
    model["shapes"][shape]["members"]
        .as_object()
        .unwrap_or_else(|| panic!("botocore {service} has no shape {shape}"))
        .keys()
        .cloned()
        .collect()
}

#[test]
fn every_member_of_a_full_replace_update_is_managed_or_carried_over() {
    let mut problems = Vec::new();
    for req in FULL_REPLACE_UPDATES {
        let aws = botocore_members(req.service, req.shape);
        assert!(!aws.is_empty(), "{} has members", req.shape);
        let ours: BTreeSet<String> = req.members.iter().map(|(m, _)| m.to_string()).collect();
        for m in aws.difference(&ours) {
            problems.push(format!(
                "{}.{m}: neither managed by the spec nor carried over from live (AWS resets it when left out)",
                req.shape
            ));
        }
        for m in ours.difference(&aws) {
            problems.push(format!("{}.{m}: not in botocore's model", req.shape));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Only members the SDK lacks may be left out, each with its reason.
    let not_sent: Vec<&str> = FULL_REPLACE_UPDATES
        .iter()
        .flat_map(|r| r.members.iter())
        .filter(|(_, s)| matches!(s, Sent::NotInSdk(_)))
        .map(|(m, _)| *m)
        .collect();
    assert_eq!(not_sent, ["DcrConfiguration"]);
}
