//! Lowering an Identity Center application (`identity_center.applications.NAME`) and its children.

use super::*;

impl Lower<'_> {
    pub(super) fn application(&mut self, key: &str, n: &Node) {
        let addr = Address::root("identity_center", "applications").child([key]);
        let mut r = self.resource(addr.clone(), Kind::Application, None, n.pos);
        r.pinned_id = s(n.get("arn")).map(str::to_string);
        self.check_arn(n.get("arn"), "sso", "Identity Center application");
        let referenced = n.get("arn").is_some() && n.get("name").is_none();
        if referenced {
            r.mode = Mode::Referenced;
            for k in [
                "grants",
                "access_scopes",
                "authentication_methods",
                "description",
                "portal",
                "enabled",
                "tags",
            ] {
                if let Some(p) = n.key_pos(k) {
                    self.issue(
                        codes::REFERENCED_APP,
                        p,
                        format!("`{k}` cannot be set on a referenced application (given by `arn` alone)"),
                        Some("a referenced application only takes `assignment_required` and `assignments`; add `name` to manage the application itself".into()),
                    );
                }
            }
        } else {
            r.attrs.insert(
                "name".into(),
                self.opt_val(&addr, n.get("name"))
                    .unwrap_or_else(|| Value::str(key)),
            );
            if let Some(v) = self.opt_val(&addr, n.get("description")) {
                r.attrs.insert("description".into(), v);
            }
            if let Some(b) = n.get("enabled").and_then(Node::as_bool) {
                r.attrs.insert(
                    "status".into(),
                    Value::str(if b { "ENABLED" } else { "DISABLED" }),
                );
            }
            if let Some(p) = n.get("portal") {
                let mut m = BTreeMap::new();
                if let Some(b) = p.get("visible").and_then(Node::as_bool) {
                    m.insert(
                        "visibility".to_string(),
                        Value::str(if b { "ENABLED" } else { "DISABLED" }),
                    );
                }
                let mut so = BTreeMap::new();
                if let Some(o) = p.get("sign_in_origin") {
                    if let Some(t) = o.as_str()
                        && !["IDENTITY_CENTER", "APPLICATION"].contains(&t)
                    {
                        self.issue(
                            codes::BAD_VALUE,
                            o.pos,
                            format!("invalid sign-in origin `{t}`"),
                            Some("use IDENTITY_CENTER or APPLICATION".into()),
                        );
                    }
                    if let Some(v) = self.opt_val(&addr, Some(o)) {
                        so.insert("origin".to_string(), v);
                    }
                }
                if let Some(u) = p.get("application_url") {
                    if let Some(t) = u.as_str() {
                        self.check_url(t, u.pos, "application URL", false);
                    }
                    if let Some(v) = self.opt_val(&addr, Some(u)) {
                        so.insert("application_url".to_string(), v);
                    }
                }
                if s(p.get("sign_in_origin")) == Some("APPLICATION")
                    && p.get("application_url").is_none()
                {
                    self.issue(
                        codes::MISSING_KEY,
                        p.pos,
                        "`sign_in_origin: APPLICATION` needs `application_url`",
                        None,
                    );
                }
                if !so.is_empty() {
                    m.insert("sign_in_options".to_string(), Value::Map(so));
                }
                r.attrs.insert("portal_options".into(), Value::Map(m));
            }
            if let Some(v) = self.opt_val(&addr, n.get("tags")) {
                r.attrs.insert("tags".into(), v);
            }
        }
        self.add(r);

        let users = strs(n.get("assignments").and_then(|a| a.get("users")));
        let groups = strs(n.get("assignments").and_then(|a| a.get("groups")));
        let required = n.get("assignment_required");
        if let Some(req) = required {
            let caddr = addr.child(["assignment_configuration"]);
            let mut c = self.resource(
                caddr.clone(),
                Kind::ApplicationAssignmentConfiguration,
                Some(&addr),
                req.pos,
            );
            if let Some(v) = self.opt_val(&caddr, Some(req)) {
                c.attrs.insert("assignment_required".into(), v);
            }
            self.add(c);
            if req.as_bool() == Some(true) && users.is_empty() && groups.is_empty() {
                self.issue(
                    codes::NO_ASSIGNMENTS,
                    req.pos,
                    format!("application `{key}` requires assignments but has none"),
                    Some("add `assignments: {users: [...], groups: [...]}` or set `assignment_required: false`; without an assignment every token exchange is denied".into()),
                );
            }
        } else if !referenced && users.is_empty() && groups.is_empty() {
            self.issue(
                codes::DEFAULT_ASSIGNMENT_REQUIRED,
                n.pos,
                format!("application `{key}` has no assignments and AWS requires them by default"),
                Some("set `assignment_required: false` or add `assignments`".into()),
            );
        }
        self.duplicates(&users, "assigned user");
        self.duplicates(&groups, "assigned group");
        for (ptype, list) in [("USER", &users), ("GROUP", &groups)] {
            for (name, pos) in list.iter() {
                let principal = format!("{ptype}:{name}");
                let aaddr = addr.child(["assignments", principal.as_str()]);
                let mut a = self.resource(
                    aaddr.clone(),
                    Kind::ApplicationAssignment,
                    Some(&addr),
                    *pos,
                );
                a.attrs.insert("principal_type".into(), Value::str(ptype));
                a.attrs.insert("principal_name".into(), Value::str(*name));
                a.attrs
                    .insert("principal".into(), Value::str(principal.clone()));
                self.principal_deps.push((aaddr, ptype, name.to_string()));
                self.add(a);
            }
        }

        if let Some(g) = n.get("grants") {
            if let Some(ac) = g.get("authorization_code") {
                let gaddr = addr.child(["grants", "authorization_code"]);
                let mut gr =
                    self.resource(gaddr.clone(), Kind::ApplicationGrant, Some(&addr), ac.pos);
                gr.attrs
                    .insert("grant_type".into(), Value::str("authorization_code"));
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
            for (yk, gt, seg) in [
                ("refresh_token", "refresh_token", "refresh_token"),
                (
                    "token_exchange",
                    "urn:ietf:params:oauth:grant-type:token-exchange",
                    "token_exchange",
                ),
            ] {
                if let Some(e) = g.get(yk) {
                    let gaddr = addr.child(["grants", seg]);
                    let mut gr = self.resource(gaddr, Kind::ApplicationGrant, Some(&addr), e.pos);
                    gr.attrs.insert("grant_type".into(), Value::str(gt));
                    gr.attrs.insert("grant".into(), Value::Map(BTreeMap::new()));
                    self.add(gr);
                }
            }
            if let Some(jb) = g.get("jwt_bearer") {
                let gaddr = addr.child(["grants", "jwt_bearer"]);
                let mut gr =
                    self.resource(gaddr.clone(), Kind::ApplicationGrant, Some(&addr), jb.pos);
                gr.attrs.insert(
                    "grant_type".into(),
                    Value::str("urn:ietf:params:oauth:grant-type:jwt-bearer"),
                );
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
                                        format!("`issuer` references `{rf}`, not a trusted token issuer's ARN"),
                                        Some("write `${identity_center.trusted_token_issuers.NAME.arn}`".into()),
                                    );
                                } else {
                                    iref = Some(rf.clone());
                                }
                            }
                            Value::Str(t)
                                if !valid_arn(t) || !t.contains(":trustedTokenIssuer/") =>
                            {
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
        if let Some(scopes) = n.get("access_scopes") {
            let items = scopes.items();
            if items.len() > 25 {
                self.issue(
                    codes::TOO_MANY_SCOPES,
                    items[25].pos,
                    format!(
                        "{} access scopes; an application has at most 25",
                        items.len()
                    ),
                    None,
                );
            }
            let mut seen = BTreeSet::new();
            for item in items {
                let (scope, targets) = match &item.value {
                    NodeValue::Str(t) => (Some(t.as_str()), None),
                    NodeValue::Map(_) => (s(item.get("scope")), item.get("authorized_targets")),
                    _ => (None, None),
                };
                let Some(scope) = scope else { continue };
                if !seen.insert(scope.to_string()) {
                    self.issue(
                        codes::DUPLICATE_ITEM,
                        item.pos,
                        format!("access scope `{scope}` is listed twice"),
                        None,
                    );
                    continue;
                }
                if scope.is_empty() || scope.contains(char::is_whitespace) {
                    self.issue(
                        codes::BAD_VALUE,
                        item.pos,
                        format!("invalid access scope `{scope}`"),
                        Some("scopes look like `qbusiness:messages:access`".into()),
                    );
                }
                let saddr = addr.child(["access_scopes", scope]);
                let mut sr = self.resource(
                    saddr.clone(),
                    Kind::ApplicationAccessScope,
                    Some(&addr),
                    item.pos,
                );
                sr.attrs.insert("scope".into(), Value::str(scope));
                if let Some(v) = self.opt_val(&saddr, targets) {
                    sr.attrs.insert("authorized_targets".into(), v);
                }
                self.add(sr);
            }
        }
        if let Some(iam) = n.get("authentication_methods").and_then(|m| m.get("iam")) {
            let maddr = addr.child(["authentication_methods", "iam"]);
            let mut mr = self.resource(
                maddr.clone(),
                Kind::ApplicationAuthenticationMethod,
                Some(&addr),
                iam.pos,
            );
            mr.attrs.insert("method_type".into(), Value::str("IAM"));
            if let Some(p) = iam.get("actor_policy") {
                let policy = match &p.value {
                    NodeValue::Str(t) if !is_ref(t) => {
                        match serde_json::from_str::<serde_json::Value>(t) {
                            Ok(j) => Some(Value::from_json(&j)),
                            Err(e) => {
                                self.issue(
                                    codes::ACTOR_POLICY,
                                    p.pos,
                                    format!("the actor policy is not valid JSON: {e}"),
                                    Some("write the policy as YAML, or as a JSON string".into()),
                                );
                                None
                            }
                        }
                    }
                    _ => Some(self.val(&maddr, p)),
                };
                if let Some(policy) = policy {
                    let ok = policy.as_map().is_some_and(|m| {
                        m.contains_key("Statement")
                            && m.get("Version").and_then(Value::as_str).is_some()
                    });
                    if !ok {
                        self.issue(
                            codes::ACTOR_POLICY,
                            p.pos,
                            "the actor policy needs `Version` and `Statement`",
                            Some("e.g. `{Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {AWS: \"123456789012\"}, Action: sso-oauth:CreateTokenWithIAM, Resource: \"*\"}]}`".into()),
                        );
                    }
                    mr.attrs.insert("actor_policy".into(), policy);
                }
            }
            self.add(mr);
        }
    }
}
