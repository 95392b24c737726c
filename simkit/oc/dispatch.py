"""``simkit.oc.run_oc``: help first, then the command; an unknown command said as oc says it.

:func:`run_oc` answers a help request (``oc``, ``oc help ...``, ``oc options``, any line
with ``-h``/``--help``) from :mod:`simkit.oc.help` without touching the simulation; any
other line runs through :func:`simkit.oc.command.run_oc`. A line naming a real oc command
or subcommand simkit does not model fails with ``error: "oc explain" is not modelled by
simkit`` (also after a registered prefix: ``oc create imagestreamtag`` is a subcommand,
not an argument of ``oc create``); a line naming none gets oc's own ``unknown command``
(:func:`simkit.oc.help.command_error`). Kept apart from :mod:`simkit.oc.command` so the
help, which reads the command table, and the table do not import each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simkit.oc import command as _command
from simkit.oc.command import COMMANDS, OcError, UnknownCommand, split_line
from simkit.oc.help import command_error, help_error, help_for, is_help_request, resolve

if TYPE_CHECKING:
    from simkit.simulation import Simulation


def _unmodelled_subcommand(tokens: list[str]) -> str | None:
    """``oc create imagestreamtag``: the error when a registered command is followed by one of
    oc's real subcommands of it that simkit does not model."""
    words = list(tokens)
    for length in range(min(4, len(words)), 0, -1):
        if tuple(words[:length]) in COMMANDS:
            _path, _rest, unmodelled = resolve(words[: length + 1])
            return command_error(words) if unmodelled else None
    return None


def run_oc(sim: Simulation, line: str, *, output: bool = True) -> str:
    """Run one ``oc`` command line against ``sim``, or print the help it asks for.

    ``output=False``: the caller discards what the command prints (see
    :func:`simkit.oc.command.run_oc`).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> run_oc(sim, "oc options").splitlines()[:3]
    ['The following options can be passed to any command:', '', "    -n, --namespace='':"]
    """
    tokens = split_line(line)
    if is_help_request(tokens):  # help changes nothing: no transaction, no event
        error = help_error(tokens)
        if error:
            raise OcError(error)
        return help_for(tokens)
    error = _unmodelled_subcommand(tokens)
    if error:
        raise OcError(error)
    try:
        return _command.run_oc(sim, line, output=output)
    except UnknownCommand as exc:
        raise OcError(command_error(exc.words)) from None
