"""A real Kubernetes control plane on loopback, for ``make e2e``.

``ControlPlane(workdir, binaries)`` is a context manager: it starts etcd,
kube-apiserver, kube-controller-manager, kube-scheduler and kwok (three fake
Nodes in three zones, whose Pods kwok marks Running and Ready without running
a container), creates the real Istio and cert-manager CRDs and the
``istio-system`` Namespace (``e2e/crds.py``), waits until all of it is ready,
and stops every process it started on the way out (``e2e/processes.py``):
normal exit, exception, SIGINT or SIGTERM. Only 127.0.0.1 is contacted: the
service and pod ranges are values written into objects, never dialled, and
proxy variables are dropped.

Read upstream for this (the flags are in ``e2e/crds.py``, with theirs):
kubernetes ``cmd/kube-controller-manager/app/controllermanager.go`` gives up
after 10 s without a healthy apiserver, so it, the scheduler and kwok start
once ``/readyz`` answers; kwok ``pkg/config/flags.go`` reads
``~/.kwok/kwok.yaml`` whenever it exists, hence a HOME of its own.

``python -m e2e.controlplane [WORKDIR]`` starts one and waits for Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.request import HTTPSHandler, ProxyHandler, Request, build_opener

from e2e import crds
from e2e.build import ROOT, build_all
from e2e.processes import free_ports, spawn, stop_in_waves, tail

BINARIES = tuple(crds.COMMANDS)
CONTROLLERS = ("kube-controller-manager", "kube-scheduler", "kwok")
STOP_ORDER = (CONTROLLERS, ("kube-apiserver",), ("etcd",))
"""Dependants first: an apiserver whose etcd is gone takes long to stop."""


class ControlPlaneError(RuntimeError):
    """A component did not come up; the message ends with its log's tail."""


class KubectlError(subprocess.CalledProcessError):
    """A failed kubectl call; unlike its base class it shows kubectl's stderr."""

    def __str__(self) -> str:
        """The usual message, then kubectl's stderr."""
        return f"{super().__str__()}\n{self.stderr}"


def _true(obj: dict[str, Any], condition: str) -> bool:
    conditions = obj.get("status", {}).get("conditions") or []
    return any(c["type"] == condition and c["status"] == "True" for c in conditions)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


class ControlPlane:
    """etcd, kube-apiserver, controller-manager, scheduler and kwok on loopback.

    ``kubeconfig`` has one context, ``context``, for a ``system:masters`` user
    (token ``token``, API at ``server``); ``timings`` has the seconds from the
    start to the apiserver's, the CRDs' and the whole readiness.
    """

    def __init__(
        self,
        workdir: Path,
        binaries: dict[str, Path],
        context: str = "portfolio-e2e",
        timeout: float = 120.0,
    ) -> None:
        self.workdir = workdir.resolve()
        self.binaries = binaries
        self.context = context
        self.timeout = timeout
        self.kubeconfig = self.workdir / "kubeconfig"
        kubectl = binaries.get("kubectl") or shutil.which("kubectl") or "kubectl"
        self.kubectl_path = str(kubectl)
        self.token = secrets.token_hex(16)
        self.server = ""
        self.timings: dict[str, float] = {}
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._handlers: dict[int, Any] = {}
        self._opener = build_opener(ProxyHandler({}))

    def __enter__(self) -> ControlPlane:
        """Start everything and wait until it is ready (stopping it on failure)."""
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._handlers[sig] = signal.signal(sig, _interrupt)
        try:
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop every process started, with signals held off meanwhile."""
        for sig in self._handlers:
            signal.signal(sig, signal.SIG_IGN)
        try:
            self.stop()
        finally:
            for sig, handler in self._handlers.items():
                signal.signal(sig, handler)
            self._handlers.clear()

    def env(self) -> dict[str, str]:
        """The environment with KUBECONFIG set and no proxies."""
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        # Discovery caches stay in the workdir, not ~/.kube/cache.
        cache = str(self.workdir / "kube-cache")
        return {**env, "KUBECONFIG": str(self.kubeconfig), "KUBECACHEDIR": cache}

    def kubectl(
        self, *args: str, input: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run kubectl against this control plane's context."""
        cmd = [self.kubectl_path, f"--context={self.context}", *args]
        env = self.env()
        done = subprocess.run(
            cmd, input=input, capture_output=True, text=True, env=env, check=False
        )
        if check and done.returncode:
            raise KubectlError(done.returncode, cmd, done.stdout, done.stderr)
        return done

    def start(self) -> None:
        """Start the processes in dependency order, each wave in parallel."""
        began = time.monotonic()
        if any(c.isspace() for c in str(self.workdir)):
            raise ValueError(f"workdir has whitespace: {self.workdir}")
        for made in ("etcd", "pki", "logs", "kwok-home"):
            shutil.rmtree(self.workdir / made, ignore_errors=True)
            (self.workdir / made).mkdir(parents=True)
        pki = self.workdir / "pki"
        crds.make_pki(pki)
        etcd, peer, port = (f"127.0.0.1:{p}" for p in free_ports(3))
        self._configure(f"https://{port}", pki / "ca.crt")
        values = {"work": self.workdir, "pki": pki, "port": port.split(":")[1]}
        values.update(etcd=f"http://{etcd}", peer=f"http://{peer}")
        self._spawn("etcd", values)
        self._spawn("kube-apiserver", values)
        stages = " ".join(f"--config={stage}" for stage in crds.kwok_stages())
        objects = crds.write_objects(self.workdir / "objects.json")
        files = [f"--filename={f}" for f in [*crds.crd_files(), objects]]
        health = f"http://{etcd}/health"
        self._wait("etcd", lambda: json.loads(self._get(health))["health"] == "true")
        ready = f"{self.server}/readyz"
        self._wait("kube-apiserver", lambda: self._get(ready) == b"ok")
        self.timings["apiserver"] = time.monotonic() - began
        for name in CONTROLLERS:
            self._spawn(name, {**values, "stages": stages})
        # create, not apply: the etcd is new, and it is a second faster.
        out = self.kubectl("create", "--validate=false", "-o", "name", *files).stdout
        names = {n.split("/")[1] for n in out.split() if n.startswith("custom")}
        self._wait(
            "CRDs Established", lambda: self._established(names), "kube-apiserver"
        )
        self.timings["crds"] = time.monotonic() - began
        sa = "/api/v1/namespaces/default/serviceaccounts/default"
        controllers = "kube-controller-manager"
        self._wait("default ServiceAccount", lambda: bool(self._api(sa)), controllers)
        self._wait("Nodes Ready", self._nodes_ready, "kwok")
        self.timings["startup"] = time.monotonic() - began

    def stop(self) -> None:
        """SIGTERM each wave's process groups, SIGKILL what is left after 10 s."""
        stop_in_waves(self._procs, STOP_ORDER)

    def _configure(self, server: str, ca: Path) -> None:
        """The token file, the kubeconfig every component uses, the opener."""
        self.server = server
        tokens = self.workdir / "tokens.csv"
        tokens.write_text(f'{self.token},admin,admin,"system:masters"\n')
        text = crds.kubeconfig(self.context, server, ca, self.token)
        self.kubeconfig.write_text(text)
        for secret in (tokens, self.kubeconfig):
            secret.chmod(0o600)
        https = HTTPSHandler(context=ssl.create_default_context(cafile=ca))
        self._opener = build_opener(ProxyHandler({}), https)

    def _spawn(self, name: str, values: dict[str, Any]) -> None:
        """Start one binary in its own session, its output to logs/NAME.log."""
        env = self.env()
        if name == "kwok":  # kwok reads ~/.kwok/kwok.yaml whenever it exists
            env["HOME"] = str(self.workdir / "kwok-home")
        args = [str(self.binaries[name]), *crds.COMMANDS[name].format(**values).split()]
        log = self.workdir / "logs" / f"{name}.log"
        self._procs[name] = spawn(args, log, self.workdir, env)

    def _get(self, url: str) -> bytes:
        auth = {"Authorization": f"Bearer {self.token}"}
        with self._opener.open(Request(url, headers=auth), timeout=5) as response:
            return bytes(response.read())

    def _api(self, path: str) -> Any:
        return json.loads(self._get(self.server + path))

    def _established(self, names: set[str]) -> bool:
        crds_ = self._api("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
        ok = {c["metadata"]["name"] for c in crds_["items"] if _true(c, "Established")}
        return names <= ok

    def _nodes_ready(self) -> bool:
        nodes = self._api("/api/v1/nodes")["items"]
        ready = [n for n in nodes if _true(n, "Ready") and not n["spec"].get("taints")]
        return len(ready) == len(crds.ZONES)

    def _wait(self, what: str, ready: Callable[[], bool], log: str = "") -> None:
        """Poll ready() until it holds; fail at once if any process has exited."""
        deadline = time.monotonic() + self.timeout
        while True:
            for name, proc in self._procs.items():
                if proc.poll() is not None:
                    exited = f"{name} exited ({proc.returncode}) before {what}"
                    raise ControlPlaneError(exited + self._tail(name))
            try:
                if ready():
                    return
            except (OSError, ValueError, KeyError):
                pass
            if time.monotonic() > deadline:
                late = f"{what}: not ready after {self.timeout:.0f} s"
                raise ControlPlaneError(late + self._tail(log or what))
            time.sleep(0.1)

    def _tail(self, name: str) -> str:
        return tail(self.workdir / "logs" / f"{name}.log")


def main(argv: list[str] | None = None) -> int:
    """``python -m e2e.controlplane``: start, print the kubeconfig, wait."""
    parser = argparse.ArgumentParser(prog="python -m e2e.controlplane")
    default = ROOT / ".e2e" / "controlplane"
    parser.add_argument("workdir", nargs="?", type=Path, default=default)
    args = parser.parse_args(argv)
    binaries = build_all(list(BINARIES))
    try:
        with ControlPlane(args.workdir, binaries) as plane:
            times = " ".join(f"{k} {v:.1f} s" for k, v in plane.timings.items())
            print(f"export KUBECONFIG={plane.kubeconfig}  # context {plane.context}")
            print(f"ready ({times}); logs in {plane.workdir}/logs", flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
