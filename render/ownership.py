"""One owner for each shared thing, across the set of stacks ``--all`` checks.

The image repository, the DNS zone and the ingress address are created by the
one stack their ``*OwnerStack`` key names, when that stack names itself; the
others refer to them. Stack by stack nothing is wrong with two stacks both
naming themselves, or none doing so, but together they would create a thing
twice or never: ``check --all`` and ``render --all`` refuse both.

What must be one stack's own (the hosts it serves or redirects, its Cloud SQL
instance, its certificate in the gateway's shared namespace) is refused when
two stacks of the set claim it, and a consumer stack the repository's owner
names must be one of the set. A stack that refers to a shared thing looks for
it where its own config says (its project, region, image repository), which
must be where the owner creates it.
"""

from __future__ import annotations

from portfolio.settings.model import CONFIG_NAMESPACE, PortfolioSettings
from portfolio.settings.validators import artifact_registry_parts

# Owner key -> what it owns.
SHARED = {
    "registryOwnerStack": "the image repository",
    "dnsZoneOwnerStack": "the DNS zone",
    "ingressAddressOwnerStack": "the ingress address",
}


# Owner key -> its field.
_FIELDS = {
    "registryOwnerStack": "registry_owner_stack",
    "dnsZoneOwnerStack": "dns_zone_owner_stack",
    "ingressAddressOwnerStack": "ingress_address_owner_stack",
}


def _owner(settings: PortfolioSettings, key: str) -> str:
    return str(getattr(settings, _FIELDS[key]))


def _claims(settings: PortfolioSettings) -> list[tuple[str, str, str]]:
    """``(key, what, value)`` for each thing that must be this stack's alone."""
    hosts = [("host", "the host", settings.host)]
    hosts += [("redirectHosts", "the host", host) for host in settings.redirect_hosts]
    return [
        *hosts,
        ("sqlInstanceName", "the Cloud SQL instance", settings.sql_instance),
        ("tlsCertificateName", "the certificate", settings.tls_certificate),
    ]


def collisions(stacks: dict[str, PortfolioSettings]) -> list[str]:
    """``<file>: <key>: <problem>`` for each thing two stacks of the set claim."""
    claimed: dict[tuple[str, str], set[str]] = {}
    for settings in stacks.values():
        for _, what, value in _claims(settings):
            claimed.setdefault((what, value), set()).add(settings.namespace)
    lines = []
    for file, settings in stacks.items():
        for key, what, value in _claims(settings):
            others = sorted(claimed[(what, value)] - {settings.namespace})
            if others:
                lines.append(
                    f"{file}: {CONFIG_NAMESPACE}:{key}: {what} {value!r} is claimed "
                    f"by {', '.join(others)} too: it must be one stack's own"
                )
    return lines + unknown_consumers(stacks, {s.namespace for s in stacks.values()})


def unknown_consumers(
    stacks: dict[str, PortfolioSettings], names: set[str]
) -> list[str]:
    """A consumer stack the repository's owner names must be one of ``names``."""
    key = f"{CONFIG_NAMESPACE}:registryConsumerStacks"
    return [
        f"{file}: {key}: {consumer!r} is no stack checked here "
        f"(there is no Pulumi.{consumer}.yaml)"
        for file, settings in stacks.items()
        if settings.owns_registry
        for consumer in settings.registry_consumer_stacks
        if consumer not in names
    ]


def _identity(settings: PortfolioSettings, key: str) -> dict[str, str]:
    """What names the shared thing ``key`` owns in this stack, by the config key.

    The repository is the image's (``portfolio:image``); the zone is the
    project's ``DNS_ZONE_NAME``; the address is the project's and region's
    ``INGRESS_ADDRESS_NAME``: a stack finds the owner's only if they agree.
    """
    if key == "registryOwnerStack":
        location, project, repository = artifact_registry_parts(settings.image)
        return {f"{CONFIG_NAMESPACE}:image": f"{location}/{project}/{repository}"}
    where = {"gcp:project": settings.gcp_project}
    if key == "ingressAddressOwnerStack":
        where["gcp:region"] = settings.gcp_region
    return where


def _mismatches(stacks: dict[str, PortfolioSettings], key: str, what: str) -> list[str]:
    """A stack that would look for the owner's ``what`` where it is not."""
    owners = {s.namespace: s for s in stacks.values() if _owner(s, key) == s.namespace}
    lines = []
    for file, settings in stacks.items():
        owner = owners.get(_owner(settings, key))
        if owner is None or owner is settings:
            continue
        theirs = _identity(owner, key)
        for config_key, value in _identity(settings, key).items():
            if value != theirs[config_key]:
                lines.append(
                    f"{file}: {config_key}: {what} is {owner.namespace}'s, in "
                    f"{theirs[config_key]!r}; this stack would look in {value!r}"
                )
    return lines


def problems(stacks: dict[str, PortfolioSettings]) -> list[str]:
    """``<file>: <key>: <problem>`` for each stack file at odds over an owner.

    ``stacks``: each stack file's name and its settings.
    """
    lines: list[str] = collisions(stacks)
    for key, what in SHARED.items():
        owners = sorted(
            s.namespace for s in stacks.values() if _owner(s, key) == s.namespace
        )
        for file, settings in stacks.items():
            named = _owner(settings, key)
            problem = _problem(settings.namespace, named, owners, what)
            if problem:
                lines.append(f"{file}: {CONFIG_NAMESPACE}:{key}: {problem}")
        lines += _mismatches(stacks, key, what)
    return lines


def _problem(stack: str, named: str, owners: list[str], what: str) -> str | None:
    if len(owners) > 1 and named == stack:
        others = ", ".join(o for o in owners if o != stack)
        return f"this stack owns {what}, and so does {others}: exactly one stack may"
    if not owners:
        return (
            f"names {named}, but no stack checked here owns {what}: exactly one "
            "must, by naming itself"
        )
    if len(owners) == 1 and named != owners[0]:
        return f"names {named}, but {owners[0]} owns {what}"
    return None
