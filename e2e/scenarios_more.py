"""The later scenarios: secrets, refused stack files, destroy."""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import unquote, urlsplit

from e2e.harness import Failure, Run, last_lines
from e2e.workspace import ROOT

OWN_NAMESPACES = ("prod", "dev", "staging")


def _secret_values(run: Run) -> set[str]:
    """Every plain secret value the stacks hold, read from the live Secrets."""
    values: set[str] = set()
    for ns in OWN_NAMESPACES:
        items = json.loads(run.kubectl("get", "secrets", "-n", ns, "-o", "json"))[
            "items"
        ]
        for item in items:
            for key, encoded in (item.get("data") or {}).items():
                plain = base64.b64decode(encoded).decode("utf-8", "replace")
                values.add(plain)
                if key == "DATABASE_URL":
                    password = urlsplit(plain).password
                    if password:
                        values.update({password, unquote(password)})
                if key == ".dockerconfigjson":
                    for auth in json.loads(plain).get("auths", {}).values():
                        values.update(str(v) for v in auth.values())
    return {v for v in values if len(v) >= 8}


def secrets(run: Run) -> None:
    """No secret's plain value in CLI output, stack export or a ConfigMap."""
    values = _secret_values(run)
    if not values:
        raise Failure("found no secret values to look for")
    places: dict[str, str] = {}
    for log in sorted((run.ws.run_dir / "logs").glob("*.out")):
        places[f"output of {log.stem}"] = log.read_text()
    for stack in OWN_NAMESPACES:
        places[f"pulumi stack export --stack {stack}"] = run.ws.cli(
            "stack", "export", "--stack", stack
        ).stdout
        places[f"pulumi stack output --stack {stack}"] = run.ws.cli(
            "stack", "output", "--json", "--stack", stack
        ).stdout
        places[f"pulumi config --stack {stack}"] = run.ws.cli(
            "config", "--stack", stack
        ).stdout
    places["ConfigMaps"] = run.kubectl("get", "configmaps", "-A", "-o", "json")
    for place, text in places.items():
        for value in values:
            if value in text:
                raise Failure(
                    f"a secret value ({len(value)} characters) appears in {place}"
                )


BROKEN = {
    # stack-file change -> the words the program's one line must hold
    "typo": (("portfolio:nodeEnv:", "portfolio:nodeEnvv:"), "portfolio:nodeEnvv"),
    "type": (
        ("portfolio:sqlDiskSize: 10", "portfolio:sqlDiskSize: ten"),
        "sqlDiskSize",
    ),
    "image": (
        (
            "portfolio:memoryLimit: 256Mi",
            "portfolio:memoryLimit: 256Mi\n  portfolio:image: 'not an image!'",
        ),
        "portfolio:image",
    ),
}


def refused(run: Run) -> None:
    """Broken stack files fail the real preview before any resource is registered."""
    source = (ROOT / "Pulumi.dev.yaml").read_text()
    for case, ((old, new), words) in BROKEN.items():
        stack = f"broken-{case}"
        if old not in source:
            raise Failure(f"{case}: Pulumi.dev.yaml no longer holds {old!r}")
        path = run.ws.project / f"Pulumi.{stack}.yaml"
        tmp = run.ws.run_dir / f"Pulumi.{stack}.yaml"
        tmp.write_text(source.replace(old, new, 1))
        run.ws.write_stack_file(stack, tmp)
        run.ws.init_stack(stack)
        try:
            result = run.op("preview", stack, label=f"refused {case}")
        finally:
            run.ws.cli("stack", "rm", stack, "--yes", "--force", "--preserve-config")
            path.unlink(missing_ok=True)
        registered = [s for s in result.steps if s["type"] != "pulumi:pulumi:Stack"]
        if result.ok or registered:
            raise Failure(
                f"{case}: preview ok={result.ok}, registered {len(registered)}"
            )
        lines = [
            ln for ln in (result.error + result.stdout).splitlines() if words in ln
        ]
        if not lines or "Traceback" in result.error:
            raise Failure(
                f"{case}: no one line naming {words}: {last_lines(result.error)}"
            )


def _names(run: Run, ns: str) -> set[str]:
    proc = run.kubectl_cmd(
        "get", "all,configmaps,secrets", "-n", ns, "-o", "name", check=False
    )
    return set(proc.stdout.split()) if proc.returncode == 0 else set()


def _wait_gone(run: Run, ns: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if run.kubectl_cmd("get", "namespace", ns, check=False).returncode != 0:
            return
        time.sleep(1)
    raise Failure(f"namespace {ns} still exists {seconds:.0f} s after destroy")


PROTECTED_OWN = (
    "gcp:sql/databaseInstance:DatabaseInstance",
    "gcp:sql/database:Database",
)
"""What dev's destroy keeps: its protected Cloud SQL instance and database."""


def _deleted(run: Run, since: int) -> list[str]:
    calls = run.standin.calls()[since:]
    return [c.get("urn", "") for c in calls if c.get("method") == "Delete"]


def destroy(run: Run) -> None:
    """A destroy deletes what is not protected, then stops at what is.

    As observed under the real engine: dev loses its objects and namespace and
    keeps its Cloud SQL; prod loses its app objects and keeps its namespace,
    database and what it owns for every stack (repository, zone, address).
    """
    kept = {ns: _names(run, ns) for ns in ("prod", "staging")}
    since = len(run.standin.calls())
    dev = run.op("destroy", "dev", label="destroy")
    observed: dict[str, Any] = {"dev": last_lines(dev.error)}
    if dev.ok or "because it is protected" not in dev.error:
        raise Failure(
            f"destroy dev: expected a stop at protected Cloud SQL: {observed['dev']}"
        )
    _wait_gone(run, "dev")
    if kept["staging"] - _names(run, "staging") or kept["prod"] - _names(run, "prod"):
        raise Failure("destroy dev removed objects of prod or staging")
    foreign = [u for u in _deleted(run, since) if not u.startswith("urn:pulumi:dev::")]
    if foreign:
        raise Failure(
            f"destroy dev deleted other stacks' Google resources: {foreign[:3]}"
        )
    export = json.loads(run.ws.cli("stack", "export", "--stack", "dev").stdout)
    left = sorted(
        r["type"]
        for r in export["deployment"].get("resources", [])
        if r["type"].startswith("gcp:")
    )
    if left != sorted(PROTECTED_OWN):
        raise Failure(
            f"dev's state after destroy keeps {left}, expected {PROTECTED_OWN}"
        )
    since = len(run.standin.calls())
    prod = run.op("destroy", "prod", label="destroy prod")
    observed["prod"] = last_lines(prod.error)
    (run.ws.run_dir / "destroy-observed.json").write_text(
        json.dumps(observed, indent=2)
    )
    if prod.ok or "because it is protected" not in prod.error:
        raise Failure(f"destroy prod was not stopped by protection: {observed['prod']}")
    gone = [
        u
        for u in _deleted(run, since)
        if any(
            t in u
            for t in (
                "Repository::",
                "ManagedZone::",
                "Address::",
                "DatabaseInstance::",
            )
        )
    ]
    if gone:
        raise Failure(f"destroy prod deleted what it must keep: {gone[:3]}")
    if run.kubectl_cmd("get", "namespace", "prod", check=False).returncode != 0:
        raise Failure("destroy prod deleted the protected namespace prod")


def policy(run: Run) -> None:
    """The pack passes every stack's preview and stops one that breaks a rule."""
    for stack in OWN_NAMESPACES:
        result = run.op("preview", stack, policy_pack=True, label="policy preview")
        if not result.ok:
            raise Failure(
                f"{stack}: preview with the pack failed: {last_lines(result.error)}"
            )
    stack = "broken-policy"
    source = (ROOT / "Pulumi.dev.yaml").read_text()
    tmp = run.ws.run_dir / f"Pulumi.{stack}.yaml"
    tmp.write_text(source.rstrip("\n") + "\n  portfolio:pinImageDigest: false\n")
    run.ws.write_stack_file(stack, tmp)
    run.ws.init_stack(stack)
    try:
        plain = run.op("preview", stack, label="policy plain")
        checked = run.op("preview", stack, policy_pack=True, label="policy refused")
    finally:
        run.ws.cli("stack", "rm", stack, "--yes", "--force", "--preserve-config")
        (run.ws.project / f"Pulumi.{stack}.yaml").unlink(missing_ok=True)
    if not plain.ok:
        raise Failure(
            f"pinImageDigest false without the pack: {last_lines(plain.error)}"
        )
    text = checked.error + checked.stdout
    if checked.ok or "images-pinned-by-digest" not in text:
        raise Failure(f"the pack did not stop a tag-only image: {last_lines(text)}")
