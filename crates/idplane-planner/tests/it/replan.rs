//! The re-plan property: applying a plan (simulated here, as a provider would do it) and planning
//! again against the result gives a plan with no changes.

use crate::fixtures::*;
use idplane_model::{
    Action, Address, DesiredResource, Kind, LiveObject, Observed, Plan, TAG_ADDRESS, TAG_STACK,
    Value,
};
use idplane_planner::{PlanOptions, plan, render};
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Physical ids never repeat, like AWS's.
static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

/// Applies a plan to an observed state the way a correct provider would.
fn simulate_apply(p: &Plan, before: &Observed) -> Observed {
    let mut objects = before.objects.clone();
    let mut by_address: BTreeMap<Address, (Kind, String)> = BTreeMap::new();
    let outputs_of =
        |objects: &[LiveObject], by_address: &BTreeMap<Address, (Kind, String)>, a: &Address| {
            let (k, id) = by_address.get(a)?;
            objects
                .iter()
                .find(|o| o.kind == *k && &o.id == id)
                .map(|o| o.outputs.clone())
        };
    for c in &p.changes {
        let parent_id = c
            .parent
            .as_ref()
            .and_then(|pa| by_address.get(pa).map(|(_, id)| id.clone()))
            .or_else(|| c.parent_live_id.clone());
        let remove_old = |objects: &mut Vec<LiveObject>| {
            if let Some(id) = &c.live_id {
                objects.retain(|o| {
                    let same = o.kind == c.kind && &o.id == id;
                    // Deleting a top-level object takes its children with it.
                    let child =
                        c.kind.info().parent.is_none() && o.parent_id.as_deref() == Some(id);
                    !(same || child)
                });
            }
        };
        match c.action {
            Action::NoOp => {
                by_address.insert(c.address.clone(), (c.kind, c.live_id.clone().unwrap()));
            }
            Action::Adopt => {
                let id = c.live_id.clone().unwrap();
                let o = objects
                    .iter_mut()
                    .find(|o| o.kind == c.kind && o.id == id)
                    .unwrap();
                o.tags.insert(TAG_STACK.into(), p.stack.clone());
                o.tags.insert(TAG_ADDRESS.into(), c.address.to_string());
                by_address.insert(c.address.clone(), (c.kind, id));
            }
            Action::Delete => remove_old(&mut objects),
            Action::Create | Action::Replace(_) | Action::Update => {
                let after = c.after.clone().expect("after");
                let resolved: idplane_model::Attrs = after
                    .iter()
                    .map(|(k, v)| {
                        let v = v.map_refs(&mut |r, _| {
                            let outs = outputs_of(&objects, &by_address, &r.address)
                                .unwrap_or_else(|| {
                                    panic!("{} not applied before {}", r.address, c.address)
                                });
                            Value::Str(outs[&r.output].clone())
                        });
                        (k.clone(), v)
                    })
                    .collect();
                if c.action == Action::Update {
                    let id = c.live_id.clone().unwrap();
                    let o = objects
                        .iter_mut()
                        .find(|o| o.kind == c.kind && o.id == id)
                        .unwrap();
                    o.attrs = resolved;
                    if c.adopt {
                        o.tags.insert(TAG_STACK.into(), p.stack.clone());
                        o.tags.insert(TAG_ADDRESS.into(), c.address.to_string());
                    }
                    by_address.insert(c.address.clone(), (c.kind, id));
                    continue;
                }
                if matches!(c.action, Action::Replace(_)) {
                    remove_old(&mut objects);
                }
                let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
                let id = format!("{}-{n}", c.kind);
                let mut o = LiveObject {
                    kind: c.kind,
                    id: id.clone(),
                    parent_id: parent_id.clone(),
                    tags: BTreeMap::new(),
                    attrs: resolved,
                    outputs: c
                        .kind
                        .info()
                        .outputs
                        .iter()
                        .map(|k| (k.to_string(), format!("{k}:{id}")))
                        .collect(),
                };
                if c.kind.info().taggable {
                    o.tags.insert(TAG_STACK.into(), p.stack.clone());
                    o.tags.insert(TAG_ADDRESS.into(), c.address.to_string());
                }
                objects.push(o);
                by_address.insert(c.address.clone(), (c.kind, id));
            }
        }
    }
    let mut out = Observed {
        identity_center: before.identity_center.clone(),
        objects,
    };
    out.normalize_order();
    out
}

#[derive(Clone, Debug)]
struct Config {
    pool_name: &'static str,
    alias_email: bool,
    min_len: Option<i64>,
    custom_attr: bool,
    domain: Option<&'static str>,
    client: Option<(Vec<&'static str>, bool)>,
    tti_claim: Option<&'static str>,
    app_scopes: Option<Vec<&'static str>>,
    /// An OIDC IdP with this client secret.
    idp_secret: Option<&'static str>,
    /// An identity pool with guest access on or off.
    identity_pool: Option<bool>,
}

fn config() -> impl Strategy<Value = Config> {
    let urls = prop::sample::subsequence(
        vec!["https://a/cb", "https://b/cb", "http://localhost:8080"],
        0..=3,
    )
    .prop_shuffle();
    let scopes = prop::sample::subsequence(SCOPES.to_vec(), 0..=5).prop_shuffle();
    (
        prop::sample::select(vec!["a", "b"]),
        any::<bool>(),
        prop::option::of(8i64..12),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec!["d-one", "d-two"])),
        prop::option::of((urls, any::<bool>())),
        prop::option::of(prop::sample::select(vec!["email", "sub"])),
        prop::option::of(scopes),
        prop::option::of(prop::sample::select(vec!["s3cret-1", "s3cret-2"])),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(
                pool_name,
                alias_email,
                min_len,
                custom_attr,
                domain,
                client,
                tti_claim,
                app_scopes,
                idp_secret,
                identity_pool,
            )| Config {
                pool_name,
                alias_email,
                min_len,
                custom_attr,
                domain,
                client,
                tti_claim,
                app_scopes,
                idp_secret,
                identity_pool,
            },
        )
}

fn build(c: &Config) -> Vec<DesiredResource> {
    let mut pool = json!({"name": c.pool_name});
    if c.alias_email {
        pool["alias_attributes"] = json!(["email"]);
    }
    if let Some(n) = c.min_len {
        pool["password_policy"] = json!({"minimum_length": n});
    }
    if c.custom_attr {
        pool["schema"] = json!({"custom:team": {"attribute_data_type": "String"}});
    }
    let mut v = vec![res(POOL, Kind::UserPool, None, pool)];
    if let Some(d) = c.domain {
        v.push(res(
            DOMAIN,
            Kind::UserPoolDomain,
            Some(POOL),
            json!({"domain": d}),
        ));
    }
    if let Some((urls, secret)) = &c.client {
        v.push(res(
            CLIENT,
            Kind::UserPoolClient,
            Some(POOL),
            json!({"name": "TTI", "callback_urls": urls, "generate_secret": secret}),
        ));
    }
    if let Some(secret) = c.idp_secret {
        let mut idp = res(
            IDP,
            Kind::IdentityProvider,
            Some(POOL),
            json!({
            "name": "IAMIdentityCenter", "provider_type": "OIDC",
            "provider_details": {"client_id": "cid", "authorize_scopes": "openid email",
                                 "oidc_issuer": "https://issuer.example.com"}}),
        );
        if let Some(Value::Map(d)) = idp.attrs.get_mut("provider_details") {
            d.insert(
                "client_secret".into(),
                Value::Secret(idplane_model::Secret::from_plaintext(
                    "env:IDP_SECRET",
                    secret,
                )),
            );
        }
        v.push(idp);
    }
    if let Some(guests) = c.identity_pool {
        let mut providers = vec![];
        if c.client.is_some() {
            providers.push(
                json!({"provider_name": r(POOL, "provider_name"), "client_id": r(CLIENT, "id")}),
            );
        }
        v.push(res(
            "identity_pools.main",
            Kind::IdentityPool,
            None,
            json!({
            "name": "main", "allow_unauthenticated_identities": guests,
            "cognito_identity_providers": providers}),
        ));
    }
    if let Some(claim) = c.tti_claim {
        v.push(res(TTI, Kind::TrustedTokenIssuer, None,
            json!({"name": "cognito", "issuer_url": r(POOL, "issuer_url"), "claim_attribute_path": claim,
                   "identity_store_attribute_path": "emails.value"})));
    }
    if let Some(scopes) = &c.app_scopes {
        v.push(res(
            APP,
            Kind::Application,
            None,
            json!({"name": "DemoApplication"}),
        ));
        for s in scopes {
            v.push(res(
                &scope_addr(s),
                Kind::ApplicationAccessScope,
                Some(APP),
                json!({"scope": s}),
            ));
        }
        if c.tti_claim.is_some() && c.client.is_some() {
            v.push(res(
                &format!("{APP}.grants.jwt_bearer"),
                Kind::ApplicationGrant,
                Some(APP),
                json!({
                "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "grant": {"authorized_token_issuers": [{
                    "trusted_token_issuer_arn": r(TTI, "arn"),
                    "authorized_audiences": [r(CLIENT, "id")]}]}}),
            ));
        }
    }
    v
}

fn allow_all() -> PlanOptions {
    PlanOptions {
        allow_replace_user_pools: true,
        allow_delete_user_pools: true,
        allow_mass_delete: true,
        ..PlanOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn applying_a_plan_then_planning_again_is_empty(first in config(), second in config()) {
        let empty = observed(vec![]);
        let d1 = desired(build(&first));
        let p1 = plan(&d1, &empty, &allow_all()).expect("first plan");
        let live1 = simulate_apply(&p1, &empty);
        let again = plan(&d1, &live1, &allow_all()).expect("re-plan of the first");
        prop_assert!(!again.has_changes(), "first re-plan:\n{}", render::text(&again, false));

        let d2 = desired(build(&second));
        let p2 = plan(&d2, &live1, &allow_all()).expect("second plan");
        let live2 = simulate_apply(&p2, &live1);
        let again = plan(&d2, &live2, &allow_all()).expect("re-plan of the second");
        prop_assert!(!again.has_changes(), "plan was:\n{}\nre-plan:\n{}",
            render::text(&p2, false), render::text(&again, false));
    }
}
