"""cognito-identity: full-replace UpdateIdentityPool, AllowClassicFlow, identity pool roles, tags.

- UpdateIdentityPool resets every field left out of the request (login providers, OIDC and SAML
  provider ARNs, Cognito identity providers, AllowClassicFlow) as AWS does; moto merged them. The
  developer provider name, which AWS does not let change once set, and the tags stay when left
  out; `IdentityPoolTags` in an update is ignored (tags change only through TagResource /
  UntagResource, the strictest reading of terraform-provider-aws #9422 / #9639).
- SetIdentityPoolRoles / GetIdentityPoolRoles.
- TagResource / UntagResource / ListTagsForResource on identity pool ARNs.

Reference: https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/
"""

import json
from typing import Any, Dict

from .common import AwsError, add_methods, params, state_of


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidParameterException", message)


def _not_found(message: str) -> AwsError:
    return AwsError("ResourceNotFoundException", message)


def _pool(self: Any, pool_id: Any) -> Any:
    pool = self.backend.identity_pools.get(pool_id)
    if pool is None:
        raise _not_found(f"IdentityPool '{pool_id}' not found.")
    return pool


def _pool_json(pool: Any) -> str:
    out: Dict[str, Any] = {
        "IdentityPoolId": pool.identity_pool_id,
        "IdentityPoolName": pool.identity_pool_name,
        "AllowUnauthenticatedIdentities": bool(pool.allow_unauthenticated_identities),
        "AllowClassicFlow": bool(getattr(pool, "allow_classic_flow", False)),
        "SupportedLoginProviders": pool.supported_login_providers or {},
        "OpenIdConnectProviderARNs": pool.open_id_connect_provider_arns or [],
        "CognitoIdentityProviders": pool.cognito_identity_providers or [],
        "SamlProviderARNs": pool.saml_provider_arns or [],
        "IdentityPoolTags": pool.tags or {},
    }
    if pool.developer_provider_name:
        out["DeveloperProviderName"] = pool.developer_provider_name
    return json.dumps(out)


def update_identity_pool(self: Any) -> str:
    p = params(self)
    for name in ("IdentityPoolId", "IdentityPoolName", "AllowUnauthenticatedIdentities"):
        if p.get(name) is None:
            raise _invalid(f"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null")
    pool = _pool(self, p["IdentityPoolId"])
    developer = p.get("DeveloperProviderName")
    if developer and pool.developer_provider_name and developer != pool.developer_provider_name:
        raise _invalid("The developer provider name cannot be changed once it is set.")
    pool.identity_pool_name = p["IdentityPoolName"]
    pool.allow_unauthenticated_identities = bool(p["AllowUnauthenticatedIdentities"])
    pool.allow_classic_flow = bool(p.get("AllowClassicFlow", False))
    pool.supported_login_providers = p.get("SupportedLoginProviders") or {}
    pool.open_id_connect_provider_arns = p.get("OpenIdConnectProviderARNs") or []
    pool.cognito_identity_providers = p.get("CognitoIdentityProviders") or []
    pool.saml_provider_arns = p.get("SamlProviderARNs") or []
    if developer:
        pool.developer_provider_name = developer
    # `IdentityPoolTags` in an update does not change the tags (strictest reading of AWS's
    # behaviour: terraform-provider-aws PR #9639 moved tag changes to TagResource /
    # UntagResource after UpdateIdentityPool's tags did not take, #9422).
    return _pool_json(pool)


def describe_identity_pool(self: Any) -> str:
    p = params(self)
    return _pool_json(_pool(self, p.get("IdentityPoolId")))


def _roles(self: Any) -> Dict[str, Dict[str, Any]]:
    return state_of(self.backend, "identity_pool_roles", dict)


def set_identity_pool_roles(self: Any) -> str:
    p = params(self)
    pool = _pool(self, p.get("IdentityPoolId"))
    roles = p.get("Roles")
    if roles is None:
        raise _invalid("1 validation error detected: Value null at 'roles' failed to satisfy constraint: Member must not be null")
    for key in roles:
        if key not in ("authenticated", "unauthenticated"):
            raise _invalid(f"Invalid role type {key}; use authenticated or unauthenticated.")
    mappings = p.get("RoleMappings") or {}
    if len(mappings) > 10:
        raise _invalid("At most 10 role mappings are allowed.")
    for provider, mapping in mappings.items():
        kind = mapping.get("Type")
        if kind not in ("Token", "Rules"):
            raise _invalid(f"Role mapping type for {provider} must be Token or Rules.")
        if kind == "Rules" and not (mapping.get("RulesConfiguration") or {}).get("Rules"):
            raise _invalid(f"Rules configuration is required for role mapping type Rules ({provider}).")
        if mapping.get("AmbiguousRoleResolution") not in (None, "AuthenticatedRole", "Deny"):
            raise _invalid("AmbiguousRoleResolution must be AuthenticatedRole or Deny.")
    _roles(self)[pool.identity_pool_id] = {"Roles": dict(roles), "RoleMappings": dict(mappings)}
    return "{}"


def get_identity_pool_roles(self: Any) -> str:
    p = params(self)
    pool = _pool(self, p.get("IdentityPoolId"))
    saved = _roles(self).get(pool.identity_pool_id, {"Roles": {}, "RoleMappings": {}})
    out: Dict[str, Any] = {"IdentityPoolId": pool.identity_pool_id, "Roles": saved["Roles"]}
    if saved["RoleMappings"]:
        out["RoleMappings"] = saved["RoleMappings"]
    return json.dumps(out)


def _pool_by_arn(self: Any, arn: Any) -> Any:
    if not isinstance(arn, str) or ":identitypool/" not in arn:
        raise _invalid(f"Invalid resource ARN {arn}")
    prefix = f"arn:aws:cognito-identity:{self.region}:{self.current_account}:identitypool/"
    if not arn.startswith(prefix):
        raise _not_found(f"Resource {arn} not found.")
    return _pool(self, arn[len(prefix):])


def tag_resource(self: Any) -> str:
    p = params(self)
    pool = _pool_by_arn(self, p.get("ResourceArn"))
    tags = dict(pool.tags or {})
    tags.update(p.get("Tags") or {})
    if len(tags) > 50:
        raise _invalid("An identity pool can have at most 50 tags.")
    pool.tags = tags
    return "{}"


def untag_resource(self: Any) -> str:
    p = params(self)
    pool = _pool_by_arn(self, p.get("ResourceArn"))
    tags = dict(pool.tags or {})
    for key in p.get("TagKeys") or []:
        tags.pop(key, None)
    pool.tags = tags
    return "{}"


def list_tags_for_resource(self: Any) -> str:
    p = params(self)
    pool = _pool_by_arn(self, p.get("ResourceArn"))
    return json.dumps({"Tags": dict(pool.tags or {})})


def install() -> None:
    from moto.cognitoidentity.responses import CognitoIdentityResponse

    original_create = CognitoIdentityResponse.create_identity_pool

    def create_identity_pool(self: Any) -> str:
        p = params(self)
        created = json.loads(original_create(self))
        pool = self.backend.identity_pools[created["IdentityPoolId"]]
        pool.allow_unauthenticated_identities = bool(p.get("AllowUnauthenticatedIdentities"))
        pool.allow_classic_flow = bool(p.get("AllowClassicFlow", False))
        return _pool_json(pool)

    add_methods(
        CognitoIdentityResponse,
        {
            "create_identity_pool": create_identity_pool,
            "update_identity_pool": update_identity_pool,
            "describe_identity_pool": describe_identity_pool,
            "set_identity_pool_roles": set_identity_pool_roles,
            "get_identity_pool_roles": get_identity_pool_roles,
            "tag_resource": tag_resource,
            "untag_resource": untag_resource,
            "list_tags_for_resource": list_tags_for_resource,
        },
    )
