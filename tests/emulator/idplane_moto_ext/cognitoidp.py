"""cognito-idp: AWS's full-replace update semantics, resource server update/delete and tags.

- UpdateUserPool resets every updatable field left out of the request to its default (moto does
  that; the extension adds the defaults of DeletionProtection and UserPoolTier) and keeps the
  create-only fields AliasAttributes, UsernameAttributes, UsernameConfiguration and the schema
  (moto dropped the first three). `PoolName` renames the pool (moto ignored it).
- CreateUserPool / UpdateUserPool: `UserPoolTier` defaults to ESSENTIALS; a LITE pool refuses
  `PasswordHistorySize` and a `SignInPolicy` (FeatureUnavailableInTierException).
- The legacy EmailVerificationMessage / EmailVerificationSubject / SmsVerificationMessage and
  VerificationMessageTemplate hold the same texts: each side left out is copied from the other,
  and a request giving both with different texts is refused.
- SetUserPoolMfaConfig refuses MfaConfiguration=OFF together with an SMS or email MFA
  configuration.
- UpdateGroup changes only the members given (moto does that); a RoleArn shorter than 20
  characters is refused.
- UpdateUserPoolClient resets every field left out to its default (moto merged the request into
  the old client). Clients created or updated without ExplicitAuthFlows get AWS's default flows.
- UpdateResourceServer replaces name and scopes (scopes left out: none); DeleteResourceServer.
- UserPoolTags are kept on create and returned by DescribeUserPool; TagResource, UntagResource and
  ListTagsForResource work on user pool ARNs.
- GetSigningCertificate (moto has none): the pool's SAML signing certificate, a self-signed RSA
  X.509 certificate made on first request and kept with the pool (the same answer every time),
  returned as base64 DER in `Certificate`.
- Pre token generation: `LambdaConfig.PreTokenGeneration` and
  `PreTokenGenerationConfig.LambdaArn` must be equal when both are set (InvalidParameterException
  otherwise); either one alone sets the other (a plain trigger is `LambdaVersion` V1_0).
- `IssuerConfiguration` (`Type` ORIGINAL or UPDATED) is kept; a create or a full-replace update
  without it gives ORIGINAL, and DescribeUserPool always returns it.
- Identity providers: OIDC endpoints (`authorize_url`, `token_url`, `attributes_url`, `jwks_uri`,
  and `attributes_url_add_attributes`) are "discovered" from `oidc_issuer` unless the request
  sends them; SAML providers get the computed `ActiveEncryptionCertificate` and, from the
  metadata file, `SSORedirectBindingURI` / `SLORedirectBindingURI`. Those three keys are
  read-only: a create or update that sends one is refused.
- ListUsers refuses a `Limit` above 60 (or below 0) with AWS's InvalidParameterException; moto
  answered every user.

Reference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/
"""

import copy
import json
from typing import Any, Dict

from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import unix_time, utcnow

from .common import AwsError, add_methods, params

# CreateUserPool members that UpdateUserPool does not take (botocore's model of the API).
POOL_CREATE_ONLY = ("AliasAttributes", "UsernameAttributes", "UsernameConfiguration", "Schema")
# What a client has when a create or a full-replace update leaves the member out.
CLIENT_DEFAULTS: Dict[str, Any] = {
    "AllowedOAuthFlowsUserPoolClient": False,
    "AuthSessionValidity": 3,
    "EnablePropagateAdditionalUserContextData": False,
    "EnableTokenRevocation": True,
    "RefreshTokenValidity": 30,
    # "If you don't specify a value for ExplicitAuthFlows, your app client supports
    # ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH, and ALLOW_CUSTOM_AUTH." (UserPoolClientType)
    "ExplicitAuthFlows": ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
}


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidParameterException", message)


def _not_found(message: str) -> AwsError:
    return AwsError("ResourceNotFoundException", message)


def _require(p: Dict[str, Any], *names: str) -> None:
    for name in names:
        if p.get(name) in (None, ""):
            raise _invalid(f"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null")


def _pool(self: Any, pool_id: str) -> Any:
    pool = self.backend.user_pools.get(pool_id)
    if pool is None:
        raise _not_found(f"User pool {pool_id} does not exist.")
    return pool


# UpdateUserPool / CreateUserPool members AWS fills in when they are left out, beyond moto's.
POOL_DEFAULTS: Dict[str, Any] = {
    "DeletionProtection": "INACTIVE",
    # "Defaults to ESSENTIALS." (botocore cognito-idp CreateUserPoolRequest.UserPoolTier)
    "UserPoolTier": "ESSENTIALS",
}
# Legacy verification members -> the VerificationMessageTemplate key holding the same text.
LEGACY_VERIFICATION = {
    "EmailVerificationMessage": "EmailMessage",
    "EmailVerificationSubject": "EmailSubject",
    "SmsVerificationMessage": "SmsMessage",
}
# moto's template for a pool created without one (DEFAULT_USER_POOL_CONFIG).
DEFAULT_VERIFICATION_TEMPLATE = {
    "SmsMessage": "Your verification code is {####}. ",
    "EmailMessage": "Your verification code is {####}. ",
    "EmailSubject": "Your verification code",
    "DefaultEmailOption": "CONFIRM_WITH_CODE",
}


def _unavailable_in_tier(message: str) -> AwsError:
    return AwsError("FeatureUnavailableInTierException", message)


def _tier_and_texts(request: Dict[str, Any]) -> Dict[str, Any]:
    """The request as AWS stores it: tier rules checked, legacy verification texts in step."""
    request = copy.deepcopy(request)
    tier = request.get("UserPoolTier") or POOL_DEFAULTS["UserPoolTier"]
    policies = request.get("Policies") or {}
    if tier == "LITE":
        if (policies.get("PasswordPolicy") or {}).get("PasswordHistorySize") is not None:
            raise _unavailable_in_tier(
                "PasswordHistorySize is not available in the LITE feature plan."
            )
        if policies.get("SignInPolicy") is not None:
            raise _unavailable_in_tier("SignInPolicy is not available in the LITE feature plan.")
    template = request.get("VerificationMessageTemplate")
    legacy = {k: request[k] for k in LEGACY_VERIFICATION if request.get(k) is not None}
    if template is None and legacy:
        template = dict(DEFAULT_VERIFICATION_TEMPLATE)
        for key, value in legacy.items():
            template[LEGACY_VERIFICATION[key]] = value
        request["VerificationMessageTemplate"] = template
    elif template is not None:
        for key, value in legacy.items():
            if template.get(LEGACY_VERIFICATION[key]) not in (None, value):
                raise _invalid(
                    f"{key} and VerificationMessageTemplate.{LEGACY_VERIFICATION[key]} differ; "
                    "they set the same text."
                )
    for key, value in POOL_DEFAULTS.items():
        request.setdefault(key, value)
    return request


def update_user_pool(self: Any) -> str:
    p = params(self)
    _require(p, "UserPoolId")
    pool = _pool(self, p["UserPoolId"])
    old = pool.extended_config
    request = _tier_and_texts(
        {k: v for k, v in p.items() if k not in ("UserPoolId", "PoolName")}
    )
    if p.get("PoolName"):
        # UpdateUserPool renames the pool (moto ignored PoolName).
        pool.name = p["PoolName"]
    keep = {k: old[k] for k in POOL_CREATE_ONLY if k in old}
    if "UserPoolTags" not in request and "UserPoolTags" in old:
        # Tags are managed by TagResource too; an update that names none leaves them.
        keep["UserPoolTags"] = old["UserPoolTags"]
    _check_pool_request(request)
    pool.update_extended_config(request)
    pool.extended_config.update(keep)
    pool.mfa_config = request.get("MfaConfiguration") or "OFF"
    pool.last_modified_date = utcnow()
    return "{}"


PRE_TOKEN_VERSIONS = ("V1_0", "V2_0", "V3_0")
ISSUER_TYPES = ("ORIGINAL", "UPDATED")


def _check_pool_request(request: Dict[str, Any]) -> None:
    """Checks the pre-token trigger and the issuer type of a Create/UpdateUserPool request and
    fills in what AWS fills in (in place): the other half of the pre-token trigger, and
    `IssuerConfiguration` ORIGINAL when left out."""
    lc = request.get("LambdaConfig")
    if isinstance(lc, dict):
        plain = lc.get("PreTokenGeneration")
        config = lc.get("PreTokenGenerationConfig")
        if config is not None:
            if not isinstance(config, dict) or not config.get("LambdaArn"):
                raise _invalid("1 validation error detected: Value null at 'lambdaConfig.preTokenGenerationConfig.lambdaArn' failed to satisfy constraint: Member must not be null")
            version = config.get("LambdaVersion")
            if version not in PRE_TOKEN_VERSIONS:
                raise _invalid(f"1 validation error detected: Value '{version}' at 'lambdaConfig.preTokenGenerationConfig.lambdaVersion' failed to satisfy constraint: Member must satisfy enum value set: [V1_0, V2_0, V3_0]")
            if plain is not None and plain != config["LambdaArn"]:
                raise _invalid("PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be identical when both are set.")
            lc["PreTokenGeneration"] = config["LambdaArn"]
        elif plain:
            lc["PreTokenGenerationConfig"] = {"LambdaArn": plain, "LambdaVersion": "V1_0"}
    issuer = request.get("IssuerConfiguration")
    if issuer is None:
        request["IssuerConfiguration"] = {"Type": "ORIGINAL"}
    elif not isinstance(issuer, dict) or issuer.get("Type", "ORIGINAL") not in ISSUER_TYPES:
        kind = issuer.get("Type") if isinstance(issuer, dict) else issuer
        raise _invalid(f"1 validation error detected: Value '{kind}' at 'issuerConfiguration.type' failed to satisfy constraint: Member must satisfy enum value set: [ORIGINAL, UPDATED]")
    else:
        request["IssuerConfiguration"] = {"Type": issuer.get("Type", "ORIGINAL")}


def create_user_pool(self: Any) -> ActionResult:
    p = params(self)
    _require(p, "PoolName")
    name = p.pop("PoolName")
    _check_pool_request(p)
    pool = self.backend.create_user_pool(name, p)
    return ActionResult({"UserPool": pool.to_json(extended=True)})


# ProviderDetails keys AWS computes for a SAML IdP and refuses in a create or update.
SAML_READ_ONLY_DETAILS = ("ActiveEncryptionCertificate", "SSORedirectBindingURI", "SLORedirectBindingURI")
# OIDC endpoints the emulator "discovers" from oidc_issuer: key -> path under the issuer.
OIDC_DISCOVERED = (
    ("authorize_url", "/authorize"),
    ("token_url", "/token"),
    ("attributes_url", "/userinfo"),
    ("jwks_uri", "/.well-known/jwks.json"),
)


def _saml_redirect_locations(metadata: str) -> Dict[str, str]:
    """SSORedirectBindingURI / SLORedirectBindingURI from the HTTP-Redirect services of a SAML
    metadata document (none when it has none or does not parse)."""
    import xml.etree.ElementTree as ET

    out: Dict[str, str] = {}
    try:
        root = ET.fromstring(metadata)
    except ET.ParseError:
        return out
    for elem in root.iter():
        tag = elem.tag.rsplit("}", 1)[-1]
        binding = elem.get("Binding") or ""
        location = elem.get("Location")
        if not location or not binding.endswith("HTTP-Redirect"):
            continue
        if tag == "SingleSignOnService":
            out.setdefault("SSORedirectBindingURI", location)
        elif tag == "SingleLogoutService":
            out.setdefault("SLORedirectBindingURI", location)
    return out


def _provider_details(ptype: Any, details: Dict[str, Any], old: Dict[str, Any], pool_id: str) -> Dict[str, Any]:
    """ProviderDetails as Cognito stores them: the request's, plus what Cognito computes."""
    for key in SAML_READ_ONLY_DETAILS:
        if key in details:
            raise _invalid(f"{key} is a read-only provider detail and cannot be set.")
    out = dict(details)
    if ptype == "OIDC" and out.get("oidc_issuer"):
        issuer = str(out["oidc_issuer"]).rstrip("/")
        for key, path in OIDC_DISCOVERED:
            out.setdefault(key, issuer + path)
        out.setdefault("attributes_url_add_attributes", "false")
    elif ptype == "SAML":
        cert = old.get("ActiveEncryptionCertificate") or _make_signing_certificate(f"{pool_id} encryption")
        out["ActiveEncryptionCertificate"] = cert
        if out.get("MetadataFile"):
            out.update(_saml_redirect_locations(str(out["MetadataFile"])))
    return out


def create_identity_provider(self: Any) -> ActionResult:
    p = params(self)
    _require(p, "UserPoolId", "ProviderName", "ProviderType", "ProviderDetails")
    pool = _pool(self, p["UserPoolId"])
    name = p["ProviderName"]
    if name in pool.identity_providers:
        raise AwsError("DuplicateProviderException", f"A provider with the name {name} already exists in this user pool.")
    # IdentityProviderType carries UserPoolId; the name is the provider's own attribute.
    config = {k: v for k, v in p.items() if k != "ProviderName"}
    config["ProviderDetails"] = _provider_details(p["ProviderType"], p["ProviderDetails"], {}, pool.id)
    idp = self.backend.create_identity_provider(pool.id, name, config)
    return ActionResult({"IdentityProvider": idp.to_json(extended=True)})


def update_identity_provider(self: Any) -> ActionResult:
    p = params(self)
    _require(p, "UserPoolId", "ProviderName")
    pool = _pool(self, p["UserPoolId"])
    idp = pool.identity_providers.get(p["ProviderName"])
    if idp is None:
        raise _not_found(f"Identity provider {p['ProviderName']} does not exist.")
    config = {k: v for k, v in p.items() if k != "ProviderName"}
    if "ProviderDetails" in config:
        old = idp.extended_config.get("ProviderDetails") or {}
        config["ProviderDetails"] = _provider_details(
            idp.extended_config.get("ProviderType"), config["ProviderDetails"] or {}, old, pool.id
        )
    idp.extended_config.update(config)
    idp.last_modified_date = utcnow()
    return ActionResult({"IdentityProvider": idp.to_json(extended=True)})


def set_user_pool_mfa_config(self: Any) -> Any:
    p = params(self)
    if p.get("MfaConfiguration") == "OFF" and (
        p.get("SmsMfaConfiguration") is not None or p.get("EmailMfaConfiguration") is not None
    ):
        # AWS's answer, quoted by terraform-provider-aws (cognitoidp/user_pool.go).
        raise _invalid(
            "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
        )
    return _ORIGINAL["set_user_pool_mfa_config"](self)


def update_group(self: Any) -> Any:
    p = params(self)
    role_arn = p.get("RoleArn")
    if role_arn is not None and not 20 <= len(role_arn) <= 2048:
        raise _invalid(
            f"1 validation error detected: Value '{role_arn}' at 'roleArn' failed to satisfy "
            "constraint: Member must have length greater than or equal to 20"
        )
    return _ORIGINAL["update_group"](self)


def list_users(self: Any) -> Any:
    """ListUsers: `Limit` 0-60 (botocore `QueryLimitType`); more is refused with AWS's message
    (as quoted in boto/boto3#1356), where moto answered every user. The users, their
    `Attributes` (`sub` included) and the `PaginationToken` are moto's."""
    p = params(self)
    limit = p.get("Limit")
    if limit is not None and limit > 60:
        raise _invalid(
            f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
            "constraint: Member must have value less than or equal to 60"
        )
    if limit is not None and limit < 0:
        raise _invalid(
            f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
            "constraint: Member must have value greater than or equal to 0"
        )
    return _ORIGINAL["list_users"](self)


_ORIGINAL: Dict[str, Any] = {}


def update_user_pool_client(self: Any) -> ActionResult:
    p = params(self)
    _require(p, "UserPoolId", "ClientId")
    pool = _pool(self, p["UserPoolId"])
    client = pool.clients.get(p["ClientId"])
    if client is None:
        raise _not_found(f"Client {p['ClientId']} does not exist.")
    config = copy.deepcopy(CLIENT_DEFAULTS)
    config.update({k: v for k, v in p.items() if k not in ("UserPoolId", "ClientId")})
    if "ClientName" not in config and client.extended_config.get("ClientName"):
        config["ClientName"] = client.extended_config["ClientName"]
    client.extended_config = config
    return ActionResult({"UserPoolClient": client.to_json(extended=True)})


def update_resource_server(self: Any) -> ActionResult:
    p = params(self)
    _require(p, "UserPoolId", "Identifier", "Name")
    pool = _pool(self, p["UserPoolId"])
    server = pool.resource_servers.get(p["Identifier"])
    if server is None:
        raise _not_found(f"Resource server {p['Identifier']} does not exist.")
    scopes = p.get("Scopes") or []
    names = [s.get("ScopeName") for s in scopes]
    if len(set(names)) != len(names):
        raise _invalid("Scope names must be unique within a resource server.")
    server.name = p["Name"]
    server.scopes = scopes
    return ActionResult({"ResourceServer": server.to_json()})


def delete_resource_server(self: Any) -> EmptyResult:
    p = params(self)
    _require(p, "UserPoolId", "Identifier")
    pool = _pool(self, p["UserPoolId"])
    if pool.resource_servers.pop(p["Identifier"], None) is None:
        raise _not_found(f"Resource server {p['Identifier']} does not exist.")
    return EmptyResult()


def _pool_by_arn(self: Any, arn: Any) -> Any:
    if not isinstance(arn, str) or ":userpool/" not in arn:
        raise _invalid(f"Invalid resource ARN {arn}")
    for pool in self.backend.user_pools.values():
        if pool.arn == arn:
            return pool
    raise _not_found(f"User pool {arn.rsplit('/', 1)[-1]} does not exist.")


def tag_resource(self: Any) -> str:
    p = params(self)
    _require(p, "ResourceArn", "Tags")
    pool = _pool_by_arn(self, p["ResourceArn"])
    tags = dict(pool.extended_config.get("UserPoolTags") or {})
    tags.update(p["Tags"])
    if len(tags) > 50:
        raise _invalid("A user pool can have at most 50 tags.")
    pool.extended_config["UserPoolTags"] = tags
    return "{}"


def untag_resource(self: Any) -> str:
    p = params(self)
    _require(p, "ResourceArn")
    pool = _pool_by_arn(self, p["ResourceArn"])
    tags = dict(pool.extended_config.get("UserPoolTags") or {})
    for key in p.get("TagKeys") or []:
        tags.pop(key, None)
    pool.extended_config["UserPoolTags"] = tags
    return "{}"


def list_tags_for_resource(self: Any) -> str:
    p = params(self)
    _require(p, "ResourceArn")
    pool = _pool_by_arn(self, p["ResourceArn"])
    return json.dumps({"Tags": dict(pool.extended_config.get("UserPoolTags") or {})})


_CERT_KEY: list = []


def _certificate_key() -> Any:
    """The RSA 2048 key of the emulator's certificates, made once per process (speed only: each
    certificate stays distinct by its subject and serial, and nothing reads its key)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    if not _CERT_KEY:
        _CERT_KEY.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    return _CERT_KEY[0]


def _make_signing_certificate(pool_id: str) -> str:
    """A self-signed RSA 2048 certificate for the pool, as base64 DER (no PEM armour)."""
    import base64
    import datetime
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    key = _certificate_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, pool_id),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "idplane emulator"),
        ]
    )
    serial = int.from_bytes(hashlib.sha256(pool_id.encode()).digest()[:16], "big") >> 1
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial or 1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def get_signing_certificate(self: Any) -> str:
    p = params(self)
    _require(p, "UserPoolId")
    pool = _pool(self, p["UserPoolId"])
    cert = pool.__dict__.get("_idplane_signing_certificate")
    if cert is None:
        cert = _make_signing_certificate(pool.id)
        pool.__dict__["_idplane_signing_certificate"] = cert
    return json.dumps({"Certificate": cert})


class _PoolKeyOnce:
    """`joserfc.jwk` as moto's user pool sees it, with `RSAKey.import_key` of one key document
    done once. Speed only, no behaviour: every moto pool imports the same private key from
    moto's resource file (`cognitoidp/resources/jwks-private.json`), and each import recovers
    its RSA primes, 0.1-0.5 s of CPU per CreateUserPool."""

    def __init__(self, jwk: Any) -> None:
        self._jwk = jwk
        self._keys: Dict[str, Any] = {}
        outer = self

        class RSAKey(jwk.RSAKey):  # type: ignore[misc, name-defined]
            @classmethod
            def import_key(cls, value: Any, *args: Any, **kwargs: Any) -> Any:
                if not isinstance(value, dict) or args or kwargs:
                    return jwk.RSAKey.import_key(value, *args, **kwargs)
                doc = json.dumps(value, sort_keys=True)
                if doc not in outer._keys:
                    outer._keys[doc] = jwk.RSAKey.import_key(value)
                return outer._keys[doc]

        self.RSAKey = RSAKey

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jwk, name)


def _import_pool_key_once() -> None:
    import moto.cognitoidp.models as models

    if not isinstance(models.jwk, _PoolKeyOnce):
        models.jwk = _PoolKeyOnce(models.jwk)


def install() -> None:
    from moto.cognitoidp.models import CognitoIdpUserPool, CognitoIdpUserPoolClient
    from moto.cognitoidp.responses import CognitoIdpResponse

    original_pool_init = CognitoIdpUserPool.__init__

    def pool_init(self: Any, account_id: str, region: str, name: str, config: Any) -> None:
        original_pool_init(self, account_id, region, name, _tier_and_texts(config or {}))

    CognitoIdpUserPool.__init__ = pool_init
    _import_pool_key_once()
    _ORIGINAL["set_user_pool_mfa_config"] = CognitoIdpResponse.set_user_pool_mfa_config
    _ORIGINAL["update_group"] = CognitoIdpResponse.update_group
    _ORIGINAL["list_users"] = CognitoIdpResponse.list_users

    original_init = CognitoIdpUserPoolClient.__init__

    def client_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        for key, value in CLIENT_DEFAULTS.items():
            self.extended_config.setdefault(key, copy.deepcopy(value))
        # AWS's UserPoolClientType has CreationDate (botocore); moto 5.2.5 returns none.
        self._idplane_created = unix_time()

    CognitoIdpUserPoolClient.__init__ = client_init
    original_client_json = CognitoIdpUserPoolClient.to_json

    def client_json(self: Any, extended: bool = False) -> Dict[str, Any]:
        out = original_client_json(self, extended)
        if extended and getattr(self, "_idplane_created", None) is not None:
            out["CreationDate"] = self._idplane_created
        return out

    CognitoIdpUserPoolClient.to_json = client_json

    add_methods(
        CognitoIdpResponse,
        {
            "create_user_pool": create_user_pool,
            "update_user_pool": update_user_pool,
            "create_identity_provider": create_identity_provider,
            "update_identity_provider": update_identity_provider,
            "set_user_pool_mfa_config": set_user_pool_mfa_config,
            "update_group": update_group,
            "update_user_pool_client": update_user_pool_client,
            "update_resource_server": update_resource_server,
            "delete_resource_server": delete_resource_server,
            "tag_resource": tag_resource,
            "untag_resource": untag_resource,
            "list_tags_for_resource": list_tags_for_resource,
            "get_signing_certificate": get_signing_certificate,
            "list_users": list_users,
        },
    )
