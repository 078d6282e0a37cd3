"""The rules between settings: what no single key's check can see.

Run by ``PortfolioSettings``'s model validator once every field is valid;
each problem is ``(short key, message)``, as the user would fix it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portfolio.edge.dns import DNS_DOMAIN
from portfolio.settings import quantities, sql_names, validators

if TYPE_CHECKING:
    from portfolio.settings.model import PortfolioSettings

ACCOUNT_ID_MAX = 30


def problems(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Every cross-field problem of ``settings``."""
    return [
        *_limits(settings),
        *_sql(settings),
        *_registry(settings),
        *_hosts(settings),
        *_accounts(settings),
        *_adoption(settings),
    ]


def _sql(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """The instance's connection name, ``project:instance``, has a length limit."""
    problem = sql_names.connection_problem(settings.gcp_project, settings.sql_instance)
    return [("sqlInstanceName", problem)] if problem else []


def _limits(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Requests above limits are rejected by the API server at apply time."""
    found = []
    for kind in ("cpu", "memory"):
        request = getattr(settings, f"{kind}_request")
        limit = getattr(settings, f"{kind}_limit")
        if quantities.to_number(request) > quantities.to_number(limit):
            message = (
                f"{validators.shown(request)} is above the limit "
                f"{validators.shown(limit)}"
            )
            found.append((f"{kind}Request", message))
    return found


def _registry(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Only the repository's owner keeps other stacks' digests, never its own."""
    found = []
    consumers = settings.registry_consumer_stacks
    if consumers and not settings.owns_registry:
        found.append(
            (
                "registryConsumerStacks",
                "has no effect: only the owner stack "
                f"({settings.registry_owner_stack}) keeps digests",
            )
        )
    if settings.namespace in consumers:
        found.append(("registryConsumerStacks", "lists this stack itself"))
    return found


def _hosts(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Every host is a distinct name in the DNS zone the stacks share."""
    found = []
    seen: set[str] = set()
    keyed = [("host", settings.host)]
    keyed += [("redirectHosts", host) for host in settings.redirect_hosts]
    for key, host in keyed:
        if host in seen:
            found.append((key, f"{host} is given twice"))
        seen.add(host)
        if not validators.in_domain(host, DNS_DOMAIN):
            found.append((key, f"{host} is not in the DNS zone's domain {DNS_DOMAIN}"))
    return found


def _accounts(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Service-account IDs are made from the stack name and must fit in 30."""
    longest = max(len(settings.pull_account_id), len(settings.proxy_account_id))
    if longest <= ACCOUNT_ID_MAX:
        return []
    limit = ACCOUNT_ID_MAX - (longest - len(settings.namespace))
    message = (
        f"a stack name of at most {limit} characters keeps service-account IDs valid"
    )
    return [("namespace", message)]


def _adoption(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Adopting keeps the live database user's password unless another is given."""
    if settings.adopt and settings.database_password is None:
        return [
            (
                "adopt",
                "needs portfolio:databasePassword set (pulumi config set --secret) "
                "to the live database user's password, so adopting changes no password",
            )
        ]
    return []
