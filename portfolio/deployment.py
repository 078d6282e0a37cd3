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

Each feature's args are narrow and typed: the few values of the stack's
settings it uses, picked here, and the outputs of the features it builds on.
Children take ``parent=self`` and an explicit provider; nothing inherits the
component's own options.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from portfolio.database.database import Database, DatabaseArgs
from portfolio.database.database_specs import InstanceShape
from portfolio.edge.dns import DnsRecords, DnsRecordsArgs
from portfolio.edge.ingress import IngressAddress, IngressAddressArgs
from portfolio.identities.identities import GoogleIdentities, GoogleIdentitiesArgs
from portfolio.images import plan as images
from portfolio.images.repository import ImageRepository, ImageRepositoryArgs
from portfolio.images.repository_specs import repository_of
from portfolio.mesh.mesh import Mesh, MeshArgs
from portfolio.providers import Providers
from portfolio.settings import validators
from portfolio.settings.model import PortfolioSettings
from portfolio.workload.app_secrets import AppSecrets, AppSecretsArgs
from portfolio.workload.pod_specs import PodShape
from portfolio.workload.workload import AppWorkload, AppWorkloadArgs

TYPE_TOKEN = "portfolio:index:PortfolioDeployment"


@dataclass(frozen=True)
class PortfolioDeploymentArgs:
    """One stack's settings and the providers its resources are created with."""

    settings: PortfolioSettings
    providers: Providers


def instance_shape(settings: PortfolioSettings) -> InstanceShape:
    """The stack's choice of Cloud SQL instance."""
    s = settings
    return InstanceShape(
        tier=s.sql_tier,
        disk_size=s.sql_disk_size,
        disk_type=s.sql_disk_type,
        availability_type=s.sql_availability_type,
    )


def pod_shape(settings: PortfolioSettings) -> PodShape:
    """The stack's choice of pods: how many, how big, how spread."""
    s = settings
    return PodShape(
        replicas=s.replicas,
        cpu_request=s.cpu_request,
        memory_request=s.memory_request,
        cpu_limit=s.cpu_limit,
        memory_limit=s.memory_limit,
        zone_spread=s.zone_spread,
        host_anti_affinity=s.host_anti_affinity,
        restarted_at=s.restarted_at,
    )


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

        image = images.deployed_image(
            images.plan(s.image, s.pin_image_digest), providers.gcp
        )
        digest = image.apply(validators.image_digest)
        repository = ImageRepository(
            name,
            ImageRepositoryArgs(
                ref=repository_of(s.image),
                owner=s.owns_registry,
                consumer_stacks=s.registry_consumer_stacks,
                running_digest=digest,
                adopt=s.adopt,
                provider=providers.gcp,
            ),
            child,
        )
        identities = GoogleIdentities(
            name,
            GoogleIdentitiesArgs(
                project=s.gcp_project,
                namespace=s.namespace,
                pull_account_id=s.pull_account_id,
                proxy_account_id=s.proxy_account_id,
                pull_key_rotation=s.pull_key_rotation,
                repository=repository.ref,
                repository_id=repository.repository_id,
                provider=providers.gcp,
            ),
            child,
        )
        database = Database(
            name,
            DatabaseArgs(
                project=s.gcp_project,
                instance=s.sql_instance,
                database=s.sql_database,
                user=s.sql_user,
                password=s.database_password,
                shape=instance_shape(s),
                adopt=s.adopt,
                gcp_provider=providers.gcp,
                random_provider=providers.random,
            ),
            child,
        )
        secrets = AppSecrets(
            name,
            AppSecretsArgs(
                nextauth_secret=s.nextauth_secret,
                rotation=s.nextauth_secret_rotation,
                provider=providers.random,
            ),
            child,
        )
        workload = AppWorkload(
            name,
            AppWorkloadArgs(
                namespace=s.namespace,
                environment_labels=s.environment_labels,
                namespace_annotations=s.namespace_annotations,
                protect_namespace=s.protect_namespace,
                adopt=s.adopt,
                node_env=s.node_env,
                url=s.nextauth_url,
                pods=pod_shape(s),
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
                project=s.gcp_project,
                region=s.gcp_region,
                owner=s.owns_ingress_address,
                adopt=s.adopt,
                gcp_provider=providers.gcp,
                kubernetes_provider=providers.kubernetes,
            ),
            child,
        )
        DnsRecords(
            name,
            DnsRecordsArgs(
                project=s.gcp_project,
                hosts=s.hosts,
                owner=s.owns_dns_zone,
                adopt=s.adopt,
                address=ingress.address,
                provider=providers.gcp,
            ),
            child,
        )
        Mesh(
            name,
            MeshArgs(
                host=s.host,
                redirect_hosts=s.redirect_hosts,
                certificate=s.tls_certificate,
                namespace_name=s.namespace,
                namespace=workload.namespace,
                environment_labels=s.environment_labels,
                adopt=s.adopt,
                provider=providers.kubernetes,
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
