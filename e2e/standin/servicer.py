"""The resource half of a stand-in: the engine's lifecycle calls.

``CheckConfig``, ``DiffConfig`` and ``Configure`` come once per provider
resource; then ``Check``, ``Diff``, ``Create``, ``Read``, ``Update``,
``Delete`` per resource and ``Invoke`` per function call, each unpacked
here and answered by the provider's ``Behaviour`` (``lifecycle.py``).
"""

from __future__ import annotations

import json
from typing import Any

from google.protobuf import empty_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import provider_pb2

from e2e.standin import calls, check, schema, values
from e2e.standin.plumbing import Plumbing
from e2e.standin.values import Props, from_struct, to_struct


def _name(request: Any) -> str:
    return str(getattr(request, "name", "") or request.urn.rsplit("::", 1)[-1])


def _type(request: Any) -> str:
    return str(getattr(request, "type", "") or calls.urn_type(request.urn))


def _checked(inputs: Props, found: list[check.Failure]) -> Any:
    failures = [
        provider_pb2.CheckFailure(property=f.property, reason=f.reason) for f in found
    ]
    return provider_pb2.CheckResponse(inputs=to_struct(inputs), failures=failures)


def _olds(request: Any) -> Props:
    """The old inputs the engine sends, else the old outputs."""
    return from_struct(request.old_inputs) or from_struct(request.olds)


class Servicer(Plumbing):
    """One stand-in provider: the engine's calls answered by a ``Behaviour``."""

    def CheckConfig(self, request: Any, context: Any) -> Any:  # noqa: N802
        """The provider's configuration checked against ``ProviderArgs``."""

        def answer() -> Any:
            news = from_struct(request.news)
            checked = self.behaviour.check_config(_type(request), _name(request), news)
            return _checked(*checked)

        return self.serve("CheckConfig", request, context, answer)

    def DiffConfig(self, request: Any, context: Any) -> Any:  # noqa: N802
        """Changed configuration: an update of the provider, never a replacement."""
        return self.serve("DiffConfig", request, context, lambda: self._diff(request))

    def Configure(self, request: Any, context: Any) -> Any:  # noqa: N802
        """Keep the configuration: secrets revealed, JSON strings decoded."""

        def answer() -> Any:
            variables = {
                k.rsplit(":config:", 1)[-1]: v for k, v in request.variables.items()
            }
            config = values.reveal(
                check.inputs_of(from_struct(request.args) or variables)
            )
            shapes = schema.resource(self.provider_token).inputs
            for key, value in config.items():
                if (
                    key in shapes
                    and shapes[key].kind != "scalar"
                    and isinstance(value, str)
                ):
                    config[key] = json.loads(value)
            self.configure(context, config)
            return provider_pb2.ConfigureResponse(
                acceptSecrets=True,
                supportsPreview=True,
                acceptResources=True,
                acceptOutputs=False,
                supports_autonaming_configuration=self.behaviour.supports_autonaming,
            )

        return self.serve("Configure", request, context, answer)

    def Check(self, request: Any, context: Any) -> Any:  # noqa: N802
        """Inputs checked against the SDK's types; autonamed where it names."""

        def answer() -> Any:
            naming = request.autonaming if request.HasField("autonaming") else None
            inputs, found = self.behaviour.check(
                _type(request),
                _name(request),
                from_struct(request.news),
                olds=from_struct(request.olds),
                seed=bytes(request.randomSeed),
                autonaming=naming,
            )
            return _checked(inputs, found)

        return self.serve("Check", request, context, answer)

    def _diff(self, request: Any) -> Any:
        news, ignore = from_struct(request.news), list(request.ignoreChanges)
        return self.behaviour.diff(_type(request), _olds(request), news, ignore)

    def Diff(self, request: Any, context: Any) -> Any:  # noqa: N802
        """Changed inputs: updates, or replacements where the provider replaces."""
        return self.serve("Diff", request, context, lambda: self._diff(request))

    def Create(self, request: Any, context: Any) -> Any:  # noqa: N802
        """A new resource's ID and outputs (no ID and unknowns in a preview)."""

        def answer() -> Any:
            rid, outs = self.behaviour.create(
                _type(request),
                _name(request),
                from_struct(request.properties),
                self.config(context),
                preview=request.preview,
            )
            return provider_pb2.CreateResponse(id=rid, properties=to_struct(outs))

        return self.serve("Create", request, context, answer)

    def Read(self, request: Any, context: Any) -> Any:  # noqa: N802
        """The state as it is (refresh), or what an ID names (import, get)."""

        def answer() -> Any:
            rid, outs, ins = self.behaviour.read(
                _type(request),
                _name(request),
                rid=request.id,
                state=from_struct(request.properties),
                inputs=from_struct(request.inputs),
                config=self.config(context),
            )
            return provider_pb2.ReadResponse(
                id=rid, properties=to_struct(outs), inputs=to_struct(ins)
            )

        return self.serve("Read", request, context, answer)

    def Update(self, request: Any, context: Any) -> Any:  # noqa: N802
        """The outputs after an in-place update."""

        def answer() -> Any:
            outs = self.behaviour.update(
                _type(request),
                _name(request),
                rid=request.id,
                olds=from_struct(request.olds),
                news=from_struct(request.news),
                config=self.config(context),
                preview=request.preview,
            )
            return provider_pb2.UpdateResponse(properties=to_struct(outs))

        return self.serve("Update", request, context, answer)

    def Delete(self, request: Any, context: Any) -> Any:  # noqa: N802
        """Always succeeds: the stand-in's cloud keeps nothing."""
        return self.serve("Delete", request, context, empty_pb2.Empty)

    def Invoke(self, request: Any, context: Any) -> Any:  # noqa: N802
        """A provider function's result."""

        def answer() -> Any:
            args = values.reveal(check.inputs_of(from_struct(request.args)))
            result = self.behaviour.invoke(request.tok, args, self.config(context))
            return provider_pb2.InvokeResponse(**{"return": to_struct(result)})

        return self.serve("Invoke", request, context, answer)
