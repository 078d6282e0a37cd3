"""Google Cloud resources of a stack: the image repository and two identities.

Wiring only, called by ``PortfolioDeployment`` with itself as parent; the specs
come from ``components.registry``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components import registry, specs
from components.settings import PortfolioSettings


@dataclass(frozen=True)
class PullIdentity:
    """The pull service account and the ``.dockerconfigjson`` built from its key."""

    email: pulumi.Output[str]
    dockerconfigjson: pulumi.Output[str]


def image_repository(
    name: str,
    settings: PortfolioSettings,
    ref: registry.RepositoryRef,
    parent: pulumi.Resource,
) -> pulumi.Input[str]:
    """The repository's ID; created here only in the owner stack.

    The owner protects it and retains it on delete: deleting the repository
    deletes every image in it, so no ``pulumi destroy`` may do that. The other
    stacks register nothing for it and so can never change or delete it.
    """
    if not settings.owns_registry:
        return ref.repository_id
    repository = gcp.artifactregistry.Repository(
        f"{name}-repository",
        project=ref.project,
        location=ref.location,
        repository_id=ref.repository_id,
        format="DOCKER",
        description="Images of the portfolio app, owned by its Pulumi project.",
        docker_config=registry.docker_config(),
        cleanup_policy_dry_run=False,
        cleanup_policies=registry.cleanup_policies(settings),
        opts=pulumi.ResourceOptions(parent=parent, protect=True, retain_on_delete=True),
    )
    return repository.repository_id


def pull_identity(
    name: str,
    settings: PortfolioSettings,
    ref: registry.RepositoryRef,
    repository_id: pulumi.Input[str],
    parent: pulumi.Resource,
) -> PullIdentity:
    """A service account that may read this one repository, and its key.

    Changing ``pullKeyRotation`` replaces the key. Pulumi creates the new key,
    updates ``regcred`` in place (the provider treats Secrets as mutable), and
    only then deletes the old key, so pods can pull throughout.
    """
    child = pulumi.ResourceOptions(parent=parent)
    account = _account(
        f"{name}-pull",
        settings,
        account_id=settings.pull_account_id,
        role="pulls images",
        description="Reads the portfolio image repository for the regcred pull secret.",
        opts=child,
    )
    gcp.artifactregistry.RepositoryIamMember(
        f"{name}-pull-reader",
        project=ref.project,
        location=ref.location,
        repository=repository_id,
        role=registry.READER_ROLE,
        member=account.email.apply(registry.service_account_member),
        opts=child,
    )
    key = gcp.serviceaccount.Key(
        f"{name}-pull-key",
        service_account_id=account.name,
        keepers={"rotation": settings.pull_key_rotation},
        opts=child,
    )
    config = key.private_key.apply(
        lambda encoded: specs.dockerconfigjson(
            ref.host, base64.b64decode(encoded).decode()
        )
    )
    return PullIdentity(
        email=account.email, dockerconfigjson=pulumi.Output.secret(config)
    )


def proxy_identity(
    name: str, settings: PortfolioSettings, parent: pulumi.Resource
) -> pulumi.Output[str]:
    """The Cloud SQL proxy's service account, reached through Workload Identity.

    It has no key: the Kubernetes ServiceAccount acts as it. Returns its email.
    """
    child = pulumi.ResourceOptions(parent=parent)
    account = _account(
        f"{name}-proxy",
        settings,
        account_id=settings.proxy_account_id,
        role="Cloud SQL proxy",
        description="Connects the portfolio pods to Cloud SQL through the Auth Proxy.",
        opts=child,
    )
    gcp.projects.IAMMember(
        f"{name}-proxy-sql-client",
        project=settings.gcp_project,
        role=registry.SQL_CLIENT_ROLE,
        member=account.email.apply(registry.service_account_member),
        opts=child,
    )
    gcp.serviceaccount.IAMMember(
        f"{name}-proxy-workload-identity",
        service_account_id=account.name,
        role=registry.WORKLOAD_IDENTITY_ROLE,
        member=registry.workload_identity_member(
            settings.gcp_project, settings.namespace, specs.SERVICE_ACCOUNT
        ),
        opts=child,
    )
    return account.email


def _account(
    name: str,
    settings: PortfolioSettings,
    *,
    account_id: str,
    role: str,
    description: str,
    opts: pulumi.ResourceOptions,
) -> gcp.serviceaccount.Account:
    """A service account of this stack, in the stack's project."""
    return gcp.serviceaccount.Account(
        name,
        project=settings.gcp_project,
        account_id=account_id,
        display_name=f"portfolio {settings.namespace}: {role}",
        description=description,
        opts=opts,
    )
