"""Build the real binaries `make e2e` runs, from the Go module proxy, once.

Each binary is built from a committed wrapper module under ``e2e/modules/``
(a go.mod and go.sum that require the upstream module at one version, and
nothing else): ``go build`` of the upstream main package inside it. The result
goes to ``.e2e/bin/<wrapper>-<version>-<hash of go.mod and go.sum>/``, so a
second run finds it and builds nothing, and changing a wrapper builds anew.
Only ``go`` from the machine is used; nothing prebuilt is downloaded.

Why each build is as it is (read from the upstream sources):

- pulumi: pkg/v3's go.mod has ``replace`` lines, so ``go install ...@v`` is
  refused; a wrapper that requires pkg/v3 and sdk/v3 needs none (as
  pulumi/pulumi-docker-build does). The version is stamped into
  ``sdk/go/common/version.Version`` and the release tags are those of
  pulumi/pulumi ``.goreleaser.yml``.
- pulumi-resource-kubernetes: ``cmd/pulumi-resource-kubernetes/main.go`` embeds
  ``schema-embed.json`` and ``terraform-mapping-embed.json``, which upstream
  makes with ``go generate`` (``generate.go``: the committed schema with its
  ``version`` set, and the mapping re-marshalled) and does not ship in the
  module zip. They are made here, in a copy of the module in the build folder
  (the module cache stays untouched).
- kube-*: ``k8s.io/kubernetes`` points its staging modules at ``./staging``;
  the wrapper replaces each with its published ``v0.X.Y``. The version is
  stamped into ``k8s.io/component-base/version`` or the server reports v0.0.0.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "e2e" / "modules"
CACHE = ROOT / ".e2e"


@dataclass(frozen=True)
class Binary:
    """One program built from a wrapper module."""

    name: str
    wrapper: str
    package: str
    module: str
    """The upstream module whose version names the build."""
    ldflags: tuple[str, ...] = ()
    tags: str = ""
    strip_v: bool = False
    """Stamp 1.2.3 rather than v1.2.3, as the upstream release build does."""
    embed: tuple[tuple[str, str], ...] = field(default=())
    """(file the package embeds, the committed file it is made from)."""


_K8S_VERSION = "k8s.io/component-base/version"


def _kube(name: str) -> Binary:
    return Binary(
        name=name,
        wrapper="kubernetes",
        package=f"k8s.io/kubernetes/cmd/{name}",
        module="k8s.io/kubernetes",
        ldflags=(
            f"-X {_K8S_VERSION}.gitVersion={{version}}",
            f"-X {_K8S_VERSION}.gitMajor={{major}}",
            f"-X {_K8S_VERSION}.gitMinor={{minor}}",
            f"-X {_K8S_VERSION}.gitTreeState=clean",
        ),
    )


BINARIES: tuple[Binary, ...] = (
    Binary(
        name="pulumi",
        wrapper="pulumi",
        package="github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
        module="github.com/pulumi/pulumi/pkg/v3",
        ldflags=(
            "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version={version}",
        ),
        tags="osusergo,grpcnotrace",
    ),
    Binary(
        name="pulumi-resource-kubernetes",
        wrapper="kubernetes-provider",
        package="github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes",
        module="github.com/pulumi/pulumi-kubernetes/provider/v4",
        ldflags=(
            "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version."
            "Version={version}",
        ),
        strip_v=True,
        embed=(
            ("schema-embed.json", "schema.json"),
            ("terraform-mapping-embed.json", "terraform-mapping.json"),
        ),
    ),
    Binary(
        name="etcd",
        wrapper="etcd",
        package="go.etcd.io/etcd/server/v3",
        module="go.etcd.io/etcd/server/v3",
    ),
    _kube("kube-apiserver"),
    _kube("kube-controller-manager"),
    _kube("kube-scheduler"),
    Binary(
        name="kwok",
        wrapper="kwok",
        package="sigs.k8s.io/kwok/cmd/kwok",
        module="sigs.k8s.io/kwok",
        ldflags=("-X sigs.k8s.io/kwok/pkg/consts.Version={version}",),
        strip_v=True,
    ),
)


def go_env() -> dict[str, str]:
    """The go command's environment: the machine's Go, the wrappers' sums."""
    env = dict(os.environ)
    env.update(GOTOOLCHAIN="local", GOFLAGS="-mod=readonly", CGO_ENABLED="0")
    return env


def required_version(wrapper: str, module: str) -> str:
    """The version of module that the wrapper's go.mod requires."""
    out = subprocess.run(
        ["go", "mod", "edit", "-json"],
        cwd=MODULES / wrapper,
        check=True,
        capture_output=True,
        text=True,
        env=go_env(),
    ).stdout
    for req in json.loads(out).get("Require") or []:
        if req["Path"] == module:
            return str(req["Version"])
    raise SystemExit(f"error: e2e/modules/{wrapper}/go.mod: no require of {module}")


def stamp(binary: Binary, version: str) -> str:
    """The version stamped into the binary.

    An untagged commit keeps its pseudo-version, so nobody mistakes the build
    for a release.
    """
    return version.removeprefix("v") if binary.strip_v else version


@functools.cache
def _go_version() -> str:
    return subprocess.run(
        ["go", "version"], check=True, capture_output=True, text=True, env=go_env()
    ).stdout


def cache_dir(binary: Binary) -> Path:
    """Where this build of the binary lives: keyed by version and go.sum."""
    version = required_version(binary.wrapper, binary.module)
    digest = hashlib.sha256(repr(binary).encode())
    digest.update(_go_version().encode())
    for step in (build, _generated_module, go_env):  # how it is built
        digest.update(inspect.getsource(step).encode())
    for name in ("go.mod", "go.sum"):
        digest.update((MODULES / binary.wrapper / name).read_bytes())
    return CACHE / "bin" / f"{binary.wrapper}-{version}-{digest.hexdigest()[:12]}"


def _module_dir(binary: Binary) -> Path:
    out = subprocess.run(
        ["go", "list", "-m", "-json", binary.module],
        cwd=MODULES / binary.wrapper,
        check=True,
        capture_output=True,
        text=True,
        env=go_env(),
    ).stdout
    return Path(json.loads(out)["Dir"])


def _generated_module(binary: Binary, version: str, work: Path) -> Path:
    """Upstream's ``go generate`` step, on a writable copy of the module.

    The go command refuses overlays of files in the module cache, so the
    module is copied to the build folder, the embedded files are made there,
    and the build uses a copy of the wrapper's go.mod that replaces the module
    with that folder (``-modfile``; its go.sum is the wrapper's).
    """
    subprocess.run(
        ["go", "mod", "download", binary.module],
        cwd=MODULES / binary.wrapper,
        check=True,
        env=go_env(),
    )
    src = work / "src"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(_module_dir(binary), src)
    for path in [src, *src.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    pkg_dir = src / binary.package.removeprefix(binary.module).lstrip("/")
    for target, source in binary.embed:
        data = json.loads((pkg_dir / source).read_text())
        if target == "schema-embed.json":
            data["version"] = version
        (pkg_dir / target).write_text(json.dumps(data, separators=(",", ":")))
    modfile = work / "go.mod"
    shutil.copyfile(MODULES / binary.wrapper / "go.mod", modfile)
    shutil.copyfile(MODULES / binary.wrapper / "go.sum", work / "go.sum")
    subprocess.run(
        ["go", "mod", "edit", f"-modfile={modfile}", f"-replace={binary.module}={src}"],
        cwd=MODULES / binary.wrapper,
        check=True,
        env=go_env(),
    )
    return modfile


def build(binary: Binary) -> Path:
    """The binary's path, built first if this version is not in the cache."""
    out_dir = cache_dir(binary)
    path = out_dir / binary.name
    if path.exists():
        return path
    version = required_version(binary.wrapper, binary.module)
    stamped = stamp(binary, version)
    major, minor = [*version.removeprefix("v").split("."), "", ""][:2]
    ldflags = ["-s", "-w"] + [
        flag.format(version=stamped, major=major, minor=minor)
        for flag in binary.ldflags
    ]
    work = out_dir.with_name(out_dir.name + ".tmp")
    work.mkdir(parents=True, exist_ok=True)
    cmd = ["go", "build", "-trimpath", "-ldflags", " ".join(ldflags)]
    if binary.tags:
        cmd += ["-tags", binary.tags]
    if binary.embed:
        cmd += [f"-modfile={_generated_module(binary, stamped, work)}"]
    cmd += ["-o", str(work / binary.name), binary.package]
    print(f"e2e: building {binary.name} {stamped}", file=sys.stderr, flush=True)
    subprocess.run(cmd, cwd=MODULES / binary.wrapper, check=True, env=go_env())
    out_dir.mkdir(parents=True, exist_ok=True)
    (work / binary.name).replace(path)
    shutil.rmtree(work)
    return path


def build_all(names: list[str] | None = None) -> dict[str, Path]:
    """Every binary (or those named), built where missing."""
    chosen = [b for b in BINARIES if not names or b.name in names]
    return {b.name: build(b) for b in chosen}


def main(argv: list[str] | None = None) -> int:
    """``python -m e2e.build [NAME ...]``: build, then print name and path."""
    parser = argparse.ArgumentParser(prog="python -m e2e.build")
    parser.add_argument("names", nargs="*", metavar="NAME")
    args = parser.parse_args(argv)
    known = {b.name for b in BINARIES}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        parser.error(
            f"unknown binary {unknown[0]!r}; known: {', '.join(sorted(known))}"
        )
    for name, path in build_all(args.names).items():
        print(f"{name}\t{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
