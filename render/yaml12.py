"""Read a YAML file the way the Pulumi CLI's parser (Go ``gopkg.in/yaml.v3``) does.

A maintained parser (ruamel.yaml, pure Python) with yaml.v3's reading of plain
scalars (``render.go_scalars``: ``yes`` is text, ``017`` octal 15, an unquoted
time refused) whatever the file's ``%YAML`` directive, and yaml.v3's rules:

- the only ``%YAML`` it takes is ``1.1`` ("found incompatible YAML document"
  for any other, 1.2 included), besides ``%TAG``; another directive is
  "found unknown directive name";
- a key given twice in one mapping is an error (yaml.v3's ``uniqueKeys``);
- anchors and aliases are refused (``render.yaml_nodes``), so no expansion
  can blow up;
- the file must be UTF-8 text.

Every problem is raised as ``YamlError``: one line, naming the file.
"""

from __future__ import annotations

import re
import stat
import warnings
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML, nodes
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from render import go_scalars, yaml_nodes

# A project or stack file is a few kilobytes; anything above this is refused
# before it is read, let alone parsed.
MAX_BYTES = 1 << 20


_DUPLICATE = re.compile(r'^found duplicate key (?P<key>".*?"|\S+)')


class YamlError(Exception):
    """A file that is not the YAML the Pulumi CLI would read; one line."""


class _Implicit(Tag):
    """A tag the resolver gave a node, not one written in the file."""


class _Resolver(VersionedResolver):
    """Plain scalars tagged as yaml.v3 tags them, whatever the ``%YAML`` version."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is nodes.ScalarNode and implicit[0]:
            return _Implicit(suffix=go_scalars.tag_of(value))
        return _Implicit(suffix=str(super().resolve(kind, value, implicit)))


class _Constructor(SafeConstructor):
    """Safe construction, with yaml.v3's numbers; a Go time is refused."""

    def construct_go_number(self, node: nodes.ScalarNode) -> int | float:
        return go_scalars.construct(str(node.tag), self.construct_scalar(node))

    def construct_go_time(self, node: nodes.ScalarNode) -> Any:
        line = node.start_mark.line + 1
        raise YamlError(
            f"line {line}: an unquoted text that starts like a date, which the "
            "Pulumi CLI may read as a time and hand the program in Go's spelling "
            "(2001-12-14 00:00:00 +0000 UTC); quote it"
        )


_Constructor.add_constructor(go_scalars.INT, _Constructor.construct_go_number)
_Constructor.add_constructor(go_scalars.FLOAT, _Constructor.construct_go_number)
_Constructor.add_constructor(go_scalars.GO_TIME, _Constructor.construct_go_time)


def _parser() -> YAML:
    parser = YAML(typ="safe", pure=True)
    parser.Resolver = _Resolver
    parser.Constructor = _Constructor
    return parser


def describe(error: YAMLError) -> str:
    """A parser error in one line with its line number, no value echoed."""
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
        elif "undefined alias" in problem:  # never echo its name: a ciphertext?
            problem = yaml_nodes.ANCHORS
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


def _directive_problem(text: str) -> str | None:
    """What yaml.v3 (``parserc.go``) refuses in the directives before ``---``."""
    versions = 0
    for line in text.removeprefix("\ufeff").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line.startswith("%"):
            return None
        words = line.split()
        if words[0] == "%YAML":
            versions += 1
            if versions > 1:
                return "found duplicate %YAML directive"
            if words[1:2] != ["1.1"]:
                return (
                    "found incompatible YAML document: the Pulumi CLI reads "
                    "only %YAML 1.1 (with its own rules) or no directive"
                )
        elif words[0] != "%TAG":
            return "found unknown directive name (the CLI takes %YAML and %TAG)"
    return None


def _parse(text: str) -> Any:
    """Compose, check as yaml.v3 would, then construct."""
    parser = _parser()
    # ruamel.yaml warns of a reused anchor with the file's text: never shown.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        root = parser.compose(text)
        if root is None:
            return None
        problem = yaml_nodes.problem(root, text, _Implicit)
        if problem:
            raise YamlError(problem)
        return parser.constructor.construct_document(root)


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
    directive = _directive_problem(text) or yaml_nodes.text_problem(text)
    if directive:
        raise YamlError(f"{path.name}: invalid YAML: {directive}")
    try:
        return _parse(text)
    except YamlError as error:
        raise YamlError(f"{path.name}: invalid YAML: {error}") from None
    except YAMLError as error:
        raise YamlError(f"{path.name}: invalid YAML: {describe(error)}") from None
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
