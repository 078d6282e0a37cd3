"""``AppWorkload``: the app's Kubernetes objects in the stack's namespace.

Namespace, ServiceAccount, ``regcred``, ConfigMap, Secrets, Deployment,
Service, NetworkPolicy, and a PodDisruptionBudget when there is more than one
replica (with one, a budget would block every node drain). Wiring only: the
specs come from ``pod_specs`` and ``app_specs`` beside it. The Deployment is
registered after everything its pods reference, and secret data is marked
secret before it reaches the engine. Config and secrets arrive as Outputs of
the resources that make them (the Cloud SQL instance, the generated secrets);
keyed checksums of them roll the pods when they change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from portfolio import adoption, names
from portfolio.workload import app_specs, pod_specs
from portfolio.workload.pod_specs import PodShape

# Annotations of Service portfolio (base service.yaml).
SERVICE_ANNOTATIONS = {
    "cloud.google.com/backend-config": '{"default": "portfolio-backend-config"}',
    "cloud.google.com/neg": '{"ingress": true}',
}

TYPE_TOKEN = "portfolio:index:AppWorkload"
# portfolio:protectNamespace: deleting a namespace deletes everything in it.
KEEP = pulumi.ResourceOptions(protect=True, retain_on_delete=True)


@dataclass(frozen=True)
class AppWorkloadArgs:
    """The stack's namespace and pods, what the Google side provides, the provider."""

    namespace: str
    """The stack's namespace, created here (its name is the stack's)."""
    environment_labels: Mapping[str, str]
    """``portfolio:environmentLabels``, on the namespace and every object."""
    namespace_annotations: Mapping[str, str]
    protect_namespace: bool
    """Protect the namespace and retain it on delete."""
    adopt: bool
    """Import the live objects (``portfolio:adopt``)."""
    node_env: str
    url: str
    """NEXTAUTH_URL, the app's public URL."""
    pods: PodShape
    image: pulumi.Input[str]
    """The app image reference the Deployment runs (see ``portfolio.images.plan``)."""
    proxy_service_account: pulumi.Input[str]
    """Email of the Google account the ServiceAccount acts as."""
    dockerconfigjson: pulumi.Input[str]
    """``regcred``'s ``.dockerconfigjson``; must be a secret."""
    connection_name: pulumi.Input[str]
    """The Cloud SQL instance's ``project:region:name``."""
    database_url: pulumi.Input[str]
    """``DATABASE_URL``; must be a secret."""
    nextauth_secret: pulumi.Input[str]
    """``NEXTAUTH_SECRET``; must be a secret."""
    checksum_key: pulumi.Input[str]
    """Keys the pod template's checksums; must be a secret."""
    provider: k8s.Provider


class AppWorkload(pulumi.ComponentResource):
    """Everything of the app that lives in the cluster."""

    namespace: pulumi.Output[str]
    deployment_name: pulumi.Output[str]
    service_name: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        args: AppWorkloadArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Register every object; children are named ``<name>-<part>``."""
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)

        def adopted(object_name: str) -> pulumi.ResourceOptions:
            """``child``, importing the live object while the stack adopts."""
            live = adoption.kubernetes_id(object_name, args.namespace)
            return pulumi.ResourceOptions.merge(
                child, adoption.options(args.adopt, live)
            )

        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata=names.namespace_metadata(
                args.namespace, args.environment_labels, args.namespace_annotations
            ),
            opts=pulumi.ResourceOptions.merge(
                child,
                pulumi.ResourceOptions.merge(
                    adoption.options(
                        args.adopt, adoption.kubernetes_id(args.namespace)
                    ),
                    KEEP if args.protect_namespace else None,
                ),
            ),
        )
        ns = namespace.metadata.name

        def meta(
            object_name: str, annotations: Mapping[str, pulumi.Input[str]] | None = None
        ) -> k8s.meta.v1.ObjectMetaArgs:
            return names.metadata(
                object_name,
                namespace=ns,
                environment_labels=args.environment_labels,
                annotations=annotations,
            )

        pull_secret = k8s.core.v1.Secret(
            f"{name}-regcred",
            metadata=meta(names.PULL_SECRET),
            type="kubernetes.io/dockerconfigjson",
            string_data={".dockerconfigjson": args.dockerconfigjson},
            opts=adopted(names.PULL_SECRET),
        )
        service_account = k8s.core.v1.ServiceAccount(
            f"{name}-service-account",
            metadata=meta(
                names.SERVICE_ACCOUNT,
                {"iam.gke.io/gcp-service-account": args.proxy_service_account},
            ),
            image_pull_secrets=[{"name": pull_secret.metadata.name}],
            # Pods opt in per pod; this one's never does (pod_specs.pod_spec).
            automount_service_account_token=False,
            opts=adopted(names.SERVICE_ACCOUNT),
        )
        config = app_specs.config_data(args.node_env, args.url, args.connection_name)
        config_map = k8s.core.v1.ConfigMap(
            f"{name}-config",
            metadata=meta(names.CONFIG_MAP),
            data=config,
            # Not adopted: kustomize's generator named the live one
            # portfolio-config-<hash>; this is a new object beside it.
            opts=child,
        )
        secret_data: list[dict[str, pulumi.Input[str]]] = [
            {names.NEXTAUTH_SECRET_ENV: args.nextauth_secret},
            {names.DATABASE_URL_ENV: args.database_url},
        ]
        secret_objects = [
            k8s.core.v1.Secret(
                f"{name}-{part}",
                metadata=meta(object_name),
                type="Opaque",
                string_data={k: pulumi.Output.secret(v) for k, v in data.items()},
                opts=child,  # new, as the ConfigMap: the live ones are hash-named
            )
            for (part, object_name), data in zip(
                (("secrets", names.APP_SECRET), ("db-secret", names.DB_SECRET)),
                secret_data,
                strict=True,
            )
        ]

        deployment = k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata=meta(names.DEPLOYMENT, names.CHECKOV_SKIPS),
            spec=pod_specs.deployment_spec(
                args.pods,
                image=args.image,
                config_checksum=_checksum(args.checksum_key, config),
                secrets_checksum=_checksum(args.checksum_key, *secret_data),
            ),
            opts=pulumi.ResourceOptions.merge(
                adopted(names.DEPLOYMENT),
                pulumi.ResourceOptions(
                    depends_on=[
                        service_account,
                        config_map,
                        pull_secret,
                        *secret_objects,
                    ]
                ),
            ),
        )
        service = k8s.core.v1.Service(
            f"{name}-service",
            metadata=meta(names.SERVICE, SERVICE_ANNOTATIONS),
            spec=app_specs.service_spec(),
            # The cluster assigns the Service's IP, and pulumi-kubernetes replaces a
            # Service whose spec.clusterIP changes (provider/pkg/provider/diff.go).
            # An adopted Service's imported inputs hold the live IP, which the
            # program never sets: without this, adopting would replace it.
            opts=pulumi.ResourceOptions.merge(
                adopted(names.SERVICE),
                pulumi.ResourceOptions(
                    ignore_changes=["spec.clusterIP", "spec.clusterIPs"]
                ),
            ),
        )
        k8s.networking.v1.NetworkPolicy(
            f"{name}-network-policy",
            metadata=meta(names.NETWORK_POLICY),
            spec=app_specs.network_policy_spec(),
            opts=adopted(names.NETWORK_POLICY),
        )

        if args.pods.replicas > 1:
            k8s.policy.v1.PodDisruptionBudget(
                f"{name}-disruption-budget",
                metadata=meta(names.DISRUPTION_BUDGET),
                spec=pod_specs.disruption_budget_spec(),
                opts=child,
            )

        self.namespace = ns
        self.deployment_name = deployment.metadata.name
        self.service_name = service.metadata.name
        self.register_outputs(
            {
                "namespace": self.namespace,
                "deploymentName": self.deployment_name,
                "serviceName": self.service_name,
            }
        )


def _checksum(
    key: pulumi.Input[str], *data: Mapping[str, pulumi.Input[str]]
) -> pulumi.Output[str]:
    """``app_specs.checksum`` of Outputs; keyed, so safe to show in clear."""
    digest = pulumi.Output.all(key, *(pulumi.Output.from_input(d) for d in data))
    return pulumi.Output.unsecret(
        digest.apply(lambda values: app_specs.checksum(values[0], *values[1:]))
    )
