"""The policy pack's rules (``policy.rules``) on every registration of a stack.

``python -m render`` and ``check`` refuse a stack that breaks a rule, as
``pulumi preview --policy-pack policy`` would. Reads (``Resource.get``, stack
references) are not the stack's to manage and are not checked; secret inputs
are checked by their values, which stay in memory.
"""

from __future__ import annotations

from typing import Any

from policy import rules
from render import sdk_internals
from render.harness import Registration


def _plain(value: Any) -> Any:
    if sdk_internals.is_secret(value):
        return _plain(sdk_internals.unwrap_secret(value))
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def problems(registrations: list[Registration]) -> list[str]:
    """``policy <rule>: <resource>: <message>`` for every violation."""
    lines: list[str] = []
    for registration in registrations:
        managed = registration.custom and "id" not in registration.options
        if not managed or registration.is_provider:
            continue
        resource = rules.Resource(
            type=registration.type,
            name=registration.name,
            props=_plain(registration.inputs),
            protect=bool(registration.options.get("protect")),
        )
        lines.extend(
            f"policy {rule}: {registration.type} {registration.name}: {message}"
            for rule, message in rules.violations(resource)
        )
    return lines
