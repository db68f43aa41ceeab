//! Lowering a Cognito identity pool (`identity_pools.NAME`).

use super::*;

impl Lower<'_> {
    pub(super) fn identity_pool(&mut self, key: &str, n: &Node) {
        let addr = Address::root("identity_pools", key);
        let mut r = self.resource(addr.clone(), Kind::IdentityPool, None, n.pos);
        r.pinned_id = s(n.get("id")).map(str::to_string);
        r.attrs.insert(
            "name".into(),
            self.opt_val(&addr, n.get("name"))
                .unwrap_or_else(|| Value::str(key)),
        );
        if let Some(v) = self.opt_val(&addr, n.get("allow_unauthenticated")) {
            r.attrs.insert("allow_unauthenticated_identities".into(), v);
        }
        if let Some(v) = self.opt_val(&addr, n.get("allow_classic_flow")) {
            r.attrs.insert("allow_classic_flow".into(), v);
        }
        if let Some(cps) = n.get("cognito_providers") {
            let mut list = Vec::new();
            for cp in cps.items() {
                let mut m = BTreeMap::new();
                let pn = self.opt_val(&addr, cp.get("provider_name"));
                let ci = self.opt_val(&addr, cp.get("client_id"));
                let pref = match &pn {
                    Some(Value::Ref(r)) => Some(r.clone()),
                    _ => None,
                };
                let cref = match &ci {
                    Some(Value::Ref(r)) => Some(r.clone()),
                    _ => None,
                };
                if let Some(p) = &pref
                    && p.output != "provider_name"
                {
                    let pos = cp.get("provider_name").map(|x| x.pos).unwrap_or(cp.pos);
                    self.issue(
                        codes::CROSS_POOL_CLIENT,
                        pos,
                        format!(
                            "`provider_name` references `{}`, not a pool's `provider_name`",
                            p
                        ),
                        Some(format!("write `${{{}.provider_name}}`", p.address)),
                    );
                }
                self.ip_providers.push((
                    pref,
                    cref,
                    cp.get("client_id").map(|x| x.pos).unwrap_or(cp.pos),
                ));
                if let Some(v) = pn {
                    m.insert("provider_name".to_string(), v);
                }
                if let Some(v) = ci {
                    m.insert("client_id".to_string(), v);
                }
                if let Some(v) = self.opt_val(&addr, cp.get("server_side_token_check")) {
                    m.insert("server_side_token_check".to_string(), v);
                }
                list.push(Value::Map(m));
            }
            r.attrs
                .insert("cognito_identity_providers".into(), Value::List(list));
        }
        for k in [
            "openid_connect_provider_arns",
            "saml_provider_arns",
            "supported_login_providers",
            "developer_provider_name",
            "tags",
        ] {
            if let Some(v) = self.opt_val(&addr, n.get(k)) {
                r.attrs.insert(k.into(), v);
            }
        }
        for (t, p) in strs(n.get("openid_connect_provider_arns"))
            .into_iter()
            .chain(strs(n.get("saml_provider_arns")))
        {
            if !is_ref(t) && (!valid_arn(t) || t.split(':').nth(2) != Some("iam")) {
                self.issue(
                    codes::BAD_ARN,
                    p,
                    format!("`{t}` is not an IAM identity provider ARN"),
                    Some(
                        "expected `arn:aws:iam::ACCOUNT:oidc-provider/...` or `saml-provider/...`"
                            .into(),
                    ),
                );
            }
        }
        if let Some(roles) = n.get("roles") {
            self.check_arn(roles.get("authenticated"), "iam", "IAM role");
            self.check_arn(roles.get("unauthenticated"), "iam", "IAM role");
            if let Some(v) = self.sub_map(
                &addr,
                Some(roles),
                &[
                    ("authenticated", "authenticated"),
                    ("unauthenticated", "unauthenticated"),
                ],
            ) {
                r.attrs.insert("roles".into(), v);
            }
        }
        if n.get("allow_unauthenticated").and_then(Node::as_bool) == Some(true)
            && n.get("roles")
                .and_then(|x| x.get("unauthenticated"))
                .is_none()
        {
            self.issue(
                codes::ROLE_MAPPING,
                n.get("allow_unauthenticated")
                    .map(|x| x.pos)
                    .unwrap_or(n.pos),
                "guest access is on but `roles.unauthenticated` is not set",
                Some("give guests a role, or set `allow_unauthenticated: false`".into()),
            );
        }
        if let Some(rm) = n.get("role_mappings") {
            let mut m = BTreeMap::new();
            for (pname, _, mapping) in rm.entries() {
                let mut mm = BTreeMap::new();
                if let Some(v) = self.opt_val(&addr, mapping.get("type")) {
                    mm.insert("type".to_string(), v);
                }
                if let Some(v) = self.opt_val(&addr, mapping.get("ambiguous_role_resolution")) {
                    mm.insert("ambiguous_role_resolution".to_string(), v);
                }
                if let Some(a) = mapping.get("ambiguous_role_resolution")
                    && let Some(t) = a.as_str()
                    && !["AuthenticatedRole", "Deny"].contains(&t)
                {
                    self.issue(
                        codes::ROLE_MAPPING,
                        a.pos,
                        format!("invalid `ambiguous_role_resolution` `{t}`"),
                        Some("use AuthenticatedRole or Deny".into()),
                    );
                }
                let rules = mapping.get("rules").map(Node::items).unwrap_or_default();
                if s(mapping.get("type")) == Some("Rules") && rules.is_empty() {
                    self.issue(
                        codes::ROLE_MAPPING,
                        mapping.pos,
                        format!("role mapping `{pname}` of type Rules has no `rules`"),
                        None,
                    );
                }
                for rule in rules {
                    if let Some(mt) = rule.get("match_type")
                        && let Some(t) = mt.as_str()
                        && !["Equals", "Contains", "StartsWith", "NotEqual"].contains(&t)
                    {
                        self.issue(
                            codes::ROLE_MAPPING,
                            mt.pos,
                            format!("invalid match type `{t}`"),
                            Some("use Equals, Contains, StartsWith or NotEqual".into()),
                        );
                    }
                    self.check_arn(rule.get("role_arn"), "iam", "IAM role");
                }
                if let Some(v) = self.opt_val(&addr, mapping.get("rules")) {
                    mm.insert("rules".to_string(), v);
                }
                m.insert(pname.clone(), Value::Map(mm));
            }
            r.attrs.insert("role_mappings".into(), Value::Map(m));
        }
        self.add(r);
    }
}
