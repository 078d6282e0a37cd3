"""``check --all``: exactly one stack owns each shared thing, and all agree on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from render.cli import main
from tests.conftest import ROOT, STACKS


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
