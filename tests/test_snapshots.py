"""Every committed stack renders exactly as its snapshot in ``tests/snapshots/``.

A difference fails with a readable diff; when it is intended, ``make snapshot``
refreshes the files and the pull request shows the change. URNs get a test of
their own: once a stack is deployed, a changed URN is a delete-and-recreate of
the object unless an alias carries it over.
"""

from __future__ import annotations

import difflib
import functools
from pathlib import Path

import pytest
import yaml

from tests.conftest import STACKS
from tests.snapshot import SNAPSHOTS, render_committed

MAX_DIFF_LINES = 80


@functools.cache
def rendered() -> dict[Path, str]:
    return render_committed()


def readable_diff(expected: str, actual: str, name: str) -> str:
    lines = list(
        difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            fromfile=f"tests/snapshots/{name}",
            tofile="rendered now",
            lineterm="",
        )
    )
    shown = "\n".join(lines[:MAX_DIFF_LINES])
    more = len(lines) - MAX_DIFF_LINES
    tail = f"\n... {more} more diff lines" if more > 0 else ""
    return f"{shown}{tail}\nIntended? Run `make snapshot` and commit the result."


def test_every_committed_stack_has_a_snapshot() -> None:
    stacks = {path.parts[0] for path in rendered()}
    assert stacks == set(STACKS)
    assert {p.name for p in SNAPSHOTS.iterdir() if p.is_dir()} == stacks


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("file", ["kubernetes.yaml", "resources.yaml"])
def test_render_matches_its_snapshot(stack: str, file: str) -> None:
    name = f"{stack}/{file}"
    expected = (SNAPSHOTS / name).read_text(encoding="utf-8")
    actual = rendered()[Path(stack) / file]
    if actual != expected:
        pytest.fail(readable_diff(expected, actual, name), pytrace=False)


def urns(text: str) -> set[str]:
    return {doc["urn"] for doc in yaml.safe_load_all(text)}


@pytest.mark.parametrize("stack", STACKS)
def test_no_urn_changes(stack: str) -> None:
    before = urns((SNAPSHOTS / stack / "resources.yaml").read_text(encoding="utf-8"))
    now = urns(rendered()[Path(stack) / "resources.yaml"])
    gone, new = sorted(before - now), sorted(now - before)
    assert not gone and not new, (
        "URNs changed; once deployed each is a delete and re-create unless an "
        "alias carries it (ResourceOptions(aliases=[...])).\n"
        + "\n".join([*(f"- {u}" for u in gone), *(f"+ {u}" for u in new)])
    )
