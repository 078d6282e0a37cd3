"""Every use of the Pulumi SDK's internals, in one place: the offline harness's.

The harness needs a few things the SDK does not publish: the mock engine's
monitor, the wire format of properties and secrets, and a way to run a program
to completion outside the language host. Each is wrapped here and nowhere
else, and nothing on the deploy path (``__main__.py``, ``portfolio/``) uses
them; ``tests/test_sdk_internals.py`` exercises every wrapper, so an SDK
upgrade that moves one fails there, by name, instead of somewhere deep in a
render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
from google.protobuf import json_format  # type: ignore[import-untyped]
from pulumi.runtime import mocks as _mocks
from pulumi.runtime import rpc as _rpc
from pulumi.runtime import settings as _settings
from pulumi.runtime.stack import run_pulumi_func as _run_pulumi_func
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

# The mock engine's resource monitor, which the harness extends to record.
MockMonitor = _mocks.MockMonitor


def deserialize_properties(struct: Any) -> dict[str, Any]:
    """A registration's ``object`` (a protobuf Struct) as Python values.

    On a monitor's thread too: resource references need an event loop there.
    """
    _ensure_event_loop()  # type: ignore[no-untyped-call]
    return dict(_rpc.deserialize_properties(struct))


def message_to_dict(message: Any) -> dict[str, Any]:
    """A field of a registration request that is a protobuf message, as a dict."""
    return dict(json_format.MessageToDict(message))


def is_secret(value: Any) -> bool:
    """Whether a deserialized value is the wire form of a secret."""
    return bool(_rpc.is_rpc_secret(value))


def unwrap_secret(value: Any) -> Any:
    """The value inside the wire form of a secret."""
    return _rpc.unwrap_rpc_secret(value)


def run_to_completion(program: Callable[[], Any]) -> None:
    """Run a Pulumi program and wait for every registration it starts.

    The SDK keeps every Output that failed in ``SETTINGS.outputs`` and awaits
    them at the end of a run; that set outlives the context a run starts in,
    so it is emptied first, or one failed run would fail every later one.
    """
    _settings.SETTINGS.outputs = set()
    _sync_await(_run_pulumi_func(program))


def resolve(value: Any) -> Any:
    """The plain value of an Input or Output, once the program has run."""
    return _sync_await(pulumi.Output.from_input(value).future())


def stack_outputs() -> dict[str, Any]:
    """What the program exported; the mock engine never sees exports."""
    root = pulumi.runtime.get_root_resource()
    return dict(resolve(getattr(root, "outputs", {})) or {})
