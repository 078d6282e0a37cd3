"""Write a set of files all-or-nothing.

Everything is written into a staging folder beside the destination first (the
same filesystem, so moves are renames), and moved into place only once every
file is written. A problem at any step is one line naming the path; whatever
was moved is put back, and nothing is left behind. A previous version that
cannot be put back stays in the staging folder, and the line says where.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


class OutputError(Exception):
    """The output could not be written; one line naming the path."""


class _UnrestoredError(OutputError):
    """A failure whose undo left previous versions in the staging folder."""


def _problem(path: Path, error: OSError) -> OutputError:
    return OutputError(f"{path}: {error.strerror or error}")


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _preflight(files: Mapping[Path, str]) -> None:
    """Refuse destinations that cannot be written, before anything is."""
    for target in files:
        try:
            if target.is_dir():
                raise OutputError(f"{target}: is a folder, not a file")
            for folder in target.parents:
                if folder.exists():
                    if not folder.is_dir():
                        raise OutputError(f"{folder}: exists and is not a folder")
                    break
        except OSError as error:  # a name too long, a folder that cannot be read
            raise _problem(target, error) from None


def write_all(root: Path, files: Mapping[Path, str]) -> None:
    """Write ``files`` (paths under ``root``) completely, or not at all."""
    root = root.absolute()
    files = {root / path: text for path, text in files.items()}
    _preflight(files)
    base = _nearest_existing(root)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".render-", dir=base))
    except OSError as error:
        reason = error.strerror or error
        raise OutputError(f"{root}: cannot write under {base}: {reason}") from None
    try:
        _commit(staging, _stage(staging, root, files))
    except _UnrestoredError:
        raise  # the staging folder holds what could not be put back
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)


def _stage(staging: Path, root: Path, files: Mapping[Path, str]) -> dict[Path, Path]:
    """Write every file under ``staging``; return target -> staged copy."""
    staged = {}
    for target, text in files.items():
        copy = staging / "new" / target.relative_to(root)
        try:
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text, encoding="utf-8")
        except OSError as error:
            raise _problem(target, error) from None
        staged[target] = copy
    return staged


def _commit(staging: Path, staged: Mapping[Path, Path]) -> None:
    """Move the staged files into place; on any failure, undo every move."""
    created: list[Path] = []
    moved: list[tuple[Path, Path | None]] = []  # (target, its previous version)
    target = staging
    try:
        for index, (target, copy) in enumerate(staged.items()):
            _make_folders(target, created)
            backup = staging / "old" / str(index)
            backup.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(target, backup)
                moved.append((target, backup))
            except FileNotFoundError:  # none before (or another run moved it)
                moved.append((target, None))
            os.replace(copy, target)
    except OSError as error:  # named by the file it was writing, not the staging copy
        if _undo(moved, created):
            raise _UnrestoredError(
                f"{_problem(target, error)}; previous versions that could not be "
                f"put back are kept in {staging / 'old'}"
            ) from None
        raise _problem(target, error) from None
    except BaseException:  # Ctrl-C half-way: put everything back as it was
        _undo(moved, created)
        raise


def _make_folders(target: Path, created: list[Path]) -> None:
    """The folders ``target`` needs; those made here are added to ``created``."""
    for folder in reversed(target.parents):
        if not folder.exists():
            try:
                folder.mkdir()
            except FileExistsError:  # another run made it meanwhile
                continue
            created.append(folder)


def _undo(moved: list[tuple[Path, Path | None]], created: list[Path]) -> bool:
    """Put back what was moved; whether a previous version could not be."""
    unrestored = False
    for target, backup in reversed(moved):
        try:
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        except OSError:
            unrestored = unrestored or backup is not None
    for folder in reversed(created):
        with contextlib.suppress(OSError):  # not empty: another run wrote there
            folder.rmdir()
    return unrestored
