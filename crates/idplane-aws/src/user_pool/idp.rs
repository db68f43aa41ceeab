//! Identity providers of a user pool (SAML, OIDC, social): to_live (a client secret kept as a
//! digest only), list, read, find by name, create, update (provider details merged over the
//! live ones, read-only and discovered keys left out) and delete.

use super::{answered_or_read, created, live};
use crate::convert::{Obj, get_map, get_str, get_str_map, get_strs, str_map, strs};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, need_parent, none_if_missing};
use aws_sdk_cognitoidentityprovider::types as t;
use idplane_model::kind::identity_provider::field;
use idplane_model::{ErrorClass, Kind, LiveObject, ProviderError, Secret, Target, Value};
use std::collections::{BTreeMap, HashMap};

// The keys AWS adds to `ProviderDetails` (read-only: an update that sends them is rejected)
// and the OIDC endpoints it discovers from `oidc_issuer` are the model's lists, shared with
// normalization.
use idplane_model::normalize::{
    IDP_READ_ONLY_KEYS as READ_ONLY_PROVIDER_DETAILS,
    OIDC_DISCOVERED_KEYS as OIDC_DISCOVERED_DETAILS,
};

pub fn to_live(i: &t::IdentityProviderType) -> LiveObject {
    let name = i.provider_name().unwrap_or_default();
    let details: BTreeMap<String, Value> = i
        .provider_details()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let v = if k == "client_secret" {
                        Value::Secret(Secret::from_plaintext("aws", v.as_str()).redacted())
                    } else {
                        Value::str(v)
                    };
                    (k.clone(), v)
                })
                .collect()
        })
        .unwrap_or_default();
    let attrs = Obj::new()
        .s("name", Some(name))
        .s("provider_type", i.provider_type().map(|x| x.as_str()))
        .v("provider_details", Value::Map(details))
        .v(
            "attribute_mapping",
            str_map(i.attribute_mapping().into_iter().flatten()),
        )
        .v("idp_identifiers", strs(i.idp_identifiers()))
        .attrs();
    let mut o = live(Kind::IdentityProvider, name, i.user_pool_id(), attrs);
    o.outputs.insert("name".into(), name.to_string());
    o
}

pub(super) async fn describe(
    p: &AwsProvider,
    pool: &str,
    name: &str,
) -> Result<t::IdentityProviderType, ProviderError> {
    const OP: &str = "cognito-idp:DescribeIdentityProvider";
    p.call(OP, || {
        p.cip
            .describe_identity_provider()
            .user_pool_id(pool)
            .provider_name(name)
            .send()
    })
    .await?
    .identity_provider
    .ok_or_else(|| {
        ProviderError::new(
            ErrorClass::NotFound,
            OP,
            "",
            "no identity provider in the response",
        )
    })
}

/// The provider details to send: the target's over the live ones (secret text from the
/// target, else kept), read-only keys stripped, and only one of MetadataURL / MetadataFile.
pub fn merge_provider_details(
    live: &HashMap<String, String>,
    target: Option<&BTreeMap<String, Value>>,
) -> HashMap<String, String> {
    let mut out = live.clone();
    if let Some(t) = target {
        for (k, v) in t {
            match v {
                Value::Null => {
                    out.remove(k);
                }
                Value::Secret(s) => {
                    if let Some(text) = s.expose() {
                        out.insert(k.clone(), text.to_string());
                    }
                }
                Value::Bool(_)
                | Value::Int(_)
                | Value::Str(_)
                | Value::List(_)
                | Value::Map(_)
                | Value::Ref(_)
                | Value::Unknown(_) => {
                    if let Some(s) = get_str(t, k) {
                        out.insert(k.clone(), s);
                    }
                }
            }
        }
    }
    if out.contains_key("MetadataURL") && out.contains_key("MetadataFile") {
        // AWS returns the fetched file next to the URL but accepts only one of them.
        let file_only = target
            .is_some_and(|t| t.contains_key("MetadataFile") && !t.contains_key("MetadataURL"));
        out.remove(if file_only {
            "MetadataURL"
        } else {
            "MetadataFile"
        });
    }
    for k in READ_ONLY_PROVIDER_DETAILS {
        out.remove(k);
    }
    out
}

/// The names of the pool's identity providers (paginated ListIdentityProviders).
pub(super) async fn list_names(p: &AwsProvider, pool: &str) -> Result<Vec<String>, ProviderError> {
    all_pages(|token| async move {
        let out = p
            .call("cognito-idp:ListIdentityProviders", || {
                p.cip
                    .list_identity_providers()
                    .user_pool_id(pool)
                    .max_results(60)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let names = out
            .providers()
            .iter()
            .filter_map(|x| x.provider_name().map(str::to_string))
            .collect();
        Ok((names, out.next_token().map(str::to_string)))
    })
    .await
}

pub async fn read(
    p: &AwsProvider,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let pool = need_parent(Kind::IdentityProvider, parent)?;
    Ok(none_if_missing(describe(p, pool, id).await)?.map(|i| {
        let live = to_live(&i);
        // An update right after this read merges onto this shape (`recent`).
        p.recent.keep(&live, i);
        live
    }))
}

/// One list of the pool's IdPs (names) per executor level (see `listcache`); a name in it is
/// then described.
pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let name = get_str(&tg.attrs, field::NAME).unwrap_or_default();
    let names = p
        .lists
        .get_or_list(&crate::listcache::key(tg.kind, Some(pool)), || {
            list_names(p, pool)
        })
        .await?;
    if names.contains(&name) {
        read(p, Some(pool), &name).await
    } else {
        Ok(None)
    }
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:CreateIdentityProvider";
    let a = &tg.attrs;
    let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let name =
        get_str(a, "name").ok_or_else(|| invalid(OP, "an identity provider needs `name`"))?;
    let ptype = get_str(a, "provider_type")
        .ok_or_else(|| invalid(OP, "an identity provider needs `provider_type`"))?;
    let details = merge_provider_details(&HashMap::new(), get_map(a, "provider_details"));
    let out = sent!(
        p.call_create(OP, tg, || {
            p.cip
                .create_identity_provider()
                .user_pool_id(pool)
                .provider_name(&name)
                .provider_type(t::IdentityProviderTypeType::from(ptype.as_str()))
                .set_provider_details(Some(details.clone()))
                .set_attribute_mapping(get_str_map(a, "attribute_mapping"))
                .set_idp_identifiers(get_strs(a, "idp_identifiers"))
                .send()
        })
        .await?
    );
    // The response holds the provider as created (with what Cognito computed); it is read
    // only when it does not.
    match out.identity_provider() {
        Some(i) => Ok(to_live(i)),
        None => created(tg, read(p, Some(pool), &name).await?),
    }
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:UpdateIdentityProvider";
    let pool = need_parent(tg.kind, lv.parent_id.as_deref().or(tg.parent_id.as_deref()))?;
    // `lv` is the caller's read of just now (see `Provider::update`); the provider details it
    // normalizes come whole from that read's shape, or from a describe when it was not kept.
    let cur = match p.recent.take::<t::IdentityProviderType>(lv) {
        Some(i) => i,
        None => describe(p, pool, &lv.id).await?,
    };
    let wanted = get_map(&tg.attrs, "provider_details");
    let mut live_details = cur.provider_details().cloned().unwrap_or_default();
    if cur.provider_type() == Some(&t::IdentityProviderTypeType::Oidc) {
        // Endpoints AWS discovered from `oidc_issuer` are not sent back unless the spec
        // sets them: AWS discovers them again (from the new issuer after a change).
        live_details.retain(|k, _| {
            !OIDC_DISCOVERED_DETAILS.contains(&k.as_str())
                || wanted.is_some_and(|w| w.contains_key(k))
        });
    }
    let details = merge_provider_details(&live_details, wanted);
    let mapping =
        get_str_map(&tg.attrs, "attribute_mapping").or_else(|| cur.attribute_mapping().cloned());
    let idents =
        get_strs(&tg.attrs, "idp_identifiers").or_else(|| Some(cur.idp_identifiers().to_vec()));
    let out = p
        .call(OP, || {
            p.cip
                .update_identity_provider()
                .user_pool_id(pool)
                .provider_name(&lv.id)
                .set_provider_details(Some(details.clone()))
                .set_attribute_mapping(mapping.clone())
                .set_idp_identifiers(idents.clone())
                .set_acr_mapping(cur.acr_mapping().cloned())
                .send()
        })
        .await?;
    answered_or_read(
        out.identity_provider().map(to_live),
        read(p, Some(pool), &lv.id),
        lv,
        tg,
    )
    .await
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let pool = need_parent(lv.kind, lv.parent_id.as_deref())?;
    p.call("cognito-idp:DeleteIdentityProvider", || {
        p.cip
            .delete_identity_provider()
            .user_pool_id(pool)
            .provider_name(&lv.id)
            .send()
    })
    .await
    .map(|_| ())
}

/// Whether a SAML IdP of the pool (among `objs`) has IdP sign-out on or signs its requests
/// (`RequestSigningAlgorithm`): then the IdP needs the pool's SAML signing certificate, which
/// belongs in the pool's SP metadata.
pub fn wants_signing_certificate(objs: &[LiveObject], pool_id: &str) -> bool {
    objs.iter().any(|o| {
        let details = get_map(&o.attrs, "provider_details");
        let detail = |key: &str| details.and_then(|m| m.get(key)).and_then(Value::as_str);
        o.kind == Kind::IdentityProvider
            && o.parent_id.as_deref() == Some(pool_id)
            && get_str(&o.attrs, "provider_type").as_deref() == Some("SAML")
            && (detail("IDPSignout").is_some_and(|v| v.eq_ignore_ascii_case("true"))
                || detail("RequestSigningAlgorithm").is_some_and(|v| !v.is_empty()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_secret_of_an_idp_is_kept_as_digest_only() {
        let i = t::IdentityProviderType::builder()
            .user_pool_id("p1")
            .provider_name("Okta")
            .provider_type(t::IdentityProviderTypeType::Oidc)
            .provider_details("client_id", "abc")
            .provider_details("client_secret", "hunter2")
            .build();
        let o = to_live(&i);
        let d = o.attrs["provider_details"].as_map().unwrap();
        assert_eq!(d["client_id"], Value::str("abc"));
        let Value::Secret(s) = &d["client_secret"] else {
            panic!("expected a secret, got {:?}", d["client_secret"]);
        };
        assert_eq!(s.digest(), idplane_model::secret::digest_of("hunter2"));
        assert!(s.expose().is_none());
        assert!(!format!("{o:?}").contains("hunter2"));
        assert!(!serde_json::to_string(&o).unwrap().contains("hunter2"));
    }

    #[test]
    fn provider_details_merge_strips_read_only_keys_and_one_metadata_source() {
        let live: HashMap<String, String> = [
            ("MetadataURL", "https://idp/metadata"),
            ("MetadataFile", "<xml/>"),
            ("ActiveEncryptionCertificate", "MII..."),
            ("SSORedirectBindingURI", "https://idp/sso"),
            ("IDPSignout", "false"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let target: BTreeMap<String, Value> = [("IDPSignout".to_string(), Value::str("true"))]
            .into_iter()
            .collect();
        let out = merge_provider_details(&live, Some(&target));
        let mut keys: Vec<_> = out.keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["IDPSignout", "MetadataURL"]);
        assert_eq!(out["IDPSignout"], "true");
        let secret: BTreeMap<String, Value> = [(
            "client_secret".to_string(),
            Value::Secret(Secret::from_plaintext("env:X", "s3cret")),
        )]
        .into_iter()
        .collect();
        let live2: HashMap<String, String> = [("client_secret".to_string(), "old".to_string())]
            .into_iter()
            .collect();
        assert_eq!(
            merge_provider_details(&live2, Some(&secret))["client_secret"],
            "s3cret"
        );
        let redacted: BTreeMap<String, Value> = [(
            "client_secret".to_string(),
            Value::Secret(Secret::from_plaintext("env:X", "s3cret").redacted()),
        )]
        .into_iter()
        .collect();
        assert_eq!(
            merge_provider_details(&live2, Some(&redacted))["client_secret"],
            "old"
        );
    }

    #[test]
    fn signing_certificate_is_wanted_for_a_saml_idp_with_sign_out_on_only() {
        let idp = |pool: &str, kind: &str, signout: &str| {
            to_live(
                &t::IdentityProviderType::builder()
                    .user_pool_id(pool)
                    .provider_name("Corp")
                    .provider_type(t::IdentityProviderTypeType::from(kind))
                    .provider_details("IDPSignout", signout)
                    .build(),
            )
        };
        assert!(wants_signing_certificate(
            &[idp("p1", "SAML", "true")],
            "p1"
        ));
        assert!(wants_signing_certificate(
            &[idp("p1", "SAML", "TRUE")],
            "p1"
        ));
        assert!(!wants_signing_certificate(
            &[idp("p1", "SAML", "false")],
            "p1"
        ));
        assert!(!wants_signing_certificate(
            &[idp("p1", "OIDC", "true")],
            "p1"
        ));
        assert!(
            !wants_signing_certificate(&[idp("p2", "SAML", "true")], "p1"),
            "another pool's IdP"
        );
        assert!(!wants_signing_certificate(&[], "p1"));
        let signing = to_live(
            &t::IdentityProviderType::builder()
                .user_pool_id("p1")
                .provider_name("Corp")
                .provider_type(t::IdentityProviderTypeType::Saml)
                .provider_details("IDPSignout", "false")
                .provider_details("RequestSigningAlgorithm", "rsa-sha256")
                .build(),
        );
        assert!(
            wants_signing_certificate(&[signing], "p1"),
            "signed requests need the certificate too"
        );
    }
}
