"""The project's layout rule (docs/testing.md): no Python module over 300 lines."""

from __future__ import annotations

import subprocess

from tests.conftest import ROOT

MAX_LINES = 300


def test_no_module_is_over_300_lines() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "*.py"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    long = {
        name: lines
        for name in filter(None, tracked.split("\0"))
        if (path := ROOT / name).is_file()
        and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules by feature: {long}"
