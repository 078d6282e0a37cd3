"""The later scenarios: secrets, refused stack files, destroy."""

from __future__ import annotations

import base64
import json
import time
from urllib.parse import unquote, urlsplit

from e2e.harness import Failure, Run, last_lines
from e2e.workspace import ROOT

OWN_NAMESPACES = ("prod", "dev", "staging")


def _inside(key: str, plain: str) -> set[str]:
    """The secret parts inside a value: a URL's password, a pull credential."""
    if key == "DATABASE_URL":
        password = urlsplit(plain).password or ""
        return {password, unquote(password)}
    if key == ".dockerconfigjson":
        auths = json.loads(plain).get("auths", {}).values()
        return {str(auth[k]) for auth in auths for k in ("password", "auth")}
    return set()


def _secret_values(run: Run) -> set[str]:
    """Every plain secret value the stacks hold, read from the live Secrets.

    Each also as written inside JSON (state, kubectl -o json) and as base64.
    """
    values: set[str] = set()
    for ns in OWN_NAMESPACES:
        listing = json.loads(run.kubectl("get", "secrets", "-n", ns, "-o", "json"))
        for item in listing["items"]:
            for key, encoded in (item.get("data") or {}).items():
                plain = base64.b64decode(encoded).decode("utf-8", "replace")
                values |= {plain, *_inside(key, plain)}
    forms: set[str] = set()
    for value in (v for v in values if len(v) >= 8):
        encoded = base64.b64encode(value.encode()).decode()
        forms.update({value, json.dumps(value)[1:-1], encoded})
    return forms


def _places(run: Run) -> dict[str, str]:
    """Everything a user or a CI log sees, and the state on disk."""
    places = {
        f"output of {log.stem}": log.read_text()
        for log in sorted((run.ws.run_dir / "logs").glob("*.out"))
    }
    for stack in OWN_NAMESPACES:
        for args in (("stack", "export"), ("stack", "output", "--json"), ("config",)):
            text = run.ws.cli(*args, "--stack", stack).stdout
            places[f"pulumi {' '.join(args)} --stack {stack}"] = text
    places["ConfigMaps"] = run.kubectl("get", "configmaps", "-A", "-o", "json")
    places["the Google stand-in's call log"] = run.standin.calls_file.read_text()
    for path in sorted(p for p in run.ws.state.rglob("*") if p.is_file()):
        places[f"state file {path.name}"] = path.read_text(errors="replace")
    return places


def secrets(run: Run) -> None:
    """No secret's plain value in CLI output, stack export or a ConfigMap."""
    values = _secret_values(run)
    if not values:
        raise Failure("found no secret values to look for")
    for place, text in _places(run).items():
        leaked = [v for v in values if v in text]
        if leaked:
            raise Failure(f"a secret value ({len(leaked[0])} characters) is in {place}")


BROKEN = {
    # stack-file change -> the words the program's one line must hold
    "typo": (("portfolio:nodeEnv:", "portfolio:nodeEnvv:"), "portfolio:nodeEnvv"),
    "type": (
        # An integer, as Pulumi.yaml declares, that the program's range refuses.
        ("portfolio:sqlDiskSize: 10", "portfolio:sqlDiskSize: 5"),
        "portfolio:sqlDiskSize",
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
        output = result.error + result.stdout
        own = [
            ln for ln in output.splitlines() if f"Pulumi.{stack}.yaml: {words}" in ln
        ]
        if not own or "Traceback" in output:
            raise Failure(
                f"{case}: no one line naming {words}: {last_lines(result.error)}"
            )


def _names(run: Run, ns: str) -> set[str]:
    proc = run.kubectl_cmd(
        "get", "all,configmaps,secrets", "-n", ns, "-o", "name", check=False
    )
    if proc.returncode != 0:
        raise Failure(f"kubectl get -n {ns}: {proc.stderr.strip()[-300:]}")
    return set(proc.stdout.split())


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


PROD_KEEPS = (
    *PROTECTED_OWN,
    "gcp:artifactregistry/repository:Repository",
    "gcp:dns/managedZone:ManagedZone",
    "gcp:compute/address:Address",
    "kubernetes:core/v1:Namespace",
)
"""What prod's destroy must leave in state: protected, most of it retained."""


def _deleted(run: Run, since: int) -> list[str]:
    calls = run.standin.calls()[since:]
    return [c.get("urn", "") for c in calls if c.get("method") == "Delete"]


def _state_types(run: Run, stack: str) -> list[str]:
    export = json.loads(run.ws.cli("stack", "export", "--stack", stack).stdout)
    return sorted(r["type"] for r in export["deployment"].get("resources", []))


def _destroy_dev(run: Run) -> None:
    kept = {ns: _names(run, ns) for ns in ("prod", "staging")}
    since = len(run.standin.calls())
    dev = run.op("destroy", "dev", label="destroy")
    if dev.ok or "because it is protected" not in dev.error:
        raise Failure(f"destroy dev: no stop at its protected Cloud SQL: {dev.error}")
    _wait_gone(run, "dev")
    if any(names - _names(run, ns) for ns, names in kept.items()):
        raise Failure("destroy dev removed objects of prod or staging")
    foreign = [u for u in _deleted(run, since) if not u.startswith("urn:pulumi:dev::")]
    if foreign:
        raise Failure(f"destroy dev deleted other stacks' resources: {foreign[:3]}")
    left = [t for t in _state_types(run, "dev") if t.startswith("gcp:")]
    if left != sorted(PROTECTED_OWN):
        raise Failure(f"dev's state after destroy keeps {left}, not {PROTECTED_OWN}")


def destroy(run: Run) -> None:
    """A destroy deletes what is not protected, then stops at what is.

    As observed under the real engine: dev loses its objects and namespace and
    keeps its Cloud SQL; prod loses its app objects and keeps its namespace,
    database and what it owns for every stack (repository, zone, address).
    """
    _destroy_dev(run)
    prod = run.op("destroy", "prod", label="destroy prod")
    if prod.ok or "because it is protected" not in prod.error:
        raise Failure(
            f"destroy prod not stopped by protection: {last_lines(prod.error)}"
        )
    if run.kubectl_cmd("get", "namespace", "prod", check=False).returncode != 0:
        raise Failure("destroy prod deleted the protected namespace prod")
    missing = sorted(set(PROD_KEEPS) - set(_state_types(run, "prod")))
    if missing:
        raise Failure(f"destroy prod removed protected resources from state: {missing}")


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
