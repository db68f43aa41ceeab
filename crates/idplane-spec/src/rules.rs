//! The semantic rules that need the whole lowered stack: references resolve to outputs that
//! exist, audiences and issuers agree, natural keys are unique, ownership tags fit, no cycles.

use crate::codes;
use crate::diag::did_you_mean;
use crate::lower::Lower;
use crate::yaml::Pos;
use idplane_model::{Address, Kind, SourceSpan};
use std::collections::{BTreeMap, BTreeSet};

impl Lower<'_> {
    /// Assignments and memberships depend on the store users and groups the spec defines.
    pub(crate) fn principals(&mut self) {
        for (from, ptype, name) in std::mem::take(&mut self.principal_deps) {
            let target = match ptype {
                "USER" => self.store_users.get(&name),
                _ => self.store_groups.get(&name),
            }
            .cloned();
            if let Some(t) = target
                && let Some(r) = self.res.get_mut(&from)
            {
                r.depends_on.insert(t);
            }
        }
    }

    pub(crate) fn check_refs(&mut self) {
        let all: Vec<String> = self.res.keys().map(|a| a.to_string()).collect();
        for u in std::mem::take(&mut self.refs) {
            match self.res.get(&u.r.address) {
                None => {
                    let hint = match did_you_mean(
                        &u.r.address.to_string(),
                        all.iter().map(String::as_str),
                    ) {
                        Some(m) => format!("did you mean `{m}`?"),
                        None => {
                            "references name a resource of this stack, e.g. `${user_pools.NAME.id}`"
                                .into()
                        }
                    };
                    self.issue(
                        codes::DANGLING_REF,
                        u.pos,
                        format!(
                            "reference to `{}`, which the stack does not define",
                            u.r.address
                        ),
                        Some(hint),
                    );
                }
                Some(target) => {
                    let outputs = target.kind.info().outputs;
                    if !outputs.contains(&u.r.output.as_str()) {
                        let hint = match did_you_mean(&u.r.output, outputs.iter().copied()) {
                            Some(m) => format!("did you mean `{m}`?"),
                            None if outputs.is_empty() => {
                                format!("a {} has no outputs", target.kind)
                            }
                            None => format!("a {} has: {}", target.kind, outputs.join(", ")),
                        };
                        self.issue(
                            codes::UNKNOWN_OUTPUT,
                            u.pos,
                            format!("`{}` has no output `{}`", u.r.address, u.r.output),
                            Some(hint),
                        );
                    } else if u.from != u.r.address
                        && let Some(r) = self.res.get_mut(&u.from)
                    {
                        r.depends_on.insert(u.r.address.clone());
                    }
                }
            }
        }
    }

    pub(crate) fn cross_checks(&mut self) {
        self.check_audiences();
        self.check_literal_audiences();
        self.check_identity_pool_providers();
    }

    /// A JWT bearer grant's audience is a client of the pool its issuer trusts.
    fn check_audiences(&mut self) {
        for (aud, issuer, pos) in std::mem::take(&mut self.audiences) {
            let seg = aud.address.segments();
            let is_client = seg.len() == 4
                && seg[0] == "user_pools"
                && seg[2] == "clients"
                && aud.output == "id";
            if !is_client {
                self.issue(
                    codes::AUDIENCE_NOT_CLIENT,
                    pos,
                    format!("audience `{aud}` is not an app client id"),
                    Some(
                        "the audience is a client id: `${user_pools.POOL.clients.CLIENT.id}`"
                            .into(),
                    ),
                );
                continue;
            }
            let Some(iref) = issuer else { continue };
            let tti = &iref.address.segments()[2..];
            if let Some(url) = tti.first().and_then(|t| self.tti_url.get(t)) {
                // The issuer is a literal URL: the client's pool must be pinned to that issuer.
                let pinned = self
                    .res
                    .get(&Address::root("user_pools", &seg[1]))
                    .and_then(|p| p.pinned_id.clone());
                let same =
                    pinned.is_some_and(|id| url.trim_end_matches('/').ends_with(&format!("/{id}")));
                if !same {
                    self.issue(
                        codes::AUDIENCE_NOT_CLIENT,
                        pos,
                        format!(
                            "audience `{aud}` is a client of `user_pools.{}`, but the issuer `{}` trusts `{url}`, which is not that pool's issuer URL",
                            seg[1], iref.address
                        ),
                        Some(format!(
                            "write `issuer_url: \"${{user_pools.{}.issuer_url}}\"` in the trusted token issuer, or use an audience of `{url}`",
                            seg[1]
                        )),
                    );
                }
                continue;
            }
            let Some(Some(pool)) = tti.first().and_then(|t| self.tti_pool.get(t)) else {
                continue;
            };
            if *pool != seg[1] {
                self.issue(
                    codes::AUDIENCE_NOT_CLIENT,
                    pos,
                    format!(
                        "audience `{aud}` is a client of `user_pools.{}`, but the issuer `{}` trusts `user_pools.{pool}`",
                        seg[1], iref.address
                    ),
                    Some(format!("use a client of `user_pools.{pool}`")),
                );
            }
        }
    }

    /// A literal audience is allowed only where no reference could be written: when the issuer
    /// trusts a pool of this stack, the audience is one of its clients, so a reference (or the
    /// pinned id of one of its clients).
    fn check_literal_audiences(&mut self) {
        for (aud, issuer, pos) in std::mem::take(&mut self.literal_audiences) {
            let Some(iref) = issuer else { continue };
            let tti = &iref.address.segments()[2..];
            let Some(Some(pool)) = tti.first().and_then(|t| self.tti_pool.get(t)) else {
                continue;
            };
            let pool_addr = Address::root("user_pools", pool);
            let pinned = self.res.values().any(|r| {
                r.kind == Kind::UserPoolClient
                    && r.parent.as_ref() == Some(&pool_addr)
                    && r.pinned_id.as_deref() == Some(aud.as_str())
            });
            if !pinned {
                self.issue(
                    codes::AUDIENCE_NOT_CLIENT,
                    pos,
                    format!(
                        "literal audience `{aud}`: the issuer `{}` trusts `user_pools.{pool}`, so the audience is one of its clients",
                        iref.address
                    ),
                    Some(format!(
                        "write `${{user_pools.{pool}.clients.CLIENT.id}}` (or pin the client with `id: {aud}`)"
                    )),
                );
            }
        }
    }

    /// An identity pool's Cognito provider names a client of that provider's pool.
    fn check_identity_pool_providers(&mut self) {
        for (pref, cref, pos) in std::mem::take(&mut self.ip_providers) {
            if let (Some(p), Some(c)) = (pref, cref) {
                let ps = p.address.segments();
                let cs = c.address.segments();
                let client_ok = cs.len() == 4
                    && cs[0] == "user_pools"
                    && cs[2] == "clients"
                    && c.output == "id";
                if !client_ok {
                    self.issue(
                        codes::CROSS_POOL_CLIENT,
                        pos,
                        format!("`client_id` references `{c}`, not an app client id"),
                        Some("write `${user_pools.POOL.clients.CLIENT.id}`".into()),
                    );
                } else if ps.len() == 2 && ps[1] != cs[1] {
                    self.issue(
                        codes::CROSS_POOL_CLIENT,
                        pos,
                        format!("client `{}` belongs to `user_pools.{}`, not to the provider's pool `user_pools.{}`", c.address, cs[1], ps[1]),
                        Some(format!("use a client of `user_pools.{}`", ps[1])),
                    );
                }
            }
        }
    }

    pub(crate) fn check_natural_keys(&mut self) {
        let mut seen: BTreeMap<(Kind, Option<Address>, String), Address> = BTreeMap::new();
        let mut found = Vec::new();
        for r in self.res.values() {
            let Some(key) = r.natural_key() else { continue };
            let field = r.kind.info().natural_key.unwrap_or("name");
            let k = (r.kind, r.parent.clone(), key.to_string());
            if let Some(first) = seen.get(&k) {
                let pos = r.source.clone();
                found.push((
                    pos,
                    format!(
                        "`{}` and `{first}` have the same {field} `{key}`",
                        r.address
                    ),
                    r.kind,
                ));
            } else {
                seen.insert(k, r.address.clone());
            }
        }
        for (span, msg, kind) in found {
            let pos = self.pos_of(span.as_ref());
            self.issue(
                codes::DUPLICATE_KEY,
                pos,
                msg,
                Some(format!(
                    "a {kind}'s {} identifies it in AWS; make them differ",
                    kind.info().natural_key.unwrap_or("name")
                )),
            );
        }
    }

    /// The position of a lowered resource's source span (the start of the file when unknown).
    fn pos_of(&self, span: Option<&SourceSpan>) -> Pos {
        span.and_then(|s| {
            (0..self.dirs.len())
                .find(|i| self.sources.name(*i) == s.file)
                .map(|file| Pos {
                    file,
                    line: s.line,
                    col: s.col,
                })
        })
        .unwrap_or_default()
    }

    /// The `idplane:address` tag value (the encoded address) must fit AWS's 256 characters.
    pub(crate) fn check_ownership_tags(&mut self) {
        let mut found = Vec::new();
        for r in self.res.values() {
            if !r.kind.info().taggable {
                continue;
            }
            let len = idplane_model::encode_address_tag(&r.address)
                .chars()
                .count();
            if len > 256 {
                found.push((r.source.clone(), r.address.clone(), len));
            }
        }
        for (span, address, len) in found {
            let pos = self.pos_of(span.as_ref());
            self.issue(
                codes::LIMIT,
                pos,
                format!("the ownership tag of `{address}` would be {len} characters; AWS takes at most 256"),
                Some("use a shorter logical name (characters other than ASCII letters, digits and `_ . : / + - @` take 3 per byte)".into()),
            );
        }
    }

    pub(crate) fn cycles(&mut self) {
        // Iterative DFS with colours; report each cycle once, at its first resource.
        let mut colour: BTreeMap<&Address, u8> = BTreeMap::new();
        let mut reported: BTreeSet<Vec<Address>> = BTreeSet::new();
        let mut out = Vec::new();
        for start in self.res.keys() {
            if colour.get(start).copied().unwrap_or(0) != 0 {
                continue;
            }
            let mut stack: Vec<(&Address, Vec<&Address>)> = vec![(start, self.deps(start))];
            let mut path: Vec<&Address> = vec![start];
            colour.insert(start, 1);
            while let Some((_, pending)) = stack.last_mut() {
                match pending.pop() {
                    Some(next) => match colour.get(next).copied().unwrap_or(0) {
                        0 => {
                            colour.insert(next, 1);
                            path.push(next);
                            let deps = self.deps(next);
                            stack.push((next, deps));
                        }
                        1 => {
                            let i = path.iter().position(|a| *a == next).unwrap_or(0);
                            let mut cycle: Vec<Address> =
                                path[i..].iter().map(|a| (*a).clone()).collect();
                            let mut key = cycle.clone();
                            key.sort();
                            if reported.insert(key) {
                                cycle.push(next.clone());
                                out.push(cycle);
                            }
                        }
                        _ => {}
                    },
                    None => {
                        let (done, _) = stack.pop().expect("non-empty");
                        colour.insert(done, 2);
                        path.pop();
                    }
                }
            }
        }
        for cycle in out {
            let first = &cycle[0];
            let span = self.res.get(first).and_then(|r| r.source.clone());
            let pos = self.pos_of(span.as_ref());
            let text: Vec<String> = cycle.iter().map(|a| a.to_string()).collect();
            self.issue(
                codes::CYCLE,
                pos,
                format!("cyclic references: {}", text.join(" -> ")),
                Some("no resource may depend, through references, on itself; remove one of the references".into()),
            );
        }
    }

    fn deps(&self, a: &Address) -> Vec<&Address> {
        self.res
            .get(a)
            .map(|r| {
                r.depends_on
                    .iter()
                    .filter(|d| self.res.contains_key(*d))
                    .collect()
            })
            .unwrap_or_default()
    }
}
