"""Read one ``Pulumi.<stack>.yaml`` the way the Pulumi CLI does.

``render.projectfile`` reads ``Pulumi.yaml``, the schema of every stack.

The result is the config the CLI would hand the program: full keys, string
values, ``Pulumi.yaml``'s defaults and values under the stack's own, and the
keys that hold secrets. ``secure:`` values are kept as their ciphertext:
nothing here can or should decrypt them.

The rules are pulumi/pulumi's (``sdk/go/common/workspace/project.go``,
``project.json``, ``loaders.go``; ``sdk/go/common/resource/config/value.go``,
``key.go``; ``pkg/workspace/config.go``):

- a stack file's top-level keys are ``config``, ``secretsprovider``,
  ``encryptedkey``, ``encryptionsalt`` and ``environment``; an ``environment``
  imports Pulumi ESC environments, which nothing offline can open, so it is
  refused with a line saying so rather than ignored;
- a config key is ``name`` (the project's), ``namespace:name`` or
  ``namespace:config:name``;
- ``{secure: <string>}`` is a secret; scalars reach the program as text,
  lists and maps as compact JSON with sorted keys (``value.go``);
- declared types are checked as the CLI checks them (``ValidateConfigValue``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portfolio.settings import retired, secrets
from portfolio.settings.model import PortfolioSettings
from portfolio.settings.parsing import SettingsError, parse_settings
from portfolio.settings.validators import did_you_mean
from portfolio.stack import split_config
from render.config_values import (
    PASTED_CIPHERTEXT,
    ConfigValueError,
    holds_secure,
    pasted_ciphertext,
    secure_text,
    to_config_string,
    type_problem,
)
from render.projectfile import (
    Declaration,
    Project,
    StackFileError,
    full_key,
    load_project,
    read_yaml,
)

__all__ = [
    "Project",
    "StackConfig",
    "StackFileError",
    "check_stack",
    "load_project",
    "read_stack",
    "settings_of",
]

STACK_FILE_PREFIX = "Pulumi."
STACK_FILE_SUFFIX = ".yaml"
STACK_FILE_KEYS = (
    "config",
    "secretsprovider",
    "encryptedkey",
    "encryptionsalt",
    "environment",
)


@dataclass(frozen=True)
class StackConfig:
    """What the program of one stack is run with."""

    stack: str
    path: Path
    config: dict[str, str]
    secret_keys: tuple[str, ...]
    given: frozenset[str] = frozenset()
    """The full keys the stack file sets; the others come from Pulumi.yaml."""


def stack_name(path: Path) -> str:
    """``Pulumi.dev.yaml`` -> ``dev``."""
    return path.name.removeprefix(STACK_FILE_PREFIX).removesuffix(STACK_FILE_SUFFIX)


def stack_files(directory: Path) -> list[Path]:
    """Every ``Pulumi.<stack>.yaml`` in a directory, sorted by stack name."""
    return sorted(
        path
        for path in directory.glob(f"{STACK_FILE_PREFIX}*{STACK_FILE_SUFFIX}")
        if stack_name(path)
    )


def _top_level_problems(document: dict[Any, Any]) -> list[tuple[str, str]]:
    """Keys the CLI does not read, wrong types, and an ESC ``environment``."""
    problems: list[tuple[str, str]] = []
    known = ", ".join(STACK_FILE_KEYS)
    for key in document:
        if key not in STACK_FILE_KEYS:
            problems.append(
                (str(key), f"is not a stack file key (the CLI reads {known})")
            )
    for key in ("secretsprovider", "encryptedkey", "encryptionsalt"):
        if key in document and not isinstance(document[key], str):
            problems.append((key, "must be a string"))
    if document.get("environment") is not None:
        problems.append(
            (
                "environment",
                "imports Pulumi ESC environments, which the offline tools cannot "
                "open; set the values under config: to render or check this stack",
            )
        )
    return problems


def _read_stack_config(
    path: Path,
) -> tuple[dict[Any, Any], list[tuple[str, str]], bool]:
    """The ``config:`` block, the file's problems, and its provider's kind.

    The last is whether the secrets provider is a passphrase or a cloud KMS key
    (then every ciphertext is ``v1:...``).
    """
    document = read_yaml(path)
    if document is None:
        return {}, [], False
    if not isinstance(document, dict):
        raise StackFileError([f"{path.name}: a stack file must be a YAML mapping"])
    problems = _top_level_problems(document)
    raw = document.get("config")
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        problems.append(("config", "must be a mapping"))
        raw = {}
    symmetric = any(document.get(key) for key in ("encryptionsalt", "encryptedkey"))
    return raw, problems, symmetric


def load_stack(project: Project, path: Path) -> StackConfig:
    """Validate one stack file against the project and merge the defaults."""
    stack, problems = read_stack(project, path)
    if problems:
        raise StackFileError(
            [f"{path.name}: {key}: {message}" for key, message in problems]
        )
    return stack


def _defaults(project: Project) -> dict[str, str]:
    prefix = f"{project.name}:"
    config = {
        prefix + key: to_config_string(declaration.default)
        for key, declaration in project.declarations.items()
        if declaration.has_default
    }
    config.update({key: to_config_string(v) for key, v in project.values.items()})
    return config


def read_stack(
    project: Project, path: Path
) -> tuple[StackConfig, list[tuple[str, str]]]:
    """The stack's config without its bad keys, and a ``(key, problem)`` for each.

    Raises ``StackFileError`` only when the file cannot be read as a stack file.
    """
    raw, problems, symmetric = _read_stack_config(path)
    prefix = f"{project.name}:"
    config = _defaults(project)
    secret_keys: list[str] = []
    given: dict[str, str] = {}
    for key, value in raw.items():
        full = full_key(key, project.name) if isinstance(key, str) else None
        if full is None:
            problems.append((str(key), "is not a configuration key (namespace:name)"))
            continue
        if full in given:
            problems.append((full, f"is given twice (as {given[full]} and {key})"))
            continue
        given[full] = str(key)
        try:
            text, secret = _text(value, symmetric)
        except ConfigValueError as error:
            problems.append((full, str(error)))
            continue
        if full.startswith(prefix):
            problem = _project_key_problem(project, full, value, secret)
            if problem:
                problems.append((full, problem))
                continue
        if secret:
            secret_keys.append(full)
        config[full] = text
    stack = StackConfig(
        stack_name(path),
        path,
        config,
        tuple(sorted(secret_keys)),
        given=frozenset(given),
    )
    # A key can hold a ciphertext (pasted as a key's name): masked as values are.
    values = [config[key] for key in secret_keys]
    masked = [
        (secrets.masked(k, values), secrets.masked(m, values)) for k, m in problems
    ]
    return stack, masked


_NESTED_SECRET = (
    "holds a secure: value inside it; only the secret keys may hold secrets, "
    "each as a whole"
)


def _text(value: Any, symmetric: bool) -> tuple[str, bool]:
    """A value as the CLI passes it to the program, and whether it is a secret.

    A ``{secure: ...}`` inside a list or map (``pulumi config set --secret
    --path``) is refused: only a secret key may hold a secret, as a whole.
    """
    secure = secure_text(value, symmetric)
    if secure is not None:
        return secure, True
    if holds_secure(value):
        raise ConfigValueError(_NESTED_SECRET)
    if pasted_ciphertext(value):
        raise ConfigValueError(PASTED_CIPHERTEXT)
    return to_config_string(value), False


def _project_key_problem(
    project: Project, full: str, value: Any, secure: bool
) -> str | None:
    """What is wrong with the value of a project key, with a did-you-mean."""
    short = full.removeprefix(f"{project.name}:")
    declaration = project.declarations.get(short)
    if declaration is None:  # what the program would say of a key it no more reads
        declared = [f"{project.name}:{key}" for key in project.declarations]
        return retired.message(short) or (
            f"is not declared in Pulumi.yaml{did_you_mean(full, declared)}"
        )
    return _problem(declaration, value, secure)


def _problem(declaration: Declaration, value: Any, secure: bool) -> str | None:
    if secure:
        return None
    if declaration.secret:
        return "is a secret: set it with `pulumi config set --secret`, not in plaintext"
    if declaration.type is None:
        return None
    return type_problem(declaration.type, declaration.item_type, value)


def check_stack(project: Project, path: Path) -> StackConfig:
    """Load one stack file and validate its settings as the program will.

    Raises ``StackFileError`` with every problem; one with a value the stack
    file does not set is ``Pulumi.yaml``'s (its default or value).
    """
    stack, problems = read_stack(project, path)
    try:
        settings_of(stack)
    except SettingsError as error:
        reported = {key for key, _ in problems}
        problems += [p for p in error.problems if p[0] not in reported]
    if problems:
        raise StackFileError(
            [_problem_line(project, stack, key, text) for key, text in problems]
        )
    return stack


def _problem_line(project: Project, stack: StackConfig, key: str, message: str) -> str:
    short = key.removeprefix(f"{project.name}:")
    declaration = project.declarations.get(short) if short != key else None
    if key not in stack.given:
        if key in project.values:
            where = f"its value; {stack.path.name} does not set it"
            return f"{project.path.name}: {key}: {message} ({where})"
        if declaration is not None and declaration.has_default:
            where = f"its default; {stack.path.name} does not set it"
            return f"{project.path.name}: {key}: {message} ({where})"
    return f"{stack.path.name}: {key}: {message}"


def settings_of(stack: StackConfig) -> PortfolioSettings:
    """The settings of a stack, or ``SettingsError``."""
    return parse_settings(stack.stack, *split_config(stack.config), stack.secret_keys)
