//! Live state -> spec YAML (the reverse of the spec's lowering), for `idplane export`.
//!
//! Each live object is normalized with the planner's rules, fields at their AWS default are
//! left out, and model fields are spelled the way the spec language spells them. User pools and
//! identity pools are pinned by id (their names are not unique); clients by id only when their
//! name repeats in the pool; trusted token issuers and applications are matched by name, as a
//! person writes them. References between exported objects are written as `${...}` (a grant
//! audience as `${user_pools.P.clients.C.id}`, an issuer URL as `${user_pools.P.issuer_url}`);
//! literal ids remain only where the target is not in the export. Secrets become `{env: NAME}`
//! references (listed in [`Exported::secrets`]) to fill in before planning.

use idplane_model::{Kind, LiveObject, Observed, Value};
use serde_json::{Map, Value as J, json};
use std::collections::{BTreeMap, BTreeSet};

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Pool ids; empty = every pool (unless applications are selected).
    pub user_pools: Vec<String>,
    /// Application ARNs; empty = every application (unless pools are selected).
    pub applications: Vec<String>,
    /// Tags every exported top-level object must carry.
    pub tags: Vec<(String, String)>,
}

/// An exported spec.
#[derive(Debug, Clone)]
pub struct Exported {
    pub yaml: String,
    /// Environment variables the spec references for secrets.
    pub secrets: Vec<String>,
    /// Documents the spec references as files (SAML metadata given to AWS as a document), by
    /// file name relative to the spec: write them beside it.
    pub files: Vec<(String, String)>,
}

struct Ctx<'a> {
    observed: &'a Observed,
    secrets: Vec<String>,
    files: Vec<(String, String)>,
    /// Live text (ids, ARNs, URLs) -> the `${...}` reference that names it in the export.
    refs: BTreeMap<String, String>,
}

impl Ctx<'_> {
    /// The reference for a live value, or the value itself when its target is not exported.
    fn r(&self, live: &str) -> J {
        match self.refs.get(live) {
            Some(r) => J::String(r.clone()),
            None => J::String(live.to_string()),
        }
    }

    /// A JSON value with every string that names an exported object replaced by its reference.
    fn deep(&self, v: J) -> J {
        match v {
            J::String(s) => self.r(&s),
            J::Array(a) => J::Array(a.into_iter().map(|x| self.deep(x)).collect()),
            J::Object(o) => J::Object(o.into_iter().map(|(k, x)| (k, self.deep(x))).collect()),
            other => other,
        }
    }
}

/// The logical keys every exported object gets, decided before any is written so that
/// references can point forward.
fn keys_of<'a>(
    objs: impl Iterator<Item = &'a LiveObject>,
    fallback: &str,
) -> Vec<(&'a LiveObject, String)> {
    let mut taken = BTreeSet::new();
    objs.map(|o| {
        let name = o
            .attrs
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(fallback);
        let key = logical(name, &taken);
        taken.insert(key.clone());
        (o, key)
    })
    .collect()
}

/// The normalized attrs of a live object with fields at their default dropped.
fn attrs(o: &LiveObject) -> BTreeMap<String, Value> {
    let defaults = idplane_planner::normalize(o.kind, &BTreeMap::new());
    idplane_planner::normalize(o.kind, &o.attrs)
        .into_iter()
        .filter(|(k, v)| defaults.get(k) != Some(v))
        .collect()
}

fn j(v: &Value) -> J {
    v.to_json()
}

/// `lambda_config` as the spec writes it: a pre-token trigger with a version other than `V1_0`
/// (normalization drops the config at `V1_0`) becomes `pre_token_generation: {arn, version}`.
fn lambda_triggers(v: &Value) -> J {
    let mut out = j(v);
    if let Some(m) = out.as_object_mut()
        && let Some(config) = m.remove("pre_token_generation_config")
    {
        m.insert(
            "pre_token_generation".into(),
            json!({"arn": config["lambda_arn"], "version": config["lambda_version"]}),
        );
    }
    out
}

fn put(m: &mut Map<String, J>, key: &str, v: Option<J>) {
    if let Some(v) = v
        && !v.is_null()
        && v != json!({})
    {
        m.insert(key.to_string(), v);
    }
}

/// A logical name usable as a YAML key and an address segment.
fn logical(name: &str, taken: &BTreeSet<String>) -> String {
    let mut base: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if base.is_empty() {
        base = "unnamed".into();
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

fn env_name(parts: &[&str]) -> String {
    let mut s = String::from("IDPLANE_SECRET");
    for p in parts {
        s.push('_');
        s.extend(p.chars().map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        }));
    }
    s
}

/// Seconds as the spec's duration text (`1h`, `30d`, `90s`).
fn duration(secs: i64) -> J {
    for (unit, n) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if secs > 0 && secs % n == 0 {
            return J::String(format!("{}{unit}", secs / n));
        }
    }
    J::String(format!("{secs}s"))
}

fn tagged(o: &LiveObject, tags: &[(String, String)]) -> bool {
    tags.iter().all(|(k, v)| o.tags.get(k) == Some(v))
}

/// Builds the spec.
/// Objects another idplane stack owns (its ownership tags) are written with their `arn:` pin:
/// matching them by name would leave them to that stack, and the exported stack would plan a
/// second object of the same name. A pin says "take this one over" explicitly.
fn pin_if_owned_elsewhere(m: &mut Map<String, J>, o: &LiveObject, stack: &str) {
    if o.owner_stack().is_some_and(|s| s != stack) {
        m.insert("arn".into(), json!(o.id));
    }
}

pub fn export(observed: &Observed, stack: &str, region: &str, sel: &Selection) -> Exported {
    let all = sel.user_pools.is_empty() && sel.applications.is_empty();
    let mut root = Map::new();
    root.insert("version".into(), json!(1));
    root.insert("stack".into(), json!(stack));
    root.insert("region".into(), json!(region));

    let pools = keys_of(
        observed.objects.iter().filter(|o| {
            o.kind == Kind::UserPool
                && (all || sel.user_pools.contains(&o.id))
                && tagged(o, &sel.tags)
        }),
        "pool",
    );
    let apps = keys_of(
        observed.objects.iter().filter(|o| {
            o.kind == Kind::Application
                && (all || sel.applications.contains(&o.id))
                && tagged(o, &sel.tags)
        }),
        "app",
    );
    let ttis = keys_of(
        observed
            .objects
            .iter()
            .filter(|o| o.kind == Kind::TrustedTokenIssuer && all && tagged(o, &sel.tags)),
        "tti",
    );
    let mut refs = BTreeMap::new();
    for (o, key) in &pools {
        for out in ["issuer_url", "provider_name"] {
            if let Some(v) = o.outputs.get(out) {
                refs.insert(v.clone(), format!("${{user_pools.{key}.{out}}}"));
            }
        }
        let clients = observed
            .objects
            .iter()
            .filter(|c| c.kind == Kind::UserPoolClient && c.parent_id.as_deref() == Some(&o.id));
        for (c, ckey) in keys_of(clients, "client") {
            refs.insert(
                c.id.clone(),
                format!("${{user_pools.{key}.clients.{ckey}.id}}"),
            );
        }
    }
    for (o, key) in &ttis {
        refs.insert(
            o.id.clone(),
            format!("${{identity_center.trusted_token_issuers.{key}.arn}}"),
        );
    }
    for (o, key) in &apps {
        refs.insert(
            o.id.clone(),
            format!("${{identity_center.applications.{key}.arn}}"),
        );
    }
    let mut ctx = Ctx {
        observed,
        secrets: Vec::new(),
        files: Vec::new(),
        refs,
    };

    let mut pool_map = Map::new();
    for (o, key) in &pools {
        pool_map.insert(key.clone(), ctx.user_pool(o, key));
    }
    if !pool_map.is_empty() {
        root.insert("user_pools".into(), J::Object(pool_map));
    }

    let mut ic = Map::new();
    let mut tti_map = Map::new();
    for (o, key) in ttis {
        let a = attrs(o);
        let name = o.attrs.get("name").and_then(Value::as_str).unwrap_or("tti");
        let mut m = Map::new();
        pin_if_owned_elsewhere(&mut m, o, stack);
        m.insert("name".into(), json!(name));
        let mut oidc = Map::new();
        if let Some(url) = o.attrs.get("issuer_url").and_then(Value::as_str) {
            oidc.insert("issuer_url".into(), ctx.r(url));
        }
        for k in ["claim_attribute_path", "identity_store_attribute_path"] {
            put(
                &mut oidc,
                k,
                o.attrs.get(k).map(j).or_else(|| a.get(k).map(j)),
            );
        }
        put(
            &mut oidc,
            "jwks_retrieval_option",
            a.get("jwks_retrieval_option").map(j),
        );
        m.insert("oidc_jwt".into(), J::Object(oidc));
        put(&mut m, "tags", a.get("tags").map(j));
        tti_map.insert(key, J::Object(m));
    }
    if !tti_map.is_empty() {
        ic.insert("trusted_token_issuers".into(), J::Object(tti_map));
    }
    let mut app_map = Map::new();
    for (o, key) in apps {
        let mut app = ctx.application(o);
        if let J::Object(m) = &mut app {
            let mut pinned = Map::new();
            pin_if_owned_elsewhere(&mut pinned, o, stack);
            pinned.extend(std::mem::take(m));
            *m = pinned;
        }
        app_map.insert(key, app);
    }
    if !app_map.is_empty() {
        ic.insert("applications".into(), J::Object(app_map));
    }
    if !ic.is_empty() {
        root.insert("identity_center".into(), J::Object(ic));
    }

    if all {
        let mut ids = Map::new();
        let mut taken = BTreeSet::new();
        for o in observed
            .objects
            .iter()
            .filter(|o| o.kind == Kind::IdentityPool && tagged(o, &sel.tags))
        {
            let name = o
                .attrs
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("pool");
            let key = logical(name, &taken);
            taken.insert(key.clone());
            ids.insert(key, ctx.identity_pool(o));
        }
        if !ids.is_empty() {
            root.insert("identity_pools".into(), J::Object(ids));
        }
    }

    if all {
        let store = identity_store(observed, &sel.tags);
        if !store.is_empty() {
            root.insert("identity_store".into(), J::Object(store));
        }
    }

    let body = serde_saphyr::to_string(&J::Object(root)).expect("YAML serialization");
    let mut yaml = String::from("# Exported by `idplane export` from live state.\n");
    if !ctx.secrets.is_empty() {
        yaml.push_str("# Secrets to set before planning: ");
        yaml.push_str(&ctx.secrets.join(", "));
        yaml.push('\n');
    }
    yaml.push_str(&body);
    Exported {
        yaml,
        secrets: ctx.secrets,
        files: ctx.files,
    }
}

impl<'a> Ctx<'a> {
    fn children(&self, kind: Kind, parent: &str) -> Vec<&'a LiveObject> {
        let observed: &'a Observed = self.observed;
        observed
            .objects
            .iter()
            .filter(|o| o.kind == kind && o.parent_id.as_deref() == Some(parent))
            .collect()
    }

    fn user_pool(&mut self, o: &LiveObject, key: &str) -> J {
        let a = attrs(o);
        let mut m = Map::new();
        m.insert("id".into(), json!(o.id));
        put(&mut m, "name", o.attrs.get("name").map(j));
        let mut sign_in = Map::new();
        put(
            &mut sign_in,
            "alias_attributes",
            a.get("alias_attributes").map(j),
        );
        put(
            &mut sign_in,
            "username_attributes",
            a.get("username_attributes").map(j),
        );
        put(
            &mut sign_in,
            "case_sensitive",
            a.get("username_case_sensitive").map(j),
        );
        put(&mut m, "sign_in", Some(J::Object(sign_in)));
        if let Some(Value::Map(schema)) = a.get("schema") {
            let mut s = Map::new();
            for (name, attr) in schema {
                let mut e = Map::new();
                let am = attr.as_map().cloned().unwrap_or_default();
                put(&mut e, "type", am.get("attribute_data_type").map(j));
                for k in ["required", "mutable", "developer_only"] {
                    put(&mut e, k, am.get(k).map(j));
                }
                for (group, keys) in [
                    ("string_constraints", ["min_length", "max_length"]),
                    ("number_constraints", ["min_value", "max_value"]),
                ] {
                    if let Some(Value::Map(c)) = am.get(group) {
                        for k in keys {
                            put(&mut e, k, c.get(k).map(j));
                        }
                    }
                }
                s.insert(name.clone(), J::Object(e));
            }
            put(&mut m, "schema", Some(J::Object(s)));
        }
        put(
            &mut m,
            "auto_verified_attributes",
            a.get("auto_verified_attributes").map(j),
        );
        put(&mut m, "password_policy", a.get("password_policy").map(j));
        let mut mfa = Map::new();
        put(&mut mfa, "configuration", a.get("mfa_configuration").map(j));
        put(
            &mut mfa,
            "software_token",
            a.get("software_token_mfa").map(j),
        );
        put(&mut m, "mfa", Some(J::Object(mfa)));
        if let Some(Value::Map(acu)) = a.get("admin_create_user_config") {
            put(
                &mut m,
                "admin_create_user_only",
                acu.get("allow_admin_create_user_only").map(j),
            );
            put(
                &mut m,
                "invite_message",
                acu.get("invite_message_template").map(j),
            );
        }
        put(&mut m, "account_recovery", a.get("account_recovery").map(j));
        if let Some(Value::Map(e)) = a.get("email_configuration") {
            let mut em = Map::new();
            for (from, to) in [
                ("email_sending_account", "sending_account"),
                ("source_arn", "source_arn"),
                ("from", "from"),
                ("reply_to_email_address", "reply_to"),
                ("configuration_set", "configuration_set"),
            ] {
                put(&mut em, to, e.get(from).map(j));
            }
            put(&mut m, "email", Some(J::Object(em)));
        }
        put(&mut m, "sms", a.get("sms_configuration").map(j));
        put(
            &mut m,
            "verification_message",
            a.get("verification_message_template").map(j),
        );
        put(
            &mut m,
            "lambda_triggers",
            a.get("lambda_config").map(lambda_triggers),
        );
        if let Some(d) = a.get("deletion_protection").and_then(Value::as_str) {
            m.insert("deletion_protection".into(), json!(d == "ACTIVE"));
        }
        // ORIGINAL is what a new pool gets: only the recommended UPDATED issuer is worth writing.
        put(
            &mut m,
            "issuer_type",
            a.get("issuer_type")
                .filter(|v| v.as_str() != Some("ORIGINAL"))
                .map(j),
        );
        put(&mut m, "tags", a.get("tags").map(j));

        if let Some(d) = self.children(Kind::UserPoolDomain, &o.id).first() {
            let da = attrs(d);
            let mut dm = Map::new();
            let domain = d
                .attrs
                .get("domain")
                .and_then(Value::as_str)
                .unwrap_or(&d.id);
            if domain.contains('.') {
                dm.insert("custom_domain".into(), json!(domain));
                put(&mut dm, "certificate_arn", da.get("certificate_arn").map(j));
            } else {
                dm.insert("prefix".into(), json!(domain));
            }
            put(
                &mut dm,
                "managed_login_version",
                da.get("managed_login_version").map(j),
            );
            m.insert("domain".into(), J::Object(dm));
        }

        let mut idps = Map::new();
        for idp in self.children(Kind::IdentityProvider, &o.id) {
            let ia = attrs(idp);
            let name = idp
                .attrs
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&idp.id);
            let details = ia
                .get("provider_details")
                .and_then(Value::as_map)
                .cloned()
                .unwrap_or_default();
            let d = |k: &str| details.get(k).and_then(Value::as_str).map(str::to_string);
            // Flags are off unless `"true"`; only the ones that are on are written.
            let b = |k: &str| {
                d(k).filter(|v| v.eq_ignore_ascii_case("true"))
                    .map(|_| json!(true))
            };
            let mut im = Map::new();
            match idp.attrs.get("provider_type").and_then(Value::as_str) {
                Some("SAML") => {
                    let mut s = Map::new();
                    if let Some(url) = d("MetadataURL") {
                        s.insert("metadata_url".into(), json!(url));
                    } else if let Some(doc) = d("MetadataFile") {
                        // The document AWS holds, written beside the spec.
                        let file: String = format!("{key}-{name}-metadata.xml")
                            .chars()
                            .map(|c| {
                                if c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_' {
                                    c
                                } else {
                                    '_'
                                }
                            })
                            .collect();
                        s.insert("metadata_file".into(), json!(file));
                        self.files.push((file, doc));
                    }
                    put(&mut s, "idp_signout", b("IDPSignout"));
                    put(
                        &mut s,
                        "request_signing_algorithm",
                        d("RequestSigningAlgorithm").map(J::String),
                    );
                    put(&mut s, "encrypted_responses", b("EncryptedResponses"));
                    put(&mut s, "idp_init", b("IDPInit"));
                    im.insert("saml".into(), J::Object(s));
                }
                Some("OIDC") => {
                    let mut s = Map::new();
                    put(&mut s, "issuer", d("oidc_issuer").map(J::String));
                    put(&mut s, "client_id", d("client_id").map(J::String));
                    if details.contains_key("client_secret") {
                        let env = env_name(&[key, name]);
                        s.insert("client_secret".into(), json!({ "env": env }));
                        self.secrets.push(env);
                    }
                    if let Some(scopes) = d("authorize_scopes") {
                        s.insert(
                            "scopes".into(),
                            json!(scopes.split_whitespace().collect::<Vec<_>>()),
                        );
                    }
                    put(
                        &mut s,
                        "attributes_request_method",
                        d("attributes_request_method").map(J::String),
                    );
                    im.insert("oidc".into(), J::Object(s));
                }
                other => {
                    tracing::warn!("{name}: provider type {other:?} is not exported");
                    continue;
                }
            }
            let mut mapping = ia
                .get("attribute_mapping")
                .and_then(Value::as_map)
                .cloned()
                .unwrap_or_default();
            if mapping.get("username").and_then(Value::as_str) == Some("sub")
                && idp.attrs.get("provider_type").and_then(Value::as_str) != Some("SAML")
            {
                mapping.remove("username");
            }
            if !mapping.is_empty() {
                im.insert("attribute_mapping".into(), j(&Value::Map(mapping)));
            }
            put(&mut im, "identifiers", ia.get("idp_identifiers").map(j));
            idps.insert(name.to_string(), J::Object(im));
        }
        put(&mut m, "identity_providers", Some(J::Object(idps)));

        let mut rss = Map::new();
        let mut taken = BTreeSet::new();
        for rs in self.children(Kind::ResourceServer, &o.id) {
            let ra = attrs(rs);
            let name = rs
                .attrs
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&rs.id);
            let k = logical(name, &taken);
            taken.insert(k.clone());
            let mut rm = Map::new();
            rm.insert("identifier".into(), json!(rs.id));
            rm.insert("name".into(), json!(name));
            put(&mut rm, "scopes", ra.get("scopes").map(j));
            rss.insert(k, J::Object(rm));
        }
        put(&mut m, "resource_servers", Some(J::Object(rss)));

        let mut groups = Map::new();
        for g in self.children(Kind::UserPoolGroup, &o.id) {
            let ga = attrs(g);
            let mut gm = Map::new();
            for k in ["description", "precedence", "role_arn"] {
                put(&mut gm, k, ga.get(k).map(j));
            }
            groups.insert(g.id.clone(), J::Object(gm));
        }
        put(&mut m, "groups", Some(J::Object(groups)));

        let mut clients = Map::new();
        let all_clients = self.children(Kind::UserPoolClient, &o.id);
        let name_of = |c: &LiveObject| -> String {
            c.attrs
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&c.id)
                .to_string()
        };
        for (c, k) in keys_of(all_clients.iter().copied(), "client") {
            let name = name_of(c);
            // Names are matched within the pool; a repeated name needs the id.
            let repeated = all_clients.iter().filter(|x| name_of(x) == name).count() > 1;
            clients.insert(k, client(c, &name, repeated));
        }
        put(&mut m, "clients", Some(J::Object(clients)));
        J::Object(m)
    }

    fn application(&mut self, o: &LiveObject) -> J {
        let a = attrs(o);
        let mut m = Map::new();
        put(&mut m, "name", o.attrs.get("name").map(j));
        put(&mut m, "description", a.get("description").map(j));
        if let Some(s) = a.get("status").and_then(Value::as_str) {
            m.insert("enabled".into(), json!(s == "ENABLED"));
        }
        if let Some(Value::Map(p)) = a.get("portal_options") {
            let mut pm = Map::new();
            if let Some(v) = p.get("visibility").and_then(Value::as_str) {
                pm.insert("visible".into(), json!(v == "ENABLED"));
            }
            if let Some(Value::Map(so)) = p.get("sign_in_options") {
                put(&mut pm, "sign_in_origin", so.get("origin").map(j));
                put(&mut pm, "application_url", so.get("application_url").map(j));
            }
            put(&mut m, "portal", Some(J::Object(pm)));
        }
        put(&mut m, "tags", a.get("tags").map(j));
        if let Some(cfg) = self
            .children(Kind::ApplicationAssignmentConfiguration, &o.id)
            .first()
        {
            let v = idplane_planner::normalize(cfg.kind, &cfg.attrs);
            // AWS's default (true) is written only with assignments: the spec language refuses
            // a required assignment without any (E027), and leaving it out keeps it live.
            let has_assignments = !self.children(Kind::ApplicationAssignment, &o.id).is_empty();
            if v.get("assignment_required") == Some(&Value::Bool(false)) || has_assignments {
                put(
                    &mut m,
                    "assignment_required",
                    v.get("assignment_required").map(j),
                );
            }
        }
        let mut grants = Map::new();
        for g in self.children(Kind::ApplicationGrant, &o.id) {
            let ga = idplane_planner::normalize(g.kind, &g.attrs);
            let grant = ga
                .get("grant")
                .and_then(Value::as_map)
                .cloned()
                .unwrap_or_default();
            match g.id.as_str() {
                "authorization_code" => {
                    grants.insert(
                        "authorization_code".into(),
                        json!({ "redirect_uris": grant.get("redirect_uris").map(j).unwrap_or(json!([])) }),
                    );
                }
                "refresh_token" => {
                    grants.insert("refresh_token".into(), json!({}));
                }
                "urn:ietf:params:oauth:grant-type:token-exchange" => {
                    grants.insert("token_exchange".into(), json!({}));
                }
                "urn:ietf:params:oauth:grant-type:jwt-bearer" => {
                    let issuers: Vec<J> = grant
                        .get("authorized_token_issuers")
                        .and_then(Value::as_list)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(Value::as_map)
                        .map(|i| {
                            json!({
                                "issuer": self.deep(i.get("trusted_token_issuer_arn").map(j).unwrap_or(J::Null)),
                                "audiences": self.deep(i.get("authorized_audiences").map(j).unwrap_or(json!([]))),
                            })
                        })
                        .collect();
                    grants.insert("jwt_bearer".into(), J::Array(issuers));
                }
                other => tracing::warn!("grant type {other} is not exported"),
            }
        }
        if !grants.is_empty() {
            m.insert("grants".into(), J::Object(grants));
        }
        let scopes: Vec<J> = self
            .children(Kind::ApplicationAccessScope, &o.id)
            .into_iter()
            .map(|s| {
                let sa = attrs(s);
                match sa.get("authorized_targets") {
                    Some(t) => json!({ "scope": s.id, "authorized_targets": self.deep(j(t)) }),
                    None => json!(s.id),
                }
            })
            .collect();
        if !scopes.is_empty() {
            m.insert("access_scopes".into(), J::Array(scopes));
        }
        if let Some(am) = self
            .children(Kind::ApplicationAuthenticationMethod, &o.id)
            .into_iter()
            .find(|x| x.id == "IAM")
            && let Some(p) = idplane_planner::normalize(am.kind, &am.attrs).get("actor_policy")
        {
            m.insert(
                "authentication_methods".into(),
                json!({ "iam": { "actor_policy": self.deep(j(p)) } }),
            );
        }
        let mut users = Vec::new();
        let mut groups = Vec::new();
        for asg in self.children(Kind::ApplicationAssignment, &o.id) {
            let t = asg.attrs.get("principal_type").and_then(Value::as_str);
            let n = asg.attrs.get("principal_name").and_then(Value::as_str);
            match (t, n) {
                (Some("GROUP"), Some(n)) => groups.push(n.to_string()),
                (_, Some(n)) => users.push(n.to_string()),
                _ => {}
            }
        }
        if !users.is_empty() || !groups.is_empty() {
            let mut asg = Map::new();
            if !users.is_empty() {
                asg.insert("users".into(), json!(users));
            }
            if !groups.is_empty() {
                asg.insert("groups".into(), json!(groups));
            }
            m.insert("assignments".into(), J::Object(asg));
        }
        J::Object(m)
    }
}

/// Identity Store users and groups (with their members), keyed by user name and display name.
/// Nothing there has tags: with a `--tag` selection they are left out.
fn identity_store(observed: &Observed, tags: &[(String, String)]) -> Map<String, J> {
    let mut out = Map::new();
    if !tags.is_empty() {
        return out;
    }
    let mut users = Map::new();
    for u in observed
        .objects
        .iter()
        .filter(|o| o.kind == Kind::IdentityStoreUser)
    {
        let a = attrs(u);
        let Some(name) = a.get("user_name").and_then(Value::as_str) else {
            continue;
        };
        let mut m = Map::new();
        for k in ["display_name", "given_name", "family_name", "email"] {
            put(&mut m, k, a.get(k).map(j));
        }
        users.insert(name.to_string(), J::Object(m));
    }
    let mut groups = Map::new();
    for g in observed
        .objects
        .iter()
        .filter(|o| o.kind == Kind::IdentityStoreGroup)
    {
        let a = attrs(g);
        let Some(name) = a.get("display_name").and_then(Value::as_str) else {
            continue;
        };
        let mut m = Map::new();
        put(&mut m, "description", a.get("description").map(j));
        let members: Vec<J> = observed
            .objects
            .iter()
            .filter(|o| {
                o.kind == Kind::IdentityStoreGroupMembership
                    && o.parent_id.as_deref() == Some(g.id.as_str())
            })
            .filter_map(|o| o.attrs.get("user_name").map(j))
            .collect();
        if !members.is_empty() {
            m.insert("members".into(), J::Array(members));
        }
        groups.insert(name.to_string(), J::Object(m));
    }
    put(&mut out, "users", Some(J::Object(users)));
    put(&mut out, "groups", Some(J::Object(groups)));
    out
}

fn client(c: &LiveObject, name: &str, pin: bool) -> J {
    let a = attrs(c);
    let mut m = Map::new();
    if pin {
        m.insert("id".into(), json!(c.id));
    }
    m.insert("name".into(), json!(name));
    put(&mut m, "generate_secret", a.get("generate_secret").map(j));
    put(&mut m, "auth_flows", a.get("explicit_auth_flows").map(j));
    if a.get("allowed_oauth_flows_user_pool_client") == Some(&Value::Bool(true)) {
        let mut o = Map::new();
        put(&mut o, "flows", a.get("allowed_oauth_flows").map(j));
        put(&mut o, "scopes", a.get("allowed_oauth_scopes").map(j));
        put(&mut o, "callback_urls", a.get("callback_urls").map(j));
        put(&mut o, "logout_urls", a.get("logout_urls").map(j));
        put(
            &mut o,
            "default_redirect_uri",
            a.get("default_redirect_uri").map(j),
        );
        m.insert("oauth".into(), J::Object(o));
    }
    put(
        &mut m,
        "identity_providers",
        a.get("supported_identity_providers").map(j),
    );
    let mut tv = Map::new();
    for (field, key, unit) in [
        ("access_token_validity", "access", 1),
        ("id_token_validity", "id", 1),
        ("refresh_token_validity", "refresh", 1),
        ("auth_session_validity", "auth_session", 60),
    ] {
        put(
            &mut tv,
            key,
            a.get(field)
                .and_then(Value::as_int)
                .map(|n| duration(n * unit)),
        );
    }
    put(&mut m, "token_validity", Some(J::Object(tv)));
    put(&mut m, "read_attributes", a.get("read_attributes").map(j));
    put(&mut m, "write_attributes", a.get("write_attributes").map(j));
    put(
        &mut m,
        "token_revocation",
        a.get("enable_token_revocation").map(j),
    );
    if let Some(p) = a
        .get("prevent_user_existence_errors")
        .and_then(Value::as_str)
    {
        m.insert(
            "prevent_user_existence_errors".into(),
            json!(p == "ENABLED"),
        );
    }
    put(
        &mut m,
        "propagate_additional_user_context_data",
        a.get("enable_propagate_additional_user_context_data")
            .map(j),
    );
    J::Object(m)
}

impl Ctx<'_> {
    fn identity_pool(&self, o: &LiveObject) -> J {
        let a = attrs(o);
        let mut m = Map::new();
        m.insert("id".into(), json!(o.id));
        put(&mut m, "name", o.attrs.get("name").map(j));
        put(
            &mut m,
            "allow_unauthenticated",
            a.get("allow_unauthenticated_identities").map(j),
        );
        put(
            &mut m,
            "allow_classic_flow",
            a.get("allow_classic_flow").map(j),
        );
        put(
            &mut m,
            "cognito_providers",
            a.get("cognito_identity_providers").map(|v| self.deep(j(v))),
        );
        for k in [
            "openid_connect_provider_arns",
            "saml_provider_arns",
            "supported_login_providers",
            "developer_provider_name",
            "roles",
            "role_mappings",
            "tags",
        ] {
            put(&mut m, k, a.get(k).map(j));
        }
        J::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(kind: Kind, id: &str, parent: Option<&str>, attrs: serde_json::Value) -> LiveObject {
        let Value::Map(attrs) = Value::from_json(&attrs) else {
            panic!("attrs are a map")
        };
        LiveObject {
            kind,
            id: id.into(),
            parent_id: parent.map(str::to_string),
            tags: Default::default(),
            attrs,
            outputs: Default::default(),
        }
    }

    fn sample() -> Observed {
        Observed {
            identity_center: None,
            objects: vec![
                obj(
                    Kind::UserPool,
                    "us-east-1_abc",
                    None,
                    json!({"name": "Blog Pool", "alias_attributes": ["email"],
                           "admin_create_user_config": {"allow_admin_create_user_only": true},
                           "mfa_configuration": "OFF", "deletion_protection": "ACTIVE"}),
                ),
                obj(
                    Kind::UserPoolDomain,
                    "demo-tti",
                    Some("us-east-1_abc"),
                    json!({"domain": "demo-tti"}),
                ),
                obj(
                    Kind::UserPoolClient,
                    "client1",
                    Some("us-east-1_abc"),
                    json!({"name": "TTI", "allowed_oauth_flows_user_pool_client": true,
                           "allowed_oauth_flows": ["code"], "allowed_oauth_scopes": ["openid", "email"],
                           "callback_urls": ["http://localhost:8080"],
                           "access_token_validity": 3600, "refresh_token_validity": 86400,
                           "auth_session_validity": 5}),
                ),
                obj(
                    Kind::IdentityProvider,
                    "Partner",
                    Some("us-east-1_abc"),
                    json!({"name": "Partner", "provider_type": "OIDC",
                           "provider_details": {"client_id": "cid", "client_secret": {"$sensitive": "sha256:00", "$source": "aws"},
                                                "authorize_scopes": "openid email", "oidc_issuer": "https://idp.example.com"}}),
                ),
                obj(
                    Kind::UserPool,
                    "us-east-1_other",
                    None,
                    json!({"name": "Other"}),
                ),
            ],
        }
    }

    fn parse(yaml: &str) -> J {
        serde_saphyr::from_str(yaml).expect("exported YAML parses")
    }

    #[test]
    fn exports_pools_in_the_spec_shape() {
        let out = export(&sample(), "exported", "us-east-1", &Selection::default());
        let spec = parse(&out.yaml);
        let pool = &spec["user_pools"]["blog_pool"];
        assert_eq!(pool["id"], "us-east-1_abc");
        assert_eq!(pool["name"], "Blog Pool");
        assert_eq!(pool["sign_in"]["alias_attributes"], json!(["email"]));
        assert_eq!(pool["admin_create_user_only"], true);
        assert_eq!(pool["deletion_protection"], true);
        assert!(pool.get("mfa").is_none(), "defaults are left out: {pool}");
        assert_eq!(pool["domain"]["prefix"], "demo-tti");
        let client = &pool["clients"]["tti"];
        assert_eq!(client["oauth"]["flows"], json!(["code"]));
        assert_eq!(client["token_validity"]["refresh"], "1d");
        assert_eq!(client["token_validity"]["auth_session"], "5m");
        assert!(
            client["token_validity"].get("access").is_none(),
            "1h is the default"
        );
        assert!(spec["user_pools"].get("other").is_some());
    }

    #[test]
    fn secrets_become_env_references() {
        let out = export(&sample(), "exported", "us-east-1", &Selection::default());
        let spec = parse(&out.yaml);
        let oidc = &spec["user_pools"]["blog_pool"]["identity_providers"]["Partner"]["oidc"];
        assert_eq!(
            oidc["client_secret"],
            json!({"env": "IDPLANE_SECRET_BLOG_POOL_PARTNER"})
        );
        assert_eq!(oidc["scopes"], json!(["email", "openid"]));
        assert_eq!(out.secrets, ["IDPLANE_SECRET_BLOG_POOL_PARTNER"]);
        assert!(!out.yaml.contains("sha256"), "no digest either");
    }

    #[test]
    fn selection_limits_the_pools() {
        let sel = Selection {
            user_pools: vec!["us-east-1_other".into()],
            ..Default::default()
        };
        let spec = parse(&export(&sample(), "s", "us-east-1", &sel).yaml);
        let pools = spec["user_pools"].as_object().unwrap();
        assert_eq!(pools.keys().collect::<Vec<_>>(), ["other"]);
    }

    #[test]
    fn durations_use_the_largest_exact_unit() {
        assert_eq!(duration(86_400 * 30), "30d");
        assert_eq!(duration(7_200), "2h");
        assert_eq!(duration(300), "5m");
        assert_eq!(duration(61), "61s");
    }
}
