"""``PortfolioDeployment``: everything one stack deploys, as one component.

Wiring only: the specs come from ``components.specs`` and the Google Cloud side
from ``components.google``; this module creates the Kubernetes objects, orders
them through the Namespace, and marks secret data as secret.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_kubernetes as k8s

from components import google, registry, specs
from components.settings import PortfolioSettings

TYPE_TOKEN = "portfolio:index:PortfolioDeployment"


class PortfolioDeployment(pulumi.ComponentResource):
    """The app's Kubernetes objects, Google identities and image repository."""

    namespace: pulumi.Output[str]
    deployment_name: pulumi.Output[str]
    service_name: pulumi.Output[str]
    repository_url: pulumi.Output[str]
    pull_service_account: pulumi.Output[str]
    proxy_service_account: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        settings: PortfolioSettings,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Create every object of one stack; children are named ``<name>-<part>``."""
        super().__init__(TYPE_TOKEN, name, None, opts)
        # Children take only `parent`: providers and protect reach them through
        # it, while the component's own aliases must not be copied onto them.
        child = pulumi.ResourceOptions(parent=self)
        s = settings

        ref = registry.repository_of(s.image)
        repository_id = google.image_repository(name, s, ref, self)
        pull = google.pull_identity(name, s, ref, repository_id, self)
        proxy_email = google.proxy_identity(name, s, self)

        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace", metadata=specs.namespace_metadata(s), opts=child
        )
        ns = namespace.metadata.name

        def meta(
            object_name: str, annotations: Mapping[str, pulumi.Input[str]] | None = None
        ) -> k8s.meta.v1.ObjectMetaArgs:
            return specs.metadata(s, object_name, namespace=ns, annotations=annotations)

        pull_secret = k8s.core.v1.Secret(
            f"{name}-regcred",
            metadata=meta(specs.PULL_SECRET),
            type="kubernetes.io/dockerconfigjson",
            string_data={".dockerconfigjson": pull.dockerconfigjson},
            opts=child,
        )
        service_account = k8s.core.v1.ServiceAccount(
            f"{name}-service-account",
            metadata=meta(
                specs.SERVICE_ACCOUNT,
                {"iam.gke.io/gcp-service-account": proxy_email},
            ),
            image_pull_secrets=[{"name": pull_secret.metadata.name}],
            opts=child,
        )
        config = specs.config_data(s)
        config_map = k8s.core.v1.ConfigMap(
            f"{name}-config", metadata=meta(specs.CONFIG_MAP), data=config, opts=child
        )
        secret_objects = []
        secret_data = []
        for part, object_name, data in (
            ("secrets", specs.APP_SECRET, specs.app_secret_data(s)),
            ("db-secret", specs.DB_SECRET, specs.db_secret_data(s)),
        ):
            secret_objects.append(
                k8s.core.v1.Secret(
                    f"{name}-{part}",
                    metadata=meta(object_name),
                    type="Opaque",
                    string_data={k: pulumi.Output.secret(v) for k, v in data.items()},
                    opts=child,
                )
            )
            secret_data.append(data)

        deployment = k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata=meta(specs.DEPLOYMENT),
            spec=specs.deployment_spec(
                s,
                config_checksum=specs.checksum(config),
                secrets_checksum=specs.checksum(*secret_data),
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[service_account, config_map, pull_secret, *secret_objects],
            ),
        )
        service = k8s.core.v1.Service(
            f"{name}-service",
            metadata=meta(specs.SERVICE, s.service_annotations),
            spec=specs.service_spec(s),
            opts=child,
        )
        k8s.networking.v1.NetworkPolicy(
            f"{name}-network-policy",
            metadata=meta(specs.NETWORK_POLICY),
            spec=specs.network_policy_spec(s),
            opts=child,
        )

        self.namespace = ns
        self.deployment_name = deployment.metadata.name
        self.service_name = service.metadata.name
        self.repository_url = pulumi.Output.from_input(ref.url)
        self.pull_service_account = pull.email
        self.proxy_service_account = proxy_email
        self.register_outputs(
            {
                "namespace": self.namespace,
                "deploymentName": self.deployment_name,
                "serviceName": self.service_name,
                "repositoryUrl": self.repository_url,
                "pullServiceAccount": self.pull_service_account,
                "proxyServiceAccount": self.proxy_service_account,
            }
        )
