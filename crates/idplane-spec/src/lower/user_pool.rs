//! Lowering a user pool (`user_pools.NAME`) and walking into its children.

use super::*;

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
        let mut schema_required = Vec::new();
        if let Some(si) = n.get("sign_in") {
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
            if let Some(v) = self.opt_val(&addr, si.get("alias_attributes")) {
                a.insert("alias_attributes".into(), v);
            }
            if let Some(v) = self.opt_val(&addr, si.get("username_attributes")) {
                a.insert("username_attributes".into(), v);
            }
            if let Some(v) = self.opt_val(&addr, si.get("case_sensitive")) {
                a.insert("username_case_sensitive".into(), v);
            }
        }
        if let Some(sc) = n.get("schema") {
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
                            Some("custom names have 1 to 20 letters, digits, `_` or `-` after `custom:`".into()),
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
                } else if !STANDARD_ATTRIBUTES.contains(&name.as_str()) {
                    let hint = match did_you_mean(name, STANDARD_ATTRIBUTES.iter().copied()) {
                        Some(m) => format!(
                            "did you mean `{m}`? custom attributes are written `custom:{name}`"
                        ),
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
                    schema_required.push(name.clone());
                }
                let mut am = BTreeMap::new();
                for (yk, fk) in [
                    ("type", "attribute_data_type"),
                    ("required", "required"),
                    ("mutable", "mutable"),
                    ("developer_only", "developer_only"),
                ] {
                    if let Some(v) = self.opt_val(&addr, attr.get(yk)) {
                        am.insert(fk.to_string(), v);
                    }
                }
                if let Some(Value::Map(sm)) = self.sub_map(
                    &addr,
                    Some(attr),
                    &[("min_length", "min_length"), ("max_length", "max_length")],
                ) && !sm.is_empty()
                {
                    am.insert("string_constraints".into(), Value::Map(sm));
                }
                if let Some(Value::Map(nm)) = self.sub_map(
                    &addr,
                    Some(attr),
                    &[("min_value", "min_value"), ("max_value", "max_value")],
                ) && !nm.is_empty()
                {
                    am.insert("number_constraints".into(), Value::Map(nm));
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
            a.insert("schema".into(), Value::Map(m));
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
            let keys: Vec<(&str, &str)> = [
                "minimum_length",
                "require_uppercase",
                "require_lowercase",
                "require_numbers",
                "require_symbols",
                "temporary_password_validity_days",
                "password_history_size",
            ]
            .iter()
            .map(|k| (*k, *k))
            .collect();
            if let Some(v) = self.sub_map(&addr, Some(pp), &keys) {
                a.insert("password_policy".into(), v);
            }
        }
        if let Some(mfa) = n.get("mfa") {
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
            if let Some(v) = self.opt_val(&addr, mfa.get("configuration")) {
                a.insert("mfa_configuration".into(), v);
            }
            if let Some(v) = self.opt_val(&addr, mfa.get("software_token")) {
                a.insert("software_token_mfa".into(), v);
            }
        }
        if n.get("admin_create_user_only").is_some() || n.get("invite_message").is_some() {
            let mut m = BTreeMap::new();
            if let Some(v) = self.opt_val(&addr, n.get("admin_create_user_only")) {
                m.insert("allow_admin_create_user_only".to_string(), v);
            }
            if let Some(v) = self.sub_map(
                &addr,
                n.get("invite_message"),
                &[
                    ("email_subject", "email_subject"),
                    ("email_message", "email_message"),
                    ("sms_message", "sms_message"),
                ],
            ) {
                m.insert("invite_message_template".to_string(), v);
            }
            a.insert("admin_create_user_config".into(), Value::Map(m));
        }
        if let Some(ar) = n.get("account_recovery") {
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
            a.insert("account_recovery".into(), Value::List(list));
        }
        if let Some(email) = n.get("email") {
            if s(email.get("sending_account")) == Some("DEVELOPER")
                && email.get("source_arn").is_none()
            {
                self.issue(
                    codes::EMAIL_CONFIG,
                    email.pos,
                    "`sending_account: DEVELOPER` needs `source_arn` (a verified SES identity)",
                    None,
                );
            }
            self.check_arn(email.get("source_arn"), "ses", "SES identity");
            if let Some(v) = self.sub_map(
                &addr,
                Some(email),
                &[
                    ("sending_account", "email_sending_account"),
                    ("source_arn", "source_arn"),
                    ("from", "from"),
                    ("reply_to", "reply_to_email_address"),
                    ("configuration_set", "configuration_set"),
                ],
            ) {
                a.insert("email_configuration".into(), v);
            }
        }
        if let Some(sms) = n.get("sms") {
            self.check_arn(sms.get("sns_caller_arn"), "iam", "IAM role");
            if let Some(v) = self.sub_map(
                &addr,
                Some(sms),
                &[
                    ("sns_caller_arn", "sns_caller_arn"),
                    ("external_id", "external_id"),
                    ("sns_region", "sns_region"),
                ],
            ) {
                a.insert("sms_configuration".into(), v);
            }
        }
        if let Some(vm) = n.get("verification_message") {
            let keys = [
                "default_email_option",
                "email_subject",
                "email_message",
                "email_subject_by_link",
                "email_message_by_link",
                "sms_message",
            ];
            let keys: Vec<(&str, &str)> = keys.iter().map(|k| (*k, *k)).collect();
            if let Some(v) = self.sub_map(&addr, Some(vm), &keys) {
                a.insert("verification_message_template".into(), v);
            }
        }
        if let Some(lt) = n.get("lambda_triggers") {
            let mut keys = Vec::new();
            let mut versioned = None;
            for (k, _, v) in lt.entries() {
                if k == "pre_token_generation" && v.get("arn").is_some() {
                    // `{arn, version}`: both halves of the trigger, kept in step.
                    self.check_arn(v.get("arn"), "lambda", "Lambda function");
                    versioned = self.opt_val(&addr, v.get("arn")).map(|arn| {
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
            if let Some(mut v) = self.sub_map(&addr, Some(lt), &keys) {
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
                a.insert("lambda_config".into(), v);
            }
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

        let mut facts = PoolFacts::default();
        for (name, _, _) in n.get("schema").map(Node::entries).unwrap_or_default() {
            if name.starts_with("custom:") {
                facts.custom_attributes.insert(name.clone());
            }
        }
        if let Some(d) = n.get("domain") {
            self.domain(&addr, d);
        }
        for (pname, kp, idp) in n
            .get("identity_providers")
            .map(Node::entries)
            .unwrap_or_default()
        {
            facts.idps.insert(pname.clone());
            self.identity_provider(&addr, pname, *kp, idp, &schema_required);
        }
        for (rname, _, rs) in n
            .get("resource_servers")
            .map(Node::entries)
            .unwrap_or_default()
        {
            let raddr = addr.child(["resource_servers", rname.as_str()]);
            let mut r = self.resource(raddr.clone(), Kind::ResourceServer, Some(&addr), rs.pos);
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
        for (gname, _, g) in n.get("groups").map(Node::entries).unwrap_or_default() {
            let gaddr = addr.child(["groups", gname.as_str()]);
            let mut r = self.resource(gaddr.clone(), Kind::UserPoolGroup, Some(&addr), g.pos);
            r.attrs.insert("name".into(), Value::str(gname));
            for k in ["description", "precedence", "role_arn"] {
                if let Some(v) = self.opt_val(&gaddr, g.get(k)) {
                    r.attrs.insert(k.into(), v);
                }
            }
            self.check_arn(g.get("role_arn"), "iam", "IAM role");
            self.add(r);
        }
        for (cname, _, c) in n.get("clients").map(Node::entries).unwrap_or_default() {
            self.client(&addr, cname, c, &facts);
        }
    }
}
