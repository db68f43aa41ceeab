"""Helpers shared by the extension's service patches: errors, pagination, tags, per-backend state."""

import base64
import json
from typing import Any, Callable, Dict, List, Optional, Tuple

from moto.core.exceptions import JsonRESTError


class AwsError(JsonRESTError):
    """A JSON-protocol error: HTTP 400 (unless told) with `__type` and `message`."""

    def __init__(self, error_type: str, message: str, status: int = 400) -> None:
        super().__init__(error_type=error_type, message=message)
        self.code = status


def not_found(message: str) -> AwsError:
    return AwsError("ResourceNotFoundException", message)


def validation(message: str) -> AwsError:
    return AwsError("ValidationException", message)


def conflict(message: str) -> AwsError:
    return AwsError("ConflictException", message)


def quota(message: str) -> AwsError:
    return AwsError("ServiceQuotaExceededException", message)


def params(response: Any) -> Dict[str, Any]:
    """The JSON body of the current request ({} when empty); answers will be JSON too."""
    response.response_headers["Content-Type"] = "application/x-amz-json-1.1"
    body = response.body
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return json.loads(body) if body else {}


def require(p: Dict[str, Any], *names: str) -> None:
    """AWS answers a missing required member with a ValidationException."""
    for name in names:
        if p.get(name) in (None, ""):
            raise validation(
                f"1 validation error detected: Value null at '{name[0].lower() + name[1:]}' "
                "failed to satisfy constraint: Member must not be null"
            )


def paginate(
    items: List[Any],
    p: Dict[str, Any],
    default_max: int,
    max_limit: int = 100,
    error: Callable[[str], AwsError] = validation,
) -> Tuple[List[Any], Optional[str]]:
    """Pages `items` (already in a stable order) by the request's MaxResults and NextToken."""
    max_results = p.get("MaxResults")
    if max_results is None:
        max_results = default_max
    if not isinstance(max_results, int) or max_results < 1 or max_results > max_limit:
        raise error(
            f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy "
            f"constraint: Member must have value between 1 and {max_limit}"
        )
    start = 0
    token = p.get("NextToken")
    if token:
        try:
            decoded = base64.urlsafe_b64decode(token.encode()).decode()
            prefix, _, offset = decoded.partition(":")
            if prefix != "idplane":
                raise ValueError(prefix)
            start = int(offset)
        except Exception:
            raise error("The next token is not valid") from None
    page = items[start : start + max_results]
    end = start + max_results
    next_token = (
        base64.urlsafe_b64encode(f"idplane:{end}".encode()).decode() if end < len(items) else None
    )
    return page, next_token


def state_of(backend: Any, key: str, factory: Callable[[], Any]) -> Any:
    """Extension state kept on a moto backend object (so moto's reset clears it too)."""
    store = backend.__dict__.setdefault("_idplane_ext", {})
    if key not in store:
        store[key] = factory()
    return store[key]


def add_methods(cls: type, methods: Dict[str, Callable[..., Any]]) -> None:
    """Adds (or replaces) response methods; moto dispatches `X-Amz-Target: Svc.OpName` to op_name."""
    for name, fn in methods.items():
        setattr(cls, name, fn)


def drop_none(d: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}
