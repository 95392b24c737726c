"""The ``simkit`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from simkit.refs import InvalidReference, default_pull_policy, parse_image


def _image(args: argparse.Namespace) -> int:
    """Print how Kubernetes reads each image reference."""
    status = 0
    width = max(len(text) for text in args.images)
    print(f"{'IMAGE':<{width}}  {'NORMALISED':<50}  {'FAMILIAR':<30}  PULL POLICY")
    for text in args.images:
        policy = default_pull_policy(text)
        try:
            ref = parse_image(text)
        except InvalidReference as exc:
            print(f"{text:<{width}}  error: {exc}  (pull policy defaults to {policy})")
            status = 1
            continue
        print(f"{text:<{width}}  {str(ref):<50}  {ref.familiar:<30}  {policy}")
    return status


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``simkit`` command."""
    parser = argparse.ArgumentParser(
        prog="simkit",
        description="Simulate and analyse OpenShift image streams, pull policies and access.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    image = commands.add_parser(
        "image", help="normalise image references and show their default pull policy"
    )
    image.add_argument("images", nargs="+", metavar="IMAGE")
    image.set_defaults(run=_image)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``simkit`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
