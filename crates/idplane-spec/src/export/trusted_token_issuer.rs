//! Exporting a trusted token issuer.

use super::{Ctx, attrs, j, pin_if_owned_elsewhere, put};
use crate::rename::TTI_OIDC_JWT;
use idplane_model::{LiveObject, Value};
use serde_json::{Map, Value as J, json};

impl Ctx<'_> {
    pub(super) fn trusted_token_issuer(&self, o: &LiveObject, stack: &str) -> J {
        let a = attrs(o);
        let name = o.attrs.get("name").and_then(Value::as_str).unwrap_or("tti");
        let mut m = Map::new();
        pin_if_owned_elsewhere(&mut m, o, stack, self.pin);
        m.insert("name".into(), json!(name));
        let mut oidc = Map::new();
        for (yk, fk) in TTI_OIDC_JWT {
            match *yk {
                "issuer_url" => {
                    if let Some(url) = o.attrs.get(*fk).and_then(Value::as_str) {
                        oidc.insert((*yk).into(), self.r(url));
                    }
                }
                // The paths are written even at their default: they say what is matched.
                "claim_attribute_path" | "identity_store_attribute_path" => put(
                    &mut oidc,
                    yk,
                    o.attrs.get(*fk).map(j).or_else(|| a.get(*fk).map(j)),
                ),
                _ => put(&mut oidc, yk, a.get(*fk).map(j)),
            }
        }
        m.insert("oidc_jwt".into(), J::Object(oidc));
        put(&mut m, "tags", a.get("tags").map(j));
        J::Object(m)
    }
}
