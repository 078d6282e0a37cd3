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
NO_SNAPSHOT = "no snapshot yet; run `make snapshot` and commit tests/snapshots/"


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


def snapshot(name: str) -> str:
    """A committed snapshot file; a stack without one says how to make it."""
    path = SNAPSHOTS / name
    if not path.is_file():
        pytest.fail(f"{NO_SNAPSHOT}: tests/snapshots/{name}", pytrace=False)
    return path.read_text(encoding="utf-8")


def test_every_stack_file_has_a_snapshot_and_no_other() -> None:
    # A stack file added the documented way (docs/delivery.md, "Add a stack")
    # gets its snapshot from `make snapshot`, committed with it.
    stacks = {path.parts[0] for path in rendered()}
    assert stacks == set(STACKS)
    snapshots = {p.name for p in SNAPSHOTS.iterdir() if p.is_dir()}
    missing = sorted(stacks - snapshots)
    assert not missing, f"{NO_SNAPSHOT}: {', '.join(missing)}"
    assert snapshots == stacks, "a snapshot of no stack file: run `make snapshot`"


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("file", ["kubernetes.yaml", "resources.yaml"])
def test_render_matches_its_snapshot(stack: str, file: str) -> None:
    name = f"{stack}/{file}"
    expected = snapshot(name)
    actual = rendered()[Path(stack) / file]
    if actual != expected:
        pytest.fail(readable_diff(expected, actual, name), pytrace=False)


def urns(text: str) -> set[str]:
    return {doc["urn"] for doc in yaml.safe_load_all(text)}


@pytest.mark.parametrize("stack", STACKS)
def test_no_urn_changes(stack: str) -> None:
    before = urns(snapshot(f"{stack}/resources.yaml"))
    now = urns(rendered()[Path(stack) / "resources.yaml"])
    gone, new = sorted(before - now), sorted(now - before)
    assert not gone and not new, (
        "URNs changed; once deployed each is a delete and re-create unless an "
        "alias carries it (ResourceOptions(aliases=[...])).\n"
        + "\n".join([*(f"- {u}" for u in gone), *(f"+ {u}" for u in new)])
    )
