//! Turning YAML nodes into model values: references inside strings, secrets, durations.

use super::*;

impl Lower<'_> {
    /// Converts a string, turning a whole-string `${address.output}` into a reference.
    pub(super) fn string(&mut self, from: &Address, text: &str, pos: Pos) -> Value {
        // `${var.` left in a string was reported as an unknown variable already.
        if !text.contains("${") || text.contains("${var.") {
            return Value::str(text);
        }
        // `$${` writes a literal `${`; IAM policy variables such as `${aws:username}` pass as is.
        if text.contains("$${") {
            return Value::str(text.replace("$${", "${"));
        }
        if text.contains("${aws:")
            || text.contains("${saml:")
            || text.contains("${cognito-identity.amazonaws.com:")
        {
            return Value::str(text);
        }
        let inner = text
            .strip_prefix("${")
            .and_then(|t| t.strip_suffix('}'))
            .filter(|t| !t.contains("${") && !t.contains('}'));
        let Some(inner) = inner else {
            self.issue(
                codes::PARTIAL_REF,
                pos,
                format!("a reference must be the whole string: `{text}`"),
                Some("write the reference alone, e.g. `\"${user_pools.blog.issuer_url}\"`; `${var.NAME}` may appear anywhere".into()),
            );
            return Value::str(text);
        };
        let parsed = inner
            .rsplit_once('.')
            .and_then(|(a, o)| Address::parse(a).ok().map(|a| (a, o.to_string())));
        match parsed {
            Some((address, output)) if !output.is_empty() => {
                let r = Reference { address, output };
                self.refs.push(RefUse {
                    from: from.clone(),
                    r: r.clone(),
                    pos,
                });
                Value::Ref(r)
            }
            _ => {
                self.issue(
                    codes::PARTIAL_REF,
                    pos,
                    format!("malformed reference `{text}`"),
                    Some(
                        "a reference names a resource and an output: `${user_pools.NAME.id}`"
                            .into(),
                    ),
                );
                Value::str(text)
            }
        }
    }

    /// Converts a YAML node into a value (references inside strings resolved).
    pub(super) fn val(&mut self, from: &Address, n: &Node) -> Value {
        match &n.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::Int(*i),
            NodeValue::Float(f) => Value::Str(f.to_string()),
            NodeValue::Str(t) => self.string(from, t, n.pos),
            NodeValue::Seq(items) => Value::List(items.iter().map(|i| self.val(from, i)).collect()),
            NodeValue::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, _, v)| (k.clone(), self.val(from, v)))
                    .collect(),
            ),
        }
    }

    pub(super) fn opt_val(&mut self, from: &Address, n: Option<&Node>) -> Option<Value> {
        n.filter(|n| !n.is_null()).map(|n| self.val(from, n))
    }

    /// Copies the keys of a rename table that a mapping node sets into `into`, renamed.
    pub(super) fn copy(
        &mut self,
        from: &Address,
        n: Option<&Node>,
        table: &[crate::rename::Rename],
        into: &mut BTreeMap<String, Value>,
    ) {
        let Some(n) = n else { return };
        for (yk, fk) in table {
            if let Some(v) = self.opt_val(from, n.get(yk)) {
                into.insert(fk.to_string(), v);
            }
        }
    }

    /// Copies the listed keys of a mapping node (renamed `yaml -> field`) into a map value.
    pub(super) fn sub_map(
        &mut self,
        from: &Address,
        n: Option<&Node>,
        keys: &[(&str, &str)],
    ) -> Option<Value> {
        let n = n?;
        let mut m = BTreeMap::new();
        for (yk, fk) in keys {
            if let Some(v) = self.opt_val(from, n.get(yk)) {
                m.insert(fk.to_string(), v);
            }
        }
        Some(Value::Map(m))
    }

    pub(super) fn secret(&mut self, n: &Node) -> Option<Value> {
        let source = match &n.value {
            NodeValue::Str(_) => {
                self.issue(
                    codes::INLINE_SECRET,
                    n.pos,
                    "a secret may not be written inline",
                    Some("reference it: `client_secret: {env: NAME}` or `client_secret: {file: path}`".into()),
                );
                return None;
            }
            NodeValue::Map(entries) if entries.len() == 1 => {
                let (k, _, v) = &entries[0];
                match (k.as_str(), v.as_str()) {
                    ("env", Some(name)) if !name.is_empty() => format!("env:{name}"),
                    ("file", Some(path)) if !path.is_empty() => format!("file:{path}"),
                    _ => String::new(),
                }
            }
            _ => String::new(),
        };
        if source.is_empty() {
            self.issue(
                codes::INLINE_SECRET,
                n.pos,
                "a secret must be `{env: NAME}` or `{file: path}`",
                Some("e.g. `client_secret: {env: OKTA_CLIENT_SECRET}`".into()),
            );
            return None;
        }
        match Secret::resolve(&source) {
            Ok(secret) => Some(Value::Secret(secret)),
            Err(e) => {
                if self.opts.resolve_secrets {
                    self.issue(
                        codes::SECRET_UNREADABLE,
                        n.pos,
                        format!("cannot read secret: {e}"),
                        Some(
                            "set the variable or create the file before running plan or apply"
                                .into(),
                        ),
                    );
                    None
                } else {
                    self.issue(
                        codes::SECRET_NOT_SET,
                        n.pos,
                        format!("secret not readable now: {e}"),
                        Some("plan and apply will need it".into()),
                    );
                    Some(Value::Secret(Secret::from_digest_and_source("", source)))
                }
            }
        }
    }

    pub(super) fn duration(
        &mut self,
        n: Option<&Node>,
        min: i64,
        max: i64,
        unit: i64,
        what: &str,
    ) -> Option<Value> {
        let n = n?;
        let secs = match &n.value {
            NodeValue::Int(i) => Some(*i),
            NodeValue::Str(t) => parse_duration(t),
            _ => return None,
        };
        let Some(secs) = secs else {
            self.issue(
                codes::DURATION,
                n.pos,
                format!("cannot read {what} as a duration"),
                Some("write seconds as a number, or text such as `90s`, `60m`, `1h`, `30d`".into()),
            );
            return None;
        };
        if secs < min || secs > max || secs % unit != 0 {
            self.issue(
                codes::DURATION,
                n.pos,
                format!(
                    "{what} must be between {} and {}{}",
                    human(min),
                    human(max),
                    if unit > 1 { " in whole minutes" } else { "" }
                ),
                None,
            );
            return None;
        }
        Some(Value::Int(secs / unit))
    }
}
pub(super) fn parse_duration(t: &str) -> Option<i64> {
    let t = t.trim();
    let (num, mult) = match t.char_indices().last()? {
        (i, 's') => (&t[..i], 1),
        (i, 'm') => (&t[..i], 60),
        (i, 'h') => (&t[..i], 3600),
        (i, 'd') => (&t[..i], 86400),
        _ => (t, 1),
    };
    num.trim().parse::<i64>().ok()?.checked_mul(mult)
}

pub(super) fn human(secs: i64) -> String {
    if secs % 86400 == 0 {
        format!("{}d", secs / 86400)
    } else if secs % 3600 == 0 {
        format!("{}h", secs / 3600)
    } else if secs % 60 == 0 {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}

pub(super) fn bool_str(b: bool) -> Value {
    Value::str(if b { "true" } else { "false" })
}
