"""Reading scenario files: YAML, overrides by dotted name, validation with file and line."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simkit.manifests.errors import ManifestError
from simkit.manifests.reader import Document, read_documents
from simkit.scenarios.bundled import bundled_names, bundled_path, names_a_bundled_scenario
from simkit.scenarios.schema import Scenario, field_names_at


class ScenarioError(ValueError):
    """A scenario is not valid: the message names the file, line, field and what was wrong."""

    def __init__(
        self, message: str, *, path: str = "", line: int | None = None, field: str = ""
    ) -> None:
        self.path, self.line, self.field = path, line, field
        self.message = message
        where = path or "<scenario>"
        if line is not None:
            where += f":{line}"
        if field:
            where += f": {field}"
        super().__init__(f"{where}: {message}")


def set_dotted(data: dict, name: str, value: Any) -> None:
    """Set ``a.b.0.c`` in nested dicts and lists; missing dict levels are created.

    Examples
    --------
    >>> d = {"cluster": {"config": {}}, "workloads": [{"replicas": 1}]}
    >>> set_dotted(d, "cluster.config.scheduled_import_interval", 300)
    >>> set_dotted(d, "workloads.0.replicas", 4)
    >>> d["cluster"]["config"], d["workloads"][0]["replicas"]
    ({'scheduled_import_interval': 300}, 4)
    """
    parts = name.split(".")
    target: Any = data
    for i, part in enumerate(parts[:-1]):
        if isinstance(target, list):
            try:
                target = target[int(part)]
            except (ValueError, IndexError):
                raise ScenarioError(
                    f"no list item {part!r}", field=".".join(parts[: i + 1])
                ) from None
        elif isinstance(target, dict):
            target = target.setdefault(part, {})
        else:
            raise ScenarioError("is not a mapping or a list", field=".".join(parts[:i]))
    last = parts[-1]
    if isinstance(target, list):
        try:
            target[int(last)] = value
        except (ValueError, IndexError):
            raise ScenarioError(f"no list item {last!r}", field=name) from None
    elif isinstance(target, dict):
        target[last] = value
    else:
        raise ScenarioError("is not a mapping or a list", field=".".join(parts[:-1]))


def parse_override(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` from the command line; the value is read as YAML (``300``, ``true``,
    ``[a, b]``, ``2h``).

    Examples
    --------
    >>> parse_override("cluster.nodes=6")
    ('cluster.nodes', 6)
    """
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise ScenarioError(f"--set {text!r}: expected NAME=VALUE")
    try:
        return name.strip(), yaml.safe_load(value)
    except yaml.YAMLError:
        return name.strip(), value


def validate(
    raw: Mapping[str, Any], *, path: str = "", document: Document | None = None
) -> Scenario:
    """Validate a scenario's data, raising :class:`ScenarioError` on the first problem."""
    if not isinstance(raw, Mapping):
        raise ScenarioError("a scenario must be a mapping of sections", path=path, line=1)
    try:
        return Scenario.model_validate(dict(raw))
    except ValidationError as exc:
        errors = exc.errors()
        # a misspelt name is both unknown and (for a required field) missing: name the typo
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(error["loc"])
        field = ".".join(str(p) for p in loc)
        line = document.line_of(list(loc)) if document is not None else None
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field" + _did_you_mean(str(loc[-1]), field_names_at(loc))
        elif error["type"] == "missing":
            message = "required field is missing"
        given = error.get("input")
        secret = "password" in field or "users" in field
        plain = error["type"] not in ("missing", "extra_forbidden")
        if plain and not secret and not isinstance(given, dict | list):
            message += f" (got {given!r})"
        raise ScenarioError(message, path=path, line=line, field=field) from None


def _did_you_mean(name: str, names: list[str]) -> str:
    """``; did you mean 'duration'?`` for the closest of ``names`` (difflib), or ``""``."""
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def scenario_path(source: str | Path) -> Path:
    """The file ``source`` names: itself, or the bundled scenario of that bare name.

    Raises
    ------
    ScenarioError
        A bare name that no bundled scenario has, with the closest name suggested.

    Examples
    --------
    >>> scenario_path("default").name
    'default.yaml'
    >>> scenario_path("defualt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    simkit.scenarios.loading.ScenarioError: defualt: no scenario file or bundled scenario \
'defualt'; did you mean 'default'? bundled: ...
    """
    if not names_a_bundled_scenario(source):
        return Path(source)
    found = bundled_path(str(source))
    if found is not None:
        return found
    names = bundled_names()
    close = difflib.get_close_matches(str(source), names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise ScenarioError(
        f"no scenario file or bundled scenario {str(source)!r}; {hint}bundled: {', '.join(names)}",
        path=str(source),
    )


def load_raw(source: str | Path | Mapping[str, Any]) -> tuple[dict, Document | None, str]:
    """The scenario's data, its parsed document (for line numbers), and its path."""
    if isinstance(source, Mapping):
        return copy.deepcopy(dict(source)), None, ""
    path = str(scenario_path(source))
    try:
        documents = read_documents(path)
    except ManifestError as exc:
        raise ScenarioError(exc.message, path=path, line=exc.line) from None
    documents = [d for d in documents if d.data is not None]
    if not documents:
        raise ScenarioError("the file is empty", path=path, line=1)
    if len(documents) > 1:
        raise ScenarioError(
            "expected one YAML document, found several", path=path, line=documents[1].line
        )
    return documents[0].data, documents[0], path


def load_scenario(
    source: str | Path | Mapping[str, Any], overrides: Mapping[str, Any] | None = None
) -> Scenario:
    """Read and validate a scenario file (or mapping), with dotted-name ``overrides``.

    Examples
    --------
    >>> s = load_scenario({"name": "tiny", "duration": "1h"}, {"cluster.nodes": 2})
    >>> s.duration, s.cluster.nodes
    (3600.0, 2)
    """
    raw, document, path = load_raw(source)
    for name, value in (overrides or {}).items():
        try:
            set_dotted(raw, name, value)
        except ScenarioError as exc:
            where = f"{exc.field}: " if exc.field and exc.field != name else ""
            raise ScenarioError(f"--set {name}: {where}{exc.message}", path=path) from None
    return validate(raw, path=path, document=document)
