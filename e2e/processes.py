"""The control plane's processes: loopback ports, starting, stopping, log tails.

``e2e/controlplane.py`` starts each binary with ``spawn`` (its own session,
its output to its log), stops them with ``stop_in_waves`` (SIGTERM to each
wave's process groups, SIGKILL what is left after 10 s) and ends an error with
the failing process's ``tail``; ``free_ports`` finds the ports they listen on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path


def free_ports(count: int) -> list[int]:
    """Ports on 127.0.0.1 that were free a moment ago (all held at once)."""
    socks = [socket.socket() for _ in range(count)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def spawn(
    args: list[str], log: Path, cwd: Path, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    """Start args in its own session, its output to log."""
    with log.open("wb") as out:
        return subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )


def stop_in_waves(
    procs: dict[str, subprocess.Popen[bytes]], waves: Iterable[Iterable[str]]
) -> None:
    """Take each wave's processes out of procs: SIGTERM, SIGKILL after 10 s."""
    for wave in waves:
        stopping = [procs.pop(name) for name in wave if name in procs]
        for proc in stopping:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in stopping:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log, headed by its path, for an error message."""
    if not path.exists():
        return ""
    text = path.read_text(errors="replace").splitlines()[-lines:]
    return f"\n--- last {len(text)} lines of {path}:\n" + "\n".join(text)
