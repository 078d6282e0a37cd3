"""Files and streams a user or an attacker can hand ``python -m render``.

Each is refused in one escaped line, with a non-zero exit, no traceback and
nothing written; a file that is not a regular file is never opened.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from render import cli, yaml12
from tests.conftest import ROOT, python_m_render


def refused(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The error lines of a refused run, checked for the rules every one keeps."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines, "no error line"
    for line in lines:
        assert line.startswith("error: "), line
        assert "\x1b" not in line and "\r" not in line
    return lines


def in_process(
    capsys: pytest.CaptureFixture[str], *args: str
) -> subprocess.CompletedProcess[str]:
    """``python -m render ARGS`` as ``cli.main`` in this process, output captured."""
    status = cli.main(list(args))
    printed = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), status, printed.out, printed.err)


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "Pulumi.fifo.yaml"
    os.mkfifo(fifo)
    # Opening a FIFO with no writer blocks: a hang here means it was opened.
    result = python_m_render(str(fifo), "-o", str(tmp_path / "out"))
    assert refused(result) == [
        "error: Pulumi.fifo.yaml: is not a regular file; it is not read"
    ]
    assert not (tmp_path / "out").exists()


def test_a_device_is_refused_without_being_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    device = tmp_path / "Pulumi.zero.yaml"
    device.symlink_to("/dev/zero")  # endless: reading it would never finish
    assert refused(in_process(capsys, str(device))) == [
        "error: Pulumi.zero.yaml: is not a regular file; it is not read"
    ]


def test_a_stack_file_over_1_mib_is_refused_before_it_is_parsed(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "Pulumi.huge.yaml"
    path.write_text("config:\n" + "#" * (1 << 20))
    (line,) = refused(in_process(capsys, str(path)))
    size = path.stat().st_size
    assert line == f"error: Pulumi.huge.yaml: is {size} bytes; at most 1 MiB is read"


def test_a_number_of_5000_digits_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Pulumi.big.yaml"
    path.write_text(f"config:\n  portfolio:replicas: {'9' * 5000}\n")
    assert refused(in_process(capsys, str(path))) == [
        "error: Pulumi.big.yaml: invalid YAML: a number too long to be a config value"
    ]


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("portfolio:a\nerror: forged", "portfolio:a\\nerror: forged"),
        ("portfolio:\x1b[31mred", "portfolio:\\x1b[31mred"),
        ("portfolio:x\u202edlrow", "portfolio:x\\u202edlrow"),
    ],
)
def test_a_key_with_control_characters_is_shown_escaped_in_its_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, shown: str
) -> None:
    document = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    document["config"][key] = "1"
    path = tmp_path / "Pulumi.bad.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    lines = refused(in_process(capsys, str(path)))
    assert [line for line in lines if shown in line], lines
    assert not any(line.startswith("error: forged") for line in lines)


def test_a_long_line_is_cut_and_says_how_long_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    document["config"]["portfolio:" + "k" * 5000] = "1"
    path = tmp_path / "Pulumi.bad.yaml"
    path.write_text(yaml.safe_dump(document, width=10_000))
    (line,) = [line for line in refused(in_process(capsys, str(path))) if "kkk" in line]
    assert len(line) < 1100
    assert line.endswith(" characters)")


def test_an_output_name_too_long_is_one_line_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / ("x" * 300)
    (line,) = refused(in_process(capsys, "dev", "-o", str(out)))
    assert line.endswith("File name too long")
    assert list(tmp_path.iterdir()) == []


def test_a_bug_is_one_line_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_: list[str]) -> None:
        raise RuntimeError("first\nsecond")

    monkeypatch.setattr(cli, "_render", broken)
    assert cli.main(["dev"]) == 1
    assert capsys.readouterr().err == (
        "error: internal error, please report it: RuntimeError: first\n"
    )


@pytest.mark.parametrize(
    ("directives", "problem"),
    [
        ("%YAML 1.2", "found incompatible YAML document"),
        ("%YAML 1.3", "found incompatible YAML document"),
        ("%YAML", "found incompatible YAML document"),
        ("%YAML 1.1\n%YAML 1.1", "found duplicate %YAML directive"),
        ("%FOO", "found unknown directive name"),
    ],
)
def test_a_directive_the_cli_refuses_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], directives: str, problem: str
) -> None:
    # yaml.v3 (parserc.go) takes only %YAML 1.1, and %TAG.
    text = (ROOT / "Pulumi.dev.yaml").read_text()
    path = tmp_path / "Pulumi.y.yaml"
    path.write_text(f"{directives}\n---\n" + text)
    assert cli.main(["check", str(path)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: Pulumi.y.yaml: invalid YAML: {problem}")


@pytest.mark.parametrize("start", ["", "\ufeff"])
def test_yaml_1_1_is_read_with_the_clis_own_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], start: str
) -> None:
    # yaml.v3 reads `yes` as a string whatever the directive says, and a BOM
    # before it changes nothing; ruamel.yaml alone would read true.
    text = (ROOT / "Pulumi.dev.yaml").read_text()
    path = tmp_path / "Pulumi.y.yaml"
    path.write_text(f"{start}%YAML 1.1\n%TAG !e! tag:e.com,2000:\n---\n" + text)
    assert cli.main(["check", str(path)]) == 0
    path.write_text(
        f"{start}%YAML 1.1\n---\n"
        + text.replace("config:\n", "config:\n  portfolio:zoneSpread: yes\n", 1)
    )
    assert cli.main(["check", str(path)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "portfolio:zoneSpread: must be of type boolean, got 'yes'" in line


def test_a_reused_anchor_is_refused_and_prints_nothing_else(
    tmp_path: Path,
) -> None:
    # ruamel.yaml warns of it, quoting the file (a ciphertext too), on stderr
    # of a real process (pytest would capture the warning); yaml.v3 is silent.
    text = (ROOT / "Pulumi.dev.yaml").read_text()
    path = tmp_path / "Pulumi.y.yaml"
    anchors = "  portfolio:pullKeyRotation: &a one\n"
    anchors += "  portfolio:nextauthSecretRotation: &a two\n"
    anchors += "  portfolio:sqlTier: *a\n"
    path.write_text(text.replace("config:\n", f"config:\n{anchors}", 1))
    result = python_m_render("check", str(path))
    (line,) = refused(result)  # no warning around it
    assert line.startswith("error: Pulumi.y.yaml: invalid YAML: line ")
    assert line.endswith(
        ": an anchor or alias (&name, *name): write the value out in full"
    )


def test_with_stderr_closed_no_problem_goes_to_stdout(tmp_path: Path) -> None:
    # print(file=sys.stderr) would write to stdout, which may be a manifest pipe.
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  portfolio:replicas: x\n")
    render = [sys.executable, "-m", "render", "dev"]
    render += ["--stack-config-dir", str(tmp_path)]
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" 2>&-', "sh", *render],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("|\n    x\n    \ty\n", "x\n\ty\n"),  # a tab after the indentation
        ("|2\n    \tx\n", "\tx\n"),  # the indicator says where it is
        ("'017'", "017"),
    ],
)
def test_what_yaml_v3_reads_is_read(tmp_path: Path, value: str, read: str) -> None:
    path = tmp_path / "Pulumi.y.yaml"
    path.write_text(f"config:\n  portfolio:nodeEnv: {value}")
    assert yaml12.load(path)["config"]["portfolio:nodeEnv"] == read


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("|\n    \tx\n", "a tab in a block scalar's indentation"),
        ('! "017"', "the tag ! on a quoted or block scalar"),
        ("2024-01-01 release", "an unquoted text that starts like a date"),
    ],
)
def test_what_yaml_v3_reads_otherwise_is_refused(
    tmp_path: Path, value: str, problem: str
) -> None:
    path = tmp_path / "Pulumi.y.yaml"
    path.write_text(f"config:\n  portfolio:nodeEnv: {value}\n")
    with pytest.raises(yaml12.YamlError, match=problem):
        yaml12.load(path)
