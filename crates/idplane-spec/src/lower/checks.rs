//! Checks shared by several kinds: ARNs, URLs, repeated list items.

use super::*;

impl Lower<'_> {
    pub(super) fn check_arn(&mut self, n: Option<&Node>, service: &str, what: &str) {
        let Some(n) = n else { return };
        let Some(t) = n.as_str() else { return };
        if is_ref(t) {
            return;
        }
        if !valid_arn(t) || t.split(':').nth(2) != Some(service) {
            self.issue(
                codes::BAD_ARN,
                n.pos,
                format!("`{t}` is not a valid {what} ARN"),
                Some(format!("expected `arn:aws:{service}:...`")),
            );
        }
    }

    /// Checks a URL: absolute, https (plain http only to a loopback host), with a host, and for
    /// redirect URLs (`redirect`: callback, logout and redirect URIs, which may also use an app
    /// scheme such as `myapp://cb`) without a fragment. Lengths and counts are in the limits table.
    pub(super) fn check_url(&mut self, text: &str, pos: Pos, what: &str, redirect: bool) {
        // A reference is checked when it resolves; `$${` writes a literal `${`, checked as such.
        if text.replace("$${", "").contains("${") {
            return;
        }
        let text = &text.replace("$${", "${");
        let lower = text.to_ascii_lowercase();
        let Some((scheme, rest)) = lower.split_once("://") else {
            self.issue(
                codes::INSECURE_URL,
                pos,
                format!("{what} `{text}` is not an absolute https URL"),
                Some("write the full URL, e.g. `https://app.example.com/callback`".into()),
            );
            return;
        };
        if scheme == "https" || scheme == "http" {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let host = if host_port.starts_with('[') {
                host_port.split_once(']').map_or(host_port, |(h, _)| h)
            } else {
                host_port.split(':').next().unwrap_or_default()
            };
            let host = host.trim_start_matches('[');
            if host.is_empty() || text.contains(char::is_whitespace) {
                self.issue(
                    codes::INSECURE_URL,
                    pos,
                    format!("{what} `{text}` has no host"),
                    Some("write the full URL, e.g. `https://app.example.com/callback`".into()),
                );
                return;
            }
            if scheme == "http" && !["localhost", "127.0.0.1", "::1"].contains(&host) {
                self.issue(
                    codes::INSECURE_URL,
                    pos,
                    format!("{what} `{text}` is not https"),
                    Some("AWS accepts plain http only for http://localhost, http://127.0.0.1 and http://[::1]; use https://".into()),
                );
                return;
            }
        } else {
            let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
            if !(redirect && scheme_ok && !text.contains(char::is_whitespace)) {
                self.issue(
                    codes::INSECURE_URL,
                    pos,
                    format!("{what} `{text}` is not an absolute https URL"),
                    Some("write the full URL, e.g. `https://app.example.com/callback`".into()),
                );
                return;
            }
        }
        if redirect && text.contains('#') {
            self.issue(
                codes::INSECURE_URL,
                pos,
                format!("{what} `{text}` has a fragment (`#...`)"),
                Some("a redirect URI may not include a fragment (OAuth 2.0, RFC 6749 3.1.2); remove the `#` part".into()),
            );
        }
    }

    pub(super) fn duplicates(&mut self, items: &[(&str, Pos)], what: &str) {
        let mut seen = BTreeSet::new();
        for (t, p) in items {
            if !seen.insert(*t) {
                self.issue(
                    codes::DUPLICATE_ITEM,
                    *p,
                    format!("{what} `{t}` is listed twice"),
                    Some("remove the repeated entry".into()),
                );
            }
        }
    }
}
pub(super) fn is_ref(text: &str) -> bool {
    text.starts_with("${") && text.ends_with('}')
}

pub(super) fn valid_arn(text: &str) -> bool {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && matches!(parts[1], "aws" | "aws-cn" | "aws-us-gov")
        && !parts[2].is_empty()
        && !parts[5].is_empty()
}
