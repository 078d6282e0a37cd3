"""Read ``Pulumi.yaml`` the way the Pulumi CLI does: its name, runtime and config.

A ``Pulumi.yaml`` key is a declaration (``type``, ``items``, ``default``,
``value``, ``secret``, ``description``) or a shorthand value; a key of another
namespace (``gcp:region``) takes only ``value``; declared types are checked as
the CLI checks them (pulumi/pulumi ``sdk/go/common/workspace/project.go``,
``project.json``). A project file that is not this program's (another name or
runtime, the program or stack files elsewhere) is refused in lines of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from render import yaml12
from render.config_values import (
    DECLARATION_ATTRIBUTES,
    ConfigValueError,
    declaration_problem,
    holds_secure,
    shorthand_problem,
    to_config_string,
)
from render.project_schema import shape_problems


class StackFileError(Exception):
    """A project or stack file that cannot be used; one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Declaration:
    """One project key of ``Pulumi.yaml``'s ``config:`` block."""

    type: str | None
    secret: bool
    default: Any
    has_default: bool
    item_type: str | None


@dataclass(frozen=True)
class Project:
    """The project file: its name, its declared keys, its provider values."""

    path: Path
    name: str
    declarations: dict[str, Declaration]
    values: dict[str, Any] = field(default_factory=dict)
    """``value:`` entries of other namespaces (``gcp:region``), by full key."""


def read_yaml(path: Path) -> Any:
    """A project or stack file's YAML; one ``StackFileError`` line if it is not."""
    try:
        return yaml12.load(path)
    except yaml12.YamlError as error:
        raise StackFileError([str(error)]) from None


def full_key(key: str, project: str) -> str | None:
    """A config key as the CLI stores it (``ns:name``), or None if malformed.

    ``sdk/go/common/resource/config/key.go`` (``ParseKey``): ``name`` is the
    project's, ``ns:config:name`` is the old spelling of ``ns:name``.
    """
    parts = key.split(":")
    if len(parts) == 1 and key:
        return f"{project}:{key}"
    if len(parts) == 2 and all(parts):
        return key
    if len(parts) == 3 and parts[1] == "config" and parts[0] and parts[2]:
        return f"{parts[0]}:{parts[2]}"
    return None


# pulumi/pulumi sdk/go/common/tokens (ValidateProjectName): at most 100 of these.
_PROJECT_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")
# What this program is: its config namespace and its language.
PROJECT_NAME = "portfolio"
RUNTIME = "python"


def _project_problems(document: Any) -> list[str]:
    """What makes ``Pulumi.yaml`` not this project as the CLI would run it."""
    if not isinstance(document, dict):
        return ["a project file must be a YAML mapping"]
    problems = shape_problems(document)
    name = document.get("name")
    if not isinstance(name, str) or not _PROJECT_NAME.fullmatch(name):
        problems.append("name: a project needs a name (letters, digits, _ . -)")
    elif name != PROJECT_NAME:
        problems.append(
            f"name: must be {PROJECT_NAME!r}, the config namespace the program reads"
        )
    problems += _runtime_problems(document.get("runtime"))
    for key in ("main", "stackConfigDir"):
        if key in document and not any(p.startswith(f"{key}:") for p in problems):
            problems.append(
                f"{key}: the program and its stack files are beside Pulumi.yaml; "
                "the offline tools do not follow another place"
            )
    return problems


def _runtime_problems(runtime: Any) -> list[str]:
    """``runtime: python`` or ``{name: python, options: {...}}``, nothing else."""
    problems = []
    options: Any = {}
    if isinstance(runtime, dict):
        problems += [
            f"runtime: {key!r} is not a runtime key (name, options)"
            for key in runtime
            if key not in ("name", "options")
        ]
        options = runtime.get("options", {})
        runtime = runtime.get("name")
    if runtime != RUNTIME:
        problems.append(f"runtime: must be {RUNTIME} (the program is __main__.py)")
    return problems + _option_problems(options)


# pulumi/pulumi sdk/python/cmd/pulumi-language-python/main.go (parseOptions):
# the options the Python language host reads, and the values it takes.
_OPTIONS: dict[str, tuple[str, ...] | None] = {
    "toolchain": ("pip", "poetry", "uv"),
    "virtualenv": None,
    "typechecker": ("mypy", "pyright"),
}


def _option_problems(options: Any) -> list[str]:
    """The runtime options the Python language host would refuse or ignore."""
    if not isinstance(options, dict):
        return ["runtime: options: must be a mapping"]
    problems = []
    for key, value in options.items():
        if key not in _OPTIONS:
            known = ", ".join(_OPTIONS)
            problems.append(f"runtime: options: {key!r} is not an option ({known})")
        elif not isinstance(value, str) or not value:
            problems.append(f"runtime: options: {key}: must be a string")
        elif (choices := _OPTIONS[key]) is not None and value not in choices:
            problems.append(f"runtime: options: {key}: must be one of {choices}")
    return problems


# The CLI cannot read one either: "invalid character 's' looking for beginning
# of value".
_SECURE = (
    "holds a secure: value; Pulumi.yaml holds no secrets: set it per stack "
    "with pulumi config set --secret"
)


def load_project(path: Path) -> Project:
    """Parse ``Pulumi.yaml``; its ``config:`` block is the schema of every stack."""
    document = read_yaml(path)
    problems = _project_problems(document)
    if problems:
        raise StackFileError([f"{path.name}: {problem}" for problem in problems])
    name = document["name"]
    block = document.get("config")
    block = {} if block is None else block
    if not isinstance(block, dict):
        problem = (
            "must be a mapping of keys (a folder name here is the old "
            "stackConfigDir, which the offline tools do not follow)"
        )
        raise StackFileError([f"{path.name}: config: {problem}"])
    declarations: dict[str, Declaration] = {}
    values: dict[str, Any] = {}
    for key, spec in block.items():
        full = full_key(key, name) if isinstance(key, str) else None
        if full is None:
            problems.append(f"{path.name}: config: {key!r} is not a configuration key")
            continue
        own = full.startswith(f"{name}:")
        try:
            if own:
                declaration = _declaration(spec)
                to_config_string(declaration.default)  # a value the CLI can pass
                declarations[full.removeprefix(f"{name}:")] = declaration
            else:
                values[full] = _namespaced_value(spec)
                to_config_string(values[full])
        except ConfigValueError as error:
            problems.append(f"{path.name}: config: {full}: {error}")
    if problems:
        raise StackFileError(problems)
    return Project(path=path, name=name, declarations=declarations, values=values)


def _long_form(spec: Any, shorthand_key: str) -> dict[Any, Any]:
    """A key's mapping; a shorthand ``key: value`` as ``{shorthand_key: value}``."""
    if holds_secure(spec):
        raise ConfigValueError(_SECURE)
    if isinstance(spec, dict):
        return spec
    problem = shorthand_problem(spec)
    if problem:
        raise ConfigValueError(problem)
    return {shorthand_key: spec}


def _declaration(spec: Any) -> Declaration:
    """A project key's declaration; shorthand ``key: value`` is a default."""
    spec = _long_form(spec, "default")
    problem = declaration_problem(spec)
    if problem:
        raise ConfigValueError(problem)
    has_default = "default" in spec or "value" in spec
    items = spec.get("items") or {}
    return Declaration(
        type=spec.get("type"),
        secret=bool(spec.get("secret", False)),
        default=spec.get("default", spec.get("value")),
        has_default=has_default,
        item_type=items.get("type") if isinstance(items, dict) else None,
    )


def _namespaced_value(spec: Any) -> Any:
    """Another namespace's key takes a value only (``project.go``, Validate)."""
    spec = _long_form(spec, "value")
    unknown = sorted(set(spec) - set(DECLARATION_ATTRIBUTES), key=str)
    if unknown:
        raise ConfigValueError(f"unknown attribute {unknown[0]!r}")
    if "type" in spec:
        raise ConfigValueError(
            "is not namespaced by the project and should not define a type"
        )
    if "default" in spec:
        raise ConfigValueError(
            "is not namespaced by the project and should not define a default value; "
            "use 'value'"
        )
    if spec.get("value") is None:
        raise ConfigValueError("is namespaced and must provide an attribute 'value'")
    return spec["value"]
