"""cognito-idp: AWS's full-replace update semantics, resource server update/delete and tags.

- UpdateUserPool resets every updatable field left out of the request to its default (moto does
  that) and keeps the create-only fields AliasAttributes, UsernameAttributes,
  UsernameConfiguration and the schema (moto dropped the first three).
- UpdateUserPoolClient resets every field left out to its default (moto merged the request into
  the old client). Clients created or updated without ExplicitAuthFlows get AWS's default flows.
- UpdateResourceServer replaces name and scopes (scopes left out: none); DeleteResourceServer.
- UserPoolTags are kept on create and returned by DescribeUserPool; TagResource, UntagResource and
  ListTagsForResource work on user pool ARNs.

Reference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/
"""

import copy
import json
from typing import Any, Dict

from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow

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


def update_user_pool(self: Any) -> str:
    p = params(self)
    _require(p, "UserPoolId")
    pool = _pool(self, p["UserPoolId"])
    old = pool.extended_config
    request = {k: v for k, v in p.items() if k != "UserPoolId"}
    keep = {k: old[k] for k in POOL_CREATE_ONLY if k in old}
    if "UserPoolTags" not in request and "UserPoolTags" in old:
        # Tags are managed by TagResource too; an update that names none leaves them.
        keep["UserPoolTags"] = old["UserPoolTags"]
    pool.update_extended_config(request)
    pool.extended_config.update(keep)
    pool.mfa_config = request.get("MfaConfiguration") or "OFF"
    pool.last_modified_date = utcnow()
    return "{}"


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


def install() -> None:
    from moto.cognitoidp.models import CognitoIdpUserPoolClient
    from moto.cognitoidp.responses import CognitoIdpResponse

    original_init = CognitoIdpUserPoolClient.__init__

    def client_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        for key, value in CLIENT_DEFAULTS.items():
            self.extended_config.setdefault(key, copy.deepcopy(value))

    CognitoIdpUserPoolClient.__init__ = client_init

    add_methods(
        CognitoIdpResponse,
        {
            "update_user_pool": update_user_pool,
            "update_user_pool_client": update_user_pool_client,
            "update_resource_server": update_resource_server,
            "delete_resource_server": delete_resource_server,
            "tag_resource": tag_resource,
            "untag_resource": untag_resource,
            "list_tags_for_resource": list_tags_for_resource,
        },
    )
