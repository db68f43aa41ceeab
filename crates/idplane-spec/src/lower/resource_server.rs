//! Lowering a user pool's resource server (`user_pools.NAME.resource_servers.RS`).

use super::*;

impl Lower<'_> {
    pub(super) fn resource_server(
        &mut self,
        pool: &Address,
        rname: &str,
        rs: &Node,
        facts: &mut PoolFacts,
    ) {
        let raddr = pool.child(["resource_servers", rname]);
        let mut r = self.resource(raddr.clone(), Kind::ResourceServer, Some(pool), rs.pos);
        if let Some(v) = self.opt_val(&raddr, rs.get("identifier")) {
            r.attrs.insert("identifier".into(), v);
        }
        r.attrs.insert(
            "name".into(),
            self.opt_val(&raddr, rs.get("name"))
                .unwrap_or_else(|| Value::str(rname)),
        );
        if let Some(v) = self.opt_val(&raddr, rs.get("scopes")) {
            r.attrs.insert("scopes".into(), v);
        }
        if let Some(id) = s(rs.get("identifier")) {
            for (scope, _, _) in rs.get("scopes").map(Node::entries).unwrap_or_default() {
                facts.scopes.insert(format!("{id}/{scope}"), raddr.clone());
            }
        }
        self.add(r);
    }
}
