"""The calls log: one JSON object a line for every call the engine makes.

Each line has ``seq``, ``time``, ``provider`` (``gcp``/``random``),
``method``, ``type`` and ``urn`` where the call has them, ``request`` and
``response`` (the protobuf messages as JSON, proto field names) or ``error``.
No secret reaches the file: a secret value is ``[secret]`` (an unknown one
``[unknown]``), and so is each provider-configuration value whose key the
SDK marks secret or names a credential, since the engine sends provider
configuration to ``CheckConfig`` and ``DiffConfig`` with secrets unwrapped.
Configure's ``variables`` (the same configuration, flattened to strings) are
left out.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from google.protobuf import json_format  # type: ignore[import-untyped]

from e2e.standin import fake, values

_CREDENTIAL = re.compile(r"credential|token|secret|password|key", re.IGNORECASE)
_DROPPED = ("variables", "resource_status_address", "resource_status_token")
_CONFIG_FIELDS = ("news", "olds", "old_inputs")


def urn_type(urn: str) -> str:
    """The type token in a URN (``urn:pulumi:s::p::parent$type::name``)."""
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) > 3 else ""


def _hide_config(value: Any, secret_keys: frozenset[str]) -> Any:
    if not isinstance(value, dict):
        return value
    return {
        k: values.secret(v) if k in secret_keys or _CREDENTIAL.search(k) else v
        for k, v in value.items()
    }


def summary(message: Any, config_secrets: frozenset[str] | None = None) -> Any:
    """A protobuf message as redacted JSON-ready data."""
    data: dict[str, Any] = json_format.MessageToDict(
        message, preserving_proto_field_name=True
    )
    for key in _DROPPED:
        data.pop(key, None)
    if config_secrets is not None:
        for key in _CONFIG_FIELDS:
            if key in data:
                data[key] = _hide_config(data[key], config_secrets)
    return values.redact(data)


class Recorder:
    """Appends entries to the calls file (if any), one JSON line each."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seq = 0

    def record(self, entry: Mapping[str, Any]) -> None:
        """Write one entry, numbered and timed."""
        with self._lock:
            self._seq += 1
            line = {"seq": self._seq, "time": fake.now(), **entry}
            if self.path is not None:
                with self.path.open("a") as out:
                    out.write(json.dumps(line, sort_keys=True) + "\n")


def read(path: Path) -> list[dict[str, Any]]:
    """Every entry of a calls file, in order; none if it does not exist."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]
