"""Stack files read as the Pulumi CLI reads them (YAML 1.2, its rules).

What the program receives must be what ``pulumi up`` would give it: a
difference here means a stack that renders one way offline and deploys
another way for real. ``Pulumi.yaml`` itself is in ``test_project_file.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from render import yaml12
from render.config_values import to_config_string
from render.stackfile import (
    Project,
    StackConfig,
    StackFileError,
    read_stack,
)
from tests.conftest import project


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def stack(
    tmp_path: Path, body: str, proj: Project | None = None
) -> tuple[StackConfig, list[tuple[str, str]]]:
    path = write(tmp_path, "Pulumi.t.yaml", body)
    return read_stack(proj or project(), path)


def only_problem(tmp_path: Path, body: str) -> tuple[str, str]:
    _, problems = stack(tmp_path, body)
    assert len(problems) == 1, problems
    return problems[0]


def file_error(tmp_path: Path, body: str | bytes) -> str:
    path = write(tmp_path, "Pulumi.t.yaml", body)
    with pytest.raises(StackFileError) as error:
        read_stack(project(), path)
    (line,) = error.value.problems
    return line


# YAML 1.2, as Go's yaml.v3 reads it.


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "y"])
def test_yaml11_booleans_are_strings_so_a_boolean_key_refuses_them(
    tmp_path: Path, word: str
) -> None:
    key, problem = only_problem(tmp_path, f"config:\n  portfolio:zoneSpread: {word}\n")
    assert key == "portfolio:zoneSpread"
    assert problem == f"must be of type boolean, got '{word}'"


def test_an_unquoted_date_is_refused_and_a_quoted_one_is_its_text(
    tmp_path: Path,
) -> None:
    # yaml.v3 reads it as a time, which the CLI hands over as
    # "2026-12-01 00:00:00 +0000 UTC"; `pulumi config set` writes it quoted.
    line = file_error(tmp_path, "config:\n  portfolio:pullKeyRotation: 2026-12-01\n")
    assert line.startswith("Pulumi.t.yaml: invalid YAML: line 2: an unquoted text")
    config, problems = stack(
        tmp_path, "config:\n  portfolio:pullKeyRotation: '2026-12-01'\n"
    )
    assert problems == []
    assert config.config["portfolio:pullKeyRotation"] == "2026-12-01"


# What the real CLI 3.274.0 hands the program (`pulumi config --json`) for
# plain scalars, which yaml.v3 resolves its own way; `make e2e` (`yaml`)
# compares the whole table with the real CLI again.
GO_SCALARS = {
    "017": "15", "0o17": "15", "0x10": "16", "1_000": "1000", "1e3": "1000",
    "0b101": "5", "-0x10": "-16", "0B101": "5", "0X1f": "31", "0x_1F": "31",
    "0_1_7": "15", "1__0": "10", "00": "0", "09": "9", "+1": "1", "2.0": "2",
    "99999999999999999999": "100000000000000000000", "1.5e300": "1.5e+300",
    "18446744073709551615": "18446744073709551615",
    "18446744073709551616": "18446744073709552000",
    "-9223372036854775809": "-9223372036854776000",
    "123456789012345678901234567890": "1.2345678901234568e+29",
    ".5": "0.5", "1.": "1", ".5e1": "5", "-.5": "-0.5", "1_000.5": "1000.5",
    "1e400": "1e400", "1e-400": "0", "0x1p-2": "0x1p-2", "1:30": "1:30",
    "_1": "_1", "1234-5": "1234-5", "yes": "yes", "[017, 1_0]": "[15,10]",
    "-0.0": "0", ".5_0": "0.5", "<<": "<<", "! 017": "15",
    "[-0.0, 1e-7, 2.5, 18446744073709551615]": "[0,1e-7,2.5,18446744073709552000]",
    "{b: 1, a: [1.0, '<&>']}": '{"a":[1,"\\u003c\\u0026\\u003e"],"b":1}',
}  # fmt: skip


@pytest.mark.parametrize(("scalar", "passed"), GO_SCALARS.items())
def test_a_plain_scalar_reaches_the_program_as_the_cli_reads_it(
    tmp_path: Path, scalar: str, passed: str
) -> None:
    body = f"config:\n  portfolio:pullKeyRotation: {scalar}\n"
    value = yaml12.load(write(tmp_path, "Pulumi.t.yaml", body))["config"]
    assert to_config_string(value["portfolio:pullKeyRotation"]) == passed


def test_a_plain_equals_sign_is_its_text(tmp_path: Path) -> None:
    # YAML 1.1's "value" tag; yaml.v3 has no such tag and reads the string.
    config, problems = stack(tmp_path, "config:\n  portfolio:pullKeyRotation: =\n")
    assert problems == []
    assert config.config["portfolio:pullKeyRotation"] == "="


@pytest.mark.parametrize(
    ("literal", "received"),
    [("2", "2"), ("2.0", "2"), ("0x10", "16"), ("0o17", "15"), ("+3", "3")],
)
def test_numbers_reach_the_program_as_go_writes_them(
    tmp_path: Path, literal: str, received: str
) -> None:
    config, problems = stack(tmp_path, f"config:\n  portfolio:replicas: {literal}\n")
    assert problems == []
    assert config.config["portfolio:replicas"] == received


def test_lists_and_maps_reach_the_program_as_compact_sorted_json(
    tmp_path: Path,
) -> None:
    body = "config:\n  portfolio:environmentLabels: [b=<1>, a=&]\n"
    config, _ = stack(tmp_path, body)
    expected = '["b=\\u003c1\\u003e","a=\\u0026"]'
    assert config.config["portfolio:environmentLabels"] == expected


@pytest.mark.parametrize(
    "body",
    [
        "config:\n  portfolio:redirectHosts:\n    - a?b\n",  # block: one scalar
        "config:\n  portfolio:redirectHosts: ['a?b', ':c']\n",  # quoted
        "config:\n  portfolio:redirectHosts: [a:b]\n",  # `:` not before a blank
    ],
)
def test_a_question_mark_outside_a_flow_collection_is_text(
    tmp_path: Path, body: str
) -> None:
    assert yaml12.load(write(tmp_path, "Pulumi.t.yaml", body)) is not None


@pytest.mark.parametrize("value", ["[a?b]", "{k: a?b}", "[ :c]", "[x, y?]"])
def test_what_yaml_v3_splits_in_a_flow_collection_is_refused(
    tmp_path: Path, value: str
) -> None:
    body = f"config:\n  portfolio:redirectHosts: {value}\n"
    assert file_error(tmp_path, body) == (
        "Pulumi.t.yaml: invalid YAML: line 2: an unquoted ? or leading : inside "
        "[ ] or { }: quote it"
    )


def test_a_null_value_is_the_empty_string(tmp_path: Path) -> None:
    config, _ = stack(tmp_path, "config:\n  portfolio:nodeEnv:\n")
    assert config.config["portfolio:nodeEnv"] == ""


def test_a_duplicate_key_is_an_error_with_its_line(tmp_path: Path) -> None:
    line = file_error(
        tmp_path, "config:\n  portfolio:replicas: 1\n  portfolio:replicas: 2\n"
    )
    assert line == (
        'Pulumi.t.yaml: invalid YAML: line 3: key "portfolio:replicas" '
        "is given twice in one mapping"
    )


def test_the_same_key_spelt_two_ways_is_an_error(tmp_path: Path) -> None:
    key, problem = only_problem(
        tmp_path, "config:\n  replicas: 1\n  portfolio:config:replicas: 2\n"
    )
    assert key == "portfolio:replicas"
    assert problem.startswith("is given twice")


def test_the_old_namespace_config_name_spelling_is_read(tmp_path: Path) -> None:
    config, problems = stack(tmp_path, "config:\n  portfolio:config:replicas: 2\n")
    assert problems == []
    assert config.config["portfolio:replicas"] == "2"


def test_anchors_and_aliases_are_refused_unexpanded(tmp_path: Path) -> None:
    # Nine levels of ten aliases: 10**9 nodes, were they expanded.
    lines = ["config:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"  a{level}: &a{level} [{refs}]")
    line = file_error(tmp_path, "\n".join(lines) + "\n")
    assert line.startswith("Pulumi.t.yaml: invalid YAML: line 2: an anchor or alias")


def test_one_anchor_unused_is_refused_too(tmp_path: Path) -> None:
    body = "config:\n  portfolio:nodeEnv: ok\n  portfolio:host: &h a.example.com\n"
    line = file_error(tmp_path, body)
    assert line == (
        "Pulumi.t.yaml: invalid YAML: line 3: an anchor or alias (&name, *name): "
        "write the value out in full"
    )


def test_an_undefined_alias_is_refused_without_its_name(tmp_path: Path) -> None:
    # Its name could be a ciphertext pasted after a `*`.
    body = "config:\n  portfolio:nextauthSecret:\n    secure: *v1:FAKE-CIPHERTEXT==\n"
    line = file_error(tmp_path, body)
    assert "FAKE-CIPHERTEXT" not in line
    assert line.endswith(
        "line 3: an anchor or alias (&name, *name): write the value out in full"
    )


def test_problems_are_found_in_the_files_order(tmp_path: Path) -> None:
    body = "config:\n  portfolio:host: &h a.hugecat.net\n  1: x\n"
    assert "line 2: an anchor or alias" in file_error(tmp_path, body)
    body = "config:\n  1: x\n  portfolio:host: &h a.hugecat.net\n"
    assert "line 2: a mapping key that is not text" in file_error(tmp_path, body)


def test_a_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    line = file_error(tmp_path, b"config:\n  portfolio:nodeEnv: caf\xe9\n")
    assert line == "Pulumi.t.yaml: is not UTF-8 text (line 2, byte 32)"


# The stack file's shape.


def test_an_environment_block_is_refused_with_a_reason(tmp_path: Path) -> None:
    key, problem = only_problem(tmp_path, "environment:\n  - portfolio/dev\n")
    assert key == "environment"
    assert "Pulumi ESC" in problem


def test_top_level_keys_are_the_clis(tmp_path: Path) -> None:
    body = "secretsprovider: passphrase\nencryptionsalt: v1:abc\nconfigs: {}\n"
    key, problem = only_problem(tmp_path, body)
    assert key == "configs"
    assert problem.startswith("is not a stack file key")


@pytest.mark.parametrize("key", ["a:b:c", ":x", "portfolio:"])
def test_malformed_config_keys_are_named(tmp_path: Path, key: str) -> None:
    found, problem = only_problem(tmp_path, f"config:\n  '{key}': 1\n")
    assert found == key
    assert problem.startswith("is not a configuration key")


def test_a_secure_value_must_be_a_ciphertext_string(tmp_path: Path) -> None:
    key, problem = only_problem(
        tmp_path, "config:\n  portfolio:databaseUrl:\n    secure: 123\n"
    )
    assert (key, problem) == (
        "portfolio:databaseUrl",
        "secure: must be a ciphertext string",
    )
