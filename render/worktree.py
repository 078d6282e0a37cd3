"""A stack rendered at another git revision, in a temporary worktree.

``rendered_at`` checks the revision out with ``git worktree add --detach``
into a temporary folder, runs that revision's own ``python -m render`` there
(its program, its stack file; this checkout's installed packages), reads the
two files it wrote and removes the worktree again, whatever happened.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT_SECONDS = 120
RENDER_TIMEOUT_SECONDS = 600


class WorktreeError(Exception):
    """A revision that cannot be checked out or rendered; one line."""


@dataclass(frozen=True)
class Revision:
    """A commit of the repository holding the project, and where the project is."""

    commit: str
    project_prefix: str
    """The project's folder inside the repository, ``""`` or ``"infra/"``."""


def resolve(project_dir: Path, rev: str) -> Revision:
    """The commit ``rev`` names; ``WorktreeError`` if git cannot find one."""
    if rev.startswith("-") or not rev.strip():
        raise WorktreeError(f"--base {rev!r}: not a revision")
    prefix = _git(project_dir, "rev-parse", "--show-prefix")
    try:
        commit = _git(
            project_dir, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"
        )
    except WorktreeError:
        raise WorktreeError(
            f"--base {rev}: no such commit here (a shallow clone? fetch it first, "
            "e.g. actions/checkout with fetch-depth: 0)"
        ) from None
    return Revision(commit=commit, project_prefix=prefix)


def has_file(project_dir: Path, revision: Revision, name: str) -> bool:
    """Whether the project held ``name`` at ``revision``."""
    spec = f"{revision.commit}:{revision.project_prefix}{name}"
    try:
        _git(project_dir, "cat-file", "-e", spec)
    except WorktreeError:
        return False
    return True


@contextmanager
def checked_out(project_dir: Path, revision: Revision) -> Iterator[Path]:
    """The project's folder in a temporary worktree of ``revision``; removed after."""
    with tempfile.TemporaryDirectory(prefix="render-diff-") as scratch:
        tree = Path(scratch) / "base"
        _git(
            project_dir,
            "worktree",
            "add",
            "--detach",
            "--quiet",
            str(tree),
            revision.commit,
        )
        try:
            yield tree / revision.project_prefix
        finally:
            _git(project_dir, "worktree", "remove", "--force", str(tree), check=False)
            _git(project_dir, "worktree", "prune", check=False)


def start_render(project: Path, stack: str, output: Path) -> subprocess.Popen[str]:
    """Start ``python -m render STACK -o OUTPUT`` in ``project``: its own code.

    ``python -m`` puts the working directory first on ``sys.path``, so the
    revision's ``render`` and ``components`` are imported, not this checkout's.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "render", stack, "-o", str(output)],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> None:
    """End a render no one will read (the other side failed); reap it."""
    if process.poll() is None:
        process.kill()
    process.communicate()


def finish_render(process: subprocess.Popen[str], label: str) -> None:
    """Wait for a render started by ``start_render``; ``WorktreeError`` if it failed."""
    try:
        _, stderr = process.communicate(timeout=RENDER_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise WorktreeError(
            f"{label}: rendering took over {RENDER_TIMEOUT_SECONDS}s"
        ) from None
    if process.returncode != 0:
        lines = [line for line in stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {process.returncode}"
        raise WorktreeError(f"{label}: it does not render: {reason}")


def _git(cwd: Path, *args: str, check: bool = True) -> str:
    """``git ARGS`` in ``cwd``; its output, or ``WorktreeError`` with git's reason."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise WorktreeError(f"git {args[0]}: {error}") from None
    if check and done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {done.returncode}"
        raise WorktreeError(f"git {args[0]}: {reason}")
    return done.stdout.strip()
