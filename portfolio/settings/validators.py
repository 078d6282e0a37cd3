"""Checks for the value formats Kubernetes and registries accept.

Each check returns the value unchanged or raises ``ValueError`` with a message a
person can act on; ``portfolio.settings.model`` runs them as pydantic
``AfterValidator`` checks, and the edge reports each problem by its key.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from datetime import datetime

from portfolio.settings.regions import GCP_REGIONS, MULTI_REGIONS

# Values longer than this are cut in messages, which stay one short line.
SHOWN_MAX = 80


def shown(value: object) -> str:
    """A value as a stack file spells it, on one line, cut if long."""
    try:
        text = repr(value) if isinstance(value, str) else json.dumps(value)
    except (RecursionError, ValueError):  # nested too deep, or a huge number
        text = f"a {type(value).__name__} too large to show"
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 3] + "..."


# The grammar of github.com/distribution/reference, which the kubelet uses.
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*(?::\d+)?"
_PATH_PART = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_TAG = r"[\w][\w.-]{0,127}"
# Registries and the kubelet resolve sha256 digests: 64 lowercase hex digits (OCI).
_DIGEST = r"sha256:[0-9a-f]{64}"
_IMAGE = re.compile(
    rf"^(?:(?P<domain>{_DOMAIN})/)?{_PATH_PART}(?:/{_PATH_PART})*"
    rf"(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?$",
    re.ASCII,
)

IMAGE_NAME_MAX = 255
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def _matching(pattern: re.Pattern[str], value: str, problem: str) -> re.Match[str]:
    # fullmatch: with match, "$" also matches before a trailing newline.
    match = pattern.fullmatch(value)
    if match is None:
        raise ValueError(f"{shown(value)} {problem}")
    return match


def image_reference(value: str) -> str:
    """Accept ``[registry/]repository[:tag][@sha256:digest]``."""
    _matching(
        _IMAGE,
        value,
        "is not an image reference (expected registry/repository:tag or "
        "registry/repository@sha256:<64 hex digits>)",
    )
    # distribution/reference (reference.go, NameTotalLengthMax): the name,
    # registry included, without tag or digest, is at most 255 characters;
    # the kubelet refuses a longer one (InvalidImageName).
    name = value.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    if len(name) > IMAGE_NAME_MAX:
        raise ValueError(
            f"{shown(value)}: its name is {len(name)} characters, over "
            f"{IMAGE_NAME_MAX} (without tag or digest)"
        )
    return value


def dns_label(value: str) -> str:
    """Accept an RFC 1123 label: the form of namespace names."""
    _matching(
        _DNS_LABEL,
        value,
        "is not a DNS label (lowercase letters, digits and '-', at most 63 characters)",
    )
    return value


# <location>-docker.pkg.dev/<project>/<repository>/<image path>
_ARTIFACT_REGISTRY = re.compile(
    r"^(?P<location>[a-z]+-[a-z]+\d+|[a-z]+)-docker\.pkg\.dev/"
    r"(?P<project>[a-z][-a-z0-9]{4,28}[a-z0-9])/"
    r"(?P<repository>[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)/"
    r"(?P<image>.+)",
    re.ASCII,
)
_PROJECT_ID = re.compile(r"^[a-z][-a-z0-9]{4,28}[a-z0-9]$")
_SHA256 = re.compile(r"^sha256:[0-9a-f]{64}$")


def artifact_registry_image(value: str) -> str:
    """Accept an image in an Artifact Registry docker repository."""
    artifact_registry_parts(value)
    return value


def artifact_registry_parts(value: str) -> tuple[str, str, str]:
    """``(location, project, repository)`` of an Artifact Registry image."""
    match = _matching(
        _ARTIFACT_REGISTRY,
        value,
        "is not in an Artifact Registry repository "
        "(expected LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE)",
    )
    location = match["location"]
    if location not in GCP_REGIONS and location not in MULTI_REGIONS:
        raise ValueError(f"{shown(location)} is not an Artifact Registry location")
    return location, match["project"], match["repository"]


def image_digest(value: str) -> str | None:
    """The ``sha256:…`` an image reference pins, if it pins one."""
    match = _IMAGE.fullmatch(value)
    return match["digest"] if match else None


def project_id(value: str) -> str:
    """Accept a Google Cloud project ID."""
    _matching(_PROJECT_ID, value, "is not a Google Cloud project ID")
    return value


def sha256_digest(value: str) -> str:
    """Accept ``sha256:`` and 64 lowercase hex digits."""
    _matching(_SHA256, value, "is not a sha256:<64 hex digits> digest")
    return value


# RFC 3339 section 5.6 date-time: full date, "T", time with optional fraction,
# "Z" or a numeric offset ("T" and "Z" may be lowercase).
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$",
    re.ASCII,
)


def rfc3339(value: str) -> str:
    """Accept an RFC 3339 date-time such as ``2026-11-23T10:00:00Z``."""
    _matching(
        _RFC3339, value, "is not an RFC 3339 time (example: 2026-11-23T10:00:00Z)"
    )
    try:
        datetime.fromisoformat(value.upper())
    except ValueError:
        raise ValueError(f"{shown(value)} is not a valid date and time") from None
    return value


# A DNS name as a host: dot-separated RFC 1123 labels, at most 253 characters,
# at least two labels, no trailing dot (the program adds it where DNS wants it).
_HOSTNAME_LABEL = r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"^(?:{_HOSTNAME_LABEL}\.)+{_HOSTNAME_LABEL}$")
MAX_HOSTNAME = 253


def hostname(value: str) -> str:
    """Accept a fully qualified host name such as ``portfolio.hugecat.net``."""
    _matching(
        _HOSTNAME,
        value,
        "is not a host name (lowercase DNS labels joined by dots, "
        "such as portfolio.example.com, with no trailing dot)",
    )
    if len(value) > MAX_HOSTNAME:
        raise ValueError(f"{shown(value)} is longer than {MAX_HOSTNAME} characters")
    for label in value.split("."):
        if label[2:4] == "--" and not _punycode_label(label):
            raise ValueError(
                f"{shown(value)} has a label with '--' in its third and fourth "
                "places that is no xn-- label of valid punycode (RFC 5890, 3492)"
            )
    return value


def _punycode_label(label: str) -> bool:
    """Whether ``label`` is ``xn--`` and punycode that decodes to something.

    Punycode only, not IDNA2003's mapping (Python's ``idna`` codec would refuse
    IDNA2008's ``ß``); the registry and the CA judge the rest.
    """
    if not label.startswith("xn--"):
        return False
    try:
        return bool(label[4:].encode("ascii").decode("punycode"))
    except UnicodeError:
        return False


def in_domain(host: str, domain: str) -> bool:
    """Whether ``host`` is ``domain`` or a name under it."""
    return host == domain or host.endswith(f".{domain}")


def unique(values: list[str]) -> list[str]:
    """Accept a list in which no value is given twice."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{shown(value)} is given twice")
        seen.add(value)
    return values


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


def gcp_region(value: str) -> str:
    """Accept a Google Cloud region such as ``us-central1``."""
    if value not in GCP_REGIONS:
        hint = did_you_mean(value, GCP_REGIONS)
        raise ValueError(f"{shown(value)} is not a Google Cloud region{hint}")
    return value
