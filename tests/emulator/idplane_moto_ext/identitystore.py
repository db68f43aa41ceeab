"""identitystore: UpdateUser and UpdateGroup, which moto 5.2.5 does not serve, and ListUsers'
`MaxResults` bound (1-100, a ValidationException otherwise; moto took any number).

Both take `IdentityStoreId`, `UserId` / `GroupId` and `Operations`, a list (1 to 100) of
`{AttributePath, AttributeValue}`, and answer an empty body. An operation replaces the attribute
at its path; an operation without a value (or with null) removes it. Paths are matched without
regard to case, as AWS does (`displayName`, `name.givenName`, `emails`, ...). Multi-valued
attributes (`emails`, `addresses`, `phoneNumbers`) are replaced whole: a path into one element
(`emails[0].value`, `emails.value`) is a ValidationException, as is any path the resource does
not have, an empty string value, removing a required attribute (`displayName`, `name.givenName`,
`name.familyName` of a user, `displayName` of a group) and changing a user's `userName` or a
group's `displayName` to one another user or group of the store has (a ConflictException).
A missing user or group is a ResourceNotFoundException. The new values are written into moto's
own stored user or group, so DescribeUser, DescribeGroup, ListUsers, ListGroups, GetUserId and
GetGroupId all see them.

Reference: https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_UpdateUser.html
and API_UpdateGroup.html.
"""

import threading
from typing import Any, Dict, List, Optional, Tuple

from .common import AwsError, add_methods, params, validation


def _not_found(kind: str) -> AwsError:
    return AwsError("ResourceNotFoundException", f"{kind} not found.")


def _conflict(message: str) -> AwsError:
    return AwsError("ConflictException", message)


# Plain string attributes of a user: lower-case path -> field of moto's User tuple.
_USER_STRINGS = {
    "username": "UserName",
    "displayname": "DisplayName",
    "nickname": "NickName",
    "profileurl": "ProfileUrl",
    "usertype": "UserType",
    "title": "Title",
    "preferredlanguage": "PreferredLanguage",
    "locale": "Locale",
    "timezone": "Timezone",
}

# Sub-attributes of `name`: lower-case -> field of moto's Name tuple.
_NAME_PARTS = {
    "formatted": "Formatted",
    "familyname": "FamilyName",
    "givenname": "GivenName",
    "middlename": "MiddleName",
    "honorificprefix": "HonorificPrefix",
    "honorificsuffix": "HonorificSuffix",
}

# Multi-valued attributes: lower-case path -> (field of User, {lower-case key: API key}).
_USER_LISTS: Dict[str, Tuple[str, Dict[str, str]]] = {
    "emails": ("Emails", {"value": "Value", "type": "Type", "primary": "Primary"}),
    "phonenumbers": ("PhoneNumbers", {"value": "Value", "type": "Type", "primary": "Primary"}),
    "addresses": (
        "Addresses",
        {
            k.lower(): k
            for k in (
                "StreetAddress",
                "Locality",
                "Region",
                "PostalCode",
                "Country",
                "Formatted",
                "Type",
                "Primary",
            )
        },
    ),
}

_GROUP_STRINGS = {"displayname": "DisplayName", "description": "Description"}


def _operations(p: Dict[str, Any]) -> List[Tuple[str, Any]]:
    """The request's operations as (path, value or None); validates the request's shape."""
    for name in ("IdentityStoreId", "Operations"):
        if p.get(name) in (None, "", []):
            raise validation(
                f"1 validation error detected: Value null at '{name[0].lower() + name[1:]}' "
                "failed to satisfy constraint: Member must not be null"
            )
    ops = p["Operations"]
    if not isinstance(ops, list) or not 1 <= len(ops) <= 100:
        raise validation(
            "1 validation error detected: Value at 'operations' failed to satisfy constraint: "
            "Member must have length between 1 and 100"
        )
    out = []
    for op in ops:
        path = op.get("AttributePath") if isinstance(op, dict) else None
        if not isinstance(path, str) or not path:
            raise validation(
                "1 validation error detected: Value null at 'operations.member.attributePath' "
                "failed to satisfy constraint: Member must not be null"
            )
        value = op.get("AttributeValue")
        if value == "":
            raise validation(f"The attribute {path} cannot be an empty string; use null to remove it")
        out.append((path, value))
    return out


def _string(path: str, value: Any) -> Optional[str]:
    if value is not None and not isinstance(value, str):
        raise validation(f"The attribute {path} must be a string")
    return value


def _list(path: str, value: Any, keys: Dict[str, str]) -> List[Dict[str, Any]]:
    """A multi-valued attribute, its members' keys in the API's spelling."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise validation(
            f"Unsupported update operation on multi-value attribute {path}, "
            "please provide full replacement of Multi-Value attribute types"
        )
    out = []
    for item in value:
        if not isinstance(item, dict):
            raise validation(f"Each element of {path} must be an object")
        element = {}
        for key, v in item.items():
            api_key = keys.get(key.lower())
            if api_key is None:
                raise validation(f"The attribute {path}.{key} is not a valid attribute")
            if v is not None:
                element[api_key] = v
        out.append(element)
    if sum(1 for e in out if e.get("Primary") is True) > 1:
        raise validation(f"At most one element of {path} can be primary")
    return out


def _user(self: Any, store: str, user_id: Any) -> Any:
    data = self.identitystore_backend.identity_stores.get(store)
    user = data.users.get(user_id) if data is not None and isinstance(user_id, str) else None
    if user is None:
        raise _not_found("USER")
    return data, user


def _group(self: Any, store: str, group_id: Any) -> Any:
    data = self.identitystore_backend.identity_stores.get(store)
    group = data.groups.get(group_id) if data is not None and isinstance(group_id, str) else None
    if group is None:
        raise _not_found("GROUP")
    return data, group


def update_user(self: Any) -> str:
    from moto.identitystore.models import Name

    p = params(self)
    ops = _operations(p)
    data, user = _user(self, p["IdentityStoreId"], p.get("UserId"))
    fields: Dict[str, Any] = {}
    name = dict(user.Name._asdict()) if user.Name is not None else {f: None for f in Name._fields}
    name_touched = False
    for path, value in ops:
        key = path.lower()
        if key in _USER_STRINGS:
            fields[_USER_STRINGS[key]] = _string(path, value)
        elif key == "name":
            if value is not None and not isinstance(value, dict):
                raise validation("The attribute name must be an object")
            name = {f: None for f in Name._fields}
            for k, v in (value or {}).items():
                part = _NAME_PARTS.get(k.lower())
                if part is None:
                    raise validation(f"The attribute name.{k} is not a valid attribute")
                name[part] = _string(f"name.{k}", v)
            name_touched = True
        elif key.startswith("name.") and key[5:] in _NAME_PARTS:
            name[_NAME_PARTS[key[5:]]] = _string(path, value)
            name_touched = True
        elif key in _USER_LISTS:
            field, keys = _USER_LISTS[key]
            fields[field] = _list(path, value, keys)
        elif key.split(".")[0].split("[")[0] in _USER_LISTS:
            raise validation(
                f"Unsupported update operation on multi-value attribute {path.split('.')[0].split('[')[0]}, "
                "please provide full replacement of Multi-Value attribute types"
            )
        else:
            raise validation(f"The attribute {path} is not a valid attribute for a user")
    if name_touched:
        fields["Name"] = Name(**name) if any(v is not None for v in name.values()) else None
    updated = user._replace(**fields)
    missing = []
    if not updated.UserName:
        missing.append("userName")
    if not updated.DisplayName:
        missing.append("displayName")
    if updated.Name is None or not updated.Name.GivenName:
        missing.append("name.givenName")
    if updated.Name is None or not updated.Name.FamilyName:
        missing.append("name.familyName")
    if missing:
        raise validation(", ".join(f"{m}: The attribute {m} is required" for m in missing))
    if updated.UserName != user.UserName and any(
        u.UserName == updated.UserName for u in data.users.values() if u.UserId != user.UserId
    ):
        raise _conflict("Duplicate UserName")
    data.users[user.UserId] = updated
    return "{}"


def update_group(self: Any) -> str:
    p = params(self)
    ops = _operations(p)
    data, group = _group(self, p["IdentityStoreId"], p.get("GroupId"))
    fields: Dict[str, Any] = {}
    for path, value in ops:
        field = _GROUP_STRINGS.get(path.lower())
        if field is None:
            raise validation(f"The attribute {path} is not a valid attribute for a group")
        fields[field] = _string(path, value)
    updated = group._replace(**fields)
    if not updated.DisplayName:
        raise validation("displayName: The attribute displayName is required")
    if updated.DisplayName != group.DisplayName and any(
        g.DisplayName == updated.DisplayName
        for g in data.groups.values()
        if g.GroupId != group.GroupId
    ):
        raise _conflict("Duplicate GroupDisplayName")
    data.groups[group.GroupId] = updated
    return "{}"


# One membership per (group, user): moto 5.2.5 makes a second one. AWS answers a
# ConflictException ("Performing the requested operation would violate an existing uniqueness
# claim in the identity store", botocore identitystore `ConflictException`, reason
# `UNIQUENESS_CONSTRAINT_VIOLATION`); the exact message is not documented (strictest reading).
_MEMBERSHIP_LOCK = threading.Lock()


def _unique_memberships(original: Any) -> Any:
    def create_group_membership(
        backend: Any, identity_store_id: str, group_id: str, member_id: Dict[str, str]
    ) -> Any:
        with _MEMBERSHIP_LOCK:
            store = backend.identity_stores.get(identity_store_id)
            user_id = (member_id or {}).get("UserId")
            if store is not None and any(
                m.get("GroupId") == group_id and (m.get("MemberId") or {}).get("UserId") == user_id
                for m in store.group_memberships.values()
            ):
                from moto.identitystore.exceptions import ConflictException

                raise ConflictException(
                    message="Member already exists in group",
                    reason="UNIQUENESS_CONSTRAINT_VIOLATION",
                )
            return original(backend, identity_store_id, group_id, member_id)

    return create_group_membership


_ORIGINAL: Dict[str, Any] = {}


def list_users(self: Any) -> Any:
    """ListUsers: `MaxResults` 1-100 (botocore identitystore `MaxResults`), else a
    ValidationException; moto accepted any number. The rest is moto's."""
    p = params(self)
    max_results = p.get("MaxResults")
    if max_results is not None and not 1 <= max_results <= 100:
        raise validation(
            f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to "
            "satisfy constraint: Member must have value between 1 and 100"
        )
    return _ORIGINAL["list_users"](self)


def install() -> None:
    from moto.identitystore.models import IdentityStoreBackend
    from moto.identitystore.responses import IdentityStoreResponse

    IdentityStoreBackend.create_group_membership = _unique_memberships(  # type: ignore[method-assign]
        IdentityStoreBackend.create_group_membership
    )

    _ORIGINAL["list_users"] = IdentityStoreResponse.list_users
    add_methods(
        IdentityStoreResponse,
        {"update_user": update_user, "update_group": update_group, "list_users": list_users},
    )
