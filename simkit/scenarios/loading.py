"""Reading scenario files: YAML, overrides by dotted name, validation with file and line."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simkit.scenarios.schema import Scenario
from simkit.yamlsafe import YamlError, load_yaml_nodes


class ScenarioError(ValueError):
    """A scenario is not valid: the message names the file, line, field and what was wrong."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None,
                 field: str = "") -> None:
        self.path, self.line, self.field = path, line, field
        where = path or "<scenario>"
        if line is not None:
            where += f":{line}"
        if field:
            where += f": {field}"
        super().__init__(f"{where}: {message}")


def _positions(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict:
    """Map each key path (``("workloads", 0, "replicas")``) to its 1-based line."""
    out = {} if out is None else out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                out[(*path, key.value)] = key.start_mark.line + 1
                _positions(value, (*path, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, (*path, i), out)
    return out


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
                raise ScenarioError(f"no list item {part!r}", field=".".join(parts[: i + 1])) \
                    from None
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


def validate(raw: Mapping[str, Any], *, path: str = "", positions: dict | None = None) -> Scenario:
    """Validate a scenario's data, raising :class:`ScenarioError` on the first problem."""
    if not isinstance(raw, Mapping):
        raise ScenarioError("a scenario must be a mapping of sections", path=path, line=1)
    try:
        return Scenario.model_validate(dict(raw))
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        field = ".".join(str(p) for p in loc)
        line = None
        if positions:
            for cut in range(len(loc), -1, -1):
                line = positions.get(loc[:cut])
                if line is not None:
                    break
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        elif error["type"] == "missing":
            message = "required field is missing"
        given = error.get("input")
        secret = "password" in field or "users" in field
        plain = error["type"] not in ("missing", "extra_forbidden")
        if plain and not secret and not isinstance(given, dict | list):
            message += f" (got {given!r})"
        raise ScenarioError(message, path=path, line=line, field=field) from None


def load_raw(source: str | Path | Mapping[str, Any]) -> tuple[dict, dict, str]:
    """The scenario's data, its key positions, and its path (for messages)."""
    if isinstance(source, Mapping):
        return copy.deepcopy(dict(source)), {}, ""
    path = Path(source)
    try:
        data, node = load_yaml_nodes(path)
    except YamlError as exc:
        raise ScenarioError(exc.reason, path=str(path), line=exc.line) from None
    if data is None:
        raise ScenarioError("the file is empty", path=str(path), line=1)
    return data, (_positions(node) if node is not None else {}), str(path)


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
    raw, positions, path = load_raw(source)
    for name, value in (overrides or {}).items():
        try:
            set_dotted(raw, name, value)
        except ScenarioError as exc:
            raise ScenarioError(f"--set {name}: {exc}", path=path) from None
    scenario = validate(raw, path=path, positions=positions)
    return scenario.model_copy(update={}) if scenario else scenario
