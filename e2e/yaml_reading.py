"""The renderer's reading of plain YAML scalars beside the real CLI's.

``render.go_scalars`` reads plain scalars as yaml.v3 resolves them; this
scenario writes every scalar of ``tests/test_stackfile.py``'s table into a
stack file and compares what ``pulumi config --json`` says the program gets
with what the renderer hands it, and with the table.
"""

from __future__ import annotations

import json

from e2e.harness import Failure, Run
from e2e.workspace import ROOT
from render import yaml12
from render.config_values import to_config_string
from tests.test_stackfile import GO_SCALARS

STACK = "yaml-reading"


def yaml_reading(run: Run) -> None:
    """Each scalar reaches the program as the real CLI hands it over."""
    copy = run.ws.run_dir / f"Pulumi.{STACK}.yaml"
    copy.write_text((ROOT / "Pulumi.dev.yaml").read_text())
    run.ws.write_stack_file(STACK, copy)
    run.ws.init_stack(STACK)
    path = run.ws.project / f"Pulumi.{STACK}.yaml"
    keys = {f"probe:k{index}": scalar for index, scalar in enumerate(GO_SCALARS)}
    lines = "".join(f"  {key}: {scalar}\n" for key, scalar in keys.items())
    try:
        # At the top of config:, not the end, where stack init wrote its salt.
        path.write_text(path.read_text().replace("config:\n", f"config:\n{lines}", 1))
        shown = json.loads(run.ws.cli("config", "--json", "--stack", STACK).stdout)
        ours = yaml12.load(path)["config"]
    finally:
        run.ws.cli("stack", "rm", STACK, "--yes", "--force", "--preserve-config")
        path.unlink(missing_ok=True)
    wrong = [
        f"{scalar}: the CLI {shown[key]['value']!r}, render "
        f"{to_config_string(ours[key])!r}, the table {GO_SCALARS[scalar]!r}"
        for key, scalar in keys.items()
        if not shown[key]["value"] == to_config_string(ours[key]) == GO_SCALARS[scalar]
    ]
    if wrong:
        raise Failure("; ".join(wrong))
