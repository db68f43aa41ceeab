//! Lowering a Cognito identity pool (`identity_pools.NAME`).

use super::*;
use crate::rename::identity_pool as names;

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
        self.copy(&addr, Some(n), names::PLAIN, &mut r.attrs);
        let (yk, fk) = names::COGNITO_PROVIDERS;
        if let Some(cps) = n.get(yk) {
            let providers = self.cognito_providers(&addr, cps);
            r.attrs.insert(fk.into(), providers);
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
            if let Some(v) = self.sub_map(&addr, Some(roles), names::ROLES) {
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
            let mappings = self.role_mappings(&addr, rm);
            r.attrs.insert("role_mappings".into(), mappings);
        }
        self.add(r);
    }

    /// `cognito_providers:`; each names a pool's provider and one of its clients.
    fn cognito_providers(&mut self, addr: &Address, cps: &Node) -> Value {
        let mut list = Vec::new();
        for cp in cps.items() {
            let mut m = BTreeMap::new();
            let mut pn = self.opt_val(addr, cp.get("provider_name"));
            let mut ci = self.opt_val(addr, cp.get("client_id"));
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
            for (yk, fk) in names::COGNITO_PROVIDER {
                let v = match *yk {
                    "provider_name" => pn.take(),
                    "client_id" => ci.take(),
                    _ => self.opt_val(addr, cp.get(yk)),
                };
                if let Some(v) = v {
                    m.insert((*fk).into(), v);
                }
            }
            list.push(Value::Map(m));
        }
        Value::List(list)
    }

    /// `role_mappings:`, by provider.
    fn role_mappings(&mut self, addr: &Address, rm: &Node) -> Value {
        let mut m = BTreeMap::new();
        for (pname, _, mapping) in rm.entries() {
            let mut mm = BTreeMap::new();
            self.copy(addr, Some(mapping), names::ROLE_MAPPING, &mut mm);
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
            m.insert(pname.clone(), Value::Map(mm));
        }
        Value::Map(m)
    }
}
