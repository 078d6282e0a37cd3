"""Turn config strings into ``PortfolioSettings``, or say what is wrong, per key.

Pulumi hands a program its config as strings, non-strings as JSON. Every
problem is collected, named by its config key, and raised at once as
``SettingsError``: the renderer prints one line each, ``pulumi up`` fails
before registering anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from typing import Any

import pulumi

from components import validators
from components.config_rules import RuleError
from components.settings import (
    CONFIG_NAMESPACE,
    EDGE_FIELDS,
    PROVIDER_NAMESPACES,
    PROXY_ACCOUNT_PREFIX,
    PULL_ACCOUNT_PREFIX,
    PortfolioSettings,
    config_fields,
    secret_keys,
    settings_fields,
    to_camel,
    to_snake,
)
from components.validators import shown

ACCOUNT_ID_MAX = 30


class SettingsError(pulumi.RunError, ValueError):
    """Stack config that cannot be deployed; one ``(key, message)`` per problem.

    A ``pulumi.RunError``: the Python language host and the Automation API's
    runtime print its message as the error, with no traceback (pulumi
    ``sdk/python/lib/pulumi/automation/_server.py``, ``Run``; ``make e2e``'s
    ``refused`` scenario shows it under the real engine). ``source`` (the stack
    file) starts every line, so each line stands alone.
    """

    def __init__(self, problems: list[tuple[str, str]], source: str = "") -> None:
        self.problems = problems
        prefix = f"{source}: " if source else ""
        super().__init__(
            "\n".join(f"{prefix}{key}: {message}" for key, message in problems)
        )


# The engine's own namespace (pulumi:tags, pulumi:autonaming,
# pulumi:disable-default-providers, ...): the CLI reads those keys, not the program.
ENGINE_NAMESPACE = "pulumi"


def provider_problems(provider: Mapping[str, str]) -> list[tuple[str, str]]:
    """What is missing, unknown or has no effect among a stack's other namespaces."""
    problems = []
    # Without a context (or a kubeconfig of the stack's own) the provider would
    # deploy to kubectl's current context, whatever that is.
    if not provider.get("kubernetes:context") and not provider.get(
        "kubernetes:kubeconfig"
    ):
        problems.append(
            ("kubernetes:context", "is required (or kubernetes:kubeconfig) but not set")
        )
    read = sorted(key for key in EDGE_FIELDS.values() if ":" in key)
    known = read + [f"{CONFIG_NAMESPACE}:{s.key}" for s in config_fields()]
    for key in sorted(provider):
        if key in read or key.partition(":")[0] == ENGINE_NAMESPACE:
            continue
        hint = validators.did_you_mean(key, known)
        if key.partition(":")[0] in PROVIDER_NAMESPACES:
            message = (
                "has no effect: every resource uses the program's explicit "
                f"providers, which read only {', '.join(read)}"
            )
        else:
            namespaces = ", ".join((CONFIG_NAMESPACE, *PROVIDER_NAMESPACES))
            message = f"is not a key of this program's namespaces ({namespaces})"
        problems.append((key, message + hint))
    return problems


def parse_settings(
    namespace: str,
    raw: Mapping[str, str],
    provider: Mapping[str, str],
    secret: Collection[str] = (),
) -> PortfolioSettings:
    """Parse config strings (as Pulumi passes them) into settings.

    ``raw`` holds the ``portfolio:*`` values by short key; ``provider`` the
    other namespaces' values by full key (``gcp:project``, ``kubernetes:...``);
    ``secret`` the short keys whose values are Pulumi secrets (``secure:``).
    """
    values, problems = _decode(raw)
    problems.extend(_plain_secret_problems(raw, secret))
    values["namespace"] = namespace
    for key in EDGE_FIELDS.values():
        if key in provider:
            values[key] = provider[key]
    problems = provider_problems(provider) + problems
    reported = {key for key, _ in problems}
    fields, invalid = _read(values)
    problems.extend(p for p in invalid if p[0] not in reported)
    if not invalid:
        settings = PortfolioSettings(**fields)
        problems.extend(_limit_problems(settings))
        problems.extend(_port_problems(settings))
        problems.extend(_rollout_problems(settings))
        problems.extend(_registry_problems(settings))
        problems.extend(_host_problems(settings))
        problems.extend(_account_problems(settings))
        problems.extend(_adoption_problems(settings))
    if problems:
        raise SettingsError(problems)
    return settings


def _read(
    values: Mapping[str, object],
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Each field by its rule, from ``values`` by config key; and the problems."""
    fields: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for field in settings_fields():
        if field.key not in values:
            if field.required:
                problems.append((_qualified(field.key), "is required but not set"))
            continue
        try:
            fields[field.name] = field.rule.read(values[field.key])
        except RuleError as error:
            where = "".join(f"{_location(part)}: " for part in error.path)
            problems.append((_qualified(field.key), where + error.message))
    return fields, problems


def _decode(raw: Mapping[str, str]) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """Config strings to Python values by key, and the keys that fail to decode."""
    values: dict[str, object] = {}
    problems: list[tuple[str, str]] = []
    fields = config_fields()
    for field in fields:
        if field.key not in raw:
            continue
        if field.rule.text:
            values[field.key] = raw[field.key]
            continue
        try:
            values[field.key] = json.loads(raw[field.key])
        # JSONDecodeError, or a number of over 4300 digits; or nested too deep.
        except (ValueError, RecursionError):
            problem = f"{shown(raw[field.key])} is not {field.rule.expected}"
            problems.append((_qualified(field.key), problem))
    names = [field.key for field in fields]
    unknown = sorted(set(raw) - set(names))
    problems.extend(
        (
            _qualified(key),
            REMOVED.get(key)
            or "is not a known setting" + validators.did_you_mean(key, names),
        )
        for key in unknown
    )
    return values, problems


# Keys earlier versions read, and what took their place.
REMOVED = {
    "nextauthUrl": "was removed: NEXTAUTH_URL is https://<portfolio:host>; "
    "set portfolio:host",
    "cloudSqlConnectionName": "was removed: CLOUD_SQL_CONNECTION_NAME comes from "
    "the stack's Cloud SQL instance (portfolio:sqlInstanceName)",
    "databaseUrl": "was removed: DATABASE_URL is composed from the stack's Cloud SQL "
    "instance, database and user; to keep an existing password, set "
    "portfolio:databasePassword with --secret",
}


def _plain_secret_problems(
    raw: Mapping[str, str], secret: Collection[str]
) -> list[tuple[str, str]]:
    """A value for a secret key must be a Pulumi secret, never plain text."""
    return [
        (
            _qualified(key),
            "is a plain value; set it with pulumi config set --secret "
            "(and rotate it: it has been stored in clear)",
        )
        for key in secret_keys()
        if raw.get(key) and key not in secret
    ]


def _account_problems(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Service-account IDs are made from the stack name and must fit in 30."""
    longest = max(len(PULL_ACCOUNT_PREFIX), len(PROXY_ACCOUNT_PREFIX))
    if longest + len(settings.namespace) <= ACCOUNT_ID_MAX:
        return []
    limit = ACCOUNT_ID_MAX - longest
    message = (
        f"a stack name of at most {limit} characters keeps service-account IDs valid"
    )
    return [("namespace", message)]


def _limit_problems(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Requests above limits are rejected by the API server at apply time."""
    problems = []
    for prefix in ("", "proxy_"):
        for kind in ("cpu", "memory"):
            request = getattr(settings, f"{prefix}{kind}_request")
            limit = getattr(settings, f"{prefix}{kind}_limit")
            if validators.to_number(request) > validators.to_number(limit):
                key = to_camel(f"{prefix}{kind}_request")
                problems.append(
                    (
                        _qualified(key),
                        f"{validators.shown(request)} is above the limit "
                        f"{validators.shown(limit)}",
                    )
                )
    return problems


def _port_problems(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """The pod's containers share one network: each port has one listener."""
    problems = []
    taken = {settings.container_port: "containerPort"}
    for key in ("proxyPort", "proxyHealthPort"):
        port = getattr(settings, to_snake(key))
        if port in taken:
            message = f"{port} is already portfolio:{taken[port]}; pick another port"
            problems.append((_qualified(key), message))
        taken.setdefault(port, key)
    return problems


def _rollout_problems(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """The preStop pause counts against the grace period and must leave time."""
    problems = []
    if settings.pre_stop_sleep_seconds >= settings.termination_grace_period_seconds:
        problems.append(
            (
                _qualified("preStopSleepSeconds"),
                f"{settings.pre_stop_sleep_seconds} leaves no time to shut down "
                "within portfolio:terminationGracePeriodSeconds "
                f"{settings.termination_grace_period_seconds}",
            )
        )
    return problems


def _registry_problems(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Only the repository's owner keeps other stacks' digests, never its own."""
    problems = []
    consumers = settings.registry_consumer_stacks
    if consumers and not settings.owns_registry:
        problems.append(
            (
                _qualified("registryConsumerStacks"),
                "has no effect: only the owner stack "
                f"({settings.registry_owner_stack}) keeps digests",
            )
        )
    if settings.namespace in consumers:
        problems.append(
            (_qualified("registryConsumerStacks"), "lists this stack itself")
        )
    return problems


def _host_problems(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Every host is a distinct name in the DNS zone the stacks share."""
    problems = []
    seen: set[str] = set()
    for key, host in [("host", settings.host)] + [
        ("redirectHosts", host) for host in settings.redirect_hosts
    ]:
        if host in seen:
            problems.append((_qualified(key), f"{host} is given twice"))
        seen.add(host)
        if not validators.in_domain(host, settings.dns_domain):
            problems.append(
                (
                    _qualified(key),
                    f"{host} is not in portfolio:dnsDomain {settings.dns_domain}",
                )
            )
    return problems


def _adoption_problems(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Adopting keeps the live database user's password unless another is given."""
    if settings.adopt and settings.database_password is None:
        return [
            (
                _qualified("adopt"),
                "needs portfolio:databasePassword set (pulumi config set --secret) "
                "to the live database user's password, so adopting changes no password",
            )
        ]
    return []


def _location(part: str | int) -> str:
    """A list index, or a key of a map as is when it is a plain name, else quoted."""
    if isinstance(part, int) or re.fullmatch(r"[\w./-]+", part, re.ASCII):
        return str(part)
    return shown(part)


def _qualified(key: str) -> str:
    """The config key a user sets, for a field name, short key or edge key."""
    for field, config_key in EDGE_FIELDS.items():
        if key in (field, to_camel(field), config_key):
            return config_key
    return f"{CONFIG_NAMESPACE}:{key}"
