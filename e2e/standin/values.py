"""Property values as the engine sends them, and back.

The engine marshals properties as ``google.protobuf.Struct`` values in which
a few special objects carry Pulumi's extra kinds (pulumi/pulumi
``sdk/go/property/propertyrpc``, ``sdk/python/lib/pulumi/runtime/rpc.py``):

- an unknown value (a computed output during preview) is the string
  ``04da6b54-80e4-46f7-96ec-b56ff0331ba9``;
- a secret is ``{SIG: "1b47061264138c4ac30d75fd1eb44270", "value": V}``;
- a resource reference is ``{SIG: "5cf8f73096256a8f31e491e813e4eb8e", "urn":
  ..., "id": ...}`` (sent because the stand-ins accept resources);
- an output value (``d0e6a833...``) is only sent to providers that accept
  outputs, which these do not, but is read as its secret/unknown equivalent.

Values are handled here as plain JSON-like Python (``dict``, ``list``, ``str``,
``float``, ``bool``, ``None``) with those objects left in place; this module
is the only one that knows their shapes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf import json_format, struct_pb2  # type: ignore[import-untyped]

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"

Props = dict[str, Any]


def from_struct(struct: struct_pb2.Struct | None) -> Props:
    """A request's ``Struct`` as a dict (numbers arrive as floats)."""
    if struct is None:
        return {}
    result: Props = json_format.MessageToDict(struct)
    return result


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    """A dict as a ``Struct``, integral floats kept as they are."""
    struct = struct_pb2.Struct()
    struct.update(dict(props))
    return struct


def is_unknown(value: object) -> bool:
    """Whether ``value`` is the unknown sentinel."""
    return value == UNKNOWN


def is_secret(value: object) -> bool:
    """Whether ``value`` is a secret wrapper."""
    return isinstance(value, dict) and value.get(SIG) == SECRET_SIG


def secret(value: Any) -> Any:
    """``value`` marked secret (unchanged if it already is, or is unknown)."""
    if is_secret(value) or is_unknown(value):
        return value
    return {SIG: SECRET_SIG, "value": value}


def _resource_ref(value: Mapping[str, Any]) -> Any:
    """A resource reference as the bridge passes it on: its ID, else its URN."""
    ref_id = value.get("id")
    if ref_id is None:
        return value.get("urn", "")
    return ref_id if ref_id != "" else UNKNOWN


def _output_value(value: Mapping[str, Any]) -> Any:
    """An output value as the secret or unknown it stands for."""
    if "value" not in value:
        return UNKNOWN
    inner = normalize(value["value"])
    return secret(inner) if value.get("secret") else inner


def normalize(value: Any) -> Any:
    """Resource references and output values replaced, secrets kept."""
    if isinstance(value, list):
        return [normalize(item) for item in value]
    if not isinstance(value, dict):
        return value
    sig = value.get(SIG)
    if sig == RESOURCE_SIG:
        return _resource_ref(value)
    if sig == OUTPUT_SIG:
        return _output_value(value)
    if sig == SECRET_SIG:
        return secret(normalize(value.get("value")))
    return {key: normalize(item) for key, item in value.items()}


def reveal(value: Any) -> Any:
    """``value`` with every secret unwrapped (unknowns kept)."""
    if isinstance(value, list):
        return [reveal(item) for item in value]
    if is_secret(value):
        return reveal(value.get("value"))
    if isinstance(value, dict):
        return {key: reveal(item) for key, item in value.items()}
    return value


def has_unknown(value: Any) -> bool:
    """Whether ``value`` is unknown or holds an unknown anywhere."""
    if is_unknown(value):
        return True
    if isinstance(value, list):
        return any(has_unknown(item) for item in value)
    if isinstance(value, dict):
        return any(has_unknown(item) for item in value.values())
    return False


def has_secret(value: Any) -> bool:
    """Whether ``value`` is or holds a secret."""
    if is_secret(value):
        return True
    if isinstance(value, list):
        return any(has_secret(item) for item in value)
    if isinstance(value, dict):
        return any(has_secret(item) for item in value.values())
    return False


def redact(value: Any) -> Any:
    """``value`` for the calls log: secrets ``[secret]``, unknowns ``[unknown]``."""
    if is_secret(value):
        return "[secret]"
    if is_unknown(value):
        return "[unknown]"
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, dict):
        return {key: redact(item) for key, item in value.items()}
    return value


def secret_keys(props: Mapping[str, Any], keys: frozenset[str]) -> Props:
    """``props`` with the top-level ``keys`` marked secret."""
    return {k: secret(v) if k in keys else v for k, v in props.items()}
