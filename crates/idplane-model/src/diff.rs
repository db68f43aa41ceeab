//! Attribute-level differences between two normalized attribute sets, with the replace rules.
//!
//! Maps are compared key by key (paths like `password_policy.minimum_length`); lists and JSON
//! documents (`actor_policy`) compare as whole values. Rules beyond the kind table:
//! - fields where the spec's silence keeps the live value
//!   ([`KindInfo::keep_live_when_silent`](crate::KindInfo::keep_live_when_silent)) and the
//!   OIDC endpoints AWS discovers ([`crate::normalize::OIDC_DISCOVERED_KEYS`]) are not compared
//!   when the `after` side lacks them;
//! - user pool `schema`: adding a custom attribute is an update; any other schema change
//!   (removing or changing a custom attribute, changing a standard attribute) forces a replace.

use crate::kind::{application, identity_provider, user_pool};
use crate::normalize::OIDC_DISCOVERED_KEYS;
use crate::{AttrDiff, Attrs, DiffOrigin, Kind, Value};
use std::collections::BTreeSet;

/// Fields compared as one value even when they are maps.
fn is_document(kind: Kind, field: &str) -> bool {
    kind.info().is_document(field)
}

/// Whether `after` leaves this path to live (see
/// [`KindInfo::keep_live_when_silent`](crate::KindInfo::keep_live_when_silent)).
pub fn keeps_live(kind: Kind, field: &str, sub: Option<&str>) -> bool {
    if sub.is_none() && kind.info().keeps_live_when_silent(field) {
        return true;
    }
    kind == Kind::IdentityProvider
        && field == identity_provider::field::PROVIDER_DETAILS
        && sub.is_some_and(|k| OIDC_DISCOVERED_KEYS.contains(&k))
}

/// The target of an update: `after` plus a `null` for every field and map key that `before`
/// (live) has and `after` lacks, so that the provider clears them instead of keeping the live
/// value. Fields the spec leaves to live (`keep_live_when_silent`, discovered OIDC endpoints)
/// and documents (compared whole) get none.
pub fn with_clearing(kind: Kind, before: &Attrs, after: &Attrs) -> Attrs {
    let mut out = after.clone();
    for (k, b) in before {
        if keeps_live(kind, k, None) {
            continue;
        }
        match out.get_mut(k) {
            None => {
                out.insert(k.clone(), Value::Null);
            }
            Some(a) if !is_document(kind, k) => clear_keys(kind, k, true, b, a),
            Some(_) => {}
        }
    }
    out
}

fn clear_keys(kind: Kind, field: &str, top: bool, before: &Value, after: &mut Value) {
    let (Value::Map(bm), Value::Map(am)) = (before, after) else {
        return;
    };
    for (k, bv) in bm {
        if top && keeps_live(kind, field, Some(k)) {
            continue;
        }
        match am.get_mut(k) {
            None => {
                am.insert(k.clone(), Value::Null);
            }
            Some(av) => clear_keys(kind, field, false, bv, av),
        }
    }
}

/// Attribute-level differences between two normalized attribute sets (`before` = live,
/// `after` = desired), with `forces_replace` set. Origins are [`DiffOrigin::Unknown`]; the
/// planner refines them.
pub fn differences(kind: Kind, before: &Attrs, after: &Attrs) -> Vec<AttrDiff> {
    let info = kind.info();
    let null = Value::Null;
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let b = before.get(key).unwrap_or(&null);
        let a = after.get(key).unwrap_or(&null);
        if b == a {
            continue;
        }
        if a.is_null() && keeps_live(kind, key, None) {
            continue;
        }
        let immutable = info.field(key).is_some_and(|f| f.immutable);
        let mut raw = Vec::new();
        if is_document(kind, key) {
            raw.push((key.clone(), b.clone(), a.clone()));
        } else {
            walk(kind, key, None, key.clone(), b, a, &mut raw);
        }
        for (path, b, a) in raw {
            let forces_replace = immutable
                || schema_forces_replace(kind, key, &path, &b, &a)
                || nested_immutable(kind, &path, &b, &a);
            out.push(AttrDiff {
                path,
                before: b,
                after: a,
                forces_replace,
                origin: DiffOrigin::Unknown,
            });
        }
    }
    out
}

fn walk(
    kind: Kind,
    field: &str,
    sub: Option<&str>,
    path: String,
    b: &Value,
    a: &Value,
    out: &mut Vec<(String, Value, Value)>,
) {
    if b == a {
        return;
    }
    match (b, a) {
        (Value::Map(bm), Value::Map(am)) => {
            let keys: BTreeSet<&String> = bm.keys().chain(am.keys()).collect();
            for k in keys {
                let bv = bm.get(k).unwrap_or(&Value::Null);
                let av = am.get(k).unwrap_or(&Value::Null);
                // The first level under a field names the sub-key for the keep-live rule.
                let sub_key = sub.or(Some(k.as_str()));
                if av.is_null() && sub.is_none() && keeps_live(kind, field, Some(k)) {
                    continue;
                }
                walk(kind, field, sub_key, format!("{path}.{k}"), bv, av, out);
            }
        }
        _ => out.push((path, b.clone(), a.clone())),
    }
}

/// Nested members AWS cannot update in place: an application's portal visibility
/// (`UpdateApplicationPortalOptions` has only `SignInOptions`), also when the whole
/// `portal_options` appears or disappears (normalized, absent visibility is `ENABLED`).
fn nested_immutable(kind: Kind, path: &str, before: &Value, after: &Value) -> bool {
    let visibility = |v: &Value| {
        v.as_map()
            .and_then(|m| m.get("visibility"))
            .and_then(Value::as_str)
            .unwrap_or("ENABLED")
            .to_string()
    };
    kind == Kind::Application
        && (path == "portal_options.visibility"
            || (path == application::field::PORTAL_OPTIONS
                && visibility(before) != visibility(after)))
}

fn schema_forces_replace(
    kind: Kind,
    field: &str,
    path: &str,
    before: &Value,
    after: &Value,
) -> bool {
    if kind != Kind::UserPool || field != user_pool::field::SCHEMA {
        return false;
    }
    // A whole attribute added (nothing before, a full property map after, at `schema.NAME`) is
    // an update when it is a custom attribute; every other schema change needs a new pool.
    let whole_attribute_added = before.is_null()
        && after
            .as_map()
            .is_some_and(|m| m.contains_key("attribute_data_type"));
    let custom = path
        .strip_prefix("schema.")
        .is_some_and(|name| name.starts_with("custom:"));
    !(whole_attribute_added && custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn attrs(json: serde_json::Value) -> Attrs {
        let Value::Map(m) = Value::from_json(&json) else {
            panic!("attrs must be an object")
        };
        m
    }

    #[test]
    fn nested_paths_and_immutables() {
        let b = normalize(
            Kind::UserPool,
            &attrs(serde_json::json!({"name": "p", "alias_attributes": ["email"]})),
        );
        let a = normalize(
            Kind::UserPool,
            &attrs(serde_json::json!({"name": "p",
                "password_policy": {"minimum_length": 12}})),
        );
        let d = differences(Kind::UserPool, &b, &a);
        let paths: Vec<(&str, bool)> = d
            .iter()
            .map(|d| (d.path.as_str(), d.forces_replace))
            .collect();
        assert_eq!(
            paths,
            vec![
                ("alias_attributes", true),
                ("password_policy.minimum_length", false)
            ]
        );
    }

    #[test]
    fn adding_custom_attribute_is_update_removing_is_replace() {
        let without = normalize(Kind::UserPool, &attrs(serde_json::json!({"name": "p"})));
        let with = normalize(
            Kind::UserPool,
            &attrs(serde_json::json!({"name": "p", "schema": {"custom:dept": {}}})),
        );
        let add = differences(Kind::UserPool, &without, &with);
        assert_eq!(add.len(), 1);
        assert_eq!(add[0].path, "schema.custom:dept");
        assert!(!add[0].forces_replace);
        let remove = differences(Kind::UserPool, &with, &without);
        assert!(remove[0].forces_replace);
        let changed = normalize(
            Kind::UserPool,
            &attrs(serde_json::json!({"name": "p", "schema": {"custom:dept": {"mutable": false}}})),
        );
        let change = differences(Kind::UserPool, &with, &changed);
        assert_eq!(change[0].path, "schema.custom:dept.mutable");
        assert!(change[0].forces_replace);
    }

    #[test]
    fn portal_visibility_enabled_is_the_default_and_a_change_forces_replace() {
        let app = |portal: serde_json::Value| {
            normalize(
                Kind::Application,
                &attrs(serde_json::json!({"name": "a", "portal_options": portal})),
            )
        };
        let unset = app(serde_json::Value::Null);
        let live = app(serde_json::json!({"visibility": "ENABLED"}));
        assert!(differences(Kind::Application, &live, &unset).is_empty());
        let hidden = app(serde_json::json!({"visibility": "DISABLED"}));
        let d = differences(Kind::Application, &live, &hidden);
        assert_eq!(d.len(), 1);
        assert!(d[0].forces_replace, "{d:?}");
        let signin = |v: &str| {
            app(
                serde_json::json!({"visibility": v, "sign_in_options": {"origin": "IDENTITY_CENTER"}}),
            )
        };
        let d = differences(Kind::Application, &signin("ENABLED"), &signin("DISABLED"));
        assert_eq!(d[0].path, "portal_options.visibility");
        assert!(d[0].forces_replace);
        let d = differences(Kind::Application, &live, &signin("ENABLED"));
        assert!(
            !d.is_empty() && d.iter().all(|d| !d.forces_replace),
            "{d:?}"
        );
    }

    #[test]
    fn silent_fields_keep_live() {
        let live = normalize(
            Kind::UserPool,
            &attrs(serde_json::json!({"name": "p",
                "account_recovery": [{"name": "verified_email", "priority": 1}]})),
        );
        let spec = normalize(Kind::UserPool, &attrs(serde_json::json!({"name": "p"})));
        assert!(differences(Kind::UserPool, &live, &spec).is_empty());
        let live_idp = normalize(
            Kind::IdentityProvider,
            &attrs(serde_json::json!({"name": "o", "provider_type": "OIDC",
                "provider_details": {"client_id": "c", "jwks_uri": "https://x/jwks"}})),
        );
        let spec_idp = normalize(
            Kind::IdentityProvider,
            &attrs(serde_json::json!({"name": "o", "provider_type": "OIDC",
                "provider_details": {"client_id": "c"}})),
        );
        assert!(differences(Kind::IdentityProvider, &live_idp, &spec_idp).is_empty());
    }
}
