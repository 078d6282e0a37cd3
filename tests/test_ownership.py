"""``check --all``: exactly one stack owns each shared thing, and all agree on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from render.cli import main
from tests.conftest import ROOT, STACKS

# A consumer stack with no stack file here, whatever stacks are added.
ABSENT = next(
    f"absent{n}" for n in range(len(STACKS) + 1) if f"absent{n}" not in STACKS
)


def stacks_with(tmp_path: Path, **appended: str) -> Path:
    """The committed stack files, with lines appended to some of them."""
    for stack in STACKS:
        shutil.copy(ROOT / f"Pulumi.{stack}.yaml", tmp_path / f"Pulumi.{stack}.yaml")
    for stack, lines in appended.items():
        with (tmp_path / f"Pulumi.{stack}.yaml").open("a") as file:
            file.write(lines)
    return tmp_path


def check_all(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["check", "--all", "--stack-config-dir", str(folder)])
    return status, capsys.readouterr().err


def test_the_committed_stacks_have_one_owner_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_all(stacks_with(tmp_path), capsys) == (0, "")


def test_two_owners_of_the_zone_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = stacks_with(tmp_path, staging="  portfolio:dnsZoneOwnerStack: staging\n")
    status, err = check_all(folder, capsys)
    assert status == 1
    assert err.splitlines() == [
        "error: Pulumi.prod.yaml: portfolio:dnsZoneOwnerStack: this stack owns the "
        "DNS zone, and so does staging: exactly one stack may",
        "error: Pulumi.staging.yaml: portfolio:dnsZoneOwnerStack: this stack owns "
        "the DNS zone, and so does prod: exactly one stack may",
    ]


def test_no_owner_of_the_address_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = "  portfolio:ingressAddressOwnerStack: nosuch\n"
    folder = stacks_with(tmp_path, **dict.fromkeys(STACKS, moved))
    status, err = check_all(folder, capsys)
    assert status == 1
    assert len(err.splitlines()) == len(STACKS)
    assert all(
        "portfolio:ingressAddressOwnerStack: names nosuch, but no stack checked here "
        "owns the ingress address" in line
        for line in err.splitlines()
    )


def test_a_stack_naming_another_owner_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = stacks_with(tmp_path, dev="  portfolio:registryOwnerStack: staging\n")
    status, err = check_all(folder, capsys)
    assert (status, err) == (
        1,
        "error: Pulumi.dev.yaml: portfolio:registryOwnerStack: names staging, but "
        "prod owns the image repository\n",
    )


def test_one_stack_alone_is_not_held_to_the_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = stacks_with(tmp_path, dev="  portfolio:registryOwnerStack: staging\n")
    assert main(["check", str(folder / "Pulumi.dev.yaml")]) == 0


def stacks_changed(tmp_path: Path, stack: str, old: str, new: str) -> Path:
    """The committed stack files, one line of one of them replaced."""
    folder = stacks_with(tmp_path)
    path = folder / f"Pulumi.{stack}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return folder


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "portfolio:host: portfolio.dev.hugecat.net",
            "portfolio:host: portfolio.hugecat.net",
            "portfolio:host: the host 'portfolio.hugecat.net' is claimed by prod too",
        ),
        (
            "portfolio:host: portfolio.dev.hugecat.net",
            "portfolio:host: www.hugecat.net",
            "portfolio:host: the host 'www.hugecat.net' is claimed by prod too",
        ),
        (
            "portfolio:sqlInstanceName: portfolio-dev-db",
            "portfolio:sqlInstanceName: portfolio-prod-db",
            "portfolio:sqlInstanceName: the Cloud SQL instance 'portfolio-prod-db' "
            "is claimed by prod too",
        ),
        (
            "portfolio:nodeEnv: development",
            "portfolio:nodeEnv: development\n  portfolio:tlsCertificateName: "
            "portfolio-tls-cert",
            "portfolio:tlsCertificateName: the certificate 'portfolio-tls-cert' "
            "is claimed by prod too",
        ),
    ],
)
def test_what_must_be_one_stacks_own_is_refused_in_both_stacks(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    problem: str,
) -> None:
    status, err = check_all(stacks_changed(tmp_path, "dev", old, new), capsys)
    assert status == 1
    lines = err.splitlines()
    assert f"error: Pulumi.dev.yaml: {problem}: it must be one stack's own" in lines
    assert any(line.startswith("error: Pulumi.prod.yaml: ") for line in lines)
    assert "is claimed by dev too" in err


def test_a_consumer_stack_without_a_stack_file_is_named_by_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = stacks_changed(tmp_path, "prod", "    - staging\n", f"    - {ABSENT}\n")
    status, err = check_all(folder, capsys)
    assert (status, err.splitlines()) == (
        1,
        [
            f"error: Pulumi.prod.yaml: portfolio:registryConsumerStacks: '{ABSENT}' "
            f"is no stack checked here (there is no Pulumi.{ABSENT}.yaml)"
        ],
    )


def test_one_stack_checked_alone_needs_its_consumers_stack_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = stacks_changed(tmp_path, "prod", "    - staging\n", f"    - {ABSENT}\n")
    status = main(["check", "prod", "--stack-config-dir", str(folder)])
    assert (status, capsys.readouterr().err.splitlines()) == (
        1,
        [
            f"error: Pulumi.prod.yaml: portfolio:registryConsumerStacks: '{ABSENT}' "
            f"is no stack checked here (there is no Pulumi.{ABSENT}.yaml)"
        ],
    )


@pytest.mark.parametrize(
    ("line", "key", "what"),
    [
        (
            "  portfolio:image: us-central1-docker.pkg.dev/kame-457417/other/app:v1\n",
            "portfolio:image",
            "the image repository",
        ),
        (
            "  portfolio:image: europe-west1-docker.pkg.dev/kame-457417/"
            "kame-house-images/portfolio:v1\n",
            "portfolio:image",
            "the image repository",
        ),
        ("  gcp:region: europe-west1\n", "gcp:region", "the ingress address"),
    ],
)
def test_a_shared_thing_looked_for_where_its_owner_does_not_make_it_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, key: str, what: str
) -> None:
    folder = stacks_with(tmp_path)
    dev = folder / "Pulumi.dev.yaml"
    kept = [
        k for k in dev.read_text().splitlines(True) if not k.startswith(f"  {key}:")
    ]
    dev.write_text("".join(kept) + line)
    status, err = check_all(folder, capsys)
    assert status == 1
    (problem,) = err.splitlines()
    assert problem.startswith(f"error: Pulumi.dev.yaml: {key}: {what} is prod's, in ")


def test_another_project_looks_for_the_zone_and_the_address_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = stacks_with(tmp_path)
    dev = folder / "Pulumi.dev.yaml"
    dev.write_text(dev.read_text().replace("kame-457417", "other-project-1"))
    status, err = check_all(folder, capsys)
    assert status == 1
    assert [line.split(": ", 3)[2:] for line in err.splitlines()] == [
        ["gcp:project", f"the {what} is prod's, in 'kame-457417'; this stack "
         "would look in 'other-project-1'"]
        for what in ("DNS zone", "ingress address")
    ]  # fmt: skip


def test_one_stack_checked_alone_names_a_broken_consumers_own_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # prod's render reads dev's stack file for dev's digest: a problem there is
    # dev's line, with its key, as check --all gives it.
    folder = stacks_changed(
        tmp_path, "dev", "portfolio:nodeEnv: development", "portfolio:nodeEnv: a b"
    )
    status = main(["check", "prod", "--stack-config-dir", str(folder)])
    assert (status, capsys.readouterr().err.splitlines()) == (
        1,
        [
            "error: Pulumi.dev.yaml: portfolio:nodeEnv: 'a b' does not match "
            "^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$"
        ],
    )
