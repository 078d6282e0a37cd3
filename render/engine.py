"""Run the real program under the Pulumi SDK's mock engine and record what it registers.

Each stack runs in an empty ``contextvars.Context``, so the SDK's per-run state
(settings, root stack, config) starts fresh and several stacks can render in one
process.
"""

from __future__ import annotations

import base64
import contextvars
import json
import runpy
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks, rpc
from pulumi.runtime.settings import get_root_resource
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
    # Not written out; kept so tests can check how a replacement would run.
    delete_before_replace: bool = False


# An obviously fake service-account key: the shape of a real one, no real key.
FAKE_KEY_MARKER = "FAKE-KEY-FROM-THE-MOCK-ENGINE"


def _fake_key(inputs: dict[str, Any]) -> dict[str, Any]:
    account = str(inputs.get("serviceAccountId", ""))
    email = account.rsplit("/", 1)[-1]
    key = {
        "type": "service_account",
        "client_email": email,
        "private_key_id": "0" * 40,
        "private_key": f"-----BEGIN PRIVATE KEY-----\n{FAKE_KEY_MARKER}\n"
        "-----END PRIVATE KEY-----\n",
    }
    encoded = base64.b64encode(json.dumps(key).encode()).decode()
    return {"privateKey": encoded, "name": f"{account}/keys/{'0' * 40}"}


def _fake_account(inputs: dict[str, Any]) -> dict[str, Any]:
    email = f"{inputs['accountId']}@{inputs['project']}.iam.gserviceaccount.com"
    return {
        "email": email,
        "member": f"serviceAccount:{email}",
        "name": f"projects/{inputs['project']}/serviceAccounts/{email}",
        "uniqueId": "100000000000000000000",
    }


# Outputs the Google provider computes, keyed by type token.
_COMPUTED: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "gcp:serviceaccount/account:Account": _fake_account,
    "gcp:serviceaccount/key:Key": _fake_key,
}


class FakeCloud(pulumi.runtime.Mocks):
    """Echo inputs back as state, plus the fields the providers would compute."""

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str, dict[str, Any]]:
        """Return a deterministic id and the inputs, with computed outputs added."""
        metadata = args.inputs.get("metadata")
        if args.typ.startswith("kubernetes:") and isinstance(metadata, dict):
            namespace = metadata.get("namespace")
            name = metadata.get("name", args.name)
            return (f"{namespace}/{name}" if namespace else str(name)), args.inputs
        computed = _COMPUTED.get(args.typ)
        state = {**args.inputs, **(computed(args.inputs) if computed else {})}
        return f"{args.name}-id", state

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
                    delete_before_replace=request.deleteBeforeReplace,
                )
            )
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class Run:
    """What one program run registered, and the stack outputs it exported."""

    registrations: list[Registration]
    outputs: dict[str, Any]


def run_program(
    main: Path,
    project: str,
    stack: StackConfig,
    fake: pulumi.runtime.Mocks | None = None,
) -> Run:
    """Run the program file ``main`` for one stack."""
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
) -> Run:
    """Run ``program`` under mocks with ``config``, in a fresh SDK context."""
    fake = fake or FakeCloud()

    def in_fresh_context() -> Run:
        monitor = RecordingMonitor(fake)
        pulumi.runtime.set_mocks(
            fake, project=project, stack=stack, preview=False, monitor=monitor
        )
        pulumi.runtime.set_all_config(dict(config), list(secret_keys))
        _sync_await(run_pulumi_func(program))
        # The mock engine never sees exports; read them off the root stack.
        exported = getattr(get_root_resource(), "outputs", {})
        outputs = _sync_await(pulumi.Output.from_input(exported).future())
        return Run(monitor.registrations, dict(outputs or {}))

    return contextvars.Context().run(in_fresh_context)
