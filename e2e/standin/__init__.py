"""Stand-ins for the ``gcp`` and ``random`` providers, for ``make e2e``.

Neither pulumi-gcp's provider nor pulumi-random's can be built offline, and
Google cannot be reached, so the end-to-end runs point the real Pulumi
engine at these servers instead: ``PULUMI_DEBUG_PROVIDERS=gcp:P,random:Q``
makes it dial a provider already listening rather than start a plugin
(``servicer.py`` says what it then calls). They check every input name
against the installed SDKs (``schema.py``, ``check.py``), answer with IDs and
outputs in Google's and pulumi-random's formats (``gcp_types.py``,
``gcp_iam.py``, ``rand.py``), resolve ``getDockerImage`` from a registry file
the scenarios edit (``registry.py``), and log every call (``calls.py``).

``StandIn`` runs ``python -m e2e.standin`` for a test::

    with StandIn(tmp_path) as standin:
        env = {**os.environ, **standin.env}
        digest = standin.push("europe-west1-docker.pkg.dev/p/r/app:v1")
        ...  # pulumi preview / up with env
        assert any(c["method"] == "Create" for c in standin.calls())
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from e2e.standin import calls, registry

ROOT = Path(__file__).resolve().parent.parent.parent


class StandInError(RuntimeError):
    """The stand-in process did not start."""


class StandIn:
    """The stand-in servers as a subprocess, with their files in ``workdir``."""

    def __init__(self, workdir: Path, *, timeout: float = 60.0) -> None:
        self.workdir = workdir
        self.registry = workdir / "registry.json"
        self.calls_file = workdir / "calls.jsonl"
        self.ready_file = workdir / "ready.json"
        self.log_file = workdir / "standin.log"
        self.timeout = timeout
        self.ports: dict[str, int] = {}
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> StandIn:
        """Start the servers."""
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Stop the servers."""
        self.stop()

    def start(self) -> None:
        """Launch the servers and wait until both listen."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.ready_file.unlink(missing_ok=True)
        command = [sys.executable, "-m", "e2e.standin"]
        command += ["--registry", str(self.registry), "--calls", str(self.calls_file)]
        command += ["--ready-file", str(self.ready_file)]
        with self.log_file.open("ab") as log:
            self._process = subprocess.Popen(
                command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + self.timeout
        while not self.ready_file.exists():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = self.log_file.read_text(errors="replace")[-2000:]
                raise StandInError(f"the stand-in did not start:\n{tail}")
            time.sleep(0.05)
        self.ports = {
            k: int(v) for k, v in json.loads(self.ready_file.read_text()).items()
        }

    def stop(self) -> None:
        """Stop the servers (SIGTERM, then SIGKILL after 10 seconds)."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    @property
    def env(self) -> dict[str, str]:
        """What the Pulumi CLI needs in its environment to use the stand-ins."""
        attach = ",".join(f"{name}:{port}" for name, port in sorted(self.ports.items()))
        return {"PULUMI_DEBUG_PROVIDERS": attach}

    def push(self, image: str) -> str:
        """Push ``…/IMAGE:TAG``: a new digest for that tag, returned."""
        return registry.push(self.registry, image)

    def calls(self) -> list[dict[str, Any]]:
        """Every call the engine has made so far, oldest first."""
        return calls.read(self.calls_file)
