//! Lowering an application's grants (`identity_center.applications.NAME.grants`).

use super::*;
use crate::rename::application::GRANT_TYPES;

/// The grant type a `grants:` key becomes.
fn grant_type(key: &str) -> &'static str {
    GRANT_TYPES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, t)| *t)
        .expect("a grant of the table")
}

impl Lower<'_> {
    pub(super) fn grants(&mut self, addr: &Address, g: &Node) {
        if let Some(ac) = g.get("authorization_code") {
            let gaddr = addr.child(["grants", "authorization_code"]);
            let mut gr = self.resource(gaddr.clone(), Kind::ApplicationGrant, Some(addr), ac.pos);
            gr.attrs.insert(
                "grant_type".into(),
                Value::str(grant_type("authorization_code")),
            );
            let uris = strs(ac.get("redirect_uris"));
            for (u, p) in &uris {
                self.check_url(u, *p, "redirect URI", true);
            }
            if uris.is_empty() && ac.get("redirect_uris").is_some() {
                self.issue(
                    codes::FLOW_WITHOUT_CALLBACK,
                    ac.pos,
                    "the authorization code grant needs at least one redirect URI",
                    None,
                );
            }
            let mut m = BTreeMap::new();
            if let Some(v) = self.opt_val(&gaddr, ac.get("redirect_uris")) {
                m.insert("redirect_uris".to_string(), v);
            }
            gr.attrs.insert("grant".into(), Value::Map(m));
            self.add(gr);
        }
        for yk in ["refresh_token", "token_exchange"] {
            if let Some(e) = g.get(yk) {
                let gaddr = addr.child(["grants", yk]);
                let mut gr = self.resource(gaddr, Kind::ApplicationGrant, Some(addr), e.pos);
                gr.attrs
                    .insert("grant_type".into(), Value::str(grant_type(yk)));
                gr.attrs.insert("grant".into(), Value::Map(BTreeMap::new()));
                self.add(gr);
            }
        }
        if let Some(jb) = g.get("jwt_bearer") {
            self.jwt_bearer(addr, jb);
        }
    }

    /// The JWT bearer grant: its token issuers and their audiences (checked by the whole-stack
    /// rules once every resource is known).
    fn jwt_bearer(&mut self, addr: &Address, jb: &Node) {
        let gaddr = addr.child(["grants", "jwt_bearer"]);
        let mut gr = self.resource(gaddr.clone(), Kind::ApplicationGrant, Some(addr), jb.pos);
        gr.attrs
            .insert("grant_type".into(), Value::str(grant_type("jwt_bearer")));
        let mut issuers = Vec::new();
        if jb.items().is_empty() && matches!(jb.value, NodeValue::Seq(_)) {
            self.issue(
                codes::GRANT_ISSUER,
                jb.pos,
                "the JWT bearer grant names no token issuer",
                None,
            );
        }
        for item in jb.items() {
            let mut m = BTreeMap::new();
            let mut iref = None;
            if let Some(i) = item.get("issuer") {
                let v = self.val(&gaddr, i);
                match &v {
                    Value::Ref(rf) => {
                        if rf.address.segments().first().map(String::as_str)
                            != Some("identity_center")
                            || rf.address.segments().get(1).map(String::as_str)
                                != Some("trusted_token_issuers")
                            || rf.output != "arn"
                        {
                            self.issue(
                                codes::GRANT_ISSUER,
                                i.pos,
                                format!(
                                    "`issuer` references `{rf}`, not a trusted token issuer's ARN"
                                ),
                                Some(
                                    "write `${identity_center.trusted_token_issuers.NAME.arn}`"
                                        .into(),
                                ),
                            );
                        } else {
                            iref = Some(rf.clone());
                        }
                    }
                    Value::Str(t) if !valid_arn(t) || !t.contains(":trustedTokenIssuer/") => {
                        self.issue(
                                codes::GRANT_ISSUER,
                                i.pos,
                                format!("`{t}` is not a trusted token issuer ARN"),
                                Some("write `${identity_center.trusted_token_issuers.NAME.arn}` or the issuer's ARN".into()),
                            );
                    }
                    _ => {}
                }
                m.insert("trusted_token_issuer_arn".to_string(), v);
            }
            let auds = item.get("audiences");
            if let Some(a) = auds {
                if a.items().is_empty() && matches!(a.value, NodeValue::Seq(_)) {
                    self.issue(codes::AUDIENCE_NOT_CLIENT, a.pos, "a token issuer needs at least one audience", Some("the audience is the `aud` claim, e.g. `${user_pools.blog.clients.tti.id}`".into()));
                }
                let mut list = Vec::new();
                for aud in a.items() {
                    let v = self.val(&gaddr, aud);
                    match &v {
                        Value::Ref(rf) => {
                            self.audiences.push((rf.clone(), iref.clone(), aud.pos));
                        }
                        Value::Str(t) => {
                            self.literal_audiences
                                .push((t.clone(), iref.clone(), aud.pos));
                        }
                        _ => {}
                    }
                    list.push(v);
                }
                m.insert("authorized_audiences".to_string(), Value::List(list));
                self.duplicates(&strs(Some(a)), "audience");
            }
            issuers.push(Value::Map(m));
        }
        let mut gm = BTreeMap::new();
        gm.insert("authorized_token_issuers".to_string(), Value::List(issuers));
        gr.attrs.insert("grant".into(), Value::Map(gm));
        self.add(gr);
    }
}
