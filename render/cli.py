"""``python -m render``: what a stack deploys, without a cloud account.

``python -m render STACK [-o DIR]`` or ``--all -o DIR`` renders;
``python -m render check STACK|--all`` validates and writes nothing. Every
stack is checked and rendered in memory before anything is written, and then
all-or-nothing (``render.writer``). Every problem is one escaped
``error: <file>: <key>: <problem>`` line on stderr, exit status 1 (2 for a
usage mistake, 130 for Ctrl-C, see ``render/__init__.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import render
from portfolio.settings.parsing import one_line
from render import harness, output, ownership, policies, siblings
from render.stackfile import (
    Project,
    StackConfig,
    StackFileError,
    check_stack,
    load_project,
    settings_of,
    stack_files,
    stack_name,
)
from render.writer import OutputError, write_all

PROJECT_DIR = Path(__file__).resolve().parent.parent
KUBERNETES_FILE = "kubernetes.yaml"
RESOURCES_FILE = "resources.yaml"
_STACK_FILE_NAME = re.compile(r"Pulumi\..+\.yaml")


@dataclass(frozen=True)
class Rendered:
    """One stack's two output files."""

    stack: str
    kubernetes: str
    resources: str


class CommandError(Exception):
    """Problems that end the command, one line each."""

    def __init__(self, problems: list[str], status: int = 1) -> None:
        self.problems = problems
        self.status = status
        super().__init__("\n".join(problems))


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake as one ``error:`` line (no usage first)."""

    def error(self, message: str) -> NoReturn:
        raise CommandError([f"{self.prog}: {message} (see --help)"], status=2)

    def print_help(self, file: object = None) -> None:
        _print(self.format_help(), "the help is not shown")


def _folder(text: str) -> Path:
    if not text:  # it would mean the current folder
        raise argparse.ArgumentTypeError("an empty name is no folder")
    if text == "-":
        raise argparse.ArgumentTypeError("- is no folder: leave -o out to print")
    return Path(text)


_DESCRIPTIONS = {
    "render": "Run the program under Pulumi mocks; print what a stack deploys. "
    "Also: `python -m render check STACK|--all` validates without writing.",
    "check": "Check stacks as `render` does, program run included; write nothing.",
}


def _parser(verb: str) -> argparse.ArgumentParser:
    prog = "python -m render" + (" check" if verb == "check" else "")
    parser = _Parser(prog=prog, description=_DESCRIPTIONS[verb])
    parser.add_argument(
        "stack", nargs="?", help="stack name (dev) or path to a Pulumi.<name>.yaml"
    )
    parser.add_argument("--all", action="store_true", help="every Pulumi.<stack>.yaml")
    parser.add_argument(
        "--stack-config-dir",
        type=Path,
        default=PROJECT_DIR,
        help="where --all and stack names look for stack files (default: the project)",
    )
    if verb != "check":
        parser.add_argument(
            "-o",
            "--output",
            type=_folder,
            help="write kubernetes.yaml and resources.yaml here (--all: DIR/<stack>/)",
        )
    return parser


def render_stack(project: Project, stack: StackConfig) -> Rendered:
    """Run the program for one checked stack; refuse it if it breaks a policy."""
    main = project.path.parent / "__main__.py"
    try:
        registrations = harness.run_program(main, project, stack).registrations
    except Exception as error:
        summary = str(error).splitlines()[0] if str(error) else ""
        problem = f"the program failed: {type(error).__name__}: {summary}"
        raise CommandError([f"{stack.path.name}: {problem}"]) from None
    broken = policies.problems(registrations)
    if broken:
        raise CommandError([f"{stack.path.name}: {line}" for line in broken])
    return Rendered(
        stack=stack.stack,
        kubernetes=output.kubernetes_yaml(registrations),
        resources=output.resources_yaml(registrations),
    )


def stack_paths(args: argparse.Namespace) -> list[Path]:
    """The stack files ``args`` names: one STACK or ``--all`` of a folder."""
    if args.all:
        paths = stack_files(args.stack_config_dir)
        if not paths:
            problem = f"{args.stack_config_dir}: no Pulumi.<stack>.yaml files"
            raise CommandError([problem])
        return paths
    candidate = Path(args.stack)
    if candidate.suffix == ".yaml" or "/" in args.stack:
        if not _STACK_FILE_NAME.fullmatch(candidate.name):
            problem = "a stack file is named Pulumi.<stack>.yaml, its stack's name"
            raise CommandError([f"{candidate}: {problem}"])
        return [candidate]
    return [args.stack_config_dir / f"Pulumi.{args.stack}.yaml"]


def _checked(args: argparse.Namespace) -> tuple[Project, list[StackConfig]]:
    """Every requested stack checked, alone and together; all problems at once."""
    paths = stack_paths(args)
    try:
        project = load_project(PROJECT_DIR / "Pulumi.yaml")
    except StackFileError as error:
        raise CommandError(error.problems) from None
    problems: list[str] = []
    stacks: list[StackConfig] = []
    for path in paths:
        try:
            stacks.append(check_stack(project, path))
        except StackFileError as error:
            problems.extend(error.problems)
    if not problems:
        checked = {stack.path.name: settings_of(stack) for stack in stacks}
        if args.all:
            problems = ownership.problems(checked)
        else:  # a consumer's file must be beside the stack, for its reference
            names = {stack_name(p) for p in stack_files(stacks[0].path.parent)}
            problems = ownership.unknown_consumers(checked, names)
            problems += siblings.consumer_problems(
                project, stacks[0], *checked.values()
            )
    if problems:
        raise CommandError(problems)
    return project, stacks


@contextlib.contextmanager
def _exit_on_interrupt() -> Iterator[None]:
    """Ctrl-C in an in-process caller's program run: render's one line and 130.

    A KeyboardInterrupt raised in the SDK's asyncio tasks stays there and the
    loop waits forever; ``python -m render`` has the handler already.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    previous = signal.signal(signal.SIGINT, render.interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _render_all(args: argparse.Namespace) -> list[Rendered]:
    """Check every requested stack, then render them; all problems at once."""
    project, stacks = _checked(args)
    rendered: list[Rendered] = []
    problems: list[str] = []
    with _exit_on_interrupt():
        for stack in stacks:
            try:
                rendered.append(render_stack(project, stack))
            except CommandError as error:
                problems.extend(error.problems)
    if problems:
        raise CommandError(problems)
    return rendered


def _print(text: str, unshown: str = "give -o DIR") -> None:
    """``text`` on stdout, or one line saying why it cannot be."""
    if sys.stdout is None:  # started with stdout closed (>&-)
        raise CommandError([f"standard output is closed: {unshown}"])
    render.finishing()
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # a reader that stopped early (| head): __main__ ends quietly
    except OSError as error:  # /dev/full, a device that fails
        raise CommandError([f"standard output: {error.strerror}"]) from None


def _stack_args(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    args = parser.parse_args(argv)
    if args.all == bool(args.stack):
        parser.error("give one STACK or --all")
    return args


def _render(argv: list[str]) -> None:
    parser = _parser("render")
    args = _stack_args(parser, argv)
    if args.all and args.output is None:
        parser.error("--all writes one folder per stack: give -o DIR")
    rendered = _render_all(args)
    if args.output is None:
        _print(rendered[0].kubernetes)
        return
    files: dict[Path, str] = {}
    for result in rendered:
        folder = Path(result.stack) if args.all else Path()
        files[folder / KUBERNETES_FILE] = result.kubernetes
        files[folder / RESOURCES_FILE] = result.resources
    render.finishing()  # the writes take milliseconds and are not interrupted
    try:
        write_all(args.output, files)
    except OutputError as error:
        raise CommandError([str(error)]) from None


def _check(argv: list[str]) -> None:
    args = _stack_args(_parser("check"), argv)
    report = "".join(f"ok: {result.stack}\n" for result in _render_all(args))
    if sys.stdout is not None:  # started with stdout closed (>&-): no report
        _print(report)


# Verbs other than the default `render`.
VERBS: dict[str, Callable[[list[str]], None]] = {"check": _check}


def _say(line: str) -> None:
    """One line on stderr; none when stderr is closed (print would use stdout)."""
    if sys.stderr is not None:
        print(line, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    verb = VERBS.get(argv[0]) if argv else None
    try:
        if verb is None:
            _render(argv)
        else:
            verb(argv[1:])
    except CommandError as error:
        for line in error.problems:
            _say(f"error: {one_line(line)}")
        return error.status
    except BrokenPipeError:
        return 0  # __main__ points stdout at devnull, so the exit stays quiet
    except KeyboardInterrupt:  # in-process; `python -m render` exits in its handler
        _say(render.INTERRUPTED)
        return 130
    except Exception as error:  # a bug here, not bad input: still one line
        summary = one_line(f"{type(error).__name__}: {error}".splitlines()[0])
        _say(f"error: internal error, please report it: {summary}")
        return 1
    return 0
