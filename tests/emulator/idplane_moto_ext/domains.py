"""cognito-idp user pool domains: AWS's asynchronous lifecycle, and pool deletion rules.

AWS creates, updates and deletes a user pool domain in the background: DescribeUserPoolDomain
answers `Status` CREATING (or UPDATING) until the domain is ACTIVE, and DELETING until it is
gone (a prefix domain takes about a minute, a custom domain up to an hour). moto makes domains
ACTIVE at once and forgets them at once. Here:

- CreateUserPoolDomain makes the domain CREATING for a while, then ACTIVE; a domain name that
  exists in any state (DELETING included) or a pool that already has a domain of that type
  (prefix or custom) is an InvalidParameterException.
- UpdateUserPoolDomain makes it UPDATING for a while; ManagedLoginVersion and
  CustomDomainConfig are kept and returned by DescribeUserPoolDomain (moto returned neither).
- DeleteUserPoolDomain makes it DELETING for a while, then it is gone (Describe answers an empty
  description); deleting it again meanwhile is an InvalidParameterException.
- DeleteUserPool fails with InvalidParameterException while the pool has a domain in any state
  ("User pool cannot be deleted. It has a domain configured that should be deleted first.") and
  while DeletionProtection is ACTIVE.

Durations: `IDPLANE_EMULATOR_DOMAIN_MS` (prefix domains, default 1000) and
`IDPLANE_EMULATOR_CUSTOM_DOMAIN_MS` (custom domains, default 1500), read when the server starts;
a user pool tagged `idplane-emulator:domain-ms` uses that many milliseconds for its domains.

References: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolDomain.html
(DomainStatusType), API_DeleteUserPool.html, API_UpdateUserPool.html (DeletionProtection).
"""

import json
import os
import time
from typing import Any, Dict, Optional

from moto.core.responses import EmptyResult

from .common import AwsError, params

PREFIX_SECONDS = int(os.environ.get("IDPLANE_EMULATOR_DOMAIN_MS", "1000")) / 1000.0
CUSTOM_SECONDS = int(os.environ.get("IDPLANE_EMULATOR_CUSTOM_DOMAIN_MS", "1500")) / 1000.0


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidParameterException", message)


def _require(p: Dict[str, Any], *names: str) -> None:
    for name in names:
        if p.get(name) in (None, ""):
            raise _invalid(
                f"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null"
            )


def _is_custom(d: Any) -> bool:
    return bool((d.custom_domain_config or {}).get("CertificateArn"))


# A user pool tag that sets the duration (milliseconds) for that pool's domains, so a test can
# make AWS slow without slowing every other test. Real AWS treats it as any other tag.
DURATION_TAG = "idplane-emulator:domain-ms"


def _duration(d: Any, backend: Any) -> float:
    pool = backend.user_pools.get(d.user_pool_id)
    tags = (pool.extended_config.get("UserPoolTags") or {}) if pool is not None else {}
    if DURATION_TAG in tags:
        return int(tags[DURATION_TAG]) / 1000.0
    return CUSTOM_SECONDS if _is_custom(d) else PREFIX_SECONDS


def _state(d: Any) -> Dict[str, Any]:
    return d.__dict__.setdefault("_idplane", {"busy_until": 0.0, "busy": None, "gone_at": None})


def _sweep(backend: Any) -> None:
    """Forgets domains whose deletion finished and ends finished creations and updates."""
    now = time.monotonic()
    for name, d in list(backend.user_pool_domains.items()):
        st = _state(d)
        if st["gone_at"] is not None:
            if now >= st["gone_at"]:
                del backend.user_pool_domains[name]
        elif st["busy"] is not None and now >= st["busy_until"]:
            st["busy"] = None


def status(d: Any) -> str:
    st = _state(d)
    if st["gone_at"] is not None:
        return "DELETING"
    return st["busy"] or "ACTIVE"


def _describe(d: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = d.to_json(extended=True)
    out["Status"] = status(d)
    st = _state(d)
    if st.get("managed_login_version") is not None:
        out["ManagedLoginVersion"] = st["managed_login_version"]
    if _is_custom(d):
        out["CustomDomainConfig"] = d.custom_domain_config
    return {k: v for k, v in out.items() if v is not None}


def _created_json(d: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    if _is_custom(d):
        out["CloudFrontDomain"] = d.to_json(extended=False)["CloudFrontDomain"]
    mlv = _state(d).get("managed_login_version")
    if mlv is not None:
        out["ManagedLoginVersion"] = mlv
    return out


def _pool(self: Any, pool_id: str) -> Any:
    pool = self.backend.user_pools.get(pool_id)
    if pool is None:
        raise AwsError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
    return pool


def _domain_of(self: Any, p: Dict[str, Any]) -> Any:
    """The domain named in the request, which must belong to the request's pool."""
    _require(p, "UserPoolId", "Domain")
    _pool(self, p["UserPoolId"])
    d = self.backend.user_pool_domains.get(p["Domain"])
    if d is None or d.user_pool_id != p["UserPoolId"]:
        raise AwsError("ResourceNotFoundException", f"Domain {p['Domain']} does not exist.")
    return d


def create_user_pool_domain(self: Any) -> str:
    from moto.cognitoidp.models import CognitoIdpUserPoolDomain

    p = params(self)
    _require(p, "UserPoolId", "Domain")
    _sweep(self.backend)
    _pool(self, p["UserPoolId"])
    name = p["Domain"]
    if name in self.backend.user_pool_domains:
        # AWS keeps the name taken until the deletion of a domain of that name finished.
        raise _invalid("Domain already exists.")
    d = CognitoIdpUserPoolDomain(p["UserPoolId"], name, custom_domain_config=p.get("CustomDomainConfig"))
    for other in self.backend.user_pool_domains.values():
        if other.user_pool_id == p["UserPoolId"] and _is_custom(other) == _is_custom(d):
            raise _invalid(f"User pool already has a domain configured: {other.domain}.")
    st = _state(d)
    st["busy"] = "CREATING"
    st["busy_until"] = time.monotonic() + _duration(d, self.backend)
    st["managed_login_version"] = p.get("ManagedLoginVersion")
    self.backend.user_pool_domains[name] = d
    return json.dumps(_created_json(d))


def describe_user_pool_domain(self: Any) -> str:
    p = params(self)
    _require(p, "Domain")
    _sweep(self.backend)
    d = self.backend.user_pool_domains.get(p["Domain"])
    # AWS answers an unknown domain with an empty description, not an error.
    return json.dumps({"DomainDescription": _describe(d) if d is not None else {}})


def update_user_pool_domain(self: Any) -> str:
    p = params(self)
    _sweep(self.backend)
    d = _domain_of(self, p)
    if status(d) == "DELETING":
        raise _invalid(f"Domain {d.domain} is being deleted.")
    st = _state(d)
    if "CustomDomainConfig" in p:
        d.custom_domain_config = p["CustomDomainConfig"] or {}
    if "ManagedLoginVersion" in p:
        st["managed_login_version"] = p["ManagedLoginVersion"]
    st["busy"] = "UPDATING"
    st["busy_until"] = time.monotonic() + _duration(d, self.backend)
    return json.dumps(_created_json(d))


def delete_user_pool_domain(self: Any) -> EmptyResult:
    p = params(self)
    _sweep(self.backend)
    d = _domain_of(self, p)
    st = _state(d)
    if st["gone_at"] is not None:
        raise _invalid(f"Domain {d.domain} is being deleted.")
    st["gone_at"] = time.monotonic() + _duration(d, self.backend)
    return EmptyResult()


def delete_user_pool(self: Any) -> EmptyResult:
    p = params(self)
    _require(p, "UserPoolId")
    _sweep(self.backend)
    pool = _pool(self, p["UserPoolId"])
    if pool.extended_config.get("DeletionProtection") == "ACTIVE":
        raise _invalid(
            "The user pool cannot be deleted because deletion protection is activated. "
            "Deletion protection must be inactivated first."
        )
    if any(d.user_pool_id == pool.id for d in self.backend.user_pool_domains.values()):
        raise _invalid(
            "User pool cannot be deleted. It has a domain configured that should be deleted first."
        )
    self.backend.delete_user_pool(pool.id)
    return EmptyResult()


def _live_domain(pool: Any) -> Optional[Any]:
    """The pool's domain unless its deletion finished (for DescribeUserPool's `Domain`)."""
    _sweep(pool.backend)
    return next((d for d in pool.backend.user_pool_domains.values() if d.user_pool_id == pool.id), None)


def install() -> None:
    from moto.cognitoidp.models import CognitoIdpUserPool
    from moto.cognitoidp.responses import CognitoIdpResponse

    CognitoIdpUserPool.domain = property(_live_domain)  # type: ignore[assignment]
    for name, fn in {
        "create_user_pool_domain": create_user_pool_domain,
        "describe_user_pool_domain": describe_user_pool_domain,
        "update_user_pool_domain": update_user_pool_domain,
        "delete_user_pool_domain": delete_user_pool_domain,
        "delete_user_pool": delete_user_pool,
    }.items():
        setattr(CognitoIdpResponse, name, fn)
