"""What a render imports: the start-up costs docs/testing.md measures stay out.

Each of these modules costs a render more than it is worth (docs/testing.md, "Speed"):
pulumi-gcp's generated packages for the Google resources other than service
accounts, which ``components.google_resources`` registers by type token,
and a validation library for the settings, which ``components.config_rules``
reads instead. A change that brings one back fails here, not in a benchmark.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

# pulumi_gcp lists every package of its own in sys.modules as a lazy module
# from the start: one is loaded when a module inside it is.
KEPT_OUT = (
    "pulumi_gcp.artifactregistry.",
    "pulumi_gcp.compute.",
    "pulumi_gcp.dns.",
    "pulumi_gcp.projects.",
    "pulumi_gcp.sql.",
    "pydantic",
)

# Check (render in memory) one stack, then list what this process imported:
# one stack renders here, never in a helper.
PROGRAM = """
import sys
from render import cli
if cli.main(["check", "prod"]) == 0:
    print("imported:", *sorted(sys.modules))
"""


def test_a_render_imports_none_of_the_modules_it_does_without() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "imported:" in result.stdout, result.stderr
    modules = result.stdout.split("imported:")[1].split()
    # The program ran: the modules it does use were imported.
    assert {"pulumi_gcp.serviceaccount.key", "pulumi_kubernetes.apps.v1"} <= set(
        modules
    )
    assert [m for m in modules if m.startswith(KEPT_OUT)] == []
