"""The user's side of `make e2e`: a project folder, the real CLI, its environment.

The project folder under ``.e2e/run/project`` holds copies of the committed
``Pulumi.yaml`` and ``Pulumi.<stack>.yaml`` files whose only change is
``kubernetes:context`` (the local control plane's context, never a real
cluster's), and the policy pack. Every CLI call gets one environment: the
built binaries first on PATH, ``PULUMI_HOME`` and a file backend inside the
cache, the passphrase secrets provider, no plugin download, no update check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
STACKS = ("prod", "dev", "staging")
"""The README's bootstrap order: prod owns what dev and staging use."""

PASSPHRASE = "e2e-FAKE-passphrase-not-a-secret"


@dataclass
class Workspace:
    """One e2e run's project folder, state, and the CLI environment."""

    run_dir: Path
    binaries: dict[str, Path]
    kubeconfig: Path
    context: str
    provider_env: dict[str, str] = field(default_factory=dict)

    @property
    def project(self) -> Path:
        """The project folder the CLI runs in."""
        return self.run_dir / "project"

    @property
    def bin_dir(self) -> Path:
        """``pulumi`` and the provider plugins, as the CLI looks them up on PATH."""
        return self.run_dir / "bin"

    @property
    def state(self) -> Path:
        """The file backend (``pulumi login file://...``)."""
        return self.run_dir / "state"

    def env(self) -> dict[str, str]:
        """The environment of every CLI call and program run."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PULUMI_", "KUBE", "GOOGLE_", "CLOUDSDK_"))
        }
        env.update(
            PATH=f"{self.bin_dir}{os.pathsep}{env.get('PATH', '')}",
            PULUMI_HOME=str(self.run_dir / "home"),
            PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK="true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK="true",
            KUBECONFIG=str(self.kubeconfig),
            KUBECACHEDIR=str(self.run_dir / "kube-cache"),
            NO_COLOR="1",
        )
        env.update(self.provider_env)
        return env

    def prepare(self) -> None:
        """Lay out the binaries and the project copy; log in to the file backend."""
        self.bin_dir.mkdir(parents=True, exist_ok=True)
        for name in ("pulumi", "pulumi-resource-kubernetes"):
            link = self.bin_dir / name
            link.unlink(missing_ok=True)
            link.symlink_to(self.binaries[name])
        self.project.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "Pulumi.yaml", self.project / "Pulumi.yaml")
        for stack in STACKS:
            self.write_stack_file(stack, ROOT / f"Pulumi.{stack}.yaml")
        policy = self.project / "policy"
        if not policy.exists():
            policy.symlink_to(ROOT / "policy")
        self.state.mkdir(parents=True, exist_ok=True)
        self.cli("login", f"file://{self.state}")

    def write_stack_file(self, stack: str, source: Path) -> None:
        """A copy of a stack file whose only change is ``kubernetes:context``."""
        yaml = YAML()
        yaml.preserve_quotes = True
        data = yaml.load(source.read_text())
        config = data["config"]
        if "kubernetes:context" in config:
            config["kubernetes:context"] = self.context
        with (self.project / f"Pulumi.{stack}.yaml").open("w") as out:
            yaml.dump(data, out)

    def edit_stack_file(self, stack: str, key: str, value: object) -> None:
        """Set (or, with None, remove) one key of the project copy's stack file.

        As a user editing Pulumi.<stack>.yaml would.
        """
        yaml = YAML()
        yaml.preserve_quotes = True
        path = self.project / f"Pulumi.{stack}.yaml"
        data = yaml.load(path.read_text())
        if value is None:
            data["config"].pop(key, None)
        else:
            data["config"][key] = value
        with path.open("w") as out:
            yaml.dump(data, out)

    def cli(
        self, *args: str, check: bool = True, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run the real ``pulumi`` in the project folder, as a user would."""
        result = subprocess.run(
            [str(self.bin_dir / "pulumi"), *args, "--non-interactive"],
            cwd=self.project,
            env=self.env(),
            capture_output=True,
            text=True,
            input=input,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"pulumi {' '.join(args)} exited {result.returncode}: "
                f"{(result.stderr or result.stdout).strip()[-2000:]}"
            )
        return result

    def init_stack(self, stack: str) -> None:
        """``pulumi stack init`` with the passphrase secrets provider."""
        self.cli("stack", "init", stack, "--secrets-provider", "passphrase")
