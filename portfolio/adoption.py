"""Taking over the running environments: ``portfolio:adopt`` (docs/migration.md).

dev, staging and prod run objects that the kustomize overlays (through Flux
and Config Connector) and people (``regcred``, the image repository) made.
Creating them again fails: pulumi-kubernetes >= 4.29 reports ``AlreadyExists``
(pulumi/pulumi-kubernetes PR #4278), and Google answers 409 for a repository,
instance or zone that exists. While a stack adopts, each object that exists
live is instead imported by its ID (the engine reads it, then updates what
differs: pulumi/docs issue #18114) and protected, so nothing adopted can be
deleted by that first run. Objects that never existed (the per-stack
identities, the Certificate in the gateway's namespace, the disruption
budget) are created as usual, and so are the ConfigMap and Secrets that
kustomize's generators made under hash-suffixed names
(``portfolio-config-<hash>``): the program's fixed-name ones are new objects
beside them, and the old ones are deleted after migration.

The import IDs are the providers' own: ``<namespace>/<name>`` for a namespaced
Kubernetes object and ``<name>`` for a cluster-scoped one (pulumi-kubernetes
``provider/pkg/provider/util.go``, ``parseFqName``), and the canonical
"## Import" form of each pulumi-gcp resource (its resource docs; for a
PostgreSQL user, ``project/instance/name``: ``resource_sql_user.go``).

Once the adopting ``pulumi up`` is done, ``portfolio:adopt`` is removed: an
import option is only read when a resource is not yet in the stack's state,
so later runs ignore it.
"""

from __future__ import annotations

import pulumi


def options(adopt: bool, import_id: str) -> pulumi.ResourceOptions:
    """Import ``import_id`` and protect it while adopting; nothing otherwise."""
    if not adopt:
        return pulumi.ResourceOptions()
    return pulumi.ResourceOptions(import_=import_id, protect=True)


def kubernetes_id(name: str, namespace: str | None = None) -> str:
    """A Kubernetes object's ID: ``namespace/name``, or ``name`` cluster-wide."""
    return name if namespace is None else f"{namespace}/{name}"


def repository_id(project: str, location: str, repository: str) -> str:
    """An Artifact Registry repository's import ID."""
    return f"projects/{project}/locations/{location}/repositories/{repository}"


def sql_instance_id(project: str, instance: str) -> str:
    """A Cloud SQL instance's import ID."""
    return f"projects/{project}/instances/{instance}"


def sql_database_id(project: str, instance: str, database: str) -> str:
    """A Cloud SQL database's import ID."""
    return f"projects/{project}/instances/{instance}/databases/{database}"


def sql_user_id(project: str, instance: str, user: str) -> str:
    """A PostgreSQL user's import ID (PostgreSQL users have no host part)."""
    return f"{project}/{instance}/{user}"


def dns_zone_id(project: str, zone: str) -> str:
    """A Cloud DNS managed zone's import ID."""
    return f"projects/{project}/managedZones/{zone}"


def dns_record_id(project: str, zone: str, fqdn: str, record_type: str) -> str:
    """A Cloud DNS record set's import ID; ``fqdn`` ends with a dot."""
    return f"projects/{project}/managedZones/{zone}/rrsets/{fqdn}/{record_type}"


def address_id(project: str, region: str, address: str) -> str:
    """A regional address's ID, as ``Address.get`` and imports take it."""
    return f"projects/{project}/regions/{region}/addresses/{address}"
