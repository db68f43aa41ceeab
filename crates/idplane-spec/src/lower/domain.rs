//! Lowering a user pool's domain (`user_pools.NAME.domain`).

use super::*;

impl Lower<'_> {
    pub(super) fn domain(&mut self, pool: &Address, d: &Node) {
        let addr = pool.child(["domain"]);
        let mut r = self.resource(addr.clone(), Kind::UserPoolDomain, Some(pool), d.pos);
        let prefix = d.get("prefix");
        let custom = d.get("custom_domain");
        match (prefix, custom) {
            (Some(_), Some(c)) => self.issue(
                codes::DOMAIN,
                c.pos,
                "a domain has either `prefix` or `custom_domain`, not both",
                None,
            ),
            (None, None) => self.issue(
                codes::DOMAIN,
                d.pos,
                "a domain needs `prefix` or `custom_domain`",
                Some("e.g. `domain: {prefix: \"${var.domain_prefix}\"}`".into()),
            ),
            (Some(p), None) => {
                self.check_prefix(p);
                if let Some(c) = d.get("certificate_arn") {
                    self.issue(
                        codes::DOMAIN,
                        c.pos,
                        "`certificate_arn` applies to a `custom_domain` only",
                        None,
                    );
                }
            }
            (None, Some(_)) => {
                if d.get("certificate_arn").is_none() {
                    self.issue(
                        codes::DOMAIN,
                        d.pos,
                        "a custom domain needs `certificate_arn` (an ACM certificate in us-east-1)",
                        None,
                    );
                }
                self.check_arn(d.get("certificate_arn"), "acm", "ACM certificate");
            }
        }
        if let Some(v) = self.opt_val(&addr, prefix.or(custom)) {
            r.attrs.insert("domain".into(), v);
        }
        if let Some(v) = self.opt_val(&addr, d.get("certificate_arn")) {
            r.attrs.insert("certificate_arn".into(), v);
        }
        if let Some(mv) = d.get("managed_login_version") {
            if let Some(i) = mv.as_int()
                && !(1..=2).contains(&i)
            {
                self.issue(
                    codes::BAD_VALUE,
                    mv.pos,
                    "`managed_login_version` is 1 or 2",
                    None,
                );
            }
            if mv.as_int() == Some(2) {
                self.issue(
                    codes::DOMAIN,
                    mv.pos,
                    "`managed_login_version: 2` is not supported yet: with managed login, \
                     Cognito shows a client no login pages until a branding style exists \
                     (CreateManagedLoginBranding), and idplane does not manage branding styles",
                    Some(
                        "use `managed_login_version: 1` (the classic hosted UI), or leave the \
                         domain's version to the console and omit the key"
                            .into(),
                    ),
                );
            }
            if let Some(v) = self.opt_val(&addr, Some(mv)) {
                r.attrs.insert("managed_login_version".into(), v);
            }
        }
        self.add(r);
    }

    /// A prefix domain: Cognito's alphabet and length, no reserved word.
    fn check_prefix(&mut self, p: &Node) {
        if let Some(t) = p.as_str().filter(|t| !t.contains("${")) {
            let bad_chars = t.is_empty()
                || t.len() > 63
                || t.starts_with('-')
                || t.ends_with('-')
                || !t
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if bad_chars {
                self.issue(
                    codes::DOMAIN,
                    p.pos,
                    format!("invalid domain prefix `{t}`"),
                    Some("use 1 to 63 lowercase letters, digits and inner hyphens".into()),
                );
            } else if ["aws", "amazon", "cognito"].iter().any(|w| t.contains(w)) {
                self.issue(
                    codes::DOMAIN,
                    p.pos,
                    format!("domain prefix `{t}` contains a reserved word"),
                    Some("Cognito rejects prefixes containing `aws`, `amazon` or `cognito`".into()),
                );
            }
        }
    }
}
