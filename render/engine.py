"""Run the real program under the Pulumi SDK's mock engine and record what it registers.

Each stack runs in an empty ``contextvars.Context``, so the SDK's per-run state
(settings, root stack, config) starts fresh and several stacks can render in one
process.
"""

from __future__ import annotations

import contextvars
import runpy
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks, rpc
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from render.stackfile import StackConfig

STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass(frozen=True)
class Registration:
    """One registered resource: its type token, name, inputs and options."""

    type: str
    name: str
    inputs: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)


class FakeCloud(pulumi.runtime.Mocks):
    """Echo inputs back as state, with ids that look like the providers' ids."""

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str, dict[str, Any]]:
        """Return a deterministic id and the inputs as outputs."""
        metadata = args.inputs.get("metadata")
        if args.typ.startswith("kubernetes:") and isinstance(metadata, dict):
            namespace = metadata.get("namespace")
            name = metadata.get("name", args.name)
            return (f"{namespace}/{name}" if namespace else str(name)), args.inputs
        return f"{args.name}-id", args.inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        """The program makes no provider function calls."""
        raise NotImplementedError(f"unexpected call to {args.token}")


class RecordingMonitor(mocks.MockMonitor):
    """A mock monitor that keeps every registration, with its options."""

    def __init__(self, fake: pulumi.runtime.Mocks) -> None:
        super().__init__(fake)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC name
        """Record the request, then register it as the SDK's mock monitor does."""
        if request.type != STACK_TYPE:
            options = {}
            if request.protect:
                options["protect"] = True
            if request.retainOnDelete:
                options["retainOnDelete"] = True
            if request.importId:
                options["import"] = request.importId
            self.registrations.append(
                Registration(
                    type=request.type,
                    name=request.name,
                    inputs=rpc.deserialize_properties(request.object),
                    options=options,
                )
            )
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]


def run_program(
    main: Path,
    project: str,
    stack: StackConfig,
    fake: pulumi.runtime.Mocks | None = None,
) -> list[Registration]:
    """Run the program file ``main`` for one stack; return what it registered."""
    root = str(main.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    return run(
        lambda: runpy.run_path(str(main), run_name="__main__"),
        project=project,
        stack=stack.stack,
        config=stack.config,
        secret_keys=stack.secret_keys,
        fake=fake,
    )


def run(
    program: Callable[[], Any],
    *,
    project: str,
    stack: str,
    config: Mapping[str, str],
    secret_keys: Iterable[str] = (),
    fake: pulumi.runtime.Mocks | None = None,
) -> list[Registration]:
    """Run ``program`` under mocks with ``config``, in a fresh SDK context."""
    fake = fake or FakeCloud()

    def in_fresh_context() -> list[Registration]:
        monitor = RecordingMonitor(fake)
        pulumi.runtime.set_mocks(
            fake, project=project, stack=stack, preview=False, monitor=monitor
        )
        pulumi.runtime.set_all_config(dict(config), list(secret_keys))
        _sync_await(run_pulumi_func(program))
        return monitor.registrations

    return contextvars.Context().run(in_fresh_context)
