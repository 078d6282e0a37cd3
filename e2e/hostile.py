"""A sample of the hostile-input corpus (tests/test_corpus.py) under the real CLI.

Each case is a stack made the way a user makes one (``pulumi stack init``,
``pulumi config set``, or an edited stack file), then previewed: the preview
must fail before anything is registered, print one line naming the key, show
no traceback, and neither the output nor the stack's state may hold the
secret's plain value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from e2e.harness import Failure, Run, last_lines
from e2e.workspace import ROOT

# Obviously fake: none of it may ever be printed or stored in clear.
FAKE = "FAKE-hostile-value-not-a-secret-0123456789"


@dataclass(frozen=True)
class Case:
    """A stack's name, how it is made hostile, and the key its line names."""

    stack: str
    make: Callable[[Run, str], None]
    key: str


def _secret(key: str) -> Callable[[Run, str], None]:
    def make(run: Run, stack: str) -> None:
        run.ws.cli("config", "set", "--secret", key, FAKE, "--stack", stack)

    return make


def _plain(key: str, value: str) -> Callable[[Run, str], None]:
    def make(run: Run, stack: str) -> None:
        run.ws.edit_stack_file(stack, key, value)

    return make


def _nothing(run: Run, stack: str) -> None:
    del run, stack


def _yaml_1_1(run: Run, stack: str) -> None:
    """``%YAML 1.1`` on top and ``yes`` for a boolean, as a hand-edited file has.

    The CLI's parser (yaml.v3) keeps its YAML 1.2 reading whatever the
    directive says: ``yes`` stays text, which a boolean key refuses.
    """
    path = run.ws.project / f"Pulumi.{stack}.yaml"
    # At the top of config:, not the file's end, where `pulumi stack init`
    # has written the secrets provider's encryptionsalt.
    text = path.read_text().replace(
        "config:\n", "config:\n  portfolio:zoneSpread: yes\n", 1
    )
    path.write_text(f"%YAML 1.1\n---\n{text}")


CASES = [
    # Only the secret keys may be secrets: the decrypted value must not show.
    Case("hostile-secure-env", _secret("portfolio:nodeEnv"), "portfolio:nodeEnv"),
    Case("hostile-secure-ctx", _secret("kubernetes:context"), "kubernetes:context"),
    # A secret key in plain text.
    Case(
        "hostile-plain-secret",
        _plain("portfolio:databasePassword", FAKE),
        "portfolio:databasePassword",
    ),
    # Not digits only: the CLI refuses it first, naming the key as 'replicas'
    # ("validating stack config: ... configuration key 'replicas' must be of
    # type 'integer'"). A context with spaces around it.
    Case("hostile-int", _plain("portfolio:replicas", "1\n"), "'replicas'"),
    Case(
        "hostile-spaces",
        _plain("kubernetes:context", " portfolio-e2e "),
        "kubernetes:context",
    ),
    # Well-formed, but what Kubernetes and Cloud SQL would cap or refuse.
    Case("hostile-quantity", _plain("portfolio:cpuLimit", "8Ei"), "portfolio:cpuLimit"),
    Case("hostile-tier", _plain("portfolio:sqlTier", "db-n1-standard-1"), "sqlTier"),
    Case("hostile-yaml-1-1", _yaml_1_1, "zoneSpread"),
    # A stack named after a system namespace would take it over.
    Case("kube-system", _nothing, "namespace"),
]


def hostile(run: Run) -> None:
    """Every case fails the real preview with nothing registered and nothing shown."""
    source = ROOT / "Pulumi.dev.yaml"
    for case in CASES:
        tmp = run.ws.run_dir / f"Pulumi.{case.stack}.yaml"
        tmp.write_text(source.read_text())
        run.ws.write_stack_file(case.stack, tmp)
        run.ws.init_stack(case.stack)
        try:
            case.make(run, case.stack)
            result = run.op("preview", case.stack, label=f"hostile {case.stack}")
            state = run.ws.cli("stack", "export", "--stack", case.stack).stdout
        finally:
            run.ws.cli(
                "stack", "rm", case.stack, "--yes", "--force", "--preserve-config"
            )
            (run.ws.project / f"Pulumi.{case.stack}.yaml").unlink(missing_ok=True)
        _check(case, result.ok, result.steps, result.error + result.stdout, state)


def _check(
    case: Case, ok: bool, steps: list[dict[str, str]], output: str, state: str
) -> None:
    registered = [s for s in steps if s["type"] != "pulumi:pulumi:Stack"]
    if ok or registered:
        raise Failure(f"{case.stack}: preview ok={ok}, registered {len(registered)}")
    if "Traceback" in output:
        raise Failure(f"{case.stack}: a traceback: {last_lines(output)}")
    if not any(case.key in line for line in output.splitlines()):
        raise Failure(f"{case.stack}: no line naming {case.key}: {last_lines(output)}")
    for place, text in (("the output", output), ("the state", state)):
        if FAKE in text:
            raise Failure(f"{case.stack}: the fake secret is in {place}")
