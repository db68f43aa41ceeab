//! Lowering an Identity Center application (`identity_center.applications.NAME`); its children
//! (assignments, grants, access scopes, authentication method) have their own files.

use super::*;
use crate::rename::application as names;

impl Lower<'_> {
    pub(super) fn application(&mut self, key: &str, n: &Node) {
        let addr = Address::root("identity_center", "applications").child([key]);
        let mut r = self.resource(addr.clone(), Kind::Application, None, n.pos);
        r.pinned_id = s(n.get("arn")).map(str::to_string);
        self.check_arn(n.get("arn"), "sso", "Identity Center application");
        let referenced = n.get("arn").is_some() && n.get("name").is_none();
        if referenced {
            r.mode = Mode::Referenced;
            for k in [
                "grants",
                "access_scopes",
                "authentication_methods",
                "description",
                "portal",
                "enabled",
                "tags",
            ] {
                if let Some(p) = n.key_pos(k) {
                    self.issue(
                        codes::REFERENCED_APP,
                        p,
                        format!("`{k}` cannot be set on a referenced application (given by `arn` alone)"),
                        Some("a referenced application only takes `assignment_required` and `assignments`; add `name` to manage the application itself".into()),
                    );
                }
            }
        } else {
            r.attrs.insert(
                "name".into(),
                self.opt_val(&addr, n.get("name"))
                    .unwrap_or_else(|| Value::str(key)),
            );
            if let Some(v) = self.opt_val(&addr, n.get("description")) {
                r.attrs.insert("description".into(), v);
            }
            let (yk, fk) = names::ENABLED;
            if let Some(b) = n.get(yk).and_then(Node::as_bool) {
                r.attrs.insert(
                    fk.into(),
                    Value::str(if b { "ENABLED" } else { "DISABLED" }),
                );
            }
            if let Some(p) = n.get(names::PORTAL.0) {
                let portal = self.portal(&addr, p);
                r.attrs.insert(names::PORTAL.1.into(), portal);
            }
            if let Some(v) = self.opt_val(&addr, n.get("tags")) {
                r.attrs.insert("tags".into(), v);
            }
        }
        self.add(r);
        self.assignments(&addr, key, n, referenced);
        if let Some(g) = n.get("grants") {
            self.grants(&addr, g);
        }
        if let Some(scopes) = n.get("access_scopes") {
            self.access_scopes(&addr, scopes);
        }
        if let Some(iam) = n.get("authentication_methods").and_then(|m| m.get("iam")) {
            self.authentication_method(&addr, iam);
        }
    }

    /// `portal:` as `portal_options`.
    fn portal(&mut self, addr: &Address, p: &Node) -> Value {
        let mut m = BTreeMap::new();
        let (yk, fk) = names::VISIBLE;
        if let Some(b) = p.get(yk).and_then(Node::as_bool) {
            m.insert(
                fk.to_string(),
                Value::str(if b { "ENABLED" } else { "DISABLED" }),
            );
        }
        let mut so = BTreeMap::new();
        if let Some(o) = p.get("sign_in_origin")
            && let Some(t) = o.as_str()
            && !["IDENTITY_CENTER", "APPLICATION"].contains(&t)
        {
            self.issue(
                codes::BAD_VALUE,
                o.pos,
                format!("invalid sign-in origin `{t}`"),
                Some("use IDENTITY_CENTER or APPLICATION".into()),
            );
        }
        if let Some(u) = p.get("application_url")
            && let Some(t) = u.as_str()
        {
            self.check_url(t, u.pos, "application URL", false);
        }
        if s(p.get("sign_in_origin")) == Some("APPLICATION") && p.get("application_url").is_none() {
            self.issue(
                codes::MISSING_KEY,
                p.pos,
                "`sign_in_origin: APPLICATION` needs `application_url`",
                None,
            );
        }
        self.copy(addr, Some(p), names::SIGN_IN_OPTIONS, &mut so);
        if !so.is_empty() {
            m.insert("sign_in_options".to_string(), Value::Map(so));
        }
        Value::Map(m)
    }
}
