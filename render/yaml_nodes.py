r"""What the Pulumi CLI's parser (yaml.v3) refuses or reads otherwise, in a parsed file.

ruamel.yaml reads YAML 1.2; yaml.v3 keeps parts of YAML 1.1 (its scanner is
libyaml's). Where the two would part ways, the file is refused in one line:

- an explicit tag other than ``!!str`` on a scalar (yaml.v3 checks each tag
  its own way: ``!!bool on`` and ``!!float 017`` are errors there or 15);
- the non-specific tag ``!`` on a quoted or block scalar (yaml.v3 keeps it
  text, ruamel.yaml resolves it);
- a mapping key that is not text (``1:``, ``true:``, ``null:``; yaml.v3
  spells them Go's way) or is ``<<`` in any quoting (yaml.v3 merges a plain
  one, and the CLI follows a quoted one in ``Pulumi.yaml`` too: a
  ``stackConfigDir`` could hide in it);
- an anchor or alias (``&a``, ``*a``): the file is read without expanding;
- an unquoted value inside ``[ ]`` or ``{ }`` holding ``?`` or starting
  with ``:`` (yaml.v3 splits it there);
- U+0085, U+2028 or U+2029 anywhere (line breaks to yaml.v3), a lone
  surrogate, a ``\/`` escape (not YAML 1.1's), and a tab where a block
  scalar's indentation is ("found a tab character where an indentation space
  is expected").

Each was checked against the real CLI 3.274.0 (``pulumi config --json``), the
flow-collection case against yaml.v3 v3.0.1, the version the CLI pins.
"""

from __future__ import annotations

import re

from ruamel.yaml import nodes

from render import go_scalars

# The CLI expands them (bounded by yaml.v3's "excessive aliasing" rule); a
# stack file the CLI writes never has one, and one that is refused cannot
# expand into a bomb here.
ANCHORS = "an anchor or alias (&name, *name): write the value out in full"
# Line breaks to YAML 1.1 and libyaml, not to YAML 1.2.
_BREAKS = re.compile("[\x85\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A backslash escaping a slash: preceded by an even run of backslashes.
_SLASH_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\/")
# What ends or opens a plain scalar in a flow collection for yaml.v3 only.
_FLOW_BREAK = re.compile(r"\?|^:")


def _line(node: nodes.Node) -> str:
    return f"line {node.start_mark.line + 1}"


def explicit(node: nodes.Node, implicit: type) -> bool:
    """Whether ``node`` carries a tag of its own, not one the resolver gave it."""
    return not isinstance(getattr(node, "ctag", None), implicit)


def text_problem(text: str) -> str | None:
    """A character yaml.v3 reads as a line break, anywhere in the file."""
    found = _BREAKS.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return (
        f"line {line}: U+{ord(found.group()):04X}, which the CLI reads as a line break"
    )


def _block_tab(source: str) -> bool:
    """A tab where libyaml looks for a block scalar's indentation.

    ``yaml_parser_scan_block_scalar_breaks``: before the indentation is known
    (up to the first line with content), or at a column below it. With an
    indentation indicator (``|2``) nothing is looked for here.
    """
    header, _, body = source.partition("\n")
    if any(char.isdigit() for char in header):
        return False
    indent = None
    for line in body.split("\n"):
        spaces = len(line) - len(line.lstrip(" "))
        if indent is None:
            if line[spaces:].startswith("\t"):
                return True
            if line.strip():
                indent = spaces
        elif "\t" in line[:indent]:
            return True
    return False


def _flow_problem(node: nodes.ScalarNode) -> str | None:
    """A plain scalar in ``[ ]`` or ``{ }`` that yaml.v3 would split.

    ``scannerc.go`` (``yaml_parser_scan_plain_scalar``) ends it at ``?`` and
    reads a leading ``:`` as a value indicator: the CLI refuses the file or
    reads it otherwise.
    """
    if node.style is None and _FLOW_BREAK.search(node.value):
        return (
            f"{_line(node)}: an unquoted ? or leading : inside [ ] or {{ }}: quote it"
        )
    return None


def _scalar_problem(node: nodes.ScalarNode, text: str, implicit: type) -> str | None:
    if explicit(node, implicit) and str(node.tag) != go_scalars.STR:
        return f"{_line(node)}: an explicit tag ({node.tag}): write the value plainly"
    if node.style is not None and str(node.tag) != go_scalars.STR:
        # Only the non-specific tag `!` gets a quoted or block scalar resolved.
        return f"{_line(node)}: the tag ! on a quoted or block scalar: drop it"
    if _SURROGATE.search(node.value):
        return f"{_line(node)}: a lone surrogate escape, which the CLI refuses"
    source = text[node.start_mark.index : node.end_mark.index]
    if node.style == '"' and _SLASH_ESCAPE.search(source):
        return f"{_line(node)}: the escape \\/, which the CLI does not know"
    if node.style in ("|", ">") and _block_tab(source):
        return f"{_line(node)}: a tab in a block scalar's indentation"
    return None


def _key_problem(key: nodes.Node) -> str | None:
    if not isinstance(key, nodes.ScalarNode) or str(key.tag) != go_scalars.STR:
        return f"{_line(key)}: a mapping key that is not text; quote it"
    if key.value == "<<":
        return f"{_line(key)}: a merge key (<<), which the CLI merges its own way"
    return None


def problem(root: nodes.Node, text: str, implicit: type) -> str | None:
    """The first thing (in the file's order) yaml.v3 would refuse or read otherwise."""
    seen: set[int] = set()  # an alias is its anchor's node: met twice, never looped
    # (node, is it a key, is it inside a flow collection)
    stack: list[tuple[nodes.Node, bool, bool]] = [(root, False, False)]
    while stack:
        node, key, flow = stack.pop()
        if id(node) in seen or getattr(node, "anchor", None):
            return f"{_line(node)}: {ANCHORS}"
        seen.add(id(node))
        found = _key_problem(node) if key else None
        if found:
            return found
        if isinstance(node, nodes.ScalarNode):
            found = (flow and _flow_problem(node)) or _scalar_problem(
                node, text, implicit
            )
        elif explicit(node, implicit):
            found = f"{_line(node)}: an explicit tag ({node.tag}): write it plainly"
        else:
            inner = flow or bool(getattr(node, "flow_style", False))
            if isinstance(node, nodes.MappingNode):
                pairs = [
                    part
                    for k, v in node.value
                    for part in ((k, True, inner), (v, False, inner))
                ]
            else:
                pairs = [(child, False, inner) for child in node.value]
            stack.extend(reversed(pairs))
        if found:
            return found
    return None
