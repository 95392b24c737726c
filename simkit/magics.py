"""Notebook magics: ``%oc``, ``%%oc`` and ``%simkit use``, loaded by ``%load_ext simkit``.

- ``%oc ARGS`` runs one ``oc`` command against the current simulation and prints what
  oc would print.
- ``%%oc`` runs a cell of commands, one a line (a line ending in ``\\`` continues on the
  next, a line starting with ``#`` is a comment), each echoed as ``$ oc ...`` before its
  output, like a terminal session.  A failing command does not stop the cell.
- ``%simkit use NAME`` makes the Simulation in the notebook variable ``NAME`` the current
  one; otherwise the current simulation is the last one created that is still alive.
  ``%simkit`` alone says which one is current.

A command that fails prints its error as oc does (``error: ...``, ``Error from server
(...): ...``) on stderr, not a traceback.  The echoed command line has the values of
password and token flags masked, as the ``oc`` event in the log has
(:func:`simkit.redact.redact_command`).

IPython is optional for simkit: this module imports it only when the extension is
loaded (:func:`load_ipython_extension`); the functions that do the work
(:func:`run_oc_line`, :func:`run_oc_cell`, :func:`current_simulation`) take plain text
and a namespace, and write to the streams they are given.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, TextIO

from simkit.oc import OcError
from simkit.redact import redact_command
from simkit.simulation import Simulation

__all__ = [
    "MagicError",
    "current_simulation",
    "latest_simulation",
    "load_ipython_extension",
    "run_oc_cell",
    "run_oc_line",
    "split_commands",
]


class MagicError(Exception):
    """A magic could not run: no simulation to run it against, or a bad ``%simkit``."""


def latest_simulation() -> Simulation | None:
    """The last Simulation created that is still alive, or None.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=5)
    >>> latest_simulation() is sim
    True
    """
    for ref in reversed(Simulation._created):
        sim = ref()
        if sim is not None:
            return sim
    return None


def current_simulation(namespace: Mapping[str, Any], chosen: str | None = None) -> Simulation:
    """The simulation the magics run against.

    Parameters
    ----------
    namespace : mapping
        The notebook's variables.
    chosen : str, optional
        The variable named by ``%simkit use NAME``.

    Raises
    ------
    MagicError
        When the chosen variable is gone or holds no Simulation, or no Simulation exists.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=7)
    >>> current_simulation({}) is sim
    True
    >>> current_simulation({"sim": sim}, "sim").seed
    7
    """
    if chosen is not None:
        if chosen not in namespace:
            raise MagicError(
                f"error: %simkit use {chosen}: there is no variable {chosen!r} any more"
            )
        value = namespace[chosen]
        if not isinstance(value, Simulation):
            raise MagicError(
                f"error: %simkit use {chosen}: {chosen} is a "
                f"{type(value).__name__}, not a simkit Simulation"
            )
        return value
    sim = latest_simulation()
    if sim is None:
        raise MagicError(
            "error: no simulation to run oc against: create one "
            "(sim = simkit.Simulation()) or pick one with %simkit use NAME"
        )
    return sim


def split_commands(cell: str) -> list[str]:
    """The commands of a ``%%oc`` cell: one a line, ``\\`` continues, ``#`` comments.

    A leading ``oc`` on a line is optional.

    Examples
    --------
    >>> split_commands("oc get is\\n# a comment\\n\\ntag quay.io/a/b:1 \\\\\\n  b:1\\n")
    ['get is', 'tag quay.io/a/b:1 b:1']
    """
    commands: list[str] = []
    pending = ""
    for raw in cell.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1].rstrip() + " "
            continue
        line = (pending + line).strip()
        pending = ""
        commands.append(_without_oc(line))
    if pending.strip():
        commands.append(_without_oc(pending.strip()))
    return commands


def _without_oc(line: str) -> str:
    if line == "oc":
        return ""
    return line[3:].lstrip() if line.startswith("oc ") else line


def run_oc_line(
    sim: Simulation, line: str, out: TextIO | None = None, err: TextIO | None = None
) -> bool:
    """Run one command, its output to ``out`` and its error (as oc prints it) to ``err``.

    Returns whether it succeeded.

    Examples
    --------
    >>> import io, simkit as sk
    >>> out, err = io.StringIO(), io.StringIO()
    >>> run_oc_line(sk.Simulation(), "get is", out, err), out.getvalue()
    (True, 'No resources found in default namespace.\\n')
    >>> run_oc_line(sk.Simulation(), "get is nope", out, err), err.getvalue()
    (False, 'Error from server (NotFound): imagestreams.image.openshift.io "nope" not found\\n')
    """
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        text = sim.oc(_without_oc(line.strip()))
    except OcError as exc:
        out.flush()
        message = str(exc)
        err.write(message if message.endswith("\n") else message + "\n")
        err.flush()
        return False
    out.write(text)
    out.flush()
    return True


def run_oc_cell(
    sim: Simulation, cell: str, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run every command of a ``%%oc`` cell, each echoed as ``$ oc ...``; the failures.

    Examples
    --------
    >>> import io, simkit as sk
    >>> out = io.StringIO()
    >>> run_oc_cell(sk.Simulation(), "create imagestream web\\noc get is -o name", out, out)
    0
    >>> print(out.getvalue(), end="")
    $ oc create imagestream web
    imagestream.image.openshift.io/web created
    $ oc get is -o name
    imagestream.image.openshift.io/web
    """
    out = out or sys.stdout
    failures = 0
    for command in split_commands(cell):
        out.write(f"$ oc {redact_command(command)}".rstrip() + "\n")
        out.flush()
        failures += not run_oc_line(sim, command, out, err)
    return failures


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%oc``, ``%%oc`` and ``%simkit`` with an IPython shell (``%load_ext simkit``)."""
    ipython.register_magics(_magics_class()(ipython))


def _magics_class() -> type:
    """The IPython ``Magics`` subclass, made when IPython is there to make it."""
    from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class

    @magics_class
    class SimkitMagics(Magics):
        """``%oc``/``%%oc`` against the current simulation; ``%simkit use NAME``."""

        shell: Any  # the InteractiveShell (IPython types it by its default, ``shell = None``)

        def __init__(self, shell: Any) -> None:
            super().__init__(shell)
            self.chosen: str | None = None

        def _sim(self) -> Simulation | None:
            try:
                return current_simulation(self.shell.user_ns, self.chosen)
            except MagicError as exc:
                print(exc, file=sys.stderr)
                return None

        @line_cell_magic
        def oc(self, line: str, cell: str | None = None) -> None:
            """``%oc ARGS``: one command; ``%%oc``: a cell of commands, one a line."""
            sim = self._sim()
            if sim is None:
                return
            if cell is None:
                run_oc_line(sim, line)
            elif line.strip():
                print("error: %%oc takes its commands in the cell, one a line", file=sys.stderr)
            else:
                run_oc_cell(sim, cell)

        @line_magic
        def simkit(self, line: str) -> None:
            """``%simkit use NAME`` picks the simulation; ``%simkit`` names the current one."""
            words = line.split()
            if not words:
                sim = self._sim()
                if sim is not None:
                    which = (
                        f"the variable {self.chosen}"
                        if self.chosen
                        else "the last Simulation created"
                    )
                    print(f"oc runs against {which}: {sim!r}")
                return
            if words[0] != "use" or len(words) != 2:
                print(
                    "error: usage: %simkit use NAME (a variable holding a simkit Simulation)",
                    file=sys.stderr,
                )
                return
            try:
                current_simulation(self.shell.user_ns, words[1])
            except MagicError as exc:
                print(exc, file=sys.stderr)
                return
            self.chosen = words[1]

    return SimkitMagics
