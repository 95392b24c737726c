"""The ``simkit`` command's contract for bad input: one line, exit status 2, nothing written.

:class:`InputError` carries a message that names what the user typed (the scenario by
the name given, the ``--set`` argument, the file); :func:`simkit.cli.main` prints it as
``simkit: MESSAGE`` on stderr and returns :data:`EXIT_INPUT`.  The checks here run
before any work, so a run that would end on an unwritable ``--out`` never starts.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "EXIT_FAILED",
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "InputError",
    "check_out",
    "check_readable",
    "one_line",
]

EXIT_INPUT = 2
"""Bad input (argparse's own usage errors use 2 as well)."""
EXIT_FAILED = 1
"""The input was fine but the work failed (some runs of a sweep)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C, as a shell reports a command ended by SIGINT (128 + 2)."""


class InputError(Exception):
    """Input the command cannot use; ``str()`` is the one line to print after ``simkit: ``.

    Examples
    --------
    >>> str(InputError("--set cluster.nodes: expected NAME=VALUE"))
    '--set cluster.nodes: expected NAME=VALUE'
    """


def one_line(text: str) -> str:
    """``text`` on one line: line breaks become ``"; "``, runs of blanks one space.

    Examples
    --------
    >>> one_line("bad value\\n  expected a number ")
    'bad value; expected a number'
    """
    parts = [" ".join(line.split()) for line in str(text).splitlines()]
    return "; ".join(p for p in parts if p)


def _exists(path: Path, what: str) -> bool:
    try:
        return path.exists()
    except OSError as exc:  # a name too long, a loop of links
        raise InputError(f"{what}: {exc.strerror or exc}") from None


def check_out(out: str | os.PathLike[str], option: str = "--out") -> None:
    """Refuse an output folder that cannot be written, before any work starts.

    Parameters
    ----------
    out : str or path-like
        The folder as the user typed it.  It need not exist: nothing is created here.
    option : str
        How the user named it, for the message.

    Raises
    ------
    InputError
        ``out`` (or a folder above it) is a file, or it cannot be created or written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     file = pathlib.Path(tmp, "report.html")
    ...     _ = file.write_text("x")
    ...     check_out(pathlib.Path(tmp, "new", "folder"))
    ...     try:
    ...         check_out(file)
    ...     except InputError as exc:
    ...         print(str(exc).endswith("is a file, not a folder"))
    True
    """
    text = str(out)
    what = f"{option} {text}"
    if not text.strip():
        raise InputError(f"{option}: an empty folder name")
    path = Path(text)
    if _exists(path, what):
        if not path.is_dir():
            raise InputError(f"{what}: is a file, not a folder")
        if not os.access(path, os.W_OK | os.X_OK):
            raise InputError(f"{what}: the folder is not writable")
        return
    parent = path.parent
    while not _exists(parent, what) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(f"{what}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{what}: cannot create it in {parent} (not writable)")


def check_readable(text: str) -> Path:
    """The path of an input file that exists and is a readable file.

    Examples
    --------
    >>> try:
    ...     check_readable("no-such-dump.yaml")
    ... except InputError as exc:
    ...     print(exc)
    no-such-dump.yaml: no such file
    """
    path = Path(text)
    if not text.strip():
        raise InputError("an empty file name")
    if not _exists(path, text):
        raise InputError(f"{text}: no such file")
    if path.is_file() and not os.access(path, os.R_OK):
        raise InputError(f"{text}: not readable")
    return path
