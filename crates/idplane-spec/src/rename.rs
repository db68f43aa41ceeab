//! The one table of spec keys and the model fields they lower to, per kind and nested map:
//! lowering reads `(yaml, field)` left to right, export writes it right to left, so the two
//! cannot disagree. Keys the spec spells as the model does are listed too, so that each table is
//! the complete list of what is copied as is. Values that are converted (durations, booleans
//! that become enums, references) are handled next to the table by both sides.

/// A spec (YAML) key and the model field it becomes.
pub(crate) type Rename = (&'static str, &'static str);

/// `user_pools.NAME`.
pub(crate) mod user_pool {
    use super::Rename;

    /// `sign_in:` keys, lowered to top-level fields of the pool.
    pub(crate) const SIGN_IN: &[Rename] = &[
        ("alias_attributes", "alias_attributes"),
        ("username_attributes", "username_attributes"),
        ("case_sensitive", "username_case_sensitive"),
    ];
    /// Keys of one `schema:` attribute.
    pub(crate) const SCHEMA_ATTRIBUTE: &[Rename] = &[
        ("type", "attribute_data_type"),
        ("required", "required"),
        ("mutable", "mutable"),
        ("developer_only", "developer_only"),
    ];
    /// Keys of one `schema:` attribute that go into `string_constraints`.
    pub(crate) const STRING_CONSTRAINTS: &[Rename] =
        &[("min_length", "min_length"), ("max_length", "max_length")];
    /// Keys of one `schema:` attribute that go into `number_constraints`.
    pub(crate) const NUMBER_CONSTRAINTS: &[Rename] =
        &[("min_value", "min_value"), ("max_value", "max_value")];
    /// `password_policy:` keys.
    pub(crate) const PASSWORD_POLICY: &[Rename] = &[
        ("minimum_length", "minimum_length"),
        ("require_uppercase", "require_uppercase"),
        ("require_lowercase", "require_lowercase"),
        ("require_numbers", "require_numbers"),
        ("require_symbols", "require_symbols"),
        (
            "temporary_password_validity_days",
            "temporary_password_validity_days",
        ),
        ("password_history_size", "password_history_size"),
    ];
    /// `mfa:` keys, lowered to top-level fields of the pool.
    pub(crate) const MFA: &[Rename] = &[
        ("configuration", "mfa_configuration"),
        ("software_token", "software_token_mfa"),
    ];
    /// `admin_create_user_only` and `invite_message` go into this field.
    pub(crate) const ADMIN_CREATE_USER_CONFIG: &str = "admin_create_user_config";
    /// Top-level keys that go into `admin_create_user_config`.
    pub(crate) const ADMIN_CREATE_USER_ONLY: Rename =
        ("admin_create_user_only", "allow_admin_create_user_only");
    pub(crate) const INVITE_MESSAGE_TEMPLATE: Rename =
        ("invite_message", "invite_message_template");
    /// `invite_message:` keys.
    pub(crate) const INVITE_MESSAGE: &[Rename] = &[
        ("email_subject", "email_subject"),
        ("email_message", "email_message"),
        ("sms_message", "sms_message"),
    ];
    /// `email:` keys (into `email_configuration`).
    pub(crate) const EMAIL: &[Rename] = &[
        ("sending_account", "email_sending_account"),
        ("source_arn", "source_arn"),
        ("from", "from"),
        ("reply_to", "reply_to_email_address"),
        ("configuration_set", "configuration_set"),
    ];
    /// `sms:` keys (into `sms_configuration`).
    pub(crate) const SMS: &[Rename] = &[
        ("sns_caller_arn", "sns_caller_arn"),
        ("external_id", "external_id"),
        ("sns_region", "sns_region"),
    ];
    /// `verification_message:` keys (into `verification_message_template`).
    pub(crate) const VERIFICATION_MESSAGE: &[Rename] = &[
        ("default_email_option", "default_email_option"),
        ("email_subject", "email_subject"),
        ("email_message", "email_message"),
        ("email_subject_by_link", "email_subject_by_link"),
        ("email_message_by_link", "email_message_by_link"),
        ("sms_message", "sms_message"),
    ];
    /// Nested maps of the pool: the spec key, the field, and the keys inside.
    pub(crate) const NESTED: &[(&str, &str, &[Rename])] = &[
        ("password_policy", "password_policy", PASSWORD_POLICY),
        ("email", "email_configuration", EMAIL),
        ("sms", "sms_configuration", SMS),
        (
            "verification_message",
            "verification_message_template",
            VERIFICATION_MESSAGE,
        ),
    ];
}

/// `user_pools.NAME.clients.CLIENT`.
pub(crate) mod client {
    use super::Rename;

    /// Keys copied as they are (after their own checks).
    pub(crate) const PLAIN: &[Rename] = &[
        ("generate_secret", "generate_secret"),
        ("auth_flows", "explicit_auth_flows"),
        ("identity_providers", "supported_identity_providers"),
        ("read_attributes", "read_attributes"),
        ("write_attributes", "write_attributes"),
        ("token_revocation", "enable_token_revocation"),
        (
            "propagate_additional_user_context_data",
            "enable_propagate_additional_user_context_data",
        ),
    ];
    /// `oauth:` keys, lowered to top-level fields of the client.
    pub(crate) const OAUTH: &[Rename] = &[
        ("flows", "allowed_oauth_flows"),
        ("scopes", "allowed_oauth_scopes"),
        ("callback_urls", "callback_urls"),
        ("logout_urls", "logout_urls"),
        ("default_redirect_uri", "default_redirect_uri"),
    ];
    /// `token_validity:` keys: the field, its bounds in seconds, and the field's unit in seconds.
    pub(crate) const TOKEN_VALIDITY: &[(&str, &str, i64, i64, i64)] = &[
        ("access", "access_token_validity", 300, 86_400, 1),
        ("id", "id_token_validity", 300, 86_400, 1),
        ("refresh", "refresh_token_validity", 3_600, 315_360_000, 1),
        ("auth_session", "auth_session_validity", 180, 900, 60),
    ];
}

/// `user_pools.NAME.identity_providers.IDP`.
pub(crate) mod identity_provider {
    use super::Rename;

    /// `saml:` keys whose values are strings, into `provider_details`.
    pub(crate) const SAML: &[Rename] = &[
        ("metadata_url", "MetadataURL"),
        ("metadata_file", "MetadataFile"),
        ("request_signing_algorithm", "RequestSigningAlgorithm"),
    ];
    /// `saml:` flags, into `provider_details` as `"true"` / `"false"`.
    pub(crate) const SAML_FLAGS: &[Rename] = &[
        ("idp_signout", "IDPSignout"),
        ("encrypted_responses", "EncryptedResponses"),
        ("idp_init", "IDPInit"),
    ];
    /// `oidc:` keys, into `provider_details` (`scopes` is a list joined by spaces).
    pub(crate) const OIDC: &[Rename] = &[
        ("issuer", "oidc_issuer"),
        ("client_id", "client_id"),
        ("client_secret", "client_secret"),
        ("scopes", "authorize_scopes"),
        ("attributes_request_method", "attributes_request_method"),
    ];
    /// Keys of the provider itself.
    pub(crate) const PLAIN: &[Rename] = &[
        ("attribute_mapping", "attribute_mapping"),
        ("identifiers", "idp_identifiers"),
    ];
}

/// `user_pools.NAME.groups.GROUP`.
pub(crate) const USER_POOL_GROUP: &[Rename] = &[
    ("description", "description"),
    ("precedence", "precedence"),
    ("role_arn", "role_arn"),
];

/// `identity_pools.NAME`.
pub(crate) mod identity_pool {
    use super::Rename;

    /// Keys copied as they are.
    pub(crate) const PLAIN: &[Rename] = &[
        ("allow_unauthenticated", "allow_unauthenticated_identities"),
        ("allow_classic_flow", "allow_classic_flow"),
        (
            "openid_connect_provider_arns",
            "openid_connect_provider_arns",
        ),
        ("saml_provider_arns", "saml_provider_arns"),
        ("supported_login_providers", "supported_login_providers"),
        ("developer_provider_name", "developer_provider_name"),
        ("tags", "tags"),
    ];
    /// `cognito_providers` becomes this field.
    pub(crate) const COGNITO_PROVIDERS: Rename =
        ("cognito_providers", "cognito_identity_providers");
    /// Keys of one `cognito_providers` item.
    pub(crate) const COGNITO_PROVIDER: &[Rename] = &[
        ("provider_name", "provider_name"),
        ("client_id", "client_id"),
        ("server_side_token_check", "server_side_token_check"),
    ];
    /// `roles:` keys.
    pub(crate) const ROLES: &[Rename] = &[
        ("authenticated", "authenticated"),
        ("unauthenticated", "unauthenticated"),
    ];
    /// Keys of one `role_mappings` entry.
    pub(crate) const ROLE_MAPPING: &[Rename] = &[
        ("type", "type"),
        ("ambiguous_role_resolution", "ambiguous_role_resolution"),
        ("rules", "rules"),
    ];
}

/// `identity_center.trusted_token_issuers.NAME.oidc_jwt`.
pub(crate) const TTI_OIDC_JWT: &[Rename] = &[
    ("issuer_url", "issuer_url"),
    ("claim_attribute_path", "claim_attribute_path"),
    (
        "identity_store_attribute_path",
        "identity_store_attribute_path",
    ),
    ("jwks_retrieval_option", "jwks_retrieval_option"),
];

/// `identity_center.applications.NAME`.
pub(crate) mod application {
    use super::Rename;

    /// `enabled: true|false` becomes this field, `ENABLED` / `DISABLED`.
    pub(crate) const ENABLED: Rename = ("enabled", "status");
    /// `portal:` becomes this field.
    pub(crate) const PORTAL: Rename = ("portal", "portal_options");
    /// `portal.visible: true|false` becomes this field of `portal_options`, `ENABLED` / `DISABLED`.
    pub(crate) const VISIBLE: Rename = ("visible", "visibility");
    /// `portal:` keys that go into `portal_options.sign_in_options`.
    pub(crate) const SIGN_IN_OPTIONS: &[Rename] = &[
        ("sign_in_origin", "origin"),
        ("application_url", "application_url"),
    ];
    /// `grants:` keys and the grant type each becomes (the grant's id in AWS).
    pub(crate) const GRANT_TYPES: &[Rename] = &[
        ("authorization_code", "authorization_code"),
        ("refresh_token", "refresh_token"),
        (
            "token_exchange",
            "urn:ietf:params:oauth:grant-type:token-exchange",
        ),
        ("jwt_bearer", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
    ];
}

/// `identity_store.users.NAME`, besides `user_name`.
pub(crate) const STORE_USER: &[Rename] = &[
    ("display_name", "display_name"),
    ("given_name", "given_name"),
    ("family_name", "family_name"),
    ("email", "email"),
];
