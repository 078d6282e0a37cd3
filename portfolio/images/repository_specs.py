"""Pure builders of the image repository: its coordinates and cleanup policies.

The repository is named by the app image itself
(``LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE``), so what pods pull,
what the pull identity may read and what the owner stack creates cannot drift
apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pulumi_gcp.artifactregistry import (
    RepositoryCleanupPolicyArgs,
    RepositoryCleanupPolicyConditionArgs,
    RepositoryCleanupPolicyMostRecentVersionsArgs,
    RepositoryDockerConfigArgs,
)

from portfolio.settings.validators import artifact_registry_parts

# Cleanup: the most recent versions kept whatever their tags, further digests
# kept by version name (a rollback target, say), untagged versions deleted
# after this many days. The repository was made by hand, with no cleanup.
REGISTRY_KEEP_COUNT = 20
REGISTRY_KEEP_DIGESTS: tuple[str, ...] = ()
REGISTRY_UNTAGGED_RETENTION_DAYS = 30

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class RepositoryRef:
    """Where an Artifact Registry docker repository lives."""

    project: str
    location: str
    repository_id: str

    @property
    def host(self) -> str:
        """The registry host that pulls authenticate against."""
        return f"{self.location}-docker.pkg.dev"

    @property
    def url(self) -> str:
        """The repository's URL, the prefix of its images."""
        return f"{self.host}/{self.project}/{self.repository_id}"


def repository_of(image: str) -> RepositoryRef:
    """The repository an Artifact Registry image reference lives in."""
    location, project, repository_id = artifact_registry_parts(image)
    return RepositoryRef(
        project=project, location=location, repository_id=repository_id
    )


def docker_config() -> RepositoryDockerConfigArgs:
    """Tags stay mutable: CI pushes ``:latest`` again and again."""
    return RepositoryDockerConfigArgs(immutable_tags=False)


def kept_digests(running: Sequence[str | None]) -> list[str]:
    """The digests kept by name: those the stacks run, then the listed, sorted."""
    return sorted({*REGISTRY_KEEP_DIGESTS, *filter(None, running)})


def cleanup_policies(kept: Sequence[str]) -> list[RepositoryCleanupPolicyArgs]:
    """KEEP the recent and the ``kept`` digests; DELETE old untagged versions.

    Artifact Registry never deletes a version that any KEEP policy matches, so
    the digests pods run survive even once ``:latest`` has moved on from them.
    A condition without version names would not be limited to digests, so
    without digests there is no such policy.
    """
    policies = [
        RepositoryCleanupPolicyArgs(
            id="keep-most-recent",
            action="KEEP",
            most_recent_versions=RepositoryCleanupPolicyMostRecentVersionsArgs(
                keep_count=REGISTRY_KEEP_COUNT
            ),
        )
    ]
    if kept:
        policies.append(
            RepositoryCleanupPolicyArgs(
                id="keep-pinned-digests",
                action="KEEP",
                condition=RepositoryCleanupPolicyConditionArgs(
                    tag_state="ANY", version_name_prefixes=list(kept)
                ),
            )
        )
    age = REGISTRY_UNTAGGED_RETENTION_DAYS * SECONDS_PER_DAY
    policies.append(
        RepositoryCleanupPolicyArgs(
            id="delete-old-untagged",
            action="DELETE",
            condition=RepositoryCleanupPolicyConditionArgs(
                tag_state="UNTAGGED", older_than=f"{age}s"
            ),
        )
    )
    return policies
