//! Lowering an application's IAM authentication method (its actor policy).

use super::*;

impl Lower<'_> {
    pub(super) fn authentication_method(&mut self, addr: &Address, iam: &Node) {
        let maddr = addr.child(["authentication_methods", "iam"]);
        let mut mr = self.resource(
            maddr.clone(),
            Kind::ApplicationAuthenticationMethod,
            Some(addr),
            iam.pos,
        );
        mr.attrs.insert("method_type".into(), Value::str("IAM"));
        if let Some(p) = iam.get("actor_policy") {
            let policy = match &p.value {
                NodeValue::Str(t) if !is_ref(t) => {
                    match serde_json::from_str::<serde_json::Value>(t) {
                        Ok(j) => Some(Value::from_json(&j)),
                        Err(e) => {
                            self.issue(
                                codes::ACTOR_POLICY,
                                p.pos,
                                format!("the actor policy is not valid JSON: {e}"),
                                Some("write the policy as YAML, or as a JSON string".into()),
                            );
                            None
                        }
                    }
                }
                _ => Some(self.val(&maddr, p)),
            };
            if let Some(policy) = policy {
                let ok = policy.as_map().is_some_and(|m| {
                    m.contains_key("Statement")
                        && m.get("Version").and_then(Value::as_str).is_some()
                });
                if !ok {
                    self.issue(
                        codes::ACTOR_POLICY,
                        p.pos,
                        "the actor policy needs `Version` and `Statement`",
                        Some("e.g. `{Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {AWS: \"123456789012\"}, Action: sso-oauth:CreateTokenWithIAM, Resource: \"*\"}]}`".into()),
                    );
                }
                mr.attrs.insert("actor_policy".into(), policy);
            }
        }
        self.add(mr);
    }
}
