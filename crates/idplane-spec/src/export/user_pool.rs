//! Exporting a user pool with its domain, resource servers and groups (its identity providers
//! and clients have their own files).

use super::{Ctx, attrs, j, keys_of, logical, put, renamed, renamed_map};
use crate::rename::{self, user_pool as names};
use idplane_model::{Kind, LiveObject, Value};
use serde_json::{Map, Value as J, json};
use std::collections::BTreeSet;

/// `lambda_config` as the spec writes it: a pre-token trigger with a version other than `V1_0`
/// (normalization drops the config at `V1_0`) becomes `pre_token_generation: {arn, version}`.
fn lambda_triggers(v: &Value) -> J {
    let mut out = j(v);
    if let Some(m) = out.as_object_mut()
        && let Some(config) = m.remove("pre_token_generation_config")
    {
        m.insert(
            "pre_token_generation".into(),
            json!({"arn": config["lambda_arn"], "version": config["lambda_version"]}),
        );
    }
    out
}

/// The `schema:` of a pool: one entry per attribute, constraints flattened into it.
fn schema(schema: &std::collections::BTreeMap<String, Value>) -> J {
    let mut s = Map::new();
    for (name, attr) in schema {
        let am = attr.as_map().cloned().unwrap_or_default();
        let mut e = renamed(names::SCHEMA_ATTRIBUTE, &am);
        for (group, keys) in [
            ("string_constraints", names::STRING_CONSTRAINTS),
            ("number_constraints", names::NUMBER_CONSTRAINTS),
        ] {
            if let Some(Value::Map(c)) = am.get(group) {
                e.extend(renamed(keys, c));
            }
        }
        s.insert(name.clone(), J::Object(e));
    }
    J::Object(s)
}

/// The pool's own fields, spelled as the spec spells them.
fn pool_fields(m: &mut Map<String, J>, a: &std::collections::BTreeMap<String, Value>) {
    put(m, "sign_in", Some(J::Object(renamed(names::SIGN_IN, a))));
    if let Some(Value::Map(s)) = a.get("schema") {
        put(m, "schema", Some(schema(s)));
    }
    put(
        m,
        "auto_verified_attributes",
        a.get("auto_verified_attributes").map(j),
    );
    let nested = |yk: &str| {
        let (_, field, keys) = names::NESTED
            .iter()
            .find(|(k, _, _)| *k == yk)
            .expect("a nested map of the table");
        a.get(*field)
            .and_then(Value::as_map)
            .map(|v| J::Object(renamed_map(keys, v)))
    };
    put(m, "password_policy", nested("password_policy"));
    put(m, "mfa", Some(J::Object(renamed(names::MFA, a))));
    if let Some(Value::Map(acu)) = a.get(names::ADMIN_CREATE_USER_CONFIG) {
        let (yk, fk) = names::ADMIN_CREATE_USER_ONLY;
        put(m, yk, acu.get(fk).map(j));
        let (yk, fk) = names::INVITE_MESSAGE_TEMPLATE;
        let template = acu.get(fk).and_then(Value::as_map);
        put(
            m,
            yk,
            template.map(|t| J::Object(renamed_map(names::INVITE_MESSAGE, t))),
        );
    }
    put(m, "account_recovery", a.get("account_recovery").map(j));
    put(m, "email", nested("email"));
    put(m, "sms", nested("sms"));
    put(m, "verification_message", nested("verification_message"));
    put(
        m,
        "lambda_triggers",
        a.get("lambda_config").map(lambda_triggers),
    );
    if let Some(d) = a.get("deletion_protection").and_then(Value::as_str) {
        m.insert("deletion_protection".into(), json!(d == "ACTIVE"));
    }
    // ORIGINAL is what a new pool gets: only the recommended UPDATED issuer is worth writing.
    put(
        m,
        "issuer_type",
        a.get("issuer_type")
            .filter(|v| v.as_str() != Some("ORIGINAL"))
            .map(j),
    );
    put(m, "tags", a.get("tags").map(j));
}

/// A pool's domain: a prefix, or a custom domain with its certificate.
fn domain(d: &LiveObject) -> J {
    let da = attrs(d);
    let mut dm = Map::new();
    let domain = d
        .attrs
        .get("domain")
        .and_then(Value::as_str)
        .unwrap_or(&d.id);
    if domain.contains('.') {
        dm.insert("custom_domain".into(), json!(domain));
        put(&mut dm, "certificate_arn", da.get("certificate_arn").map(j));
    } else {
        dm.insert("prefix".into(), json!(domain));
    }
    put(
        &mut dm,
        "managed_login_version",
        da.get("managed_login_version").map(j),
    );
    J::Object(dm)
}

impl Ctx<'_> {
    pub(super) fn user_pool(&mut self, o: &LiveObject, key: &str) -> J {
        let a = attrs(o);
        let mut m = Map::new();
        m.insert("id".into(), json!(o.id));
        put(&mut m, "name", o.attrs.get("name").map(j));
        pool_fields(&mut m, &a);
        if let Some(d) = self.children(Kind::UserPoolDomain, &o.id).first() {
            m.insert("domain".into(), domain(d));
        }
        let mut idps = Map::new();
        for idp in self.children(Kind::IdentityProvider, &o.id) {
            if let Some((name, v)) = self.identity_provider(idp, key) {
                idps.insert(name, v);
            }
        }
        put(&mut m, "identity_providers", Some(J::Object(idps)));
        put(&mut m, "resource_servers", Some(self.resource_servers(o)));
        put(&mut m, "groups", Some(self.groups(o)));
        put(&mut m, "clients", Some(self.clients(o)));
        J::Object(m)
    }

    fn resource_servers(&self, o: &LiveObject) -> J {
        let mut rss = Map::new();
        let mut taken = BTreeSet::new();
        for rs in self.children(Kind::ResourceServer, &o.id) {
            let ra = attrs(rs);
            let name = rs
                .attrs
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&rs.id);
            let k = logical(name, &taken);
            taken.insert(k.clone());
            let mut rm = Map::new();
            rm.insert("identifier".into(), json!(rs.id));
            rm.insert("name".into(), json!(name));
            put(&mut rm, "scopes", ra.get("scopes").map(j));
            rss.insert(k, J::Object(rm));
        }
        J::Object(rss)
    }

    fn groups(&self, o: &LiveObject) -> J {
        let mut groups = Map::new();
        for g in self.children(Kind::UserPoolGroup, &o.id) {
            let ga = attrs(g);
            groups.insert(
                g.id.clone(),
                J::Object(renamed(rename::USER_POOL_GROUP, &ga)),
            );
        }
        J::Object(groups)
    }

    fn clients(&self, o: &LiveObject) -> J {
        let mut clients = Map::new();
        let all_clients = self.children(Kind::UserPoolClient, &o.id);
        let name_of = |c: &LiveObject| -> String {
            c.attrs
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&c.id)
                .to_string()
        };
        for (c, k) in keys_of(all_clients.iter().copied(), "client") {
            let name = name_of(c);
            // Names are matched within the pool; a repeated name needs the id.
            let repeated = all_clients.iter().filter(|x| name_of(x) == name).count() > 1;
            clients.insert(k, super::client::client(c, &name, repeated));
        }
        J::Object(clients)
    }
}
