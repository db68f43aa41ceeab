//! Lowering a user pool's SAML or OIDC identity provider (`user_pools.NAME.identity_providers.IDP`).

use super::value::bool_str;
use super::*;
use crate::rename::identity_provider as names;

/// The field a spec key of a table lowers to.
fn field(table: &[crate::rename::Rename], yaml: &str) -> &'static str {
    table
        .iter()
        .find(|(k, _)| *k == yaml)
        .map(|(_, f)| *f)
        .expect("a key of the table")
}

impl Lower<'_> {
    pub(super) fn identity_provider(
        &mut self,
        pool: &Address,
        name: &str,
        kp: Pos,
        n: &Node,
        required: &[String],
    ) {
        let addr = pool.child(["identity_providers", name]);
        let mut r = self.resource(addr.clone(), Kind::IdentityProvider, Some(pool), n.pos);
        if name.is_empty()
            || name.chars().count() > 32
            || name.eq_ignore_ascii_case("cognito")
            || name.starts_with('_')
            || name.contains(char::is_whitespace)
        {
            self.issue(
                codes::IDP_NAME,
                kp,
                format!("invalid identity provider name `{name}`"),
                Some(
                    "1 to 32 characters, no spaces, not starting with `_`, and not `COGNITO`"
                        .into(),
                ),
            );
        }
        r.attrs.insert("name".into(), Value::str(name));
        let mut details = BTreeMap::new();
        match (n.get("saml"), n.get("oidc")) {
            (Some(_), Some(o)) => self.issue(
                codes::IDP_PROTOCOL,
                o.pos,
                format!("identity provider `{name}` has both `saml` and `oidc`"),
                Some("one provider speaks one protocol; declare two providers".into()),
            ),
            (None, None) => self.issue(
                codes::IDP_PROTOCOL,
                n.pos,
                format!("identity provider `{name}` needs `saml` or `oidc`"),
                None,
            ),
            (Some(saml), None) => {
                r.attrs.insert("provider_type".into(), Value::str("SAML"));
                self.saml(&addr, saml, &mut details);
            }
            (None, Some(oidc)) => {
                r.attrs.insert("provider_type".into(), Value::str("OIDC"));
                self.oidc(&addr, oidc, &mut details);
            }
        }
        r.attrs
            .insert("provider_details".into(), Value::Map(details));
        let mapped: Vec<&str> = n
            .get("attribute_mapping")
            .map(|m| m.entries().iter().map(|(k, _, _)| k.as_str()).collect())
            .unwrap_or_default();
        for req in required {
            if !mapped.contains(&req.as_str()) {
                self.issue(
                    codes::UNMAPPED_REQUIRED,
                    n.get("attribute_mapping").map(|m| m.pos).unwrap_or(kp),
                    format!("required pool attribute `{req}` is not mapped from identity provider `{name}`"),
                    Some(format!("add `attribute_mapping: {{{req}: <IdP attribute>}}`, or federated sign-in fails")),
                );
            }
        }
        self.copy(&addr, Some(n), names::PLAIN, &mut r.attrs);
        self.add(r);
    }

    fn saml(&mut self, addr: &Address, saml: &Node, details: &mut BTreeMap<String, Value>) {
        let url = saml.get("metadata_url");
        let file = saml.get("metadata_file");
        match (url, file) {
            (Some(_), Some(f)) => self.issue(
                codes::SAML_METADATA,
                f.pos,
                "a SAML provider takes `metadata_url` or `metadata_file`, not both",
                Some("keep the URL when the IdP publishes one: Cognito refreshes it".into()),
            ),
            (None, None) => self.issue(
                codes::SAML_METADATA,
                saml.pos,
                "a SAML provider needs `metadata_url` or `metadata_file`",
                None,
            ),
            _ => {}
        }
        if let Some(u) = url {
            if let Some(t) = u.as_str() {
                self.check_url(t, u.pos, "metadata URL", false);
            }
            if let Some(v) = self.opt_val(addr, Some(u)) {
                details.insert(field(names::SAML, "metadata_url").into(), v);
            }
        }
        if let Some(f) = file
            && let Some(path) = f.as_str()
        {
            let base = self.dirs.get(f.pos.file).cloned().flatten();
            let full = match base {
                Some(b) if !std::path::Path::new(path).is_absolute() => b.join(path),
                _ => PathBuf::from(path),
            };
            match idplane_model::files::read_text(&full, idplane_model::files::MAX_METADATA_BYTES) {
                Ok(xml) if xml.contains("EntityDescriptor") => {
                    details.insert(field(names::SAML, "metadata_file").into(), Value::str(xml));
                }
                Ok(_) => self.issue(
                    codes::METADATA_FILE,
                    f.pos,
                    format!("`{path}` is not SAML metadata (no EntityDescriptor)"),
                    None,
                ),
                Err(e) => self.issue(
                    codes::METADATA_FILE,
                    f.pos,
                    format!("cannot read metadata file `{path}`: {e}"),
                    Some("the path is relative to the spec file's directory".into()),
                ),
            }
        }
        for (yk, ak) in names::SAML_FLAGS {
            if let Some(b) = saml.get(yk).and_then(Node::as_bool) {
                details.insert((*ak).into(), bool_str(b));
            }
        }
        if let Some(alg) = saml.get("request_signing_algorithm") {
            if let Some(t) = alg.as_str()
                && t != "rsa-sha256"
            {
                self.issue(
                    codes::BAD_VALUE,
                    alg.pos,
                    format!("unsupported request signing algorithm `{t}`"),
                    Some("Cognito supports `rsa-sha256`".into()),
                );
            }
            if let Some(v) = self.opt_val(addr, Some(alg)) {
                details.insert(field(names::SAML, "request_signing_algorithm").into(), v);
            }
        }
    }

    fn oidc(&mut self, addr: &Address, oidc: &Node, details: &mut BTreeMap<String, Value>) {
        if let Some(i) = oidc.get("issuer") {
            if let Some(t) = i.as_str() {
                self.check_url(t, i.pos, "OIDC issuer", false);
            }
            if let Some(v) = self.opt_val(addr, Some(i)) {
                details.insert(field(names::OIDC, "issuer").into(), v);
            }
        }
        let (yk, fk) = ("client_id", field(names::OIDC, "client_id"));
        if let Some(v) = self.opt_val(addr, oidc.get(yk)) {
            details.insert(fk.into(), v);
        }
        if let Some(sec) = oidc.get("client_secret")
            && let Some(v) = self.secret(sec)
        {
            details.insert(field(names::OIDC, "client_secret").into(), v);
        }
        let scopes = strs(oidc.get("scopes"));
        match oidc.get("scopes") {
            Some(sn) if !scopes.iter().any(|(t, _)| *t == "openid") => self.issue(
                codes::OIDC_SCOPES,
                sn.pos,
                "OIDC scopes must include `openid`",
                Some("e.g. `scopes: [openid, email, profile]`".into()),
            ),
            None => self.issue(
                codes::OIDC_SCOPES,
                oidc.pos,
                "an OIDC provider needs `scopes` (with `openid`)",
                Some("e.g. `scopes: [openid, email, profile]`".into()),
            ),
            _ => {}
        }
        self.duplicates(&scopes, "scope");
        if !scopes.is_empty() {
            let joined: Vec<&str> = scopes.iter().map(|(t, _)| *t).collect();
            details.insert(
                field(names::OIDC, "scopes").into(),
                Value::str(joined.join(" ")),
            );
        }
        let (yk, fk) = (
            "attributes_request_method",
            field(names::OIDC, "attributes_request_method"),
        );
        if let Some(v) = self.opt_val(addr, oidc.get(yk)) {
            details.insert(fk.into(), v);
        }
    }
}
