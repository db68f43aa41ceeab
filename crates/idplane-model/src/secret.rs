//! Secrets: referenced by source (`env:NAME`, `file:PATH`), compared by digest, never printed.

use sha2::{Digest, Sha256};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A secret value. Equality, ordering and hashing use the digest only. `Debug` and `Display`
/// never show the plaintext, and the serialized form (see [`crate::Value::to_json`]) is the digest.
#[derive(Clone)]
pub struct Secret {
    source: String,
    digest: String,
    plaintext: Option<String>,
}

/// Why a secret could not be read from its source.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("environment variable `{0}` is not set (secret source `env:{0}`)")]
    EnvMissing(String),
    #[error("cannot read secret file `{path}`: {message}")]
    File { path: String, message: String },
    #[error("unknown secret source `{0}`: use `env:NAME` or `file:PATH`")]
    BadSource(String),
}

/// The digest idplane shows and compares: `sha256:` and the first 16 hex digits of SHA-256.
pub fn digest_of(plaintext: &str) -> String {
    let full = Sha256::digest(plaintext.as_bytes());
    format!("sha256:{}", &hex::encode(full)[..16])
}

impl Secret {
    /// A secret with its text (from the spec's source, or read live from AWS with source `aws`).
    pub fn from_plaintext(source: impl Into<String>, plaintext: impl Into<String>) -> Self {
        let plaintext = plaintext.into();
        Secret {
            source: source.into(),
            digest: digest_of(&plaintext),
            plaintext: Some(plaintext),
        }
    }

    /// A secret known only by digest (read back from a saved plan).
    pub fn from_digest(digest: impl Into<String>) -> Self {
        Secret {
            source: String::new(),
            digest: digest.into(),
            plaintext: None,
        }
    }

    /// A secret known by digest and source (read back from a saved plan).
    pub fn from_digest_and_source(digest: impl Into<String>, source: impl Into<String>) -> Self {
        Secret {
            source: source.into(),
            digest: digest.into(),
            plaintext: None,
        }
    }

    /// Reads the secret from its source: `env:NAME` or `file:PATH` (trailing newline trimmed).
    pub fn resolve(source: &str) -> Result<Self, SecretError> {
        if let Some(name) = source.strip_prefix("env:") {
            let text =
                std::env::var(name).map_err(|_| SecretError::EnvMissing(name.to_string()))?;
            Ok(Secret::from_plaintext(source, text))
        } else if let Some(path) = source.strip_prefix("file:") {
            let text =
                crate::files::read_text(std::path::Path::new(path), crate::files::MAX_SECRET_BYTES)
                    .map_err(|message| SecretError::File {
                        path: path.to_string(),
                        message,
                    })?;
            Ok(Secret::from_plaintext(
                source,
                text.trim_end_matches(['\r', '\n']),
            ))
        } else {
            Err(SecretError::BadSource(source.to_string()))
        }
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The text, for the one place that must send it to AWS. Never log or print it.
    pub fn expose(&self) -> Option<&str> {
        self.plaintext.as_deref()
    }

    /// The same secret without its text.
    pub fn redacted(&self) -> Self {
        Secret {
            source: self.source.clone(),
            digest: self.digest.clone(),
            plaintext: None,
        }
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.digest == other.digest
    }
}
impl Eq for Secret {}
impl PartialOrd for Secret {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Secret {
    fn cmp(&self, other: &Self) -> Ordering {
        self.digest.cmp(&other.digest)
    }
}
impl Hash for Secret {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.digest.hash(state)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({}, {})", self.source, self.digest)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(sensitive)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_plaintext() {
        let s = Secret::from_plaintext("env:X", "p@ss");
        assert!(!format!("{s:?}{s}").contains("p@ss"));
        assert_eq!(s.expose(), Some("p@ss"));
        assert_eq!(s, Secret::from_digest(digest_of("p@ss")));
        assert_ne!(s, Secret::from_plaintext("env:X", "other"));
    }

    #[test]
    fn resolve_reports_missing_env() {
        let err = Secret::resolve("env:IDPLANE_SURELY_UNSET_VAR").unwrap_err();
        assert!(err.to_string().contains("IDPLANE_SURELY_UNSET_VAR"));
        assert!(Secret::resolve("vault:x").is_err());
    }
}
