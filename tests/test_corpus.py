"""A corpus of malformed and hostile stack files, each refused the same way.

Every case is a stack file (or a set of them) that must not render. Each must
end with a non-zero exit and no traceback, print only ``error:`` lines with no
control character, each naming the file and, where the case is about one key,
that key; show no secret value and no ciphertext; and write nothing. The cases
are built from the committed dev stack and from ``Pulumi.yaml``'s declarations,
so they follow the keys the project declares.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from portfolio.settings.model import secret_keys
from render import cli
from tests.conftest import ROOT, project

DEV = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]
# Obviously fake secret material: none of it may ever be printed.
FAKE_SECRET = "FAKE-secret-value-not-real-0123456789"
FAKE_CIPHERTEXT = "v1:" + base64.b64encode(b"n" * 12).decode() + ":"
FAKE_CIPHERTEXT += base64.b64encode(b"FAKE-sealed-bytes-" * 2).decode()


@dataclass(frozen=True)
class Case:
    """One refused input: a stack file's text, and what its one line must name."""

    id: str
    text: str | bytes
    key: str | None
    hidden: tuple[str, ...] = field(default=())


def dumped(config: dict[str, Any], **top: Any) -> str:
    return yaml.safe_dump({"config": config, **top}, sort_keys=False, width=1 << 20)


def changed(key: str, value: Any) -> str:
    """The dev stack with ``key`` set to ``value`` (None removes it)."""
    config = dict(DEV)
    if value is None:
        config.pop(key, None)
    else:
        config[key] = value
    return dumped(config)


def declared(kind: str) -> list[str]:
    return sorted(
        f"portfolio:{key}"
        for key, declaration in project().declarations.items()
        if declaration.type == kind and not declaration.secret
    )


SECRET_KEYS = {f"portfolio:{key}" for key in secret_keys()} | {"kubernetes:kubeconfig"}
BAD_INTEGERS = [
    "1\n", " 1", "+1", "1.0", "0x10", "-1", "", "one",
    str(2**31), "9" * 5000, ["1"], {"a": 1}, True,
]  # fmt: skip
BAD_BOOLEANS = ["yes", "1", "True ", "", ["true"], {"a": True}, 0]
BAD_LISTS = ["a=b", {"a": "b"}, 1, [["nested"]], [{"a": "b"}]]
BAD_STRINGS = [["a"], {"a": "b"}, "x" * 5000, "a\nb", "\x1b[31mred"]
# Nine levels of nine aliases each: 9**9 nodes once expanded.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{child}: &{child} [{', '.join(['*' + parent] * 9)}]\n"
    for parent, child in zip("abcdefgh", "bcdefghi", strict=True)
)
ALIAS_BOMB += "config: {portfolio:x: *i}\n"
BAD_YAML: dict[str, str | bytes] = {
    "tab-indent": "config:\n\tportfolio:replicas: 1\n",
    "unclosed-quote": 'config:\n  portfolio:host: "open\n',
    "two-documents": "config: {}\n---\nconfig: {}\n",
    "top-level-list": "- config\n",
    "top-level-scalar": "just text\n",
    "config-is-a-list": "config:\n  - portfolio:replicas\n",
    "config-is-text": "config: portfolio:replicas=1\n",
    "not-utf8": b"config:\n  portfolio:host: \xff\xfe\n",
    "duplicate-key": "config:\n  portfolio:replicas: 1\n  portfolio:replicas: 2\n",
    "deep-nesting": "config:\n  portfolio:x: " + "[" * 5000 + "]" * 5000 + "\n",
    "alias-bomb": ALIAS_BOMB,
    "yaml-1.1-directive": "%YAML 1.1\n---\nconfig:\n  portfolio:zoneSpread: yes\n",
    "yaml-1.2-directive": "%YAML 1.2\n---\nconfig: {}\n",
    "bom-yaml-1.2": "\ufeff%YAML 1.2\n---\nconfig: {}\n",
    "unknown-directive": "%FOO bar\n---\nconfig: {}\n",
    "unquoted-date": "config:\n  portfolio:pullKeyRotation: 2026-12-01\n",
    "unquoted-time": "config:\n  portfolio:host: 2026-12-01T10:00:00Z\n",
    # What yaml.v3 refuses or reads otherwise (render/yaml_nodes.py).
    "config-is-an-empty-list": "config: []\n",
    "config-is-zero": "config: 0\n",
    "config-is-false": "config: false\n",
    "config-is-empty-text": "config: ''\n",
    "tagged-bool": "config:\n  portfolio:pinImageDigest: !!bool on\n",
    "tagged-float": "config:\n  portfolio:sqlDiskSize: !!float 017\n",
    "tagged-null": "config:\n  portfolio:restartedAt: !!null x\n",
    "omap": "config:\n  portfolio:redirectHosts: !!omap [a: 1]\n",
    "custom-tag": "config:\n  portfolio:nodeEnv: !secret x\n",
    "merge-key": "config:\n  <<: {portfolio:replicas: 2}\n",
    "quoted-merge-key": "config:\n  '<<': {portfolio:replicas: 2}\n",
    "number-key": "config:\n  portfolio:namespaceAnnotations: {1: a}\n",
    "next-line": "config:\n  portfolio:pullKeyRotation: a\x85b\n",
    "line-separator": "config:\n  portfolio:pullKeyRotation: a\u2028b\n",
    "slash-escape": 'config:\n  portfolio:pullKeyRotation: "a\\/b"\n',
    "lone-surrogate": 'config:\n  portfolio:pullKeyRotation: "\\ud800"\n',
    "tab-in-block-indent": "config:\n  portfolio:nodeEnv: |\n    \tx\n",
    # yaml.v3 ends a plain scalar in [ ] or { } at `?`: the CLI cannot parse these.
    "flow-question-mark": "config:\n  portfolio:namespaceAnnotations: [a=https://x/?id=1]\n",
    "flow-map-question-mark": "config: {portfolio:pullKeyRotation: 2026?x}\n",
    "flow-leading-colon": "config:\n  portfolio:redirectHosts: [ :a]\n",
    "unknown-top-level": "config: {}\nconfg: {}\n",
    "esc-environment": "environment: [prod-env]\nconfig: {}\n",
}  # fmt: skip
BAD_KEYS = [
    "", ":", "portfolio:", ":replicas", "a:b:c:d", "portfolo:replicas",
    "portfolio:replica", "portfolio:a\nerror: forged", "portfolio:\x1b[2J",
    "portfolio:" + "k" * 3000, "kubernetes:contxt", "gcp:regoin",
]  # fmt: skip

# Well-formed values the API would refuse, or change without a word.
API_LIMITS = [
    ("portfolio:cpuLimit", "8Ei"), ("portfolio:memoryLimit", "1e19"),
    ("portfolio:cpuRequest", "0.5n"), ("portfolio:sqlTier", "db-n1-standard-1"),
    ("portfolio:sqlTier", "db-custom-3-7680"),
    ("portfolio:sqlTier", "db-custom-2-20480"),
]  # fmt: skip


def value_cases() -> Iterator[Case]:
    """Each declared key of a type, with each value of that type's bad ones."""
    bad: dict[str, list[Any]] = {
        "integer": BAD_INTEGERS,
        "boolean": BAD_BOOLEANS,
        "array": BAD_LISTS,
    }
    for kind, values in bad.items():
        for key in declared(kind):
            for index, value in enumerate(values):
                yield Case(f"{key}-{kind}-{index}", changed(key, value), key)
    for key in declared("string"):
        if key in SECRET_KEYS:
            continue
        for index, value in enumerate(BAD_STRINGS):
            yield Case(f"{key}-string-{index}", changed(key, value), key)
    for index, (key, value) in enumerate(API_LIMITS):
        yield Case(f"{key}-api-limit-{index}", changed(key, value), key)


def cases() -> Iterator[Case]:
    yield from value_cases()
    for name, text in BAD_YAML.items():
        yield Case(f"yaml-{name}", text, None)
    for index, key in enumerate(BAD_KEYS):
        yield Case(f"key-{index}", changed(key, "1"), None)
    yield from secret_cases()


def secret_cases() -> Iterator[Case]:
    hidden = (FAKE_SECRET, FAKE_CIPHERTEXT)
    secure = {"secure": FAKE_CIPHERTEXT}
    # A secure value on a key that holds no secret.
    plain = [key for key in declared("string") if key not in SECRET_KEYS]
    for key in ["gcp:project", "kubernetes:context", "pulumi:tags", *plain]:
        yield Case(f"{key}-secure", changed(key, secure), key, hidden)
    # A secret inside a list or map (`pulumi config set --secret --path`).
    for key, value in [("pulumi:tags", {"a": secure}), ("gcp:zone", [secure])]:
        yield Case(f"{key}-nested-secure", changed(key, value), key, hidden)
    # A ciphertext (a service's: plain base64) that is also a valid quantity,
    # which the limit-above-request rule would quote in cpuRequest's message.
    digits = "0" * 40
    yield Case(
        "cpuLimit-secure-quantity",
        changed("portfolio:cpuLimit", {"secure": digits}),
        "portfolio:cpuLimit",
        (digits,),
    )
    for key in sorted(SECRET_KEYS):
        # A secret key in plain text, or with a ciphertext that is not one.
        yield Case(f"{key}-plain", changed(key, FAKE_SECRET), key, hidden)
        for index, bad in enumerate(
            ["v1:short", FAKE_SECRET, "", 12, ["x"], {"secure": "x"}]
        ):
            yield Case(
                f"{key}-ciphertext-{index}", changed(key, {"secure": bad}), key, hidden
            )
        yield Case(
            f"{key}-secure-extra", changed(key, {**secure, "extra": 1}), key, hidden
        )
    # A ciphertext pasted as a key's name is masked as a value is.
    for key in (f"portfolio:{FAKE_CIPHERTEXT}", f"gcp:{FAKE_CIPHERTEXT[3:19]}"):
        config = {**DEV, "portfolio:databasePassword": secure, key: "x"}
        yield Case(f"ciphertext-in-a-key-{len(key)}", dumped(config), None, hidden)
    # A ciphertext pasted as a plain value, on any key: never echoed.
    for key in ("portfolio:nodeEnv", "kubernetes:context", "portfolio:nextauthSecret"):
        yield Case(
            f"{key}-plain-ciphertext", changed(key, FAKE_CIPHERTEXT), key, hidden
        )
    # Nor inside a list, or as a key's name with no secure value in the file.
    yield Case(
        "redirectHosts-item-ciphertext",
        changed("portfolio:redirectHosts", [FAKE_CIPHERTEXT]),
        "portfolio:redirectHosts",
        hidden,
    )
    yield Case("ciphertext-as-a-key", changed(FAKE_CIPHERTEXT, "x"), None, hidden)
    # A value that is not a number, on a secret-shaped key, must not be echoed.
    yield Case(
        "replicas-secure",
        changed("portfolio:replicas", secure),
        "portfolio:replicas",
        hidden,
    )


CASES = list(cases())


def test_the_corpus_has_at_least_200_cases() -> None:
    assert len(CASES) >= 200


@pytest.mark.parametrize(
    "case", CASES, ids=[c.id.encode("unicode_escape").decode()[:80] for c in CASES]
)
def test_a_malformed_stack_file_is_refused_in_escaped_lines_naming_it(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Pulumi.case.yaml"
    path.write_bytes(case.text.encode() if isinstance(case.text, str) else case.text)
    out = tmp_path / "out"
    status = cli.main([str(path), "-o", str(out)])
    printed = capsys.readouterr()
    assert status == 1, printed.err
    assert printed.out == ""
    assert "Traceback" not in printed.err
    lines = printed.err.splitlines()
    assert lines
    for line in lines:
        assert line.startswith("error: Pulumi.case.yaml: "), line
        assert line.isprintable(), line
        assert len(line) < 1100
    if case.key is not None:
        assert any(f": {case.key}:" in line for line in lines), lines
    for hidden in case.hidden:
        assert hidden not in printed.err
    assert not out.exists()
