"""Turn config strings into ``PortfolioSettings``, or say what is wrong, per key.

Pulumi hands a program its config as strings, lists as JSON. This is the edge:
each value is read once into the Python type its field declares (integers are
digits only, booleans ``true`` or ``false``, lists JSON lists), then the
pydantic model checks it. Every problem is collected, named by its config key,
and raised at once as ``SettingsError``: the renderer prints one line each,
``pulumi up`` fails before registering anything. A secret's value (or its
ciphertext) is never part of a message.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Collection, Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pulumi
from pydantic import SecretStr, ValidationError

from portfolio.settings import retired, secrets, validators
from portfolio.settings.model import (
    CONFIG_NAMESPACE,
    EDGE_KEYS,
    PROVIDER_NAMESPACES,
    CrossFieldError,
    PortfolioSettings,
)

# The engine's own namespace (pulumi:tags, pulumi:disable-default-providers, ...):
# the CLI reads those keys, not the program.
ENGINE_NAMESPACE = "pulumi"
_DIGITS = re.compile(r"[0-9]{1,19}")


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
            "\n".join(one_line(f"{prefix}{key}: {text}") for key, text in problems)
        )


# A problem line is shown whole up to this many characters.
LINE_LIMIT = 1000


def one_line(line: str) -> str:
    """``line`` with controls escaped and its length bounded, as the CLI shows it.

    Under ``pulumi up`` the engine prints this message as it is: a key holding
    a newline or an ANSI escape must not start a forged line or restyle it. A
    ``v1:`` ciphertext pasted anywhere (a value, a list item, a key) is not shown.
    """
    line = secrets.without_ciphertexts(line)
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in line)
    if len(shown) <= LINE_LIMIT:
        return shown
    return f"{shown[:LINE_LIMIT]}... ({len(shown)} characters)"


def config_keys() -> dict[str, str]:
    """Every key the program reads: full key -> field name."""
    keys = {}
    for name, field in PortfolioSettings.model_fields.items():
        alias = field.alias or name
        full = alias if ":" in alias or name == "namespace" else None
        keys[full or f"{CONFIG_NAMESPACE}:{alias}"] = name
    return keys


def parse_settings(
    namespace: str,
    raw: Mapping[str, str],
    provider: Mapping[str, str],
    secret: Collection[str] = (),
) -> PortfolioSettings:
    """Parse config strings (as Pulumi passes them) into settings.

    ``raw`` holds the ``portfolio:*`` values by short key; ``provider`` the
    other namespaces' values by full key (``gcp:project``, ``kubernetes:...``);
    ``secret`` the keys whose values are Pulumi secrets (``secure:``): full
    keys, or short ones of the ``portfolio`` namespace.
    """
    secret = {key if ":" in key else f"{CONFIG_NAMESPACE}:{key}" for key in secret}
    given = {f"{CONFIG_NAMESPACE}:{key}": value for key, value in raw.items()}
    given |= {
        key: value for key, value in provider.items() if key in EDGE_KEYS.values()
    }
    given["namespace"] = namespace
    known = config_keys()
    problems = _unknown(raw, provider, known)
    problems += secrets.problems({**provider, **given}, secret)
    values: dict[str, Any] = {}
    for key, text in given.items():
        name = known.get(key)
        if name is None or (key in secret and not secrets.meant(key)):
            continue  # a secret where none is meant: no rule may show its value
        try:
            values[name] = _decoded(
                text, PortfolioSettings.model_fields[name].annotation
            )
        except ValueError as error:
            problems.append((key, secrets.hidden(str(error), text, key in secret)))
    if not provider.get("kubernetes:context") and not provider.get(
        "kubernetes:kubeconfig"
    ):
        problems.append(
            ("kubernetes:context", "is required (or kubernetes:kubeconfig) but not set")
        )
    reported = {key for key, _ in problems}
    try:
        settings = PortfolioSettings.model_validate(values)
    except ValidationError as error:
        problems += [
            p for p in _lines(error, given, set(secret)) if p[0] not in reported
        ]
    if problems:
        texts = [text for key, text in given.items() if secrets.meant(key)]
        raise SettingsError(
            [(key, secrets.masked(text, texts)) for key, text in problems]
        )
    return settings


def _decoded(text: str, annotation: Any) -> Any:
    """A config string as the Python value its field's type takes."""
    kinds = _kinds(annotation)
    if SecretStr in kinds:  # empty: none given (the program generates one)
        return SecretStr(text) if text else None
    if str in kinds:
        return text
    if bool in kinds:
        if text not in ("true", "false"):
            raise ValueError(f"{validators.shown(text)} is not true or false")
        return text == "true"
    if int in kinds:
        if not _DIGITS.fullmatch(text):
            shown = validators.shown(text)
            raise ValueError(f"{shown} is not a whole number (digits only)")
        return int(text)
    return _json_list(text)


def _json_list(text: str) -> list[Any]:
    """A list-valued key's JSON, as Pulumi passes it."""
    try:
        value = json.loads(text)
    # JSONDecodeError, or a number of over 4300 digits; or nested too deep.
    except (ValueError, RecursionError):
        raise ValueError(f"{validators.shown(text)} is not a list") from None
    if not isinstance(value, list):
        raise ValueError(f"{validators.shown(value)} is not a list")
    return value


def _kinds(annotation: Any) -> set[Any]:
    """The plain types a field takes: unions unwrapped, ``Literal`` as ``str``.

    pydantic keeps a field's own ``Annotated`` constraints apart from its
    ``annotation``; those inside a union are unwrapped here.
    """
    origin = get_origin(annotation)
    if origin is None:
        return {annotation}
    if origin is Literal:
        return {str}
    if origin is Annotated:
        return _kinds(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return set().union(*(_kinds(arg) for arg in get_args(annotation)))
    return {origin}


def _unknown(
    raw: Mapping[str, str], provider: Mapping[str, str], known: Mapping[str, str]
) -> list[tuple[str, str]]:
    """Keys the program does not read, with a did-you-mean."""
    problems = []
    names = [key for key in known if key.startswith(f"{CONFIG_NAMESPACE}:")]
    for key in sorted(raw):
        full = f"{CONFIG_NAMESPACE}:{key}"
        if full not in known:
            message = retired.message(key) or (
                "is not a known setting" + validators.did_you_mean(full, names)
            )
            problems.append((full, message))
    read = [key for key in EDGE_KEYS.values() if ":" in key]
    for key in sorted(provider):
        if key in known or key.partition(":")[0] == ENGINE_NAMESPACE:
            continue
        hint = validators.did_you_mean(key, [*read, *names])
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


def _lines(
    error: ValidationError, given: Mapping[str, str], secret: set[str]
) -> list[tuple[str, str]]:
    """Each pydantic error as ``(config key, message)``."""
    problems = []
    keys = {name: key for key, name in config_keys().items()}
    for item in error.errors(include_url=False):
        cause = (item.get("ctx") or {}).get("error")
        if isinstance(cause, CrossFieldError):
            problems += [(_full(key), message) for key, message in cause.problems]
            continue
        name, *inner = item["loc"]
        by_alias = {v.alias: k for k, v in PortfolioSettings.model_fields.items()}
        field = by_alias.get(str(name), str(name))
        key = keys.get(field, _full(str(name)))
        message = _message(item)
        if item["type"] == "missing":
            message = "is required but not set"
        elif inner and isinstance(inner[0], int):
            message = f"item {inner[0]}: {message}"
        problems.append(
            (key, secrets.hidden(message, given.get(key, ""), key in secret))
        )
    return problems


# pydantic's messages for these, in the program's words, with the value.
_MESSAGES = {
    "less_than_equal": "{value} is above the maximum, {le}",
    "greater_than_equal": "{value} is below the minimum, {ge}",
    "string_too_long": "is longer than {max_length} characters",
    "string_pattern_mismatch": "{value} does not match {pattern}",
    "literal_error": "{value} is not one of {expected}",
}


def _message(item: Any) -> str:
    """One pydantic error's message, with the value where it helps."""
    template = _MESSAGES.get(item["type"])
    if template is None:
        return str(item["msg"]).removeprefix("Value error, ")
    value = item.get("input")
    shown = str(value) if isinstance(value, int) else validators.shown(value)
    return template.format(value=shown, **(item.get("ctx") or {}))


def _full(key: str) -> str:
    return key if ":" in key or key == "namespace" else f"{CONFIG_NAMESPACE}:{key}"
