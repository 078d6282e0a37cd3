"""``python -m render``: what a stack deploys, without a cloud account.

Verbs:

- ``python -m render STACK [-o DIR]`` and ``--all -o DIR``: render;
- ``python -m render check STACK`` and ``check --all``: validate, write nothing;

Every stack is checked and rendered in memory first; files are written only
when all of them succeed, and then all-or-nothing (``render.writer``), so a bad
stack file or an unwritable folder leaves nothing behind. Every problem is one
``error: <file>: <key>: <problem>`` line on stderr, and the exit status is 1
.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from portfolio.settings.model import PortfolioSettings
from portfolio.settings.parsing import SettingsError, parse_settings
from portfolio.stack import split_config
from render import arguments, harness, output, ownership, policies
from render.stackfile import (
    Project,
    StackConfig,
    StackFileError,
    load_project,
    read_stack,
    stack_files,
    stack_name,
)
from render.terminal import INTERRUPTED, exit_on_interrupt, printable
from render.writer import OutputError, write_all

PROJECT_DIR = Path(__file__).resolve().parent.parent
KUBERNETES_FILE = "kubernetes.yaml"
_STACK_FILE_NAME = re.compile(r"Pulumi\..+\.yaml")
RESOURCES_FILE = "resources.yaml"


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


# Renders checked stacks, in order; each result is the stack's files or its problems.
Renderer = Callable[[Project, list[StackConfig]], list[Rendered | list[str]]]


def check_stack(project: Project, path: Path) -> StackConfig:
    """Load one stack file and validate its settings as the program will.

    Raises ``StackFileError`` with every problem, file-level and value-level.
    A problem with a value the stack file does not set is ``Pulumi.yaml``'s:
    it is that file's default.
    """
    stack, problems = read_stack(project, path)
    try:
        parse_settings(
            stack.stack,
            *split_config(stack.config),
            stack.secret_keys,
        )
    except SettingsError as error:
        reported = {key for key, _ in problems}
        problems += [p for p in error.problems if p[0] not in reported]
    if problems:
        raise StackFileError(
            [_problem_line(project, stack, key, text) for key, text in problems]
        )
    return stack


def _problem_line(project: Project, stack: StackConfig, key: str, message: str) -> str:
    """One problem, in the file it is in.

    A ``Pulumi.yaml`` default or value the stack file does not override is
    ``Pulumi.yaml``'s problem.
    """
    short = key.removeprefix(f"{project.name}:")
    declaration = project.declarations.get(short) if short != key else None
    if key not in stack.given:
        if key in project.values:
            where = f"its value; {stack.path.name} does not set it"
            return f"{project.path.name}: {key}: {message} ({where})"
        if declaration is not None and declaration.has_default:
            where = f"its default; {stack.path.name} does not set it"
            return f"{project.path.name}: {key}: {message} ({where})"
    return f"{stack.path.name}: {key}: {message}"


def settings_of(stack: StackConfig) -> PortfolioSettings:
    """The settings of a stack ``check_stack`` passed."""
    return parse_settings(stack.stack, *split_config(stack.config), stack.secret_keys)


def render_stack(project: Project, stack: StackConfig) -> Rendered:
    """Run the program for one checked stack; refuse it if it breaks a policy.

    Every registration goes through the policy pack's rules (``policy.rules``).
    """
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
            raise CommandError(
                [f"{args.stack_config_dir}: no Pulumi.<stack>.yaml files"]
            )
        return paths
    candidate = Path(args.stack)
    if candidate.suffix == ".yaml" or "/" in args.stack:
        if not _STACK_FILE_NAME.fullmatch(candidate.name):
            problem = "a stack file is named Pulumi.<stack>.yaml, its stack's name"
            raise CommandError([f"{candidate}: {problem}"])
        return [candidate]
    return [args.stack_config_dir / f"Pulumi.{args.stack}.yaml"]


def _render_all(args: argparse.Namespace) -> list[Rendered]:
    """Check every requested stack, then render them; all problems at once."""
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
    if problems:
        raise CommandError(problems)
    with exit_on_interrupt():
        results = [_render_or_problems(project, stack) for stack in stacks]
    problems = [
        line for result in results if isinstance(result, list) for line in result
    ]
    if problems:
        raise CommandError(problems)
    return [result for result in results if isinstance(result, Rendered)]


def _render_or_problems(project: Project, stack: StackConfig) -> Rendered | list[str]:
    """One stack's result, or its problems: plain data, so it can cross processes."""
    try:
        return render_stack(project, stack)
    except CommandError as error:
        return error.problems


def _render(argv: list[str]) -> None:
    parser = arguments.render_parser(PROJECT_DIR)
    args = parser.parse_args(argv)
    if args.all == bool(args.stack):
        parser.error("give one STACK or --all")
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
    try:
        write_all(args.output, files)
    except OutputError as error:
        raise CommandError([str(error)]) from None


def _print(text: str) -> None:
    """``text`` on stdout, or one line saying why it cannot be."""
    if sys.stdout is None:  # started with stdout closed (>&-)
        raise CommandError(["standard output is closed: give -o DIR"])
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # a reader that stopped early (| head): __main__ ends quietly
    except OSError as error:  # /dev/full, a device that fails
        raise CommandError([f"standard output: {error.strerror}"]) from None


def _check(argv: list[str]) -> None:
    parser = arguments.check_parser(PROJECT_DIR)
    args = parser.parse_args(argv)
    if args.all == bool(args.stack):
        parser.error("give one STACK or --all")
    report = "".join(f"ok: {result.stack}\n" for result in _render_all(args))
    if sys.stdout is not None:  # started with stdout closed (>&-): no report
        _print(report)


# Verbs other than the default `render`.
VERBS: dict[str, Callable[[list[str]], None]] = {
    "check": _check,
}


def _say(line: str) -> None:
    """One line on stderr; none when stderr is closed (print would use stdout)."""
    if sys.stderr is not None:
        print(line, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (130 on Ctrl-C, nothing written)."""
    argv = sys.argv[1:] if argv is None else argv
    verb = VERBS.get(argv[0]) if argv else None
    try:
        if verb is None:
            _render(argv)
        else:
            verb(argv[1:])
    except (CommandError, arguments.HelpOutputError) as error:
        for line in error.problems:
            _say(f"error: {printable(line)}")
        return error.status
    except arguments.UsageError as error:
        _say(f"error: {printable(str(error))}")
        return 2
    except BrokenPipeError:
        return 0  # __main__ points stdout at devnull, so the exit stays quiet
    except KeyboardInterrupt:
        _say(INTERRUPTED)
        return 130
    except Exception as error:  # a bug here, not bad input: still one line
        summary = printable(f"{type(error).__name__}: {error}".splitlines()[0])
        _say(f"error: internal error, please report it: {summary}")
        return 1
    return 0
