"""``simkit demo``, ``simkit run`` and ``simkit sweep``: scenarios from the command line.

Everything the user typed is checked before the simulation starts: the scenario (a
file, or a bundled scenario by name), each ``--set NAME=VALUE`` and ``--grid
NAME=V1,V2`` (each value validated against the scenario), ``--seeds`` and ``--out``.
Errors name the scenario as typed (a bundled one by its name, never by its path inside
the installation) and an override by its ``--set`` argument.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

from simkit.cli.errors import EXIT_FAILED, InputError, check_out, one_line
from simkit.scenarios.bundled import names_a_bundled_scenario

__all__ = ["resolve_scenario", "run_scenario", "sweep_command"]


def resolve_scenario(text: str) -> tuple[Path, str]:
    """The scenario file for what the user typed, and the name to show in messages.

    Examples
    --------
    >>> path, shown = resolve_scenario("default")
    >>> path.name, shown
    ('default.yaml', 'default')
    """
    from simkit.cli.bundled import bundled_scenario

    path = Path(text)
    if not text.strip():
        raise InputError("an empty scenario name")
    try:
        exists = path.exists() or path.is_symlink()
    except (OSError, ValueError) as exc:  # a name too long, a NUL
        raise InputError(f"{text}: {getattr(exc, 'strerror', None) or exc}") from None
    if exists:  # a folder or a loop of links too: the scenario reader names the problem
        return path, text
    if names_a_bundled_scenario(text):
        return bundled_scenario(text), text
    raise InputError(f"{text}: no such scenario file")


_SECRET_WORDS = ("password", "users", "token", "auth")


def shown_argument(name: str, text: str) -> str:
    """``NAME=VALUE`` as typed, with the value masked when the name holds a secret.

    Examples
    --------
    >>> shown_argument("registries.0.users.bot", "registries.0.users.bot=hunter2")
    'registries.0.users.bot=*****'
    >>> shown_argument("cluster.nodes", "cluster.nodes=0")
    'cluster.nodes=0'
    """
    from simkit.redact import MASK

    if any(word in name.lower() for word in _SECRET_WORDS):
        return f"{name}={MASK}"
    return text


def _parse_sets(texts: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Overrides by name, and the ``--set`` argument each came from."""
    from simkit.scenarios import ScenarioError, parse_override

    settings, typed = {}, {}
    for text in texts:
        try:
            name, value = parse_override(text)
        except ScenarioError:
            raise InputError(
                f"--set {text}: expected NAME=VALUE (a dotted scenario name, e.g. cluster.nodes=4)"
            ) from None
        settings[name] = value
        typed[name] = shown_argument(name, text)
    return settings, typed


def _related(field: str, name: str) -> bool:
    return field == name or field.startswith(name + ".") or name.startswith(field + ".")


def scenario_error(
    exc: Exception, shown: str, typed: dict[str, str], option: str = "--set"
) -> InputError:
    """A :class:`~simkit.scenarios.ScenarioError` as the user should read it: naming the
    ``--set`` (or ``--grid``) argument that caused it, else the scenario as typed."""
    message = getattr(exc, "message", str(exc))
    field = getattr(exc, "field", "")
    for name, text in typed.items():  # the override caused it: name the --set argument
        if message.startswith(f"--set {name}:"):
            return InputError(f"{option} {text}:{message[len(f'--set {name}:') :]}")
        if field and _related(field, name):
            return InputError(f"{option} {text}: {field}: {message}")
    where = shown
    line = getattr(exc, "line", None)
    if line is not None:
        where += f":{line}"
    if field:
        where += f": {field}"
    return InputError(f"{where}: {message}")


def run_scenario(path: Path, shown: str, out: str, overrides: list[str], quiet: bool) -> int:
    """Run a scenario and write its report to ``out``; input errors before anything runs."""
    from simkit.scenarios import ScenarioError, load_scenario, run

    check_out(out)
    settings, typed = _parse_sets(overrides)
    try:
        load_scenario(path, settings)
        sim = run(path, settings, progress=not quiet)
    except ScenarioError as exc:
        raise scenario_error(exc, shown, typed) from None
    from simkit.report import findings_text, write_report

    index = write_report(sim, out, progress=not quiet)
    if not quiet:
        print(f"{sim!r}")
        print(findings_text(index))
        print(f"Report written to {index}")
    return 0


def _parse_grid(texts: list[str]) -> tuple[dict[str, list[Any]], dict[str, str]]:
    import yaml

    grid, typed = {}, {}
    for text in texts:
        name, sep, values = text.partition("=")
        name = name.strip()
        if not sep or not name or not values.strip():
            raise InputError(
                f"--grid {text}: expected NAME=V1,V2,... (a dotted scenario "
                "name and the values to try)"
            )
        if name in grid:
            raise InputError(f"--grid {text}: {name} is already in the grid")
        parsed = []
        for value in values.split(","):
            try:
                parsed.append(yaml.safe_load(value))
            except yaml.YAMLError:
                parsed.append(value)
        grid[name], typed[name] = parsed, shown_argument(name, text)
    return grid, typed


def sweep_command(args: argparse.Namespace) -> int:
    """``simkit sweep``: exit 0 when every run finished, 1 (one line) when some failed."""
    from simkit.scenarios import ScenarioError, load_scenario
    from simkit.sweeps.errors import SweepWarning
    from simkit.sweeps.runs import expand_grid
    from simkit.sweeps.sweep import sweep

    path, shown = resolve_scenario(args.scenario)
    if args.out is not None:
        check_out(args.out)
    if args.seeds < 1:
        raise InputError(f"--seeds {args.seeds}: must be at least 1")
    grid, typed = _parse_grid(args.grid)
    try:
        expand_grid(grid, range(args.seeds))
    except (TypeError, ValueError) as exc:
        raise InputError(f"--grid: {one_line(str(exc))}") from None
    try:
        load_scenario(path)
    except ScenarioError as exc:
        raise scenario_error(exc, shown, {}) from None
    for name, values in grid.items():  # each value as the runs will see it
        for value in values:
            try:
                load_scenario(path, {name: value})
            except ScenarioError as exc:
                raise scenario_error(exc, shown, {name: typed[name]}, "--grid") from None

    with warnings.catch_warnings():  # the summary below says it, once, without source text
        warnings.simplefilter("ignore", SweepWarning)
        frame = sweep(str(path), grid, seeds=range(args.seeds), out=args.out)
    print(frame.to_string(index=False))
    failed = frame[frame["error"].notna()]
    if len(failed):
        first = failed.iloc[0]
        params = ", ".join(f"{name}={first[name]}" for name in grid) or "the scenario"
        error = one_line(str(first["error"])).replace(str(path), shown)
        error = error.replace("<scenario>: ", "")
        print(
            f"simkit: {len(failed)} of {len(frame)} runs failed: the first, {params} seed "
            f"{first['seed']}: {error[:300]}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return 0
