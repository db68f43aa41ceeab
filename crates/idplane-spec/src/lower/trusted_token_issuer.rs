//! Lowering a trusted token issuer (`identity_center.trusted_token_issuers.NAME`).

use super::*;
use crate::rename::TTI_OIDC_JWT;

impl Lower<'_> {
    pub(super) fn tti(&mut self, key: &str, n: &Node) {
        let addr = Address::root("identity_center", "trusted_token_issuers").child([key]);
        let mut r = self.resource(addr.clone(), Kind::TrustedTokenIssuer, None, n.pos);
        r.pinned_id = s(n.get("arn")).map(str::to_string);
        self.check_arn(n.get("arn"), "sso", "trusted token issuer");
        r.attrs.insert(
            "name".into(),
            self.opt_val(&addr, n.get("name"))
                .unwrap_or_else(|| Value::str(key)),
        );
        let mut pool = None;
        if let Some(o) = n.get("oidc_jwt") {
            for (yk, fk) in TTI_OIDC_JWT {
                let Some(node) = o.get(yk) else { continue };
                let value = match *yk {
                    "issuer_url" => {
                        let (v, p) = self.tti_issuer(key, &addr, node);
                        pool = p;
                        Some(v)
                    }
                    "identity_store_attribute_path" => {
                        self.check_store_path(node);
                        self.opt_val(&addr, Some(node))
                    }
                    "jwks_retrieval_option" => {
                        self.check_jwks_option(node);
                        self.opt_val(&addr, Some(node))
                    }
                    // The claim path's length and pattern are in the limits table (E021).
                    _ => self.opt_val(&addr, Some(node)),
                };
                if let Some(v) = value {
                    r.attrs.insert((*fk).into(), v);
                }
            }
        }
        if let Some(v) = self.opt_val(&addr, n.get("tags")) {
            r.attrs.insert("tags".into(), v);
        }
        self.tti_pool.insert(key.to_string(), pool);
        self.add(r);
    }

    /// The issuer URL: a user pool's `issuer_url` of this stack (the pool is returned), or a
    /// literal https URL.
    fn tti_issuer(&mut self, key: &str, addr: &Address, u: &Node) -> (Value, Option<String>) {
        let mut pool = None;
        let v = self.val(addr, u);
        match &v {
            Value::Ref(rf) => {
                let is_pool =
                    rf.address.segments().len() == 2 && rf.address.segments()[0] == "user_pools";
                let known = Kind::UserPool.info().outputs.contains(&rf.output.as_str());
                if !is_pool || (known && rf.output != "issuer_url") {
                    self.issue(
                        codes::TTI_ISSUER,
                        u.pos,
                        format!("the issuer URL references `{rf}`, which is not a user pool's issuer URL"),
                        Some("write `${user_pools.NAME.issuer_url}`".into()),
                    );
                } else {
                    pool = Some(rf.address.segments()[1].clone());
                }
            }
            Value::Str(t) if t.starts_with("https://") => {
                self.tti_url.insert(key.to_string(), t.clone());
            }
            Value::Str(t) => {
                self.issue(
                    codes::TTI_ISSUER,
                    u.pos,
                    format!("issuer URL `{t}` must be https"),
                    Some("for a pool of this stack write `${user_pools.NAME.issuer_url}`".into()),
                );
            }
            _ => {}
        }
        (v, pool)
    }

    fn check_store_path(&mut self, c: &Node) {
        if let Some(t) = c.as_str()
            && !STORE_PATHS.contains(&t)
        {
            let hint = match did_you_mean(t, STORE_PATHS.iter().copied()) {
                Some(m) => format!("did you mean `{m}`?"),
                None => "use emails.value, userName or externalIds.id".into(),
            };
            self.issue(
                codes::TTI_STORE_PATH,
                c.pos,
                format!("`{t}` is not an identity store attribute path Identity Center accepts"),
                Some(hint),
            );
        }
    }

    fn check_jwks_option(&mut self, j: &Node) {
        if let Some(t) = j.as_str()
            && t != "OPEN_ID_DISCOVERY"
        {
            self.issue(
                codes::BAD_VALUE,
                j.pos,
                format!("invalid JWKS retrieval option `{t}`"),
                Some("the only option is OPEN_ID_DISCOVERY".into()),
            );
        }
    }
}

const STORE_PATHS: &[&str] = &["emails.value", "userName", "externalIds.id"];
