"""Read a YAML file the way the Pulumi CLI's parser (Go ``gopkg.in/yaml.v3``) does.

YAML 1.2 with a maintained parser (ruamel.yaml, pure Python, so no libyaml 1.1
rules creep in):

- ``yes``/``no``/``on``/``off`` are strings, and so are unquoted dates (yaml.v3
  hands a timestamp-looking scalar to untyped code as its text) and a plain
  ``=`` (YAML 1.1's "value" tag);
- a key given twice in one mapping is an error (yaml.v3's ``uniqueKeys``);
- alias expansion is bounded with yaml.v3's own rule ("document contains
  excessive aliasing", ``decode.go``), and an alias inside itself is refused;
- the file must be UTF-8 text.

Every problem is raised as ``YamlError``: one line, naming the file.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML, nodes
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

# yaml.v3 decode.go: allowedAliasRatio and the counts below which it never fails.
_RATIO_LOW, _RATIO_HIGH = 400_000, 4_000_000
_MIN_ALIASES, _MIN_DECODES = 100, 1000
# Whatever the ratio, no stack file needs more nodes than this once expanded.
_MAX_DECODES = 1_000_000
# A project or stack file is a few kilobytes; anything above this is refused
# before it is read, let alone parsed.
MAX_BYTES = 1 << 20


_DUPLICATE = re.compile(r'^found duplicate key (?P<key>".*?"|\S+)')


class YamlError(Exception):
    """A file that is not the YAML the Pulumi CLI would read; one line."""


class _Constructor(SafeConstructor):
    """YAML 1.2 safe construction, timestamps kept as their text."""


_Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str
)
# A plain `=` resolves to YAML 1.1's "value" tag, which yaml.v3 (and YAML 1.2's
# core schema) does not have: there it is the string "=".
_Constructor.add_constructor(
    "tag:yaml.org,2002:value", SafeConstructor.construct_yaml_str
)


def _parser() -> YAML:
    parser = YAML(typ="safe", pure=True)
    parser.Constructor = _Constructor
    return parser


def _children(node: nodes.Node) -> list[nodes.Node]:
    if isinstance(node, nodes.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, nodes.SequenceNode):
        return list(node.value)
    return []


def _mark_aliases(root: nodes.Node) -> dict[tuple[int, int], bool]:
    """Which edges (parent id, child index) are aliases, in document order."""
    aliases: dict[tuple[int, int], bool] = {}
    seen: set[int] = set()
    stack = [root]
    seen.add(id(root))
    while stack:
        node = stack.pop()
        for index, child in enumerate(_children(node)):
            alias = id(child) in seen
            aliases[(id(node), index)] = alias
            if not alias:
                seen.add(id(child))
                stack.append(child)
    return aliases


def _expansion(root: nodes.Node) -> tuple[int, int]:
    """``(decodes, aliases)`` yaml.v3 would count decoding the whole document."""
    aliases = _mark_aliases(root)
    memo: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def count(node: nodes.Node) -> tuple[int, int]:
        if id(node) in memo:
            return memo[id(node)]
        if id(node) in active:
            raise YamlError("an alias refers to the node that contains it")
        active.add(id(node))
        decodes, alias_count = 1, 0
        for index, child in enumerate(_children(node)):
            child_decodes, child_aliases = count(child)
            extra = 1 if aliases[(id(node), index)] else 0
            decodes += child_decodes + extra
            alias_count += child_aliases + extra
            if decodes > _MAX_DECODES:
                raise YamlError("document contains excessive aliasing")
        active.discard(id(node))
        memo[id(node)] = (decodes, alias_count)
        return memo[id(node)]

    return count(root)


def _allowed_ratio(decodes: int) -> float:
    if decodes <= _RATIO_LOW:
        return 0.99
    if decodes >= _RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * (decodes - _RATIO_LOW) / (_RATIO_HIGH - _RATIO_LOW)


def _check_aliasing(root: nodes.Node) -> None:
    decodes, alias_count = _expansion(root)
    if (
        alias_count > _MIN_ALIASES
        and decodes > _MIN_DECODES
        and alias_count / decodes > _allowed_ratio(decodes)
    ):
        raise YamlError("document contains excessive aliasing")


def _describe(error: YAMLError) -> str:
    if isinstance(error, MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = error.problem or error.context or "not valid YAML"
        duplicate = _DUPLICATE.match(problem)
        if duplicate:
            # Never echo the values: one of them may be a secret.
            problem = f"key {duplicate['key']} is given twice in one mapping"
        elif "another document" in problem:
            problem = "more than one YAML document; the Pulumi CLI reads one"
        return f"{line}{problem}"
    return str(error).splitlines()[0] if str(error) else "not valid YAML"


def _read(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``; nothing else is opened."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise YamlError(f"{path.name}: file not found ({path})") from None
    except OSError as error:
        raise YamlError(f"{path.name}: cannot read: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise YamlError(f"{path.name}: is not a regular file; it is not read")
    if info.st_size > MAX_BYTES:
        raise YamlError(f"{path.name}: is {info.st_size} bytes; at most 1 MiB is read")
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise YamlError(f"{path.name}: cannot read: {error.strerror}") from None
    if len(data) > MAX_BYTES:  # it grew after the check
        raise YamlError(f"{path.name}: is over 1 MiB; at most 1 MiB is read")
    return data


def _yaml_directive_problem(text: str) -> str | None:
    """A ``%YAML`` directive that would make ruamel.yaml read other rules.

    yaml.v3 accepts ``%YAML 1.1`` and ``1.2`` and reads both with its own
    rules (``yes`` stays a string); ruamel.yaml would switch to YAML 1.1's
    (``yes`` is true). So only ``1.2``, or no directive, is read here.
    """
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line.startswith("%"):
            return None
        words = line.split()
        if words[0] == "%YAML" and words[1:2] != ["1.2"]:
            version = " ".join(words[1:2]) or "without a version"
            return (
                f"%YAML {version}: the Pulumi CLI reads the file as YAML 1.2 "
                "whatever the directive says; remove the directive"
            )
    return None


def load(path: Path) -> Any:
    """The first document of ``path`` as plain Python values; None when empty."""
    data = _read(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise YamlError(
            f"{path.name}: is not UTF-8 text (line {line}, byte {error.start})"
        ) from None
    directive = _yaml_directive_problem(text)
    if directive:
        raise YamlError(f"{path.name}: {directive}")
    parser = _parser()
    try:
        root = parser.compose(text)
        if root is None:
            return None
        _check_aliasing(root)
        return parser.constructor.construct_document(root)
    except YamlError as error:
        raise YamlError(f"{path.name}: invalid YAML: {error}") from None
    except YAMLError as error:
        raise YamlError(f"{path.name}: invalid YAML: {_describe(error)}") from None
    except RecursionError:
        raise YamlError(f"{path.name}: invalid YAML: nested too deeply") from None
    except ValueError as error:
        # Python's int() refuses more than 4300 digits (sys.get_int_max_str_digits).
        problem = (
            "a number too long to be a config value"
            if "digits" in str(error)
            else "a value that cannot be read"
        )
        raise YamlError(f"{path.name}: invalid YAML: {problem}") from None


def load_all_text(text: str) -> list[Any]:
    """Every document of a YAML 1.2 text (a tool's output) as plain values.

    Raises ``YamlError`` with one line; timestamps stay text, as in ``load``.
    """
    try:
        return list(_parser().load_all(text))
    except YAMLError as error:
        raise YamlError(_describe(error)) from None
    except RecursionError:
        raise YamlError("nested too deeply") from None
