//! Turning a change's `after` into a provider `Target`: `(known after apply)` values from the
//! outputs of earlier changes, secrets read again from their sources, the parent's physical id
//! and the idempotency token.

use crate::error::ApplyError;
use idplane_model::{Address, Attrs, Change, Reference, Secret, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Outputs known so far, by resource address.
pub type Outputs = BTreeMap<Address, BTreeMap<String, String>>;

/// The parent's physical id: produced by this run (the parent was created or replaced), else
/// the one the plan recorded. `Ok(None)` for top-level kinds.
pub fn parent_id(change: &Change, outputs: &Outputs) -> Result<Option<String>, ApplyError> {
    // The output of the parent that is this kind's parent id (an application's `arn`, else `id`).
    let Some(parent_output) = change.kind.info().parent_output else {
        return Ok(change.parent_live_id.clone());
    };
    if let Some(parent) = &change.parent
        && let Some(id) = outputs.get(parent).and_then(|o| o.get(parent_output))
    {
        return Ok(Some(id.clone()));
    }
    match &change.parent_live_id {
        Some(id) => Ok(Some(id.clone())),
        None => Err(ApplyError::ParentUnknown {
            address: change.address.clone(),
        }),
    }
}

/// Every reference in `attrs` whose address has no outputs yet.
pub fn missing_references(attrs: &Attrs, outputs: &Outputs) -> Vec<Reference> {
    let mut refs = Vec::new();
    for v in attrs.values() {
        v.references(&mut refs);
    }
    refs.retain(|r| !outputs.contains_key(&r.address));
    refs.sort();
    refs.dedup();
    refs
}

/// `attrs` with every `Ref`/`Unknown` replaced by the output it names.
pub fn resolve_references(
    address: &Address,
    attrs: &Attrs,
    outputs: &Outputs,
) -> Result<Attrs, ApplyError> {
    let mut missing: Option<Reference> = None;
    let mut lookup = |r: &Reference, _unknown: bool| -> Value {
        match outputs.get(&r.address).and_then(|o| o.get(&r.output)) {
            Some(v) => Value::Str(v.clone()),
            None => {
                missing.get_or_insert_with(|| r.clone());
                Value::Null
            }
        }
    };
    let resolved: Attrs = attrs
        .iter()
        .map(|(k, v)| (k.clone(), v.map_refs(&mut lookup)))
        .collect();
    match missing {
        Some(r) => Err(ApplyError::Unresolved {
            address: address.clone(),
            reference: r.to_string(),
            output: r.output,
        }),
        None => Ok(resolved),
    }
}

/// `attrs` with every secret that lost its text (a plan read back from JSON) read again from
/// its source. A secret whose digest no longer matches the plan's is an error: applying it
/// would do something the plan did not show.
pub fn resolve_secrets(address: &Address, attrs: &Attrs) -> Result<Attrs, ApplyError> {
    attrs
        .iter()
        .map(|(k, v)| Ok((k.clone(), resolve_secret_value(address, k, v)?)))
        .collect()
}

#[allow(clippy::wildcard_enum_match_arm)] // a rewrite of `Value`s: the rest is kept as is
fn resolve_secret_value(address: &Address, path: &str, v: &Value) -> Result<Value, ApplyError> {
    Ok(match v {
        Value::Secret(s) if s.expose().is_none() => {
            let unreadable = |message: String| ApplyError::SecretUnreadable {
                address: address.clone(),
                path: path.to_string(),
                source_name: s.source().to_string(),
                message,
            };
            if s.source().is_empty() {
                return Err(unreadable(
                    "the plan does not say where the secret comes from".to_string(),
                ));
            }
            let fresh = Secret::resolve(s.source()).map_err(|e| unreadable(e.to_string()))?;
            if fresh.digest() != s.digest() {
                return Err(ApplyError::SecretChanged {
                    address: address.clone(),
                    path: path.to_string(),
                    source_name: s.source().to_string(),
                });
            }
            Value::Secret(fresh)
        }
        Value::List(l) => Value::List(
            l.iter()
                .enumerate()
                .map(|(i, x)| resolve_secret_value(address, &format!("{path}[{i}]"), x))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, x)| {
                    Ok((
                        k.clone(),
                        resolve_secret_value(address, &format!("{path}.{k}"), x)?,
                    ))
                })
                .collect::<Result<_, ApplyError>>()?,
        ),
        other => other.clone(),
    })
}

/// An idempotency token for APIs that take a `ClientToken`: the same stack, address, attributes
/// and `nonce` give the same token, so a create resent after a lost response is recognised by
/// AWS. The nonce is new for every create ([`create_nonce`]): AWS documents no retention
/// window, and a token replayed after its object was deleted may return the deleted object, so
/// a token is never used for two creates (a re-run after an interruption finds the object by
/// its tags instead). Secrets enter by digest only.
pub fn client_token(stack: &str, address: &Address, attrs: &Attrs, nonce: &str) -> String {
    let mut h = Sha256::new();
    h.update(stack.as_bytes());
    h.update([0]);
    h.update(address.to_string().as_bytes());
    h.update([0]);
    h.update(nonce.as_bytes());
    h.update([0]);
    let json: serde_json::Map<String, serde_json::Value> = attrs
        .iter()
        .map(|(k, v)| (k.clone(), v.to_json()))
        .collect();
    h.update(serde_json::Value::Object(json).to_string().as_bytes());
    format!("idplane-{}", &hex::encode(h.finalize())[..40])
}

/// A value never returned twice (time, process id and a counter), for [`client_token`].
pub fn create_nonce() -> String {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{nanos}-{}-{n}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Address {
        Address::root("user_pools", "blog")
    }

    #[test]
    fn references_resolve_from_outputs_and_report_the_missing_one() {
        let mut attrs = Attrs::new();
        let r = Reference {
            address: pool(),
            output: "issuer_url".into(),
        };
        attrs.insert("issuer_url".into(), Value::Unknown(r.clone()));
        attrs.insert(
            "list".into(),
            Value::List(vec![Value::Ref(Reference {
                address: pool(),
                output: "id".into(),
            })]),
        );
        let me = Address::root("tti", "x");
        let mut outputs = Outputs::new();
        outputs.insert(
            pool(),
            BTreeMap::from([("issuer_url".to_string(), "https://i".to_string())]),
        );
        let err = resolve_references(&me, &attrs, &outputs).unwrap_err();
        assert!(err.to_string().contains("user_pools.blog.id"), "{err}");
        outputs
            .get_mut(&pool())
            .unwrap()
            .insert("id".into(), "us-east-1_X".into());
        let got = resolve_references(&me, &attrs, &outputs).unwrap();
        assert_eq!(got["issuer_url"], Value::str("https://i"));
        assert_eq!(got["list"], Value::List(vec![Value::str("us-east-1_X")]));
        assert!(!got.values().any(Value::has_unresolved));
    }

    #[test]
    fn secrets_are_read_again_and_checked_against_the_plan_digest() {
        let var = "IDPLANE_EXECUTOR_TEST_SECRET_A";
        // SAFETY: the variable name is unique to this test.
        unsafe { std::env::set_var(var, "s3cret-text") };
        let planned = Secret::from_plaintext(format!("env:{var}"), "s3cret-text").redacted();
        let mut details = BTreeMap::new();
        details.insert("client_secret".to_string(), Value::Secret(planned));
        let mut attrs = Attrs::new();
        attrs.insert("provider_details".into(), Value::Map(details.clone()));
        let a = Address::root("x", "y");
        let got = resolve_secrets(&a, &attrs).unwrap();
        let Value::Secret(s) = &got["provider_details"].as_map().unwrap()["client_secret"] else {
            panic!("still a secret")
        };
        assert_eq!(s.expose(), Some("s3cret-text"));

        let stale = Secret::from_plaintext(format!("env:{var}"), "older-text").redacted();
        details.insert("client_secret".to_string(), Value::Secret(stale));
        attrs.insert("provider_details".into(), Value::Map(details.clone()));
        let err = resolve_secrets(&a, &attrs).unwrap_err();
        assert!(matches!(err, ApplyError::SecretChanged { .. }), "{err}");
        assert!(err.to_string().contains("provider_details.client_secret"));
        assert!(!err.to_string().contains("s3cret-text"));

        let missing =
            Secret::from_plaintext("env:IDPLANE_EXECUTOR_SURELY_UNSET", "whatever").redacted();
        details.insert("client_secret".to_string(), Value::Secret(missing));
        attrs.insert("provider_details".into(), Value::Map(details));
        let err = resolve_secrets(&a, &attrs).unwrap_err();
        assert!(matches!(err, ApplyError::SecretUnreadable { .. }), "{err}");
        assert!(err.to_string().contains("IDPLANE_EXECUTOR_SURELY_UNSET"));
        assert!(!err.to_string().contains("whatever"));
    }

    #[test]
    fn client_token_is_deterministic_per_create_and_bounded() {
        let mut attrs = Attrs::new();
        attrs.insert("name".into(), Value::str("app"));
        let a = Address::root("applications", "app");
        let t = client_token("stack", &a, &attrs, "n1");
        assert_eq!(t, client_token("stack", &a, &attrs, "n1"));
        assert!(t.len() <= 64, "{t}");
        assert_ne!(t, client_token("other", &a, &attrs, "n1"));
        assert_ne!(t, client_token("stack", &a, &attrs, "n2"), "a new create");
        assert_ne!(create_nonce(), create_nonce());
        attrs.insert("name".into(), Value::str("app2"));
        assert_ne!(t, client_token("stack", &a, &attrs, "n1"));
    }
}
