"""README stays the front door: short, linking every page, naming what exists.

The config key table lives in docs/configuration.md: every key has its row.
"""

from __future__ import annotations

import re
from pathlib import Path

from render.cli import VERBS
from tests.conftest import ROOT, STACKS, project

README = (ROOT / "README.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()
DOCS = ROOT / "docs"
CONFIGURATION = (DOCS / "configuration.md").read_text()
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)\s]*)?\)")


def test_readme_is_under_300_lines() -> None:
    assert len(README.splitlines()) < 300


def test_readme_links_every_docs_page() -> None:
    linked = {Path(target).name for target in LINK.findall(README)}
    assert {page.name for page in DOCS.glob("*.md")} <= linked


def test_every_relative_link_resolves() -> None:
    for page in PAGES:
        for target in LINK.findall(page.read_text()):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name}: {target}"


def test_every_anchor_names_a_heading() -> None:
    def anchors(page: Path) -> set[str]:
        headings = re.findall(r"^#+ (.+)$", page.read_text(), re.M)
        return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}

    for page in PAGES:
        for target, anchor in re.findall(
            r"\]\(([^)#\s]*)#([^)\s]+)\)", page.read_text()
        ):
            linked = (page.parent / target) if target else page
            if linked.suffix == ".md":
                assert anchor in anchors(linked), f"{page.name}: {target}#{anchor}"


def test_make_targets_named_in_readme_exist() -> None:
    for target in re.findall(r"`make (\w+)", README):
        assert re.search(rf"^{target}:", MAKEFILE, re.M), target
    assert "make render" in README
    assert "make test" in README


def test_render_verbs_named_anywhere_exist() -> None:
    # `python -m render WORD` in any page or code block: a verb, a stack or STACK.
    for page in PAGES:
        for word in re.findall(r"python -m render (\w+)", page.read_text()):
            assert word in {*VERBS, *STACKS, "STACK", "path"}, f"{page.name}: {word}"
        for word in re.findall(r"python -m migration (\w+)", page.read_text()):
            assert word == "compare", f"{page.name}: {word}"


def test_every_config_key_has_a_row_with_its_default() -> None:
    for key, declaration in project().declarations.items():
        (row,) = [
            line
            for line in CONFIGURATION.splitlines()
            if line.startswith(f"| `{key}` |")
        ]
        if declaration.default == "":
            assert "| (empty) |" in row, key
        elif isinstance(declaration.default, str):
            assert f"`{declaration.default}`" in row, key


def test_no_row_for_a_key_that_does_not_exist() -> None:
    rows = re.findall(
        r"^\| `([a-zA-Z]+)` \| (?:string|integer|boolean|array)", CONFIGURATION, re.M
    )
    assert sorted(rows) == sorted(project().declarations)
