"""``render.writer``: every file or none, and what was there before survives."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from render.writer import OutputError, write_all


def test_writes_every_file_and_replaces_old_ones(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "old.yaml").write_text("old")
    write_all(tmp_path, {Path("a/old.yaml"): "new", Path("b/c/x.yaml"): "x"})
    assert (tmp_path / "a" / "old.yaml").read_text() == "new"
    assert (tmp_path / "b" / "c" / "x.yaml").read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]  # no staging


def test_a_failed_move_puts_everything_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "first.yaml").write_text("before")
    real_replace = os.replace
    moves: list[Any] = []

    def failing_replace(source: Any, target: Any) -> None:
        moves.append(target)
        if str(target).endswith("second.yaml"):  # the error names the staged copy
            raise OSError(28, "No space left on device", str(source))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    files = {Path("first.yaml"): "after", Path("new/second.yaml"): "x"}
    target = tmp_path / "out" / "new" / "second.yaml"
    with pytest.raises(OutputError) as error:
        write_all(tmp_path / "out", files)
    assert str(error.value) == f"{target}: No space left on device"
    monkeypatch.setattr(os, "replace", real_replace)
    assert (tmp_path / "out" / "first.yaml").read_text() == "before"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["first.yaml"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging left
    assert moves, "the failure was never reached"


def test_a_target_that_is_a_folder_is_refused_before_writing(tmp_path: Path) -> None:
    (tmp_path / "kubernetes.yaml").mkdir()
    with pytest.raises(OutputError, match="is a folder, not a file"):
        write_all(tmp_path, {Path("resources.yaml"): "r", Path("kubernetes.yaml"): "k"})
    assert [p.name for p in tmp_path.iterdir()] == ["kubernetes.yaml"]


def test_a_failure_leaves_what_another_run_wrote_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two renders into one new folder: this one fails and undoes its moves, but
    # the folder it made now holds the other's file, which stays, and the
    # failure is still one line.
    real_replace = os.replace

    def failing_replace(source: Any, target: Any) -> None:
        if str(target).endswith("second.yaml"):
            (tmp_path / "out" / "other.yaml").write_text("another run's")
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    files = {Path("first.yaml"): "x", Path("second.yaml"): "y"}
    with pytest.raises(OutputError, match=r"second\.yaml: No space left on device"):
        write_all(tmp_path / "out", files)
    monkeypatch.setattr(os, "replace", real_replace)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["other.yaml"]


def test_a_previous_version_that_cannot_be_put_back_is_kept_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "first.yaml").write_text("before")
    real_replace = os.replace

    def failing_replace(source: Any, target: Any) -> None:
        restoring = str(source).endswith("/old/0")  # the undo's move back
        if str(target).endswith("second.yaml") or restoring:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    files = {Path("first.yaml"): "after", Path("second.yaml"): "x"}
    with pytest.raises(OutputError) as error:
        write_all(tmp_path / "out", files)
    monkeypatch.setattr(os, "replace", real_replace)
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'out' / 'second.yaml'}: No space left")
    kept = Path(message.rsplit(" are kept in ", 1)[1]) / "0"
    assert kept.read_text() == "before"  # the user's previous version survives
