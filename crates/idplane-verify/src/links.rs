//! The links `verify` reports, with stable ids (`tti.issuer_url`, ...): the static links of a
//! chain in [`LINKS`] order, and the hops of the live exchange in [`EXCHANGE_HOPS`].

/// Every link `verify` checks, in the order it reports them, with what holds when it passes.
pub const LINKS: &[(&str, &str)] = &[
    (
        "application.exists",
        "the application the spec names exists in Identity Center",
    ),
    (
        "application.enabled",
        "the application's status is ENABLED (a disabled application issues no token)",
    ),
    (
        "grant.jwt_bearer",
        "the application has a JWT bearer grant (urn:ietf:params:oauth:grant-type:jwt-bearer)",
    ),
    (
        "tti.exists",
        "the trusted token issuer the grant should name exists",
    ),
    (
        "grant.issuer",
        "the live JWT bearer grant names that trusted token issuer",
    ),
    (
        "grant.audiences",
        "every audience the grant authorizes for the issuer is a live app client of the issuing pool",
    ),
    (
        "tti.issuer_url",
        "the issuer's URL equals the pool's real issuer (`iss` of its tokens; ORIGINAL or UPDATED issuer type)",
    ),
    (
        "tti.claim",
        "the issuer's claim is one the pool's tokens carry (a standard attribute, or a pre token generation trigger adds it)",
    ),
    (
        "client.read_attributes",
        "each audience client may read the claimed attribute (an ID token carries only readable attributes)",
    ),
    (
        "client.scopes",
        "each audience client using OAuth flows has `openid` and a scope that carries the claim (`profile`, or `email` / `phone`)",
    ),
    (
        "tti.identity_store_attribute_path",
        "the issuer's Identity Store attribute path is one a user is found by (userName, emails.value, externalIds.value)",
    ),
    (
        "identity.coverage",
        "each pool user read (--sample N) has an Identity Store user under the issuer's mapping: their claim value finds one by the attribute path",
    ),
    (
        "assignment.required",
        "assignment is not required, or users or groups are assigned to the application",
    ),
    (
        "auth_method.iam",
        "the application has an IAM authentication method (who may call CreateTokenWithIAM)",
    ),
    (
        "auth_method.actor_policy",
        "the actor policy allows sso-oauth:CreateTokenWithIAM to the calling account",
    ),
    (
        "access_scopes",
        "every access scope the spec gives the application is live",
    ),
    (
        "saml.idp",
        "the pool's SAML identity provider federating back to Identity Center exists",
    ),
    (
        "saml.client",
        "each audience client lists that SAML identity provider (users sign in through Identity Center)",
    ),
    (
        "saml.domain",
        "the pool has a domain (the SAML application's ACS URL is https://DOMAIN.auth.REGION.amazoncognito.com/saml2/idpresponse)",
    ),
];

/// The hops of the live exchange (`verify --exchange`), in order; reported after the static
/// links of their chain, by the command that makes the calls.
pub const EXCHANGE_HOPS: &[(&str, &str)] = &[
    (
        "exchange.id_token",
        "a Cognito ID token of the test user (AdminInitiateAuth, or the --id-token file)",
    ),
    (
        "exchange.create_token_with_iam",
        "sso-oidc CreateTokenWithIAM (JWT bearer grant) accepts the ID token",
    ),
    (
        "exchange.scopes",
        "the Identity Center token carries every access scope the spec gives the application",
    ),
    (
        "exchange.identity_context",
        "the Identity Center token carries `sts:identity_context`",
    ),
    (
        "exchange.assume_role",
        "STS AssumeRole with the identity context (ProvidedContexts) gives an identity-enhanced session",
    ),
];

/// Identity Store attribute paths a trusted token issuer can map a claim to (the ones the
/// Identity Center console offers; the API reference names `emails.value` as its example).
pub const IDENTITY_STORE_PATHS: &[&str] = &["userName", "emails.value", "externalIds.value"];
