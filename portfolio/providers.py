"""The program's explicit providers, created once and passed to every resource.

With explicit providers nothing picks up the ambient kubeconfig context or
gcloud project: each stack deploys to the cluster and project its stack file
names. The Kubernetes provider's behaviour is fixed here rather than in every
stack file:

- ConfigMaps and Secrets are updated in place. pulumi-kubernetes replaces a
  changed ConfigMap or Secret by default, and with the fixed names the program
  uses that is delete-then-create, leaving a moment without ``regcred`` or the
  app's config (pulumi/pulumi-kubernetes ``provider/pkg/provider/diff.go``
  forces a replacement unless ``enableSecretMutable``/``enableConfigMapMutable``).
- Server-side apply, the provider's default since v4, is stated explicitly.
- While the stack adopts live objects (``portfolio:adopt``), server-side apply
  is forced over other field managers: Flux applied the overlays as
  ``kustomize-controller``, and the provider takes fields over only from
  ``kubectl*`` managers, so without force every field Flux set is a conflict.
  Normal runs never force: a conflict then means someone else changed the
  object, and should stop the run (``enablePatchForce``,
  ``provider/pkg/provider/provider.go``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s
import pulumi_random as random

from portfolio.settings.model import PortfolioSettings

KUBERNETES = "kubernetes"
GCP = "gcp"
RANDOM = "random"


@dataclass(frozen=True)
class Providers:
    """The providers every resource of the stack is created with."""

    kubernetes: k8s.Provider
    gcp: gcp.Provider
    random: random.Provider
    """Generates the stack's secrets; it has no settings."""


def kubernetes_args(settings: PortfolioSettings) -> dict[str, Any]:
    """The Kubernetes provider's inputs: the stack's cluster, in-place updates."""
    args: dict[str, Any] = {
        "enable_config_map_mutable": True,
        "enable_secret_mutable": True,
        "enable_server_side_apply": True,
    }
    if settings.adopt:
        args["enable_patch_force"] = True
    if settings.kube_context is not None:
        args["context"] = settings.kube_context
    if settings.kubeconfig is not None:
        # A kubeconfig may hold credentials: never shown, never stored in clear.
        args["kubeconfig"] = pulumi.Output.secret(
            settings.kubeconfig.get_secret_value()
        )
    return args


def gcp_args(settings: PortfolioSettings) -> dict[str, Any]:
    """The Google provider's inputs: the stack's project and region."""
    return {"project": settings.gcp_project, "region": settings.gcp_region}


def create(settings: PortfolioSettings) -> Providers:
    """Register the providers at the top of the stack."""
    return Providers(
        kubernetes=k8s.Provider(KUBERNETES, **kubernetes_args(settings)),
        gcp=gcp.Provider(GCP, **gcp_args(settings)),
        random=random.Provider(RANDOM),
    )
