"""The Google resources the program uses: their IDs and computed outputs.

Each entry gives the ID templates of the Terraform provider's resource (the
first is the ID a create returns, as ``d.SetId`` does upstream; all of them
are accepted by an import, as its "Import" section lists) and a function of
the inputs and provider config returning what Google would compute, in the
formats Google returns: ``connectionName`` is ``PROJECT:REGION:NAME``, an
address is a fixed documentation-range IP per name, a service account's
``email`` is ``ACCOUNT_ID@PROJECT.iam.gserviceaccount.com``. A key's
``privateKey`` is base64 of a credentials JSON whose key material is the
word FAKE. Names here are outputs of the SDK class; any other is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from e2e.standin import fake, gcp_iam, ids
from e2e.standin.lifecycle import Ctx
from e2e.standin.values import Props

SQL_API = "https://sqladmin.googleapis.com/sql/v1beta4"
COMPUTE_API = "https://www.googleapis.com/compute/v1"


def _name(ctx: Ctx) -> str:
    return str(ctx.inputs.get("name") or ctx.name)


def _address(ctx: Ctx) -> Props:
    project, region, name = ctx.setting("project"), ctx.setting("region"), _name(ctx)
    return {
        "name": name,
        "address": fake.ipv4("203.0.113", project, region, name),
        "addressType": "EXTERNAL",
        "networkTier": "PREMIUM",
        "addressId": int(fake.number(project, region, name, digits=15)),
        "creationTimestamp": fake.timestamp(project, region, name),
        "labelFingerprint": "42WmSpB8rSM=",
        "selfLink": f"{COMPUTE_API}/projects/{project}/regions/{region}"
        f"/addresses/{name}",
        "users": [],
    }


def _managed_zone(ctx: Ctx) -> Props:
    project, name = ctx.setting("project"), _name(ctx)
    shard = "abcde"[fake.digest(project, name)[0] % 5]
    return {
        "name": name,
        "nameServers": [f"ns-cloud-{shard}{i}.googledomains.com." for i in range(1, 5)],
        "managedZoneId": int(fake.number(project, name, digits=15)),
        "creationTime": fake.timestamp(project, name),
        "visibility": "public",
    }


def _sql_instance(ctx: Ctx) -> Props:
    project, region, name = ctx.setting("project"), ctx.setting("region"), _name(ctx)
    settings = ctx.inputs.get("settings") or {}
    network = settings.get("ipConfiguration") or {}
    public = ""
    if network.get("ipv4Enabled", True):
        public = fake.ipv4("198.51.100", project, name)
    private = fake.private_ipv4(project, name) if network.get("privateNetwork") else ""
    addresses = [{"ipAddress": public, "type": "PRIMARY", "timeToRetire": ""}]
    if private:
        addresses.append({"ipAddress": private, "type": "PRIVATE", "timeToRetire": ""})
    cert = {
        "cert": "-----BEGIN CERTIFICATE-----\nFAKE\n-----END CERTIFICATE-----\n",
        "commonName": "C=US,O=Google\\, Inc,CN=Google Cloud SQL Server CA",
        "createTime": fake.timestamp(project, name),
        "expirationTime": "2036-01-01T00:00:00Z",
        "sha1Fingerprint": fake.hexstr(project, name, "ca", length=40),
    }
    account = fake.hexstr(project, name, length=6)
    return {
        "name": name,
        "connectionName": f"{project}:{region}:{name}",
        "selfLink": f"{SQL_API}/projects/{project}/instances/{name}",
        "firstIpAddress": public or private,
        "publicIpAddress": public,
        "privateIpAddress": private,
        "ipAddresses": [a for a in addresses if a["ipAddress"]],
        "serverCaCerts": ctx.stable("serverCaCerts", [cert]),
        "serviceAccountEmailAddress": f"p{fake.number(project, digits=12)}-{account}"
        "@gcp-sa-cloud-sql.iam.gserviceaccount.com",
        "dnsName": "",
        "dnsNames": [],
        "pscServiceAttachmentLink": "",
        "availableMaintenanceVersions": [],
    }


def _sql_database(ctx: Ctx) -> Props:
    project, name = ctx.setting("project"), _name(ctx)
    instance = ids.last_segment(str(ctx.inputs.get("instance", "")))
    return {
        "name": name,
        "charset": "UTF8",
        "collation": "en_US.UTF8",
        "selfLink": f"{SQL_API}/projects/{project}/instances/{instance}"
        f"/databases/{name}",
    }


def _sql_user(ctx: Ctx) -> Props:
    return {"name": _name(ctx), "iamEmail": "", "sqlServerUserDetails": []}


def _repository(ctx: Ctx) -> Props:
    project, location = ctx.setting("project"), ctx.setting("location")
    repository = str(ctx.inputs.get("repositoryId") or ctx.name)
    created = fake.timestamp(project, location, repository)
    return {
        "location": location,
        "name": repository,
        "mode": "STANDARD_REPOSITORY",
        "createTime": created,
        "updateTime": fake.now() if ctx.old.get("createTime") else created,
        "registryUri": f"{location}-docker.pkg.dev/{project}/{repository}",
    }


def _short_repository(values: Props) -> Props:
    return {**values, "repository": ids.last_segment(str(values.get("repository")))}


def _same(values: Props) -> Props:
    return values


@dataclass(frozen=True)
class GcpType:
    """One Google resource type: its ID templates and computed outputs."""

    ids: tuple[str, ...]
    computed: Callable[[Ctx], Props]
    from_id: Callable[[Props], Props] = _same
    """An import ID's fields as inputs."""
    id_values: Callable[[Props], Props] = _same
    """Inputs and outputs as the canonical ID's fields."""
    imports: tuple[str, ...] = ()
    """The forms an import ID may take, where they are not ``ids``."""

    def import_forms(self) -> tuple[str, ...]:
        """The templates an import ID is read with."""
        return self.imports or self.ids


_REPO = "projects/{project}/locations/{location}/repositories/{repository}"
TYPES: dict[str, GcpType] = {
    "gcp:compute/address:Address": GcpType(
        (
            "projects/{project}/regions/{region}/addresses/{name}",
            "{project}/{region}/{name}",
            "{region}/{name}",
            "{name}",
        ),
        _address,
    ),
    "gcp:dns/managedZone:ManagedZone": GcpType(
        ("projects/{project}/managedZones/{name}", "{project}/{name}", "{name}"),
        _managed_zone,
    ),
    "gcp:dns/recordSet:RecordSet": GcpType(
        (
            "projects/{project}/managedZones/{managedZone}/rrsets/{name}/{type}",
            "{project}/{managedZone}/{name}/{type}",
            "{managedZone}/{name}/{type}",
        ),
        lambda ctx: {},
    ),
    "gcp:projects/iAMMember:IAMMember": GcpType(
        ("{project}/{role}/{member}", "{project} {role} {member}"),
        gcp_iam.iam_member,
    ),
    "gcp:sql/databaseInstance:DatabaseInstance": GcpType(
        ("{name}", "projects/{project}/instances/{name}", "{project}/{name}"),
        _sql_instance,
    ),
    "gcp:sql/database:Database": GcpType(
        (
            "projects/{project}/instances/{instance}/databases/{name}",
            "{project}/{instance}/{name}",
            "instances/{instance}/databases/{name}",
            "{instance}/{name}",
        ),
        _sql_database,
    ),
    "gcp:sql/user:User": GcpType(
        (
            "{name}/{host}/{instance}",
            "{project}/{instance}/{host}/{name}",
            "{project}/{instance}/{name}",
        ),
        _sql_user,
        # Terraform's resourceSqlUserImporter: project first, never name/host/instance.
        imports=("{project}/{instance}/{host}/{name}", "{project}/{instance}/{name}"),
    ),
    "gcp:artifactregistry/repository:Repository": GcpType(
        (
            "projects/{project}/locations/{location}/repositories/{repositoryId}",
            "{project}/{location}/{repositoryId}",
            "{location}/{repositoryId}",
        ),
        _repository,
    ),
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": GcpType(
        (_REPO + "/{role}/{member}", _REPO + " {role} {member}"),
        gcp_iam.iam_member,
        id_values=_short_repository,
    ),
    "gcp:serviceaccount/account:Account": GcpType(
        ("projects/{project}/serviceAccounts/{email}", "{project}/{email}"),
        gcp_iam.account,
        from_id=gcp_iam.account_from_id,
    ),
    "gcp:serviceaccount/iAMMember:IAMMember": GcpType(
        ("{serviceAccountId}/{role}/{member}", "{serviceAccountId} {role} {member}"),
        gcp_iam.iam_member,
    ),
    "gcp:serviceaccount/key:Key": GcpType(
        ("projects/{project}/serviceAccounts/{email}/keys/{keyId}",),
        gcp_iam.key,
        from_id=gcp_iam.key_from_id,
        id_values=gcp_iam.key_id_values,
    ),
}
