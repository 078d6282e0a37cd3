"""The engine-facing half of a stand-in: the handshake, logging and errors.

With ``PULUMI_DEBUG_PROVIDERS=gcp:PORT`` the engine connects to a provider
already listening instead of starting its plugin (pulumi/pulumi
``pkg/resource/plugin/provider_plugin.go``, ``NewProvider``): it calls
``Handshake`` (``Unimplemented`` would be tolerated), then ``Attach`` (which
must succeed), then ``GetPluginInfo`` (the host warns when the version is
below the one the SDK asks for, ``pkg/host/host.go``). The handshake answers
as a bridged provider does: secrets and resource references accepted,
output values not; the engine then always sends previews. An attached
provider also counts as installed (``pkg/pluginstorage``), so no
``pulumi-resource-gcp`` binary is looked for. Each provider instance the
engine loads dials its own connection, so configuration is kept per peer.

Every call is logged (``calls.py``); a ``ProviderError`` becomes the gRPC
status it names, any other exception ``INTERNAL`` with its message.
"""

from __future__ import annotations

import json
import threading
import traceback
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import grpc  # type: ignore[import-untyped]
from google.protobuf import empty_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from e2e.standin import calls, schema
from e2e.standin.lifecycle import Behaviour, ProviderError
from e2e.standin.values import Props

R = TypeVar("R")


def fail(context: Any, code: Any, message: str) -> NoReturn:
    """End the call with a gRPC status."""
    context.abort(code, message)
    raise AssertionError("context.abort returned")  # pragma: no cover


class Plumbing(provider_pb2_grpc.ResourceProviderServicer):
    """Handshake, plugin info, logging and errors; no resource logic."""

    def __init__(self, behaviour: Behaviour, recorder: calls.Recorder) -> None:
        self.behaviour = behaviour
        self.recorder = recorder
        self.provider_token = f"pulumi:providers:{behaviour.package}"
        self._lock = threading.Lock()
        self._configs: dict[str, Props] = {}

    def serve(
        self, method: str, request: Any, context: Any, answer: Callable[[], R]
    ) -> R:
        """Answer, log request and response (or error), map errors to statuses."""
        entry: dict[str, Any] = {"provider": self.behaviour.package, "method": method}
        if getattr(request, "urn", ""):
            entry.update(type=calls.urn_type(request.urn), urn=request.urn)
        hidden = None
        if method in ("CheckConfig", "DiffConfig"):
            hidden = schema.resource(self.provider_token).secrets
        entry["request"] = calls.summary(request, hidden)
        try:
            response = answer()
        except ProviderError as error:
            self.recorder.record({**entry, "error": error.message})
            fail(context, error.code, error.message)
        except Exception as error:
            detail = "".join(traceback.format_exception_only(error)).strip()
            self.recorder.record({**entry, "error": traceback.format_exc()})
            fail(context, grpc.StatusCode.INTERNAL, f"stand-in {method}: {detail}")
        self.recorder.record({**entry, "response": calls.summary(response)})
        return response

    def configure(self, context: Any, config: Props) -> None:
        """Keep the configuration of the provider instance on this connection."""
        with self._lock:
            self._configs[context.peer()] = config

    def config(self, context: Any) -> Props:
        """The configuration of the provider instance on this connection."""
        with self._lock:
            return self._configs.get(context.peer(), {})

    def Handshake(self, request: Any, context: Any) -> Any:  # noqa: N802
        """The protocol a bridged provider speaks."""
        response = provider_pb2.ProviderHandshakeResponse(
            accept_secrets=True,
            accept_resources=True,
            accept_outputs=False,
            supports_autonaming_configuration=self.behaviour.supports_autonaming,
        )
        return self.serve("Handshake", request, context, lambda: response)

    def Attach(self, request: Any, context: Any) -> Any:  # noqa: N802
        """The engine's address; nothing to do with it."""
        return self.serve("Attach", request, context, empty_pb2.Empty)

    def GetPluginInfo(self, request: Any, context: Any) -> Any:  # noqa: N802
        """The version of the SDK in use, which the engine expects."""
        info = plugin_pb2.PluginInfo(version=self.behaviour.version)
        return self.serve("GetPluginInfo", request, context, lambda: info)

    def GetSchema(self, request: Any, context: Any) -> Any:  # noqa: N802
        """A schema of the package's name and version only, no types."""
        b = self.behaviour
        text = json.dumps({"name": b.package, "version": b.version})
        response = provider_pb2.GetSchemaResponse(schema=text)
        return self.serve("GetSchema", request, context, lambda: response)

    def Cancel(self, request: Any, context: Any) -> Any:  # noqa: N802
        """Acknowledged; no call here runs long enough to need cancelling."""
        return self.serve("Cancel", request, context, empty_pb2.Empty)

    def GetMapping(self, request: Any, context: Any) -> Any:  # noqa: N802
        """No mapping (mappings serve ``pulumi convert``)."""
        answer = provider_pb2.GetMappingResponse
        return self.serve("GetMapping", request, context, answer)

    def GetMappings(self, request: Any, context: Any) -> Any:  # noqa: N802
        """No mappings."""
        answer = provider_pb2.GetMappingsResponse
        return self.serve("GetMappings", request, context, answer)

    def _unimplemented(self, method: str, context: Any) -> NoReturn:
        self.recorder.record({"provider": self.behaviour.package, "method": method})
        fail(context, grpc.StatusCode.UNIMPLEMENTED, f"{method} is not implemented")

    def Parameterize(self, request: Any, context: Any) -> NoReturn:  # noqa: N802
        """Not a parameterized provider."""
        self._unimplemented("Parameterize", context)

    def Construct(self, request: Any, context: Any) -> NoReturn:  # noqa: N802
        """No components."""
        self._unimplemented("Construct", context)

    def Call(self, request: Any, context: Any) -> NoReturn:  # noqa: N802
        """No methods."""
        self._unimplemented("Call", context)
