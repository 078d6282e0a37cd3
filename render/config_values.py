"""Config values as the Pulumi CLI stores, types and hands them to a program.

From pulumi/pulumi: a stack file's value is read into a Go value and kept as
text (``sdk/go/common/resource/config/value.go``): strings as they are,
booleans ``true``/``false``, numbers in Go's formatting (``2.0`` is ``2``),
null as ``""``, lists and maps as compact JSON with sorted keys and ``<>&``
escaped (``encoding/json``). Declared types are checked on that form
(``ValidateConfigValue`` in ``sdk/go/common/workspace/project.go``), and a
``Pulumi.yaml`` declaration takes only the attributes of ``project.json``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from decimal import Decimal
from typing import Any

TYPES = ("string", "integer", "boolean", "array", "object")
DECLARATION_ATTRIBUTES = ("type", "items", "description", "secret", "default", "value")
_INTEGER = re.compile(r"^[+-]?\d+$")
_GO_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


class ConfigValueError(ValueError):
    """A value or declaration the CLI would refuse; the message says why."""


def _go_float(value: float) -> str:
    """A float64 as Go's ``encoding/json`` writes it.

    The shortest digits that read back (Python's ``repr``, Go's precision -1),
    in plain notation from 1e-6 to 1e21 (``18446744073709552000``), else
    with an exponent of at least one digit (``1e-7``, ``1.5e+300``).
    """
    if not math.isfinite(value):
        raise ConfigValueError(f"{value} is not a finite number")
    if value == 0:
        return "0"  # -0.0 too: the CLI hands over "0"
    text = repr(value)
    if 1e-6 <= abs(value) < 1e21:
        text = format(Decimal(text), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)


def go_json(value: Any) -> str:
    """Compact JSON with sorted keys, as Go's ``json.Marshal`` writes a config value.

    Numbers as Go holds them: integers within int64 exact, others as float64
    (``_go_float``); strings with ``<>&`` and U+2028/U+2029 escaped.
    """
    if isinstance(value, dict):
        items = sorted((str(key), item) for key, item in value.items())
        return "{" + ",".join(f"{go_json(k)}:{go_json(v)}" for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(go_json(item) for item in value) + "]"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        for char, escape in _GO_JSON_ESCAPES.items():
            text = text.replace(char, escape)
        return text
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int) and -(2**63) <= value < 2**63:
        return str(value)
    if isinstance(value, (int, float)):
        return _go_float(float(value))
    raise ConfigValueError(f"a {type(value).__name__} value is not supported")


def to_config_string(value: Any) -> str:
    """A YAML value as the Pulumi CLI passes it to a program."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, (str, int)):
        return str(value)
    return go_json(value)


def secure_text(value: Any, symmetric: bool = False) -> str | None:
    """The ciphertext of a ``{secure: ...}`` value, or None for any other value.

    ``symmetric``: the stack file names a passphrase or cloud KMS secrets
    provider (it has an ``encryptionsalt`` or an ``encryptedkey``).
    """
    if not (isinstance(value, dict) and set(value) == {"secure"}):
        return None
    text = value["secure"]
    if not isinstance(text, str) or not text:
        raise ConfigValueError("secure: must be a ciphertext string")
    problem = ciphertext_problem(text, symmetric)
    if problem:
        raise ConfigValueError(
            f"secure: {problem}; set it with pulumi config set --secret"
        )
    return text


def holds_secure(value: Any) -> bool:
    """Whether a ``{secure: ...}`` mapping is ``value`` or anywhere inside it."""
    inside = [value]
    while inside:
        item = inside.pop()
        if isinstance(item, dict):
            if set(item) == {"secure"}:
                return True
            inside.extend(item.values())
        elif isinstance(item, list):
            inside.extend(item)
    return False


# AES-256-GCM, which every Pulumi secrets provider uses, appends a 16-byte tag;
# the service's ciphertext also carries its 12-byte nonce.
_GCM_TAG = 16
_GCM_NONCE = 12


def ciphertext_problem(text: str, symmetric: bool) -> str | None:
    """Why ``text`` cannot be a Pulumi ciphertext, or None if it can be.

    pulumi/pulumi: the passphrase and cloud KMS providers write
    ``v1:<base64 12-byte nonce>:<base64 ciphertext and tag>``
    (``sdk/go/common/resource/config/crypt.go``, ``symmetricCrypter``; cloud
    providers in ``pkg/secrets/cloud/manager.go`` use the same crypter); the
    Pulumi Cloud service writes plain standard base64
    (``pkg/secrets/service/manager.go``). A stack file with an
    ``encryptionsalt`` or ``encryptedkey`` uses the first form.
    """
    version, _, rest = text.partition(":")
    if version == "v1":
        nonce, _, sealed = rest.partition(":")
        if len(_base64(nonce)) == _GCM_NONCE and len(_base64(sealed)) >= _GCM_TAG:
            return None
        return "is not a v1:<nonce>:<ciphertext> Pulumi ciphertext"
    if symmetric:
        return (
            "is not a v1:<nonce>:<ciphertext> Pulumi ciphertext (this stack's "
            "secrets provider is a passphrase or a cloud KMS key)"
        )
    if len(_base64(text)) >= _GCM_NONCE + _GCM_TAG:
        return None
    return "is not a Pulumi ciphertext (base64, or v1:<nonce>:<ciphertext>)"


PASTED_CIPHERTEXT = (
    "is a Pulumi ciphertext written as a plain value (not shown); a secret "
    "key holds it as secure:, set with pulumi config set --secret"
)


def pasted_ciphertext(value: Any) -> bool:
    """Whether a plain value is a ``v1:`` ciphertext pasted in as text."""
    text = value if isinstance(value, str) else ""
    return text.startswith("v1:") and ciphertext_problem(text, True) is None


def _base64(text: str) -> bytes:
    """Standard, padded base64 (Go's ``base64.StdEncoding``); b"" if it is not."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""


def _collection_problem(expected: str, item_type: str | None, value: Any) -> str | None:
    if expected == "object":
        return None if isinstance(value, dict) else "must be a map"
    if not isinstance(value, list):
        return "must be a list"
    if item_type is not None and any(
        type_problem(item_type, None, item) for item in value
    ):
        return f"every item must be of type {item_type}"
    return None


def type_problem(expected: str, item_type: str | None, value: Any) -> str | None:
    """Why ``value`` is not of the declared type, as the CLI decides it."""
    if expected in ("array", "object"):
        return _collection_problem(expected, item_type, value)
    if isinstance(value, (list, dict)):
        return f"must be of type {expected}, got a {type(value).__name__}"
    text = to_config_string(value)
    ok = {
        "string": True,
        "integer": _INTEGER.match(text) is not None,
        "boolean": text in ("true", "false"),
    }.get(expected)
    if ok is None:
        return f"Pulumi.yaml declares an unknown type {expected!r}"
    return None if ok else f"must be of type {expected}, got {value!r}"


def _shape_problem(spec: dict[Any, Any]) -> str | None:
    unknown = sorted(str(k) for k in spec if k not in DECLARATION_ATTRIBUTES)
    if unknown:
        return f"unknown attribute {unknown[0]!r}"
    if "default" in spec and "value" in spec:
        return "cannot have both a 'default' and 'value' attribute"
    kind = spec.get("type")
    if ("type" in spec and kind not in TYPES) or (
        "items" in spec and not spec["items"]
    ):
        return f"type must be one of {', '.join(TYPES)}"
    if not isinstance(spec.get("description", ""), str):
        return "description must be a string"
    return _items_problem(spec)


def _items_problem(spec: dict[Any, Any]) -> str | None:
    """project.json's configItemsType, all the way down.

    Each ``items`` names a type, and an array always has ``items``.
    """
    current: Any = spec
    while True:
        items = current.get("items")
        if items is None:
            if current.get("type") != "array":
                return None
            return (
                "declares an array but does not specify the underlying type via "
                "the 'items' attribute"
            )
        if not isinstance(items, dict) or items.get("type") not in TYPES:
            return f"items: type must be one of {', '.join(TYPES)}"
        current = items


def shorthand_problem(value: Any) -> str | None:
    """A ``key: value`` shorthand takes what ``project.json`` allows there."""
    if not isinstance(value, (str, int, list)):
        kind = "null" if value is None else type(value).__name__
        return (
            f"a shorthand value must be a string, integer, boolean or list, not {kind}"
        )
    return None


def _default_problem(spec: dict[Any, Any]) -> str | None:
    if not isinstance(spec.get("secret", False), bool):
        return "secret must be true or false"
    if spec.get("secret") and ("default" in spec or "value" in spec):
        return "is a secret: it cannot have a default, set it per stack with --secret"
    kind = spec.get("type")
    default = spec.get("default", spec.get("value"))
    if kind is not None and default is not None and not _of_type(spec, default):
        return f"the default value is not of the expected type '{kind}'"
    return None


def _of_type(spec: dict[Any, Any], value: Any) -> bool:
    """Whether a YAML value is of a declaration's type, as Go holds it.

    ``project.go`` (``validateConfigValue``) on the decoded value: a string
    is a string (not ``5``), an integer a Go int (not ``"5"``, ``2.0`` or
    one beyond int64), and an array's items are of its ``items`` type.
    """
    kind = spec.get("type")
    if kind == "integer":
        return type(value) is int and -(2**63) <= value < 2**63
    if kind == "array":
        items = spec.get("items") or {}
        return isinstance(value, list) and all(_of_type(items, v) for v in value)
    kinds = {"string": str, "boolean": bool, "object": dict}
    return type(value) is kinds.get(str(kind), object)


def declaration_problem(spec: dict[Any, Any]) -> str | None:
    """What ``project.json`` and ``Project.Validate`` refuse in a declaration."""
    return _shape_problem(spec) or _default_problem(spec)
