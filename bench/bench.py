"""``make bench``: time ``python -m render --all`` against ``kubectl kustomize``.

Information, not a target: each figure is the median wall time of several
runs of a whole process, start-up and imports included, as a user would wait
for it, beside ``kubectl kustomize`` of the three overlays when it is there.
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

import yaml

ROOT = Path(__file__).resolve().parent.parent
STACKS = ("dev", "staging", "prod")
OURS3 = "render --all, 3 stacks"
OURS30 = "render --all, 30 stack files"
KUSTOMIZE3 = "kubectl kustomize, 3 overlays"
KUSTOMIZE30 = "kubectl kustomize, 30 builds"
OVERLAYS = (
    ROOT.parent / "shared/reference/kustomize-portfolio-k8s/apps/portfolio/overlays"
)


def medians(cases: dict[str, list[list[str]]], runs: int) -> dict[str, float]:
    """Median seconds of each case: its commands run one after another.

    The cases take turns, run after run, so a slow spell of a shared machine
    falls on all of them rather than on whichever was being timed then.
    """
    times: dict[str, list[float]] = {label: [] for label in cases}
    for _ in range(runs):
        for label, commands in cases.items():
            start = time.perf_counter()
            for command in commands:
                subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            times[label].append(time.perf_counter() - start)
    return {label: statistics.median(values) for label, values in times.items()}


# Only the repository's owner (prod) may list the stacks whose digests it keeps;
# the copies are named benchNN, and bench00 owns every shared thing (exactly one
# stack of a set must: render --all checks it).
OWNER_ONLY = ("portfolio:registryConsumerStacks",)
OWNER = "bench00"
OWNER_KEYS = tuple(
    f"portfolio:{key}"
    for key in ("registryOwnerStack", "dnsZoneOwnerStack", "ingressAddressOwnerStack")
)


def many_stacks(folder: Path, count: int) -> Path:
    """``count`` stack files cycled from the committed ones."""
    folder.mkdir()
    for index in range(count):
        source = ROOT / f"Pulumi.{STACKS[index % len(STACKS)]}.yaml"
        document = yaml.safe_load(source.read_text())
        for key in OWNER_ONLY:
            document["config"].pop(key, None)
        document["config"].update(dict.fromkeys(OWNER_KEYS, OWNER))
        # What must be each stack's own (render --all refuses a shared one).
        document["config"]["portfolio:host"] = f"bench{index:02d}.test.hugecat.net"
        document["config"]["portfolio:sqlInstanceName"] = (
            f"portfolio-bench{index:02d}-db"
        )
        for key in ("portfolio:tlsCertificateName", "portfolio:redirectHosts"):
            document["config"].pop(key, None)
        target = folder / f"Pulumi.bench{index:02d}.yaml"
        target.write_text(yaml.safe_dump(document, sort_keys=False))
    return folder


def main() -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--overlays", type=Path, default=OVERLAYS)
    args = parser.parse_args()

    render = [sys.executable, "-m", "render", "--all"]
    kubectl = shutil.which("kubectl")
    baseline = kubectl is not None and args.overlays.is_dir()
    with tempfile.TemporaryDirectory() as tmp:
        stacks30 = many_stacks(Path(tmp) / "stacks", 30)
        three = {OURS3: [[*render, "-o", f"{tmp}/out3"]]}
        thirty = {
            OURS30: [[*render, "--stack-config-dir", str(stacks30), "-o", f"{tmp}/o30"]]
        }
        if baseline:
            builds = [
                [str(kubectl), "kustomize", str(args.overlays / e)] for e in STACKS
            ]
            three[KUSTOMIZE3] = builds
            thirty[KUSTOMIZE30] = builds * 10
        figures = medians(three, args.runs) | medians(thirty, max(1, args.runs // 2))

    _table(figures)
    if not baseline:
        print(f"kustomize baseline skipped: no kubectl or no {args.overlays}")
    return 0


def _table(figures: dict[str, float]) -> None:
    print("| what | median wall time |")
    print("| --- | --- |")
    for label, seconds in figures.items():
        print(f"| {label} | {seconds:.2f} s |")


if __name__ == "__main__":
    raise SystemExit(main())
