"""Stack and project files read as the Pulumi CLI reads them (YAML 1.2, its rules).

What the program receives must be what ``pulumi up`` would give it: a
difference here means a stack that renders one way offline and deploys
another way for real.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from render import cli
from render.stackfile import (
    Project,
    StackConfig,
    StackFileError,
    load_project,
    read_stack,
)
from tests.conftest import ROOT, project

PROJECT_HEAD = "name: portfolio\nruntime: python\n"


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


def test_an_unquoted_date_is_its_text(tmp_path: Path) -> None:
    config, problems = stack(
        tmp_path, "config:\n  portfolio:pullKeyRotation: 2026-12-01\n"
    )
    assert problems == []
    assert config.config["portfolio:pullKeyRotation"] == "2026-12-01"


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


def test_alias_expansion_is_bounded(tmp_path: Path) -> None:
    lines = ["config:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"  a{level}: &a{level} [{refs}]")
    line = file_error(tmp_path, "\n".join(lines) + "\n")
    assert line == "Pulumi.t.yaml: invalid YAML: document contains excessive aliasing"


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    body = (
        "config:\n  portfolio:namespaceAnnotations: &labels [a=b]\n"
        "  portfolio:environmentLabels: *labels\n"
    )
    config, problems = stack(tmp_path, body)
    assert problems == []
    assert config.config["portfolio:environmentLabels"] == '["a=b"]'


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


# Pulumi.yaml's config block, in every form the CLI accepts.


def load(tmp_path: Path, config_block: str) -> Project:
    return load_project(write(tmp_path, "Pulumi.yaml", PROJECT_HEAD + config_block))


def project_error(tmp_path: Path, config_block: str) -> str:
    with pytest.raises(StackFileError) as error:
        load(tmp_path, config_block)
    (line,) = error.value.problems
    return line


def test_every_config_form_of_pulumi_yaml(tmp_path: Path) -> None:
    proj = load(
        tmp_path,
        "config:\n"
        "  gcp:region:\n    value: us-central1\n"  # another namespace: value
        "  gcp:project: kame-457417\n"  # shorthand for value
        "  replicas: 2\n"  # shorthand for a default
        "  portfolio:nodeEnv:\n    type: string\n    default: production\n"
        "  zoneSpread:\n    type: boolean\n    value: true\n"  # a project value
        "  labels:\n    type: object\n    default: {b: 1, a: x}\n"
        "  ports:\n    type: array\n    items:\n      type: integer\n"
        "    default: [80]\n",
    )
    config, problems = stack(tmp_path, "config:\n  gcp:project: other\n", proj)
    assert problems == []
    assert config.config == {
        "gcp:region": "us-central1",
        "gcp:project": "other",  # the stack file wins
        "portfolio:replicas": "2",
        "portfolio:nodeEnv": "production",
        "portfolio:zoneSpread": "true",
        "portfolio:labels": '{"a":"x","b":1}',
        "portfolio:ports": "[80]",
    }


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        ("  gcp:region:\n    type: string\n", "should not define a type"),
        ("  gcp:region:\n    default: x\n", "should not define a default value"),
        ("  gcp:region:\n    description: x\n", "must provide an attribute 'value'"),
        ("  a:\n    type: array\n", "does not specify the underlying type"),
        ("  a:\n    type: map\n", "type must be one of"),
        ("  a:\n    type: integer\n    default: two\n", "not of the expected type"),
        ("  a:\n    default: 1\n    value: 2\n", "both a 'default' and 'value'"),
        ("  a:\n    type: string\n    secret: true\n    default: x\n", "a secret"),
        ("  a:\n    typo: string\n", "unknown attribute 'typo'"),
    ],
)
def test_pulumi_yaml_declarations_the_cli_refuses(
    tmp_path: Path, block: str, problem: str
) -> None:
    line = project_error(tmp_path, "config:\n" + block)
    assert line.startswith("Pulumi.yaml: config: ")
    assert problem in line


def test_the_committed_project_declares_every_key_it_defaults() -> None:
    proj = project()
    assert proj.name == "portfolio"
    assert all(d.type is not None for d in proj.declarations.values())


@pytest.mark.parametrize(
    ("head", "problem"),
    [
        ("name: other\nruntime: python\n", "name: must be 'portfolio'"),
        ("name: 'a b'\nruntime: python\n", "name: a project needs a name"),
        ("runtime: python\n", "name: a project needs a name"),
        ("name: portfolio\nruntime: nodejs\n", "runtime: must be python"),
        ("name: portfolio\n", "runtime: must be python"),
        ("name: portfolio\nruntime: {name: go}\n", "runtime: must be python"),
        ("name: portfolio\nruntime: python\nmain: src/\n", "main: the program"),
        (
            "name: portfolio\nruntime: {name: python, options: {toolchain: conda}}\n",
            "runtime: options: toolchain: must be one of",
        ),
        (
            "name: portfolio\nruntime: {name: python, options: {venv: .venv}}\n",
            "runtime: options: 'venv' is not an option",
        ),
        (
            "name: portfolio\nruntime: python\nstackConfigDir: stacks\n",
            "stackConfigDir: the program",
        ),
    ],
)
def test_a_pulumi_yaml_that_is_not_this_project_is_one_line_of_its_own(
    tmp_path: Path, head: str, problem: str
) -> None:
    with pytest.raises(StackFileError) as error:
        load_project(write(tmp_path, "Pulumi.yaml", head))
    (line,) = error.value.problems
    assert line.startswith(f"Pulumi.yaml: {problem}"), line


def test_a_bad_default_is_blamed_on_pulumi_yaml_not_the_stack_file(
    tmp_path: Path,
) -> None:
    text = (ROOT / "Pulumi.yaml").read_text()
    declared = "  replicas:\n    type: integer\n    default: 1\n"
    assert declared in text
    bad = text.replace(declared, declared.replace("default: 1", "default: -1"))
    proj = load_project(write(tmp_path, "Pulumi.yaml", bad))
    with pytest.raises(StackFileError) as error:
        cli.check_stack(proj, ROOT / "Pulumi.dev.yaml")
    (line,) = error.value.problems
    assert line.startswith("Pulumi.yaml: portfolio:replicas: "), line
    assert line.endswith("(its default; Pulumi.dev.yaml does not set it)")
