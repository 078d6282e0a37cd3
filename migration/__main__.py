"""``python -m migration compare STACK OVERLAY_DIR``: what taking over an overlay does.

Exit 0 if adopting the overlay replaces nothing, 1 if it would, 2 on bad
input; every problem is one ``error:`` line on stderr, as ``python -m render``
prints them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from migration.compare import compare
from migration.overlay import CompareError, kustomize_build
from migration.report import format_report
from render import cli
from render.stackfile import StackFileError, check_stack, load_project, settings_of


def main(argv: list[str]) -> int:
    """Compare one stack with the overlay it replaces; the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m migration compare",
        description="Match `kubectl kustomize OVERLAY_DIR` with what the stack "
        "deploys; show what would be replaced, changed, left alone or created.",
    )
    parser.add_argument("verb", choices=["compare"])
    parser.add_argument(
        "stack", help="stack name (prod) or path to a Pulumi.<name>.yaml"
    )
    parser.add_argument(
        "overlay", type=Path, help="the kustomize overlay the stack replaces"
    )
    args = parser.parse_args(argv)
    where = argparse.Namespace(
        all=False, stack=args.stack, stack_config_dir=cli.PROJECT_DIR
    )
    (path,) = cli.stack_paths(where)
    try:
        project = load_project(cli.PROJECT_DIR / "Pulumi.yaml")
        stack = check_stack(project, path)
        kustomize = kustomize_build(args.overlay)
        rendered = cli.render_stack(project, stack)
    except StackFileError as error:
        return _fail(error.problems, 2)
    except CompareError as error:
        return _fail([str(error)], 2)
    except cli.CommandError as error:
        return _fail(error.problems, 2)
    report = compare(
        kustomize, list(yaml.safe_load_all(rendered.resources)), settings_of(stack)
    )
    sys.stdout.write(format_report(report, stack.stack, args.overlay))
    if report.forces_replacement:
        return _fail(
            [f"{path.name}: taking over {args.overlay} would replace something"], 1
        )
    return 0


def _fail(problems: list[str], status: int) -> int:
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
