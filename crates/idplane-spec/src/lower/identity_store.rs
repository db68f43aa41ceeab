//! Lowering Identity Store users, groups and group memberships (`identity_store`).

use super::*;

impl Lower<'_> {
    pub(super) fn identity_store(&mut self, store: &Node) {
        for (key, _, u) in store.get("users").map(Node::entries).unwrap_or_default() {
            let addr = Address::root("identity_store", "users").child([key.as_str()]);
            let mut r = self.resource(addr.clone(), Kind::IdentityStoreUser, None, u.pos);
            let user_name = s(u.get("user_name")).unwrap_or(key).to_string();
            r.attrs
                .insert("user_name".into(), Value::str(user_name.clone()));
            self.copy(&addr, Some(u), crate::rename::STORE_USER, &mut r.attrs);
            self.store_users.entry(user_name).or_insert(addr);
            self.add(r);
        }
        for (key, _, g) in store.get("groups").map(Node::entries).unwrap_or_default() {
            let addr = Address::root("identity_store", "groups").child([key.as_str()]);
            let mut r = self.resource(addr.clone(), Kind::IdentityStoreGroup, None, g.pos);
            let display = s(g.get("display_name")).unwrap_or(key).to_string();
            r.attrs
                .insert("display_name".into(), Value::str(display.clone()));
            if let Some(v) = self.opt_val(&addr, g.get("description")) {
                r.attrs.insert("description".into(), v);
            }
            self.store_groups.entry(display).or_insert(addr.clone());
            self.add(r);
            let members = strs(g.get("members"));
            self.duplicates(&members, "member");
            for (m, pos) in members {
                let maddr = addr.child(["members", m]);
                let mut mr = self.resource(
                    maddr.clone(),
                    Kind::IdentityStoreGroupMembership,
                    Some(&addr),
                    pos,
                );
                mr.attrs.insert("user_name".into(), Value::str(m));
                self.principal_deps.push((maddr, "USER", m.to_string()));
                self.add(mr);
            }
        }
    }
}
