"""The Google resources and the image lookup, by their tokens: no pulumi-gcp classes.

Each class is the same resource of the same provider as the generated class
it names (same type token, properties and secret outputs; the generated file
is cited), so ``pulumi up`` and ``pulumi preview`` see no difference. What
it skips is the generated package: a ``pulumi_gcp.<module>`` import runs its
``__init__``, which loads every resource and function of the module and their
generated input and output types, whatever one of them is used.
``pulumi_gcp.compute`` takes over a second; ``sql``, ``dns``,
``artifactregistry`` and ``projects`` 15-25 ms each, together about a sixth of an
offline render of three stacks (README, "Speed"). The service accounts and
their keys keep the generated classes: ``pulumi_gcp.serviceaccount`` is small.

Properties are given by their Python names and travel under the provider's
camelCase ones, nested keys too (``translate_input_property``, the SDK's
hook for resources without generated input types); outputs come back under
their Python names. Because the SDK translates the keys of every nested map,
a map of user data (labels, say) must not be passed through these classes as
it is: ``team_name`` would reach Google as ``teamName``. None is today.
Each constructor takes, typed, what the program sets; nested values are the
``TypedDict`` shapes of ``database_specs`` and ``repository_specs``. ``id`` in
``opts`` reads an existing resource, as the generated ``get`` does.

The generated classes also set the ``version`` of pulumi-gcp on each
resource; that only chooses a default provider. Every resource here has the
program's explicit provider, and the engine takes an explicit provider
reference as it is (pulumi/pulumi ``pkg/resource/deploy/source_eval.go``,
``getProviderReference``), for resources and function calls alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from components.settings import to_camel, to_snake

ADDRESS_TYPE = "gcp:compute/address:Address"
MANAGED_ZONE_TYPE = "gcp:dns/managedZone:ManagedZone"
RECORD_SET_TYPE = "gcp:dns/recordSet:RecordSet"
PROJECT_IAM_MEMBER_TYPE = "gcp:projects/iAMMember:IAMMember"
SQL_INSTANCE_TYPE = "gcp:sql/databaseInstance:DatabaseInstance"
SQL_DATABASE_TYPE = "gcp:sql/database:Database"
SQL_USER_TYPE = "gcp:sql/user:User"
REPOSITORY_TYPE = "gcp:artifactregistry/repository:Repository"
REPOSITORY_IAM_MEMBER_TYPE = (
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"
)
GET_DOCKER_IMAGE = "gcp:artifactregistry/getDockerImage:getDockerImage"

# The generated classes mark these outputs secret; so do these.
_SECRET_LABELS = ["effectiveLabels", "pulumiLabels"]


class _GoogleResource(pulumi.CustomResource):
    """A pulumi-gcp resource by its type token; Python names, camelCase on the wire."""

    def __init__(
        self,
        type_token: str,
        resource_name: str,
        props: Mapping[str, Any],
        opts: pulumi.ResourceOptions,
        secret_outputs: Sequence[str] = (),
    ) -> None:
        if secret_outputs:
            secret = pulumi.ResourceOptions(additional_secret_outputs=[*secret_outputs])
            opts = pulumi.ResourceOptions.merge(opts, secret)
        super().__init__(type_token, resource_name, dict(props), opts)

    def translate_input_property(self, prop: str) -> str:
        """A Python name as the provider spells it: ``dns_name`` is ``dnsName``."""
        return to_camel(prop)

    def translate_output_property(self, prop: str) -> str:
        """A provider's name as Python spells it: ``selfLink`` is ``self_link``."""
        return to_snake(prop)


class ComputeAddress(_GoogleResource):
    """``gcp.compute.Address`` (``pulumi_gcp/compute/address.py``)."""

    address: pulumi.Output[str]
    """The reserved IPv4 address, computed by Google."""

    def __init__(
        self, name: str, props: Mapping[str, Any], opts: pulumi.ResourceOptions
    ) -> None:
        super().__init__(
            ADDRESS_TYPE, name, {**props, "address": None}, opts, _SECRET_LABELS
        )


class DnsManagedZone(_GoogleResource):
    """``gcp.dns.ManagedZone`` (``pulumi_gcp/dns/managed_zone.py``)."""

    name: pulumi.Output[str]
    """The zone's name, which records refer to."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        name: str,
        dns_name: str,
        description: str,
        visibility: str,
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {
            "project": project,
            "name": name,
            "dns_name": dns_name,
            "description": description,
            "visibility": visibility,
        }
        super().__init__(MANAGED_ZONE_TYPE, resource_name, props, opts, _SECRET_LABELS)


class DnsRecordSet(_GoogleResource):
    """``gcp.dns.RecordSet`` (``pulumi_gcp/dns/record_set.py``)."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        managed_zone: pulumi.Input[str],
        name: str,
        type: str,
        ttl: int,
        rrdatas: Sequence[pulumi.Input[str]],
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {
            "project": project,
            "managed_zone": managed_zone,
            "name": name,
            "type": type,
            "ttl": ttl,
            "rrdatas": list(rrdatas),
        }
        super().__init__(RECORD_SET_TYPE, resource_name, props, opts)


class ProjectIamMember(_GoogleResource):
    """``gcp.projects.IAMMember`` (``pulumi_gcp/projects/iam_member.py``)."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        role: str,
        member: pulumi.Input[str],
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {"project": project, "role": role, "member": member}
        super().__init__(PROJECT_IAM_MEMBER_TYPE, resource_name, props, opts)


class SqlDatabaseInstance(_GoogleResource):
    """``gcp.sql.DatabaseInstance`` (``pulumi_gcp/sql/database_instance.py``)."""

    name: pulumi.Output[str]
    connection_name: pulumi.Output[str]
    """``project:region:instance``, computed by Google."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        name: str,
        region: str,
        database_version: str,
        deletion_protection: bool,
        settings: Mapping[str, Any],
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {
            "project": project,
            "name": name,
            "region": region,
            "database_version": database_version,
            "deletion_protection": deletion_protection,
            "settings": settings,
            "connection_name": None,
        }
        secret = ["replicaConfiguration", "rootPassword", "rootPasswordWo"]
        super().__init__(
            SQL_INSTANCE_TYPE,
            resource_name,
            props,
            opts,
            [*secret, "serverCaCerts"],
        )


class SqlDatabase(_GoogleResource):
    """``gcp.sql.Database`` (``pulumi_gcp/sql/database.py``)."""

    name: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        instance: pulumi.Input[str],
        name: str,
        charset: str,
        collation: str,
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {
            "project": project,
            "instance": instance,
            "name": name,
            "charset": charset,
            "collation": collation,
        }
        super().__init__(SQL_DATABASE_TYPE, resource_name, props, opts)


class SqlUser(_GoogleResource):
    """``gcp.sql.User`` (``pulumi_gcp/sql/user.py``); the password is a secret."""

    name: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        instance: pulumi.Input[str],
        name: str,
        password: pulumi.Input[str],
        deletion_policy: str,
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {
            "project": project,
            "instance": instance,
            "name": name,
            "password": pulumi.Output.secret(password),
            "deletion_policy": deletion_policy,
        }
        secret = ["password", "passwordWo"]
        super().__init__(SQL_USER_TYPE, resource_name, props, opts, secret)


class ArtifactRepository(_GoogleResource):
    """``gcp.artifactregistry.Repository`` (``…/artifactregistry/repository.py``)."""

    repository_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        location: str,
        repository_id: str,
        format: str,
        description: str,
        docker_config: Mapping[str, Any],
        cleanup_policy_dry_run: bool,
        cleanup_policies: pulumi.Input[Sequence[Mapping[str, Any]]],
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {
            "project": project,
            "location": location,
            "repository_id": repository_id,
            "format": format,
            "description": description,
            "docker_config": docker_config,
            "cleanup_policy_dry_run": cleanup_policy_dry_run,
            "cleanup_policies": cleanup_policies,
        }
        super().__init__(REPOSITORY_TYPE, resource_name, props, opts, _SECRET_LABELS)


class ArtifactRepositoryIamMember(_GoogleResource):
    """``gcp.artifactregistry.RepositoryIamMember`` (``…/repository_iam_member.py``)."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        location: str,
        repository: pulumi.Input[str],
        role: str,
        member: pulumi.Input[str],
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {
            "project": project,
            "location": location,
            "repository": repository,
            "role": role,
            "member": member,
        }
        super().__init__(REPOSITORY_IAM_MEMBER_TYPE, resource_name, props, opts)


def docker_image(
    *,
    project: str,
    location: str,
    repository_id: str,
    image_name: str,
    provider: pulumi.ProviderResource,
) -> pulumi.Output[dict[str, Any]]:
    """``gcp.artifactregistry.get_docker_image_output``: the result by wire names.

    (``…/artifactregistry/get_docker_image.py``; ``selfLink`` is
    ``…/NAME@sha256:…``.)
    """
    args = {
        "project": project,
        "location": location,
        "repositoryId": repository_id,
        "imageName": image_name,
    }
    return pulumi.runtime.invoke_output(
        GET_DOCKER_IMAGE, args, pulumi.InvokeOutputOptions(provider=provider)
    )
