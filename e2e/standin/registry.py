"""The fake Artifact Registry behind ``getDockerImage``: a JSON file of tags.

The scenarios own the file; the stand-in reads it again at every call, so
a push (``push``, or any edit) shows at the next ``pulumi preview``. Its
shape::

    {"generation": 2,
     "images": {"europe-west1-docker.pkg.dev/P/R/app:v1":
                    {"digest": "sha256:...", "generation": 2}}}

An image is ``LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE:TAG``; a value
may also be a bare digest string. ``generation`` counts pushes; a push's
upload time is that many minutes after the stand-in epoch, so the newest
push is the latest image, as Artifact Registry orders them.

``lookup`` answers as the data source ``google_artifact_registry_docker_image``
does: ``imageName`` is ``IMAGE``, ``IMAGE:TAG`` or ``IMAGE@sha256:...``, and an
image that is not there is the provider's "Requested image was not found."
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from e2e.standin import fake

NOT_FOUND = "Requested image was not found."
MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json"


class ImageNotFoundError(LookupError):
    """No such image, tag or digest in the registry file."""


@dataclass(frozen=True)
class Tagged:
    """One tag of one image and the digest it points at."""

    image: str
    """``HOST/PROJECT/REPOSITORY/IMAGE``."""
    tag: str
    digest: str
    generation: int


def load(path: Path) -> dict[str, Any]:
    """The registry file's content; empty if there is no file yet."""
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        return {"generation": 0, "images": {}}
    return data


def tags(path: Path) -> list[Tagged]:
    """Every tag in the registry, oldest push first."""
    found: list[Tagged] = []
    for ref, entry in load(path).get("images", {}).items():
        image, _, tag = ref.rpartition(":")
        record = entry if isinstance(entry, dict) else {"digest": entry}
        found.append(
            Tagged(image, tag, str(record["digest"]), int(record.get("generation", 0)))
        )
    return sorted(found, key=lambda t: t.generation)


def _write(path: Path, data: dict[str, Any]) -> None:
    """Replace the file atomically, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as out:
        json.dump(data, out, indent=2, sort_keys=True)
    Path(tmp).replace(path)


def push(path: Path, image: str) -> str:
    """Point ``image`` (``…/IMAGE:TAG``; no tag is ``latest``) at a new digest.

    The digest is new for every push yet the same on every run: SHA-256 of
    the reference and the registry's push count.
    """
    ref = image if ":" in image.rsplit("/", 1)[-1] else f"{image}:latest"
    data = load(path)
    generation = int(data.get("generation", 0)) + 1
    digest = "sha256:" + fake.digest(ref, str(generation)).hex()
    images = data.setdefault("images", {})
    images.pop(ref, None)
    images[ref] = {"digest": digest, "generation": generation}
    data["generation"] = generation
    _write(path, data)
    return digest


def _find(found: list[Tagged], image: str, wanted: str) -> list[Tagged]:
    """The tags of ``image`` that ``wanted`` (``:TAG``, ``@DIGEST``, "") names."""
    mine = [t for t in found if t.image == image]
    if wanted.startswith("@"):
        return [t for t in mine if t.digest == wanted[1:]]
    if wanted.startswith(":"):
        chosen = [t for t in mine if t.tag == wanted[1:]]
    else:
        chosen = mine[-1:]
    return [t for t in mine if chosen and t.digest == chosen[0].digest]


def _split(image_name: str) -> tuple[str, str]:
    """``app:v1`` is (``app``, ``:v1``); ``app@sha256:x`` (``app``, ``@sha256:x``)."""
    if "@" in image_name:
        path, _, digest = image_name.partition("@")
        return path, "@" + digest
    head, _, last = image_name.rpartition("/")
    name, colon, tag = last.partition(":")
    path = f"{head}/{name}" if head else name
    return path, (colon + tag if colon else "")


def lookup(
    path: Path, *, project: str, location: str, repository_id: str, image_name: str
) -> dict[str, Any]:
    """The data source's result, by wire names; ``ImageNotFoundError`` if none."""
    image_path, wanted = _split(image_name)
    host = f"{location}-docker.pkg.dev/{project}/{repository_id}"
    matches = _find(tags(path), f"{host}/{image_path}", wanted)
    if not matches:
        raise ImageNotFoundError(NOT_FOUND)
    newest = matches[-1]
    uploaded = fake.rfc3339(
        fake.EPOCH + timedelta(minutes=newest.generation), fraction=True
    )
    name = (
        f"projects/{project}/locations/{location}/repositories/{repository_id}"
        f"/dockerImages/{quote(image_path, safe='')}@{newest.digest}"
    )
    size = 20_000_000 + int(newest.digest[7:15], 16) % 50_000_000
    return {
        "id": name,
        "name": name,
        "selfLink": f"{host}/{image_path}@{newest.digest}",
        "imageName": image_name,
        "imageSizeBytes": str(size),
        "mediaType": MEDIA_TYPE,
        "tags": sorted(t.tag for t in matches),
        "uploadTime": uploaded,
        "updateTime": uploaded,
        "buildTime": uploaded,
        "location": location,
        "project": project,
        "repositoryId": repository_id,
    }
