"""sso-oidc `CreateTokenWithIAM` for the JWT bearer grant (moto has no sso-oidc at all): the token
exchange of trusted identity propagation, checking every link AWS checks.

moto routes requests to a service by the signing name of their credential scope; `sso-oauth`
(botocore sso-oidc `signingName`) is none of its services, so `wrap` puts a WSGI layer in front of
moto's server that answers `POST /token?aws_iam=t` signed for `sso-oauth` and passes everything
else on. Shapes and error codes follow botocore's sso-oidc model (2019-06-10): errors carry
`error` and `error_description` in the body and their shape name in `x-amzn-ErrorType`.
"""

import json
import re
import threading
import time
import uuid
from typing import Any, Dict, List, Optional, Tuple

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CONTEXT_PROVIDER = "arn:aws:iam::aws:contextProvider/IdentityCenter"
_KEY = re.compile(r"^IDPLTEST(\d{12})$")
_COGNITO_ISSUER = re.compile(
    r"^https://(?:issuer-)?cognito-idp\.([a-z0-9-]+)\.amazonaws\.com/([\w-]+_[0-9A-Za-z]+)$"
)
_LOCK = threading.RLock()
# Identity contexts issued: (account, context) -> what it asserts (user id, application, expiry).
CONTEXTS: Dict[Tuple[str, str], Dict[str, Any]] = {}


class OidcError(Exception):
    def __init__(self, shape: str, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.shape = shape
        self.error = error
        self.description = description
        self.status = status


def invalid_grant(description: str) -> OidcError:
    return OidcError("InvalidGrantException", "invalid_grant", description)


def access_denied(description: str) -> OidcError:
    return OidcError("AccessDeniedException", "access_denied", description)


def _account_and_region(environ: Dict[str, Any]) -> Tuple[str, str]:
    account = environ.get("HTTP_X_MOTO_ACCOUNT_ID")
    auth = environ.get("HTTP_AUTHORIZATION", "")
    region = "us-east-1"
    try:
        scope = auth.split(",")[0].split()[1].split("=", 1)[1]
        key, _, region, _, _ = scope.split("/")
    except (IndexError, ValueError):
        key = ""
    if not account:
        match = _KEY.match(key)
        account = match.group(1) if match else "123456789012"
    return account, region


def wrap(app: Any) -> Any:
    """The WSGI app answering sso-oidc token requests, moto's server for everything else."""

    def middleware(environ: Dict[str, Any], start_response: Any) -> Any:
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if environ.get("PATH_INFO") == "/token" and "/sso-oauth/aws4_request" in auth:
            return _answer(environ, start_response)
        return app(environ, start_response)

    return middleware


def _answer(environ: Dict[str, Any], start_response: Any) -> Any:
    from werkzeug.wrappers import Request

    request = Request(environ)
    try:
        if request.args.get("aws_iam") != "t":
            raise OidcError(
                "InvalidRequestException", "invalid_request", "only CreateTokenWithIAM is emulated"
            )
        body = json.loads(request.get_data(as_text=True) or "{}")
        account, region = _account_and_region(environ)
        with _LOCK:
            out = create_token_with_iam(account, region, body)
        status, payload, headers = 200, out, []
    except OidcError as e:
        status = e.status
        payload = {"error": e.error, "error_description": e.description}
        headers = [("x-amzn-ErrorType", e.shape)]
    data = json.dumps(payload).encode()
    start_response(
        f"{status} {'OK' if status == 200 else 'Error'}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(data)))] + headers,
    )
    return [data]


def _sso_state(account: str, region: str) -> Any:
    from moto.ssoadmin.models import ssoadmin_backends

    from .common import state_of
    from .ssoadmin import SsoState

    backend = ssoadmin_backends[account][region]
    return backend, state_of(backend, "sso", SsoState)


def _policy_allows(policy: Any, account: str) -> bool:
    """Whether an actor policy allows sso-oauth:CreateTokenWithIAM to the account."""
    if isinstance(policy, str):
        policy = json.loads(policy)
    statements = policy.get("Statement", []) if isinstance(policy, dict) else []
    if isinstance(statements, dict):
        statements = [statements]

    def many(v: Any) -> List[str]:
        return [v] if isinstance(v, str) else list(v or [])

    def action_ok(a: str) -> bool:
        pattern = "^" + re.escape(a).replace(r"\*", ".*").replace(r"\?", ".") + "$"
        return re.match(pattern, "sso-oauth:CreateTokenWithIAM", re.IGNORECASE) is not None

    def principal_ok(p: str) -> bool:
        return p in ("*", account) or (p.startswith("arn:") and p.split(":")[4:5] == [account])

    allowed = False
    for s in statements:
        if not any(action_ok(a) for a in many(s.get("Action"))):
            continue
        principal = s.get("Principal")
        names = many(principal) if isinstance(principal, str) else many((principal or {}).get("AWS"))
        if any(principal_ok(p) for p in names):
            if s.get("Effect") == "Deny":
                return False
            if s.get("Effect") == "Allow":
                allowed = True
    return allowed


def _verify_assertion(account: str, assertion: str) -> Tuple[Dict[str, Any], Any]:
    """The claims of a Cognito token whose signature checks against its pool's JWKS."""
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.utilities.utils import load_resource

    try:
        unverified = json.loads(
            _b64(assertion.split(".")[1]).decode("utf-8")
        )
    except Exception:
        raise invalid_grant("The assertion is not a JWT") from None
    iss = unverified.get("iss", "")
    match = _COGNITO_ISSUER.match(iss)
    pool = None
    if match:
        region, pool_id = match.groups()
        pool = cognitoidp_backends[account][region].user_pools.get(pool_id)
    if pool is None:
        raise invalid_grant(f"No JWKS for the issuer {iss}")
    keys = KeySet.import_key_set(load_resource("cognitoidp/resources/jwks-public.json"))
    try:
        token = jwt.decode(assertion, keys, algorithms=["RS256"])
    except (JoseError, ValueError) as e:
        raise invalid_grant(f"The assertion's signature is not valid: {e}") from None
    claims = dict(token.claims)
    if int(claims.get("exp", 0)) < int(time.time()):
        raise invalid_grant("The assertion has expired")
    return claims, pool


def _b64(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _claim(claims: Dict[str, Any], path: str) -> Optional[str]:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, str) else None


def _find_user(account: str, region: str, store_id: str, path: str, value: str) -> Optional[Any]:
    from moto.identitystore.models import identitystore_backends

    store = identitystore_backends[account][region].identity_stores.get(store_id)
    if store is None:
        return None
    for user in store.users.values():
        if path == "userName" and user.UserName == value:
            return user
        if path == "emails.value" and any(e.get("Value") == value for e in user.Emails or []):
            return user
        if path == "externalIds.value":
            ids = getattr(user, "ExternalIds", None) or []
            if any(x.get("Id") == value for x in ids):
                return user
    return None


def _assigned(account: str, region: str, store_id: str, app: Any, user_id: str) -> bool:
    if ("USER", user_id) in app.assignments:
        return True
    from moto.identitystore.models import identitystore_backends

    store = identitystore_backends[account][region].identity_stores.get(store_id)
    groups = set()
    for m in (store.group_memberships.values() if store else []):
        if (m.get("MemberId") or {}).get("UserId") == user_id:
            groups.add(m.get("GroupId"))
    return any(("GROUP", g) in app.assignments for g in groups)


def create_token_with_iam(account: str, region: str, p: Dict[str, Any]) -> Dict[str, Any]:
    for name in ("clientId", "grantType"):
        if not p.get(name):
            raise OidcError(
                "InvalidRequestException", "invalid_request", f"{name} is required"
            )
    if p["grantType"] != JWT_BEARER:
        raise OidcError(
            "UnsupportedGrantTypeException",
            "unsupported_grant_type",
            f"The emulator models only {JWT_BEARER}",
        )
    if not p.get("assertion"):
        raise OidcError("InvalidRequestException", "invalid_request", "assertion is required")
    backend, st = _sso_state(account, region)
    app = st.apps.get(p["clientId"])
    if app is None:
        raise OidcError("InvalidClientException", "invalid_client", "Invalid client", 401)
    # The caller's IAM identity: the application's IAM authentication method must allow it.
    method = app.auth_methods.get("IAM")
    if method is None or not _policy_allows(method["Iam"]["ActorPolicy"], account):
        raise access_denied(
            "The caller is not allowed to call CreateTokenWithIAM for this application"
        )
    if app.status != "ENABLED":
        raise access_denied("The application is disabled")
    grant = (app.grants.get(JWT_BEARER) or {}).get("JwtBearer")
    if grant is None:
        raise OidcError(
            "UnauthorizedClientException",
            "unauthorized_client",
            "The application has no JWT bearer grant",
        )
    claims, _pool = _verify_assertion(account, p["assertion"])
    iss = claims.get("iss")
    issuers = grant.get("AuthorizedTokenIssuers") or []
    entry, tti = None, None
    for i in issuers:
        t = st.ttis.get(i.get("TrustedTokenIssuerArn"))
        if t and t["TrustedTokenIssuerConfiguration"]["OidcJwtConfiguration"]["IssuerUrl"] == iss:
            entry, tti = i, t
            break
    if tti is None:
        raise invalid_grant(f"The issuer {iss} is not a trusted token issuer of the application")
    aud = claims.get("aud")
    if aud not in (entry.get("AuthorizedAudiences") or []):
        raise invalid_grant(f"The audience {aud} is not authorized for the issuer")
    oidc = tti["TrustedTokenIssuerConfiguration"]["OidcJwtConfiguration"]
    value = _claim(claims, oidc["ClaimAttributePath"])
    if value is None:
        raise invalid_grant(f"The assertion has no claim {oidc['ClaimAttributePath']}")
    instance = next(i for i in backend.instances if i.instance_arn == app.instance_arn)
    store_id = instance.identity_store_id
    user = _find_user(account, region, store_id, oidc["IdentityStoreAttributePath"], value)
    if user is None:
        raise invalid_grant("No Identity Store user matches the assertion")
    if app.assignment_required and not _assigned(account, region, store_id, app, user.UserId):
        raise access_denied("The user is not assigned to the application")
    requested = p.get("scope")
    available = sorted(app.scopes)
    if requested:
        unknown = [s for s in requested if s not in available and s != "openid"]
        if unknown:
            raise OidcError(
                "InvalidScopeException", "invalid_scope", f"Scopes not allowed: {' '.join(unknown)}"
            )
        scopes = list(requested)
    else:
        scopes = available
    now = int(time.time())
    context = "idplane-emulator-identity-context-" + uuid.uuid4().hex
    CONTEXTS[(account, context)] = {
        "UserId": user.UserId,
        "ApplicationArn": app.arn,
        "Expires": now + 3600,
    }
    id_claims = {
        "iss": f"https://identitycenter.amazonaws.com/{app.instance_arn.rsplit('/', 1)[-1]}",
        "sub": user.UserId,
        "aud": app.arn,
        "iat": now,
        "exp": now + 3600,
        "sts:identity_context": context,
        "sts:audit_context": "idplane-emulator-audit-context",
        "identitystore:IdentityStoreArn": app.identity_store_arn,
        "identitystore:UserId": user.UserId,
        "aws:identity_store_id": store_id,
    }
    return {
        "accessToken": "aoa" + uuid.uuid4().hex,
        "tokenType": "Bearer",
        "expiresIn": 3600,
        "refreshToken": "aor" + uuid.uuid4().hex,
        "idToken": _unsigned_jwt(id_claims),
        "issuedTokenType": "urn:ietf:params:oauth:token-type:refresh_token",
        "scope": scopes,
        "awsAdditionalDetails": {"identityContext": context},
    }


def _unsigned_jwt(claims: Dict[str, Any]) -> str:
    """A JWT the caller reads without checking (`alg: none`: the emulator signs nothing)."""
    import base64

    def part(d: Dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


# What a client without `ReadAttributes` reads: "email_verified, phone_number_verified, and the
# standard attributes of your user pool" (botocore cognito-idp `CreateUserPoolClient`).
DEFAULT_READ_ATTRIBUTES = [
    "address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name",
    "locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified",
    "picture", "preferred_username", "profile", "updated_at", "website", "zoneinfo",
]


def install() -> None:
    """Cognito tokens carry the issuer of the pool's issuer type (moto always writes the
    ORIGINAL one), and the ID token of a client without `ReadAttributes` carries the standard
    attributes (moto: none)."""
    from moto.cognitoidp.models import CognitoIdpUserPool, CognitoIdpUserPoolClient

    def get_readable_fields(self):  # type: ignore[no-untyped-def]
        return self.extended_config.get("ReadAttributes") or list(DEFAULT_READ_ATTRIBUTES)

    CognitoIdpUserPoolClient.get_readable_fields = get_readable_fields

    from moto.cognitoidp.exceptions import InvalidParameterException
    from moto.cognitoidp.models import CognitoIdpBackend

    original_admin_auth = CognitoIdpBackend.admin_initiate_auth

    def admin_initiate_auth(self, user_pool_id, client_id, auth_flow, auth_parameters):  # type: ignore[no-untyped-def]
        # The client must allow the flow ("Auth flow not enabled for this client", AWS's message
        # as quoted in AWS re:Post answers; botocore `ExplicitAuthFlowsType`). A client made
        # without ExplicitAuthFlows allows custom, refresh token and SRP auth only.
        pool = self.user_pools.get(user_pool_id)
        client = pool.clients.get(client_id) if pool else None
        if client is not None and auth_flow in ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
            flows = client.extended_config.get("ExplicitAuthFlows") or [
                "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH",
            ]
            if not {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"} & set(flows):
                raise InvalidParameterException("Auth flow not enabled for this client")
        return original_admin_auth(self, user_pool_id, client_id, auth_flow, auth_parameters)

    CognitoIdpBackend.admin_initiate_auth = admin_initiate_auth
    install_sts()

    original = CognitoIdpUserPool.create_jwt

    def create_jwt(self, client_id, username, token_use, expires_in=60 * 60, extra_data=None):  # type: ignore[no-untyped-def]
        issuer = (self.extended_config.get("IssuerConfiguration") or {}).get("Type")
        if issuer == "UPDATED":
            extra_data = dict(extra_data or {})
            extra_data["iss"] = (
                f"https://issuer-cognito-idp.{self.region}.amazonaws.com/{self.id}"
            )
        return original(self, client_id, username, token_use, expires_in, extra_data)

    CognitoIdpUserPool.create_jwt = create_jwt


def install_sts() -> None:
    """STS AssumeRole with `ProvidedContexts`: the context must come from Identity Center
    (`arn:aws:iam::aws:contextProvider/IdentityCenter`) and be an unexpired identity context this
    emulator's CreateTokenWithIAM issued in the account, else `ExpiredTokenException` ("The web
    identity token that was passed is expired or is not valid", botocore sts); a wrong provider
    ARN is a `ValidationError`. moto ignored the member."""
    from moto.sts.exceptions import STSClientError, STSValidationError
    from moto.sts.responses import TokenResponse

    original = TokenResponse.assume_role

    def assume_role(self):  # type: ignore[no-untyped-def]
        contexts = self._get_param("ProvidedContexts") or []
        for c in contexts or []:
            provider = c.get("ProviderArn") if isinstance(c, dict) else None
            assertion = c.get("ContextAssertion") if isinstance(c, dict) else None
            if provider != CONTEXT_PROVIDER:
                raise STSValidationError(f"Invalid context provider ARN: {provider}")
            known = CONTEXTS.get((self.current_account, assertion or ""))
            if known is None or known["Expires"] < int(time.time()):
                raise STSClientError(
                    "ExpiredTokenException",
                    "The web identity token that was passed is expired or is not valid",
                )
        return original(self)

    TokenResponse.assume_role = assume_role
