//! Logical addresses of resources within a stack, such as `user_pools.blog.clients.tti`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The logical address of a resource in a stack: a dotted path of segments.
///
/// Segments that are not plain identifiers (they contain `.`, `:`, `/`, spaces, ...) are shown
/// quoted in brackets: `identity_center.applications.demo.access_scopes["qbusiness:messages:access"]`.
/// The address orders lexicographically by its segments, which keeps plans deterministic.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Address {
    segments: Vec<String>,
}

impl Address {
    /// An address from its segments (at least one).
    pub fn new<I, S>(segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let segments: Vec<String> = segments.into_iter().map(Into::into).collect();
        assert!(!segments.is_empty(), "an address has at least one segment");
        Address { segments }
    }

    /// `collection.name`, e.g. `user_pools.blog`.
    pub fn root(collection: &str, name: &str) -> Self {
        Address::new([collection, name])
    }

    /// This address extended by more segments.
    pub fn child<I, S>(&self, more: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut segments = self.segments.clone();
        segments.extend(more.into_iter().map(Into::into));
        Address { segments }
    }

    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The last segment (the logical name of the resource within its collection).
    pub fn name(&self) -> &str {
        self.segments.last().expect("non-empty")
    }

    /// Whether `self` equals `other` or lies under it.
    pub fn starts_with(&self, other: &Address) -> bool {
        self.segments.starts_with(&other.segments)
    }

    /// Parses the display form back into an address.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut segments = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("[\"") {
                let end = after
                    .find("\"]")
                    .ok_or_else(|| format!("unterminated quoted segment in address `{text}`"))?;
                segments.push(after[..end].to_string());
                rest = &after[end + 2..];
            } else {
                let end = rest.find(['.', '[']).unwrap_or(rest.len());
                let seg = &rest[..end];
                if seg.is_empty() {
                    return Err(format!("empty segment in address `{text}`"));
                }
                segments.push(seg.to_string());
                rest = &rest[end..];
            }
            if let Some(after) = rest.strip_prefix('.') {
                if after.is_empty() {
                    return Err(format!("address `{text}` ends with a dot"));
                }
                rest = after;
            }
        }
        if segments.is_empty() {
            return Err("empty address".to_string());
        }
        Ok(Address { segments })
    }
}

fn is_plain(seg: &str) -> bool {
    !seg.is_empty()
        && seg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.segments.iter().enumerate() {
            if is_plain(seg) {
                if i > 0 {
                    f.write_str(".")?;
                }
                f.write_str(seg)?;
            } else {
                write!(f, "[\"{seg}\"]")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({self})")
    }
}

impl From<Address> for String {
    fn from(a: Address) -> String {
        a.to_string()
    }
}

impl TryFrom<String> for Address {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Address::parse(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_non_identifier_segments_and_parses_back() {
        let a = Address::root("identity_center", "applications").child([
            "demo",
            "access_scopes",
            "qbusiness:messages:access",
        ]);
        let shown = a.to_string();
        assert_eq!(
            shown,
            "identity_center.applications.demo.access_scopes[\"qbusiness:messages:access\"]"
        );
        assert_eq!(Address::parse(&shown).unwrap(), a);
    }

    #[test]
    fn parse_rejects_malformed() {
        assert!(Address::parse("a..b").is_err());
        assert!(Address::parse("a.").is_err());
        assert!(Address::parse("a[\"b").is_err());
    }
}
