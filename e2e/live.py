"""The offline render against the live cluster: every field the program set.

Each object of a stack's rendered ``kubernetes.yaml`` must exist live, and
every leaf the render sets must hold the same value live (the API server adds
defaults and drops zero values; a quantity may come back in another unit).
Values the renderer takes from its fake cloud (digest, address, accounts,
connection name: its stack outputs) are replaced by the live stack's outputs
first. Two kinds of leaf hold generated secrets and are checked for their form
only: a Secret's ``stringData`` (written ``[secret]``; live it is ``data`` with
the same keys) and the ``checksum/*`` annotations (hashes of those values).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import yaml


def objects(manifest: str) -> list[dict[str, Any]]:
    """The objects of a rendered ``kubernetes.yaml``."""
    return [doc for doc in yaml.safe_load_all(manifest) if doc]


Path = tuple[str | int, ...]


def leaves(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """(path, value) for every scalar (and empty list), lists by index."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, str(key)))
    elif isinstance(value, list):
        if not value:
            yield path, value
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def _at(obj: Any, path: Path) -> Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(obj, list) or part >= len(obj):
                return _MISSING
        elif not isinstance(obj, dict) or part not in obj:
            return _MISSING
        obj = obj[part]
    return obj


def show(path: Path) -> str:
    """A path as kubectl's jsonpath-like text: spec.containers[0].image."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


_MISSING = object()
_SUFFIX = {
    "m": "0.001",
    "k": "1e3",
    "M": "1e6",
    "G": "1e9",
    "T": "1e12",
    "Ki": "1024",
    "Mi": "1048576",
    "Gi": "1073741824",
    "Ti": "1099511627776",
}


def _quantity(value: Any) -> Decimal | None:
    """A resource quantity's amount: the API writes 1000m back as 1."""
    match = re.fullmatch(r"([0-9.]+)([a-zA-Z]*)", str(value))
    if not match or match[2] not in ("", *_SUFFIX):
        return None
    return Decimal(match[1]) * Decimal(_SUFFIX.get(match[2], "1"))


def _same(path: Path, rendered: Any, actual: Any) -> bool:
    if actual is _MISSING:
        # The API server leaves out zero values (omitempty).
        # Integer zeros and empty lists and maps; a false or "" must be there.
        zero = type(rendered) is int and rendered == 0
        return zero or rendered is None or rendered in ([], {})
    if actual == rendered or str(actual) == str(rendered):
        return True
    if "resources" in path:
        amount = _quantity(rendered)
        return amount is not None and amount == _quantity(actual)
    return False


def _faked(path: Path) -> bool:
    if path[0] == "stringData":
        return True
    return "annotations" in path and str(path[-1]).startswith("checksum/")


def cloud_values(
    rendered_outputs: dict[str, Any], outputs: dict[str, Any]
) -> dict[str, str]:
    """The renderer's fake cloud values (its stack outputs) -> the live stack's."""
    return {
        str(value): str(outputs[key])
        for key, value in rendered_outputs.items()
        if key in outputs and isinstance(value, str) and value != outputs[key]
    }


def _substitute(value: Any, cloud: dict[str, str]) -> Any:
    if not isinstance(value, str):
        return value
    for fake, real in cloud.items():
        value = value.replace(fake, real)
    return value


def mismatches(
    rendered: dict[str, Any], live: dict[str, Any], cloud: dict[str, str]
) -> list[str]:
    """What differs between a rendered object and its live copy."""
    found: list[str] = []
    for path, value in leaves(rendered):
        actual = _at(live, path)
        if _faked(path):
            if path[0] == "stringData" and path[1] not in (live.get("data") or {}):
                found.append(f"data.{path[1]} missing")
            continue
        expected = _substitute(value, cloud)
        if not _same(path, expected, actual):
            shown = "missing" if actual is _MISSING else f"live {actual!r}"
            found.append(f"{show(path)}: {shown}, rendered {expected!r}")
    return found
