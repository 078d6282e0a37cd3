"""``make bench``: time ``python -m render --all`` against ``kubectl kustomize``.

Targets (from the project's guide): the three stacks within 4x the time
``kubectl kustomize`` takes for the three overlays, and 30 stack files in under
0.9x the time of 30 kustomize builds. Each figure is the median wall time of
several runs of a whole process, start-up and imports included, as a user would
wait for it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STACKS = ("dev", "staging", "prod")
THREE_TARGET = 4.0
THIRTY_TARGET = 0.9
OVERLAYS = (
    ROOT.parent / "shared/reference/kustomize-portfolio-k8s/apps/portfolio/overlays"
)


def wall(commands: Sequence[Sequence[str]], runs: int) -> float:
    """Median seconds to run ``commands`` one after another."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for command in commands:
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# Only the repository's owner (prod) may list the stacks whose digests it keeps;
# the copies are named benchNN, so none of them is the owner.
OWNER_ONLY = ("portfolio:registryConsumerStacks",)


def many_stacks(folder: Path, count: int) -> Path:
    """``count`` stack files cycled from the committed ones."""
    folder.mkdir()
    for index in range(count):
        source = ROOT / f"Pulumi.{STACKS[index % len(STACKS)]}.yaml"
        document = yaml.safe_load(source.read_text())
        for key in OWNER_ONLY:
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
    with tempfile.TemporaryDirectory() as tmp:
        stacks30 = many_stacks(Path(tmp) / "stacks", 30)
        ours3 = wall([[*render, "-o", f"{tmp}/out3"]], args.runs)
        ours30 = wall(
            [[*render, "--stack-config-dir", str(stacks30), "-o", f"{tmp}/out30"]],
            args.runs,
        )

    rows = [("render --all, 3 stacks", ours3), ("render --all, 30 stack files", ours30)]
    kubectl = shutil.which("kubectl")
    if kubectl is None or not args.overlays.is_dir():
        print(f"kustomize baseline skipped: no kubectl or no {args.overlays}")
        _table(rows)
        return 0
    builds = [[kubectl, "kustomize", str(args.overlays / s)] for s in STACKS]
    kustomize3 = wall(builds, args.runs)
    kustomize30 = wall(builds * 10, max(1, args.runs // 2))
    rows += [("kubectl kustomize, 3 overlays", kustomize3)]
    rows += [("kubectl kustomize, 30 builds", kustomize30)]
    _table(rows)
    print()
    print(
        f"3 stacks: {ours3 / kustomize3:.1f}x kustomize (target <= 4x): "
        f"{'met' if ours3 <= THREE_TARGET * kustomize3 else 'MISSED'}"
    )
    print(
        f"30 stacks: {ours30 / kustomize30:.2f}x kustomize (target < 0.9x): "
        f"{'met' if ours30 < THIRTY_TARGET * kustomize30 else 'MISSED'}"
    )
    return 0


def _table(rows: list[tuple[str, float]]) -> None:
    print("| what | median wall time |")
    print("| --- | --- |")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} s |")


if __name__ == "__main__":
    raise SystemExit(main())
