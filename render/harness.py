"""Run the real program under the Pulumi SDK's mock engine and record what it registers.

Each stack runs in an empty ``contextvars.Context``, so the SDK's per-run state
(settings, root stack, config) starts fresh and several stacks can render in one
process. Every registration is kept whole: URN, parent, provider, dependencies,
inputs, the options that were set and, for components, their registered outputs.
"""

from __future__ import annotations

import contextvars
import dataclasses
import runpy
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from render import sdk_internals
from render.fakes import FakeCloud
from render.siblings import sibling_outputs
from render.stackfile import Project, StackConfig

STACK_TYPE = "pulumi:pulumi:Stack"
DIY_ORGANIZATION = "organization"
PROVIDER_TYPE_PREFIX = "pulumi:providers:"


@dataclass(frozen=True)
class Registration:
    """One registered resource, as the engine would record it."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None
    provider: str | None
    """URN of the resource's provider; None for components and providers."""
    depends_on: tuple[str, ...]
    """URNs the engine waits for: ``depends_on`` plus the inputs' resources."""
    inputs: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] | None = None
    """What a component registered with ``register_outputs``."""

    @property
    def is_provider(self) -> bool:
        """Whether this is a provider resource."""
        return self.type.startswith(PROVIDER_TYPE_PREFIX)


def engine_urn(stack: str, project: str, parent: str, type_: str, name: str) -> str:
    """A URN as the engine makes it: the parent's whole type chain, then ours.

    pulumi/pulumi ``pkg/resource/deploy/deployment.go`` (``generateURN``) and
    ``sdk/go/common/resource/urn/urn.go`` (``New``): the qualified type is the
    parent's full qualified type, ``$``, this type; the root stack adds nothing.
    The SDK's mock monitor keeps only the parent's last type, which would hide
    a change of the chain above it.
    """
    qualified = type_
    if parent:
        parent_type = parent.split("::")[2]
        if parent_type != STACK_TYPE:
            qualified = f"{parent_type}${type_}"
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def _options(request: Any) -> dict[str, Any]:
    """Every resource option the request sets, by its Pulumi name."""
    options: dict[str, Any] = {}
    if request.protect:
        options["protect"] = True
    if request.retainOnDelete:
        options["retainOnDelete"] = True
    if request.importId:
        options["import"] = request.importId
    if request.deleteBeforeReplace:
        options["deleteBeforeReplace"] = True
    return {**options, **_list_options(request)}


def _list_options(request: Any) -> dict[str, Any]:
    """The options that are lists or messages, when not empty."""
    options: dict[str, Any] = {
        "ignoreChanges": sorted(request.ignoreChanges),
        "replaceOnChanges": sorted(request.replaceOnChanges),
        "additionalSecretOutputs": sorted(request.additionalSecretOutputs),
        "aliases": [sdk_internals.message_to_dict(alias) for alias in request.aliases]
        + [{"urn": urn} for urn in request.aliasURNs],
    }
    if request.HasField("customTimeouts"):
        options["customTimeouts"] = sdk_internals.message_to_dict(
            request.customTimeouts
        )
    return {name: value for name, value in options.items() if value}


class RecordingMonitor(sdk_internals.MockMonitor):
    """A mock monitor that keeps every registration whole."""

    def __init__(self, fake: pulumi.runtime.Mocks, stack: str, project: str) -> None:
        super().__init__(fake)
        self._stack = stack
        self._project = project
        self._registrations: list[Registration] = []
        self._outputs: dict[str, dict[str, Any]] = {}

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The engine's URN, not the mock's (see ``engine_urn``)."""
        return engine_urn(self._stack, self._project, parent, type_, name)

    def _record(
        self, request: Any, custom: bool, inputs: Any, options: dict[str, Any]
    ) -> None:
        self._registrations.append(
            Registration(
                urn=self.make_urn(request.parent, request.type, request.name),
                type=request.type,
                name=request.name,
                custom=custom,
                parent=request.parent or None,
                provider=request.provider.rsplit("::", 1)[0] or None,
                depends_on=tuple(sorted(set(request.dependencies))),
                inputs=dict(sdk_internals.deserialize_properties(inputs)),
                options=options,
            )
        )

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC name
        """Record the request, then register it as the SDK's mock monitor does."""
        if request.type != STACK_TYPE:
            # Before the mock sees them: a fake may add computed fields to its state.
            self._record(request, request.custom, request.object, _options(request))
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 - gRPC name
        """Record a read (``Resource.get``, a stack reference) with the ID it reads."""
        self._record(request, True, request.properties, {"id": request.id})
        return super().ReadResource(request)  # type: ignore[no-untyped-call]

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 - gRPC name
        """Keep what a component registered as its outputs."""
        self._outputs[request.urn] = sdk_internals.deserialize_properties(
            request.outputs
        )
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]

    @property
    def registrations(self) -> list[Registration]:
        """Every registration, each component with the outputs it registered."""
        return [
            dataclasses.replace(r, outputs=self._outputs[r.urn])
            if r.urn in self._outputs
            else r
            for r in self._registrations
        ]


@dataclass(frozen=True)
class Run:
    """What one program run registered, and the stack outputs it exported."""

    registrations: list[Registration]
    outputs: dict[str, Any]


def run_program(
    main: Path,
    project: Project,
    stack: StackConfig,
    fake: pulumi.runtime.Mocks | None = None,
) -> Run:
    """Run the program file ``main`` for one stack.

    By default the fake cloud answers stack references from the stack files
    beside this one (``render.siblings``).
    """
    root = str(main.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    return run(
        lambda: runpy.run_path(str(main), run_name="__main__"),
        project=project.name,
        stack=stack.stack,
        config=stack.config,
        secret_keys=stack.secret_keys,
        fake=fake or FakeCloud(stacks=sibling_outputs(project, stack.path.parent)),
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
        monitor = RecordingMonitor(fake, stack, project)
        pulumi.runtime.set_mocks(
            fake,
            project=project,
            stack=stack,
            preview=False,
            monitor=monitor,
            # What a DIY backend (gs://) calls every stack's organization.
            organization=DIY_ORGANIZATION,
        )
        pulumi.runtime.set_all_config(dict(config), list(secret_keys))
        sdk_internals.run_to_completion(program)
        return Run(monitor.registrations, sdk_internals.stack_outputs())

    return contextvars.Context().run(in_fresh_context)
