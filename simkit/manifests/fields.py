"""The one typed field reader: decoded YAML/JSON values to typed Python values.

Every reader of an object in :mod:`simkit.manifests` (image streams, RBAC, the core
kinds) takes its fields through :class:`Fields`, so every wrong field is reported the
same way: a :class:`FieldError` whose ``field`` is the path of the field
(``spec.tags[1].from.kind``) and whose ``message`` says what was expected and what was
found.  :class:`~simkit.manifests.errors.ManifestError` adds the file, the line
(``file:line``, from the YAML marks), the document and the object.

The types follow what Go's ``encoding/json`` decodes into the API structs: a JSON
``null`` is the zero value (``""``, ``false``, an empty list or map), a map key must be
a string, a ``bool`` is not an integer.  A value is never shown when it may be a
secret's (``secret=True``).

This module imports nothing from simkit: the bootstrap policy (a rules module) reads its
packaged roles through :mod:`simkit.manifests.rbac`, which uses it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULT_START", "FieldError", "Fields", "describe", "rfc3339", "seconds_since"]

DEFAULT_START = "2026-01-01T00:00:00Z"
"""``Simulation``'s default start: the instant that simulation time 0 stands for."""


class FieldError(ValueError):
    """A field of an object is wrong.

    ``field`` is its path (``""`` for the object itself), ``message`` what was expected,
    ``reason`` the API server's ``StatusReason`` (``Invalid``), ``label`` the object
    (``Role "view"``) when the reader knows it.  ``str()`` is ``label: field: message``.

    Examples
    --------
    >>> err = FieldError("rules[0].verbs", "Required value", label='Role "r"')
    >>> str(err), err.field
    ('Role "r": rules[0].verbs: Required value', 'rules[0].verbs')
    """

    def __init__(self, field: str, message: str, reason: str = "Invalid", label: str = "") -> None:
        self.field = field
        self.message = message
        self.reason = reason
        self.label = label
        super().__init__(": ".join(part for part in (label, field, message) if part))


def describe(value: Any, secret: bool = False) -> str:
    """What a wrong value is, for an error message (its value left out when ``secret``).

    Examples
    --------
    >>> describe(1), describe(True), describe("x"), describe([]), describe({}), describe(None)
    ('number 1', 'boolean true', "string 'x'", 'a list', 'an object', 'null')
    >>> describe("hunter2", secret=True)
    'a string'
    """
    if isinstance(value, bool):
        return "a boolean" if secret else f"boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return "a number" if secret else f"number {value!r}"
    if isinstance(value, str):
        if secret:
            return "a string"
        text = repr(value)
        return f"string {text if len(text) <= 40 else text[:37] + '...'}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return "null" if value is None else type(value).__name__


def _start(start: Any) -> datetime.datetime:
    if isinstance(start, datetime.datetime):
        stamp = start
    else:
        stamp = datetime.datetime.fromisoformat(str(start).replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=datetime.UTC)
    return stamp


def rfc3339(seconds: float, start: Any = DEFAULT_START) -> str:
    """Simulation ``seconds`` as the API server writes a ``metav1.Time`` (whole seconds).

    Examples
    --------
    >>> rfc3339(61.9)
    '2026-01-01T00:01:01Z'
    """
    whole = datetime.timedelta(seconds=int(seconds // 1))
    return (_start(start) + whole).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def seconds_since(text: str, start: Any = DEFAULT_START) -> float:
    """An RFC 3339 time as simulation seconds (``ValueError`` when it is not one).

    Examples
    --------
    >>> seconds_since("2026-01-01T00:01:01Z"), seconds_since("2025-12-31T23:59:00Z")
    (61.0, -60.0)
    """
    stamp = datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if stamp.tzinfo is None:
        raise ValueError("no time zone")
    return (stamp - _start(start)).total_seconds()


class Fields:
    """Typed access to the fields of one decoded object.

    Each method takes the raw value and its path and returns the typed value (the zero
    value for a null), or raises :class:`FieldError` naming the path.  ``label`` names
    the object in the errors of readers called outside a manifest (``Role "view"``);
    ``start`` is the wall-clock time of simulation second 0, for :meth:`time`.

    Examples
    --------
    >>> f = Fields({"spec": {"tags": [{"name": 1}]}})
    >>> f.get("spec.tags")
    [{'name': 1}]
    >>> f.string(f.get("spec.tags")[0]["name"], "spec.tags[0].name")
    Traceback (most recent call last):
    ...
    simkit.manifests.fields.FieldError: spec.tags[0].name: expected a string, got number 1
    """

    def __init__(self, obj: Mapping[str, Any], label: str = "", start: Any = DEFAULT_START) -> None:
        self.obj = obj
        self.label = label
        self.start = start

    def fail(self, path: str, message: str, reason: str = "Invalid") -> FieldError:
        """The error for ``path`` (to raise)."""
        return FieldError(path, message, reason, self.label)

    def get(self, path: str) -> Any:
        """The raw value at a dotted ``path`` of the object, or None."""
        value: Any = self.obj
        for part in path.split("."):
            if not isinstance(value, Mapping):
                return None
            value = value.get(part)
        return value

    def mapping(self, value: Any, path: str, required: bool = False) -> Mapping[str, Any]:
        """An object (``{}`` for null unless ``required``); keys must be strings."""
        if value is None and not required:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected an object, got {describe(value)}")
        for key in value:
            if not isinstance(key, str):
                raise self.fail(path, f"field names must be strings, got {describe(key)}")
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        """A list (``[]`` for null)."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list, got {describe(value)}")
        return value

    def string(self, value: Any, path: str, default: str = "") -> str:
        """A string (``default`` for null)."""
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(path, f"expected a string, got {describe(value)}")
        return value

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        """A list of strings, as a tuple."""
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list of strings, got {describe(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.fail(f"{path}[{i}]", f"expected a string, got {describe(item)}")
        return tuple(value)

    def boolean(self, value: Any, path: str, default: bool = False) -> bool:
        """``true`` or ``false`` (``default`` for null)."""
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {describe(value)}")
        return value

    def integer(self, value: Any, path: str, default: int | None = None) -> int | None:
        """An integer (``default`` for null); a boolean is not one."""
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"expected an integer, got {describe(value)}")
        return value

    def string_map(self, value: Any, path: str) -> dict[str, str]:
        """A map of strings (a null value decodes to ``""``, as in Go)."""
        return {
            key: self.string(item, f"{path}.{key}")
            for key, item in self.mapping(value, path).items()
        }

    def optional_string_map(self, value: Any, path: str) -> dict[str, str] | None:
        """:meth:`string_map`, keeping null apart from ``{}`` (a Go map pointer)."""
        return None if value is None else self.string_map(value, path)

    def names(self, value: Any, path: str) -> list[str]:
        """A list of ``{name: ...}`` references (``imagePullSecrets``), duplicates dropped."""
        out: list[str] = []
        for i, item in enumerate(self.items(value, path)):
            ref = self.mapping(item, f"{path}[{i}]")
            name = self.string(ref.get("name"), f"{path}[{i}].name")
            if name and name not in out:
                out.append(name)
        return out

    def time(self, value: Any, path: str, default: float) -> float:
        """An RFC 3339 time as simulation seconds (``default`` for null)."""
        if value is None:
            return default
        text = self.string(value, path)
        try:
            return seconds_since(text, self.start)
        except ValueError as exc:
            if str(exc) == "no time zone":
                raise self.fail(
                    path, f"{text!r} has no time zone (expected e.g. a trailing 'Z')"
                ) from None
            raise self.fail(
                path, f"{text!r} is not an RFC 3339 time such as '2026-01-01T00:00:00Z'"
            ) from None

    def known(self, obj: Mapping[str, Any], path: str, fields: tuple[str, ...]) -> None:
        """Refuse a field not in ``fields`` (strict decoding); ``path`` ``""`` is the object."""
        for key in obj:
            if key not in fields:
                raise self.fail(
                    path, f"unknown field {key!r} (expected one of {', '.join(fields)})"
                )
