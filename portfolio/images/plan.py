"""Which image the Deployment runs: a pinned digest, a resolved tag, or the tag.

``plan`` reads the setting once (pure); ``deployed_image`` turns the plan into
the reference the pods run. Resolving is a provider function call,
``gcp.artifactregistry.get_docker_image``, answered by Artifact Registry
at every ``pulumi preview`` and ``pulumi up`` (and by the mock engine offline):
its ``self_link`` is ``…/IMAGE@sha256:…``, the digest the tag points at now.
So a push shows up as an image change in the next preview and rolls out at the
next update, and an unchanged tag changes nothing. (With the plain tag the pod
spec never changes, so a push rolls nothing out: pulumi-kubernetes issue #383.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_gcp as gcp
from pulumi_gcp.artifactregistry import GetDockerImageResult, get_docker_image

from portfolio.images.repository_specs import RepositoryRef, repository_of
from portfolio.settings import validators

Mode = Literal["digest", "resolve", "tag"]
DEFAULT_TAG = "latest"


@dataclass(frozen=True)
class ImagePlan:
    """The configured image and how the program turns it into what pods run."""

    reference: str
    mode: Mode
    """``digest``: the configured digest; ``resolve``: the tag's digest now;
    ``tag``: the tag as it is."""
    repository: RepositoryRef

    def _name_and_tag(self) -> tuple[str, str]:
        # Below the repository an image is PATH[:TAG][@DIGEST]; PATH has no ":".
        rest = self.reference.removeprefix(f"{self.repository.url}/")
        path, _, tag = rest.partition("@")[0].partition(":")
        return path, tag

    @property
    def path(self) -> str:
        """The image's path inside its repository, without tag or digest."""
        return self._name_and_tag()[0]

    @property
    def tag(self) -> str:
        """The configured tag, ``latest`` when there is none (as docker pulls)."""
        return self._name_and_tag()[1] or DEFAULT_TAG

    @property
    def image_name(self) -> str:
        """What ``get_docker_image`` looks up: ``PATH:TAG``."""
        return f"{self.path}:{self.tag}"


def plan(image: str, pin_digest: bool) -> ImagePlan:
    """How ``image`` is run (``portfolio:image``, ``portfolio:pinImageDigest``)."""
    mode: Mode = "tag"
    if validators.image_digest(image):
        mode = "digest"
    elif pin_digest:
        mode = "resolve"
    return ImagePlan(reference=image, mode=mode, repository=repository_of(image))


class ImageNotFoundError(pulumi.RunError):
    """The configured tag could not be resolved; printed as one line."""


def deployed_image(image: ImagePlan, provider: gcp.Provider) -> pulumi.Output[str]:
    """The reference the Deployment runs: ``…@sha256:…`` unless in tag mode.

    The lookup is the plain (awaited) form of the function: its inputs are
    known when the program runs, and a failure is caught here, where it can
    be said in the program's words.
    """
    if image.mode != "resolve":
        return pulumi.Output.from_input(image.reference)
    repository = image.repository
    try:
        found = get_docker_image(
            project=repository.project,
            location=repository.location,
            repository_id=repository.repository_id,
            image_name=image.image_name,
            opts=pulumi.InvokeOptions(provider=provider),
        )
    except Exception as error:  # the provider's answer, whatever its type
        reason = " ".join(str(error).split())
        raise ImageNotFoundError(
            f"portfolio:image: tag {image.tag!r} of {repository.url}/{image.path} "
            f"was not found in Artifact Registry ({reason})"
        ) from None
    return pulumi.Output.from_input(_checked_self_link(found))


def _checked_self_link(result: GetDockerImageResult) -> str:
    link = result.self_link
    if not isinstance(link, str) or not validators.image_digest(link):
        raise ImageNotFoundError(f"Artifact Registry returned {link!r}, no digest")
    return link
