"""Turn registrations into the rendered YAML, with every secret redacted.

The mock engine marks a secret by wrapping the smallest map or list that holds
it; every leaf inside such a wrapper becomes ``REDACTED``, keys and shape kept,
so the manifests still validate and no secret byte reaches the output.
"""

from __future__ import annotations

from typing import Any

import yaml

from render import sdk_internals
from render.harness import Registration

REDACTED = "[secret]"
# kubectl kustomize's order: what others refer to comes first.
_KIND_ORDER = [
    "Namespace",
    "ServiceAccount",
    "ConfigMap",
    "Secret",
    "Service",
    "Deployment",
]


def redact(value: Any, inside_secret: bool = False) -> Any:
    """``value`` with secret leaves replaced by ``REDACTED``; dicts key-sorted."""
    if sdk_internals.is_secret(value):
        return redact(sdk_internals.unwrap_secret(value), inside_secret=True)
    if isinstance(value, dict):
        return {key: redact(value[key], inside_secret) for key in sorted(value)}
    if isinstance(value, list):
        return [redact(item, inside_secret) for item in value]
    if inside_secret:
        return REDACTED
    # The engine carries every number as a double; Kubernetes wants integers.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def ordered(registrations: list[Registration]) -> list[Registration]:
    """Components and cloud resources by type, then Kubernetes objects by kind."""

    def key(registration: Registration) -> tuple[int, int, str, str, str]:
        urn = registration.urn
        if not is_kubernetes_object(registration):
            return (0, 0, registration.type, registration.name, urn)
        kind = registration.type.rsplit(":", 1)[-1]
        rank = _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)
        return (1, rank, kind, registration.name, urn)

    return sorted(registrations, key=key)


def is_kubernetes_object(registration: Registration) -> bool:
    """A Kubernetes resource, as opposed to a component or provider."""
    return registration.custom and registration.type.startswith("kubernetes:")


# libyaml's emitter, which the PyYAML wheels ship, is several times faster.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump_all(documents: list[Any]) -> str:
    return yaml.dump_all(
        documents,
        Dumper=_DUMPER,
        sort_keys=False,
        default_flow_style=False,
        width=4096,
    )


def kubernetes_yaml(registrations: list[Registration]) -> str:
    """The Kubernetes manifests, one document each, like ``kubectl kustomize``."""
    return _dump_all(
        [redact(r.inputs) for r in ordered(registrations) if is_kubernetes_object(r)]
    )


def resources_yaml(registrations: list[Registration]) -> str:
    """One document per registered resource: the whole registration.

    ``urn``, ``type``, ``name``, ``parent``, ``provider`` (a URN),
    ``dependsOn`` (URNs), ``inputs``, the ``options`` that are set, and, for
    components, the ``outputs`` they registered.
    """
    return _dump_all([_record(r) for r in ordered(registrations)])


def _record(registration: Registration) -> dict[str, Any]:
    r = registration
    record: dict[str, Any] = {
        "urn": r.urn,
        "type": r.type,
        "name": r.name,
        "parent": r.parent,
        "provider": r.provider,
        "dependsOn": list(r.depends_on),
        "inputs": redact(r.inputs),
        "options": dict(sorted(r.options.items())),
    }
    if not r.custom:
        record["outputs"] = redact(r.outputs or {})
    return record
