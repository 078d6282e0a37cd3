"""``make bench``: time ``python -m render --all`` beside ``kubectl kustomize``.

Information, not a target: each figure is the median wall time of several
runs of a whole process, start-up and imports included, as a user would wait
for it, beside ``kubectl kustomize`` of the three overlays when it is there.
The two take turns, run after run, so a slow spell of a shared machine falls
on both rather than on whichever was being timed then.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACKS = ("dev", "staging", "prod")
OVERLAYS = (
    ROOT.parent / "shared/reference/kustomize-portfolio-k8s/apps/portfolio/overlays"
)


def medians(cases: dict[str, list[list[str]]], runs: int) -> dict[str, float]:
    """Median seconds of each case: its commands run one after another."""
    times: dict[str, list[float]] = {label: [] for label in cases}
    for _ in range(runs):
        for label, commands in cases.items():
            start = time.perf_counter()
            for command in commands:
                subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            times[label].append(time.perf_counter() - start)
    return {label: statistics.median(values) for label, values in times.items()}


def main() -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--overlays", type=Path, default=OVERLAYS)
    args = parser.parse_args()
    kubectl = shutil.which("kubectl")
    with tempfile.TemporaryDirectory() as tmp:
        render = [sys.executable, "-m", "render", "--all", "-o", tmp]
        cases = {"`render --all`, 3 stacks": [render]}
        if kubectl is not None and args.overlays.is_dir():
            cases["`kubectl kustomize`, 3 overlays"] = [
                [kubectl, "kustomize", str(args.overlays / stack)] for stack in STACKS
            ]
        figures = medians(cases, args.runs)
    print("| what | median wall time |\n| --- | --- |")
    for label, seconds in figures.items():
        print(f"| {label} | {seconds:.2f} s |")
    if len(figures) == 1:
        print(f"kustomize baseline skipped: no kubectl or no {args.overlays}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
