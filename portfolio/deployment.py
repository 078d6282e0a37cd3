"""``PortfolioDeployment``: everything one stack deploys, one component per feature.

Composition only. Each feature is a component of its own, with typed args and
outputs and its own pure builders beside it:

- ``ImageRepository`` (``portfolio.images.repository``): the Artifact Registry
  repository, created by the owner stack only;
- ``GoogleIdentities`` (``portfolio.identities.identities``): the pull and proxy
  service accounts and their grants;
- ``Database`` (``portfolio.database.database``): the Cloud SQL instance, database
  and user;
- ``AppSecrets`` (``portfolio.workload.app_secrets``): the generated secrets;
- ``AppWorkload`` (``portfolio.workload.workload``): the app's Kubernetes objects;
- ``IngressAddress`` (``portfolio.edge.ingress``): the gateway's static IP,
  created by its owner stack;
- ``DnsRecords`` (``portfolio.edge.dns``): the zone (owner stack) and the
  stack's A records;
- ``Mesh`` (``portfolio.mesh.mesh``): the Istio routing and the certificate.

Children take ``parent=self`` and an explicit provider; nothing inherits the
component's own options.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from portfolio.database.database import Database, DatabaseArgs
from portfolio.edge.dns import DnsRecords, DnsRecordsArgs
from portfolio.edge.ingress import IngressAddress, IngressAddressArgs
from portfolio.identities.identities import GoogleIdentities, GoogleIdentitiesArgs
from portfolio.images import plan as images
from portfolio.images.repository import ImageRepository, ImageRepositoryArgs
from portfolio.mesh.mesh import Mesh, MeshArgs
from portfolio.providers import Providers
from portfolio.settings import validators
from portfolio.settings.model import PortfolioSettings
from portfolio.workload.app_secrets import AppSecrets, AppSecretsArgs
from portfolio.workload.workload import AppWorkload, AppWorkloadArgs

TYPE_TOKEN = "portfolio:index:PortfolioDeployment"


@dataclass(frozen=True)
class PortfolioDeploymentArgs:
    """One stack's settings and the providers its resources are created with."""

    settings: PortfolioSettings
    providers: Providers


class PortfolioDeployment(pulumi.ComponentResource):
    """Everything one stack deploys: the app, its database, its edge."""

    namespace: pulumi.Output[str]
    deployment_name: pulumi.Output[str]
    service_name: pulumi.Output[str]
    repository_url: pulumi.Output[str]
    image: pulumi.Output[str]
    image_digest: pulumi.Output[str | None]
    pull_service_account: pulumi.Output[str]
    proxy_service_account: pulumi.Output[str]
    sql_connection_name: pulumi.Output[str]
    ingress_address: pulumi.Output[str]
    url: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        args: PortfolioDeploymentArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Compose the features; each is named ``name`` under this component."""
        super().__init__(TYPE_TOKEN, name, None, opts)
        s, providers = args.settings, args.providers
        child = pulumi.ResourceOptions(parent=self)

        image = images.deployed_image(images.plan(s), providers.gcp)
        digest = image.apply(validators.image_digest)
        repository = ImageRepository(
            name,
            ImageRepositoryArgs(
                settings=s, provider=providers.gcp, running_digest=digest
            ),
            child,
        )
        identities = GoogleIdentities(
            name,
            GoogleIdentitiesArgs(
                settings=s,
                repository=repository.ref,
                repository_id=repository.repository_id,
                provider=providers.gcp,
            ),
            child,
        )
        database = Database(
            name,
            DatabaseArgs(
                settings=s,
                gcp_provider=providers.gcp,
                random_provider=providers.random,
            ),
            child,
        )
        secrets = AppSecrets(
            name, AppSecretsArgs(settings=s, provider=providers.random), child
        )
        workload = AppWorkload(
            name,
            AppWorkloadArgs(
                settings=s,
                image=image,
                proxy_service_account=identities.proxy_service_account,
                dockerconfigjson=identities.dockerconfigjson,
                connection_name=database.connection_name,
                database_url=database.database_url,
                nextauth_secret=secrets.nextauth_secret,
                checksum_key=secrets.checksum_key,
                provider=providers.kubernetes,
            ),
            child,
        )
        ingress = IngressAddress(
            name,
            IngressAddressArgs(
                settings=s,
                gcp_provider=providers.gcp,
                kubernetes_provider=providers.kubernetes,
            ),
            child,
        )
        DnsRecords(
            name,
            DnsRecordsArgs(settings=s, address=ingress.address, provider=providers.gcp),
            child,
        )
        Mesh(
            name,
            MeshArgs(
                settings=s, namespace=workload.namespace, provider=providers.kubernetes
            ),
            child,
        )

        self.namespace = workload.namespace
        self.deployment_name = workload.deployment_name
        self.service_name = workload.service_name
        self.repository_url = repository.url
        self.image = image
        self.image_digest = digest
        self.pull_service_account = identities.pull_service_account
        self.proxy_service_account = identities.proxy_service_account
        self.sql_connection_name = database.connection_name
        self.ingress_address = ingress.address
        self.url = pulumi.Output.from_input(s.nextauth_url)
        self.register_outputs(
            {
                "namespace": self.namespace,
                "deploymentName": self.deployment_name,
                "serviceName": self.service_name,
                "repositoryUrl": self.repository_url,
                "image": self.image,
                "imageDigest": self.image_digest,
                "pullServiceAccount": self.pull_service_account,
                "proxyServiceAccount": self.proxy_service_account,
                "sqlConnectionName": self.sql_connection_name,
                "ingressAddress": self.ingress_address,
                "url": self.url,
            }
        )
