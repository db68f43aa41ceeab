//! Lowering a user pool (`user_pools.NAME`), then its children: domain, identity providers,
//! resource servers, groups and clients (each in its own file).

use super::*;
use crate::rename::user_pool as names;

impl Lower<'_> {
    pub(super) fn user_pool(&mut self, key: &str, n: &Node) {
        let addr = Address::root("user_pools", key);
        let mut r = self.resource(addr.clone(), Kind::UserPool, None, n.pos);
        r.pinned_id = s(n.get("id")).map(str::to_string);
        let a = &mut BTreeMap::new();
        a.insert(
            "name".into(),
            self.opt_val(&addr, n.get("name"))
                .unwrap_or_else(|| Value::str(key)),
        );
        if let Some(si) = n.get("sign_in") {
            self.sign_in(si);
            self.copy(&addr, Some(si), names::SIGN_IN, a);
        }
        let mut schema_required = Vec::new();
        if let Some(sc) = n.get("schema") {
            let schema = self.schema(&addr, sc, &mut schema_required);
            a.insert("schema".into(), schema);
        }
        if let Some(v) = self.opt_val(&addr, n.get("auto_verified_attributes")) {
            for (t, p) in strs(n.get("auto_verified_attributes")) {
                if !["email", "phone_number"].contains(&t) {
                    self.issue(
                        codes::BAD_VALUE,
                        p,
                        format!("`{t}` cannot be auto-verified"),
                        Some("use email or phone_number".into()),
                    );
                }
            }
            a.insert("auto_verified_attributes".into(), v);
        }
        if let Some(pp) = n.get("password_policy") {
            self.password_policy(pp);
        }
        if let Some(mfa) = n.get("mfa") {
            self.mfa(n, mfa);
            self.copy(&addr, Some(mfa), names::MFA, a);
        }
        let (only_key, only_field) = names::ADMIN_CREATE_USER_ONLY;
        let (invite_key, invite_field) = names::INVITE_MESSAGE_TEMPLATE;
        if n.get(only_key).is_some() || n.get(invite_key).is_some() {
            let mut m = BTreeMap::new();
            if let Some(v) = self.opt_val(&addr, n.get(only_key)) {
                m.insert(only_field.to_string(), v);
            }
            if let Some(v) = self.sub_map(&addr, n.get(invite_key), names::INVITE_MESSAGE) {
                m.insert(invite_field.to_string(), v);
            }
            a.insert(names::ADMIN_CREATE_USER_CONFIG.into(), Value::Map(m));
        }
        if let Some(ar) = n.get("account_recovery") {
            let recovery = self.account_recovery(ar);
            a.insert("account_recovery".into(), recovery);
        }
        if let Some(email) = n.get("email") {
            self.email(email);
        }
        if let Some(sms) = n.get("sms") {
            self.check_arn(sms.get("sns_caller_arn"), "iam", "IAM role");
        }
        for (yk, fk, keys) in names::NESTED {
            if let Some(v) = self.sub_map(&addr, n.get(yk), keys) {
                a.insert((*fk).into(), v);
            }
        }
        if let Some(lt) = n.get("lambda_triggers")
            && let Some(v) = self.lambda_triggers(&addr, lt)
        {
            a.insert("lambda_config".into(), v);
        }
        if let Some(v) = self.opt_val(&addr, n.get("issuer_type")) {
            a.insert("issuer_type".into(), v);
        }
        if let Some(b) = n.get("deletion_protection").and_then(Node::as_bool) {
            a.insert(
                "deletion_protection".into(),
                Value::str(if b { "ACTIVE" } else { "INACTIVE" }),
            );
        }
        if let Some(v) = self.opt_val(&addr, n.get("tags")) {
            a.insert("tags".into(), v);
        }
        r.attrs = std::mem::take(a);
        self.add(r);
        self.pool_children(&addr, n, &schema_required);
    }

    /// The pool's domain, identity providers, resource servers, groups and clients, with the
    /// facts about the pool the client rules need.
    fn pool_children(&mut self, addr: &Address, n: &Node, schema_required: &[String]) {
        let mut facts = PoolFacts::default();
        for (name, _, _) in n.get("schema").map(Node::entries).unwrap_or_default() {
            if name.starts_with("custom:") {
                facts.custom_attributes.insert(name.clone());
            }
        }
        if let Some(d) = n.get("domain") {
            self.domain(addr, d);
        }
        for (pname, kp, idp) in n
            .get("identity_providers")
            .map(Node::entries)
            .unwrap_or_default()
        {
            facts.idps.insert(pname.clone());
            self.identity_provider(addr, pname, *kp, idp, schema_required);
        }
        for (rname, _, rs) in n
            .get("resource_servers")
            .map(Node::entries)
            .unwrap_or_default()
        {
            self.resource_server(addr, rname, rs, &mut facts);
        }
        for (gname, _, g) in n.get("groups").map(Node::entries).unwrap_or_default() {
            self.user_pool_group(addr, gname, g);
        }
        for (cname, _, c) in n.get("clients").map(Node::entries).unwrap_or_default() {
            self.client(addr, cname, c, &facts);
        }
    }

    fn sign_in(&mut self, si: &Node) {
        let alias = strs(si.get("alias_attributes"));
        let username = strs(si.get("username_attributes"));
        for (v, p) in &alias {
            if !["email", "phone_number", "preferred_username"].contains(v) {
                self.issue(
                    codes::BAD_VALUE,
                    *p,
                    format!("`{v}` cannot be an alias attribute"),
                    Some("use email, phone_number or preferred_username".into()),
                );
            }
        }
        for (v, p) in &username {
            if !["email", "phone_number"].contains(v) {
                self.issue(
                    codes::BAD_VALUE,
                    *p,
                    format!("`{v}` cannot be a username attribute"),
                    Some("use email or phone_number".into()),
                );
            }
        }
        self.duplicates(&alias, "alias attribute");
        if !alias.is_empty() && !username.is_empty() {
            let pos = si.key_pos("username_attributes").unwrap_or(si.pos);
            self.issue(
                codes::ALIAS_AND_USERNAME,
                pos,
                "`alias_attributes` and `username_attributes` cannot both be set",
                Some("choose one: aliases keep a user name and add sign-in aliases; username attributes replace the user name".into()),
            );
        }
    }

    /// The `schema:` map; names of required attributes go to `required`.
    fn schema(&mut self, addr: &Address, sc: &Node, required: &mut Vec<String>) -> Value {
        let mut m = BTreeMap::new();
        let mut customs = 0;
        for (name, kp, attr) in sc.entries() {
            let custom = name.strip_prefix("custom:");
            if let Some(c) = custom {
                customs += 1;
                if c.is_empty()
                    || c.len() > 20
                    || !c
                        .chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
                {
                    self.issue(
                        codes::SCHEMA_ATTRIBUTE,
                        *kp,
                        format!("invalid custom attribute name `{name}`"),
                        Some(
                            "custom names have 1 to 20 letters, digits, `_` or `-` after `custom:`"
                                .into(),
                        ),
                    );
                }
                if attr.get("required").and_then(Node::as_bool) == Some(true) {
                    self.issue(
                        codes::SCHEMA_ATTRIBUTE,
                        attr.key_pos("required").unwrap_or(*kp),
                        format!("custom attribute `{name}` cannot be required"),
                        Some("Cognito allows `required` on standard attributes only".into()),
                    );
                }
            } else if !is_standard_attribute(name) {
                let hint = match did_you_mean(name, standard_attributes()) {
                    Some(m) => {
                        format!("did you mean `{m}`? custom attributes are written `custom:{name}`")
                    }
                    None => format!("custom attributes are written `custom:{name}`"),
                };
                self.issue(
                    codes::SCHEMA_ATTRIBUTE,
                    *kp,
                    format!("`{name}` is not a standard attribute"),
                    Some(hint),
                );
            }
            if attr.get("required").and_then(Node::as_bool) == Some(true) {
                required.push(name.clone());
            }
            let mut am = BTreeMap::new();
            self.copy(addr, Some(attr), names::SCHEMA_ATTRIBUTE, &mut am);
            for (group, keys) in [
                ("string_constraints", names::STRING_CONSTRAINTS),
                ("number_constraints", names::NUMBER_CONSTRAINTS),
            ] {
                if let Some(Value::Map(c)) = self.sub_map(addr, Some(attr), keys)
                    && !c.is_empty()
                {
                    am.insert(group.into(), Value::Map(c));
                }
            }
            m.insert(name.clone(), Value::Map(am));
        }
        if customs > 50 {
            self.issue(
                codes::SCHEMA_ATTRIBUTE,
                sc.pos,
                format!("{customs} custom attributes; a pool has at most 50"),
                None,
            );
        }
        Value::Map(m)
    }

    fn password_policy(&mut self, pp: &Node) {
        for (k, lo, hi) in [
            ("minimum_length", 6, 99),
            ("temporary_password_validity_days", 0, 365),
            ("password_history_size", 0, 24),
        ] {
            if let Some(v) = pp.get(k)
                && let Some(i) = v.as_int()
                && !(lo..=hi).contains(&i)
            {
                self.issue(
                    codes::PASSWORD_POLICY,
                    v.pos,
                    format!("`{k}` must be between {lo} and {hi}, found {i}"),
                    None,
                );
            }
        }
    }

    fn mfa(&mut self, n: &Node, mfa: &Node) {
        let mode = s(mfa.get("configuration"));
        let totp = mfa
            .get("software_token")
            .and_then(Node::as_bool)
            .unwrap_or(false);
        if matches!(mode, Some("ON") | Some("OPTIONAL")) && !totp && n.get("sms").is_none() {
            self.issue(
                codes::MFA,
                mfa.get("configuration").map(|c| c.pos).unwrap_or(mfa.pos),
                format!("MFA `{}` needs a second factor", mode.unwrap_or_default()),
                Some("set `software_token: true` or configure `sms`".into()),
            );
        }
    }

    fn account_recovery(&mut self, ar: &Node) -> Value {
        let mut list = Vec::new();
        let mut seen = Vec::new();
        for (i, item) in ar.items().iter().enumerate() {
            let mut m = BTreeMap::new();
            if let Some(name) = s(item.get("name")) {
                if seen.contains(&name) {
                    self.issue(
                        codes::DUPLICATE_ITEM,
                        item.pos,
                        format!("recovery mechanism `{name}` is listed twice"),
                        None,
                    );
                }
                seen.push(name);
                m.insert("name".to_string(), Value::str(name));
            }
            let prio = item
                .get("priority")
                .and_then(Node::as_int)
                .unwrap_or(i as i64 + 1);
            m.insert("priority".to_string(), Value::Int(prio));
            list.push(Value::Map(m));
        }
        Value::List(list)
    }

    fn email(&mut self, email: &Node) {
        if s(email.get("sending_account")) == Some("DEVELOPER") && email.get("source_arn").is_none()
        {
            self.issue(
                codes::EMAIL_CONFIG,
                email.pos,
                "`sending_account: DEVELOPER` needs `source_arn` (a verified SES identity)",
                None,
            );
        }
        self.check_arn(email.get("source_arn"), "ses", "SES identity");
    }

    /// `lambda_config`, with a versioned pre-token trigger written as both of its halves.
    fn lambda_triggers(&mut self, addr: &Address, lt: &Node) -> Option<Value> {
        let mut keys = Vec::new();
        let mut versioned = None;
        for (k, _, v) in lt.entries() {
            if k == "pre_token_generation" && v.get("arn").is_some() {
                // `{arn, version}`: both halves of the trigger, kept in step.
                self.check_arn(v.get("arn"), "lambda", "Lambda function");
                versioned = self.opt_val(addr, v.get("arn")).map(|arn| {
                    let version = v
                        .get("version")
                        .and_then(Node::as_str)
                        .unwrap_or("V1_0")
                        .to_string();
                    (arn, version)
                });
                continue;
            }
            self.check_arn(lt.get(k), "lambda", "Lambda function");
            keys.push((k.as_str(), k.as_str()));
        }
        self.sub_map(addr, Some(lt), &keys).map(|mut v| {
            if let (Value::Map(m), Some((arn, version))) = (&mut v, versioned) {
                m.insert("pre_token_generation".into(), arn.clone());
                m.insert(
                    "pre_token_generation_config".into(),
                    Value::Map(BTreeMap::from([
                        ("lambda_arn".to_string(), arn),
                        ("lambda_version".to_string(), Value::str(version)),
                    ])),
                );
            }
            v
        })
    }
}
