//! Lowering a user pool's app client (`user_pools.NAME.clients.CLIENT`).

use super::*;
use crate::rename::client as names;

impl Lower<'_> {
    pub(super) fn client(&mut self, pool: &Address, cname: &str, c: &Node, facts: &PoolFacts) {
        let addr = pool.child(["clients", cname]);
        let mut r = self.resource(addr.clone(), Kind::UserPoolClient, Some(pool), c.pos);
        r.pinned_id = s(c.get("id")).map(str::to_string);
        r.attrs.insert(
            "name".into(),
            self.opt_val(&addr, c.get("name"))
                .unwrap_or_else(|| Value::str(cname)),
        );
        for (yk, fk) in names::PLAIN {
            let value = match *yk {
                // Short names (`user_srp`) become AWS's (`ALLOW_USER_SRP_AUTH`).
                "auth_flows" => c.get(yk).map(|af| self.auth_flows(af)),
                _ => self.opt_val(&addr, c.get(yk)),
            };
            if let Some(v) = value {
                r.attrs.insert((*fk).into(), v);
            }
        }
        let secret = c
            .get("generate_secret")
            .and_then(Node::as_bool)
            .unwrap_or(false);
        if let Some(o) = c.get("oauth") {
            self.oauth(pool, o, secret, facts, &mut r);
            self.copy(&addr, Some(o), names::OAUTH, &mut r.attrs);
        }
        if let Some(idps) = c.get("identity_providers") {
            self.client_identity_providers(pool, cname, idps, facts, &mut r);
        }
        if let Some(tv) = c.get("token_validity") {
            for (yk, fk, lo, hi, unit) in names::TOKEN_VALIDITY {
                let what = format!("`{yk}` token validity");
                if let Some(v) = self.duration(tv.get(yk), *lo, *hi, *unit, &what) {
                    r.attrs.insert((*fk).into(), v);
                }
            }
        }
        for k in ["read_attributes", "write_attributes"] {
            self.client_attributes(pool, c, k, facts);
        }
        if let Some(b) = c
            .get("prevent_user_existence_errors")
            .and_then(Node::as_bool)
        {
            r.attrs.insert(
                "prevent_user_existence_errors".into(),
                Value::str(if b { "ENABLED" } else { "LEGACY" }),
            );
        }
        self.add(r);
    }

    /// `auth_flows:`, each checked and spelled as AWS spells it.
    fn auth_flows(&mut self, af: &Node) -> Value {
        let mut flows = Vec::new();
        for (t, p) in strs(Some(af)) {
            let full = if t.starts_with("ALLOW_") {
                t.to_string()
            } else {
                format!("ALLOW_{}_AUTH", t.to_ascii_uppercase())
            };
            if AUTH_FLOWS.contains(&full.as_str()) {
                flows.push(Value::str(full));
            } else {
                let shorts: Vec<String> = AUTH_FLOWS
                    .iter()
                    .map(|f| {
                        f.trim_start_matches("ALLOW_")
                            .trim_end_matches("_AUTH")
                            .to_ascii_lowercase()
                    })
                    .collect();
                let hint = did_you_mean(
                    t,
                    shorts
                        .iter()
                        .map(String::as_str)
                        .chain(AUTH_FLOWS.iter().copied()),
                )
                .map(|m| format!("did you mean `{m}`?"))
                .unwrap_or_else(|| format!("use one of: {}", shorts.join(", ")));
                self.issue(
                    codes::BAD_VALUE,
                    p,
                    format!("unknown auth flow `{t}`"),
                    Some(hint),
                );
            }
        }
        self.duplicates(&strs(Some(af)), "auth flow");
        Value::List(flows)
    }

    /// The checks of `oauth:` (flows, callback URLs, scopes); a client depends on the resource
    /// servers whose scopes it names.
    fn oauth(
        &mut self,
        pool: &Address,
        o: &Node,
        secret: bool,
        facts: &PoolFacts,
        r: &mut DesiredResource,
    ) {
        let flows = strs(o.get("flows"));
        for (f, p) in &flows {
            if !["code", "implicit", "client_credentials"].contains(f) {
                let hint = did_you_mean(f, ["code", "implicit", "client_credentials"])
                    .map(|m| format!("did you mean `{m}`?"))
                    .unwrap_or_else(|| "use code, implicit or client_credentials".into());
                self.issue(
                    codes::BAD_VALUE,
                    *p,
                    format!("unknown OAuth flow `{f}`"),
                    Some(hint),
                );
            }
        }
        self.duplicates(&flows, "OAuth flow");
        let has = |x: &str| flows.iter().any(|(f, _)| *f == x);
        let callbacks = strs(o.get("callback_urls"));
        if (has("code") || has("implicit")) && callbacks.is_empty() {
            let which = if has("code") { "code" } else { "implicit" };
            self.issue(
                codes::FLOW_WITHOUT_CALLBACK,
                o.get("flows").map(|f| f.pos).unwrap_or(o.pos),
                format!("the `{which}` flow needs `callback_urls`"),
                Some("add `callback_urls: [\"https://app.example.com/callback\"]`".into()),
            );
        }
        if has("client_credentials") {
            if has("code") || has("implicit") {
                self.issue(
                    codes::CLIENT_CREDENTIALS,
                    o.get("flows").map(|f| f.pos).unwrap_or(o.pos),
                    "`client_credentials` cannot be combined with `code` or `implicit`",
                    Some("use a separate client for machine-to-machine access".into()),
                );
            }
            if !secret {
                self.issue(
                    codes::CLIENT_CREDENTIALS,
                    o.get("flows").map(|f| f.pos).unwrap_or(o.pos),
                    "`client_credentials` needs `generate_secret: true`",
                    None,
                );
            }
        }
        for (u, p) in &callbacks {
            self.check_url(u, *p, "callback URL", true);
        }
        self.duplicates(&callbacks, "callback URL");
        for (u, p) in strs(o.get("logout_urls")) {
            self.check_url(u, p, "logout URL", true);
        }
        if let Some(d) = o.get("default_redirect_uri")
            && let Some(t) = d.as_str()
            && !callbacks.iter().any(|(u, _)| *u == t)
        {
            self.issue(
                codes::DEFAULT_REDIRECT,
                d.pos,
                format!("default redirect URI `{t}` is not one of the callback URLs"),
                Some("add it to `callback_urls`".into()),
            );
        }
        self.oauth_scopes(pool, o, facts, r);
        r.attrs.insert(
            "allowed_oauth_flows_user_pool_client".into(),
            Value::Bool(!flows.is_empty()),
        );
    }

    /// Scopes are standard or `IDENTIFIER/SCOPE` of a resource server of the pool, which the
    /// client then depends on.
    fn oauth_scopes(
        &mut self,
        pool: &Address,
        o: &Node,
        facts: &PoolFacts,
        r: &mut DesiredResource,
    ) {
        let scopes = strs(o.get("scopes"));
        self.duplicates(&scopes, "scope");
        let has_openid = scopes.iter().any(|(t, _)| *t == "openid");
        for (t, p) in &scopes {
            if STANDARD_SCOPES.contains(t) {
                if ["email", "phone", "profile"].contains(t) && !has_openid {
                    self.issue(
                        codes::OPENID_REQUIRED,
                        *p,
                        format!("scope `{t}` needs `openid` in the same list"),
                        None,
                    );
                }
            } else if let Some(rs) = facts.scopes.get(*t) {
                r.depends_on.insert(rs.clone());
            } else {
                let candidates = STANDARD_SCOPES
                    .iter()
                    .copied()
                    .chain(facts.scopes.keys().map(String::as_str));
                let hint = match did_you_mean(t, candidates) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => "use a standard scope (openid, email, phone, profile, aws.cognito.signin.user.admin) or `IDENTIFIER/SCOPE` of a resource server of this pool".into(),
                };
                self.issue(
                    codes::UNKNOWN_SCOPE,
                    *p,
                    format!("scope `{t}` is neither standard nor defined by a resource server of `{pool}`"),
                    Some(hint),
                );
            }
        }
    }

    /// The client's identity providers exist in its pool; it depends on them.
    fn client_identity_providers(
        &mut self,
        pool: &Address,
        cname: &str,
        idps: &Node,
        facts: &PoolFacts,
        r: &mut DesiredResource,
    ) {
        let list = strs(Some(idps));
        self.duplicates(&list, "identity provider");
        for (t, p) in &list {
            if *t == "COGNITO" {
                continue;
            }
            if facts.idps.contains(*t) {
                r.depends_on.insert(pool.child(["identity_providers", *t]));
            } else {
                let hint = match did_you_mean(
                    t,
                    facts.idps.iter().map(String::as_str).chain(["COGNITO"]),
                ) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None if facts.idps.is_empty() => format!(
                        "`{pool}` has no identity_providers; use `COGNITO` for the pool's own users"
                    ),
                    None => format!(
                        "the pool's providers are: COGNITO, {}",
                        facts.idps.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                self.issue(
                    codes::UNKNOWN_IDP,
                    *p,
                    format!("client `{cname}` names identity provider `{t}`, which `{pool}` does not have"),
                    Some(hint),
                );
            }
        }
    }

    /// `read_attributes` / `write_attributes` name attributes of the pool.
    fn client_attributes(&mut self, pool: &Address, c: &Node, k: &str, facts: &PoolFacts) {
        for (t, p) in strs(c.get(k)) {
            let known = is_standard_attribute(t) || facts.custom_attributes.contains(t);
            if !known {
                let standard: Vec<&str> = standard_attributes().collect();
                let candidates = standard
                    .into_iter()
                    .chain(facts.custom_attributes.iter().map(String::as_str));
                let hint = match did_you_mean(t, candidates) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => {
                        "use a standard attribute or a `custom:NAME` of the pool's schema".into()
                    }
                };
                self.issue(
                    codes::UNKNOWN_ATTRIBUTE,
                    p,
                    format!("`{t}` in `{k}` is not an attribute of `{pool}`"),
                    Some(hint),
                );
            }
        }
        if k == "write_attributes" {
            for (t, p) in strs(c.get(k)) {
                if ["sub", "email_verified", "phone_number_verified"].contains(&t) {
                    self.issue(
                        codes::UNKNOWN_ATTRIBUTE,
                        p,
                        format!("`{t}` cannot be written by an app client"),
                        None,
                    );
                }
            }
        }
    }
}

const STANDARD_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

const AUTH_FLOWS: &[&str] = &[
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];
