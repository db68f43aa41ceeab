//! Exporting a user pool's app client.

use super::{attrs, duration, put, renamed};
use crate::rename::client as names;
use idplane_model::{LiveObject, Value};
use serde_json::{Map, Value as J, json};

pub(super) fn client(c: &LiveObject, name: &str, pin: bool) -> J {
    let a = attrs(c);
    let mut m = Map::new();
    if pin {
        m.insert("id".into(), json!(c.id));
    }
    m.insert("name".into(), json!(name));
    let mut plain = renamed(names::PLAIN, &a);
    let mut take = |k: &str| plain.remove(k);
    put(&mut m, "generate_secret", take("generate_secret"));
    put(&mut m, "auth_flows", take("auth_flows"));
    if a.get("allowed_oauth_flows_user_pool_client") == Some(&Value::Bool(true)) {
        m.insert("oauth".into(), J::Object(renamed(names::OAUTH, &a)));
    }
    put(&mut m, "identity_providers", take("identity_providers"));
    let mut tv = Map::new();
    for (key, field, _, _, unit) in names::TOKEN_VALIDITY {
        put(
            &mut tv,
            key,
            a.get(*field)
                .and_then(Value::as_int)
                .map(|n| duration(n * unit)),
        );
    }
    put(&mut m, "token_validity", Some(J::Object(tv)));
    m.extend(plain);
    if let Some(p) = a
        .get("prevent_user_existence_errors")
        .and_then(Value::as_str)
    {
        m.insert(
            "prevent_user_existence_errors".into(),
            json!(p == "ENABLED"),
        );
    }
    // `propagate_additional_user_context_data` came after it.
    if let Some(v) = m.remove("propagate_additional_user_context_data") {
        m.insert("propagate_additional_user_context_data".into(), v);
    }
    J::Object(m)
}
