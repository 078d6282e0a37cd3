"""README stays the front door: every config key and command it promises exists."""

from __future__ import annotations

import re

from tests.conftest import ROOT, project

README = (ROOT / "README.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()


def test_every_config_key_has_a_row_with_its_default() -> None:
    for key, declaration in project().declarations.items():
        (row,) = [
            line for line in README.splitlines() if line.startswith(f"| `{key}` |")
        ]
        if declaration.default == "":
            assert "| (empty) |" in row, key
        elif isinstance(declaration.default, str):
            assert f"`{declaration.default}`" in row, key


def test_no_row_for_a_key_that_does_not_exist() -> None:
    rows = re.findall(
        r"^\| `([a-zA-Z]+)` \| (?:string|integer|boolean|array)", README, re.M
    )
    assert sorted(rows) == sorted(project().declarations)


def test_make_targets_named_in_readme_exist() -> None:
    for target in re.findall(r"`make (\w+)`", README):
        assert re.search(rf"^{target}:", MAKEFILE, re.M), target
    assert "make render" in README
    assert "make test" in README
