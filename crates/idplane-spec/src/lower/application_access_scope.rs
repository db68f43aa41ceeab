//! Lowering an application's access scopes (`identity_center.applications.NAME.access_scopes`).

use super::*;

impl Lower<'_> {
    pub(super) fn access_scopes(&mut self, addr: &Address, scopes: &Node) {
        let items = scopes.items();
        if items.len() > 25 {
            self.issue(
                codes::TOO_MANY_SCOPES,
                items[25].pos,
                format!(
                    "{} access scopes; an application has at most 25",
                    items.len()
                ),
                None,
            );
        }
        let mut seen = BTreeSet::new();
        for item in items {
            let (scope, targets) = match &item.value {
                NodeValue::Str(t) => (Some(t.as_str()), None),
                NodeValue::Map(_) => (s(item.get("scope")), item.get("authorized_targets")),
                _ => (None, None),
            };
            let Some(scope) = scope else { continue };
            if !seen.insert(scope.to_string()) {
                self.issue(
                    codes::DUPLICATE_ITEM,
                    item.pos,
                    format!("access scope `{scope}` is listed twice"),
                    None,
                );
                continue;
            }
            if scope.is_empty() || scope.contains(char::is_whitespace) {
                self.issue(
                    codes::BAD_VALUE,
                    item.pos,
                    format!("invalid access scope `{scope}`"),
                    Some("scopes look like `qbusiness:messages:access`".into()),
                );
            }
            let saddr = addr.child(["access_scopes", scope]);
            let mut sr = self.resource(
                saddr.clone(),
                Kind::ApplicationAccessScope,
                Some(addr),
                item.pos,
            );
            sr.attrs.insert("scope".into(), Value::str(scope));
            if let Some(v) = self.opt_val(&saddr, targets) {
                sr.attrs.insert("authorized_targets".into(), v);
            }
            self.add(sr);
        }
    }
}
