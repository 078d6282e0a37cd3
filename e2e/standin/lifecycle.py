"""What every stand-in does with a resource: check, create, update, read.

A ``Behaviour`` holds one provider's rules; the gRPC servicer
(``servicer.py``) only unpacks requests and packs answers. Outputs are the
inputs echoed back (secrets still wrapped), plus the provider's computed
values (``computed``), plus ``id``; every output the SDK marks secret is
wrapped too. During a preview a create returns no ID and every output the
user did not set as unknown, as a Terraform plan shows "known after apply";
an update's preview keeps the old outputs under the new inputs. A ``Read``
with state (refresh) returns that state and those inputs unchanged: the
stand-in's cloud never drifts. A ``Read`` with only an ID (an import or a
``get``) parses the ID with the provider's ID templates and computes the
rest.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass, field
from typing import Any

import grpc  # type: ignore[import-untyped]
from pulumi.runtime.proto import provider_pb2

from e2e.standin import check, schema, values
from e2e.standin.check import Failure
from e2e.standin.diff import diff
from e2e.standin.schema import ResourceSchema
from e2e.standin.values import Props

CONFIG_FAILURE = "could not validate provider configuration: "


class ProviderError(Exception):
    """A failed call, answered with this gRPC status code and message."""

    def __init__(self, message: str, code: Any = grpc.StatusCode.UNKNOWN) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Ctx:
    """One resource's inputs (secrets revealed) and its provider's config."""

    token: str
    name: str
    """The resource's name in its URN."""
    inputs: Props
    config: Props
    old: Props = field(default_factory=dict)
    """The outputs before an update, secrets revealed; empty on create."""

    def setting(self, key: str) -> str:
        """An input, else the provider's config of that name; required."""
        value = self.inputs.get(key) or self.config.get(key)
        if not value:
            raise ProviderError(f"{key}: required field is not set")
        return str(value)

    def stable(self, key: str, fresh: Any) -> Any:
        """The old output ``key`` if there is one, else ``fresh``."""
        return self.old.get(key, fresh)


def _schema(token: str, method: str) -> ResourceSchema:
    try:
        return schema.resource(token)
    except LookupError:
        raise ProviderError(
            f"unrecognized resource type ({method}): {token}",
            grpc.StatusCode.INVALID_ARGUMENT,
        ) from None


class Behaviour:
    """A provider's rules; subclasses add IDs, computed outputs, functions."""

    package = ""
    supports_autonaming = False
    import_keeps_id = True
    """Whether an imported resource keeps its import ID (else: a create's)."""

    @property
    def version(self) -> str:
        """The version of the SDK the program uses, which the engine expects."""
        return importlib.metadata.version(f"pulumi_{self.package}")

    # Hooks for subclasses.
    def computed(self, resource: ResourceSchema, ctx: Ctx) -> Props:
        """Outputs the provider computes (wire names); none by default."""
        return {}

    def resource_id(self, resource: ResourceSchema, ctx: Ctx, outs: Props) -> str:
        """The ID a create returns; the resource's name by default."""
        return str(outs.get("name") or ctx.name)

    def parse_id(self, resource: ResourceSchema, resource_id: str) -> Props:
        """The inputs an import ID names; refused by default."""
        raise ProviderError(f"resource {resource.token} cannot be imported")

    def imported(self, resource: ResourceSchema, resource_id: str) -> Props:
        """The outputs an import ID gives away, as if old state; the ID here."""
        return {"id": resource_id}

    def replaces(self, key: str) -> bool:
        """Whether a change of input ``key`` forces a replacement."""
        return False

    def autoname(self, resource: ResourceSchema, inputs: Props, **_: Any) -> Props:
        """Inputs with a generated name where the provider makes one; none here."""
        return inputs

    def invoke(self, token: str, args: Props, config: Props) -> Props:
        """A provider function's result; none by default."""
        raise ProviderError(f"unknown function {token}")

    # The lifecycle.
    def check(
        self, token: str, name: str, news: Props, **naming: Any
    ) -> tuple[Props, list[Failure]]:
        """Checked inputs (autonamed where the provider names) and failures."""
        resource = _schema(token, "Check")
        inputs = check.inputs_of(news)
        failures = check.failures(resource, inputs, name)
        return self.autoname(resource, inputs, name=name, **naming), failures

    def check_config(
        self, token: str, name: str, news: Props
    ) -> tuple[Props, list[Failure]]:
        """A provider's configuration, checked as the bridge's ``CheckConfig``."""
        resource = _schema(token, "CheckConfig")
        inputs = check.inputs_of(news, check.PROVIDER_RESERVED)
        failures = [
            Failure(f.property, CONFIG_FAILURE + f.reason)
            for f in check.failures(resource, inputs, name)
        ]
        return check.inputs_of(news), failures

    def diff(
        self, token: str, olds: Props, news: Props, ignore: list[str]
    ) -> provider_pb2.DiffResponse:
        """The changes between old and new inputs, of the type's input names.

        A provider's configuration never replaces anything here.
        """
        inputs = _schema(token, "Diff").inputs
        old = {k: v for k, v in check.inputs_of(olds).items() if k in inputs}
        new = {k: v for k, v in check.inputs_of(news).items() if k in inputs}
        is_provider = token.startswith("pulumi:providers:")
        replaces = (lambda key: False) if is_provider else self.replaces
        return diff(old, new, replaces=replaces, ignore=ignore)

    def outputs(
        self, resource: ResourceSchema, inputs: Props, computed: Props, rid: str
    ) -> Props:
        """Inputs echoed, computed values added where unset, secrets wrapped."""
        known = resource.outputs | set(resource.inputs)
        added = {k: v for k, v in computed.items() if k in known and k not in inputs}
        outs = {**inputs, **added}
        if rid:
            outs["id"] = rid
        return values.secret_keys(outs, resource.secrets)

    def planned(self, resource: ResourceSchema, ctx: Ctx) -> Props:
        """Outputs a plan already knows (a default project, say); none here."""
        return {}

    def create(
        self, token: str, name: str, props: Props, config: Props, *, preview: bool
    ) -> tuple[str, Props]:
        """A new resource's ID (empty in a preview) and outputs."""
        resource = _schema(token, "Create")
        inputs = check.inputs_of(props)
        ctx = Ctx(token, name, values.reveal(inputs), config)
        if preview:
            planned = self.planned(resource, ctx)
            unknown = {
                k: values.UNKNOWN
                for k in resource.outputs
                if k not in inputs and k not in planned
            }
            return "", self.outputs(resource, inputs, {**unknown, **planned}, "")
        computed = self.computed(resource, ctx)
        rid = self.resource_id(resource, ctx, {**computed, **ctx.inputs})
        return rid, self.outputs(resource, inputs, computed, rid)

    def update(
        self,
        token: str,
        name: str,
        *,
        rid: str,
        olds: Props,
        news: Props,
        config: Props,
        preview: bool,
    ) -> Props:
        """The outputs after an in-place update (old computed values kept)."""
        resource = _schema(token, "Update")
        inputs = check.inputs_of(news)
        old = check.inputs_of(olds)
        kept = {k: v for k, v in old.items() if k not in resource.inputs}
        if preview or values.has_unknown(inputs):
            return self.outputs(resource, inputs, kept, rid)
        ctx = Ctx(token, name, values.reveal(inputs), config, values.reveal(old))
        fresh = self.computed(resource, ctx)
        return self.outputs(resource, inputs, {**kept, **fresh}, rid)

    def read(
        self,
        token: str,
        name: str,
        *,
        rid: str,
        state: Props,
        inputs: Props,
        config: Props,
    ) -> tuple[str, Props, Props]:
        """ID, outputs and inputs: the state as it is, or what an ID names."""
        resource = _schema(token, "Read")
        if state:
            return rid, state, inputs
        given = {**check.inputs_of(inputs), **self.parse_id(resource, rid)}
        old = self.imported(resource, rid)
        ctx = Ctx(token, name, values.reveal(given), config, old)
        computed = self.computed(resource, ctx)
        if not self.import_keeps_id:
            rid = self.resource_id(resource, ctx, {**computed, **ctx.inputs})
        return rid, self.outputs(resource, given, computed, rid), given
