"""``ImageRepository``: the Artifact Registry repository the app's image lives in.

Only the stack named by ``registryOwnerStack`` creates it, protected and
retained on delete: deleting the repository deletes every image in it, so no
``pulumi destroy`` may do that. The other stacks register nothing for it and
so can never change or delete it; they only refer to it by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components import repository_specs
from components.repository_specs import RepositoryRef
from components.settings import PortfolioSettings

TYPE_TOKEN = "portfolio:index:ImageRepository"


@dataclass(frozen=True)
class ImageRepositoryArgs:
    """What the repository needs: the settings and the Google provider."""

    settings: PortfolioSettings
    provider: gcp.Provider


class ImageRepository(pulumi.ComponentResource):
    """The image repository: created in the owner stack, referred to elsewhere."""

    ref: RepositoryRef
    repository_id: pulumi.Output[str]
    url: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        args: ImageRepositoryArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Register the repository under ``name-repository`` in the owner stack."""
        super().__init__(TYPE_TOKEN, name, None, opts)
        s = args.settings
        self.ref = repository_specs.repository_of(s.image)
        self.repository_id = pulumi.Output.from_input(self.ref.repository_id)
        if s.owns_registry:
            repository = gcp.artifactregistry.Repository(
                f"{name}-repository",
                project=self.ref.project,
                location=self.ref.location,
                repository_id=self.ref.repository_id,
                format="DOCKER",
                description="Images of the portfolio app, owned by its Pulumi project.",
                docker_config=repository_specs.docker_config(),
                cleanup_policy_dry_run=False,
                cleanup_policies=repository_specs.cleanup_policies(s),
                opts=pulumi.ResourceOptions(
                    parent=self,
                    provider=args.provider,
                    protect=True,
                    retain_on_delete=True,
                ),
            )
            self.repository_id = repository.repository_id
        self.url = pulumi.Output.from_input(self.ref.url)
        self.register_outputs({"repositoryId": self.repository_id, "url": self.url})
