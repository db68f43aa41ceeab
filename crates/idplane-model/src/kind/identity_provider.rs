//! The `identity_provider` kind: A SAML or OIDC identity provider federated into a pool (ProviderName is its key).

use super::{KindInfo, ReplaceOrder, Service, Singleton, WriterScope, f};
use crate::Kind;

/// The attribute keys of `identity_provider` (its field names).
pub mod field {
    pub const NAME: &str = "name";
    pub const PROVIDER_TYPE: &str = "provider_type";
    pub const PROVIDER_DETAILS: &str = "provider_details";
    pub const ATTRIBUTE_MAPPING: &str = "attribute_mapping";
    pub const IDP_IDENTIFIERS: &str = "idp_identifiers";
}

pub(super) static INFO: KindInfo = KindInfo {
    kind: Kind::IdentityProvider,
    name: "identity_provider",
    parent: Some(Kind::UserPool),
    taggable: false,
    natural_key: Some(field::NAME),
    outputs: &["name"],
    doc: "A SAML or OIDC identity provider federated into a pool (ProviderName is its key).",
    collection: "identity_providers",
    service: Service::CognitoUserPools,
    writer_scope: WriterScope::Parent,
    parent_output: Some("id"),
    replace_order: ReplaceOrder::DeleteThenCreate,
    adopt_by_name: true,
    singleton: Singleton::No,
    owns_all_children: false,
    deletable: true,
    moves_with_replaced_parent: false,
    settles_in_background: false,
    unique_in_cloud: true,
    keep_live_when_silent: &[],
    documents: &[],
    spec_key: str::to_string,
    fields: &[
        f(
            field::NAME,
            "ProviderName; usernames become NAME_<subject>, so renaming = new IdP.",
        )
        .immutable(),
        f(field::PROVIDER_TYPE, "SAML or OIDC (or a social type).").immutable(),
        f(
            field::PROVIDER_DETAILS,
            "AWS's ProviderDetails map, AWS key names (MetadataURL, MetadataFile, IDPSignout, \
             EncryptedResponses, RequestSigningAlgorithm, IDPInit; client_id, client_secret, \
             authorize_scopes, oidc_issuer, attributes_request_method). Read-only keys AWS adds \
             (ActiveEncryptionCertificate, SSORedirectBindingURI, SLORedirectBindingURI, \
             authorize_url... when discovered) are ignored.",
        )
        .sensitive()
        .default("{}"),
        f(field::ATTRIBUTE_MAPPING, "Pool attribute -> IdP attribute.").default("{}"),
        f(field::IDP_IDENTIFIERS, "IdpIdentifiers.")
            .set()
            .default("[]"),
    ],
};
