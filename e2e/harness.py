"""What the scenarios share: the workspace, the cluster, the stand-in, timings.

``Run.op`` runs one real CLI operation (``e2e.drive`` in its own process) and
returns its result; ``Run.kubectl`` reads the live cluster. A scenario raises
``Failure`` with a one-line reason.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from e2e.workspace import ROOT, Workspace

OP_TIMEOUT = 900
"""Seconds one CLI operation may take (the provider's awaits are 10 minutes)."""


class Failure(Exception):  # noqa: N818 - a scenario failing is no error of ours
    """A scenario's expectation did not hold."""


@dataclass(frozen=True)
class Result:
    """One CLI operation's outcome (see ``e2e.drive``)."""

    op: str
    stack: str
    ok: bool
    error: str
    steps: list[dict[str, Any]]
    stdout: str
    seconds: float
    program_seconds: float | None
    changes: dict[str, int]

    def changed(self) -> list[dict[str, Any]]:
        """Steps other than ``same`` (and the stack's own resource)."""
        return [
            s
            for s in self.steps
            if s["op"] not in ("same", "read") and s["type"] != "pulumi:pulumi:Stack"
        ]

    def summary(self) -> str:
        """One line: what changed, for a failure message."""
        parts = [
            f"{s['op']} {s['urn'].rsplit('::', 1)[-1]} {s['diffs']}"
            for s in self.changed()
        ]
        return "; ".join(parts)[:600] or "no change"


@dataclass
class Run:
    """One ``make e2e`` run."""

    ws: Workspace
    kubectl_cmd: Any
    standin: Any
    timings: list[tuple[str, str, float, float | None]] = field(default_factory=list)

    def op(
        self,
        op: str,
        stack: str,
        *,
        expect_no_changes: bool = False,
        policy_pack: bool = False,
        label: str | None = None,
    ) -> Result:
        """Run ``pulumi OP`` on the stack through ``e2e.drive``."""
        result_file = self.ws.run_dir / f"result-{stack}-{op}.json"
        result_file.unlink(missing_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "e2e.drive",
            op,
            stack,
            "--project",
            str(self.ws.project),
            "--root",
            str(self.ws.run_dir),
            "--result",
            str(result_file),
        ]
        if expect_no_changes:
            cmd.append("--expect-no-changes")
        if policy_pack:
            cmd += ["--policy-pack", str(ROOT / "e2e" / "plugins" / "policy-pack")]
        start = time.perf_counter()
        # Its own process group: on Ctrl-C, a timeout or SIGTERM, the CLI and
        # the plugins it started stop with it.
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.ws.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            _, stderr = proc.communicate(timeout=OP_TIMEOUT)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            raise
        wall = time.perf_counter() - start
        if proc.returncode != 0 or not result_file.exists():
            raise Failure(f"e2e.drive {op} {stack} crashed: {stderr.strip()[-800:]}")
        data = json.loads(result_file.read_text())
        (self.ws.run_dir / "logs").mkdir(exist_ok=True)
        log = self.ws.run_dir / "logs" / f"{stack}-{op}-{len(self.timings)}.out"
        log.write_text(data["stdout"] + "\n" + data["error"])
        result = Result(
            op=op,
            stack=stack,
            ok=data["ok"],
            error=data["error"],
            steps=data["steps"],
            stdout=data["stdout"],
            seconds=data["seconds"],
            program_seconds=data["program_seconds"],
            changes=data.get("changes", {}),
        )
        self.timings.append((label or op, stack, wall, result.program_seconds))
        return result

    def up(self, stack: str, **kwargs: Any) -> Result:
        """``pulumi up``, which must succeed."""
        result = self.op("up", stack, **kwargs)
        if not result.ok:
            raise Failure(f"pulumi up {stack} failed: {last_lines(result.error)}")
        return result

    def kubectl(self, *args: str, check: bool = True) -> str:
        """Kubectl against the local control plane; stdout."""
        proc = self.kubectl_cmd(*args, check=False)
        if check and proc.returncode != 0:
            raise Failure(f"kubectl {' '.join(args)}: {proc.stderr.strip()[-400:]}")
        return str(proc.stdout)

    def get(self, kind: str, name: str, namespace: str | None = None) -> dict[str, Any]:
        """A live object as JSON."""
        args = ["get", kind, name, "-o", "json"]
        if namespace:
            args += ["-n", namespace]
        return dict(json.loads(self.kubectl(*args)))


# What GKE's load balancer controller reports once the Service has an address
# (the provider awaits it, provider/pkg/await/service.go); a documentation IP.
LOAD_BALANCER_STATUS = (
    "patch",
    "service",
    "istio-ingressgateway",
    "-n",
    "istio-system",
    "--subresource=status",
    "--type=merge",
    "-p",
    '{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.80"}]}}}',
)


def install_fixtures(cluster: Any) -> None:
    """What an Istio install and GKE leave that the program takes as given."""
    fixture = ROOT / "e2e" / "fixtures" / "istio-ingressgateway.yaml"
    cluster.kubectl("apply", "--server-side", "-f", str(fixture))
    cluster.kubectl(*LOAD_BALANCER_STATUS)


def last_lines(text: str, n: int = 3) -> str:
    """The last non-empty lines of CLI output, joined into one line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(lines[-n:])[:800]
