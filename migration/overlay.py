"""Reading the overlay: ``kubectl kustomize OVERLAY_DIR``, as Flux built it.

The build's objects are checked for the shape the comparison reads (a kind,
a name, mappings where mappings belong); anything else is one
``CompareError`` line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import YAMLError

from render.yaml12 import describe

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
KUSTOMIZE_TIMEOUT_SECONDS = 300
_KUBECTL_ERROR = re.compile(r'err="(?P<err>.*)"$')


class CompareError(Exception):
    """Bad input: one line naming what is wrong."""


def kustomize_build(overlay: Path) -> list[dict[str, Any]]:
    """``kubectl kustomize overlay``'s objects; ``CompareError`` if it cannot run."""
    if not overlay.is_dir():
        raise CompareError(f"{overlay}: not a directory")
    if not any((overlay / name).is_file() for name in KUSTOMIZATION_FILES):
        raise CompareError(f"{overlay}: no kustomization.yaml")
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        raise CompareError(
            "kubectl not found on PATH: compare runs `kubectl kustomize`; "
            "install kubectl"
        )
    # Flux's kustomize-controller builds with no load restrictions.
    command = [kubectl, "kustomize", "--load-restrictor", "LoadRestrictionsNone"]
    try:
        built = subprocess.run(
            [*command, str(overlay)],
            capture_output=True,
            text=True,
            check=False,
            timeout=KUSTOMIZE_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise CompareError(
            f"{overlay}: kubectl kustomize took over {KUSTOMIZE_TIMEOUT_SECONDS} s"
        ) from None
    if built.returncode != 0:
        lines = built.stderr.strip().splitlines() or ["failed"]
        # kubectl logs `E1123 ... "command failed" err="<why>"`: keep the why.
        why = _KUBECTL_ERROR.search(lines[-1])
        raise CompareError(
            f"{overlay}: kubectl kustomize: {why['err'] if why else lines[-1]}"
        )
    docs = _load_all(overlay, built.stdout)
    return [_well_formed(overlay, doc) for doc in docs if doc is not None]


class _KustomizeConstructor(SafeConstructor):
    """YAML 1.2 safe construction, timestamps kept as their text."""


for _tag in ("timestamp", "value"):  # a plain `=` is YAML 1.1's "value" tag
    _KustomizeConstructor.add_constructor(
        f"tag:yaml.org,2002:{_tag}", SafeConstructor.construct_yaml_str
    )


def _load_all(overlay: Path, text: str) -> list[Any]:
    """Every document of kubectl's output, as plain values; else one line."""
    parser = YAML(typ="safe", pure=True)
    parser.Constructor = _KustomizeConstructor
    try:
        return list(parser.load_all(text))
    except YAMLError as error:
        problem = describe(error)
    except RecursionError:
        problem = "nested too deeply"
    except ValueError:  # an integer over Python's 4,300 digits
        problem = "a value that cannot be read"
    raise CompareError(f"{overlay}: kubectl kustomize printed: {problem}")


def _well_formed(overlay: Path, doc: Any) -> dict[str, Any]:
    """An object with the shape compare reads, names as text; else one line."""
    if not isinstance(doc, dict) or not isinstance(doc.get("kind"), str):
        raise CompareError(f"{overlay}: kubectl kustomize printed a non-object")
    meta = doc.get("metadata")
    if not isinstance(meta, dict) or meta.get("name") in (None, ""):
        raise CompareError(f"{overlay}: a {doc['kind']} has no metadata.name")
    doc["metadata"] = meta = dict(meta)
    for key in ("name", "namespace"):
        if meta.get(key) is not None:
            meta[key] = str(meta[key])
    for key in ("spec", "data", "stringData"):
        if doc.get(key) is not None and not isinstance(doc[key], dict):
            raise CompareError(
                f"{overlay}: {doc['kind']} {meta['name']}: {key} is not a mapping"
            )
    return doc
