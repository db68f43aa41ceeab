//! Exporting an Identity Center application with its assignment configuration, grants, access
//! scopes, authentication method and assignments.

use super::{Ctx, attrs, j, put, renamed};
use crate::rename::application as names;
use idplane_model::{Kind, LiveObject, Value};
use serde_json::{Map, Value as J, json};

impl Ctx<'_> {
    pub(super) fn application(&mut self, o: &LiveObject) -> J {
        let a = attrs(o);
        let mut m = Map::new();
        put(&mut m, "name", o.attrs.get("name").map(j));
        put(&mut m, "description", a.get("description").map(j));
        let (yk, fk) = names::ENABLED;
        if let Some(s) = a.get(fk).and_then(Value::as_str) {
            m.insert(yk.into(), json!(s == "ENABLED"));
        }
        let (yk, fk) = names::PORTAL;
        if let Some(Value::Map(p)) = a.get(fk) {
            let mut pm = Map::new();
            let (vk, vf) = names::VISIBLE;
            if let Some(v) = p.get(vf).and_then(Value::as_str) {
                pm.insert(vk.into(), json!(v == "ENABLED"));
            }
            if let Some(Value::Map(so)) = p.get("sign_in_options") {
                pm.extend(renamed(names::SIGN_IN_OPTIONS, so));
            }
            put(&mut m, yk, Some(J::Object(pm)));
        }
        put(&mut m, "tags", a.get("tags").map(j));
        self.assignment_required(o, &mut m);
        let grants = self.grants(o);
        if !grants.is_empty() {
            m.insert("grants".into(), J::Object(grants));
        }
        let scopes = self.access_scopes(o);
        if !scopes.is_empty() {
            m.insert("access_scopes".into(), J::Array(scopes));
        }
        if let Some(am) = self
            .children(Kind::ApplicationAuthenticationMethod, &o.id)
            .into_iter()
            .find(|x| x.id == "IAM")
            && let Some(p) = idplane_model::normalize(am.kind, &am.attrs).get("actor_policy")
        {
            m.insert(
                "authentication_methods".into(),
                json!({ "iam": { "actor_policy": self.deep(j(p)) } }),
            );
        }
        if let Some(asg) = self.assignments(o) {
            m.insert("assignments".into(), asg);
        }
        J::Object(m)
    }

    fn assignment_required(&self, o: &LiveObject, m: &mut Map<String, J>) {
        let Some(cfg) = self
            .children(Kind::ApplicationAssignmentConfiguration, &o.id)
            .first()
            .copied()
        else {
            return;
        };
        let v = idplane_model::normalize(cfg.kind, &cfg.attrs);
        // AWS's default (true) is written only with assignments: the spec language refuses
        // a required assignment without any (E027), and leaving it out keeps it live.
        let has_assignments = !self.children(Kind::ApplicationAssignment, &o.id).is_empty();
        if v.get("assignment_required") == Some(&Value::Bool(false)) || has_assignments {
            put(
                m,
                "assignment_required",
                v.get("assignment_required").map(j),
            );
        }
    }

    fn grants(&mut self, o: &LiveObject) -> Map<String, J> {
        let mut grants = Map::new();
        for g in self.children(Kind::ApplicationGrant, &o.id) {
            let ga = idplane_model::normalize(g.kind, &g.attrs);
            let grant = ga
                .get("grant")
                .and_then(Value::as_map)
                .cloned()
                .unwrap_or_default();
            let Some((key, _)) = names::GRANT_TYPES.iter().find(|(_, t)| *t == g.id) else {
                self.warnings
                    .push(format!("grant type {} is not exported", g.id));
                continue;
            };
            let value = match *key {
                "authorization_code" => {
                    json!({ "redirect_uris": grant.get("redirect_uris").map(j).unwrap_or(json!([])) })
                }
                "jwt_bearer" => {
                    let issuers: Vec<J> = grant
                        .get("authorized_token_issuers")
                        .and_then(Value::as_list)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(Value::as_map)
                        .map(|i| {
                            json!({
                                "issuer": self.deep(i.get("trusted_token_issuer_arn").map(j).unwrap_or(J::Null)),
                                "audiences": self.deep(i.get("authorized_audiences").map(j).unwrap_or(json!([]))),
                            })
                        })
                        .collect();
                    J::Array(issuers)
                }
                _ => json!({}),
            };
            grants.insert((*key).into(), value);
        }
        grants
    }

    fn access_scopes(&self, o: &LiveObject) -> Vec<J> {
        self.children(Kind::ApplicationAccessScope, &o.id)
            .into_iter()
            .map(|s| {
                let sa = attrs(s);
                match sa.get("authorized_targets") {
                    Some(t) => json!({ "scope": s.id, "authorized_targets": self.deep(j(t)) }),
                    None => json!(s.id),
                }
            })
            .collect()
    }

    fn assignments(&self, o: &LiveObject) -> Option<J> {
        let mut users = Vec::new();
        let mut groups = Vec::new();
        for asg in self.children(Kind::ApplicationAssignment, &o.id) {
            let t = asg.attrs.get("principal_type").and_then(Value::as_str);
            let n = asg.attrs.get("principal_name").and_then(Value::as_str);
            match (t, n) {
                (Some("GROUP"), Some(n)) => groups.push(n.to_string()),
                (_, Some(n)) => users.push(n.to_string()),
                _ => {}
            }
        }
        if users.is_empty() && groups.is_empty() {
            return None;
        }
        let mut asg = Map::new();
        if !users.is_empty() {
            asg.insert("users".into(), json!(users));
        }
        if !groups.is_empty() {
            asg.insert("groups".into(), json!(groups));
        }
        Some(J::Object(asg))
    }
}
