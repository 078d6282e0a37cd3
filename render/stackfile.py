"""Read ``Pulumi.yaml`` and one ``Pulumi.<stack>.yaml`` the way the Pulumi CLI does.

The result is the config the CLI would hand the program: full keys, string
values (non-strings as JSON), ``Pulumi.yaml`` defaults under the stack's own
values, and the list of keys that hold secrets. ``secure:`` values are kept as
their ciphertext: nothing here can or should decrypt them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

STACK_FILE_PREFIX = "Pulumi."
STACK_FILE_SUFFIX = ".yaml"


class StackFileError(Exception):
    """A stack file that cannot be rendered; one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Declaration:
    """One key of ``Pulumi.yaml``'s ``config:`` block."""

    type: str
    secret: bool
    default: Any
    has_default: bool
    item_type: str | None


@dataclass(frozen=True)
class Project:
    """The project file: its name and its declared config keys."""

    path: Path
    name: str
    declarations: dict[str, Declaration]


@dataclass(frozen=True)
class StackConfig:
    """What the program of one stack is run with."""

    stack: str
    path: Path
    config: dict[str, str]
    secret_keys: tuple[str, ...]


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


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StackFileError([f"{path.name}: file not found ({path})"]) from None
    except OSError as error:
        raise StackFileError([f"{path.name}: cannot read: {error.strerror}"]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f"line {where.line + 1}: " if where is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise StackFileError([f"{path.name}: invalid YAML: {line}{problem}"]) from None


def load_project(path: Path) -> Project:
    """Parse ``Pulumi.yaml``; its ``config:`` block is the schema of every stack."""
    document = _read_yaml(path)
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise StackFileError([f"{path.name}: name: a project needs a name"])
    declarations = {}
    for key, spec in (document.get("config") or {}).items():
        items = spec.get("items") or {}
        declarations[key] = Declaration(
            type=spec["type"],
            secret=bool(spec.get("secret", False)),
            default=spec.get("default"),
            has_default="default" in spec,
            item_type=items.get("type"),
        )
    return Project(path=path, name=document["name"], declarations=declarations)


def to_config_string(value: Any) -> str:
    """A YAML value as the Pulumi CLI passes it to a program."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def _type_problem(declaration: Declaration, value: Any) -> str | None:
    expected = declaration.type
    if expected == "string":
        ok = isinstance(value, (str, int, float)) and not isinstance(value, bool)
    elif expected == "integer":
        ok = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and value.lstrip("-").isdigit()
        )
    elif expected == "boolean":
        ok = isinstance(value, bool) or value in ("true", "false")
    elif expected == "array":
        if not isinstance(value, list):
            return "must be a list"
        if declaration.item_type == "string" and not all(
            isinstance(item, str) for item in value
        ):
            return "every item must be a string"
        return None
    else:
        return f"Pulumi.yaml declares an unknown type {expected!r}"
    return None if ok else f"must be of type {expected}, got {value!r}"


def _read_stack_config(path: Path) -> dict[Any, Any]:
    document = _read_yaml(path)
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise StackFileError([f"{path.name}: a stack file must be a YAML mapping"])
    raw = document.get("config") or {}
    if not isinstance(raw, dict):
        raise StackFileError([f"{path.name}: config: must be a mapping"])
    return raw


def load_stack(project: Project, path: Path) -> StackConfig:
    """Validate one stack file against the project and merge the defaults."""
    stack, problems = read_stack(project, path)
    if problems:
        raise StackFileError(
            [f"{path.name}: {key}: {message}" for key, message in problems]
        )
    return stack


def read_stack(
    project: Project, path: Path
) -> tuple[StackConfig, list[tuple[str, str]]]:
    """The stack's config without its bad keys, and a ``(key, problem)`` for each.

    Raises ``StackFileError`` only when the file cannot be read as a stack file.
    """
    raw = _read_stack_config(path)
    prefix = f"{project.name}:"
    config = {
        prefix + key: to_config_string(declaration.default)
        for key, declaration in project.declarations.items()
        if declaration.has_default
    }
    problems: list[tuple[str, str]] = []
    secret_keys: list[str] = []
    for key, value in raw.items():
        full = key if ":" in str(key) else prefix + str(key)
        secure = isinstance(value, dict) and set(value) == {"secure"}
        if full.startswith(prefix):
            declaration = project.declarations.get(full.removeprefix(prefix))
            problem = _problem(declaration, value, secure)
            if problem:
                problems.append((full, problem))
                continue
        if secure:
            secret_keys.append(full)
        config[full] = str(value["secure"]) if secure else to_config_string(value)
    stack = StackConfig(stack_name(path), path, config, tuple(sorted(secret_keys)))
    return stack, problems


def _problem(declaration: Declaration | None, value: Any, secure: bool) -> str | None:
    if declaration is None:
        return "is not declared in Pulumi.yaml"
    if secure:
        if not isinstance(value["secure"], str) or not value["secure"]:
            return "secure: must be a ciphertext string"
        return None
    if declaration.secret:
        return "is a secret: set it with `pulumi config set --secret`, not in plaintext"
    return _type_problem(declaration, value)
