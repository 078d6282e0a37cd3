"""``make snapshot``: re-render every committed stack into ``tests/snapshots/``.

Run it after a change that is meant to alter what a stack deploys, and commit
the result with the change: ``tests/test_snapshots.py`` compares every render
with these files, so the diff of a pull request shows exactly what moved.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from render import cli
from render.stackfile import check_stack, load_project, stack_files
from render.writer import write_all

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def render_committed() -> dict[Path, str]:
    """Every committed stack's two files, by their path under ``SNAPSHOTS``."""
    project = load_project(cli.PROJECT_DIR / "Pulumi.yaml")
    files: dict[Path, str] = {}
    for path in stack_files(cli.PROJECT_DIR):
        rendered = cli.render_stack(project, check_stack(project, path))
        files[Path(rendered.stack) / cli.KUBERNETES_FILE] = rendered.kubernetes
        files[Path(rendered.stack) / cli.RESOURCES_FILE] = rendered.resources
    return files


def main() -> int:
    """Write the snapshots; drop those of stacks that no longer exist."""
    files = render_committed()
    write_all(SNAPSHOTS, files)
    stacks = {path.parts[0] for path in files}
    for folder in SNAPSHOTS.iterdir():
        if folder.is_dir() and folder.name not in stacks:
            shutil.rmtree(folder)
    print(
        f"wrote {SNAPSHOTS.relative_to(cli.PROJECT_DIR)}/: {' '.join(sorted(stacks))}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
