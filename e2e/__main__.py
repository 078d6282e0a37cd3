"""`make e2e`: the real Pulumi engine on a real Kubernetes API server.

Builds (or finds) the binaries, starts a local control plane and the Google
Cloud stand-in, lays out the project folder, runs every scenario, prints
``PASS <name>`` or ``FAIL <name>: <reason>`` for each, the timing table, and
the closing ``N passed, M failed``. Exits 1 on any failure, 130 on Ctrl-C;
every process it started is stopped either way.
"""

from __future__ import annotations

import argparse
import fcntl
import shutil
import signal
import sys
import time
from types import FrameType

from e2e import scenarios
from e2e.build import CACHE, build_all
from e2e.controlplane import ControlPlane
from e2e.harness import Run, install_fixtures
from e2e.standin import StandIn
from e2e.timing import print_table
from e2e.workspace import Workspace


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_all(only: list[str], keep: bool = False) -> int:
    """Run the scenarios (all, or those named); return the exit status."""
    CACHE.mkdir(exist_ok=True)
    lock = (CACHE / "lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"e2e: another make e2e is running in {CACHE}", file=sys.stderr)
        return 1
    run_dir = CACHE / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    started = time.perf_counter()
    binaries = build_all()
    print(f"e2e: binaries ready in {time.perf_counter() - started:.0f} s", flush=True)
    passed = failed = 0
    with (
        ControlPlane(run_dir / "cluster", binaries) as cluster,
        StandIn(run_dir / "standin") as standin,
    ):
        ws = Workspace(
            run_dir, binaries, cluster.kubeconfig, cluster.context, standin.env
        )
        ws.prepare()
        install_fixtures(cluster)
        run = Run(ws, cluster.kubectl, standin)
        chosen = [(n, s) for n, s in scenarios.SCENARIOS if not only or n in only]
        for name, scenario in [("render", scenarios.render_offline), *chosen]:
            try:
                scenario(run)
            except Exception as err:
                failed += 1
                reason = " ".join(str(err).split())[:1500]
                print(f"FAIL {name}: {type(err).__name__}: {reason}", flush=True)
            else:
                passed += 1
                print(f"PASS {name}", flush=True)
        print_table(run.timings, cluster, ws)
        if keep:
            print(
                f"e2e: kept running; KUBECONFIG={cluster.kubeconfig} "
                f"PULUMI_HOME={ws.run_dir / 'home'}; Ctrl-C stops it",
                flush=True,
            )
            signal.pause()
    print(f"e2e: {time.perf_counter() - started:.0f} s in all")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m e2e")
    parser.add_argument("scenario", nargs="*", help="run only these (default: all)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the cluster up afterwards, until Ctrl-C",
    )
    args = parser.parse_args(argv)
    known = [name for name, _ in scenarios.SCENARIOS]
    unknown = [s for s in args.scenario if s not in known]
    if unknown:
        parser.error(f"unknown scenario {unknown[0]!r}; known: {', '.join(known)}")
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return run_all(args.scenario, args.keep)
    except KeyboardInterrupt:
        print("e2e: interrupted; every process it started is stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
