//! Lowering a user pool's group (`user_pools.NAME.groups.GROUP`).

use super::*;
use crate::rename::USER_POOL_GROUP;

impl Lower<'_> {
    pub(super) fn user_pool_group(&mut self, pool: &Address, gname: &str, g: &Node) {
        let gaddr = pool.child(["groups", gname]);
        let mut r = self.resource(gaddr.clone(), Kind::UserPoolGroup, Some(pool), g.pos);
        r.attrs.insert("name".into(), Value::str(gname));
        self.copy(&gaddr, Some(g), USER_POOL_GROUP, &mut r.attrs);
        self.check_arn(g.get("role_arn"), "iam", "IAM role");
        self.add(r);
    }
}
