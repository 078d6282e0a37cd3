"""The Google stand-in: pulumi-gcp's resources and ``getDockerImage``, offline.

No Google API is called. Inputs are checked against the installed
``pulumi_gcp`` SDK (``schema.py``); IDs and computed outputs follow
``gcp_types.py``. As the Terraform provider's ``DefaultProviderProject``
customization does, a resource's missing ``project`` and ``region`` (and a
missing ``location``: the region) come from the provider's configuration,
already in a preview. An optional ``name`` left out is generated as
pulumi-gcp's autonaming does: the resource's name, a dash and seven hex
characters from the engine's random seed (kept from the old inputs).

Replacements: it knows none of Google's rules (``diff.py``), so a changed
property is an update, except ``keepers``.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
from pulumi.runtime.proto import provider_pb2

from e2e.standin import gcp_types, ids, registry, schema
from e2e.standin.lifecycle import Behaviour, Ctx, ProviderError
from e2e.standin.schema import ResourceSchema
from e2e.standin.values import Props

GET_DOCKER_IMAGE = "gcp:artifactregistry/getDockerImage:getDockerImage"
_LABELS = ("effectiveLabels", "pulumiLabels", "terraformLabels")
_DISABLE = provider_pb2.CheckRequest.AutonamingOptions.DISABLE


class GcpBehaviour(Behaviour):
    """pulumi-gcp's resources, IDs and outputs; images from a registry file."""

    package = "gcp"
    supports_autonaming = True

    def __init__(self, registry_file: Path) -> None:
        self.registry_file = registry_file

    def planned(self, resource: ResourceSchema, ctx: Ctx) -> Props:
        """The provider's project and region (and region as location) if unset."""
        sources = {"project": "project", "region": "region", "location": "region"}
        return {
            key: ctx.config[source]
            for key, source in sources.items()
            if key in resource.inputs
            and not ctx.inputs.get(key)
            and ctx.config.get(source)
        }

    def computed(self, resource: ResourceSchema, ctx: Ctx) -> Props:
        """Defaults, labels, and the type's own computed outputs."""
        planned = self.planned(resource, ctx)
        ctx = replace(ctx, inputs={**planned, **ctx.inputs})
        labels = {**(ctx.config.get("defaultLabels") or {})}
        labels.update(ctx.inputs.get("labels") or {})
        out = {key: labels for key in _LABELS if key in resource.outputs}
        kind = gcp_types.TYPES.get(resource.token)
        return {**planned, **out, **(kind.computed(ctx) if kind else {})}

    def resource_id(self, resource: ResourceSchema, ctx: Ctx, outs: Props) -> str:
        """The type's canonical ID, from its first template."""
        kind = gcp_types.TYPES.get(resource.token)
        if kind is None:
            return super().resource_id(resource, ctx, outs)
        return ids.render(kind.ids[0], kind.id_values(outs))

    def parse_id(self, resource: ResourceSchema, resource_id: str) -> Props:
        """The inputs an import ID names, by the type's templates."""
        kind = gcp_types.TYPES.get(resource.token)
        templates = kind.import_forms() if kind else ()
        fields = ids.parse(templates, resource_id)
        if kind is None or fields is None:
            raise ProviderError(
                f'Import id "{resource_id}" doesn\'t match any of the accepted '
                f"formats: {list(templates)}",
                grpc.StatusCode.NOT_FOUND,
            )
        given = kind.from_id(dict(fields))
        return {k: v for k, v in given.items() if k in resource.inputs and v}

    def replaces(self, key: str) -> bool:
        """Only ``keepers`` forces a replacement (see ``diff.py``)."""
        return key == "keepers"

    def autoname(self, resource: ResourceSchema, inputs: Props, **naming: Any) -> Props:
        """An optional ``name`` left out, generated as pulumi-gcp does."""
        if (
            "name" not in resource.inputs
            or "name" in resource.required
            or inputs.get("name") is not None
        ):
            return inputs
        options = naming.get("autonaming")
        olds: Props = naming.get("olds") or {}
        if options is not None and options.mode == _DISABLE:
            return inputs
        if options is not None and options.proposed_name:
            return {**inputs, "name": options.proposed_name}
        if olds.get("name"):
            return {**inputs, "name": olds["name"]}
        name = str(naming.get("name"))
        seed = naming.get("seed") or name.encode()
        return {**inputs, "name": f"{name}-{hashlib.sha256(seed).hexdigest()[:7]}"}

    def invoke(self, token: str, args: Props, config: Props) -> Props:
        """``getDockerImage`` from the registry file, read anew each call."""
        known = schema.function(token)
        unknown = sorted(set(args) - known.args)
        if unknown:
            raise ProviderError(f"invoking {token}: unknown argument {unknown[0]!r}")
        if token != GET_DOCKER_IMAGE:
            raise ProviderError(f"the stand-in does not answer {token}")
        for key in ("location", "repositoryId", "imageName"):
            if not args.get(key):
                raise ProviderError(
                    f'invoking {token}: The argument "{key}" is required, but no '
                    "definition was found."
                )
        try:
            return registry.lookup(
                self.registry_file,
                project=str(args.get("project") or config.get("project") or ""),
                location=str(args["location"]),
                repository_id=str(args["repositoryId"]),
                image_name=str(args["imageName"]),
            )
        except registry.ImageNotFoundError as error:
            raise ProviderError(
                f"invoking {token}: 1 error occurred:\n\t* {error}\n\n"
            ) from None
