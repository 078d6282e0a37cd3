"""One owner for each shared thing, across the set of stacks ``--all`` checks.

The image repository, the DNS zone and the ingress address are created by the
one stack their ``*OwnerStack`` key names, when that stack names itself; the
others refer to them. Stack by stack nothing is wrong with two stacks both
naming themselves, or none doing so, but together they would create a thing
twice or never: ``check --all`` and ``render --all`` refuse both.
"""

from __future__ import annotations

from components.settings import CONFIG_NAMESPACE, PortfolioSettings, to_snake

# Owner key -> what it owns.
SHARED = {
    "registryOwnerStack": "the image repository",
    "dnsZoneOwnerStack": "the DNS zone",
    "ingressAddressOwnerStack": "the ingress address",
}


def _owner(settings: PortfolioSettings, key: str) -> str:
    return str(getattr(settings, to_snake(key)))


def problems(stacks: dict[str, PortfolioSettings]) -> list[str]:
    """``<file>: <key>: <problem>`` for each stack file at odds over an owner.

    ``stacks``: each stack file's name and its settings.
    """
    lines: list[str] = []
    for key, what in SHARED.items():
        owners = sorted(
            s.namespace for s in stacks.values() if _owner(s, key) == s.namespace
        )
        for file, settings in stacks.items():
            named = _owner(settings, key)
            problem = _problem(settings.namespace, named, owners, what)
            if problem:
                lines.append(f"{file}: {CONFIG_NAMESPACE}:{key}: {problem}")
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
