"""``Pulumi.yaml`` read as the Pulumi CLI reads it: its ``config:`` block in every form.

Every declaration form the CLI accepts gives the program the values ``pulumi
up`` would; each declaration the CLI refuses, and each project file that is not
this project, is one line naming ``Pulumi.yaml``, as is a bad default the
stack file does not override.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from render.stackfile import Project, StackFileError, check_stack, load_project
from tests.conftest import ROOT, project
from tests.test_stackfile import stack, write

PROJECT_HEAD = "name: portfolio\nruntime: python\n"


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
        ("  a:\n    type: string\n    description: [x]\n", "description must be"),
        (
            "  a:\n    type: array\n    items:\n      type: array\n",
            "does not specify the underlying type",
        ),
        ("  a:\n    type: string\n    items: {type: bogus}\n", "items: type must be"),
        ("  a: 1.5\n", "a shorthand value must be"),
        ("  a:\n", "a shorthand value must be"),
        ("  gcp:zone: 1.5\n", "a shorthand value must be"),
        # Go's types, on the default as decoded (project.go, validateConfigValue).
        ("  a:\n    type: string\n    default: 5\n", "not of the expected type"),
        ("  a:\n    type: integer\n    default: '5'\n", "not of the expected type"),
        ("  a:\n    type: integer\n    default: 2.0\n", "not of the expected type"),
        (
            f"  a:\n    type: integer\n    default: {2**63}\n",
            "not of the expected type",
        ),
        ("  a:\n    type: array\n    items: {type: string}\n    default: [1]\n", "not"),
        ("  a:\n    type: ~\n", "type must be one of"),
        ("  a:\n    type: array\n    items: ~\n", "type must be one of"),
        ("  gcp:region:\n    value: ~\n", "must provide an attribute 'value'"),
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
        ("name: portfolio\nruntime: {name: python, x: 1}\n", "runtime: 'x' is not"),
        (
            "name: portfolio\nruntime: {name: python, options: null}\n",
            "runtime: options: must be a mapping",
        ),
        # project.json's types for the other top-level keys
        ("name: portfolio\nruntime: python\nlicense: [MIT]\n", "license: must be a"),
        ("name: portfolio\nruntime: python\nmain: 1\n", "main: must be a string"),
        ("name: portfolio\nruntime: python\nbackend: {url: 1}\n", "backend: url: must"),
        (
            "name: portfolio\nruntime: python\nbackend: {uri: x}\n",
            "backend: uri: is not",
        ),
        (
            "name: portfolio\nruntime: python\noptions: {refresh: no}\n",
            "options: refresh:",
        ),
        (
            "name: portfolio\nruntime: python\nplugins: [a]\n",
            "plugins: must be a mapping",
        ),
        (
            "name: portfolio\nruntime: python\n"
            "plugins: {providers: [{name: a, path: 1}]}\n",
            "plugins: providers: 0: path: must be a string",
        ),
        (
            "name: portfolio\nruntime: python\ntemplate: {important: x}\n",
            "template: important: must be true or false",
        ),
        (
            "name: portfolio\nruntime: python\nplugins: {providers: [{name: a}]}\n",
            "plugins: providers: 0: path: is required",
        ),
        (
            "name: portfolio\nruntime: python\npackages: {a: {version: '1'}}\n",
            "packages: a: source: is required",
        ),
        ("name: portfolio\nruntime: python\npackages: {a: 1}\n", "packages: a: must"),
        (
            "name: portfolio\nruntime: python\n1: x\n",
            "invalid YAML: line 3: a mapping key that is not text",
        ),
        ("name: portfolio\nruntime: python\nconfig: []\n", "config: must be a mapping"),
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
        check_stack(proj, ROOT / "Pulumi.dev.yaml")
    (line,) = error.value.problems
    assert line.startswith("Pulumi.yaml: portfolio:replicas: "), line
    assert line.endswith("(its default; Pulumi.dev.yaml does not set it)")


def test_a_bad_value_of_another_namespace_is_blamed_on_pulumi_yaml(
    tmp_path: Path,
) -> None:
    text = (ROOT / "Pulumi.yaml").read_text()
    bad = text.replace(
        "\nconfig:\n", "\nconfig:\n  gcp:project:\n    value: BAD_ID\n", 1
    )
    proj = load_project(write(tmp_path, "Pulumi.yaml", bad))
    dev = (ROOT / "Pulumi.dev.yaml").read_text().splitlines(keepends=True)
    without = "".join(line for line in dev if "gcp:project:" not in line)
    with pytest.raises(StackFileError) as error:
        check_stack(proj, write(tmp_path, "Pulumi.dev.yaml", without))
    (line,) = error.value.problems
    assert line.startswith("Pulumi.yaml: gcp:project: 'BAD_ID' "), line
    assert line.endswith("(its value; Pulumi.dev.yaml does not set it)")


def test_what_project_json_allows_is_accepted(tmp_path: Path) -> None:
    head = PROJECT_HEAD + (
        "template: {displayName: X, metadata: {a: b}, config: {k: {secret: true}}}\n"
        "plugins: {providers: [{name: a, path: ./a}]}\n"
        "packages: {a: x, b: {source: y, version: '1'}}\n"
        "options: {refresh: always}\nbackend: {url: 'file://~'}\nwebsite: null\n"
    )
    assert load_project(write(tmp_path, "Pulumi.yaml", head)).name == "portfolio"


@pytest.mark.parametrize(
    "block",
    [
        "  kubernetes:context:\n    value: {secure: v1:FAKE}\n",
        "  pulumi:tags:\n    value: {team: {secure: v1:FAKE}}\n",
        "  nodeEnv:\n    default: {secure: v1:FAKE}\n",
        "  gcp:zone: [{secure: v1:FAKE}]\n",
    ],
)
def test_a_secure_value_in_pulumi_yaml_is_refused_and_never_shown(
    tmp_path: Path, block: str
) -> None:
    # The CLI cannot read one either ("invalid character 's' looking for ...").
    line = project_error(tmp_path, "config:\n" + block)
    assert "holds a secure: value; Pulumi.yaml holds no secrets" in line
    assert "v1:FAKE" not in line


@pytest.mark.parametrize(
    "block",
    ["  a:\n    default: !!binary aGVsbG8=\n", "  gcp:zone:\n    value: !!int 017\n"],
)
def test_an_explicit_tag_in_pulumi_yaml_is_refused(tmp_path: Path, block: str) -> None:
    # yaml.v3 checks each tag its own way (`!!int 017` is 15 there).
    line = project_error(tmp_path, "config:\n" + block)
    assert line.startswith("Pulumi.yaml: invalid YAML: line 5: an explicit tag")
