//! SAML 2.0 service-provider metadata of a Cognito user pool, which AWS does not publish: like
//! export, a document written from observed live state (the pool, its domain and its SAML IdPs)
//! for a person to hand on, so it lives beside export rather than in the CLI.
//!
//! Every user pool is its own SP: entity id `urn:amazon:cognito:sp:<poolId>`, assertion consumer
//! service `https://<domain>/saml2/idpresponse` (HTTP-POST), single logout
//! `https://<domain>/saml2/logout`. Generation is a pure function of [`SpMetadataInput`].

use idplane_model::{Kind, LiveObject, Observed, Value};

/// What the metadata says about one pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpMetadataInput {
    /// The pool id, e.g. `us-east-1_Ab12Cd34`.
    pub pool_id: String,
    /// The pool's hosted-domain base URL, e.g. `https://demo.auth.us-east-1.amazoncognito.com`.
    pub base_url: String,
    /// The NameID format to announce.
    pub name_id_format: String,
    /// Base64 DER of the pool's signing certificate (PEM armour allowed, it is stripped); only
    /// announced when some SAML IdP of the pool has IdP sign-out on.
    pub signing_certificate: Option<String>,
    /// Base64 DER of the encryption certificate when a SAML IdP uses encrypted responses.
    pub encryption_certificate: Option<String>,
    /// Whether the pool signs its authentication requests (some IdP sets a signing algorithm).
    pub authn_requests_signed: bool,
}

/// SAML metadata namespace.
pub const MD_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// XML digital signature namespace.
pub const DS_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
const BINDING_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

/// The entity id Cognito uses for a pool.
pub fn entity_id(pool_id: &str) -> String {
    format!("urn:amazon:cognito:sp:{pool_id}")
}

/// Escapes text for an XML attribute value or element content.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The base64 body of a certificate given as PEM or bare base64, wrapped at 64 columns.
fn cert_body(cert: &str) -> String {
    let body: String = cert
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    body.as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn key_descriptor(out: &mut String, usage: &str, cert: &str) {
    out.push_str(&format!("    <md:KeyDescriptor use=\"{usage}\">\n"));
    out.push_str(&format!("      <ds:KeyInfo xmlns:ds=\"{DS_NS}\">\n"));
    out.push_str("        <ds:X509Data>\n");
    out.push_str("          <ds:X509Certificate>");
    out.push_str(&esc(&cert_body(cert)));
    out.push_str("</ds:X509Certificate>\n");
    out.push_str("        </ds:X509Data>\n");
    out.push_str("      </ds:KeyInfo>\n");
    out.push_str("    </md:KeyDescriptor>\n");
}

/// The metadata document, elements in the order the SAML metadata schema requires
/// (KeyDescriptor, SingleLogoutService, NameIDFormat, AssertionConsumerService).
pub fn render(input: &SpMetadataInput) -> String {
    let base = input.base_url.trim_end_matches('/');
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<md:EntityDescriptor xmlns:md=\"{MD_NS}\" entityID=\"{}\">\n",
        esc(&entity_id(&input.pool_id))
    ));
    out.push_str(&format!(
        "  <md:SPSSODescriptor AuthnRequestsSigned=\"{}\" WantAssertionsSigned=\"true\" \
         protocolSupportEnumeration=\"{PROTOCOL}\">\n",
        input.authn_requests_signed
    ));
    if let Some(cert) = &input.signing_certificate {
        key_descriptor(&mut out, "signing", cert);
    }
    if let Some(cert) = &input.encryption_certificate {
        key_descriptor(&mut out, "encryption", cert);
    }
    let logout = esc(&format!("{base}/saml2/logout"));
    out.push_str(&format!(
        "    <md:SingleLogoutService Binding=\"{BINDING_REDIRECT}\" Location=\"{logout}\"/>\n"
    ));
    out.push_str(&format!(
        "    <md:SingleLogoutService Binding=\"{BINDING_POST}\" Location=\"{logout}\"/>\n"
    ));
    out.push_str(&format!(
        "    <md:NameIDFormat>{}</md:NameIDFormat>\n",
        esc(&input.name_id_format)
    ));
    out.push_str(&format!(
        "    <md:AssertionConsumerService Binding=\"{BINDING_POST}\" Location=\"{}\" index=\"0\" isDefault=\"true\"/>\n",
        esc(&format!("{base}/saml2/idpresponse"))
    ));
    out.push_str("  </md:SPSSODescriptor>\n");
    out.push_str("</md:EntityDescriptor>\n");
    out
}

fn detail<'a>(idp: &'a LiveObject, key: &str) -> Option<&'a str> {
    idp.attrs
        .get("provider_details")
        .and_then(Value::as_map)
        .and_then(|m| m.get(key))
        .and_then(Value::as_str)
}

/// What the metadata needs, from the observed pool, its domain and its SAML IdPs, with warnings
/// for the caller to log; an error says why there can be no metadata.
pub fn metadata_input(
    observed: &Observed,
    pool_id: &str,
    name_id_format: &str,
) -> Result<(SpMetadataInput, Vec<String>), String> {
    let domain = observed
        .children_of(Kind::UserPoolDomain, pool_id)
        .next()
        .ok_or_else(|| {
            format!(
                "user pool {pool_id} has no domain: SAML federation needs one (add `domain:` to the pool)"
            )
        })?;
    let base_url = domain.outputs.get("base_url").cloned().unwrap_or_else(|| {
        let d = &domain.id;
        if d.contains('.') {
            format!("https://{d}")
        } else {
            let region = pool_id.split('_').next().unwrap_or("us-east-1");
            format!("https://{d}.auth.{region}.amazoncognito.com")
        }
    });
    let saml: Vec<&LiveObject> = observed
        .children_of(Kind::IdentityProvider, pool_id)
        .filter(|i| i.attrs.get("provider_type").and_then(Value::as_str) == Some("SAML"))
        .collect();
    let signing_wanted = saml
        .iter()
        .any(|i| detail(i, "IDPSignout").is_some_and(|v| v.eq_ignore_ascii_case("true")));
    let signs_requests = saml
        .iter()
        .any(|i| detail(i, "RequestSigningAlgorithm").is_some_and(|v| !v.is_empty()));
    // Cognito reports an encryption certificate for every SAML IdP; it belongs in the metadata
    // only when an IdP encrypts its responses.
    let encryption_certificate = saml
        .iter()
        .filter(|i| detail(i, "EncryptedResponses").is_some_and(|v| v.eq_ignore_ascii_case("true")))
        .find_map(|i| detail(i, "ActiveEncryptionCertificate"))
        .map(str::to_string);
    let pool = observed.find(Kind::UserPool, None, pool_id);
    let signing_certificate = pool
        .and_then(|p| p.outputs.get("signing_certificate"))
        .cloned();
    let mut warnings = Vec::new();
    if (signing_wanted || signs_requests) && signing_certificate.is_none() {
        warnings.push(format!(
            "an IdP of {pool_id} uses IdP sign-out or request signing, but the provider did not \
             return the pool's signing certificate; it is left out of the metadata"
        ));
    }
    let input = SpMetadataInput {
        pool_id: pool_id.to_string(),
        base_url,
        name_id_format: name_id_format.to_string(),
        signing_certificate: if signing_wanted || signs_requests {
            signing_certificate
        } else {
            None
        },
        encryption_certificate,
        authn_requests_signed: signs_requests,
    };
    Ok((input, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::Reader;
    use quick_xml::events::Event;

    fn input() -> SpMetadataInput {
        SpMetadataInput {
            pool_id: "us-east-1_Ab12Cd34".into(),
            base_url: "https://demo-tti.auth.us-east-1.amazoncognito.com".into(),
            name_id_format: "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified".into(),
            signing_certificate: None,
            encryption_certificate: None,
            authn_requests_signed: false,
        }
    }

    /// Parses the document and returns (element path, attributes) for every start/empty element,
    /// failing on any well-formedness error.
    fn elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut stack: Vec<String> = Vec::new();
        let mut found = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    stack.push(name);
                    found.push((stack.join("/"), attrs(&e)));
                }
                Event::Empty(e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    found.push((format!("{}/{name}", stack.join("/")), attrs(&e)));
                }
                Event::End(_) => {
                    stack.pop();
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(stack.is_empty(), "unclosed elements: {stack:?}");
        found
    }

    fn attrs(e: &quick_xml::events::BytesStart) -> Vec<(String, String)> {
        e.attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().unwrap().into_owned(),
                )
            })
            .collect()
    }

    fn attr<'a>(
        found: &'a [(String, Vec<(String, String)>)],
        path: &str,
        key: &str,
    ) -> Vec<&'a str> {
        found
            .iter()
            .filter(|(p, _)| p == path)
            .filter_map(|(_, a)| a.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()))
            .collect()
    }

    #[test]
    fn metadata_names_the_pool_and_its_endpoints() {
        let xml = render(&input());
        let found = elements(&xml);
        assert_eq!(
            attr(&found, "md:EntityDescriptor", "entityID"),
            ["urn:amazon:cognito:sp:us-east-1_Ab12Cd34"]
        );
        assert_eq!(attr(&found, "md:EntityDescriptor", "xmlns:md"), [MD_NS]);
        let sp = "md:EntityDescriptor/md:SPSSODescriptor";
        assert_eq!(
            attr(
                &found,
                &format!("{sp}/md:AssertionConsumerService"),
                "Location"
            ),
            ["https://demo-tti.auth.us-east-1.amazoncognito.com/saml2/idpresponse"]
        );
        assert_eq!(
            attr(
                &found,
                &format!("{sp}/md:AssertionConsumerService"),
                "Binding"
            ),
            [BINDING_POST]
        );
        assert_eq!(
            attr(&found, &format!("{sp}/md:SingleLogoutService"), "Location"),
            [
                "https://demo-tti.auth.us-east-1.amazoncognito.com/saml2/logout",
                "https://demo-tti.auth.us-east-1.amazoncognito.com/saml2/logout"
            ]
        );
        assert!(xml.contains(
            "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>"
        ));
        assert!(
            !xml.contains("KeyDescriptor"),
            "no certificate without IdP sign-out"
        );
    }

    #[test]
    fn elements_follow_the_schema_order() {
        let xml = render(&SpMetadataInput {
            signing_certificate: Some("MIIBcert".into()),
            encryption_certificate: Some("MIIBenc".into()),
            ..input()
        });
        let order: Vec<String> = elements(&xml)
            .into_iter()
            .filter(|(p, _)| p.matches('/').count() == 2)
            .map(|(p, _)| p.rsplit('/').next().unwrap().to_string())
            .collect();
        assert_eq!(
            order,
            [
                "md:KeyDescriptor",
                "md:KeyDescriptor",
                "md:SingleLogoutService",
                "md:SingleLogoutService",
                "md:NameIDFormat",
                "md:AssertionConsumerService"
            ]
        );
    }

    #[test]
    fn signing_certificate_is_announced_without_pem_armour() {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIC\nabcd\n-----END CERTIFICATE-----\n";
        let xml = render(&SpMetadataInput {
            signing_certificate: Some(pem.into()),
            authn_requests_signed: true,
            ..input()
        });
        let found = elements(&xml);
        let sp = "md:EntityDescriptor/md:SPSSODescriptor";
        assert_eq!(
            attr(&found, &format!("{sp}/md:KeyDescriptor"), "use"),
            ["signing"]
        );
        assert_eq!(attr(&found, sp, "AuthnRequestsSigned"), ["true"]);
        assert!(
            xml.contains("<ds:X509Certificate>MIICabcd</ds:X509Certificate>"),
            "{xml}"
        );
        assert!(!xml.contains("BEGIN CERTIFICATE"));
    }

    #[test]
    fn special_characters_are_escaped() {
        let xml = render(&SpMetadataInput {
            base_url: "https://a.example/?x=1&y=\"2\"".into(),
            ..input()
        });
        let found = elements(&xml);
        let sp = "md:EntityDescriptor/md:SPSSODescriptor";
        assert_eq!(
            attr(
                &found,
                &format!("{sp}/md:AssertionConsumerService"),
                "Location"
            ),
            ["https://a.example/?x=1&y=\"2\"/saml2/idpresponse"]
        );
    }

    #[test]
    fn long_certificates_wrap_at_64_columns() {
        let body = "A".repeat(130);
        assert_eq!(
            cert_body(&body),
            format!("{}\n{}\n{}", "A".repeat(64), "A".repeat(64), "AA")
        );
    }
}
