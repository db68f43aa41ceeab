//! Exporting a Cognito identity pool.

use super::{Ctx, attrs, j, put, renamed, renamed_map};
use crate::rename::identity_pool as names;
use idplane_model::{LiveObject, Value};
use serde_json::{Map, Value as J, json};

impl Ctx<'_> {
    pub(super) fn identity_pool(&self, o: &LiveObject) -> J {
        let a = attrs(o);
        let mut m = Map::new();
        m.insert("id".into(), json!(o.id));
        put(&mut m, "name", o.attrs.get("name").map(j));
        m.extend(renamed(names::PLAIN, &a));
        let (yk, fk) = names::COGNITO_PROVIDERS;
        let providers = a.get(fk).and_then(Value::as_list).map(|list| {
            let items = list
                .iter()
                .map(|p| match p {
                    Value::Map(p) => J::Object(renamed_map(names::COGNITO_PROVIDER, p)),
                    other => j(other),
                })
                .collect();
            self.deep(J::Array(items))
        });
        put(&mut m, yk, providers);
        let roles = a.get("roles").and_then(Value::as_map);
        put(
            &mut m,
            "roles",
            roles.map(|r| J::Object(renamed_map(names::ROLES, r))),
        );
        let mappings = a.get("role_mappings").and_then(Value::as_map).map(|rm| {
            let mut out = Map::new();
            for (provider, mapping) in rm {
                let v = match mapping {
                    Value::Map(mm) => J::Object(renamed_map(names::ROLE_MAPPING, mm)),
                    other => j(other),
                };
                out.insert(provider.clone(), v);
            }
            J::Object(out)
        });
        put(&mut m, "role_mappings", mappings);
        // Tags last, as a person writes them.
        if let Some(tags) = m.remove("tags") {
            m.insert("tags".into(), tags);
        }
        J::Object(m)
    }
}
