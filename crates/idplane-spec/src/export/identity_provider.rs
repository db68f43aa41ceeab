//! Exporting a user pool's SAML or OIDC identity provider.

use super::{Ctx, attrs, env_name, put, renamed};
use crate::rename::identity_provider as names;
use idplane_model::{LiveObject, Value};
use serde_json::{Map, Value as J, json};
use std::collections::BTreeMap;

/// The field a spec key of a table lowers to.
fn field(table: &[(&'static str, &'static str)], yaml: &str) -> &'static str {
    table
        .iter()
        .find(|(k, _)| *k == yaml)
        .map(|(_, f)| *f)
        .expect("a key of the table")
}

/// A file name for a metadata document, safe on every file system.
fn metadata_file_name(pool_key: &str, name: &str) -> String {
    format!("{pool_key}-{name}-metadata.xml")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl Ctx<'_> {
    /// `(name, entry)` of the provider, or `None` (with a warning) for a type the spec lacks.
    pub(super) fn identity_provider(
        &mut self,
        idp: &LiveObject,
        pool_key: &str,
    ) -> Option<(String, J)> {
        let ia = attrs(idp);
        let name = idp
            .attrs
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(&idp.id);
        let details = ia
            .get("provider_details")
            .and_then(Value::as_map)
            .cloned()
            .unwrap_or_default();
        let mut im = Map::new();
        let provider_type = idp.attrs.get("provider_type").and_then(Value::as_str);
        match provider_type {
            Some("SAML") => {
                let saml = self.saml(&details, pool_key, name);
                im.insert("saml".into(), J::Object(saml));
            }
            Some("OIDC") => {
                let oidc = self.oidc(&details, pool_key, name);
                im.insert("oidc".into(), J::Object(oidc));
            }
            other => {
                self.warnings
                    .push(format!("{name}: provider type {other:?} is not exported"));
                return None;
            }
        }
        let mut plain = ia.clone();
        if let Some(Value::Map(mapping)) = plain.get_mut("attribute_mapping")
            && mapping.get("username").and_then(Value::as_str) == Some("sub")
            && provider_type != Some("SAML")
        {
            mapping.remove("username");
        }
        im.extend(renamed(names::PLAIN, &plain));
        Some((name.to_string(), J::Object(im)))
    }

    fn saml(
        &mut self,
        details: &BTreeMap<String, Value>,
        pool_key: &str,
        name: &str,
    ) -> Map<String, J> {
        let d = |k: &str| details.get(k).and_then(Value::as_str).map(str::to_string);
        let mut s = Map::new();
        if let Some(url) = d(field(names::SAML, "metadata_url")) {
            s.insert("metadata_url".into(), json!(url));
        } else if let Some(doc) = d(field(names::SAML, "metadata_file")) {
            // The document AWS holds, written beside the spec.
            let file = metadata_file_name(pool_key, name);
            s.insert("metadata_file".into(), json!(file));
            self.files.push((file, doc));
        }
        // Flags are off unless `"true"`; only the ones that are on are written.
        for (yk, fk) in names::SAML_FLAGS {
            if d(fk).is_some_and(|v| v.eq_ignore_ascii_case("true")) {
                s.insert((*yk).into(), json!(true));
            }
        }
        let alg = "request_signing_algorithm";
        put(&mut s, alg, d(field(names::SAML, alg)).map(J::String));
        s
    }

    fn oidc(
        &mut self,
        details: &BTreeMap<String, Value>,
        pool_key: &str,
        name: &str,
    ) -> Map<String, J> {
        let mut s = Map::new();
        for (yk, fk) in names::OIDC {
            let text = details.get(*fk).and_then(Value::as_str);
            match *yk {
                "client_secret" => {
                    if details.contains_key(*fk) {
                        let env = env_name(&[pool_key, name]);
                        s.insert((*yk).into(), json!({ "env": env }));
                        self.secrets.push(env);
                    }
                }
                "scopes" => {
                    if let Some(scopes) = text {
                        let list: Vec<&str> = scopes.split_whitespace().collect();
                        s.insert((*yk).into(), json!(list));
                    }
                }
                _ => put(&mut s, yk, text.map(|t| J::String(t.to_string()))),
            }
        }
        s
    }
}
