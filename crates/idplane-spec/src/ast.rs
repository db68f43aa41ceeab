//! The user-facing spec types: they define the YAML shape and, through schemars, the JSON Schema.
//!
//! These types are the single source of truth for which keys exist: the loader checks YAML
//! against the schema generated from them (reporting every unknown key and wrong type at once),
//! then lowers the spanned YAML tree into the model's desired state.

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole stack (one or more YAML files merged).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "idplane stack")]
pub struct Stack {
    /// Spec language version; must be 1.
    pub version: Option<u32>,
    /// Stack name: ownership tags carry it, so two stacks never touch each other's objects.
    pub stack: Option<String>,
    /// AWS region of the Cognito resources, e.g. `us-east-1`.
    pub region: Option<String>,
    /// The AWS account id (or ids) this stack belongs to. `plan`, `apply` and `drift` ask STS
    /// whose credentials they hold first, and refuse before any other AWS call when the account
    /// is not listed (so a prod spec is never applied with dev credentials).
    pub account: Option<AccountIds>,
    /// An IAM role to assume (STS `AssumeRole`) on top of the usual credentials for every AWS
    /// call of this stack, e.g. one deployer role per account. `--assume-role ARN` overrides
    /// `arn`.
    pub assume_role: Option<AssumeRoleSpec>,
    /// Variables usable as `${var.NAME}` in any string; set with `--var` / `--var-file`.
    pub variables: Option<BTreeMap<String, Variable>>,
    /// Cognito user pools by logical name.
    pub user_pools: Option<BTreeMap<String, UserPool>>,
    /// Cognito identity pools by logical name.
    pub identity_pools: Option<BTreeMap<String, IdentityPool>>,
    /// IAM Identity Center: trusted token issuers and applications.
    pub identity_center: Option<IdentityCenter>,
    /// Users, groups and memberships of the Identity Center identity store.
    pub identity_store: Option<IdentityStore>,
}

/// One account id or a list of them (12 digits each, written as strings).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AccountIds {
    One(String),
    Many(Vec<String>),
}

/// The role a stack's AWS calls are made as.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssumeRoleSpec {
    /// The role's ARN, e.g. `arn:aws:iam::123456789012:role/idplane-deployer`.
    pub arn: String,
    /// The external id the role's trust policy requires (2-1224 characters).
    pub external_id: Option<String>,
    /// The session name CloudTrail shows (2-64 characters; default `idplane-STACK`).
    pub session_name: Option<String>,
    /// Session length in seconds, 900 to 43200 (AWS's default: 3600).
    pub duration: Option<u32>,
}

/// A variable declaration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    /// Value used when neither `--var` nor `--var-file` sets it.
    pub default: Option<VarValue>,
    /// What the variable is for.
    pub description: Option<String>,
}

/// A variable value: text, a number or a boolean (substituted as text).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum VarValue {
    Text(String),
    Integer(i64),
    Boolean(bool),
}

/// A Cognito user pool.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPool {
    /// Pin an existing pool by id (adoption), e.g. `us-east-1_AbCdEf123`.
    pub id: Option<String>,
    /// PoolName (defaults to the logical name). Not unique in AWS.
    pub name: Option<String>,
    /// Sign-in options (fixed at creation).
    pub sign_in: Option<SignIn>,
    /// Standard and custom (`custom:NAME`) attributes.
    pub schema: Option<BTreeMap<String, SchemaAttribute>>,
    /// Attributes Cognito verifies automatically: `email`, `phone_number`.
    pub auto_verified_attributes: Option<Vec<String>>,
    /// Password policy.
    pub password_policy: Option<PasswordPolicy>,
    /// Multi-factor authentication.
    pub mfa: Option<Mfa>,
    /// Only administrators create users (no self sign-up).
    pub admin_create_user_only: Option<bool>,
    /// Invitation message sent to users created by an administrator.
    pub invite_message: Option<InviteMessage>,
    /// Account recovery mechanisms in priority order.
    pub account_recovery: Option<Vec<RecoveryMechanism>>,
    /// Email sending configuration.
    pub email: Option<EmailConfig>,
    /// SMS configuration (cannot be removed once set).
    pub sms: Option<SmsConfig>,
    /// Verification messages.
    pub verification_message: Option<VerificationMessage>,
    /// Lambda triggers by function ARN.
    pub lambda_triggers: Option<LambdaTriggers>,
    /// Refuse deletion of the pool (AWS `DeletionProtection=ACTIVE`). Left out: the live value
    /// is kept (never switched off behind the owner's back).
    pub deletion_protection: Option<bool>,
    /// Token issuer (`IssuerConfiguration.Type`): `ORIGINAL` issues
    /// `https://cognito-idp.REGION.amazonaws.com/ID`, `UPDATED` (recommended by AWS)
    /// `https://issuer-cognito-idp.REGION.amazonaws.com/ID`. Left out: the live pool's stays (new
    /// pools get `ORIGINAL`).
    pub issuer_type: Option<IssuerType>,
    /// User tags.
    pub tags: Option<BTreeMap<String, String>>,
    /// The hosted domain.
    pub domain: Option<Domain>,
    /// Federated identity providers, by ProviderName.
    pub identity_providers: Option<BTreeMap<String, IdentityProvider>>,
    /// Resource servers by logical name.
    pub resource_servers: Option<BTreeMap<String, ResourceServer>>,
    /// Groups, by group name.
    pub groups: Option<BTreeMap<String, Group>>,
    /// App clients by logical name.
    pub clients: Option<BTreeMap<String, Client>>,
}

/// The token issuer of a user pool (`IssuerConfiguration.Type`).
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum IssuerType {
    ORIGINAL,
    UPDATED,
}

/// How users sign in (fixed at pool creation).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// Extra attributes usable as a sign-in alias: `email`, `phone_number`, `preferred_username`.
    pub alias_attributes: Option<Vec<String>>,
    /// Attributes that replace the user name: `email`, `phone_number`.
    pub username_attributes: Option<Vec<String>>,
    /// Whether user names are case sensitive (AWS default true).
    pub case_sensitive: Option<bool>,
}

/// Data type of a schema attribute.
#[derive(Debug, Deserialize, JsonSchema)]
pub enum AttributeType {
    String,
    Number,
    DateTime,
    Boolean,
}

/// A user pool attribute.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaAttribute {
    /// Data type (default String).
    #[serde(rename = "type")]
    pub type_: Option<AttributeType>,
    /// Required at sign-up (fixed at creation).
    pub required: Option<bool>,
    /// Can change after sign-up.
    pub mutable: Option<bool>,
    /// Only administrators can read/write it.
    pub developer_only: Option<bool>,
    /// Minimum string length.
    pub min_length: Option<u32>,
    /// Maximum string length.
    pub max_length: Option<u32>,
    /// Minimum number value.
    pub min_value: Option<i64>,
    /// Maximum number value.
    pub max_value: Option<i64>,
}

/// Password policy.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicy {
    /// 6..=99.
    pub minimum_length: Option<u32>,
    pub require_uppercase: Option<bool>,
    pub require_lowercase: Option<bool>,
    pub require_numbers: Option<bool>,
    pub require_symbols: Option<bool>,
    /// 0..=365.
    pub temporary_password_validity_days: Option<u32>,
    /// 0..=24.
    pub password_history_size: Option<u32>,
}

/// MFA mode.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum MfaMode {
    OFF,
    ON,
    OPTIONAL,
}

/// Multi-factor authentication.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mfa {
    /// OFF, ON or OPTIONAL.
    pub configuration: Option<MfaMode>,
    /// Software token (TOTP) MFA.
    pub software_token: Option<bool>,
}

/// Invitation message template.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteMessage {
    pub email_subject: Option<String>,
    /// Must contain `{username}` and `{####}`.
    pub email_message: Option<String>,
    /// Must contain `{username}` and `{####}`.
    pub sms_message: Option<String>,
}

/// Recovery mechanism name.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryName {
    VerifiedEmail,
    VerifiedPhoneNumber,
    AdminOnly,
}

/// One account recovery mechanism.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecoveryMechanism {
    pub name: RecoveryName,
    /// 1 or 2 (defaults to the position in the list).
    pub priority: Option<u32>,
}

/// Email sending account.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)]
pub enum EmailSendingAccount {
    COGNITO_DEFAULT,
    DEVELOPER,
}

/// Email configuration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    pub sending_account: Option<EmailSendingAccount>,
    /// SES identity ARN (DEVELOPER only).
    pub source_arn: Option<String>,
    pub from: Option<String>,
    pub reply_to: Option<String>,
    pub configuration_set: Option<String>,
}

/// SMS configuration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsConfig {
    pub sns_caller_arn: String,
    pub external_id: Option<String>,
    pub sns_region: Option<String>,
}

/// Verification email option.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)]
pub enum DefaultEmailOption {
    CONFIRM_WITH_CODE,
    CONFIRM_WITH_LINK,
}

/// Verification messages.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationMessage {
    pub default_email_option: Option<DefaultEmailOption>,
    pub email_subject: Option<String>,
    pub email_message: Option<String>,
    pub email_subject_by_link: Option<String>,
    pub email_message_by_link: Option<String>,
    pub sms_message: Option<String>,
}

/// Lambda triggers (function ARNs).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LambdaTriggers {
    pub pre_sign_up: Option<String>,
    pub custom_message: Option<String>,
    pub post_confirmation: Option<String>,
    pub pre_authentication: Option<String>,
    pub post_authentication: Option<String>,
    pub define_auth_challenge: Option<String>,
    pub create_auth_challenge: Option<String>,
    pub verify_auth_challenge_response: Option<String>,
    /// The function ARN (event version `V1_0`), or `{arn, version}`.
    pub pre_token_generation: Option<PreTokenGeneration>,
    pub user_migration: Option<String>,
}

/// The pre token generation trigger: a function ARN (event version `V1_0`, AWS's default), or
/// the ARN with the event version Cognito sends it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PreTokenGeneration {
    /// Function ARN; the trigger gets `V1_0` events.
    Arn(String),
    /// Function ARN and event version.
    Versioned(PreTokenGenerationVersioned),
}

/// A pre token generation trigger with its event version.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreTokenGenerationVersioned {
    /// Function ARN.
    pub arn: String,
    /// Event version: `V1_0` (ID token only), `V2_0` (ID and access tokens), `V3_0` (also
    /// machine-to-machine). `V2_0` and `V3_0` need the Essentials or Plus tier.
    pub version: Option<PreTokenVersion>,
}

/// Event version of the pre token generation trigger (`LambdaVersion`).
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(non_camel_case_types)]
pub enum PreTokenVersion {
    V1_0,
    V2_0,
    V3_0,
}

/// The pool's hosted domain: a `prefix`, or a `custom_domain` with a `certificate_arn`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Prefix of `<prefix>.auth.<region>.amazoncognito.com` (unique per region).
    pub prefix: Option<String>,
    /// A custom domain name such as `auth.example.com`.
    pub custom_domain: Option<String>,
    /// ACM certificate ARN (us-east-1) for a custom domain.
    pub certificate_arn: Option<String>,
    /// 1 (classic hosted UI). Version 2 (managed login) is refused: it shows no login pages
    /// until a branding style exists, which idplane does not manage yet.
    pub managed_login_version: Option<u32>,
}

/// A federated identity provider: exactly one of `saml` or `oidc`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityProvider {
    pub saml: Option<SamlProvider>,
    pub oidc: Option<OidcProvider>,
    /// Pool attribute -> IdP attribute (e.g. `email: Subject`).
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    /// IdP identifiers (e.g. email domains) for IdP discovery.
    pub identifiers: Option<Vec<String>>,
}

/// SAML IdP settings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SamlProvider {
    /// Metadata document URL (https).
    pub metadata_url: Option<String>,
    /// Path of a metadata XML file, relative to the spec file.
    pub metadata_file: Option<String>,
    /// Sign users out of the IdP too.
    pub idp_signout: Option<bool>,
    /// Sign SAML requests: `rsa-sha256`.
    pub request_signing_algorithm: Option<String>,
    /// Require encrypted assertions.
    pub encrypted_responses: Option<bool>,
    /// Accept IdP-initiated sign-in.
    pub idp_init: Option<bool>,
}

/// OIDC attributes request method.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum AttributesRequestMethod {
    GET,
    POST,
}

/// OIDC IdP settings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OidcProvider {
    /// Issuer URL (https).
    pub issuer: String,
    pub client_id: String,
    /// Never inline: `{env: NAME}` or `{file: PATH}`.
    pub client_secret: Option<SecretRef>,
    /// Scopes requested (`openid` among them).
    pub scopes: Option<Vec<String>>,
    pub attributes_request_method: Option<AttributesRequestMethod>,
}

/// A secret given by reference, never inline.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum SecretRef {
    /// Read from an environment variable.
    Env {
        /// Variable name.
        env: String,
    },
    /// Read from a file (trailing newline trimmed), relative to the working directory.
    File {
        /// File path.
        file: String,
    },
}

/// A resource server and its custom scopes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceServer {
    /// Identifier (often a URL); scopes are used as `IDENTIFIER/SCOPE`.
    pub identifier: String,
    /// Display name (defaults to the logical name).
    pub name: Option<String>,
    /// Scope name -> description.
    pub scopes: Option<BTreeMap<String, String>>,
}

/// A user pool group.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Removing it from the spec clears it live.
    pub description: Option<String>,
    /// Lower wins when a user is in several groups. AWS cannot clear it: left out, the live
    /// value is kept.
    pub precedence: Option<u32>,
    /// IAM role ARN for members. AWS cannot clear it: left out, the live value is kept.
    pub role_arn: Option<String>,
}

/// A token validity: seconds as a number, or text such as `60m`, `1h`, `30d`, `90s`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Duration {
    Seconds(u64),
    Text(String),
}

/// Token validities.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenValidity {
    /// Access token (5m..1d).
    pub access: Option<Duration>,
    /// ID token (5m..1d).
    pub id: Option<Duration>,
    /// Refresh token (1h..3650d).
    pub refresh: Option<Duration>,
    /// Authentication session (3m..15m).
    pub auth_session: Option<Duration>,
}

/// OAuth settings of a client (their presence turns OAuth on).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OAuth {
    /// `code`, `implicit`, `client_credentials`.
    pub flows: Option<Vec<String>>,
    /// Standard scopes (`openid`, `email`, `phone`, `profile`, `aws.cognito.signin.user.admin`)
    /// and resource-server scopes `IDENTIFIER/SCOPE`.
    pub scopes: Option<Vec<String>>,
    /// Absolute https URLs without a fragment (plain http only to `localhost`, `127.0.0.1` or
    /// `[::1]`), or app URLs such as `myapp://cb`; at most 100, each at most 1024 characters.
    pub callback_urls: Option<Vec<String>>,
    pub logout_urls: Option<Vec<String>>,
    /// Must be one of the callback URLs.
    pub default_redirect_uri: Option<String>,
}

/// An app client.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// Pin an existing client by id.
    pub id: Option<String>,
    /// ClientName (defaults to the logical name).
    pub name: Option<String>,
    /// Give the client a secret (fixed at creation).
    pub generate_secret: Option<bool>,
    /// Explicit auth flows: `ALLOW_USER_SRP_AUTH` or short `user_srp`, `refresh_token`,
    /// `user_password`, `admin_user_password`, `custom`, `user_auth`.
    pub auth_flows: Option<Vec<String>>,
    pub oauth: Option<OAuth>,
    /// Identity providers of the pool the client uses (`COGNITO` for the pool's own users).
    pub identity_providers: Option<Vec<String>>,
    pub token_validity: Option<TokenValidity>,
    pub read_attributes: Option<Vec<String>>,
    pub write_attributes: Option<Vec<String>>,
    /// Allow token revocation.
    pub token_revocation: Option<bool>,
    /// Hide whether a user exists (AWS `ENABLED`) or not (`LEGACY`).
    pub prevent_user_existence_errors: Option<bool>,
    pub propagate_additional_user_context_data: Option<bool>,
}

/// A Cognito identity pool.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityPool {
    /// Pin an existing identity pool by id.
    pub id: Option<String>,
    /// IdentityPoolName (defaults to the logical name).
    pub name: Option<String>,
    /// Guest (unauthenticated) access.
    pub allow_unauthenticated: Option<bool>,
    /// Basic (classic) auth flow.
    pub allow_classic_flow: Option<bool>,
    /// User pools + clients as providers.
    pub cognito_providers: Option<Vec<CognitoProvider>>,
    pub openid_connect_provider_arns: Option<Vec<String>>,
    pub saml_provider_arns: Option<Vec<String>>,
    /// Social providers: domain -> app id.
    pub supported_login_providers: Option<BTreeMap<String, String>>,
    pub developer_provider_name: Option<String>,
    pub roles: Option<IdentityPoolRoles>,
    /// Provider name (e.g. `cognito-idp.REGION.amazonaws.com/POOL_ID:CLIENT_ID`) -> mapping.
    pub role_mappings: Option<BTreeMap<String, RoleMapping>>,
    pub tags: Option<BTreeMap<String, String>>,
}

/// A Cognito provider of an identity pool.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CognitoProvider {
    /// `${user_pools.NAME.provider_name}` or a literal `cognito-idp.REGION.amazonaws.com/POOL_ID`.
    pub provider_name: String,
    /// `${user_pools.NAME.clients.CLIENT.id}` (a client of that same pool) or a literal id.
    pub client_id: String,
    pub server_side_token_check: Option<bool>,
}

/// Roles of an identity pool.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityPoolRoles {
    pub authenticated: Option<String>,
    pub unauthenticated: Option<String>,
}

/// Role mapping type.
#[derive(Debug, Deserialize, JsonSchema)]
pub enum RoleMappingType {
    Token,
    Rules,
}

/// A role mapping of a provider.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleMapping {
    #[serde(rename = "type")]
    pub type_: RoleMappingType,
    /// `AuthenticatedRole` or `Deny`.
    pub ambiguous_role_resolution: Option<String>,
    pub rules: Option<Vec<RoleMappingRule>>,
}

/// A rule of a `Rules` role mapping.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleMappingRule {
    pub claim: String,
    /// `Equals`, `Contains`, `StartsWith`, `NotEqual`.
    pub match_type: String,
    pub value: String,
    pub role_arn: String,
}

/// IAM Identity Center.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityCenter {
    /// `auto` (the account's only instance, the default) or an instance ARN.
    pub instance: Option<String>,
    /// The region of IAM Identity Center (its home region), where its instance, trusted token
    /// issuers, applications and Identity Store are called; default: the stack's `region`.
    pub region: Option<String>,
    /// Trusted token issuers by logical name (at most 10).
    pub trusted_token_issuers: Option<BTreeMap<String, TrustedTokenIssuer>>,
    /// Applications by logical name.
    pub applications: Option<BTreeMap<String, Application>>,
}

/// A trusted token issuer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustedTokenIssuer {
    /// Pin an existing issuer by ARN.
    pub arn: Option<String>,
    /// Name (defaults to the logical name; unique per instance): ASCII letters, digits and
    /// `_ + = , . @ -`.
    pub name: Option<String>,
    pub oidc_jwt: OidcJwt,
    pub tags: Option<BTreeMap<String, String>>,
}

/// OIDC JWT issuer configuration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OidcJwt {
    /// Issuer URL, e.g. `${user_pools.blog.issuer_url}` (not updatable).
    pub issuer_url: String,
    /// Token claim identifying the user: letters, up to three words joined by `.` or `_`, e.g.
    /// `email` or `sub` (not `cognito:username`: no `:`, digits or `-`).
    pub claim_attribute_path: String,
    /// Identity store attribute it matches: `emails.value`, `userName` or `externalIds.id`.
    pub identity_store_attribute_path: String,
    /// `OPEN_ID_DISCOVERY`.
    pub jwks_retrieval_option: Option<String>,
}

/// An application: customer-managed OAuth (created), or referenced by `arn` alone (e.g. a SAML
/// application, which the API cannot create) to manage its assignments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The application ARN: pins a managed application, or alone references an existing one.
    pub arn: Option<String>,
    /// Name (defaults to the logical name).
    pub name: Option<String>,
    pub description: Option<String>,
    /// Enabled (default true).
    pub enabled: Option<bool>,
    pub portal: Option<Portal>,
    pub tags: Option<BTreeMap<String, String>>,
    /// Whether users need an assignment (AWS default true for a new application).
    pub assignment_required: Option<bool>,
    pub grants: Option<Grants>,
    /// Access scopes (at most 25): a scope, or `{scope, authorized_targets}`.
    pub access_scopes: Option<Vec<AccessScope>>,
    pub authentication_methods: Option<AuthenticationMethods>,
    pub assignments: Option<Assignments>,
}

/// Portal options.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Portal {
    /// Show in the AWS access portal.
    pub visible: Option<bool>,
    /// `IDENTITY_CENTER` or `APPLICATION`.
    pub sign_in_origin: Option<String>,
    /// URL opened when `sign_in_origin: APPLICATION`.
    pub application_url: Option<String>,
}

/// Grants of an application, by type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grants {
    pub authorization_code: Option<AuthorizationCodeGrant>,
    pub refresh_token: Option<EmptyGrant>,
    /// Authorized token issuers and their audiences.
    pub jwt_bearer: Option<Vec<JwtBearerIssuer>>,
    pub token_exchange: Option<EmptyGrant>,
}

/// Authorization code grant.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorizationCodeGrant {
    pub redirect_uris: Vec<String>,
}

/// A grant without settings (`{}`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmptyGrant {}

/// One authorized token issuer of a JWT bearer grant.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JwtBearerIssuer {
    /// `${identity_center.trusted_token_issuers.NAME.arn}` or an ARN.
    pub issuer: String,
    /// Audiences (`aud` claim), e.g. `${user_pools.blog.clients.tti.id}`.
    pub audiences: Vec<String>,
}

/// An access scope.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AccessScope {
    Scope(String),
    Detailed {
        scope: String,
        /// Application ARNs allowed to use it.
        authorized_targets: Option<Vec<String>>,
    },
}

/// Authentication methods.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthenticationMethods {
    pub iam: Option<IamAuthentication>,
}

/// IAM authentication with an actor policy.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IamAuthentication {
    /// IAM policy document, as YAML or as a JSON string.
    pub actor_policy: serde_json::Value,
}

/// Assignments of identity store principals.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignments {
    /// User names.
    pub users: Option<Vec<String>>,
    /// Group display names.
    pub groups: Option<Vec<String>>,
}

/// The identity store.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityStore {
    /// Users by logical name.
    pub users: Option<BTreeMap<String, StoreUser>>,
    /// Groups by logical name.
    pub groups: Option<BTreeMap<String, StoreGroup>>,
}

/// An identity store user.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreUser {
    /// UserName (defaults to the logical name).
    pub user_name: Option<String>,
    pub display_name: String,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
}

/// An identity store group.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreGroup {
    /// DisplayName (defaults to the logical name).
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// User names of members.
    pub members: Option<Vec<String>>,
}

/// The JSON Schema of a stack, pretty-printed, ending with a newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Stack);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}
