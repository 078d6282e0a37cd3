"""Ctrl-C during a run: one line, exit 130, nothing written; after, ignored.

Once the output has started (the writes, the report, stdout) the run is done.
The renderer runs in a real process where a signal's timing matters, started
with SIGINT's default as from a terminal (a test runner may ignore it).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

import render
from render import cli, harness
from tests.conftest import ROOT, STACKS


def thirty_stacks(folder: Path) -> Path:
    """Thirty copies of dev, one owning the shared things: several seconds' work."""
    folder.mkdir()
    document = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    for key in ("registryOwnerStack", "dnsZoneOwnerStack", "ingressAddressOwnerStack"):
        document["config"][f"portfolio:{key}"] = "copy00"  # one owner of the set
    for index in range(30):
        name = f"copy{index:02d}"
        document["config"]["portfolio:host"] = f"{name}.test.hugecat.net"
        document["config"]["portfolio:sqlInstanceName"] = f"portfolio-{name}-db"
        (folder / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump(document))
    return folder


def test_ctrl_c_while_rendering_exits_130_in_one_line_and_writes_nothing(
    tmp_path: Path,
) -> None:
    # The signal lands while the stacks run (or, on a slow machine, while the
    # SDKs import); both end the same way.
    stacks = thirty_stacks(tmp_path / "stacks")
    out = tmp_path / "out"
    render = [sys.executable, "-m", "render", "--all", "-o", str(out)]
    render += ["--stack-config-dir", str(stacks)]
    # The test runner may ignore SIGINT, and a child inherits that: the
    # renderer is started with the default, as from a terminal.
    reset = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL)"
    command = [sys.executable, "-c", f"{reset}; os.execv(sys.argv[1], sys.argv[1:])"]
    command += render
    with subprocess.Popen(
        command,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    ) as process:
        time.sleep(1.5)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.splitlines() == ["error: interrupted; nothing was written"]
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["stacks"]


def test_ctrl_c_during_an_in_process_run_is_one_line_not_a_hang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A KeyboardInterrupt raised in the SDK's asyncio tasks stays there and the
    # loop waits forever: while a caller's cli.main runs the program, Ctrl-C is
    # render's handler (one line, exit 130), and the caller's comes back after.
    seen = []
    run_program = harness.run_program

    def spy(*args: Any, **kwargs: Any) -> harness.Run:
        seen.append(signal.getsignal(signal.SIGINT))
        return run_program(*args, **kwargs)

    monkeypatch.setattr(harness, "run_program", spy)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        assert cli.main(["check", "dev"]) == 0
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, before)
    assert seen == [render.interrupted]


def test_ctrl_c_once_the_report_is_printing_changes_nothing() -> None:
    # The report's first line is out: the run is done, a Ctrl-C now is ignored.
    reset = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL)"
    command = [sys.executable, "-c", f"{reset}; os.execv(sys.argv[1], sys.argv[1:])"]
    command += [sys.executable, "-m", "render", "check", "--all"]
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        first = process.stdout.readline()
        process.send_signal(signal.SIGINT)
        rest = process.stdout.read()  # what readline buffered, and the rest
        _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (0, "")
    assert (first + rest).splitlines() == [f"ok: {stack}" for stack in sorted(STACKS)]
