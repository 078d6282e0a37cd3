"""An object's fields as dotted paths (``spec.template.spec.containers[0]``).

Both sides are flattened to ``(path, value)`` leaves and compared path by
path. ``ABSENT`` stands for a field one side does not set; ``SECRET_VALUE``
stands for a value that is never compared or printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

SECRET_VALUE = "(secret value, not compared)"


class _Absent:
    def __repr__(self) -> str:
        return "(not set)"


ABSENT = _Absent()


def covered(path: str, prefixes: tuple[str, ...] | frozenset[str]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or lies under one."""
    return any(path == p or path.startswith((f"{p}.", f"{p}[")) for p in prefixes)


def leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(dotted.path[index], leaf)`` of every scalar and empty container."""
    if isinstance(value, dict) and value:
        for key in value:
            yield from leaves(value[key], f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from leaves(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


def value_at(inputs: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path with [index] parts; ``ABSENT`` when missing."""
    value: Any = inputs
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(value, list) or index >= len(value):
                return ABSENT
            value = value[index]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return ABSENT
    return value
