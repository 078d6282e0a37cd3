"""The arguments of ``python -m render`` and ``check``, and their mistakes.

A usage mistake is one ``error:`` line, as every other problem is (argparse
would print its usage first), with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn


class UsageError(Exception):
    """A mistake in the command's words; one line, exit status 2."""


class HelpOutputError(Exception):
    """``--help`` could not be written to stdout; one line, exit status 1."""

    status = 1

    def __init__(self, problem: str) -> None:
        self.problems = [problem]
        super().__init__(problem)


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake as one ``error:`` line like any other."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")

    def print_help(self, file: object = None) -> None:
        """The help on stdout, or one line saying why it cannot be (not stderr)."""
        del file
        if sys.stdout is None:  # started with stdout closed (>&-)
            raise HelpOutputError("standard output is closed: the help is not shown")
        try:
            sys.stdout.write(self.format_help())
            sys.stdout.flush()
        except OSError as error:  # /dev/full, or opened read-only
            raise HelpOutputError(f"standard output: {error.strerror}") from None


def _folder(text: str) -> Path:
    """An ``-o`` folder: not empty text, which would mean the current folder."""
    if not text:
        raise argparse.ArgumentTypeError("an empty name is no folder")
    return Path(text)


def _parser(prog: str, description: str, project_dir: Path) -> argparse.ArgumentParser:
    """A verb's parser, with the stack arguments every verb takes."""
    parser = _Parser(prog=prog, description=description)
    parser.add_argument(
        "stack", nargs="?", help="stack name (dev) or path to a Pulumi.<name>.yaml"
    )
    parser.add_argument("--all", action="store_true", help="every Pulumi.<stack>.yaml")
    parser.add_argument(
        "--stack-config-dir",
        type=Path,
        default=project_dir,
        help="where --all and stack names look for stack files (default: the project)",
    )
    return parser


def render_parser(project_dir: Path) -> argparse.ArgumentParser:
    """``python -m render``'s arguments."""
    parser = _parser(
        "python -m render",
        "Run the program under Pulumi mocks; print what a stack deploys. "
        "Also: `python -m render check STACK|--all` validates without writing.",
        project_dir,
    )
    parser.add_argument(
        "-o",
        "--output",
        type=_folder,
        help="write kubernetes.yaml and resources.yaml here (--all: DIR/<stack>/)",
    )
    return parser


def check_parser(project_dir: Path) -> argparse.ArgumentParser:
    """``python -m render check``'s arguments."""
    return _parser(
        "python -m render check",
        "Check stacks as `render` does, program run included; write nothing.",
        project_dir,
    )
