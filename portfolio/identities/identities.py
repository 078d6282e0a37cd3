"""``GoogleIdentities``: the stack's two Google service accounts and their grants.

- The pull account may read the image repository, nothing else; its JSON key
  becomes ``regcred``.
- The proxy account may connect to Cloud SQL; it has no key, the Kubernetes
  ServiceAccount acts as it through Workload Identity.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
from pulumi_gcp.artifactregistry import RepositoryIamMember
from pulumi_gcp.projects import IAMMember

from portfolio import names
from portfolio.identities import identity_specs
from portfolio.images.repository_specs import RepositoryRef

TYPE_TOKEN = "portfolio:index:GoogleIdentities"


@dataclass(frozen=True)
class GoogleIdentitiesArgs:
    """The two accounts, the repository the pull account reads, the provider."""

    project: str
    """The Google project the accounts live in (``gcp:project``)."""
    namespace: str
    """The stack's namespace, whose ServiceAccount the proxy account serves."""
    pull_account_id: str
    proxy_account_id: str
    pull_key_rotation: str
    """``portfolio:pullKeyRotation``: a new value replaces the pull key."""
    repository: RepositoryRef
    repository_id: pulumi.Input[str]
    provider: gcp.Provider


class GoogleIdentities(pulumi.ComponentResource):
    """Who pulls the images and who the Cloud SQL proxy runs as."""

    pull_service_account: pulumi.Output[str]
    proxy_service_account: pulumi.Output[str]
    dockerconfigjson: pulumi.Output[str]
    """``regcred``'s ``.dockerconfigjson``, a secret."""

    def __init__(
        self,
        name: str,
        args: GoogleIdentitiesArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Register both accounts; children are named ``<name>-pull*``/``-proxy*``."""
        super().__init__(TYPE_TOKEN, name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        self._pull_identity()
        self._proxy_identity()
        self.register_outputs(
            {
                "pullServiceAccount": self.pull_service_account,
                "proxyServiceAccount": self.proxy_service_account,
            }
        )

    def _pull_identity(self) -> None:
        """A service account that may read this one repository, and its key.

        Changing ``pullKeyRotation`` replaces the key. Pulumi creates the new
        key, updates ``regcred`` in place (the provider treats Secrets as
        mutable), and only then deletes the old key, so pods can pull throughout.
        """
        args, ref = self._args, self._args.repository
        account = self._account(
            f"{self._name}-pull",
            account_id=args.pull_account_id,
            role="pulls images",
            description="Reads the portfolio image repository for the regcred "
            "pull secret.",
        )
        RepositoryIamMember(
            f"{self._name}-pull-reader",
            project=ref.project,
            location=ref.location,
            repository=self._args.repository_id,
            role=identity_specs.READER_ROLE,
            member=account.email.apply(identity_specs.service_account_member),
            opts=self._child,
        )
        key = gcp.serviceaccount.Key(
            f"{self._name}-pull-key",
            service_account_id=account.name,
            keepers={"rotation": args.pull_key_rotation},
            opts=self._child,
        )
        config = key.private_key.apply(
            lambda encoded: identity_specs.dockerconfigjson(
                ref.host, base64.b64decode(encoded).decode()
            )
        )
        self.pull_service_account = account.email
        self.dockerconfigjson = pulumi.Output.secret(config)

    def _proxy_identity(self) -> None:
        """The Cloud SQL proxy's account, reached through Workload Identity."""
        args = self._args
        account = self._account(
            f"{self._name}-proxy",
            account_id=args.proxy_account_id,
            role="Cloud SQL proxy",
            description="Connects the portfolio pods to Cloud SQL through the "
            "Auth Proxy.",
        )
        IAMMember(
            f"{self._name}-proxy-sql-client",
            project=args.project,
            role=identity_specs.SQL_CLIENT_ROLE,
            member=account.email.apply(identity_specs.service_account_member),
            opts=self._child,
        )
        gcp.serviceaccount.IAMMember(
            f"{self._name}-proxy-workload-identity",
            service_account_id=account.name,
            role=identity_specs.WORKLOAD_IDENTITY_ROLE,
            member=identity_specs.workload_identity_member(
                args.project, args.namespace, names.SERVICE_ACCOUNT
            ),
            opts=self._child,
        )
        self.proxy_service_account = account.email

    def _account(
        self, name: str, *, account_id: str, role: str, description: str
    ) -> gcp.serviceaccount.Account:
        """A service account of this stack, in the stack's project."""
        args = self._args
        return gcp.serviceaccount.Account(
            name,
            project=args.project,
            account_id=account_id,
            display_name=f"portfolio {args.namespace}: {role}",
            description=description,
            opts=self._child,
        )
