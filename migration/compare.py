"""``python -m migration compare STACK OVERLAY``: what taking over an overlay does.

``kubectl kustomize OVERLAY_DIR`` is what Flux applied; the stack's offline
render is what ``pulumi up`` would leave. Each object is matched with its
counterpart and the differences are grouped by what Pulumi would do:

- **would force replacement**: a field the provider cannot change in place
  differs, so the object would be deleted and made again;
- **would change**: updated in place, field by field;
- **only in kustomize**: the program leaves it alone; each says what to do;
- **only in the program**: created, or imported while the stack adopts.

Kubernetes objects match by kind, namespace and name; a generator's
hash-suffixed name (``portfolio-config-<hash>``) matches its fixed-name
counterpart. Config Connector objects match the program's Google resources by
their Google names. Which fields force a replacement is the providers' own
rule: pulumi-kubernetes ``provider/pkg/provider/diff.go`` (``forceNew``, with
the program's mutable ConfigMaps and Secrets) and the ``ForceNew`` fields of
the Google provider's schema each pulumi-gcp resource is built from.
Secret values are never compared or printed.

"""

from __future__ import annotations

from typing import Any

from migration.advice import advice, fate
from migration.changes import Matched, Report
from migration.google import compare_google, config_connector_names, google_counterpart
from migration.kubernetes import compare_kubernetes, kubernetes_counterpart
from migration.objects import (
    is_config_connector,
    is_kubernetes_object,
    label,
    record_label,
)
from portfolio.settings.model import PortfolioSettings


def compare(
    kustomize: list[dict[str, Any]],
    resources: list[dict[str, Any]],
    settings: PortfolioSettings,
) -> Report:
    """Match the overlay's objects with the stack's ``resources.yaml`` records."""
    kubernetes = [r for r in resources if is_kubernetes_object(r)]
    google = [r for r in resources if r["type"].startswith("gcp:")]
    matched: list[Matched] = []
    only_kustomize: list[tuple[str, str]] = []
    used: set[str] = set()
    cc_names = config_connector_names(kustomize)
    for doc in kustomize:
        if is_config_connector(doc):
            mine = google_counterpart(doc, google, used)
            compared = compare_google(doc, mine, cc_names) if mine else None
        else:
            mine = kubernetes_counterpart(doc, kubernetes, used)
            compared = compare_kubernetes(doc, mine, settings.adopt) if mine else None
        if mine is None or compared is None:
            only_kustomize.append((label(doc), advice(doc, settings)))
            continue
        used.add(mine["urn"])
        matched.append(compared)
    only_program = [
        (record_label(r), fate(r))
        for r in kubernetes + google
        if r["urn"] not in used and "id" not in r["options"]
    ]
    return Report(matched, only_kustomize, only_program, settings.adopt)
