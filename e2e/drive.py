"""One real CLI operation on one stack, in a fresh Python process.

``python -m e2e.drive OP STACK --project DIR --root DIR --result FILE`` runs
``pulumi preview``, ``up`` or ``destroy`` through the Automation
API, whose inline program is the project's ``__main__.py``, unchanged. That is
the one departure from a user's ``pulumi up``: the Python language host
(``pulumi-language-python``) is not served by the Go module proxy here, so the
program is served by the SDK's own language runtime, and the CLI is called
with ``--client`` (pulumi ``sdk/python/lib/pulumi/automation/_stack.py``).
Everything else (Pulumi.yaml, the stack file, config and secrets, the engine,
the providers, state) is the CLI's. A process per operation, as the language
host starts a process per run, so no module state carries over.

The result file gets JSON: ok, the error's last lines, the change summary,
one entry per resource step (op, type, urn, changed keys), stdout, the wall
time, and the program's own run time.
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
import time
from pathlib import Path
from typing import Any

from pulumi import automation as auto

ROOT = Path(__file__).resolve().parent.parent


def _program(timing: dict[str, float]) -> auto.PulumiFn:
    def program() -> None:
        start = time.perf_counter()
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__")
        timing["program"] = time.perf_counter() - start

    return program


def _step(event: auto.EngineEvent, steps: list[dict[str, Any]]) -> None:
    pre = event.resource_pre_event
    if pre is None or pre.metadata is None:
        return
    meta = pre.metadata
    steps.append(
        {
            "op": meta.op.value if hasattr(meta.op, "value") else str(meta.op),
            "urn": meta.urn,
            "type": meta.type,
            # The kubernetes provider reports only a detailed diff
            # (provider/pkg/provider/provider.go, Diff): its property paths.
            "diffs": sorted(set(meta.diffs or []) | set(meta.detailed_diff or {})),
            "keys": list(meta.keys or []),
        }
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the operation; never raises for a failed CLI run."""
    timing: dict[str, float] = {}
    steps: list[dict[str, Any]] = []
    out: list[str] = []
    opts = auto.LocalWorkspaceOptions(
        work_dir=args.project,
        pulumi_command=auto.PulumiCommand(root=args.root, skip_version_check=True),
    )
    # An inline program with the project folder's Pulumi.yaml and stack files.
    stack = auto.select_stack(
        args.stack, project_name="portfolio", program=_program(timing), opts=opts
    )
    common: dict[str, Any] = {
        "on_output": out.append,
        "on_event": lambda e: _step(e, steps),
        "color": "never",
    }
    if args.op in ("preview", "up") and args.policy_pack:
        common["policy_packs"] = [args.policy_pack]
    if args.op in ("preview", "up") and args.expect_no_changes:
        common["expect_no_changes"] = True
    start = time.perf_counter()
    result: dict[str, Any] = {"ok": True, "error": ""}
    try:
        if args.op == "preview":
            res: Any = stack.preview(diff=True, **common)
        elif args.op == "up":
            res = stack.up(diff=True, **common)
        else:
            res = stack.destroy(**common)
        result["changes"] = dict(
            getattr(res, "change_summary", None)
            or getattr(getattr(res, "summary", None), "resource_changes", None)
            or {}
        )
    except auto.CommandError as err:
        result.update(ok=False, error=str(err))
    result.update(
        seconds=time.perf_counter() - start,
        program_seconds=timing.get("program"),
        steps=steps,
        stdout="".join(line + "\n" for line in out),
    )
    return result


def main(argv: list[str] | None = None) -> int:
    """Entry point: write the result file, exit 0 (the caller judges it)."""
    parser = argparse.ArgumentParser(prog="python -m e2e.drive")
    parser.add_argument("op", choices=("preview", "up", "destroy"))
    parser.add_argument("stack")
    parser.add_argument("--project", required=True)
    parser.add_argument("--root", required=True, help="folder holding bin/pulumi")
    parser.add_argument("--result", required=True, type=Path)
    parser.add_argument("--policy-pack")
    parser.add_argument("--expect-no-changes", action="store_true")
    args = parser.parse_args(argv)
    args.result.write_text(json.dumps(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
