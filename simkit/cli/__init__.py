"""The ``simkit`` command.

Every subcommand keeps one contract (see :mod:`simkit.cli.errors`):

- bad input (a scenario, a ``--set``, a file, an image reference, an ``--out`` that is a
  file) prints one line ``simkit: ...`` on stderr naming what was typed, exits 2 and
  writes nothing; argparse's usage errors exit 2 too (``simkit: error: ...``);
- ``simkit sweep`` exits 1 when some runs failed, with one summary line;
- Ctrl-C exits 130 with one line; a broken pipe (``simkit who-can-pull ... | head``) ends
  quietly with 141 (128 + SIGPIPE); no traceback is ever shown (an unexpected error
  prints one line and exits 1; set ``SIMKIT_DEBUG=1`` to see its traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from simkit.cli.bundled import bundled_names, bundled_scenario
from simkit.cli.errors import (
    EXIT_FAILED,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    InputError,
    one_line,
)

__all__ = ["DEFAULT_REPORT", "build_parser", "bundled_names", "bundled_scenario", "main"]

DEFAULT_REPORT = "simkit-report"
EXIT_BROKEN_PIPE = 141
"""The reader of stdout went away: 128 + SIGPIPE, as a shell reports ``cat | head``."""
FORMATS = ("table", "csv", "json")


def _image(args: argparse.Namespace) -> int:
    """Print how Kubernetes reads each image reference."""
    from simkit.refs import InvalidReference, default_pull_policy, parse_image

    rows, bad = [], []
    for text in args.images:
        try:
            ref = parse_image(text)
        except InvalidReference as exc:
            bad.append(f"image {text!r}: {one_line(str(exc))}")
            continue
        rows.append((text, str(ref), ref.familiar, default_pull_policy(text)))
    if bad:
        raise InputError("; ".join(bad))
    width = max(len(text) for text in args.images)
    print(f"{'IMAGE':<{width}}  {'NORMALISED':<50}  {'FAMILIAR':<30}  PULL POLICY")
    for text, normalised, familiar, policy in rows:
        print(f"{text:<{width}}  {normalised:<50}  {familiar:<30}  {policy}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from simkit.cli.scenario_commands import run_scenario

    return run_scenario(bundled_scenario("default"), "default", args.out, args.set, args.quiet)


def _run(args: argparse.Namespace) -> int:
    from simkit.cli.scenario_commands import resolve_scenario, run_scenario

    path, shown = resolve_scenario(args.scenario)
    return run_scenario(path, shown, args.out, args.set, args.quiet)


def _sweep(args: argparse.Namespace) -> int:
    from simkit.cli.scenario_commands import sweep_command

    return sweep_command(args)


def _lint_tags(args: argparse.Namespace) -> int:
    from simkit.cli.lint_tags import lint_tags_command

    return lint_tags_command(args)


def _who_can_pull(args: argparse.Namespace) -> int:
    from simkit.cli.who_can_pull import who_can_pull_command

    return who_can_pull_command(args)


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors ending on one ``simkit: error: ...`` line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"simkit: error: {one_line(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``simkit`` command."""
    parser = _Parser(
        prog="simkit",
        description="Simulate and analyse OpenShift image streams, pull policies and access.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    image = commands.add_parser(
        "image", help="normalise image references and show their default pull policy"
    )
    image.add_argument("images", nargs="+", metavar="IMAGE")
    image.set_defaults(run=_image)

    for name, func, helptext in (
        ("demo", _demo, "run the bundled default scenario and write a report"),
        ("run", _run, "run a scenario file and write a report"),
    ):
        sub = commands.add_parser(name, help=helptext)
        if name == "run":
            sub.add_argument("scenario", help="a scenario file, or a bundled scenario's name")
        sub.add_argument(
            "--out", default=DEFAULT_REPORT, help=f"report folder (default ./{DEFAULT_REPORT})"
        )
        sub.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="override a scenario value by dotted name, e.g. "
            "cluster.config.scheduled_import_interval=5m",
        )
        sub.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")
        sub.set_defaults(run=func)

    lint = commands.add_parser(
        "lint-tags", help="classify the tags of image stream files; findings per convention"
    )
    lint.add_argument(
        "files", nargs="+", metavar="FILE", help="image stream files (JSON/YAML) or folders of them"
    )
    lint.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (findings, then the tags), or csv/json of the tags only",
    )
    lint.set_defaults(run=_lint_tags)

    who = commands.add_parser(
        "who-can-pull", help="who can pull which image streams and registries in a dump"
    )
    who.add_argument("dumps", nargs="+", metavar="DUMP")
    who.add_argument("--namespace", default="default", help="namespace for objects that name none")
    who.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (findings, then the pairs), or csv/json of the pairs only",
    )
    who.add_argument(
        "--subject",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only these subjects (exact name or glob, e.g. "
        "'system:serviceaccount:team-a:*'); repeatable",
    )
    who.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only these targets (ns/stream or registry host, or a glob); repeatable",
    )
    who.add_argument(
        "--why",
        action="store_true",
        help="explain each pair: groups, binding, role and rule, or secrets",
    )
    who.add_argument(
        "--out", help="also write pull_matrix.csv and who_can_pull.csv into this folder"
    )
    who.set_defaults(run=_who_can_pull)

    sweep = commands.add_parser("sweep", help="run a scenario over a grid of values and seeds")
    sweep.add_argument("scenario", help="a scenario file, or a bundled scenario's name")
    sweep.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="NAME=V1,V2",
        help="a dotted scenario value and the values to try",
    )
    sweep.add_argument("--seeds", type=int, default=1, help="seeds 0..N-1 (default 1)")
    sweep.add_argument("--out", help="folder keeping each finished run (resumable)")
    sweep.set_defaults(run=_sweep)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``simkit`` command; returns the exit status.

    Examples
    --------
    >>> main(["image", "Not A Reference"])
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        print(f"simkit: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("\nsimkit: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of a pipe went away (| head): stop quietly
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # noqa: BLE001 - the contract: never a traceback
        if os.environ.get("SIMKIT_DEBUG"):
            raise
        print(
            f"simkit: internal error: {type(exc).__name__}: {one_line(str(exc))[:300]} "
            "(SIMKIT_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_FAILED
