"""Input validation as a bridged provider's ``Check`` reports it.

Every input name, nested ones included, is looked up in the SDK's schema
(``schema.py``); an unknown name or a missing required one is a check
failure with the Terraform bridge's wording (pulumi-terraform-bridge turns
Terraform's diagnostics into ``<summary>. Examine values at
'<resource>.<path>'.``). Keys beginning with ``__`` are the engine's and the
bridge's own (``__defaults`` in old states, ``__meta``) and are dropped, as
the bridge drops them; a provider's ``version`` and ``pluginDownloadURL`` are
the engine's too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from e2e.standin import schema, values
from e2e.standin.schema import ResourceSchema, Shape

PROVIDER_RESERVED = frozenset({"version", "pluginDownloadURL"})


@dataclass(frozen=True)
class Failure:
    """One check failure: the top-level property and the reason."""

    property: str
    reason: str


def reserved(key: str) -> bool:
    """Whether ``key`` belongs to the engine or the bridge, not the resource."""
    return key.startswith("__")


def inputs_of(props: Mapping[str, Any], drop: frozenset[str] = frozenset()) -> Any:
    """The resource's own inputs: reserved keys dropped, references resolved."""
    return {
        key: values.normalize(value)
        for key, value in props.items()
        if not reserved(key) and key not in drop
    }


def _unknown_key(name: str, path: str) -> str:
    return f"Invalid or unknown key. Examine values at '{name}.{path}'."


def _missing(name: str, path: str, python_name: str) -> str:
    return (
        f'Missing required argument. The argument "{python_name}" is required, '
        f"but no definition was found.. Examine values at '{name}.{path}'."
    )


def _object(
    value: Mapping[str, Any], cls: type, path: str, name: str, top: str
) -> list[Failure]:
    known = schema.fields(cls)
    found: list[Failure] = []
    for key, item in value.items():
        where = f"{path}.{key}"
        if key not in known:
            found.append(Failure(top, _unknown_key(name, where)))
        else:
            found.extend(_nested(item, known[key], where, name, top))
    py_names = schema.python_names(cls)
    for key in sorted(schema.required(cls) - set(value)):
        reason = _missing(name, f"{path}.{key}", py_names.get(key, key))
        found.append(Failure(top, reason))
    return found


def _nested(value: Any, shape: Shape, path: str, name: str, top: str) -> list[Failure]:
    """Failures inside one value of the given shape (secrets looked into)."""
    plain = value.get("value") if values.is_secret(value) else value
    if plain is None or values.is_unknown(plain):
        return []
    if shape.kind == "object" and shape.cls and isinstance(plain, dict):
        return _object(plain, shape.cls, path, name, top)
    if shape.of is None:
        return []
    if shape.kind == "list" and isinstance(plain, list):
        return [
            f
            for i, item in enumerate(plain)
            for f in _nested(item, shape.of, f"{path}[{i}]", name, top)
        ]
    if shape.kind == "map" and isinstance(plain, dict):
        return [
            f
            for key, item in plain.items()
            for f in _nested(item, shape.of, f"{path}.{key}", name, top)
        ]
    return []


def failures(
    resource: ResourceSchema, inputs: Mapping[str, Any], name: str
) -> list[Failure]:
    """Unknown and missing property names, at every level the SDK types."""
    found: list[Failure] = []
    for key, value in inputs.items():
        shape = resource.inputs.get(key)
        if shape is None:
            found.append(Failure(key, _unknown_key(name, key)))
        else:
            found.extend(_nested(value, shape, key, name, key))
    for key in sorted(resource.required):
        if inputs.get(key) is None:
            python_name = resource.python_names.get(key, key)
            found.append(Failure(key, _missing(name, key, python_name)))
    return found
