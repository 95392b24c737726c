"""Fill the generated parts of the Getting started page (docs/index.md).

- ``<!-- README-TEN-LINES ... -->`` becomes the "Ten lines" example of README.md, so the
  two cannot differ (tests/test_readme.py runs the README's).
- ``<!-- SIMKIT-HELP ... -->`` becomes ``simkit COMMAND --help`` of every subcommand,
  taken from the parser itself (``simkit.cli.build_parser``).
A marker that is missing, or a README without the section, is a warning: with
``mkdocs build --strict`` a failed build.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path

import mkdocs_gen_files

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # document the tree being built, not an installed copy

from simkit.cli import build_parser  # noqa: E402

log = logging.getLogger("mkdocs.plugins.simkit.getting_started")
TEN_LINES = "<!-- README-TEN-LINES"
HELP = "<!-- SIMKIT-HELP"


def ten_lines() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^## Ten lines\s*\n+(```python\n.*?\n```)", readme, re.M | re.S)
    if found is None:
        log.warning("getting started: README.md has no '## Ten lines' python block")
        return ""
    return found.group(1)


def command_help() -> str:
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: fix the width
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    parts = []
    for name, sub in subparsers.choices.items():
        parts += [f"### simkit {name}", "", "```text", sub.format_help().rstrip(), "```", ""]
    return "\n".join(parts)


def main() -> None:
    source = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    fills = {TEN_LINES: ten_lines(), HELP: command_help()}
    for marker in fills:
        if marker not in source:
            log.warning("getting started: docs/index.md lost its marker %s -->", marker)
    source = "\n".join(
        next((text for marker, text in fills.items() if line.startswith(marker)), line)
        for line in source.split("\n")
    )
    with mkdocs_gen_files.open("index.md", "w", encoding="utf-8") as out:
        out.write(source)


if __name__ in ("__main__", "<run_path>"):  # run by mkdocs-gen-files, not on import
    main()
