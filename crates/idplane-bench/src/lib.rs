//! Shared pieces of idplane's benchmarks: synthetic stacks of any size (and the live state that
//! matches them exactly), timing statistics (median, p95) and plain-text tables.
//!
//! The bench targets in `benches/` use them. Run without `--bench` (as `cargo test
//! --all-targets` does) a bench makes one tiny iteration and asserts its sanity; with `--bench`
//! (`cargo bench -p idplane-bench --profile dev`) it measures and prints a table.

use idplane_model::{
    Address, Attrs, Desired, DesiredResource, InstanceSelector, Kind, LiveObject, Mode, Observed,
    Value,
};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Whether the process was started by `cargo bench` (which passes `--bench`), as opposed to
/// `cargo test` (which runs bench targets with no such argument).
pub fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// The shape of a synthetic stack: `pools` user pools, each with that many clients, SAML
/// identity providers and groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub pools: usize,
    pub clients: usize,
    pub idps: usize,
    pub groups: usize,
}

impl Shape {
    /// Resources the stack declares.
    pub fn resources(&self) -> usize {
        self.pools * (1 + self.clients + self.idps + self.groups)
    }
}

fn attrs(j: serde_json::Value) -> Attrs {
    match Value::from_json(&j) {
        Value::Map(m) => m,
        other => panic!("attributes must be a JSON object, got {other:?}"),
    }
}

fn address(text: &str) -> Address {
    Address::parse(text).unwrap_or_else(|e| panic!("bad synthetic address {text}: {e:?}"))
}

/// One synthetic resource: address, kind, parent address, attributes.
struct Item {
    address: String,
    kind: Kind,
    parent: Option<String>,
    attrs: serde_json::Value,
}

fn pool_id(p: usize) -> String {
    format!("us-east-1_Bench{p:05}")
}

/// Every resource of the shape, pools first, each pool followed by its children.
fn items(stack: &str, shape: Shape) -> Vec<Item> {
    let mut out = Vec::with_capacity(shape.resources());
    for p in 0..shape.pools {
        let pool = format!("user_pools.p{p}");
        out.push(Item {
            address: pool.clone(),
            kind: Kind::UserPool,
            parent: None,
            attrs: json!({
                "name": format!("{stack}-pool-{p}"),
                "alias_attributes": ["email"],
                "mfa_configuration": "OFF",
            }),
        });
        for c in 0..shape.clients {
            out.push(Item {
                address: format!("{pool}.clients.c{c}"),
                kind: Kind::UserPoolClient,
                parent: Some(pool.clone()),
                attrs: json!({
                    "name": format!("client-{c}"),
                    "allowed_oauth_flows": ["code"],
                    "allowed_oauth_scopes": ["email", "openid"],
                    "allowed_oauth_flows_user_pool_client": true,
                    "callback_urls": [format!("https://app{c}.example.com/callback")],
                }),
            });
        }
        for i in 0..shape.idps {
            out.push(Item {
                address: format!("{pool}.identity_providers.idp{i}"),
                kind: Kind::IdentityProvider,
                parent: Some(pool.clone()),
                attrs: json!({
                    "name": format!("idp{i}"),
                    "provider_type": "SAML",
                    "provider_details": {
                        "MetadataURL": format!("https://idp{i}.example.org/metadata")
                    },
                    "attribute_mapping": {"email": "mail"},
                }),
            });
        }
        for g in 0..shape.groups {
            out.push(Item {
                address: format!("{pool}.groups.g{g}"),
                kind: Kind::UserPoolGroup,
                parent: Some(pool.clone()),
                attrs: json!({
                    "name": format!("group-{g}"),
                    "description": format!("Group {g}"),
                    "precedence": g,
                }),
            });
        }
    }
    out
}

/// The desired state of a synthetic stack named `stack` (no Identity Center part).
pub fn synthetic_desired(stack: &str, shape: Shape) -> Desired {
    let resources = items(stack, shape)
        .into_iter()
        .map(|i| {
            let parent = i.parent.as_deref().map(address);
            let r = DesiredResource {
                address: address(&i.address),
                kind: i.kind,
                depends_on: parent.iter().cloned().collect::<BTreeSet<_>>(),
                parent,
                pinned_id: None,
                mode: Mode::Managed,
                attrs: attrs(i.attrs),
                source: None,
            };
            (r.address.clone(), r)
        })
        .collect();
    Desired {
        stack: stack.to_string(),
        region: "us-east-1".into(),
        accounts: Vec::new(),
        assume_role: None,
        identity_center: InstanceSelector::None,
        identity_center_region: None,
        resources,
    }
}

/// The live state in which every resource of [`synthetic_desired`] exists exactly as declared
/// (pools carry the ownership tags, children are found by name), so the plan is empty.
pub fn synthetic_observed(stack: &str, shape: Shape) -> Observed {
    let pool_ids: BTreeMap<String, String> = (0..shape.pools)
        .map(|p| (format!("user_pools.p{p}"), pool_id(p)))
        .collect();
    let objects = items(stack, shape)
        .into_iter()
        .enumerate()
        .map(|(n, i)| {
            let a = attrs(i.attrs);
            let (id, tags, outputs) = match i.kind {
                Kind::UserPool => {
                    let id = pool_ids[&i.address].clone();
                    let tags = [
                        (idplane_model::TAG_STACK.to_string(), stack.to_string()),
                        (
                            idplane_model::TAG_ADDRESS.to_string(),
                            address(&i.address).to_string(),
                        ),
                    ]
                    .into_iter()
                    .collect();
                    let outputs = [("id".to_string(), id.clone())].into_iter().collect();
                    (id, tags, outputs)
                }
                Kind::UserPoolClient => {
                    let id = format!("client{n:020}");
                    let outputs = [("id".to_string(), id.clone())].into_iter().collect();
                    (id, BTreeMap::new(), outputs)
                }
                // Known by their name within the pool.
                Kind::IdentityProvider | Kind::UserPoolGroup => {
                    let name = a
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    (name, BTreeMap::new(), BTreeMap::new())
                }
                Kind::UserPoolDomain
                | Kind::ResourceServer
                | Kind::IdentityPool
                | Kind::TrustedTokenIssuer
                | Kind::Application
                | Kind::ApplicationGrant
                | Kind::ApplicationAccessScope
                | Kind::ApplicationAuthenticationMethod
                | Kind::ApplicationAssignmentConfiguration
                | Kind::ApplicationAssignment
                | Kind::IdentityStoreUser
                | Kind::IdentityStoreGroup
                | Kind::IdentityStoreGroupMembership => {
                    unreachable!("the synthetic shape has no {} objects", i.kind)
                }
            };
            LiveObject {
                kind: i.kind,
                id,
                parent_id: i.parent.as_ref().map(|p| pool_ids[p].clone()),
                tags,
                attrs: a,
                outputs,
            }
        })
        .collect();
    let mut o = Observed {
        identity_center: None,
        objects,
    };
    o.normalize_order();
    o
}

/// Summary statistics of a set of timings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    pub runs: usize,
    pub min: Duration,
    pub median: Duration,
    pub p95: Duration,
    pub max: Duration,
}

impl Stats {
    /// Statistics of `samples` (nearest-rank percentiles). `None` when there is none.
    pub fn of(samples: &[Duration]) -> Option<Stats> {
        if samples.is_empty() {
            return None;
        }
        let mut s = samples.to_vec();
        s.sort();
        let rank = |p: f64| {
            let r = (p * s.len() as f64).ceil() as usize;
            s[r.clamp(1, s.len()) - 1]
        };
        Some(Stats {
            runs: s.len(),
            min: s[0],
            median: rank(0.5),
            p95: rank(0.95),
            max: s[s.len() - 1],
        })
    }
}

/// A duration in milliseconds with three decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// A plain-text table with right-aligned columns (the first left-aligned).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(cell.len());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            if i == 0 {
                s.push_str(&format!("{cell:<w$}"));
            } else {
                s.push_str(&format!("  {cell:>w$}"));
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(header.to_vec());
    out.push('\n');
    out.push_str(&line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use idplane_model::Action;
    use idplane_planner::PlanOptions;

    const SMALL: Shape = Shape {
        pools: 2,
        clients: 3,
        idps: 2,
        groups: 2,
    };

    #[test]
    fn the_matching_live_state_plans_nothing() {
        let d = synthetic_desired("bench", SMALL);
        assert_eq!(d.resources.len(), SMALL.resources());
        let o = synthetic_observed("bench", SMALL);
        assert_eq!(o.objects.len(), SMALL.resources());
        let p = idplane_planner::plan(&d, &o, &PlanOptions::default()).expect("plan");
        let pending: Vec<_> = p
            .changes
            .iter()
            .filter(|c| c.action != Action::NoOp)
            .map(|c| format!("{} {:?} {:?}", c.address, c.action, c.diffs))
            .collect();
        assert!(pending.is_empty(), "{pending:#?}");
        assert_eq!(p.summary.unchanged, SMALL.resources());
    }

    #[test]
    fn an_empty_account_plans_a_create_for_everything() {
        let d = synthetic_desired("bench", SMALL);
        let p =
            idplane_planner::plan(&d, &Observed::default(), &PlanOptions::default()).expect("plan");
        assert_eq!(p.summary.add, SMALL.resources());
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let samples: Vec<Duration> = (1..=20).rev().map(Duration::from_millis).collect();
        let s = Stats::of(&samples).expect("stats");
        assert_eq!(s.runs, 20);
        assert_eq!(s.min, Duration::from_millis(1));
        assert_eq!(s.median, Duration::from_millis(10));
        assert_eq!(s.p95, Duration::from_millis(19));
        assert_eq!(s.max, Duration::from_millis(20));
        assert_eq!(Stats::of(&[]), None);
    }

    #[test]
    fn tables_align_their_columns() {
        let t = table(
            &["size", "ms"],
            &[
                vec!["a".into(), "1.0".into()],
                vec!["bbb".into(), "10.25".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "size     ms");
        assert_eq!(lines[1], "----  -----");
        assert_eq!(lines[2], "a       1.0");
        assert_eq!(lines[3], "bbb   10.25");
    }
}
