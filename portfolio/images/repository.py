"""``ImageRepository``: the Artifact Registry repository the app's image lives in.

Only the stack named by ``registryOwnerStack`` creates it, protected and
retained on delete: deleting the repository deletes every image in it, so no
``pulumi destroy`` may do that. The other stacks register nothing for it and
so can never change or delete it; they only refer to it by name.

The registry keeps what runs: the owner's cleanup policies keep, by digest,
the image the owner runs, the ``imageDigest`` output of every stack in
``registryConsumerStacks`` (read through stack references at each of the
owner's updates) and ``registryKeepDigests``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
from pulumi_gcp.artifactregistry import Repository

from portfolio import adoption
from portfolio.images import repository_specs
from portfolio.images.repository_specs import RepositoryRef
from portfolio.settings import validators

TYPE_TOKEN = "portfolio:index:ImageRepository"
# The stack output every stack exports its running digest as (``__main__``).
RUNNING_DIGEST_OUTPUT = "imageDigest"


@dataclass(frozen=True)
class ImageRepositoryArgs:
    """The repository, whether this stack owns it, and whose images it keeps."""

    ref: RepositoryRef
    """The repository the app image lives in (``portfolio:image``)."""
    owner: bool
    """Whether this stack creates it (``portfolio:registryOwnerStack``)."""
    consumer_stacks: Sequence[str]
    """The other stacks whose running digests it keeps (owner only)."""
    running_digest: pulumi.Input[str | None]
    """The digest this stack runs; None when it runs a plain tag."""
    adopt: bool
    """Import the live repository (``portfolio:adopt``)."""
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
        self.ref = args.ref
        self.repository_id = pulumi.Output.from_input(self.ref.repository_id)
        if args.owner:
            running = [args.running_digest] + [
                self._digest_run_by(name, stack) for stack in args.consumer_stacks
            ]
            policies = pulumi.Output.all(*running).apply(
                lambda digests: repository_specs.cleanup_policies(
                    repository_specs.kept_digests(digests)
                )
            )
            repository = Repository(
                f"{name}-repository",
                project=self.ref.project,
                location=self.ref.location,
                repository_id=self.ref.repository_id,
                format="DOCKER",
                description="Images of the portfolio app, owned by its Pulumi project.",
                docker_config=repository_specs.docker_config(),
                cleanup_policy_dry_run=False,
                cleanup_policies=policies,
                opts=pulumi.ResourceOptions.merge(
                    pulumi.ResourceOptions(
                        parent=self,
                        provider=args.provider,
                        protect=True,
                        retain_on_delete=True,
                    ),
                    adoption.options(
                        args.adopt,
                        adoption.repository_id(
                            self.ref.project, self.ref.location, self.ref.repository_id
                        ),
                    ),
                ),
            )
            self.repository_id = repository.repository_id
        self.url = pulumi.Output.from_input(self.ref.url)
        self.register_outputs({"repositoryId": self.repository_id, "url": self.url})

    def _digest_run_by(self, name: str, stack: str) -> pulumi.Output[str | None]:
        """What another stack of this project exports as ``imageDigest``."""
        reference = pulumi.StackReference(
            f"{name}-runs-{stack}",
            stack_name=f"{pulumi.get_organization()}/{pulumi.get_project()}/{stack}",
            opts=pulumi.ResourceOptions(parent=self),
        )

        def checked(digest: object) -> str | None:
            if digest is None:  # a stack that runs a plain tag exports none
                return None
            try:
                return validators.sha256_digest(str(digest))
            except ValueError:
                raise pulumi.RunError(
                    f"portfolio:registryConsumerStacks: stack {stack} exports "
                    f"{RUNNING_DIGEST_OUTPUT} {digest!r}, which is not a digest"
                ) from None

        return reference.get_output(RUNNING_DIGEST_OUTPUT).apply(checked)
