"""The program's imports leave pulumi-gcp's packages whole.

Importing a generated resource module before its package (say
``pulumi_gcp.sql.database_instance``) runs the package's ``__init__`` in the
middle of that module, whose ``from .database_instance import *`` then finds no
class yet: ``pulumi_gcp.sql.DatabaseInstance`` would be missing for the rest of
the process, and with it the SDK's own lookup of the class by type token
(``_utilities.register``), which the e2e stand-in reads too.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

# Import the program as a render does, then look every Google type it
# registers up in pulumi-gcp's registry (e2e/standin/schema.py).
PROGRAM = """
import sys
from pathlib import Path
from render import cli
if cli.main(["check", "prod"]) != 0:
    sys.exit("check failed")
from e2e.standin import schema
types = sorted({
    line.removeprefix("type: ")
    for line in Path("tests/snapshots/prod/resources.yaml").read_text().splitlines()
    if line.startswith("type: gcp:")
})
for token in types:
    schema.resource(token)
print("found:", *types)
"""


def test_every_google_type_the_program_registers_has_its_sdk_class() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = result.stdout.split("found:")[1].split()
    assert {
        "gcp:sql/databaseInstance:DatabaseInstance",
        "gcp:dns/managedZone:ManagedZone",
        "gcp:artifactregistry/repository:Repository",
        "gcp:compute/address:Address",
        "gcp:projects/iAMMember:IAMMember",
    } <= set(found)
