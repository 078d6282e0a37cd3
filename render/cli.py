"""``python -m render``: what a stack deploys, without a cloud account.

Every stack is checked and rendered in memory first; files are written only
when all of them succeed, so a bad stack file leaves nothing behind.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from components.parsing import SettingsError, parse_settings
from components.stack import split_config
from render import engine, output
from render.stackfile import (
    Project,
    StackConfig,
    StackFileError,
    load_project,
    read_stack,
    stack_files,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
KUBERNETES_FILE = "kubernetes.yaml"
RESOURCES_FILE = "resources.yaml"


@dataclass(frozen=True)
class Rendered:
    """One stack's two output files."""

    stack: str
    kubernetes: str
    resources: str


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m render",
        description="Run the program under Pulumi mocks; print what a stack deploys.",
    )
    parser.add_argument(
        "stack", nargs="?", help="stack name (dev) or path to a Pulumi.<name>.yaml"
    )
    parser.add_argument(
        "--all", action="store_true", help="render every Pulumi.<stack>.yaml"
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write kubernetes.yaml and resources.yaml here",
    )
    parser.add_argument(
        "--stack-config-dir",
        type=Path,
        default=PROJECT_DIR,
        help="where --all and stack names look for stack files (default: the project)",
    )
    return parser


def _stack_paths(args: argparse.Namespace) -> list[Path]:
    if args.all:
        return stack_files(args.stack_config_dir)
    candidate = Path(args.stack)
    if candidate.suffix == ".yaml" or "/" in args.stack:
        return [candidate]
    return [args.stack_config_dir / f"Pulumi.{args.stack}.yaml"]


def check(project: Project, path: Path) -> StackConfig:
    """Load one stack file and validate its settings as the program will.

    Raises ``StackFileError`` with every problem, file-level and value-level.
    """
    stack, problems = read_stack(project, path)
    try:
        parse_settings(stack.stack, *split_config(stack.config))
    except SettingsError as error:
        reported = {key for key, _ in problems}
        problems += [p for p in error.problems if p[0] not in reported]
    if problems:
        raise StackFileError(
            [f"{path.name}: {key}: {message}" for key, message in problems]
        )
    return stack


def render_stack(project: Project, stack: StackConfig) -> Rendered:
    """Run the program for one checked stack and format its registrations."""
    registrations = engine.run_program(
        project.path.parent / "__main__.py", project.name, stack
    ).registrations
    return Rendered(
        stack=stack.stack,
        kubernetes=output.kubernetes_yaml(registrations),
        resources=output.resources_yaml(registrations),
    )


def _check_all(
    args: argparse.Namespace,
) -> tuple[Project | None, list[StackConfig], list[str]]:
    """Load and validate every requested stack; collect every problem."""
    problems: list[str] = []
    stacks: list[StackConfig] = []
    try:
        project = load_project(PROJECT_DIR / "Pulumi.yaml")
    except StackFileError as error:
        return None, [], error.problems
    paths = _stack_paths(args)
    if not paths:
        problems.append(f"{args.stack_config_dir}: no Pulumi.<stack>.yaml files")
    for path in paths:
        try:
            stacks.append(check(project, path))
        except StackFileError as error:
            problems.extend(error.problems)
    return project, stacks, problems


def _write(rendered: list[Rendered], output_dir: Path, per_stack: bool) -> None:
    for result in rendered:
        folder = output_dir / result.stack if per_stack else output_dir
        folder.mkdir(parents=True, exist_ok=True)
        (folder / KUBERNETES_FILE).write_text(result.kubernetes, encoding="utf-8")
        (folder / RESOURCES_FILE).write_text(result.resources, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.all == bool(args.stack):
        parser.error("give a STACK or --all, not both")
    if args.all and args.output is None:
        parser.error("--all writes one folder per stack: give -o DIR")

    project, stacks, problems = _check_all(args)
    if problems or project is None:
        for line in problems:
            print(f"error: {line}", file=sys.stderr)
        return 1
    rendered = [render_stack(project, stack) for stack in stacks]
    if args.output is None:
        sys.stdout.write(rendered[0].kubernetes)
    else:
        _write(rendered, args.output, per_stack=args.all)
    return 0
