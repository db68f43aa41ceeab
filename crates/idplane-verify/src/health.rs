//! Certificate health: days until the SAML signing certificates of the stack expire (the pool's
//! own, from `GetSigningCertificate`, and each SAML IdP's, from its metadata document), as
//! findings; an expired one, or one expiring within `--warn-days`, is broken.
//!
//! Pure: the command passes the certificates it read and the current time. X.509 is parsed by
//! `x509-parser` (a maintained DER/X.509 parser; only the validity is read, no signature is
//! checked).

use crate::{Finding, Status};
use idplane_model::{Kind, Observed, Value};

/// The health links, reported per pool after the chains.
pub const HEALTH_LINKS: &[(&str, &str)] = &[
    (
        "health.pool_signing_certificate",
        "the pool's SAML signing certificate (GetSigningCertificate) has not expired and does not expire within --warn-days",
    ),
    (
        "health.idp_signing_certificate",
        "each signing certificate in a SAML IdP's metadata has not expired and does not expire within --warn-days",
    ),
];

/// A certificate to check: where it comes from, and its DER bytes base64-encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// `health.pool_signing_certificate` or `health.idp_signing_certificate`.
    pub link: &'static str,
    /// The pool's spec address (the finding's chain).
    pub pool: String,
    /// What it belongs to (the pool id, the IdP address).
    pub objects: Vec<String>,
    pub base64_der: String,
}

/// The `notAfter` of a certificate (Unix seconds) and its subject.
pub fn not_after(base64_der: &str) -> Result<(i64, String), String> {
    use base64::Engine as _;
    let compact: String = base64_der.split_whitespace().collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| format!("not base64: {e}"))?;
    let (_, cert) = x509_parser::parse_x509_certificate(&der)
        .map_err(|e| format!("not an X.509 certificate: {e}"))?;
    Ok((
        cert.validity().not_after.timestamp(),
        cert.subject().to_string(),
    ))
}

/// The base64 texts of the `X509Certificate` elements of a SAML metadata document whose key
/// descriptor is for signing (or for any use).
pub fn metadata_signing_certificates(xml: &str) -> Vec<String> {
    const TAG: &str = "KeyDescriptor";
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = xml[pos..].find(TAG) {
        let at = pos + i;
        pos = at + TAG.len();
        // An opening tag: `<KeyDescriptor` or `<prefix:KeyDescriptor`.
        let Some(lt) = xml[..at].rfind('<') else {
            continue;
        };
        let name = &xml[lt + 1..at];
        if name.starts_with('/') || name.contains(['>', ' ', '"']) {
            continue;
        }
        let tag_end = xml[at..].find('>').map_or(xml.len(), |e| at + e);
        let close = xml[tag_end..].find(TAG).map_or(xml.len(), |e| tag_end + e);
        let encryption_only = xml[at..tag_end].contains("use=\"encryption\"");
        let body = &xml[tag_end..close];
        if !encryption_only && let Some(c) = body.find("X509Certificate>") {
            let after = &body[c + "X509Certificate>".len()..];
            if let Some(e) = after.find('<') {
                out.push(after[..e].trim().to_string());
            }
        }
        pos = close.max(pos);
    }
    out
}

/// The IdP signing certificates of the stack's live SAML IdPs (those whose metadata document AWS
/// holds), and the IdPs known only by a metadata URL (not fetched).
/// `pools` are (spec address, live id) pairs.
pub fn idp_certificates(
    observed: &Observed,
    pools: &[(String, String)],
) -> (Vec<Certificate>, Vec<(String, String)>) {
    let mut certs = Vec::new();
    let mut by_url = Vec::new();
    for (address, pool_id) in pools {
        for idp in observed
            .objects
            .iter()
            .filter(|o| o.kind == Kind::IdentityProvider && o.parent_id.as_deref() == Some(pool_id))
        {
            if idp.attrs.get("provider_type").and_then(Value::as_str) != Some("SAML") {
                continue;
            }
            let details = idp.attrs.get("provider_details").and_then(Value::as_map);
            let file = details
                .and_then(|d| d.get("MetadataFile"))
                .and_then(Value::as_str);
            let label = format!("{address}.identity_providers.{} ({pool_id})", idp.id);
            match file {
                Some(xml) => {
                    for b64 in metadata_signing_certificates(xml) {
                        certs.push(Certificate {
                            link: "health.idp_signing_certificate",
                            pool: address.clone(),
                            objects: vec![label.clone()],
                            base64_der: b64,
                        });
                    }
                }
                None => by_url.push((address.clone(), label)),
            }
        }
    }
    (certs, by_url)
}

/// Findings for the certificates at time `now` (Unix seconds): expired, or expiring within
/// `warn_days`, is broken.
pub fn findings(certs: &[Certificate], now: i64, warn_days: Option<u32>) -> Vec<Finding> {
    certs
        .iter()
        .map(|c| {
            let mut f = Finding {
                link: c.link,
                status: Status::Pass,
                chain: c.pool.clone(),
                objects: c.objects.clone(),
                expected: match warn_days {
                    Some(d) => format!("valid for more than {d} days"),
                    None => "not expired".to_string(),
                },
                actual: String::new(),
                fix: String::new(),
            };
            match not_after(&c.base64_der) {
                Err(e) => {
                    f.status = Status::Broken;
                    f.actual = e;
                    f.fix = "replace the certificate".into();
                }
                Ok((end, subject)) => {
                    let days = (end - now).div_euclid(86_400);
                    let date = date_of(end);
                    if end <= now {
                        f.status = Status::Broken;
                        f.actual = format!("{subject}: expired on {date}");
                    } else {
                        f.actual = format!("{subject}: expires on {date}, in {days} days");
                        if warn_days.is_some_and(|w| days < i64::from(w)) {
                            f.status = Status::Broken;
                        }
                    }
                    if f.status == Status::Broken {
                        f.fix = match c.link {
                            "health.pool_signing_certificate" => "Cognito rotates the pool's signing certificate: download the new one (`idplane sp-metadata`) and give it to every SAML IdP that checks the pool's signed requests".into(),
                            _ => "get the IdP's new metadata (new signing certificate) and update `metadata_file`, then `idplane apply`".into(),
                        };
                    }
                }
            }
            f
        })
        .collect()
}

/// `YYYY-MM-DD` of a Unix time (UTC), by the civil-from-days algorithm.
fn date_of(unix: i64) -> String {
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed certificate valid from 2024-01-01 for 3650 days, to 2033-12-29 (the
    /// emulator's, made by `_make_signing_certificate`).
    const CERT: &str = include_str!("tests/emulator-cert.b64");

    #[test]
    fn days_to_expiry_and_warn_days() {
        let (end, subject) = not_after(CERT).unwrap();
        assert_eq!(date_of(end), "2033-12-29");
        assert!(subject.contains("CN="), "{subject}");
        let now = end - 40 * 86_400;
        let c = Certificate {
            link: "health.pool_signing_certificate",
            pool: "user_pools.blog".into(),
            objects: vec!["us-east-1_X".into()],
            base64_der: CERT.into(),
        };
        let f = &findings(std::slice::from_ref(&c), now, None)[0];
        assert_eq!(f.status, Status::Pass);
        assert!(f.actual.contains("in 40 days"), "{}", f.actual);
        assert_eq!(
            findings(std::slice::from_ref(&c), now, Some(30))[0].status,
            Status::Pass
        );
        assert_eq!(
            findings(std::slice::from_ref(&c), now, Some(41))[0].status,
            Status::Broken
        );
        let expired = &findings(std::slice::from_ref(&c), end + 1, None)[0];
        assert_eq!(expired.status, Status::Broken);
        assert!(expired.actual.contains("expired on 2033-12-29"));
        let garbage = Certificate {
            base64_der: "bm90IGEgY2VydA==".into(),
            ..c
        };
        assert_eq!(findings(&[garbage], now, None)[0].status, Status::Broken);
    }

    #[test]
    fn metadata_signing_certificates_skip_encryption_keys() {
        let xml = format!(
            r#"<md:EntityDescriptor><md:IDPSSODescriptor>
<md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>ENC</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
{CERT}
</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<KeyDescriptor><KeyInfo><X509Data><X509Certificate>ANY</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
</md:IDPSSODescriptor></md:EntityDescriptor>"#
        );
        let certs = metadata_signing_certificates(&xml);
        assert_eq!(certs.len(), 2, "{certs:?}");
        assert_eq!(certs[0], CERT.trim());
        assert_eq!(certs[1], "ANY");
    }
}
