//! Lowering an application's assignment configuration (`assignment_required`) and its
//! assignments (`assignments: {users, groups}`).

use super::*;

impl Lower<'_> {
    pub(super) fn assignments(&mut self, addr: &Address, key: &str, n: &Node, referenced: bool) {
        let users = strs(n.get("assignments").and_then(|a| a.get("users")));
        let groups = strs(n.get("assignments").and_then(|a| a.get("groups")));
        let required = n.get("assignment_required");
        if let Some(req) = required {
            let caddr = addr.child(["assignment_configuration"]);
            let mut c = self.resource(
                caddr.clone(),
                Kind::ApplicationAssignmentConfiguration,
                Some(addr),
                req.pos,
            );
            if let Some(v) = self.opt_val(&caddr, Some(req)) {
                c.attrs.insert("assignment_required".into(), v);
            }
            self.add(c);
            if req.as_bool() == Some(true) && users.is_empty() && groups.is_empty() {
                self.issue(
                    codes::NO_ASSIGNMENTS,
                    req.pos,
                    format!("application `{key}` requires assignments but has none"),
                    Some("add `assignments: {users: [...], groups: [...]}` or set `assignment_required: false`; without an assignment every token exchange is denied".into()),
                );
            }
        } else if !referenced && users.is_empty() && groups.is_empty() {
            self.issue(
                codes::DEFAULT_ASSIGNMENT_REQUIRED,
                n.pos,
                format!("application `{key}` has no assignments and AWS requires them by default"),
                Some("set `assignment_required: false` or add `assignments`".into()),
            );
        }
        self.duplicates(&users, "assigned user");
        self.duplicates(&groups, "assigned group");
        for (ptype, list) in [("USER", &users), ("GROUP", &groups)] {
            for (name, pos) in list.iter() {
                let principal = format!("{ptype}:{name}");
                let aaddr = addr.child(["assignments", principal.as_str()]);
                let mut a =
                    self.resource(aaddr.clone(), Kind::ApplicationAssignment, Some(addr), *pos);
                a.attrs.insert("principal_type".into(), Value::str(ptype));
                a.attrs.insert("principal_name".into(), Value::str(*name));
                a.attrs
                    .insert("principal".into(), Value::str(principal.clone()));
                self.principal_deps.push((aaddr, ptype, name.to_string()));
                self.add(a);
            }
        }
    }
}
